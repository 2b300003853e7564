"""Work assigned by reference (issue 21, issue 23): "- Chủ trì các nhiệm vụ tại điểm a, điểm b khoản 1
Mục II" under a body's heading gives that body the POINTS it names, as lead (or partner, by the
verb), read once at ingest into the register row where the line is written; a lead question on
an item that names no body answers with that body, citing both places. Plans written for these
tests (other provinces and layouts than any eval plan)."""

from __future__ import annotations

import pytest

from index.chunking import chunk_plan
from index.obligations import Obligation, extract_plan
from index.obligations.by_reference import BY_REFERENCE
from index.structure import parse_plan
from lang.normalize import collapse_ws
from tests.conftest import offline_app

PLAN = """ỦY BAN NHÂN DÂN                      CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
TỈNH QUẢNG TRỊ                       Độc lập - Tự do - Hạnh phúc
Số: 58/KH-UBND                       Quảng Trị, ngày 05 tháng 02 năm 2026
KẾ HOẠCH
Phòng, chống hạn hán và thiếu nước sinh hoạt tỉnh Quảng Trị năm 2026
I. MỤC ĐÍCH, YÊU CẦU
1. Bảo đảm nước sinh hoạt cho Nhân dân trong mùa khô.
II. NHIỆM VỤ, GIẢI PHÁP
1. Công tác chuẩn bị
a) Rà soát, lập danh mục các khu dân cư có nguy cơ thiếu nước sinh hoạt, hoàn thành trước ngày 15/3/2026.
b) Nạo vét kênh mương nội đồng, sửa chữa trạm bơm điện trước mùa khô.
c) Lắp đặt bồn chứa nước tại các điểm trường vùng cao.
2. Công tác ứng phó
a) Cấp nước sinh hoạt bằng xe bồn cho các thôn thiếu nước trong thời gian cao điểm nắng nóng.
b) Kiểm tra chất lượng nước tại các điểm cấp nước tập trung, hoàn thành trong 05 ngày kể từ khi nhận được phản ánh.
III. TỔ CHỨC THỰC HIỆN
1. Sở Nông nghiệp và Môi trường
- Là cơ quan thường trực của Ban Chỉ huy phòng thủ dân sự tỉnh; chủ trì các nhiệm vụ tại điểm a, điểm b khoản 1 Mục II.
- Phối hợp thực hiện nhiệm vụ tại điểm a khoản 2 Mục II.
2. Sở Y tế
- Chủ trì thực hiện nhiệm vụ nêu tại điểm b khoản 2 Mục II; báo cáo kết quả về Sở Nông nghiệp và Môi trường.
3. Sở Giáo dục và Đào tạo
- Thực hiện nhiệm vụ tại điểm c khoản 1 Mục II theo thời hạn tại điểm a khoản 1 Mục II.
4. Công ty Cổ phần Cấp thoát nước Quảng Trị
- Chủ trì cấp nước cho các thôn vùng cao.
"""

# Arabic parts ("2. NHIỆM VỤ"), items named by their whole number, the body's heading a "Giao …" line
ARABIC_PLAN = """ỦY BAN NHÂN DÂN TỈNH KON TUM
Số: 14/KH-UBND
KẾ HOẠCH
Bảo vệ rừng mùa khô năm 2026
1. MỤC ĐÍCH
Giảm số vụ cháy rừng.
2. NHIỆM VỤ
2.1. Phòng ngừa
a) Tuần tra các tiểu khu rừng trọng điểm trong mùa khô.
b) Phát dọn thực bì ven đường băng cản lửa, hoàn thành trước ngày 28/2/2026.
2.2. Chữa cháy
a) Huy động lực lượng chữa cháy tại chỗ khi có cháy rừng.
3. TỔ CHỨC THỰC HIỆN
3.1. Giao Chi cục Kiểm lâm tỉnh:
- Chủ trì thực hiện nhiệm vụ tại điểm a, b khoản 2.1 mục 2.
3.2. Giao Công an tỉnh:
- Phối hợp thực hiện nhiệm vụ tại điểm a khoản 2.2 mục 2.
"""


def _rows(text: str, source: str) -> list[Obligation]:
    plan = parse_plan(text, source)
    return extract_plan(chunk_plan(plan), plan.meta.province, plan.meta.year)


def _by_reference(rows: list[Obligation]) -> dict[tuple[str, str], tuple[str, ...]]:
    return {(r.agency or "", r.role or ""): r.refers_to for r in rows if BY_REFERENCE in r.flags}


def test_the_register_row_where_the_line_is_written_lists_the_points_it_names() -> None:
    rows = _rows(PLAN, "quang-tri.txt")
    found = _by_reference(rows)
    # the points, not their items; a line opening with its verb is its heading's body's, not the
    # body it names after "của" ("Là cơ quan thường trực của Ban Chỉ huy …")
    assert found[("Sở Nông nghiệp và Môi trường", "lead")] == ("II.1.a", "II.1.b")
    assert found[("Sở Nông nghiệp và Môi trường", "cooperate")] == ("II.2.a",)
    assert found[("Sở Y tế", "lead")] == ("II.2.b",)
    # "theo thời hạn tại điểm a khoản 1 Mục II" times the task; it assigns nothing of II.1.a
    assert found[("Sở Giáo dục và Đào tạo", "lead")] == ("II.1.c",)
    written = [r for r in rows if BY_REFERENCE in r.flags]
    assert all(r.section.startswith("III.") and "Mục II" in r.quote for r in written)
    assert not [r for r in rows if r.kind == "assignment" and r.agency and "Ban Chỉ huy" in r.agency]


def test_arabic_parts_and_a_giao_heading() -> None:
    found = _by_reference(_rows(ARABIC_PLAN, "kon-tum.txt"))
    assert found[("Chi cục Kiểm lâm tỉnh", "lead")] == ("2.1.a", "2.1.b")
    assert found[("Công an tỉnh", "cooperate")] == ("2.2.a",)


def test_a_point_whose_own_line_refers_to_an_item() -> None:
    # the body's duties as points "a) …" (each point's text on its title line), the reference
    # inside a clause after the standing-office one: the item named, led by the heading's body
    text = PLAN.replace("""1. Sở Nông nghiệp và Môi trường
- Là cơ quan thường trực""", """1. Sở Nông nghiệp và Môi trường
a) Là cơ quan thường trực""")
    found = _by_reference(_rows(text, "quang-tri.txt"))
    assert found[("Sở Nông nghiệp và Môi trường", "lead")] == ("II.1.a", "II.1.b")


def test_a_line_naming_no_point_of_the_plan_is_no_assignment_by_reference() -> None:
    text = PLAN.replace("chủ trì các nhiệm vụ tại điểm a, điểm b khoản 1 Mục II",
                        "chủ trì thực hiện Điều 5 Nghị định số 66/2021/NĐ-CP")
    found = _by_reference(_rows(text, "quang-tri.txt"))
    assert ("Sở Nông nghiệp và Môi trường", "lead") not in found


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    return offline_app(tmp_path_factory.mktemp("data"), {"quang-tri-2026-han-han.txt": PLAN,
                                                          "kon-tum-2026-bao-ve-rung.txt": ARABIC_PLAN})


@pytest.mark.parametrize(("question", "lead", "item", "referring"), [
    ("Ai chủ trì rà soát, lập danh mục các khu dân cư có nguy cơ thiếu nước sinh hoạt ở Quảng Trị?",
     "Sở Nông nghiệp và Môi trường", "II.1.a", "III.1"),
    ("Nạo vét kênh mương nội đồng, sửa chữa trạm bơm điện ở Quảng Trị giao cho cơ quan nào?",
     "Sở Nông nghiệp và Môi trường", "II.1.b", "III.1"),
    ("Cơ quan nào chủ trì kiểm tra chất lượng nước tại các điểm cấp nước tập trung ở Quảng Trị?",
     "Sở Y tế", "II.2.b", "III.2"),
    ("Kon Tum: ai chủ trì phát dọn thực bì ven đường băng cản lửa?", "Chi cục Kiểm lâm tỉnh", "2.1.b", "3.1"),
])
def test_a_lead_question_on_an_item_naming_no_body_answers_with_the_body_referring_to_it(
        app, question: str, lead: str, item: str, referring: str) -> None:
    answer = app.assistant.ask(question, mode="extractive")
    assert not answer.abstained, answer.answer
    assert lead in collapse_ws(answer.answer), answer.answer
    cited = [c.section for c in answer.citations]
    assert item in cited and referring in cited, cited


@pytest.mark.parametrize(("question", "partner", "item", "referring"), [
    ("Ai phối hợp cấp nước sinh hoạt bằng xe bồn cho các thôn thiếu nước ở Quảng Trị?",
     "Sở Nông nghiệp và Môi trường", "II.2.a", "III.1"),
    ("Kon Tum: cơ quan nào phối hợp huy động lực lượng chữa cháy tại chỗ khi có cháy rừng?",
     "Công an tỉnh", "2.2.a", "3.2"),
])
def test_a_partner_question_answers_with_the_body_partnering_by_reference(
        app, question: str, partner: str, item: str, referring: str) -> None:
    answer = app.assistant.ask(question, mode="extractive")
    assert not answer.abstained, answer.answer
    assert partner in collapse_ws(answer.answer), answer.answer
    cited = [c.section for c in answer.citations]
    assert item in cited and referring in cited, cited

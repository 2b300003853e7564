"""Answers read the way the genre (Decree 30/2020) prints a plan: a phase heading dates the phase
"(từ ngày … đến ngày …)"; an appendix table's two-line header prints the unit ("Lượng (Tấn)") under
the years; an item headed "Trách nhiệm của đối tượng …" binds a body no agency list knows, its
dashes each carrying their own time field; "Kế hoạch số …/KH-UBND đặt những chỉ tiêu nào" frames
the question with the plan's own verb; "Theo kế hoạch, …" names no plan; the issuer is asked
whatever the order of the clauses. The plans are invented (another province and topic than the
plans tuned on); expected answers worked out by hand."""

from __future__ import annotations

import pytest

from rag.answers.citing import cite_sections_once
from rag.types import Citation
from tests.conftest import offline_app

PLAN = """ỦY BAN NHÂN DÂN
TỈNH SƠN NAM
Số: 318/KH-UBND
Sơn Nam, ngày 3 tháng 3 năm 2026
KẾ HOẠCH
Kiểm đếm đàn gia súc và xuất khẩu nông sản tỉnh Sơn Nam năm 2026
I. MỤC ĐÍCH, YÊU CẦU
1. Mục đích
- Nắm chắc số lượng đàn gia súc trên địa bàn tỉnh.
2. Chỉ tiêu
- Năm 2026: kiểm đếm 450.000 con gia súc tại các xã vùng cao.
- Đến hết năm 2026, 95% hộ chăn nuôi được cập nhật vào cơ sở dữ liệu.
- Đến năm 2027, tổng sản phẩm chè xuất khẩu đạt 5.000 tấn; tổng giá trị xuất khẩu dự kiến đạt 9 triệu USD.
II. NỘI DUNG VÀ TIẾN ĐỘ
1. Giai đoạn 1 - Chuẩn bị (từ ngày 01/4/2026 đến ngày 30/5/2026)
a) Ban hành phương án kiểm đếm; các xã đăng ký tổ kiểm đếm về Sở Nông nghiệp và Môi trường trước ngày 20/4/2026.
b) In phiếu kiểm đếm và cấp cho các xã.
2. Giai đoạn 2 - Kiểm đếm (từ ngày 01/6/2026 đến ngày 30/6/2026)
a) Các tổ kiểm đếm đi từng hộ chăn nuôi.
III. TỔ CHỨC THỰC HIỆN
1. Sở Nông nghiệp và Môi trường
- Báo cáo tiến độ chuẩn bị về Ủy ban nhân dân tỉnh vào thứ Hai hằng tuần trong Giai đoạn 1.
- Tổng hợp kết quả kiểm đếm, báo cáo kết quả kiểm đếm gửi Bộ Nông nghiệp và Môi trường.
Thời gian hoàn thành: Trước ngày 31/8/2026.
2. Trách nhiệm của đối tượng thực hiện kiểm đếm:
- Thành lập tổ kiểm đếm tại đơn vị.
Thời hạn hoàn thành: Trước ngày 15/4/2026.
- Báo cáo kết quả kiểm đếm cho cơ quan quản lý cấp trên (nếu có).
Thời hạn hoàn thành: Trước ngày 15/7/2026.
Nơi nhận:
- Như trên;
- Lưu: VT.
TM. ỦY BAN NHÂN DÂN
KT. CHỦ TỊCH
PHÓ CHỦ TỊCH
Trần Văn Bình
PHỤ LỤC 02
DANH MỤC NÔNG SẢN XUẤT KHẨU CỦA TỈNH SƠN NAM
TT | Sản phẩm | Kế hoạch 2026 | Kế hoạch 2027
Lượng (Tấn) | Giá trị (Nghìn USD) | Lượng (Tấn) | Giá trị (Nghìn USD) |
1 | Chè búp khô | 1.200 | 3.100 | 1.300 | 3.400
2 | Quế vỏ khô | 2.500 | 4.200 | 2.700 | 4.600
"""

OTHER = """ỦY BAN NHÂN DÂN
TỈNH BẮC SƠN
Số: 12/KH-UBND
Bắc Sơn, ngày 5 tháng 1 năm 2026
KẾ HOẠCH
Phát triển sản phẩm thủ công mỹ nghệ tỉnh Bắc Sơn năm 2026
I. NHIỆM VỤ
1. Tập huấn kỹ năng bán hàng trực tuyến cho các hộ làm nghề.
2. Sở Công Thương chủ trì tổ chức hội chợ sản phẩm thủ công trong quý III/2026.
TM. ỦY BAN NHÂN DÂN
CHỦ TỊCH
Lê Văn Nam
"""


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    return offline_app(tmp_path_factory.mktemp("data"), {"son-nam-2026-kiem-dem-gia-suc.txt": PLAN,
                                                        "bac-son-2026-thu-cong-my-nghe.txt": OTHER})


def _sections(answer) -> list[str]:
    return [c.section for c in answer.citations]


def test_a_row_counts_in_the_unit_its_two_line_header_prints(app):
    answer = app.assistant.ask("Phụ lục 02 kế hoạch kiểm đếm gia súc Sơn Nam: quế vỏ khô năm 2027 "
                               "dự kiến xuất khẩu bao nhiêu tấn, giá trị bao nhiêu?")
    assert not answer.abstained, answer.answer
    assert _sections(answer)[0] == "PL1.2", answer.answer
    assert "2.700" in answer.answer and "4.600" in answer.answer


def test_a_span_asked_is_the_phase_heading_stating_both_ends(app):
    answer = app.assistant.ask("Giai đoạn 1 - chuẩn bị kiểm đếm gia súc Sơn Nam kéo dài từ ngày nào đến ngày nào?")
    assert not answer.abstained, answer.answer
    assert _sections(answer)[0] == "II.1", answer.answer
    assert "01/4/2026" in answer.answer and "30/5/2026" in answer.answer


def test_the_verb_the_question_gives_the_plan_is_no_topic(app):
    answer = app.assistant.ask("Kế hoạch 318/KH-UBND đặt những chỉ tiêu nào cho năm 2026?")
    assert not answer.abstained, answer.answer
    assert _sections(answer)[0] == "I.2", answer.answer
    assert "450.000" in answer.answer


def test_a_body_named_by_a_generic_noun_is_the_one_its_item_binds(app):
    answer = app.assistant.ask("đơn vị thực hiện kiểm đếm gia súc ở Sơn Nam báo cáo kết quả cho ai, trước ngày nào")
    assert not answer.abstained, answer.answer
    assert _sections(answer)[0] == "III.2", answer.answer
    assert "cơ quan quản lý cấp trên" in answer.answer
    # the dash's own time field, not the first of its item
    assert "15/7/2026" in answer.answer and "15/4/2026" not in answer.answer


@pytest.mark.parametrize("question", [
    "Theo kế hoạch, tổ chức hội chợ sản phẩm thủ công khi nào?",
    "tổ chức hội chợ sản phẩm thủ công khi nào?",
])
def test_theo_ke_hoach_before_a_comma_names_no_plan(app, question):
    answer = app.assistant.ask(question)
    assert not answer.abstained, answer.answer
    assert answer.citations[0].source == "bac-son-2026-thu-cong-my-nghe.txt", answer.answer
    assert "quý III/2026" in answer.answer


@pytest.mark.parametrize("question", [
    "Kế hoạch kiểm đếm đàn gia súc tỉnh Sơn Nam năm 2026 do cơ quan nào ban hành, ai ký?",
    "Ai ký, do cơ quan nào ban hành Kế hoạch kiểm đếm đàn gia súc tỉnh Sơn Nam năm 2026?",
])
def test_the_issuer_and_signer_whatever_the_clause_order(app, question):
    answer = app.assistant.ask(question)
    assert not answer.abstained, answer.answer
    assert _sections(answer) == ["preamble", "closing"], answer.answer
    assert "Trần Văn Bình" in answer.answer and "Ủy ban nhân dân" in answer.answer


def _cite(cid: int, section: str) -> Citation:
    return Citation(id=cid, source="a.txt", doc_title="T", section=section, section_label=section, section_title="",
                    quote="q", quote_display="q", start_line=1, end_line=1)


def test_parts_of_one_section_said_in_a_row_close_with_its_marker():
    text, cited = cite_sections_once("số hiệu 1/KH [1]; do Sở X ban hành [2]; người ký: A [3].",
                                     [_cite(1, "preamble"), _cite(2, "preamble"), _cite(3, "closing")])
    assert text == "số hiệu 1/KH; do Sở X ban hành [1]; người ký: A [2]."
    assert [c.section for c in cited] == ["preamble", "closing"]
    # a section cited again after another's marker keeps its first marker only
    text, _ = cite_sections_once("A [1] B [2] C [3]", [_cite(1, "I"), _cite(2, "II"), _cite(3, "I")])
    assert text == "A [1] B [2] C"

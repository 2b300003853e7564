"""The passage where the asked body acts answers, not one that only names it (session 37, cause
"mention"): a question whose subject is a body ("Sở X báo cáo … trước ngày nào?", "Sở X phải làm
gì?") is answered where the register files that body as the one acting, not where others report
TO it or where it is a partner. Plans invented in the Decree 30/2020 layout (other provinces and
topics than the plans tuned on); expected answers worked out by hand."""

from __future__ import annotations

import pytest

from index.obligations import Obligation
from rag.answers.roles import acts_in
from tests.conftest import offline_app

# the reporting part: the departments report TO Sở Y tế first, Sở Y tế's own report comes second
PLAN = """ỦY BAN NHÂN DÂN
TỈNH ĐÔNG SƠN
Số: 88/KH-UBND
Đông Sơn, ngày 3 tháng 3 năm 2026
KẾ HOẠCH
Phòng, chống dịch bệnh truyền nhiễm trên địa bàn tỉnh Đông Sơn năm 2026
I. MỤC ĐÍCH, YÊU CẦU
1. Chủ động phòng, chống dịch bệnh, giảm tỷ lệ mắc và tử vong.
II. NHIỆM VỤ, GIẢI PHÁP
1. Giám sát, phát hiện sớm các ca bệnh tại cộng đồng.
III. TỔ CHỨC THỰC HIỆN
1. Sở Giáo dục và Đào tạo
- Chỉ đạo các trường học tổ chức vệ sinh, khử khuẩn lớp học.
2. Ủy ban nhân dân các xã, phường
- Tổ chức giám sát dịch bệnh trên địa bàn.
IV. CHẾ ĐỘ BÁO CÁO
1. Các sở, ban, ngành và Ủy ban nhân dân các xã, phường báo cáo kết quả thực hiện 6 tháng (trước ngày 10/6), tổng kết năm (trước ngày 15/11 hằng năm), gửi Sở Y tế tổng hợp báo cáo Ủy ban nhân dân tỉnh.
2. Sở Y tế tổng hợp, báo cáo Ủy ban nhân dân tỉnh kết quả thực hiện Kế hoạch 6 tháng (trước ngày 20/6), tổng kết năm (trước ngày 05/12 hằng năm).
Nơi nhận:
- Như trên;
- Lưu: VT.
TM. ỦY BAN NHÂN DÂN
CHỦ TỊCH
Trần Văn Nam
"""


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    return offline_app(tmp_path_factory.mktemp("data"), {"dong-son-2026-phong-chong-dich.txt": PLAN})


@pytest.mark.parametrize("question", [
    "Đông Sơn phòng chống dịch 2026: Sở Y tế báo cáo tổng kết năm trước ngày nào?",
    "dong son phong chong dich: so y te bao cao tong ket nam truoc ngay nao?",
    "Theo KH 88 của Đông Sơn, hạn Sở Y tế gửi báo cáo tổng kết năm là khi nào?",
])
def test_the_line_where_the_body_reports_answers(app, question):
    answer = app.assistant.ask(question)
    assert not answer.abstained, answer.answer
    assert answer.citations[0].section == "IV.2", answer.answer
    assert "05/12" in answer.answer


def test_who_reports_to_the_body_still_reads_the_line_to_it(app):
    # the body named after "gửi" is where the reports go: the others' line answers
    answer = app.assistant.ask("Ở Đông Sơn, các sở gửi báo cáo tổng kết năm về Sở Y tế trước ngày nào?")
    assert not answer.abstained, answer.answer
    assert answer.citations[0].section == "IV.1", answer.answer
    assert "15/11" in answer.answer


def _row(section: str, agency: str, recipient: str | None = None, role: str | None = None,
         cooperating: tuple[str, ...] = ()) -> Obligation:
    return Obligation(kind="reporting" if recipient else "assignment", source="p.txt", doc_title="t",
                      section=section, section_label=section, quote="q", agency=agency, role=role,
                      recipient=recipient, cooperating=cooperating)


@pytest.mark.parametrize(("rows", "section", "expected"), [
    ([_row("IV.2", "Sở Y tế", "Ủy ban nhân dân tỉnh")], "IV.2", True),
    ([_row("IV.1", "Các sở, ban, ngành tỉnh", "Sở Y tế")], "IV.1", False),  # others report TO it
    ([_row("III.2", "Sở Tài chính", cooperating=("Sở Y tế",), role="lead")], "III.2.a", False),  # a partner
    ([_row("III.2", "Sở Y tế", role="cooperate")], "III.2", False),  # its cooperating row
    ([_row("III.3", "Sở Y tế", role="lead")], "III.3.b", True),  # the item's row speaks for its points
    ([_row("III.3", "Sở Tài chính", role="lead")], "III.3", None),  # not named: no evidence
    ([_row("III.1", "Sở Y tế", role="lead")], "III.10", None),  # another item sharing the prefix
])
def test_acts_in_reads_the_role_from_the_register(rows, section, expected):
    assert acts_in(rows, section, frozenset({"Sở Y tế"})) is expected


# a body's own block whose heading lists several bodies; an earlier point names one of them as the
# object of another body's work
LISTED = """ỦY BAN NHÂN DÂN
TỈNH BẮC HÀ
Số: 140/KH-UBND
Bắc Hà, ngày 9 tháng 4 năm 2026
KẾ HOẠCH
Phát triển nông nghiệp hữu cơ tỉnh Bắc Hà giai đoạn 2026 - 2030
I. MỤC ĐÍCH, YÊU CẦU
1. Mở rộng diện tích sản xuất hữu cơ, nâng cao giá trị sản phẩm.
II. NHIỆM VỤ, GIẢI PHÁP
1. Hỗ trợ các doanh nghiệp chế biến nông sản tiếp cận vốn vay ưu đãi, liên kết tiêu thụ sản phẩm hữu cơ.
III. TỔ CHỨC THỰC HIỆN
1. Sở Nông nghiệp và Môi trường
- Chủ trì hướng dẫn các doanh nghiệp chế biến nông sản xây dựng vùng nguyên liệu hữu cơ.
2. Sở Tài chính
- Bố trí kinh phí thực hiện Kế hoạch theo phân cấp ngân sách.
3. Các doanh nghiệp chế biến nông sản, tổ chức, cá nhân có liên quan
- Đăng ký chứng nhận sản phẩm hữu cơ theo tiêu chuẩn quốc gia.
- Ghi chép nhật ký sản xuất, bảo đảm truy xuất nguồn gốc sản phẩm.
Nơi nhận:
- Như trên;
- Lưu: VT.
TM. ỦY BAN NHÂN DÂN
CHỦ TỊCH
Hoàng Văn Bình
"""


@pytest.fixture(scope="module")
def listed_app(tmp_path_factory):
    return offline_app(tmp_path_factory.mktemp("data"), {"bac-ha-2026-nong-nghiep-huu-co.txt": LISTED})


@pytest.mark.parametrize("question", [
    "Theo kế hoạch nông nghiệp hữu cơ của Bắc Hà, các doanh nghiệp chế biến nông sản có trách nhiệm gì?",
    "bac ha nong nghiep huu co: cac doanh nghiep che bien nong san phai lam gi?",
])
def test_a_body_listed_in_its_blocks_heading_is_answered_from_that_block(listed_app, question):
    answer = listed_app.assistant.ask(question)
    assert not answer.abstained, answer.answer
    assert answer.citations[0].section == "III.3", answer.answer
    assert "nhật ký sản xuất" in answer.answer

"""Declining on evidence of absence, and only then (issue 21): a year no plan is of, a plan number
that is not indexed, a body the plan never speaks of, an obligation only a cited document states,
a sum of money the plan does not give. A refusal names the closest passage. And the converse: a
relative time ("trong 15 ngày kể từ …") answers "trong thời hạn nào?". The plan is invented, in
the Decree 30/2020 layout; the expected answers are worked out by hand from its text."""

from __future__ import annotations

import pytest

from rag.query import analyze
from rag.scope import plan_numbers
from rag.slots import filled
from tests.conftest import offline_app

PLAN = """ỦY BAN NHÂN DÂN
TỈNH BẢO LAM
Số: 31/KH-UBND
Bảo Lam, ngày 12 tháng 01 năm 2026
KẾ HOẠCH
Phát triển thương mại điện tử tỉnh Bảo Lam năm 2026
Căn cứ Chỉ thị số 05/CT-TTg ngày 10 tháng 12 năm 2025 của Thủ tướng Chính phủ, trong đó yêu cầu
Chủ tịch Ủy ban nhân dân các tỉnh báo cáo Thủ tướng Chính phủ kết quả trước ngày 31/12/2026;
Ủy ban nhân dân tỉnh ban hành Kế hoạch phát triển thương mại điện tử năm 2026 như sau:
I. MỤC TIÊU
1. Cụ thể hóa Kế hoạch số 20/KH-UBND ngày 05/01/2026 của Ủy ban nhân dân tỉnh: 80% doanh nghiệp
nhỏ và vừa bán hàng trên sàn thương mại điện tử.
2. Tỷ lệ doanh nghiệp có website bán hàng trực tuyến: năm 2026 đạt 40%, năm 2027 đạt 60%.
II. KINH PHÍ
1. Tổng kinh phí thực hiện Kế hoạch là 2.500 triệu đồng từ ngân sách tỉnh.
III. TỔ CHỨC THỰC HIỆN
1. Sở Công Thương
a) Chủ trì xây dựng sàn thương mại điện tử của tỉnh, hoàn thành trước ngày
30/9/2026.
b) Trong 15 ngày kể từ ngày kết thúc hội chợ thương mại điện tử, tổng hợp kết
quả hội chợ, báo cáo Ủy ban nhân dân tỉnh.
2. Sở Tài chính
a) Bố trí kinh phí thực hiện Kế hoạch trong dự toán năm 2026.
3. Ủy ban nhân dân các xã, phường
- Tuyên truyền để 90% hộ kinh doanh biết đến sàn thương mại điện tử của tỉnh.
4. Thanh tra Sở Công Thương
a) Chủ trì kiểm tra các gian hàng livestream trên địa bàn tỉnh trong quý III/2026.
5. Sở Tư pháp chủ trì, phối hợp với Sở Công Thương thực hiện các nội dung sau:
- Hướng dẫn hộ kinh doanh về hợp đồng điện tử và chữ ký số;
- Phổ biến pháp luật về bảo vệ quyền lợi người tiêu dùng trực tuyến.
IV. NGÀY HỘI MUA SẮM TRỰC TUYẾN
1. Ngày hội mua sắm trực tuyến
a) Chủ đề Ngày hội năm 2026
“Mua sắm an toàn, thanh toán không tiền mặt”.
b) Thời gian: Từ ngày 01/11/2026 đến ngày 30/11/2026.
Nơi nhận:
- Như trên;
- Lưu: VT.
KT. CHỦ TỊCH
PHÓ CHỦ TỊCH
Lê Văn Hòa
"""


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    return offline_app(tmp_path_factory.mktemp("data"), {"bao-lam-2026.txt": PLAN})


def ask(app, question: str):
    return app.assistant.ask(question)


def test_a_year_the_plan_neither_covers_nor_was_issued_in_nor_reports_on_is_declined(app):
    # "điện tử" folds to the role word "từ" (from), and "phòng, chống" holds a comma: still the plan's year
    assert analyze("Kế hoạch thương mại điện tử năm 2025 của tỉnh Bảo Lam có tổng kinh phí?").years == [2025]
    assert analyze("Kế hoạch phòng, chống dịch năm 2025 của Sở Y tế tỉnh Bảo Lam").years == [2025]
    answer = ask(app, "Kế hoạch thương mại điện tử năm 2025 của tỉnh Bảo Lam có tổng kinh phí bao nhiêu?")
    assert answer.abstained and "2.500" not in answer.answer
    answer = ask(app, "Kế hoạch thương mại điện tử năm 2026 của tỉnh Bảo Lam có tổng kinh phí bao nhiêu?")
    assert not answer.abstained and "2.500 triệu đồng" in answer.answer


def test_a_plan_number_that_is_not_indexed_is_declined(app):
    assert plan_numbers("theo Kế hoạch số 99 / kh-ubnd và Quyết định 213/QĐ-TTg") == {"99/KH-UBND"}
    answer = ask(app, "Kế hoạch số 99/KH-UBND của tỉnh Bảo Lam giao Sở Công Thương làm gì?")
    assert answer.abstained and "99/KH-UBND" in answer.answer
    answer = ask(app, "Kế hoạch số 31/KH-UBND của tỉnh Bảo Lam giao Sở Công Thương làm gì?")
    assert not answer.abstained and "sàn thương mại điện tử" in answer.answer


def test_a_body_the_plan_never_speaks_of_is_declined_naming_the_closest_passage(app):
    answer = ask(app, "Theo kế hoạch của tỉnh Bảo Lam, Sở Du lịch phải làm gì để phát triển sàn thương mại điện tử?")
    assert answer.abstained
    assert answer.answer.startswith("Kế hoạch không giao nội dung này cho Sở Du lịch.")
    assert "Nội dung gần nhất" in answer.answer and len(answer.citations) == 1  # the closest passage, cited
    assert answer.citations[0].quote in " ".join(PLAN.split())  # verbatim


def test_what_a_cited_document_asks_of_another_body_is_not_this_plans_assignment(app):
    answer = ask(app, "Theo kế hoạch của tỉnh Bảo Lam, Thủ tướng Chính phủ phải báo cáo Quốc hội trước ngày nào?")
    assert answer.abstained
    assert all(c.section != "preamble" for c in answer.citations)


def test_a_sum_of_money_is_answered_by_a_sum_not_a_percentage(app):
    assert filled("money", "2.500 triệu đồng") and not filled("money", "90% hộ kinh doanh")
    assert not filled("amount", "Kế hoạch năm 2026") and filled("amount", "đạt 95% năm 2026")  # a year is no amount
    answer = ask(app, "Theo kế hoạch của tỉnh Bảo Lam, hộ kinh doanh không bán hàng trên sàn bị phạt bao nhiêu tiền?")
    assert answer.abstained


def test_a_time_counted_from_an_event_answers_when(app):
    assert filled("deadline", "Trong 15 ngày kể từ ngày nước rút, tổng hợp nhu cầu")
    assert filled("deadline", "chậm nhất 10 ngày sau khi kết thúc")
    answer = ask(app, "Theo kế hoạch của tỉnh Bảo Lam, Sở Công Thương tổng hợp kết quả hội chợ báo cáo UBND tỉnh "
                      "trong thời hạn nào?")
    assert not answer.abstained and "15 ngày kể từ ngày kết thúc hội chợ" in answer.answer


def test_a_plan_number_no_plan_has_is_answered_only_where_a_plan_cites_it(app):
    # the plan cites Chỉ thị 05/CT-TTg, not "Kế hoạch số 44/KH-UBND": nothing speaks of that plan
    answer = ask(app, "Kế hoạch số 44/KH-UBND của tỉnh Bảo Lam giao Sở Công Thương những nhiệm vụ nào?")
    assert answer.abstained and "44/KH-UBND" in answer.answer and not answer.citations
    # a plan the indexed one cites by number is answered where it speaks of it
    answer = ask(app, "Kế hoạch số 20/KH-UBND được cụ thể hóa với mục tiêu bao nhiêu phần trăm doanh nghiệp "
                      "bán hàng trên sàn?")
    assert not answer.abstained and "80%" in answer.answer and answer.citations[0].section == "I.1"


def test_a_subject_the_named_plan_never_speaks_of_is_declined_with_its_closest_passage(app):
    answer = ask(app, "Theo kế hoạch của tỉnh Bảo Lam, chuyển đổi xe máy chạy xăng sang xe điện thực hiện thế nào?")
    assert answer.abstained and answer.answer.startswith("Kế hoạch không nói về nội dung này.")
    assert len(answer.citations) == 1 and answer.citations[0].quote in " ".join(PLAN.split())
    # a question naming no plan, about nothing any plan says, is refused without a passage
    answer = ask(app, "Thủ đô của nước Pháp là gì?")
    assert answer.abstained and not answer.citations


@pytest.mark.parametrize(("question", "confirm"), [
    ("Sở Tư pháp chủ trì kiểm tra gian hàng livestream đúng không?", True),
    ("so tu phap chu tri kiem tra gian hang livestream phai ko", True),
    ("Có phải là Sở Tư pháp chủ trì kiểm tra gian hàng livestream?", True),
    ("Sở Tư pháp chủ trì kiểm tra gian hàng livestream?", False),
    ("Sở Công Thương có phải đồng gửi báo cáo cho đơn vị nào không?", False),  # a duty asked, not a check
])
def test_a_question_checking_a_fact_is_read_as_such(question, confirm):
    assert analyze(question).confirm is confirm


@pytest.mark.parametrize(("question", "agency"), [
    ("sở gd&đt bạc liêu báo cáo kết quả đào tạo cho ai", "Sở Giáo dục và Đào tạo"),  # typed in lower case
    ("BHXH tỉnh Bắc Giang được giao nhiệm vụ gì trong kế hoạch năm 2024?", "Bảo hiểm xã hội tỉnh"),
    ("Kế hoạch của tỉnh Bắc Giang giao Sở Tài chính làm gì?", "Sở Tài chính"),
])
def test_the_body_asked_is_read_beside_the_plan_naming_phrase(question, agency):
    assert agency in analyze(question).agencies


def test_a_body_named_with_the_province_the_plan_never_names_is_declined(app):
    answer = ask(app, "BHXH tỉnh Bảo Lam được giao nhiệm vụ gì trong kế hoạch thương mại điện tử năm 2026?")
    assert answer.abstained and answer.answer.startswith("Kế hoạch không giao nội dung này cho Bảo hiểm xã hội tỉnh")


def test_a_question_whose_every_value_the_item_lacks_is_declined(app):
    # III.3 gives the communes their task, and neither a report nor a deadline
    answer = ask(app, "Theo kế hoạch của tỉnh Bảo Lam, UBND các xã, phường tuyên truyền về sàn thương mại điện tử "
                      "thì báo cáo về đâu, hạn khi nào?")
    assert answer.abstained and answer.answer.startswith("Kế hoạch không nêu")
    assert "Nội dung gần nhất" in answer.answer and answer.citations


MONEY_PLAN = """ỦY BAN NHÂN DÂN
TỈNH BẢO LAM
Số: 40/KH-UBND
KẾ HOẠCH
Phòng, chống mua bán người năm 2026 trên địa bàn tỉnh Bảo Lam
I. NHIỆM VỤ
1. Hỗ trợ nạn nhân
a) Tiếp nhận, xác minh nạn nhân bị mua bán trở về.
b) Tiếp nhận, bố trí chỗ ở tạm thời cho nạn nhân bị mua bán tại Trung tâm Công tác xã hội tỉnh; mức hỗ trợ
theo quy định hiện hành.
II. TỔ CHỨC THỰC HIỆN
1. Công an tỉnh chủ trì theo dõi, tổng hợp tình hình thực hiện Kế hoạch.
2. Giao Sở Tài chính tham mưu bố trí kinh phí thực hiện Kế hoạch; năm 2026 bố trí 1.200 triệu đồng, trong đó
450 triệu đồng hỗ trợ nạn nhân bị mua bán.
"""


def test_a_sum_asked_is_read_from_the_sentence_that_states_it(tmp_path):
    # I.1.b speaks of supporting victims and states no sum; II.2 states it
    app = offline_app(tmp_path, {"bao-lam-2026-mua-ban-nguoi.txt": MONEY_PLAN})
    answer = app.assistant.ask("Năm 2026 Bảo Lam bố trí bao nhiêu tiền để hỗ trợ nạn nhân bị mua bán?")
    assert not answer.abstained and "450 triệu đồng" in answer.answer
    assert [c.section for c in answer.citations] == ["II.2"]


def test_a_wrong_lead_in_a_checking_question_is_corrected_not_declined(app):
    # the plan names Sở Tư pháp, but gives the livestream inspection to Thanh tra Sở Công Thương (III.4)
    answer = ask(app, "Sở Tư pháp chủ trì kiểm tra các gian hàng livestream trên địa bàn tỉnh Bảo Lam đúng không?")
    assert not answer.abstained
    assert answer.answer.startswith("Không đúng: kế hoạch không giao nội dung này cho Sở Tư pháp")
    assert "Thanh tra Sở Công Thương" in answer.answer.split("\n")[0]
    assert [c.section for c in answer.citations] == ["III.4.a"]
    # a body the plan never names, asserted as the lead: the task's real lead, too
    answer = ask(app, "Sở Du lịch chủ trì xây dựng sàn thương mại điện tử của tỉnh Bảo Lam phải không?")
    assert not answer.abstained and "Sở Công Thương" in answer.answer.split("\n")[0]
    # asked what the body itself must do, the same body is declined: no duty is made up for it
    answer = ask(app, "Theo kế hoạch của tỉnh Bảo Lam, Sở Du lịch phải làm gì để phát triển sàn thương mại điện tử?")
    assert answer.abstained


@pytest.mark.parametrize(("slot", "text", "expected"), [
    # an OCR'd quote names its body without accents or with a misread case ("SỞ", "Bénh vién")
    ("cooperating", "a) Phoi hop voi Chi cuc Chan nudi va Thu y tap huan", True),
    ("cooperating", "phối hợp với Bénh vién Da khoa tinh", True),
    ("recipient", "bao cao SO Nong nghiep va Moi truong", True),
    ("cooperating", "triển khai toàn bộ kế hoạch", False),  # "bộ" in lowercase is no ministry
    ("recipient", "tổng hợp kết quả tiêm phòng mỗi đợt", False),
    # a date is no figure asked by "bao nhiêu?", nor a time limit a level of support
    ("amount", "Căn cứ Luật Phòng, chống thiên tai ngày 19 tháng 6 năm 2013", False),
    ("amount", "hoàn thành trước ngày 15/12/2026", False),
    ("rate", "báo cáo Thủ tướng Chính phủ trong 30 ngày kể từ ngày kết thúc đợt lũ", False),
    ("rate", "hỗ trợ mai táng phí mức 10 triệu đồng/người", True),
    ("rate", "hỗ trợ bằng 3 tháng lương cơ sở", True),
    ("rate", "70% học phí", True),
])
def test_what_fills_a_slot(slot, text, expected):
    assert filled(slot, text) is expected


def test_a_figure_of_a_year_the_plan_gives_no_figure_for_is_declined(app):
    answer = ask(app, "Theo kế hoạch của tỉnh Bảo Lam, tỷ lệ doanh nghiệp có website bán hàng trực tuyến năm 2030 "
                      "đạt bao nhiêu phần trăm?")
    assert answer.abstained and "2030" in answer.answer and "Nội dung gần nhất" in answer.answer
    answer = ask(app, "Theo kế hoạch của tỉnh Bảo Lam, tỷ lệ doanh nghiệp có website bán hàng trực tuyến năm 2027 "
                      "đạt bao nhiêu phần trăm?")
    assert not answer.abstained and "60%" in answer.answer


@pytest.mark.parametrize(("ranking", "asked", "first"), [
    ([(0.9, 0.30, None, "Tổng kinh phí"), (0.8, 0.50, None, "Mua vắc xin: 4.900 triệu đồng")], ["amount"],
     "Mua vắc xin: 4.900 triệu đồng"),  # covers and holds the figure: leads
    ([(0.9, 0.30, None, "Tổng kinh phí"), (0.8, 0.50, None, "Mua vắc xin")], ["amount"], "Tổng kinh phí"),  # no figure
    ([(0.9, 0.30, None, "Báo cáo về Sở Y tế"), (0.8, 0.50, None, "Phát sóng 02 kỳ")], [], "Báo cáo về Sở Y tế"),
    ([(0.9, 0.50, None, "covers 1"), (0.8, 0.90, None, "covers 2")], ["amount"], "covers 1"),  # the first covers
    ([(0.9, 0.3, None, "a"), (0.8, 0.2, None, "b"), (0.7, 0.1, None, "c"), (0.6, 0.9, None, "far 9")], ["amount"], "a"),
    ([], ["amount"], None),
])
def test_a_sentence_that_covers_the_question_leads_one_that_only_has_its_kind(ranking, asked, first):
    from rag.answers.extractive import _covering_first
    ranked = _covering_first(ranking, asked)
    assert (ranked[0][3] if ranked else None) == first and sorted(ranked) == sorted(ranking)


def test_a_unit_of_a_department_is_named_whole(app):
    # "4. Thanh tra Sở Công Thương": the bare "Thanh tra" would name another body
    answer = ask(app, "Kiểm tra các gian hàng livestream trên địa bàn tỉnh Bảo Lam là việc của đơn vị nào?")
    assert not answer.abstained and "Thanh tra Sở Công Thương" in answer.answer


def test_the_heading_of_a_list_names_who_cooperates_on_its_items(app):
    answer = ask(app, "Sở Tư pháp phối hợp với cơ quan nào để hướng dẫn hộ kinh doanh về hợp đồng điện tử và chữ ký số "
                      "theo kế hoạch của tỉnh Bảo Lam?")
    assert not answer.abstained and "phối hợp với Sở Công Thương" in answer.answer


def test_two_things_asked_of_one_item_are_answered_by_both_its_points(app):
    answer = ask(app, "Chủ đề và thời gian Ngày hội mua sắm trực tuyến năm 2026 của tỉnh Bảo Lam là gì?")
    assert not answer.abstained and "Mua sắm an toàn" in answer.answer and "30/11/2026" in answer.answer

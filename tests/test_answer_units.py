"""The extractive answer units (rag/answers/), on two small plans written in the genre's layout
(Decree 30/2020: issuer, number, place and date, KẾ HOẠCH + title, parts I., items 1., points a),
labelled task lines, a funding part, a closing formula). Expected answers are worked out by hand
from these texts."""

from __future__ import annotations

import pytest

from index.embedders import HashingEmbedder
from index.store import InMemoryStore
from index.structure import parse_plan
from lang.sentences import split_sentences
from planbot.factory import build_app
from planbot.settings import Settings
from rag import passage
from rag.slots import asked_slots, filled
from tests.conftest import offline_app

PLAN_A = """ỦY BAN NHÂN DÂN TỈNH LAM SƠN
Số: 77/KH-UBND
Lam Sơn, ngày 03 tháng 3 năm 2025
KẾ HOẠCH
Phát triển thương mại điện tử tỉnh Lam Sơn năm 2025
I. MỤC TIÊU
1. Mục tiêu đến hết năm 2026
- 80% hợp tác xã có gian hàng trên sàn thương mại điện tử.
2. Mục tiêu đến năm 2030
- 100% doanh nghiệp nhỏ và vừa bán hàng trực tuyến.
II. NHIỆM VỤ
1. Xây dựng sàn thương mại điện tử của tỉnh
a) Nội dung: Xây dựng và vận hành sàn thương mại điện tử dùng chung của tỉnh.
b) Cơ quan thực hiện:
- Đơn vị chủ trì: Sở Công Thương.
- Đơn vị phối hợp: Sở Khoa học và Công nghệ, Ủy ban nhân dân các xã, phường.
c) Thời gian thực hiện: Năm 2025 và các năm tiếp theo.
2. Đào tạo kỹ năng bán hàng trực tuyến
a) Nội dung: Mở các lớp tập huấn kỹ năng bán hàng trực tuyến cho hợp tác xã.
b) Cơ quan thực hiện:
- Đơn vị chủ trì: Liên minh Hợp tác xã tỉnh.
- Đơn vị phối hợp: Sở Công Thương.
c) Thời gian thực hiện: Năm 2025 và các năm tiếp theo.
III. KINH PHÍ THỰC HIỆN
- Ngân sách tỉnh bảo đảm theo phân cấp hiện hành.
- Nguồn xã hội hóa và các nguồn kinh phí hợp pháp khác.
IV. TỔ CHỨC THỰC HIỆN
1. Sở Công Thương
- Chủ trì theo dõi, đôn đốc việc thực hiện Kế hoạch.
- Tổng hợp kết quả, báo cáo Ủy ban nhân dân tỉnh trước ngày 15/12/2025.
2. Sở Tài chính
a) Tham mưu bố trí kinh phí thực hiện Kế hoạch.
b) Hướng dẫn các đơn vị lập dự toán.
c) Kiểm tra việc sử dụng kinh phí.
d) Tổng hợp quyết toán kinh phí.
3. Các doanh nghiệp bưu chính
- Định kỳ hằng quý báo cáo kết quả triển khai về Sở Công Thương.
Ủy ban nhân dân tỉnh yêu cầu các sở, ngành, địa phương nghiêm túc triển khai thực hiện Kế hoạch này.
Nơi nhận:
- Như trên;
- Lưu: VT.
KT. CHỦ TỊCH
PHÓ CHỦ TỊCH
Trần Văn Bình
"""

PLAN_B = """ỦY BAN NHÂN DÂN TỈNH HOA LƯ
Số: 12/KH-UBND
Hoa Lư, ngày 10 tháng 4 năm 2025
KẾ HOẠCH
Chuyển đổi số trong giáo dục tỉnh Hoa Lư năm 2025
I. NHIỆM VỤ
1. Số hóa học bạ
a) Nội dung: Số hóa học bạ của học sinh các cấp.
b) Đơn vị chủ trì: Sở Giáo dục và Đào tạo.
c) Thời gian thực hiện: Năm 2025 và các năm tiếp theo.
II. TỔ CHỨC THỰC HIỆN
1. Sở Giáo dục và Đào tạo chủ trì theo dõi, báo cáo Ủy ban nhân dân tỉnh hằng năm.
"""


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    return offline_app(tmp_path_factory.mktemp("data"), {"lam-son-2025.txt": PLAN_A, "hoa-lu-2025.txt": PLAN_B})


def ask(app, question: str):
    return app.assistant.ask(question)


def test_a_pasted_line_is_answered_with_its_items_lead_and_time(app):
    answer = ask(app, "- Đơn vị phối hợp: Sở Khoa học và Công nghệ, Ủy ban nhân dân các xã, phường.")
    assert not answer.abstained
    assert answer.citations[0].section == "II.1.b"
    assert "Sở Công Thương" in answer.answer  # the labelled lead line of the same item
    assert "Năm 2025 và các năm tiếp theo" not in answer.citations[0].quote


def test_a_pasted_line_under_an_agency_heading_names_the_agency(app):
    answer = ask(app, "- Định kỳ hằng quý báo cáo kết quả triển khai về Sở Công Thương.")
    assert answer.citations[0].section == "IV.3"
    assert "Các doanh nghiệp bưu chính" in answer.answer


def test_a_pasted_line_under_a_dated_heading_gives_the_date(app):
    answer = ask(app, "- 80% hợp tác xã có gian hàng trên sàn thương mại điện tử.")
    assert answer.citations[0].section == "I.1"
    assert "hết năm 2026" in answer.answer


def test_a_line_found_in_two_plans_is_quoted_from_both(app):
    answer = ask(app, "c) Thời gian thực hiện: Năm 2025 và các năm tiếp theo.")
    sources = {c.source for c in answer.citations}
    assert sources == {"lam-son-2025.txt", "hoa-lu-2025.txt"}
    assert "Sở Giáo dục và Đào tạo" in answer.answer  # the lead of the Hoa Lư item


def test_a_duty_question_lists_every_task(app):
    answer = ask(app, "Sở Tài chính tỉnh Lam Sơn phải làm gì?")
    assert "4 nhiệm vụ" in answer.answer
    assert [c.section for c in answer.citations] == ["IV.2"]  # the item, cited once
    assert answer.answer.count("[1]") == 1 and answer.answer.count("\n- ") == 4  # one task a line
    assert "nhiệm vụ khác" not in answer.answer


def test_funding_sources_come_whole(app):
    answer = ask(app, "Kế hoạch thương mại điện tử của Lam Sơn sử dụng những nguồn kinh phí nào?")
    assert "Ngân sách tỉnh" in answer.answer and "xã hội hóa" in answer.answer
    assert {c.section for c in answer.citations} == {"III"}


def test_an_amount_the_plan_does_not_state_is_declined(app):
    answer = ask(app, "Tổng kinh phí của Kế hoạch thương mại điện tử tỉnh Lam Sơn là bao nhiêu tỷ đồng?")
    assert answer.abstained


def test_reporting_is_quoted_whole_on_a_clean_plan(app):
    answer = ask(app, "Sở Công Thương Lam Sơn báo cáo Ủy ban nhân dân tỉnh trước ngày nào?")
    assert not answer.abstained
    assert "15/12/2025" in answer.answer and "Ủy ban nhân dân tỉnh" in answer.answer


def test_the_closing_formula_starts_the_closing():
    plan = parse_plan(PLAN_A, "lam-son-2025.txt")
    assert plan.closing is not None
    assert plan.closing.heading.startswith("Ủy ban nhân dân tỉnh yêu cầu")
    last = plan.find("IV.3")
    assert all("yêu cầu" not in line for line in last.lines)


def test_passage_helpers():
    assert passage.quoted_tokens("Cơ quan nào chủ trì số hóa học bạ?") is None  # a real question
    assert passage.quoted_tokens("b) Đơn vị chủ trì: Sở Giáo dục và Đào tạo.") is not None
    assert passage.is_time_line("c) Thời gian thực hiện: Năm 2025.")
    assert passage.is_lead_line("- Đơn vị chủ trì: Sở Công Thương.")
    assert passage.is_coop_line("- Cơ quan phối hợp: Sở Tư pháp.")
    assert not passage.is_lead_line("- Chủ trì theo dõi, đôn đốc việc thực hiện.")
    assert passage.has_time("trước ngày 15/12/2025") and not passage.has_time("Sở Công Thương")


def test_slots_asked_and_filled():
    assert asked_slots("Cơ quan nào chủ trì và thời hạn nào?") == ["deadline", "lead"]
    assert asked_slots("Báo cáo gửi về đâu, định kỳ nào?") == ["frequency", "recipient"]
    assert filled("deadline", "trước ngày 15/12/2025") and not filled("deadline", "Sở Công Thương")
    assert filled("amount", "tổng 1.500 triệu đồng") and not filled("amount", "c6 kinh phi")  # OCR digit
    assert filled("recipient", "báo cáo Ủy ban nhân dân tỉnh")
    # an OCR'd quote: "báo cáo" printed "bdo cdo"; a body without a report word fills no recipient
    assert filled("recipient", "hang thang, bdo cdo Uy ban nhan dan tinh (qua Van phong Uy ban nhan dan tinh)")
    assert not filled("recipient", "Chi cdo Uy ban nhan dan tinh")


def test_a_clause_after_a_semicolon_splits_only_before_a_capital():
    text = "Trọng tâm là địa bàn có tỷ lệ hộ nghèo cao; địa bàn đang triển khai dự án. Hoàn thành, báo cáo; Ủy ban xem xét."
    assert split_sentences(text) == [
        "Trọng tâm là địa bàn có tỷ lệ hộ nghèo cao; địa bàn đang triển khai dự án.",
        "Hoàn thành, báo cáo;", "Ủy ban xem xét."]


PLAN_C = """ỦY BAN NHÂN DÂN TỈNH NAM ĐỒNG
Số: 5/KH-UBND
Nam Đồng, ngày 02 tháng 6 năm 2025
KẾ HOẠCH
Thi đua xây dựng xã văn minh tỉnh Nam Đồng năm 2025
I. CHỈ TIÊU
1. Chỉ tiêu thi đua
a) Ít nhất 70% số xã đạt chuẩn văn minh đô thị.
II. KHEN THƯỞNG
1. Căn cứ kết quả thực hiện các chỉ tiêu tại điểm a khoản 1 Mục I Kế hoạch này, Sở Nội vụ thẩm định hồ sơ khen thưởng.
"""


def test_a_cross_reference_is_followed_and_cited(tmp_path):
    settings = Settings(_env_file=None, data_dir=tmp_path / "data", llm="none")
    app = build_app(settings, store=InMemoryStore(), embedder=HashingEmbedder(), generator=None)
    app.ingestor.ingest_texts({"nam-dong-2025.txt": PLAN_C}, progress=False)
    answer = app.assistant.ask("Sở Nội vụ tỉnh Nam Đồng thẩm định hồ sơ khen thưởng căn cứ vào đâu?")
    assert [c.section for c in answer.citations][:2] == ["II.1", "I.1.a"]
    assert "70%" in answer.answer  # what point I.1.a says, not just its name
    evidence = app.assistant.llm_evidence("Sở Nội vụ tỉnh Nam Đồng thẩm định hồ sơ khen thưởng căn cứ vào đâu?")
    assert "70%" in evidence  # the LLM reads the followed section too


def test_a_verb_after_a_place_name_is_not_a_province():
    from index.metadata import find_provinces

    assert find_provinces("Kinh phí của tỉnh Lam Sơn là bao nhiêu?") == []  # "Sơn là" is not Sơn La
    assert find_provinces("Kế hoạch của Sơn La năm 2025") == ["Sơn La"]
    assert find_provinces("ke hoach son la 2025") == ["Sơn La"]  # typed without marks
    assert find_provinces("Hung Yén, ngay 3") == ["Hưng Yên"]  # OCR drops and swaps marks


def test_a_plan_named_by_a_subject_no_plan_has_is_declined(app):
    from rag.scope import plan_topic

    assert plan_topic("Kế hoạch phát triển du lịch cộng đồng năm 2025 của tỉnh Nghệ An giao sở nào?") == "lich dong"
    assert plan_topic("Khi xây dựng kế hoạch truyền thông về quyền con người năm 2025") is None  # a task
    assert plan_topic("Kế hoạch thực hiện Nghị quyết 47/NQ-CP của tỉnh Vĩnh Phúc") is None  # by number
    answer = ask(app, "Theo Kế hoạch phát triển du lịch cộng đồng năm 2025 của tỉnh Lam Sơn, sở nào chủ trì?")
    assert answer.abstained and "Lam Sơn" in answer.answer
    # a paraphrase of an indexed plan's subject still finds it
    answer = ask(app, "Theo Kế hoạch thương mại điện tử năm 2025 của tỉnh Lam Sơn, đơn vị nào chủ trì xây dựng sàn?")
    assert not answer.abstained


def test_a_frequency_question_is_not_filled_by_the_word_periodic():
    assert not filled("frequency", "Các cơ quan gửi báo cáo định kỳ.")  # "định kỳ" names no period
    assert filled("frequency", "báo cáo định kỳ hằng quý")


TARGETS = """ỦY BAN NHÂN DÂN TỈNH LAM SƠN
Số: 88/KH-UBND
Lam Sơn, ngày 03 tháng 4 năm 2025
KẾ HOẠCH
Số hóa tài liệu lưu trữ tỉnh Lam Sơn giai đoạn 2025 - 2026
I. MỤC ĐÍCH, YÊU CẦU, CHỈ TIÊU
1. Mục đích
- Số hóa tài liệu lưu trữ có giá trị, phục vụ khai thác, sử dụng.
2. Chỉ tiêu
- Năm 2025: số hóa 1.200.000 trang tài liệu của các phông lưu trữ tại Lưu trữ lịch sử tỉnh.
- Năm 2026: số hóa thêm 1.500.000 trang tài liệu, nâng tổng số lên 2.700.000 trang.
- Đến hết năm 2026, 100% hồ sơ, tài liệu số hóa được cập nhật vào cơ sở dữ liệu và cho phép tra cứu trực tuyến theo phân quyền.
- Đến hết năm 2026, 100% cơ quan cấp tỉnh thực hiện nộp lưu hồ sơ điện tử vào Lưu trữ lịch sử tỉnh.
II. NHIỆM VỤ CỤ THỂ
1. Rà soát, thống kê tài liệu lưu trữ cần số hóa
- Cơ quan chủ trì: Trung tâm Lưu trữ lịch sử tỉnh.
- Thời gian thực hiện: Quý II/2025.
III. TỔ CHỨC THỰC HIỆN
1. Sở Nội vụ chủ trì triển khai Kế hoạch, báo cáo UBND tỉnh.
"""


def test_a_count_asked_in_a_measure_is_answered_by_the_line_counting_in_it(tmp_path):
    # "bao nhiêu trang": the line with "… 2.700.000 trang", not the lines that echo the question's
    # "Đến hết năm 2026" with another number ("100%")
    app = offline_app(tmp_path, {"lam-son-2025-so-hoa.txt": TARGETS})
    answer = ask(app, "Đến hết năm 2026, Lam Sơn đặt chỉ tiêu số hóa tổng cộng bao nhiêu trang tài liệu?")
    assert answer.citations[0].section == "I.2"
    assert "2.700.000" in answer.answer.split("[1]")[0]  # the line the answer opens with
    assert "100%" not in answer.answer  # a line counting in another measure answers nothing asked


@pytest.mark.parametrize(("lines", "last", "end"), [
    # OCR re-wrapped the sentence and left a blank line inside it
    (["1. Trung tam Luu tri lich st tinh bao cao tién d6 sé héa vé SG", "", "NOi vu hang thang, truéc ngay 25."], 0, 2),
    # a line closed by punctuation ends the quote
    (["1. Sở X báo cáo về Sở Y hằng tháng.", "", "2. Sở Z chủ trì."], 0, 0),
    # a new item or a heading in capitals is not the sentence's rest
    (["1. Sở X chủ trì", "2. Sở Z phối hợp"], 0, 0),
    (["Phần thứ năm", "", "CHẾ ĐỘ BÁO CÁO"], 0, 0),
    (["- Sở X báo cáo UBND tỉnh", "- Sở Y phối hợp"], 0, 0),
])
def test_quote_widens_to_the_sentence_end(lines: list[str], last: int, end: int) -> None:
    assert passage._sentence_end(lines, last) == end


def test_a_body_the_lexicon_lacks_is_named_repaired_from_an_ocr_plan() -> None:
    from rag.answers.common import shown_name

    assert shown_name("Trung tam Luu tri lich st tinh") == "Trung tâm Lưu trữ lịch sử tỉnh"
    assert shown_name("Sở Y tế") == "Sở Y tế" and shown_name("Cà Mau, Kiên Giang") == "Cà Mau, Kiên Giang"

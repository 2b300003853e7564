"""Yes/no reporting questions and follow-ups about a report: the body a question says the report
goes to is the premise checked ("X gửi báo cáo cho Y phải không?", "… à", "… hả?"), never the
one asked to act; a plan-naming cut keeps a body's name ("Tỉnh đoàn Bắc Ninh"); "cơ quan đó" with a
recipient named is still the body taken up from the turn before."""

from __future__ import annotations

import pytest

from rag.answers.common import checked_recipients, earlier_recipients
from rag.answers.premise import recipient_premise
from rag.conversation import body_referred, refers_to_body
from rag.prepared import Prepared
from rag.query import analyze
from rag.types import Answer, AnswerMode

CONFIRMS = [
    ("Sở Y tế chủ trì việc này đúng không?", True),
    ("VP đăng ký đất đai báo cáo kết quả cho Sở Dân tộc và Tôn giáo trước 15/11 hằng năm à", True),
    ("Sở Nội vụ chỉ đạo các đơn vị giám sát việc thực hiện chương trình hả?", True),
    ("Ai chủ trì hả?", False),  # an open question with a particle checks nothing
    ("Sở Tài chính báo cáo cho cơ quan nào à?", False),
    ("Sở X làm gì tại điểm a?", False),  # "a" is a point's letter, not the particle "à"
    ("Sở Tài chính báo cáo UBND tỉnh khi nào?", False),
]


@pytest.mark.parametrize(("question", "confirm"), CONFIRMS)
def test_a_statement_ended_by_a_particle_is_checked(question: str, confirm: bool) -> None:
    assert analyze(question).confirm is confirm


CHECKED = [
    ("UBND các huyện, thị xã, thành phố gửi báo cáo quý trực tiếp cho Sở Công Thương phải không?",
     {"Sở Công Thương"}),
    # a reporter the agency list does not know, told by the words before the verb
    ("Trung tâm Kiểm soát bệnh tật tỉnh báo cáo tình hình dịch bệnh hằng tháng cho Sở Giáo dục và Đào tạo phải không?",
     {"Sở Giáo dục và Đào tạo"}),
    ("Báo cáo UBND tỉnh hằng quý phải không?", set()),  # no reporter named: nothing to set aside
    ("UBND các huyện gửi báo cáo quý cho Sở Công Thương trước ngày nào?", set()),  # no check asked
    ("Các sở gửi kế hoạch chi tiết cho Sở Y tế trước 31/3/2025 phải không?", set()),  # the date is checked
]


@pytest.mark.parametrize(("question", "checked"), CHECKED)
def test_the_recipient_a_yes_no_question_checks(question: str, checked: set[str]) -> None:
    assert checked_recipients(analyze(question)) == checked


def _prepared(question: str, retrieval: str | None = None) -> Prepared:
    info = analyze(question)
    return Prepared(info, retrieval if retrieval is not None else info.subject)


def test_a_wrong_recipient_is_corrected_and_a_right_one_is_not() -> None:
    prepared = _prepared("UBND các huyện, thị xã, thành phố gửi báo cáo quý cho Sở Công Thương phải không?")
    elsewhere = "Theo Kế hoạch … (Mục IV, khoản 4): - Báo cáo kết quả thực hiện về UBND tỉnh (qua BQL các KCN) hằng quý."
    there = "Theo Kế hoạch … (Mục IV, khoản 4): - Báo cáo kết quả thực hiện về Sở Công Thương hằng quý."
    corrected = recipient_premise(prepared, elsewhere)
    assert corrected is not None and corrected.startswith("Không đúng") and "Sở Công Thương" in corrected
    assert recipient_premise(prepared, there) is None
    open_question = _prepared("UBND các huyện gửi báo cáo quý cho cơ quan nào?")
    assert recipient_premise(open_question, elsewhere) is None


def test_a_follow_up_keeps_the_recipient_of_the_turn_before() -> None:
    follow = _prepared("hạn của báo cáo đó là ngày nào?",
                       "hạn của báo cáo đó là ngày nào? cơ quan nào tổng hợp báo cáo tổng kết gửi UBND tỉnh?")
    assert earlier_recipients(follow) == {"Ủy ban nhân dân tỉnh"}
    alone = _prepared("Sở Tài chính gửi báo cáo cho UBND tỉnh trước ngày nào?")
    assert earlier_recipients(alone) == set()  # a question asked on its own brings no earlier turn


def test_a_body_named_with_the_province_stays_in_the_subject() -> None:
    info = analyze('Tỉnh đoàn Bắc Ninh phải báo cáo kết quả cuộc thi cho Sở Tư pháp trước ngày nào?')
    assert "Tỉnh đoàn" in info.agencies
    assert analyze("Kế hoạch tỉnh Bình Dương giai đoạn 2025 - 2027 giao ai chủ trì?").subject == "giao ai chủ trì?"


def test_the_body_taken_up_beside_a_recipient_named() -> None:
    assert refers_to_body(analyze("cơ quan đó báo cáo UBND tỉnh khi nào?"))
    assert not refers_to_body(analyze("Sở Tài chính báo cáo UBND tỉnh khi nào?"))
    previous = analyze("Trong kế hoạch chuyển đổi xanh tỉnh Bình Dương, cơ quan nào là cơ quan thường trực?")
    said = Answer(question="q", answer="…", abstained=False, mode=AnswerMode.EXTRACTIVE)
    heading = "Ban Quản lý các khu công nghiệp tỉnh"
    assert body_referred(previous, said, "cơ quan đó báo cáo UBND tỉnh khi nào?", heading) == heading
    declined = said.model_copy(update={"abstained": True})
    assert body_referred(previous, declined, "cơ quan đó báo cáo UBND tỉnh khi nào?", heading) is None


def test_a_unit_named_with_its_owner_is_not_the_owner() -> None:
    assert "Sở Tư pháp" not in analyze("Thanh tra Sở Tư pháp Bắc Ninh phải báo cáo Giám đốc Sở trong thời hạn nào?").agencies
    assert analyze("Văn phòng Sở Y tế làm gì?").agencies == ["Văn phòng Sở Y tế"]  # the unit, not its Sở
    assert analyze("Giám đốc Sở Y tế chỉ đạo gì?").agencies == ["Sở Y tế"]  # a head is the body's
    assert analyze("Sở Tư pháp báo cáo Chủ tịch UBND tỉnh khi nào?").agencies == ["Sở Tư pháp", "Ủy ban nhân dân tỉnh"]

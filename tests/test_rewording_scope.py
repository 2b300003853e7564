"""Rewordings that must not change which plan and passage answer (issue 21): a polite opening,
the plan named as a heading ("Kế hoạch Gia Lai: …"), an OCR'd plan whose year is unreadable."""

from __future__ import annotations

import pytest

from rag.query import analyze
from rag.scope import plan_topic


@pytest.mark.parametrize("opening", ["Xin hỏi: ", "Xin hỏi : ", "xin hoi, ", "Cho tôi hỏi, ", "Vui lòng cho biết ",
                                     "Làm ơn cho biết: "])
def test_a_polite_opening_is_not_part_of_what_is_asked(opening):
    question = "Sở Công Thương phải làm gì theo Kế hoạch phát triển thương mại điện tử tỉnh Gia Lai năm 2026?"
    assert analyze(opening + question).subject.lower() == analyze(question).subject.lower()


def test_words_that_only_look_like_an_opening_stay():
    assert analyze("Xin ý kiến các sở là việc của ai?").subject.startswith("Xin ý kiến")
    assert analyze("xin hoi").subject == "xin hoi"  # nothing else to ask


@pytest.mark.parametrize("question", [
    "Kế hoạch Gia Lai: quy chế quản lý, vận hành Sàn giao dịch phải được tham mưu ban hành trước ngày nào?",
    "Kế hoạch Quảng Trị: khi xác định mức độ hư hỏng nhà ở sau lũ, Sở Xây dựng phối hợp với cơ quan nào?",
    "Kế hoạch Lâm Đồng 2026: chi cục Chăn nuôi và Thú y được giao những nhiệm vụ gì?",
])
def test_a_plan_named_as_a_heading_names_no_subject(question):
    # what follows the colon is what is asked, not the plan's subject: it must not decline the
    # question as "a plan on this subject is not indexed"
    assert plan_topic(question) is None


def test_a_subject_named_before_the_question_still_counts():
    assert plan_topic("Theo Kế hoạch phát triển du lịch cộng đồng năm 2025 của tỉnh Lam Sơn, sở nào chủ trì?") == "lich dong"
    assert plan_topic("Kế hoạch phòng, chống dịch bệnh động vật Lâm Đồng: ai chủ trì?") == "phong chong dich benh vat"


def test_the_answer_is_the_same_with_a_polite_opening(sample_app):
    question = "Theo kế hoạch năm 2024 của Thừa Thiên Huế, Sở Ngoại vụ phải làm gì?"
    plain = sample_app.assistant.ask(question)
    polite = sample_app.assistant.ask("Xin hỏi: " + question)
    assert not plain.abstained and not polite.abstained
    assert [c.section for c in polite.citations] == [c.section for c in plain.citations]


def test_a_polite_opening_does_not_hide_the_year_that_names_the_plan():
    plain = analyze("Còn năm 2025 thì hạn chót gửi báo cáo là ngày nào?")
    polite = analyze("Xin hỏi: Còn năm 2025 thì hạn chót gửi báo cáo là ngày nào?")
    assert polite.years == plain.years == [2025]
    assert polite.content == plain.content  # a follow-up is told by its own words

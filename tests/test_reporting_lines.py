"""Reporting answers (issue 21): who reports to whom, by when, how often, from the line of the body
asked about, wherever the plan states it. The plan is invented in the Decree 30/2020 layout; its
items repeat the shapes of real plans (a reporting sentence whose reporters are named in the
sentence before it, a body that is only the recipient of another body's line, a point that gives
the deadline of the item's standing body). Expected answers are worked out by hand."""

from __future__ import annotations

import pytest

from tests.conftest import offline_app

PLAN = """ỦY BAN NHÂN DÂN
TỈNH AN GIANG NAM
Số: 77/KH-UBND
An Giang Nam, ngày 05 tháng 02 năm 2026
KẾ HOẠCH
Triển khai công tác phòng thủ dân sự tỉnh An Giang Nam năm 2026
I. MỤC TIÊU
1. Nâng cao năng lực ứng phó sự cố, thiên tai.
II. TỔ CHỨC THỰC HIỆN
1. Sở Nội vụ
a) Là cơ quan thường trực, chủ trì theo dõi việc triển khai Kế hoạch.
b) Hướng dẫn các xã, phường lập danh sách lực lượng xung kích.
c) Tổng hợp kết quả thực hiện, báo cáo Ủy ban nhân dân tỉnh và Bộ Nội vụ trước ngày 15/12/2026.
2. Bộ Chỉ huy Quân sự tỉnh có trách nhiệm tham mưu Ủy ban nhân dân tỉnh theo dõi, đôn đốc các sở,
ban, ngành, Ủy ban nhân dân các xã, phường triển khai thực hiện; tổng hợp báo cáo Ủy ban nhân dân
tỉnh kết quả thực hiện Kế hoạch.
3. Căn cứ nội dung Kế hoạch, các sở, ban, ngành, Ủy ban nhân dân các xã, phường xây dựng kế hoạch
của cơ quan, địa phương mình. Hằng năm báo cáo kết quả thực hiện về Ban Chỉ huy Phòng thủ dân sự
tỉnh qua Văn phòng Ban Chỉ huy Phòng thủ dân sự tỉnh.
4. Trung tâm Y tế các khu vực
a) Tổ chức sơ cứu, cấp cứu ban đầu tại chỗ.
b) Báo cáo Trung tâm Kiểm soát bệnh tật tỉnh trước ngày 15 hằng tháng.
5. Trung tâm Kiểm soát bệnh tật tỉnh
a) Tổng hợp tình hình sự cố y tế, báo cáo Sở Y tế trước ngày 20 hằng tháng.
Nơi nhận:
- Như trên;
- Lưu: VT.
KT. CHỦ TỊCH
PHÓ CHỦ TỊCH
Nguyễn Văn Nam
"""


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    return offline_app(tmp_path_factory.mktemp("data"), {"an-giang-nam-2026.txt": PLAN})


def ask(app, question: str):
    answer = app.assistant.ask(question)
    assert not answer.abstained, answer.answer
    return answer


def test_a_line_whose_reporters_are_named_in_the_sentence_before_is_theirs(app):
    answer = ask(app, "Theo kế hoạch phòng thủ dân sự của An Giang Nam, các sở, ban, ngành và Ủy ban nhân dân "
                      "các xã, phường báo cáo kết quả thực hiện về đâu và với tần suất nào?")
    assert answer.citations[0].section == "II.3"  # not II.2, which only names them as the ones followed up
    assert "Hằng năm" in answer.answer and "Ban Chỉ huy Phòng thủ dân sự" in answer.answer


def test_the_line_of_the_body_asked_about_not_one_it_receives(app):
    answer = ask(app, "Trung tâm Y tế các khu vực gửi báo cáo về đâu, trước ngày nào hằng tháng, theo kế hoạch "
                      "của An Giang Nam?")
    assert answer.citations[0].section == "II.4.b"
    assert "15 hằng tháng" in answer.answer and "20 hằng tháng" not in answer.answer


def test_a_follow_up_about_the_standing_body_finds_the_point_with_its_deadline(app):
    answer = app.assistant.ask("Cơ quan đó phải báo cáo Bộ nào, trước ngày nào?",
                               history=["Trong kế hoạch phòng thủ dân sự năm 2026 của An Giang Nam, cơ quan nào "
                                        "là cơ quan thường trực?"])
    assert not answer.abstained
    assert "Bộ Nội vụ" in answer.answer and "15/12/2026" in answer.answer
    assert "II.1.c" in [c.section for c in answer.citations]
    assert answer.answer.count("15/12/2026") == 1  # the point is quoted once


def test_who_reports_to_the_body_the_question_names_as_recipient(app):
    # the province's people's committee is the issuer too: named as where the report goes, it
    # picks the line that goes there, not the yearly one that goes to the command
    answer = ask(app, "Ai tổng hợp, báo cáo Ủy ban nhân dân tỉnh An Giang Nam kết quả thực hiện kế hoạch "
                      "phòng thủ dân sự?")
    # Sở Nội vụ (II.1.c) and the military command (II.2) both report there
    assert answer.citations[0].section in ("II.1.c", "II.2")
    assert "Ủy ban nhân dân tỉnh" in answer.answer


@pytest.mark.parametrize(("question", "recipients", "passive"), [
    ("Ai tổng hợp, báo cáo UBND tỉnh Nghệ An kết quả thực hiện?", {"Ủy ban nhân dân tỉnh"}, False),
    ("Các xã gửi kết quả về Sở Y tế trước ngày nào?", {"Sở Y tế"}, False),
    ("Sở Y tế báo cáo cho ai?", set(), False),
    ("Báo cáo được Sở Công Thương tổng hợp để trình những cơ quan nào?", set(), True),
])
def test_where_the_question_says_a_report_goes(question, recipients, passive):
    from lang.agencies import find_bodies
    from rag.answers.reporting import _passive, recipients_named
    assert recipients_named(question) == recipients
    assert _passive(question, {m.name for m in find_bodies(question)}) is passive


@pytest.mark.parametrize(("sentence", "recipients"), [
    # a committee's head, the title printed once before its name
    ("b) Định kỳ hằng tháng, trước ngày 25, báo cáo Trưởng Ban Chỉ đạo tỉnh tình hình thực hiện.",
     ["Trưởng Ban Chỉ đạo tỉnh"]),
    # a committee's working group is a body of its own
    ("- Kết quả lập bảng kê gửi về Tổ giúp việc Ban Chỉ đạo tỉnh trước ngày 31/5/2025 để tổng hợp.",
     ["Tổ giúp việc Ban Chỉ đạo tỉnh"]),
    # the issuing department's head
    ("2. Phòng Quản lý đất đai tổng hợp, báo cáo Giám đốc Sở trước ngày 25 hằng tháng.", ["Giám đốc Sở"]),
])
def test_reports_to_a_head_or_a_working_group(sentence, recipients) -> None:
    from index.obligations.actors import _Frames
    from index.obligations.records import _Place
    from index.obligations.reporting import _reporting_rows
    from lang.agencies import find_bodies
    from lang.normalize import match_tokens

    tokens = match_tokens(sentence)
    place = _Place(source="x.txt", doc_title="", section="1", section_label="", province=None, year=None)
    rows = _reporting_rows(sentence, tokens, _Frames(tokens), find_bodies(sentence), None, "", sentence, place)
    assert list(dict.fromkeys(r.recipient for r in rows)) == recipients

"""The rest of a bullet or a labelled field (rag/answers/continuing.py): a point's next sentence or
clause on the same line, or on a wrapped line, is kept when it holds what the first lacks."""

import pytest

from index.models import Chunk
from lang.normalize import match_tokens
from rag.answers.continuing import next_in_point, with_continuation


def _chunk(text: str) -> Chunk:
    return Chunk(chunk_id="c", source="p.txt", doc_title="KH", section="IV.1", section_label="Mục IV, khoản 1",
                 section_title="Sở Tư pháp", ancestors=(), start_line=1, end_line=5, text=text)


@pytest.mark.parametrize(("text", "first", "expected"), [
    # a second sentence of the same dash line
    ("1. Sở Tư pháp\n- Theo dõi, đôn đốc việc thực hiện. Trường hợp cần thiết, đề xuất thành lập Đoàn kiểm tra liên ngành.\n"
     "- Báo cáo UBND tỉnh.",
     "- Theo dõi, đôn đốc việc thực hiện.", "Trường hợp cần thiết, đề xuất thành lập Đoàn kiểm tra liên ngành."),
    # a clause after ";" that the splitter cut at a capital
    ("- Chủ trì thành lập Tổ công tác trong quý I/2026; Tổ công tác họp ít nhất 01 lần mỗi tháng.",
     "- Chủ trì thành lập Tổ công tác trong quý I/2026;", "Tổ công tác họp ít nhất 01 lần mỗi tháng."),
    # a labelled field goes on after its first sentence
    ("- Đơn vị thực hiện: Sở Y tế rà soát danh mục. Đồng thời, UBND các xã cập nhật hằng quý.\n- Thời gian: năm 2026.",
     "- Đơn vị thực hiện: Sở Y tế rà soát danh mục.", "Đồng thời, UBND các xã cập nhật hằng quý."),
    # the next dash line is another point
    ("- Theo dõi, đôn đốc việc thực hiện.\n- Đề xuất thành lập Đoàn kiểm tra.", "- Theo dõi, đôn đốc việc thực hiện.", None),
    # the next line opens a field of its own
    ("- Chủ trì: Sở Y tế.\nĐơn vị phối hợp: Bệnh viện tỉnh.", "- Chủ trì: Sở Y tế.", None),
    # the last sentence of the chunk has no continuation
    ("- Theo dõi, đôn đốc việc thực hiện. Báo cáo UBND tỉnh.", "Báo cáo UBND tỉnh.", None),
])
def test_the_next_sentence_of_a_point(text: str, first: str, expected: str | None) -> None:
    assert next_in_point(_chunk(text), first) == expected


def test_a_wrapped_field_goes_on_to_its_next_line() -> None:
    # an OCR'd line break inside a field ("… Trung tâm Y tế các\nhuyện …"): the same field
    chunk = _chunk("- Đơn vị phối hợp: Bệnh viện Sản - Nhi tỉnh; Trung tâm Y tế các\nhuyện, thị xã; Công an tỉnh.")
    sentence = chunk.facts.sentences[0].text
    following = next_in_point(chunk, sentence)
    assert following is None or "huyện" in following or "huyện" in sentence


def _coverage(words: str):
    wanted = set(match_tokens(words))
    return lambda text: len(wanted & set(match_tokens(text))) / len(wanted)


def test_kept_only_when_it_adds_what_is_asked() -> None:
    text = "- Theo dõi, đôn đốc việc thực hiện. Trường hợp cần thiết, đề xuất thành lập Đoàn kiểm tra liên ngành."
    first = "- Theo dõi, đôn đốc việc thực hiện."
    trim = lambda quote, limit: quote[:limit]  # noqa: E731
    kept = with_continuation(_chunk(text), first, first, _coverage("đôn đốc thành lập đoàn gì"), 480, trim)
    assert kept == (first, "Trường hợp cần thiết, đề xuất thành lập Đoàn kiểm tra liên ngành.")
    assert with_continuation(_chunk(text), first, first, _coverage("ai đôn đốc việc thực hiện"), 480, trim) is None


def test_a_long_first_sentence_makes_room_for_its_continuation() -> None:
    long_first = "- Đơn vị thực hiện: Sở Y tế rà soát " + "các văn bản có liên quan, " * 30 + "gửi Sở Tư pháp."
    text = long_first + " Đồng thời, UBND các xã cập nhật định kỳ."
    trim = lambda quote, limit: quote[:limit]  # noqa: E731
    kept = with_continuation(_chunk(text), long_first, long_first[:480], _coverage("rà soát cập nhật thế nào"), 480, trim)
    assert kept is not None and len(kept[0]) + len(kept[1]) < 480 and kept[1].endswith("định kỳ.")
    # no room left for a first quote worth its name: the first sentence alone
    assert with_continuation(_chunk(text), long_first, long_first[:480], _coverage("rà soát cập nhật thế nào"),
                             220, trim) is None


@pytest.mark.parametrize(("text", "first", "expected"), [
    # a field goes on to the next marker, every piece: the bodies after ";" are the field's too
    ("- Đơn vị phối hợp: Sở Tài chính; Sở Nội vụ; Trung tâm Y tế các huyện.\n- Thời gian: Quý I/2026.",
     "- Đơn vị phối hợp: Sở Tài chính;", "Sở Nội vụ; Trung tâm Y tế các huyện."),
    # wrapped over a line break (OCR) inside the field
    ("- Đơn vị phối hợp: Bệnh viện tỉnh; Trung tâm Y tế các\nhuyện, thị xã.\n- Thời gian: năm 2026.",
     "- Đơn vị phối hợp: Bệnh viện tỉnh;", "Trung tâm Y tế các huyện, thị xã."),
])
def test_a_field_is_kept_whole_whatever_is_asked(text: str, first: str, expected: str) -> None:
    trim = lambda quote, limit: quote[:limit]  # noqa: E731
    kept = with_continuation(_chunk(text), first, first, lambda _: 0.0, 480, trim)
    assert kept == (first, expected)


def test_a_bullet_that_is_no_field_needs_what_is_asked() -> None:
    text = "- Chủ trì rà soát danh mục; Sở Nội vụ phối hợp thẩm định."
    trim = lambda quote, limit: quote[:limit]  # noqa: E731
    assert with_continuation(_chunk(text), "- Chủ trì rà soát danh mục;", "- Chủ trì rà soát danh mục;",
                             lambda _: 0.0, 480, trim) is None

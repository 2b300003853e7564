"""An item titled by what it states ("3. Thành phần thực hiện", "a) Chủ đề Tháng hành động năm
2025"): the genre (Decree 30/2020) heads an item with a noun phrase and states the thing below it,
so a question that names the whole title ("Thành phần thực hiện … gồm những ai?", "Chủ đề Tháng hành
động … năm 2025 là gì?") asks what that item says, not what a passage merely mentioning it says."""

from __future__ import annotations

from index.models import Chunk
from lang.normalize import match_tokens

# how much an item whose title the question names gains over its neighbours (a slot's value gains
# rag/answers/reader.SLOT_BONUS: the title says what the item holds as surely)
TITLE_BONUS = 0.5
# a title of fewer syllables ("Mục đích", "Yêu cầu", "Kinh phí": one word) names a kind of item
# every plan has; a title's first syllables in a row are the head of its noun phrase
_TITLE_HEAD = 3


def names_title(chunk: Chunk, question_tokens: frozenset[str] | set[str], joined: str) -> bool:
    """Whether the question names the title of the chunk's own item (below a part: a part's title,
    "TỔ CHỨC THỰC HIỆN", heads every task of the plan): every word of the title, its first three syllables in
    a row (the head of the noun phrase, "thành phần thực …", "chủ đề tháng …"; "thực hiện thành
    phần hồ sơ" names no item "Thành phần thực hiện"). `joined` is the question's tokens
    joined by spaces and padded with one."""
    if "." not in chunk.section or not chunk.section_title:
        return False
    if not any(line.strip() for line in chunk.text.strip().split("\n")[1:]):
        return False  # an item of points only ("1. Ngày hội mua sắm trực tuyến" over a), b)): its points state it
    heading = chunk.facts.heading_agency
    if heading is not None and heading[1] == 0:
        return False  # a body's own item ("8. Bộ Chỉ huy Bộ đội Biên phòng tỉnh"): its tasks, not a thing stated
    words = match_tokens(chunk.section_title)
    if len(words) < _TITLE_HEAD or not set(words) <= question_tokens:
        return False
    return f" {' '.join(words[:_TITLE_HEAD])} " in joined

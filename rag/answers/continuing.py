"""The rest of a bullet or a labelled field: the genre writes one point as several sentences or
clauses on one line ("- Tổng hợp, báo cáo …; đề xuất biện pháp xử lý …. Tùy tính chất, mức độ …
thành lập Ban chỉ đạo hoặc Tổ công tác liên ngành …"; "- Cơ quan thực hiện: … Đồng thời, các sở,
ngành … tiếp tục rà soát cập nhật định kỳ …"). A quote cut after the first sentence loses the second
fact asked; the point ends at the next line that opens with a marker or a label, not at a full stop."""

from __future__ import annotations

from collections.abc import Callable

from index.models import Chunk
from lang.markers import LIST_MARKER
from lang.normalize import collapse_ws

# a continuation must add at least this share of the question's weighted terms to be worth its length
MIN_GAIN = 0.05
# the first quote keeps at least this much of itself when it makes room for its continuation
MIN_FIRST_CHARS = 200
_TERMINAL = ".;!?:"


def next_in_point(chunk: Chunk, sentence: str) -> str | None:
    """The sentence that follows `sentence` inside the same point of the chunk: on the same line,
    or on the next line when that line opens with no marker and the sentence did not end (an OCR'd
    or wrapped line break inside a field). None at the end of the point."""
    sentences = [s.text for s in chunk.facts.sentences if not s.withheld]
    wanted = collapse_ws(sentence)
    index = next((i for i, s in enumerate(sentences) if collapse_ws(s) == wanted), None)
    if index is None or index + 1 >= len(sentences):
        return None
    text = chunk.text
    end = text.find(sentences[index])
    if end < 0:
        return None
    end += len(sentences[index])
    following = sentences[index + 1]
    start = text.find(following, end)
    if start < 0 or text[end:start].strip():
        return None
    # a new line is a new point, unless it carries on a sentence left unfinished
    if "\n" in text[end:start] and (sentences[index].rstrip()[-1:] in _TERMINAL or LIST_MARKER.match(following)
                                    or _labelled(following)):
        return None
    return following


def _labelled(line: str) -> bool:
    """"Đơn vị phối hợp: …", "Thời gian thực hiện: …": a label of a few words and its colon opens a field."""
    head, colon, _ = line.partition(":")
    return bool(colon) and len(head.split()) <= 6


def with_continuation(chunk: Chunk, sentence: str, quote: str, coverage: Callable[[str], float],
                      limit: int, trim: Callable[[str, int], str]) -> tuple[str, str] | None:
    """(the first quote, its continuation) when the next sentence of the same point holds asked
    terms the quote lacks, or when the quote opens a labelled field ("- Đơn vị phối hợp: A; B …"):
    a field goes on to the next marker or label, every piece of it that fits. The first quote is
    cut (around the asked terms) to leave room for the second when the two overrun `limit`."""
    following = next_in_point(chunk, sentence)
    if following is None:
        return None
    field = _labelled(LIST_MARKER.sub("", collapse_ws(sentence), count=1))
    if field:
        pieces = [following]
        while (more := next_in_point(chunk, pieces[-1])) is not None \
                and len(quote) + sum(len(p) + 1 for p in [*pieces, more]) <= limit:
            pieces.append(more)
        following = collapse_ws(" ".join(pieces))
    else:
        following = collapse_ws(following)
    adds = coverage(quote + " " + following) >= coverage(quote) + MIN_GAIN
    if not (field or adds):
        return None
    room = limit - len(following) - 1
    if len(quote) > room:
        # the first quote is cut only for what is asked: a field's rest that adds nothing waits
        if not adds or room < MIN_FIRST_CHARS:
            return None
        quote = trim(collapse_ws(sentence), room)
    return quote, following

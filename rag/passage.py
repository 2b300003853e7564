"""Questions that quote the plan, and the context a quoted task needs to be a whole answer.

Officials often paste a line of the plan and ask about it ("d) Chủ trì triển khai … Dự án 6",
"- Thời gian thực hiện: Năm 2026 và các năm tiếp theo."), often cut mid-sentence by a copy from
a PDF. Such a question names no agency or date itself: what it asks is the *context* of the
quoted line, which the genre (Decree 30/2020 plans) always states in the same few places:
- the agency an item is for is its heading ("3. Sở Y tế", "1.2. Sở Tài chính - Cơ quan thường
  trực") or a labelled line of the item ("- Cơ quan chủ trì: …", "- Đơn vị thực hiện: …");
- the time of a task is a labelled line right after it ("Thời gian hoàn thành: Trước ngày …"),
  or the heading it sits under ("1. Mục tiêu đến hết năm 2026");
- a time line alone is about the task just before it.
This module finds the quoted span in the retrieved sections and gathers that context.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from difflib import SequenceMatcher

from index.facts import has_time, heading_label, is_coop_line, is_lead_line, is_time_line
from index.models import Chunk
from lang.markers import LIST_MARKER, LOOSE_LIST_MARKER
from lang.normalize import match_tokens

__all__ = ["has_time", "heading_agency", "heading_time", "is_coop_line", "is_lead_line", "is_time_line",
           "labelled", "locate", "quote_lines", "quoted_tokens"]

MIN_QUOTED_TOKENS = 6
MIN_COVERAGE = 0.75
# A question that asks something is not a quoted line, even when it repeats the plan's words.
# a quote widened to its sentence's end takes at most this many more lines (a run-on OCR'd page
# without a full stop must not pull in the whole section)
_MAX_CONTINUATION_LINES = 3
_SENTENCE_CLOSERS = frozenset(".;:!?")
_QUESTION_CUES = ("nao", "gi", "ai", "bao nhieu", "bao gio", "khi nao", "the nao", "sao", "khong", "chua",
                  "hay cho biet", "cho biet", "liet ke", "hoi")
def quoted_tokens(question: str) -> list[str] | None:
    """The question's tokens when it reads as a line of a plan rather than a question."""
    text = LIST_MARKER.sub("", question.strip())
    tokens = match_tokens(text)
    if len(tokens) < MIN_QUOTED_TOKENS or question.rstrip().endswith("?"):
        return None
    folded = f" {' '.join(tokens)} "
    if any(f" {cue} " in folded for cue in _QUESTION_CUES):
        return None
    return tokens


@dataclass
class PassageMatch:
    chunk: Chunk
    coverage: float  # share of the question's tokens found, in order, in the chunk
    lines: list[int] = field(default_factory=list)  # indices of the chunk's lines the quote spans

    @property
    def text_lines(self) -> list[str]:
        return self.chunk.text.split("\n")


def locate(tokens: list[str], chunks: list[Chunk]) -> list[PassageMatch]:
    """Chunks holding the quoted tokens in order (best first; ties kept: a line that a plan repeats
    under several items is answered for each of them)."""
    matches: list[PassageMatch] = []
    for chunk in chunks:
        stream: list[str] = []
        owner: list[int] = []
        for number, line_tokens in enumerate(chunk.facts.line_tokens):  # read at ingest
            stream.extend(line_tokens)
            owner.extend([number] * len(line_tokens))
        if not stream:
            continue
        matcher = SequenceMatcher(None, tokens, stream, autojunk=False)
        blocks = [b for b in matcher.get_matching_blocks() if b.size >= 2]
        matched = sum(b.size for b in blocks)
        coverage = matched / len(tokens)
        if coverage < MIN_COVERAGE:
            continue
        spanned = sorted({owner[b.b + i] for b in blocks for i in range(b.size)})
        matches.append(PassageMatch(chunk, coverage, list(range(spanned[0], spanned[-1] + 1))))
    matches.sort(key=lambda m: -m.coverage)
    return matches


def quote_lines(match: PassageMatch) -> list[str]:
    """The verbatim lines of the quote, widened to whole lines, with the task a lone time line
    belongs to and the time line that follows a task."""
    lines = match.text_lines
    labels = match.chunk.facts.line_labels
    first, last = match.lines[0], match.lines[-1]
    if labels[first] == "time" and first > 0 and labels[first - 1] != "time":
        first -= 1  # "Thời gian hoàn thành: …" is about the task just before it
    if last + 1 < len(lines) and labels[last + 1] == "time" and not has_time(" ".join(lines[first:last + 1])):
        last += 1
    last = _sentence_end(lines, last)
    return [ln for ln in lines[first:last + 1] if ln.strip()]


def _sentence_end(lines: list[str], last: int) -> int:
    """The line where the sentence the quote ends in ends: a page re-wrapped by OCR (and any hard
    wrap) goes on with the sentence on the next lines, a blank line between them at times
    ("… báo cáo tiến độ về Sở" / "" / "Nội vụ hằng tháng, trước ngày 25."). A line that closes
    with punctuation ends it; a list marker or a heading in capitals opens something new."""
    end = last
    for _ in range(_MAX_CONTINUATION_LINES):
        if lines[end].rstrip()[-1:] in _SENTENCE_CLOSERS or not lines[end].strip():
            break
        after = next((n for n in range(end + 1, min(end + 3, len(lines))) if lines[n].strip()), None)
        if after is None:
            break
        nxt = lines[after].strip()
        if LIST_MARKER.match(nxt) or LOOSE_LIST_MARKER.match(nxt) or nxt.isupper():
            break
        end = after
    return end


def labelled(chunk: Chunk, label: str) -> str | None:
    """A labelled line of the section ("- Cơ quan chủ trì: Sở …"; label "lead", "cooperating" or
    "time"), verbatim, as read at ingest."""
    return chunk.facts.labelled(label)


def heading_agency(chunk: Chunk) -> tuple[str, str] | None:
    """(agency, its section label) for the heading above the chunk that names the body its item is
    for ("3. Sở Y tế"), read at ingest (index/facts.py)."""
    found = chunk.facts.heading_agency
    return (found[0], heading_label(chunk, found[1])) if found else None


def heading_time(chunk: Chunk) -> tuple[str, str] | None:
    """(heading, its section label) for the heading above the chunk that dates it."""
    found = chunk.facts.heading_time
    return (found[0], heading_label(chunk, found[1])) if found else None

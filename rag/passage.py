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

import re
from dataclasses import dataclass, field
from difflib import SequenceMatcher

from index.agencies import find_agencies
from index.models import Chunk
from index.normalize import fold, match_tokens
from index.sentences import split_sentences

# A question that asks something is not a quoted line, even when it repeats the plan's words.
_QUESTION_CUES = ("nao", "gi", "ai", "bao nhieu", "bao gio", "khi nao", "the nao", "sao", "khong", "chua",
                  "hay cho biet", "cho biet", "liet ke", "hoi")
_LEADING_MARKER = re.compile(r"^\s*(?:[-–+•*]|\(?[0-9]{1,2}(?:\.[0-9]{1,2})*[.)]|\(?[a-zđ][.)]|[IVXLC]{1,5}\.)\s*")
# Labelled lines of a task block: "- Cơ quan chủ trì: …", "Thời gian hoàn thành: …".
_TIME_LABEL = re.compile(r"^\W*(thoi gian|thoi han|tien do|han hoan thanh|moc thoi gian)\b[^:]{0,40}:")
# (a label with nothing after its colon, "b) Cơ quan thực hiện:", heads the labelled lines below)
_LEAD_LABEL = re.compile(r"^\W*(co quan|don vi)\s+(chu tri|thuc hien|dau moi|thuong truc)\b[^:]{0,30}:\s*\w")
_COOP_LABEL = re.compile(r"^\W*(co quan|don vi)\s+phoi hop\b[^:]{0,30}:\s*\w")
_TIME_WORDS = re.compile(r"\b(nam \d{4}|\d{4}|ngay \d{1,2}|thang \d{1,2}|quy [ivx1-4]+|\d{1,2}/\d{1,2}(/\d{2,4})?|"
                         r"hang (nam|thang|quy|tuan)|dinh ky|thuong xuyen)\b")
MIN_QUOTED_TOKENS = 6
MIN_COVERAGE = 0.75


def _folded_line(line: str) -> str:
    # fold, not match_tokens: the label's colon and a date's slashes are what is looked for
    return " ".join(fold(line).split())


def _label_text(line: str) -> str:
    """The line without its point marker: "c) Thời gian thực hiện: …" is a time line too."""
    return _folded_line(_LEADING_MARKER.sub("", line.strip()))


def is_time_line(line: str) -> bool:
    return bool(_TIME_LABEL.match(_label_text(line)))


def is_lead_line(line: str) -> bool:
    return bool(_LEAD_LABEL.match(_label_text(line)))


def is_coop_line(line: str) -> bool:
    return bool(_COOP_LABEL.match(_label_text(line)))


def has_time(text: str) -> bool:
    return bool(_TIME_WORDS.search(_folded_line(text)))


def quoted_tokens(question: str) -> list[str] | None:
    """The question's tokens when it reads as a line of a plan rather than a question."""
    text = _LEADING_MARKER.sub("", question.strip())
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
        lines = chunk.text.split("\n")
        stream: list[str] = []
        owner: list[int] = []
        for number, line in enumerate(lines):
            line_tokens = match_tokens(line)
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
    first, last = match.lines[0], match.lines[-1]
    if is_time_line(lines[first]) and first > 0 and not is_time_line(lines[first - 1]):
        first -= 1  # "Thời gian hoàn thành: …" is about the task just before it
    if last + 1 < len(lines) and is_time_line(lines[last + 1]) and not has_time(" ".join(lines[first:last + 1])):
        last += 1
    return [ln for ln in lines[first:last + 1] if ln.strip()]


def sentences_of(lines: list[str]) -> list[str]:
    return [s for line in lines for s in split_sentences(line)]


def labelled(chunk: Chunk, test) -> str | None:
    """A labelled line of the section ("- Cơ quan chủ trì: Sở …"), verbatim."""
    return next((ln.strip() for ln in chunk.text.split("\n") if test(ln)), None)


# How the names of bodies begin (folded): an item headed by one of these is that body's item.
_BODY_HEADS = ("so", "ban", "uy ban", "ubnd", "cong an", "bo chi huy", "bo tu lenh", "van phong", "dai", "bao",
               "hoi", "lien doan", "lien minh", "trung tam", "kho bac", "thue", "tinh doan", "thanh doan", "doan",
               "mat tran", "cac so", "cac co quan", "cac don vi", "bo", "ngan hang", "vien kiem sat", "toa an",
               "chi cuc", "cuc", "hoi dong", "truong ban", "pho truong ban", "thanh vien", "quan khu", "canh sat",
               "bao hiem", "dai hoc", "truong", "cong ty", "tong cong ty", "chu tich", "giam doc", "thu truong",
               "doanh nghiep", "nha mang", "to chuc", "hiep hoi", "co quan", "don vi", "dia phuong")
_NAME_END = re.compile(r"\s+(?:-|–|\(|:)\s*|\s*[.:;]\s*$")


def headings(chunk: Chunk) -> list[str]:
    """The chunk's own heading (whole: section_title is cut at 70 characters) and those above
    it, nearest first."""
    first = chunk.text.split("\n", 1)[0]
    title = match_tokens(chunk.section_title)[:3]
    own = first if title and match_tokens(_LEADING_MARKER.sub("", first))[:3] == title else chunk.section_title
    return [own, *reversed(chunk.ancestors)]


def _number_word(text: str) -> bool:
    """"Số hóa học bạ", "Số lượng …": folded, "số" (number) reads like "sở" (department)."""
    first = text.split(maxsplit=1)[0] if text.split() else ""
    return first.lower().startswith("số")


def heading_label(chunk: Chunk, up: int) -> str:
    """The label of the section `up` levels above the chunk's ("Mục IV, khoản 3")."""
    parts = chunk.section_label.split(", ")
    return ", ".join(parts[: max(1, len(parts) - up)])


def heading_agency(chunk: Chunk) -> tuple[str, str] | None:
    """(agency, its section label) for a heading above the quote that names the body the item is
    for: "3. Sở Y tế", "1.2. Sở Tài chính - Cơ quan thường trực Ban Chỉ đạo" (short, led by a name)."""
    for up, heading in enumerate(headings(chunk)):
        text = _LEADING_MARKER.sub("", heading or "").strip()
        tokens = match_tokens(text)
        if not tokens or len(tokens) > 20:
            continue
        folded = " ".join(tokens)
        mentions = find_agencies(text)
        if mentions and mentions[0].start == 0:
            return mentions[0].name, heading_label(chunk, up)
        bare = re.sub(r"^(cac|nhung) ", "", folded)  # "Các doanh nghiệp viễn thông", "Các sở, ngành"
        if any(bare == head or bare.startswith(head + " ") for head in _BODY_HEADS) and not _number_word(text):
            return _NAME_END.split(text, maxsplit=1)[0].strip(), heading_label(chunk, up)
    return None


def heading_time(chunk: Chunk) -> tuple[str, str] | None:
    """(heading, its section label) for a heading above the quote that dates it
    ("1. Mục tiêu đến hết năm 2026")."""
    for up, heading in enumerate(headings(chunk)):
        text = _LEADING_MARKER.sub("", heading or "").strip()
        if text and has_time(text) and len(match_tokens(text)) <= 16:
            return text, heading_label(chunk, up)
    return None

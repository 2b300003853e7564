"""What each section says, read once when its plan is ingested and stored with its chunk.

For every chunk: its sentences (verbatim, with the line each starts on and its matching tokens),
its lines' matching tokens and labels ("- Cơ quan chủ trì: …" lead, "- Cơ quan phối hợp: …"
cooperating, "Thời gian hoàn thành: …" time), the terms of the headings above it, the body its
heading names ("3. Sở Y tế") and the time its heading gives ("1. Mục tiêu đến hết năm 2026").
Sentences addressed to an AI (index/injection.py) are marked withheld here, with the sentence
after each (SECURITY.md: neither is ever picked or quoted), also across a chunk boundary.
The question path reads these instead of splitting, folding and searching section text again
for every question (rag/answers/reader.py, rag/passage.py).
"""

from __future__ import annotations

import json
import re
from bisect import bisect_right
from dataclasses import dataclass, replace
from functools import cached_property
from typing import TYPE_CHECKING

from index.injection import scan_text
from index.items import ItemSlot, dash_times, read_items
from index.ocr_repair import display_form, looks_ocr_damaged_snippet
from lang.agencies import find_agencies
from lang.dates import DAY, MONTH, YEAR, day_month
from lang.markers import LIST_MARKER
from lang.normalize import fold, match_tokens, remembered, search_terms
from lang.sentences import split_sentences

if TYPE_CHECKING:  # index.models reads this module (Chunk.facts), so its types only
    from index.models import Chunk

FACTS_VERSION = 5  # 3: withheld sentences (a flagged injection and the sentence after it); 4: OCR'd labels;
# 5: the record of the item a chunk belongs to and the time line of each dash (index/items.py); an OCR'd
# heading's body name read back by the repair model; a semicolon inside a parenthesis ends no sentence

# Labelled lines of a task block: "- Cơ quan chủ trì: …", "Thời gian hoàn thành: …".
_TIME_LABEL = re.compile(r"^\W*(thoi gian|thoi han|tien do|han hoan thanh|moc thoi gian)\b[^:]{0,40}:")
# (a label with nothing after its colon, "b) Cơ quan thực hiện:", heads the labelled lines below)
_LEAD_LABEL = re.compile(r"^\W*(co quan|don vi)\s+(chu tri|thuc hien|dau moi|thuong truc)\b[^:]{0,30}:\s*\w")
_COOP_LABEL = re.compile(r"^\W*(co quan|don vi)\s+phoi hop\b[^:]{0,30}:\s*\w")
_TIME_WORDS = re.compile(rf"\b(nam {YEAR}|{YEAR}|ngay {DAY}|thang {MONTH}|thang [a-z]+ nam|quy [ivx1-4]+|"
                         rf"{day_month(sep='/', capture=False)}(/\d{{2,4}})?|hang (nam|thang|quy|tuan|ngay)|dinh ky|"
                         r"thuong xuyen|dot xuat)\b")


def _folded_line(line: str) -> str:
    # fold, not match_tokens: the label's colon and a date's slashes are what is looked for
    return " ".join(fold(line).split())


def _label_text(line: str) -> str:
    """The line without its point marker: "c) Thời gian thực hiện: …" is a time line too. The
    label before the colon is read as its matching words, so an OCR'd label ("Co quan ph6i hop:",
    "Thoi gian thuc hién:") is the label it prints."""
    body = LIST_MARKER.sub("", line.strip())
    head, colon, rest = body.partition(":")
    if not colon or len(head) > 60:
        return _folded_line(body)
    return " ".join(f"{' '.join(match_tokens(head))}:{fold(rest)}".split())


def is_time_line(line: str) -> bool:
    return bool(_TIME_LABEL.match(_label_text(line)))


def is_lead_line(line: str) -> bool:
    return bool(_LEAD_LABEL.match(_label_text(line)))


def is_coop_line(line: str) -> bool:
    return bool(_COOP_LABEL.match(_label_text(line)))


# A labelled time field anywhere in a text, its value given ("— Thời gian dự kiến hoàn thành: Khi có
# phát sinh", "Thời gian thực hiện: Sau khi Nghị định … ban hành"): the genre writes times as events
# and conditions, and whatever the plan puts in its time field is the time it sets.
_TIME_FIELD = re.compile(r"\b(thoi gian|thoi han|tien do|han hoan thanh|moc thoi gian)\b[^:.;]{0,40}:\s*[a-z0-9]")


def has_time_field(text: str) -> bool:
    return bool(_TIME_FIELD.search(_folded_line(text)))


# a standard's or regulation's edition year ("TCVN 14423:2025", "QCVN 01:2020/BCT", "ISO 9001:2015"):
# part of a name, not a time
_EDITION = re.compile(r"\b\d+\s?:\s?(?:19|20)\d\d\b")


def has_time(text: str) -> bool:
    return bool(_TIME_WORDS.search(_EDITION.sub(" ", _folded_line(text))))



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
    own = first if title and match_tokens(LIST_MARKER.sub("", first))[:3] == title else chunk.section_title
    return [own, *reversed(chunk.ancestors)]


def _number_word(text: str) -> bool:
    """"Số hóa học bạ", "Số lượng …": folded, "số" (number) reads like "sở" (department)."""
    first = text.split(maxsplit=1)[0] if text.split() else ""
    return first.lower().startswith("số")


def heading_label(chunk: Chunk, up: int) -> str:
    """The label of the section `up` levels above the chunk's ("Mục IV, khoản 3")."""
    parts = chunk.section_label.split(", ")
    return ", ".join(parts[: max(1, len(parts) - up)])


def heading_agency_of(chunk: Chunk) -> tuple[str, int] | None:
    """(agency, its section label) for a heading above the quote that names the body the item is
    for: "3. Sở Y tế", "1.2. Sở Tài chính - Cơ quan thường trực Ban Chỉ đạo" (short, led by a name)."""
    for up, heading in enumerate(headings(chunk)):
        name = remembered("heading_agency", _heading_agency, heading)  # the chunks under it ask again
        if name is not None:
            return name, up
    return None


def _heading_agency(heading: str | None) -> str | None:
    text = LIST_MARKER.sub("", heading or "").strip()
    tokens = match_tokens(text)
    if not tokens or len(tokens) > 20:
        return None
    folded = " ".join(tokens)
    mentions = find_agencies(text)
    if mentions and mentions[0].start == 0:
        return mentions[0].name
    bare = re.sub(r"^(cac|nhung) ", "", folded)  # "Các doanh nghiệp viễn thông", "Các sở, ngành"
    if any(bare == head or bare.startswith(head + " ") for head in _BODY_HEADS) and not _number_word(text):
        return _readable_name(_NAME_END.split(text, maxsplit=1)[0].strip())
    return None


def _readable_name(name: str) -> str:
    """A body's name as printed, or, OCR'd ("Van phong So", "Phong Ky thuat an toan"), as the repair
    model reads it back ("Văn phòng Sở"), so the name asked in a question is the name the heading
    gives: the repair is taken only where its matching words are the printed ones (the same
    OCR-tolerant reading the search does), never a different body."""
    if not looks_ocr_damaged_snippet(name):
        return name
    repaired = display_form(name, from_ocr=True)
    return repaired if match_tokens(repaired) == match_tokens(name) else name


def heading_time_of(chunk: Chunk) -> tuple[str, int] | None:
    """(heading, its section label) for a heading above the quote that dates it
    ("1. Mục tiêu đến hết năm 2026")."""
    for up, heading in enumerate(headings(chunk)):
        text = remembered("heading_time", _heading_time, heading)
        if text is not None:
            return text, up
    return None


def _heading_time(heading: str | None) -> str | None:
    text = LIST_MARKER.sub("", heading or "").strip()
    return text if text and has_time(text) and len(match_tokens(text)) <= 16 else None


@dataclass(frozen=True)
class SentenceFacts:
    text: str  # verbatim
    line: int  # index of the chunk line it starts on
    tokens: tuple[str, ...]  # matching tokens (folded, OCR-repaired)
    withheld: bool = False  # instruction-like, or the sentence after one: never picked nor quoted


@dataclass(frozen=True)
class ChunkFacts:
    """Stored compactly: the chunk's token stream once, sentences and lines as ranges into it."""

    text: str
    tokens: tuple[str, ...]  # matching tokens of the whole chunk, line after line
    line_ends: tuple[int, ...]  # token count up to the end of each line
    spans: tuple[tuple[int, int, int, int], ...]  # per sentence: characters [c0, c1), tokens [t0, t1)
    line_labels: tuple[str, ...]  # per chunk line: "time", "lead", "cooperating" or ""
    heading_tokens: tuple[str, ...]  # the headings above the chunk (its own title included)
    heading_agency: tuple[str, int] | None  # (body, how many levels above the chunk)
    heading_time: tuple[str, int] | None  # (heading text, levels above)
    withheld: tuple[int, ...] = ()  # indexes of the withheld sentences
    item: tuple[ItemSlot, ...] = ()  # the record of the item the chunk is (or is a field of)
    dash_time: tuple[tuple[int, int], ...] = ()  # (task line, its own time line written under it)

    @cached_property
    def sentences(self) -> tuple[SentenceFacts, ...]:
        withheld = set(self.withheld)
        return tuple(SentenceFacts(self.text[c0:c1], bisect_right(self.line_ends, t0) if t0 < t1 else 0,
                                   self.tokens[t0:t1], i in withheld)
                     for i, (c0, c1, t0, t1) in enumerate(self.spans))

    def withholds(self, text: str) -> bool:
        """Whether text (a quote, a register row's sentence) overlaps a withheld sentence."""
        if not self.withheld:
            return False
        said = " ".join(text.split())
        for sentence in self.sentences:
            if sentence.withheld:
                held = " ".join(sentence.text.split())
                if held and (held in said or said in held):
                    return True
        return False

    @cached_property
    def line_tokens(self) -> tuple[tuple[str, ...], ...]:
        starts = (0, *self.line_ends[:-1])
        return tuple(self.tokens[a:b] for a, b in zip(starts, self.line_ends, strict=True))

    @cached_property
    def heading_terms(self) -> frozenset[str]:
        return frozenset(search_terms(list(self.heading_tokens)))

    def labelled(self, label: str) -> str | None:
        lines = self.text.split("\n")
        return next((lines[i].strip() for i, kind in enumerate(self.line_labels) if kind == label), None)

    def to_json(self) -> str:
        return json.dumps({"v": FACTS_VERSION, "w": " ".join(self.tokens), "e": list(self.line_ends),
                           "s": [list(span) for span in self.spans], "k": list(self.line_labels),
                           "h": " ".join(self.heading_tokens), "a": self.heading_agency, "t": self.heading_time,
                           "x": list(self.withheld), "d": [list(p) for p in self.dash_time],
                           "r": [[s.slot, s.section, s.line, int(s.inherited)] for s in self.item]},
                          ensure_ascii=False, separators=(",", ":"))

    @classmethod
    def from_json(cls, raw: str, text: str) -> ChunkFacts | None:
        try:
            data = json.loads(raw)
            if data.get("v") != FACTS_VERSION:
                return None
            return cls(text=text, tokens=tuple(data["w"].split()), line_ends=tuple(data["e"]),
                       spans=tuple(tuple(span) for span in data["s"]), line_labels=tuple(data["k"]),
                       heading_tokens=tuple(data["h"].split()),
                       heading_agency=(data["a"][0], int(data["a"][1])) if data.get("a") else None,
                       heading_time=(data["t"][0], int(data["t"][1])) if data.get("t") else None,
                       withheld=tuple(int(i) for i in data.get("x", ())),
                       dash_time=tuple((int(a), int(b)) for a, b in data.get("d", ())),
                       item=tuple(ItemSlot(r[0], r[1], r[2], bool(r[3])) for r in data.get("r", ())))
        except (ValueError, KeyError, TypeError, AttributeError, IndexError):
            return None  # unreadable: read the text again


def _label(line: str) -> str:
    if ":" not in line:  # every label ends with its colon, and folding makes no colon
        return ""
    text = _label_text(line)  # once for the three tests (is_time_line, is_lead_line, is_coop_line)
    return "time" if _TIME_LABEL.match(text) else "lead" if _LEAD_LABEL.match(text) else \
        "cooperating" if _COOP_LABEL.match(text) else ""


def read_chunk(chunk: Chunk, after_flagged: bool = False) -> ChunkFacts:
    """Everything the question path needs from a chunk's text, read once. after_flagged: the
    chunk before it in the plan ends with a flagged sentence, so this chunk's first sentence is
    the one after it (withheld too)."""
    return _read_chunk(chunk, after_flagged)[0]


def _read_chunk(chunk: Chunk, after_flagged: bool) -> tuple[ChunkFacts, bool]:
    """read_chunk, and whether the chunk's last sentence is flagged by its own text."""
    text = chunk.text
    lines = text.split("\n")
    tokens: list[str] = []
    line_ends: list[int] = []
    line_starts: list[int] = []  # character offset of each line
    position = 0
    for line in lines:
        line_starts.append(position)
        position += len(line) + 1
        tokens.extend(match_tokens(line))
        line_ends.append(len(tokens))
    spans: list[tuple[int, int, int, int]] = []
    cursor = 0
    for sentence in split_sentences(text):
        # sentences are verbatim pieces in order (whitespace at joins may differ): find each
        at = text.find(sentence, cursor)
        if at < 0:
            at = text.find(sentence.split()[0], cursor) if sentence.split() else cursor
            at = cursor if at < 0 else at
        line_no = bisect_right(line_starts, at) - 1
        t0 = (line_ends[line_no - 1] if line_no else 0) + len(match_tokens(text[line_starts[line_no]:at]))
        t1 = min(len(tokens), t0 + len(match_tokens(sentence)))
        end = at + len(sentence) if text.startswith(sentence, at) else min(len(text), at + len(sentence))
        spans.append((at, end, min(t0, t1), t1))
        cursor = end
    # a flag covers the instruction's sentence and the next one (index/injection._sentence_span)
    flags = scan_text(text)
    withheld = {i for i, (c0, c1, _, _) in enumerate(spans) if any(f.start < c1 and c0 < f.end for f in flags)}
    ends_flagged = bool(spans) and len(spans) - 1 in withheld
    if after_flagged and spans:
        withheld.add(0)
    return ChunkFacts(
        text=text, tokens=tuple(tokens), line_ends=tuple(line_ends), spans=tuple(spans),
        line_labels=tuple(_label(line) for line in lines),
        heading_tokens=tuple(match_tokens(" ".join([*chunk.ancestors, chunk.section_title]))),
        heading_agency=heading_agency_of(chunk), heading_time=heading_time_of(chunk),
        withheld=tuple(sorted(withheld)), dash_time=dash_times(lines)), ends_flagged


def read_plan_chunks(chunks: list[Chunk]) -> list[ChunkFacts]:
    """read_chunk of a plan's chunks in reading order: a flagged sentence that ends a chunk
    withholds the first sentence of the next one (the sentence after it)."""
    out: list[ChunkFacts] = []
    carry = False
    for chunk in chunks:
        # only a flag in the chunk's own text carries over (no chain of carried sentences)
        facts, carry = _read_chunk(chunk, after_flagged=carry)
        out.append(facts)
    records = read_items(chunks, [(f.heading_time, f.heading_agency) for f in out])
    return [replace(facts, item=record) for facts, record in zip(out, records, strict=True)]


def facts_of(chunk: Chunk) -> ChunkFacts:
    """The chunk's stored facts, or read now for a chunk indexed before they were stored."""
    stored = ChunkFacts.from_json(chunk.facts_json, chunk.text) if chunk.facts_json else None
    return stored if stored is not None else read_chunk(chunk)

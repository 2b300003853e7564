"""From positioned lines of pages (a PDF's text layer or Tesseract's output) to plan text.

What a page carries besides the plan — page numbers, running headers and footers — is dropped;
lines wrapped by the page width are joined back into their paragraph (so a heading or a sentence
is one line again, as in the plan's own text); tables become one line per row, cells joined by
" | ". Pages are separated by a line holding a form feed ("\\f"), which is how a chunk's page
number is found later. Every output line is text that was on the page, in reading order; only
line breaks inside a paragraph become spaces.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from lang.normalize import fold

PAGE_BREAK = "\f"
CELL_SEPARATOR = " | "

# Lines that start a new paragraph whatever the layout: list dashes, part/item/point numbers.
_STARTS_BLOCK = re.compile(
    r"^(?:[-–—+•*▪●◦○]|[IVXLCM]{1,5}\s*\.\s|\d{1,2}(?:\.\d{1,2})*\.?\s|[a-zđ]\s*\)|\(\d{1,2}\)|"
    r"(?:Điều|Chương|Mục|Phần|PHỤ LỤC|Phụ lục)\s)"
)
_PAGE_NUMBER = re.compile(r"^[-–—\s]*(?:(?:trang|page)\s*)?\d{1,4}(?:\s*/\s*\d{1,4})?[-–—\s]*$", re.IGNORECASE)
_TERMINAL = (".", ":", "!", "?")
# Share of the page height at the top and at the bottom where running headers and footers live.
FURNITURE_BAND = 0.09


@dataclass
class Line:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    block: int = 0  # Tesseract's block number; 0 for a PDF text layer

    @property
    def height(self) -> float:
        return max(self.bottom - self.top, 1e-6)


@dataclass
class Table:
    top: float
    bottom: float
    rows: list[list[str]]

    @property
    def columns(self) -> int:
        return max((len(r) for r in self.rows), default=0)


@dataclass
class PageContent:
    """One page as read: its lines and tables with positions (page units), and how it was read."""

    number: int
    width: float
    height: float
    lines: list[Line] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    method: str = "text"  # text | ocr | blank | skipped (over the OCR page cap)


def _furniture_key(text: str) -> str:
    """Running headers differ only by their page number: compare them without digits."""
    return re.sub(r"\d+", "#", fold(text).strip())


def drop_furniture(pages: Sequence[PageContent]) -> None:
    """Remove page numbers anywhere in the top or bottom band, and lines repeated in that band
    on at least two pages and three tenths of them (running headers and footers)."""
    def in_band(page: PageContent, line: Line) -> bool:
        return line.bottom <= page.height * FURNITURE_BAND or line.top >= page.height * (1 - FURNITURE_BAND)

    counts: Counter[str] = Counter()
    for page in pages:
        counts.update({_furniture_key(ln.text) for ln in page.lines if in_band(page, ln)})
    threshold = max(2, 0.3 * len(pages))
    repeated = {key for key, n in counts.items() if n >= threshold and key}
    for page in pages:
        page.lines = [
            ln for ln in page.lines
            if not (in_band(page, ln) and (_PAGE_NUMBER.match(ln.text) or _furniture_key(ln.text) in repeated))
        ]


def _first_word(text: str) -> str:
    return text.split(maxsplit=1)[0] if text.split() else ""


def join_wrapped(first: str, second: str) -> str:
    """Join a line and the next line of the same paragraph. A soft hyphen at the end is dropped;
    a hyphen glued to the last word ("kinh tế-", "57-") is kept and the word goes on without a
    space ("kinh tế-xã hội", "57-KL/TW"); otherwise the line break becomes a space."""
    if first.endswith("\u00ad"):
        return first[:-1] + second
    if first.endswith("-") and len(first) > 1 and not first[-2].isspace():
        return first + second
    return f"{first} {second}"


@dataclass(frozen=True)
class Margins:
    """Where the body text starts and ends, as shares of the page width (measured over the
    whole document: a last page of short lines would otherwise look full)."""

    left: float
    right: float

    @classmethod
    def measure(cls, pages: Sequence[PageContent]) -> Margins | None:
        lefts: list[float] = []
        rights: list[float] = []
        for page in pages:
            body = [ln for ln in page.lines if len(ln.text) >= 12]
            lefts += [ln.x0 / page.width for ln in body if page.width]
            rights += [ln.x1 / page.width for ln in body if page.width]
        if not lefts:
            return None
        return cls(_percentile(lefts, 0.2), _percentile(rights, 0.9))


def _page_margins(lines: Sequence[Line], width: float, margins: Margins | None) -> tuple[float, float]:
    if margins is not None and width:
        return margins.left * width, margins.right * width
    body = [ln for ln in lines if len(ln.text) >= 12] or list(lines)
    return _percentile([ln.x0 for ln in body], 0.2), _percentile([ln.x1 for ln in body], 0.9)


def reflow(lines: Sequence[Line], width: float = 0.0, margins: Margins | None = None) -> list[str]:
    """Join lines that the page width wrapped back into paragraphs.

    Line i and line i+1 are one paragraph when the first word of line i+1 would not have fitted
    at the end of line i (so the width, not the author, broke the line), line i+1 starts at the
    left margin (no first-line indent) and not with a list dash or a numbering marker, and the
    gap between them is a line gap rather than a paragraph gap.
    """
    if not lines:
        return []
    left, right = _page_margins(lines, width, margins)
    out: list[str] = []
    previous: Line | None = None
    for line in lines:
        text = line.text.strip()
        if not text:
            continue
        if previous is not None and out and _continues(previous, line, text, left, right):
            out[-1] = join_wrapped(out[-1], text)
        else:
            out.append(text)
        previous = line
    return out


def _char_width(line: Line) -> float:
    return (line.x1 - line.x0) / max(len(line.text.strip()), 1)


def _wrapped(previous: Line, text: str, right: float) -> bool:
    """The next line's first word would not have fitted at the end of `previous`: the page
    width broke the line, not the author."""
    char_width = _char_width(previous)
    needed = (len(_first_word(text)) + 1) * char_width
    if right - previous.x1 > needed + char_width:
        return False
    # A full line ending a sentence followed by a capitalised line is as likely a new paragraph.
    return not (previous.text.strip().endswith(_TERMINAL) and text[:1].isupper())


def _flush_left(line: Line, text: str, left: float, char_width: float) -> bool:
    """The line starts at the left margin and not with a dash or a numbering marker."""
    return not _STARTS_BLOCK.match(text) and line.x0 <= left + 2.5 * char_width


def _continues(previous: Line, line: Line, text: str, left: float, right: float) -> bool:
    if line.block != previous.block or not _flush_left(line, text, left, _char_width(previous)):
        return False
    if line.top - previous.bottom > 0.9 * previous.height:
        return False  # a paragraph gap
    return _wrapped(previous, text, right)


def continues_on_next_page(previous: PageContent, page: PageContent, margins: Margins | None) -> bool:
    """The last paragraph of `previous` goes on at the top of `page` (a sentence cut by the
    page break): the last line is full and the next page's first line is not indented."""
    if not previous.lines or not page.lines:
        return False
    last = max(previous.lines, key=lambda ln: ln.bottom)
    first = min(page.lines, key=lambda ln: ln.top)
    if any(t.bottom > last.top for t in previous.tables) or any(t.top < first.top for t in page.tables):
        return False  # a table ends the page or starts the next one
    text = first.text.strip()
    if not text or not last.text.strip():
        return False
    _, right = _page_margins(previous.lines, previous.width, margins)
    left, _ = _page_margins(page.lines, page.width, margins)
    scale = page.width / previous.width if previous.width else 1.0
    return _flush_left(first, text, left, _char_width(last) * scale) and _wrapped(last, text, right)


def _percentile(values: Sequence[float], q: float) -> float:
    if len(values) == 1:
        return values[0]
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


def clean_cell(text: str | None) -> str:
    """A table cell on one line: its wrapped lines joined, "|" kept apart from the separator."""
    if not text:
        return ""
    parts = [p.strip() for p in text.replace("\r", "\n").split("\n") if p.strip()]
    joined = ""
    for part in parts:
        joined = join_wrapped(joined, part) if joined else part
    return re.sub(r"\s+", " ", joined).replace(" | ", " / ")


def table_lines(rows: Sequence[Sequence[str]]) -> list[str]:
    return [CELL_SEPARATOR.join(row) for row in rows if any(cell.strip() for cell in row)]


def merge_continued_tables(pages: Sequence[PageContent]) -> None:
    """A table running over a page break: drop the header row the next page repeats, and put a
    row cut by the break (first cell empty) back together with its first half."""
    for previous, page in zip(pages, pages[1:], strict=False):
        if not previous.tables or not page.tables:
            continue
        last, first = previous.tables[-1], page.tables[0]
        last_line_after = any(ln.top > last.bottom for ln in previous.lines)
        first_line_before = any(ln.bottom < first.top for ln in page.lines)
        if last_line_after or first_line_before or last.columns != first.columns or not last.rows:
            continue
        if first.rows and [c.strip() for c in first.rows[0]] == [c.strip() for c in last.rows[0]]:
            first.rows = first.rows[1:]  # the repeated header row
        if first.rows and not first.rows[0][0].strip() and len(last.rows) > 1:
            cut = first.rows.pop(0)
            last.rows[-1] = [join_wrapped(a, b) if a and b else a or b
                             for a, b in zip(last.rows[-1], cut, strict=False)]


def page_lines(page: PageContent, margins: Margins | None = None) -> list[str]:
    """The page's text: paragraphs and tables in reading order (tables as blocks of row lines)."""
    items: list[tuple[float, list[str]]] = []
    pending: list[Line] = []
    tables = sorted(page.tables, key=lambda t: t.top)
    t = 0
    for line in sorted(page.lines, key=lambda ln: ln.top) if page.tables else page.lines:
        while t < len(tables) and tables[t].top <= line.top:
            if pending:
                items.append((pending[0].top, reflow(pending, page.width, margins)))
                pending = []
            items.append((tables[t].top, ["", *table_lines(tables[t].rows), ""]))
            t += 1
        pending.append(line)
    if pending:
        items.append((pending[0].top, reflow(pending, page.width, margins)))
    for table in tables[t:]:
        items.append((table.top, ["", *table_lines(table.rows), ""]))
    return [line for _, block in items for line in block]


def assemble(pages: Sequence[PageContent]) -> str:
    """All pages as plan text, a form-feed line between pages, at most one blank line in a row."""
    drop_furniture(pages)
    merge_continued_tables(pages)
    margins = Margins.measure(pages)
    out: list[str] = []
    for index, page in enumerate(pages):
        lines = page_lines(page, margins)
        if index:
            while out and not out[-1]:
                out.pop()
            if lines and out and out[-1] != PAGE_BREAK and continues_on_next_page(pages[index - 1], page, margins):
                # the paragraph is whole again; the page break follows it, so it counts on the
                # page where it starts (the page a citation of it names)
                out[-1] = join_wrapped(out[-1], lines[0])
                lines = lines[1:]
            out.append(PAGE_BREAK)
        for line in lines:
            if line or (out and out[-1] not in ("", PAGE_BREAK)):
                out.append(line)
    while out and not out[-1]:
        out.pop()
    return "\n".join(out) + "\n"

"""One chunk per section; long sections split between dash items, never inside a sentence.

langchain's RecursiveCharacterTextSplitter is not used here: OCR'd plans are hard-wrapped, so its
newline separators cut sentences, and its size fallback cuts words. Splitting on the plan's own
units (dash items, paragraphs, then sentence ends) and keeping whole lines keeps every chunk a
verbatim span of the file, which is what citations quote.

Table rows (" | "-separated lines, as the DOCX and PDF readers write tables) are units of their
own, never split; a chunk holding rows but not their table's header row carries the header in
its search text (as its last ancestor). A chunk's page is one plus the number of page breaks
(form feeds) before its first line.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import replace

from index.facts import read_plan_chunks
from index.models import Chunk, ParsedPlan, Section
from index.tables import PAGE_BREAK, is_table_line, joined_headers, table_headers

MAX_CHUNK_CHARS = 1400
_DASH = re.compile(r"^\s*[-–—+•*]\s*\S")
_SENTENCE_END = re.compile(r"(?<=[.;:!?])\s+(?=[A-ZĐÀ-Ỹ\-–+•(\"“])")


def _units(section: Section) -> list[tuple[int, int, str]]:
    """(first line, last line, text) of each dash item or paragraph of a section's own text."""
    units: list[tuple[int, int, list[str]]] = []
    after_row = False  # the previous non-blank line was a table row: whatever follows starts anew
    for offset, line in enumerate(section.lines):
        number = section.start_line + offset
        row = is_table_line(line)
        starts_unit = not units or row or after_row or bool(_DASH.match(line)) or (
            not line.strip() and units[-1][2] and units[-1][2][-1].rstrip().endswith((".", ";", ":"))
        )
        if line.strip():
            after_row = row
        if starts_unit and line.strip():
            units.append((number, number, [line]))
        elif units:
            first, _, lines = units[-1]
            lines.append(line)
            units[-1] = (first, number if line.strip() else units[-1][1], lines)
        else:
            units.append((number, number, [line]))
    return [(a, b, "\n".join(lines).strip("\n" + PAGE_BREAK)) for a, b, lines in units if "".join(lines).strip()]


def _split_long(first: int, last: int, text: str) -> list[tuple[int, int, str]]:
    if len(text) <= MAX_CHUNK_CHARS or (first == last and is_table_line(text)):  # a row stays whole
        return [(first, last, text)]
    pieces: list[tuple[int, int, str]] = []
    buffer = ""
    line = first
    start_line = first
    for sentence in _SENTENCE_END.split(text):
        if buffer and len(buffer) + len(sentence) + 1 > MAX_CHUNK_CHARS:
            pieces.append((start_line, line, buffer))
            buffer, start_line = "", line
        buffer = f"{buffer} {sentence}" if buffer else sentence
        line += sentence.count("\n")
    if buffer:
        pieces.append((start_line, last, buffer))
    return pieces


def _pack(units: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    packed: list[tuple[int, int, str]] = []
    for first, last, text in units:
        for piece in _split_long(first, last, text):
            if packed and len(packed[-1][2]) + len(piece[2]) + 1 <= MAX_CHUNK_CHARS:
                a, _, t = packed[-1]
                packed[-1] = (a, piece[1], f"{t}\n{piece[2]}")
            else:
                packed.append(piece)
    return packed


def page_numbers(lines: list[str]) -> list[int] | None:
    """The page of each line (1-based), counting form feeds before the line's first visible
    character; None for a text without page breaks (a plain .txt plan)."""
    if not any(PAGE_BREAK in line for line in lines):
        return None
    pages: list[int] = []
    page = 1
    for line in lines:
        lead = line[: len(line) - len(line.lstrip())]
        page += lead.count(PAGE_BREAK)
        pages.append(page)
        page += line[len(lead):].count(PAGE_BREAK)
    return pages


def chunk_plan(plan: ParsedPlan) -> list[Chunk]:
    chunks: list[Chunk] = []
    meta = plan.meta
    lines = plan.text.split("\n")
    headers = table_headers(lines)
    header_texts = joined_headers(lines)  # a header OCR wrapped over lines, whole
    pages = page_numbers(lines)
    refs: dict[str, list] = {}
    for ref in plan.xrefs:
        if ref.targets:
            refs.setdefault(ref.section, []).append(ref)
    for section in plan.sections():
        if section.path == "preamble" and plan.header_lines and section.start_line == 1:
            # the header block is the plan's metadata (documents listing), not a passage to quote
            section = replace(section, start_line=plan.header_lines + 1, lines=section.lines[plan.header_lines:])
        units = _units(section)
        if not units:
            continue
        heading_chain = [a.heading for a in section.ancestors()]
        for index, (first, last, text) in enumerate(_pack(units)):
            ancestors = heading_chain + ([section.heading] if index and section.heading else [])
            own = range(first - 1, last)
            ancestors += list(dict.fromkeys(header_texts[i] for i in sorted(own)
                                            if i in headers and headers[i] not in own))
            digest = hashlib.sha1(f"{meta.source}|{section.path}|{index}|{text}".encode()).hexdigest()
            chunks.append(
                Chunk(
                    chunk_id=f"{meta.source}#{section.path}#{index}-{digest[:8]}",
                    source=meta.source,
                    doc_title=meta.title,
                    section=section.path,
                    section_label=section.label,
                    section_title=section.title,
                    ancestors=tuple(ancestors),
                    start_line=first,
                    end_line=last,
                    text=text,
                    province=meta.province,
                    year=meta.year,
                    page=pages[first - 1] if pages and first - 1 < len(pages) else None,
                    xrefs=tuple(dict.fromkeys(t for r in refs.get(section.path, ()) if first <= r.line <= last
                                              for t in r.targets)),
                )
            )
    # what each section says, read once here and stored with it (index/facts.py)
    return [replace(c, facts_json=facts.to_json()) for c, facts in zip(chunks, read_plan_chunks(chunks), strict=True)]

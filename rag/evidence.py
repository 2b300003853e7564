"""The passages the LLM reads for a question, assembled from the plan's structure (Decree 30 layout)
rather than from ranking alone: an answer's facts are often in a passage that shares few words
with the question (the agency's next point, the appendix row split by OCR, the closing paragraph
that says where reports go, the header that gives the plan's number).

In order, each passage once; the model's prompt budget trims from the end (rag/llm_answer.py):

1. the passages the extractive answer cites, and the sections they refer to;
2. a question about the document itself: its header (number, date, issuer) and signature block;
3. appendix rows the question names by number ("nhiệm vụ số 10", "STT 6"), with their neighbours;
4. the whole item of each agency the question names ("IV.1 Chi cục Chăn nuôi và Thú y", every point);
5. the best retrieved passages of each plan, a heading alone followed by its points;
6. the appendix rows and passages that name the agency as lead or partner elsewhere;
7. a table question: the rest of the appendix; a reporting or deadline question: the closing
   paragraph (where reports go and by when, in plans that say it last).

Steps 3, 4, 6 and 7 add at most STRUCTURE_CHARS of text: the evidence stays a few passages, not
the whole plan."""

from __future__ import annotations

import contextlib
import datetime as dt
import re
from collections.abc import Iterable

from index.models import Chunk, DocumentMeta
from lang.agencies import AGENCIES, find_bodies
from lang.normalize import match_tokens, skeleton
from lang.numbers import document_key
from rag.answers.extractive import extractive_once
from rag.answers.reader import PlanReader
from rag.answers.references import referenced_chunks
from rag.prepared import Prepared

# What the structure adds beyond the answer's own passages and the best retrieved ones (characters)
STRUCTURE_CHARS = 9000
# The best retrieved passages of each plan (fewer each when several plans are in scope)
RETRIEVED = 6
# A heading alone brings at most this many of its points
POINTS_PER_HEADING = 8
# The rows either side of a row an answer cites: an OCR'd table row is often split over two
ROW_NEIGHBOURS = 2
# An appendix is sent whole for a table question when it is no longer than this (characters)
WHOLE_APPENDIX_CHARS = 6000

# a table row: `PL<n>.<STT>`, or `PL<n>.<group>.<STT>` in a table grouped under Roman-numbered rows
_ROW = re.compile(r"^PL(\d+)\.(?:[IVXLC]+\.)?(\d+)$")
# a row named by its number: "nhiệm vụ số 10", "STT 6", "dòng 3", "số thứ tự 12" (folded)
_ROW_NUMBER = re.compile(r"\b(?:stt|so thu tu|dong|nhiem vu(?: so)?)\s+(?:so\s+)?(\d{1,3})\b")
_APPENDIX = re.compile(r"\bphu luc(?:\s+(?:so\s+)?([ivx]+|\d+)\b)?")
_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "v": 5, "vi": 6, "vii": 7, "viii": 8, "ix": 9, "x": 10}


class _Collected:
    """The passages in order, each once, and how much the structure has added."""

    def __init__(self) -> None:
        self.chunks: dict[str, Chunk] = {}
        self.structure = 0

    def add(self, chunk: Chunk | None) -> None:
        if chunk is not None and chunk.chunk_id not in self.chunks:
            self.chunks[chunk.chunk_id] = chunk

    def add_structure(self, chunks: Iterable[Chunk]) -> None:
        for chunk in chunks:
            if chunk.chunk_id in self.chunks:
                continue
            cost = block_chars(chunk)
            if self.structure + cost > STRUCTURE_CHARS:
                return
            self.structure += cost
            self.chunks[chunk.chunk_id] = chunk


def block_chars(chunk: Chunk) -> int:
    """About what a passage costs in the prompt: its text and its header (plan, section, the
    headings above it: a table row carries its column headers)."""
    return len(chunk.text) + len(chunk.doc_title) + len(chunk.section_label) + sum(len(a) for a in chunk.ancestors) + 40


def assemble(reader: PlanReader, prepared: Prepared) -> list[Chunk]:
    """The passages the LLM reads for a prepared question, most needed first."""
    snap = reader.store.snapshot()
    out = _Collected()
    if snap is None:
        return []
    ordered = {plan.source: sorted(snap.chunks_of(plan.source), key=lambda c: c.start_line)
               for plan in prepared.plans}
    for cited in extractive_once(reader, prepared).citations:
        # the passage holding the quoted line (a unit may cite a line inside its passage)
        chunk = next((c for c in ordered.get(cited.source, snap.chunks_of(cited.source))
                      if c.section == cited.section and cited.start_line is not None
                      and c.start_line <= cited.start_line <= c.end_line), None)
        if chunk is not None:
            out.add(chunk)
            if cited.end_line is not None and cited.end_line > chunk.end_line:
                # a list cites its item once, over the item's lines: its points are read too
                for point in ordered.get(cited.source, ()):
                    if point.section.startswith(cited.section + ".") and \
                            chunk.start_line <= point.start_line and point.end_line <= cited.end_line:
                        out.add(point)
            for target in referenced_chunks(reader, chunk):  # followed cross-references
                out.add(target)
        elif cited.section == "preamble" and cited.source in snap.docs:
            out.add(header_passage(snap.docs[cited.source].meta, ordered.get(cited.source, [])))
    info = prepared.info
    folded = info.folded
    for plan in prepared.plans[:2]:
        meta = snap.docs[plan.source].meta
        if asks_document(prepared) or any(names_number(info.text, n) for n in meta.all_numbers):
            chunks = ordered[plan.source]
            out.add(header_passage(meta, chunks))
            out.add(next((c for c in chunks if c.section == "closing"), None))
    table = asks_table(folded)
    for plan in prepared.plans:
        out.add_structure(named_rows(ordered[plan.source], folded))
    names = agency_names(prepared)
    for plan in prepared.plans:
        for name in names:
            out.add_structure(own_item(ordered[plan.source], name))
    per_plan = max(2, RETRIEVED // max(1, len(prepared.plans)))
    for plan in prepared.plans:
        chunks = ordered[plan.source]
        for hit in plan.hits[:per_plan]:
            out.add(hit.chunk)
            if _ROW.match(hit.chunk.section):
                out.add_structure(neighbour_rows(chunks, hit.chunk))
            else:
                out.add_structure(points_of(chunks, hit.chunk))
    for kept in list(out.chunks.values()):  # rows the answer cites: their split halves
        if _ROW.match(kept.section) and kept.source in ordered:
            out.add_structure(neighbour_rows(ordered[kept.source], kept))
    for plan in prepared.plans:
        for name in names:
            out.add_structure(mentions(ordered[plan.source], name))
    for plan in prepared.plans:
        chunks = ordered[plan.source]
        if table:
            out.add_structure(appendix_rows(chunks, folded, list(out.chunks.values())))
        if {"reporting", "deadline"} & set(info.kinds):
            out.add_structure(c for c in chunks if c.section == "closing")
    return list(out.chunks.values())


# --- what is asked ---------------------------------------------------------------------------------

def asks_document(prepared: Prepared) -> bool:
    """A question about the document itself: its number, date, issuer or signer."""
    info = prepared.info
    return bool(getattr(info, "document", None)) or "document" in info.asked or info.person


def names_number(question: str, number: str | None) -> bool:
    """The question names the plan by its number ("Kế hoạch số 45/KH-SNNMT …"): what is asked is
    often the document's own (issuer, date, signer)."""
    if not number or not re.search(r"\d", number):
        return False
    key = document_key(number)
    return any(document_key(m) == key for m in re.findall(r"\d[\w./&-]*", question))


def asks_table(folded: str) -> bool:
    """The question names an appendix or a row by its number."""
    return bool(_APPENDIX.search(folded) or _ROW_NUMBER.search(folded))


def _appendix_number(folded: str) -> int | None:
    match = _APPENDIX.search(folded)
    if not match or not match.group(1):
        return None
    word = match.group(1)
    return int(word) if word.isdigit() else _ROMAN.get(word)


def named_rows(chunks: list[Chunk], folded: str) -> list[Chunk]:
    """The appendix rows a question names by number, with their neighbours (an OCR'd row may be
    split over two passages, or its number misread)."""
    numbers = {int(n) for n in _ROW_NUMBER.findall(folded)}
    if not numbers:
        return []
    appendix = _appendix_number(folded)
    out: list[Chunk] = []
    for chunk in chunks:
        match = _ROW.match(chunk.section)
        if match and int(match.group(2)) in numbers and (appendix is None or int(match.group(1)) == appendix):
            out.append(chunk)
            out.extend(neighbour_rows(chunks, chunk))
    # an OCR'd table whose rows were cut elsewhere: the row is the one that starts with its number
    for chunk in chunks:
        if _ROW.match(chunk.section) and any(re.search(rf"(?m)^\s*{n}\s*\|", chunk.text) for n in numbers):
            out.append(chunk)
    return out


def appendix_rows(chunks: list[Chunk], folded: str, chosen: list[Chunk]) -> list[Chunk]:
    """A table question's appendix: the one it names, else those of the passages chosen so far,
    else every appendix of the plan; whole when short, else its header."""
    wanted = _appendix_number(folded)
    numbers = {wanted} if wanted else {int(m.group(1)) for c in chosen if (m := re.match(r"^PL(\d+)", c.section))}
    if not numbers:
        numbers = {int(m.group(1)) for c in chunks if (m := re.match(r"^PL(\d+)", c.section))}
    out: list[Chunk] = []
    for number in sorted(numbers):
        rows = [c for c in chunks if c.section == f"PL{number}" or c.section.startswith(f"PL{number}.")]
        if sum(len(c.text) for c in rows) <= WHOLE_APPENDIX_CHARS:
            out.extend(rows)
        else:
            out.extend(c for c in rows if c.section == f"PL{number}")
    return out


def neighbour_rows(chunks: list[Chunk], row: Chunk) -> list[Chunk]:
    match = _ROW.match(row.section)
    if not match:
        return []
    table = [c for c in chunks if _ROW.match(c.section) and c.section.split(".")[0] == row.section.split(".")[0]]
    at = next((i for i, c in enumerate(table) if c.chunk_id == row.chunk_id), None)
    if at is None:
        return []
    return table[max(0, at - ROW_NEIGHBOURS):at] + table[at + 1:at + 1 + ROW_NEIGHBOURS]


def points_of(chunks: list[Chunk], heading: Chunk) -> list[Chunk]:
    """A passage that is only a heading ("1. Chi cục Chăn nuôi và Thú y") says nothing itself:
    its points do."""
    if len([line for line in heading.text.split("\n") if line.strip()]) > 1:
        return []
    prefix = heading.section + "."
    return [c for c in chunks if c.section.startswith(prefix)][:POINTS_PER_HEADING]


# --- agencies --------------------------------------------------------------------------------------

def _frames(tokens: Iterable[str]) -> str:
    return " ".join(skeleton(t) for t in tokens)


def agency_names(prepared: Prepared) -> list[tuple[str, ...]]:
    """The bodies the question names, as matching tokens (the lexicon's spelled-out forms and
    aliases too), without a province that follows the name ("Chi cục Chăn nuôi và Thú y Lâm Đồng")."""
    info = prepared.info
    places = {t for p in info.provinces for t in match_tokens(p)}
    names: list[tuple[str, ...]] = []
    for mention in find_bodies(info.subject or info.text):
        forms = [mention.name, *AGENCIES.get(mention.name, ())]
        for form in forms:
            tokens = match_tokens(form)
            while tokens and tokens[-1] in places:
                tokens.pop()
            if len(tokens) >= 2 and tuple(tokens) not in names:
                names.append(tuple(tokens))
    return names


def _says(tokens: Iterable[str], name: tuple[str, ...]) -> bool:
    """Whether a token stream names a body: word for word, or (a long name, OCR'd) frame for frame."""
    tokens = list(tokens)
    if f" {' '.join(name)} " in f" {' '.join(tokens)} ":
        return True
    return len(name) >= 4 and f" {_frames(name)} " in f" {_frames(tokens)} "


def own_item(chunks: list[Chunk], name: tuple[str, ...]) -> list[Chunk]:
    """The item of the plan addressed to the body ("1. Chi cục …", "IV.3 Sở Tài chính"): its
    heading and every point under it, in order."""
    roots = []
    for chunk in chunks:
        heading = chunk.facts.heading_agency
        if heading and heading[1] == 0 and chunk.section.count(".") >= 1 and _says(match_tokens(heading[0]), name):
            roots.append(chunk.section)
    return [c for c in chunks if any(c.section == r or c.section.startswith(r + ".") for r in roots)]


def mentions(chunks: list[Chunk], name: tuple[str, ...]) -> list[Chunk]:
    """Passages outside its own item that name the body: appendix rows first (its tasks as lead or
    partner), then sections ("Sở X chỉ đạo Chi cục Y chủ trì …")."""
    said = [c for c in chunks if _says(c.facts.tokens, name)]
    return [c for c in said if _ROW.match(c.section)] + [c for c in said if not _ROW.match(c.section)]


# --- the document itself ---------------------------------------------------------------------------

def _date_vi(iso: str) -> str:
    """A date as the header writes it (Decree 30: a leading zero for days below 10 and for
    months 1 and 2): "ngày 08 tháng 9 năm 2026"."""
    day = dt.date.fromisoformat(iso)
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"ngày {day.day:02d} tháng {month} năm {day.year}"


def header_passage(meta: DocumentMeta, chunks: list[Chunk]) -> Chunk | None:
    """The plan's header (number, place and date, issuer, signer) as a passage: the header block
    is no passage of the index (index/chunking.py), so the model reads what ingest read from it.
    The passage's text is the header's own form ("Số: 45/KH-SNNMT", "Lâm Đồng, ngày 14 tháng 02
    năm 2026"), so a quote from it is the plan's words; what ingest made of its other lines
    (issuer, signer) stands above it, as a passage's headings do."""
    quotes = getattr(meta, "quotes", ()) or ()
    own: list[str] = [text for _, _, text in sorted(quotes, key=lambda q: q[1])]  # where ingest kept them
    if not own:
        for number in meta.all_numbers:
            own.append(f"Số: {number}")
        if meta.signed:
            with contextlib.suppress(ValueError):  # a date ingest could not read whole
                own.append(f"{meta.place + ', ' if meta.place else ''}{_date_vi(meta.signed)}")
    read = []
    if meta.issuer:
        read.append(f"Cơ quan ban hành: {meta.issuer}")
    if meta.signer:
        read.append(f"Người ký: {meta.signer_authority + ' ' if meta.signer_authority else ''}{meta.signer}")
    if not own and not read:
        return None
    text, above = ("\n".join(dict.fromkeys(own)), tuple(read)) if own else ("\n".join(read), ())
    preamble = next((c for c in chunks if c.section == "preamble"), None)
    return Chunk(chunk_id=f"{meta.source}#header", source=meta.source, doc_title=meta.title, section="preamble",
                 section_label=preamble.section_label if preamble else "Phần mở đầu",
                 section_title=preamble.section_title if preamble else "", ancestors=above,
                 start_line=1, end_line=max(1, (preamble.start_line - 1) if preamble else 1),
                 text=text, province=meta.province, year=min(meta.years) if meta.years else None)

"""Types that cross the index boundary: a parsed plan, its sections and its chunks."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cached_property

from index.facts import ChunkFacts, facts_of
from lang.provinces import now_part_of


def chunk_source(chunk_id: str) -> str:
    """The plan (file name) of a chunk id `{source}#{section}#{n}-{digest}`. Split from the right:
    section paths and the counter never hold "#", a file name may ("ke#hoach 2026.txt")."""
    return chunk_id.rsplit("#", 2)[0]


@dataclass(frozen=True)
class DocumentMeta:
    """What the header, title and signature of a plan say (Decree 30/2020/NĐ-CP layout). A field
    that cannot be read is None (empty `years`), never guessed."""

    source: str  # the file name: what citations name
    title: str  # a readable title, e.g. "Kế hoạch thông tin đối ngoại tỉnh Hưng Yên năm 2026"
    province: str | None  # the province the document names, e.g. "Vĩnh Phúc" (a former unit stays so)
    years: tuple[int, ...] = ()  # the years the plan covers: "năm 2026" → (2026,), "2026 - 2030" → 2026…2030
    number: str | None = None  # số hiệu, e.g. "4155/KH-UBND", where legible
    sha256: str = ""
    issuer: str | None = None  # "UBND tỉnh Bắc Ninh", "Sở Y tế tỉnh Hà Tĩnh"
    signed: str | None = None  # ISO date of signature, only when day, month and year are legible
    place: str | None = None  # the place before the date ("Bắc Ninh, ngày …")
    doc_type: str | None = None  # "Kế hoạch", "Quyết định" (a decision issuing a plan)
    signer: str | None = None  # the signer's name as printed
    signer_authority: str | None = None  # "TM. ỦY BAN NHÂN DÂN / KT. CHỦ TỊCH / PHÓ CHỦ TỊCH"
    signed_year: int | None = None  # the year of the date line, legible even when the day is not
    horizon: int | None = None  # "… đến năm 2030" in the title: not a covered year, the plan's reach
    # where the plan states its metadata, verbatim: (field, 1-based line, the words of that line
    # that state it), for "number", "signed", "issuer", "signer". The header block is no passage
    # (index/chunking.py), so questions about the document itself are cited from these.
    quotes: tuple[tuple[str, int, str], ...] = ()
    # years whose results or estimates the plan reports ("ước thực hiện năm 2025"): a year it names
    reported_years: tuple[int, ...] = ()
    # which reading of plans produced this record (index/structure.PLAN_MODEL_VERSION): a record
    # read by an older version is re-read at the next ingest even when its file did not change
    model_version: int = 0
    # a joint plan (KHLN, KHLT) has several issuers and a signer for each: all of them, in print
    # order; `issuer` and `signer`/`signer_authority` stay the first, for readers of one
    issuers: tuple[str, ...] = ()
    # every number of a joint plan (one per issuer, "38/KH-SNNMT", "215/KH-HND"), in print order;
    # `number` stays the first. Empty for a plan of one number
    numbers: tuple[str, ...] = ()
    signers: tuple[tuple[str, str | None], ...] = ()  # (name, authority chain)
    # the short names the plan defines for its bodies ("(sau đây gọi tắt là Ban Chỉ đạo)"):
    # (short form, full name); a question that uses the short form names that body of this plan
    short_names: tuple[tuple[str, str], ...] = ()

    @property
    def all_numbers(self) -> tuple[str, ...]:
        """Every number the plan is known by: a question naming any of them names the plan."""
        return self.numbers or ((self.number,) if self.number else ())

    @property
    def year(self) -> int | None:
        """Compatibility: the first year the plan covers, else the year it was signed."""
        return self.years[0] if self.years else self.signed_year

    def listing(self) -> dict[str, object]:
        """The fields `planbot documents` and GET /v1/documents show; what cannot be read is None."""
        return {
            "source": self.source, "title": self.title, "doc_type": self.doc_type, "issuer": self.issuer,
            "province": self.province,
            "province_now": now_part_of(self.province) if self.province else None,
            "number": self.number, "signed": self.signed, "place": self.place,
            "years": list(self.years) or None, "signer": self.signer, "signer_authority": self.signer_authority,
        }

    @property
    def short_name(self) -> str:
        """"Thừa Thiên Huế 2024": how chips and Telegram citations name a plan."""
        when: str | None
        if self.years and len(self.years) > 1:
            when = f"{self.years[0]}–{self.years[-1]}"
        else:
            when = str(self.year) if self.year else None
        parts = [p for p in (self.province, when) if p]
        return " ".join(parts) or self.source


@dataclass
class Section:
    path: str  # "V.2", "II.3.b", "I.2.1", "preamble", "closing"
    label: str  # "Mục V, khoản 2"
    title: str  # heading text after the marker, first line, at most 70 characters
    heading: str  # the whole heading (first line), for display
    start_line: int  # 1-based, the heading line
    end_line: int  # 1-based, inclusive: last line of this section's own text (children excluded)
    level: int  # 0 preamble/closing, 1 part, 2 item, 3 sub-item/point, 4 point under sub-item
    lines: list[str] = field(default_factory=list)  # own text lines, verbatim (display form)
    children: list[Section] = field(default_factory=list)
    parent: Section | None = field(default=None, repr=False, compare=False)

    @property
    def text(self) -> str:
        return "\n".join(self.lines)

    def ancestors(self) -> list[Section]:
        chain: list[Section] = []
        node = self.parent
        while node is not None:
            chain.append(node)
            node = node.parent
        return list(reversed(chain))

    def walk(self):
        yield self
        for child in self.children:
            yield from child.walk()

    def full_text(self) -> str:
        """This section with all its sub-sections, in reading order."""
        return "\n".join(node.text for node in self.walk())


@dataclass
class ParsedPlan:
    meta: DocumentMeta
    text: str  # display form of the whole file (NFC, verbatim otherwise)
    preamble: Section
    parts: list[Section]
    closing: Section | None
    appendices: list[Section] = field(default_factory=list)  # "PHỤ LỤC" after the plan: PL1, PL2 …
    # references to this plan's own parts ("điểm b khoản 1 Mục II"), resolved at ingest (index/xrefs.py)
    xrefs: list = field(default_factory=list)
    # lines 1..header_lines are the Decree 30 header block (issuer, number, place and date): metadata
    header_lines: int = 0

    def sections(self) -> list[Section]:
        """Every section in reading order: preamble, parts, closing, then the appendices."""
        out = [self.preamble]
        for part in self.parts:
            out.extend(part.walk())
        if self.closing is not None:
            out.append(self.closing)
        for appendix in self.appendices:
            out.extend(appendix.walk())
        return out

    def find(self, path: str) -> Section | None:
        return next((s for s in self.sections() if s.path == path), None)

    def outline(self) -> list[dict[str, object]]:
        return [
            {"section": s.path, "line": s.start_line, "title": s.title}
            for s in self.sections()
            if s.path not in ("preamble", "closing")
        ]


@dataclass(frozen=True)
class Chunk:
    chunk_id: str
    source: str
    doc_title: str
    section: str
    section_label: str
    section_title: str
    ancestors: tuple[str, ...]  # headings of the enclosing sections, outermost first
    start_line: int
    end_line: int
    text: str  # verbatim display text of the chunk (what quotes are taken from)
    province: str | None = None
    year: int | None = None
    page: int | None = None
    # section paths of this plan that the chunk's text refers to ("… tại điểm b khoản 1 Mục II" → II.1.b)
    xrefs: tuple[str, ...] = ()
    # what the section says, read at ingest (index/facts.py), as stored JSON; empty for a chunk made
    # before facts were stored (then read on first use)
    facts_json: str = field(default="", repr=False, compare=False)

    @cached_property
    def facts(self) -> ChunkFacts:
        return facts_of(self)

    @cached_property
    def stored_json(self) -> str:
        """The chunk as a store keeps it: its metadata and text in one JSON object. Made (and
        pickled with the chunk) where the plan is read, so the ingesting process only writes it."""
        return json.dumps(self.metadata() | {"text": self.text}, ensure_ascii=False)

    def search_text(self) -> str:
        """What is embedded and searched: the text in the context of its headings and plan."""
        return "\n".join([self.doc_title, *self.ancestors, self.text])

    def metadata(self) -> dict[str, str | int]:
        meta: dict[str, str | int] = {
            "source": self.source,
            "doc_title": self.doc_title,
            "section": self.section,
            "section_label": self.section_label,
            "section_title": self.section_title,
            "ancestors": "\n".join(self.ancestors),
            "start_line": self.start_line,
            "end_line": self.end_line,
            "province": self.province or "",
            "year": self.year or 0,
        }
        if self.page is not None:
            meta["page"] = self.page
        if self.xrefs:
            meta["xrefs"] = ",".join(self.xrefs)
        if self.facts_json:
            meta["facts"] = self.facts_json
        return meta

    @classmethod
    def from_metadata(cls, chunk_id: str, text: str, meta: dict) -> Chunk:
        ancestors = tuple(a for a in str(meta.get("ancestors", "")).split("\n") if a)
        return cls(
            chunk_id=chunk_id,
            source=str(meta["source"]),
            doc_title=str(meta["doc_title"]),
            section=str(meta["section"]),
            section_label=str(meta["section_label"]),
            section_title=str(meta["section_title"]),
            ancestors=ancestors,
            start_line=int(meta["start_line"]),
            end_line=int(meta["end_line"]),
            text=text,
            province=str(meta.get("province") or "") or None,
            year=int(meta.get("year") or 0) or None,
            page=int(meta["page"]) if meta.get("page") is not None else None,
            xrefs=tuple(p for p in str(meta.get("xrefs") or "").split(",") if p),
            facts_json=str(meta.get("facts") or ""),
        )

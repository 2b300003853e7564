"""The register row (`Obligation`) and the sections a plan's chunks make up."""

from __future__ import annotations

import sys
from dataclasses import asdict, dataclass, field
from typing import Any, TypedDict

from index.models import Chunk


@dataclass(frozen=True, slots=True)
class Obligation:
    kind: str  # assignment | reporting | deadline
    source: str
    doc_title: str
    section: str
    section_label: str
    quote: str  # verbatim passage, whitespace collapsed
    agency: str | None = None  # assignment: the assigned agency; reporting: who reports
    role: str | None = None  # assignment: lead | cooperate
    cooperating: tuple[str, ...] = ()
    recipient: str | None = None
    via: str | None = None
    onward: tuple[str, ...] = ()
    due_date: str | None = None  # ISO date
    recurrence: tuple[str, ...] = ()
    deadline_text: str | None = None  # the deadline words as printed
    flags: tuple[str, ...] = ()
    task: str | None = None
    province: str | None = None
    year: int | None = None
    directed_by: str | None = None  # "Sở X chỉ đạo Chi cục Y thực hiện": Y acts, directed by Sở X
    relative: str | None = None  # a deadline counted from an event, as printed ("trong 15 ngày kể từ …")
    # assignment by reference ("chủ trì các nhiệm vụ tại điểm a khoản 1 Mục II"): the items the
    # line names, resolved at ingest (index/obligations/by_reference.py); the row stays where written
    refers_to: tuple[str, ...] = ()

    def to_dict(self) -> dict:
        return {k: (list(v) if isinstance(v, tuple) else v) for k, v in asdict(self).items()}

    @classmethod
    def from_dict(cls, data: dict) -> Obligation:
        values: dict[str, Any] = {k: (tuple(v) if isinstance(v, list) else v) for k, v in data.items() if k in _FIELDS}
        for name in _SHARED_FIELDS:  # one copy per plan, not per row: 2,000 plans hold ~60,000 rows
            if isinstance(values.get(name), str):
                values[name] = sys.intern(values[name])
        return cls(**values)


_FIELDS = frozenset(Obligation.__dataclass_fields__)
_SHARED_FIELDS = ("kind", "source", "doc_title", "section", "section_label", "province", "agency", "role",
                  "recipient")


class _Place(TypedDict):
    """Where a row was read: the fields every row of one section shares."""

    source: str
    doc_title: str
    section: str
    section_label: str
    province: str | None
    year: int | None


def _place(section: _Section, province: str | None, year: int | None) -> _Place:
    return {"source": section.source, "doc_title": section.doc_title, "section": section.path,
            "section_label": section.label, "province": province, "year": year}


@dataclass
class _Section:
    source: str
    doc_title: str
    path: str
    label: str
    title: str
    ancestors: tuple[str, ...]
    chunks: list[Chunk] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "\n".join(c.text for c in self.chunks)


def _sections(chunks: list[Chunk]) -> list[_Section]:
    by_key: dict[tuple[str, str], _Section] = {}
    for chunk in sorted(chunks, key=lambda c: (c.source, c.start_line)):
        key = (chunk.source, chunk.section)
        if key not in by_key:  # the first chunk of a section carries only its parents' headings
            by_key[key] = _Section(chunk.source, chunk.doc_title, chunk.section, chunk.section_label,
                                   chunk.section_title, chunk.ancestors)
        by_key[key].chunks.append(chunk)
    return list(by_key.values())

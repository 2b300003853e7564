"""Read-only views of the indexed plans: the list, an outline, the verbatim text of a section."""

from __future__ import annotations

from dataclasses import dataclass

from index.models import Chunk
from index.store import DocRecord, PlanStore


@dataclass(frozen=True)
class SectionView:
    source: str
    doc_title: str
    section: str
    section_label: str
    section_title: str
    start_line: int
    end_line: int
    text: str  # verbatim, the section with its sub-sections, in reading order


class Library:
    def __init__(self, store: PlanStore) -> None:
        self.store = store

    def documents(self) -> list[DocRecord]:
        snap = self.store.snapshot()
        return sorted(snap.docs.values(), key=lambda d: d.meta.source) if snap else []

    def document(self, source: str) -> DocRecord | None:
        snap = self.store.snapshot()
        return snap.docs.get(source) if snap else None

    def outline(self, source: str) -> list[dict[str, object]] | None:
        snap = self.store.snapshot()
        if snap is None or source not in snap.docs:
            return None
        seen: dict[str, dict[str, object]] = {}
        for chunk in sorted(snap.chunks_of(source), key=lambda c: c.start_line):
            if chunk.section not in seen:
                seen[chunk.section] = {"section": chunk.section, "label": chunk.section_label,
                                       "title": chunk.section_title, "line": chunk.start_line}
        return list(seen.values())

    def section(self, source: str, path: str) -> SectionView | None:
        snap = self.store.snapshot()
        if snap is None or source not in snap.docs:
            return None
        parts = [c for c in snap.chunks_of(source) if c.section == path or c.section.startswith(path + ".")]
        if not parts or path in ("preamble", "closing") and any(c.section != path for c in parts):
            parts = [c for c in parts if c.section == path]
        if not parts:
            return None
        parts.sort(key=lambda c: (c.start_line, c.chunk_id))
        head = next(c for c in parts if c.section == path) if any(c.section == path for c in parts) else parts[0]
        return SectionView(source=source, doc_title=head.doc_title, section=path,
                           section_label=head.section_label if head.section == path else path,
                           section_title=head.section_title if head.section == path else "",
                           start_line=parts[0].start_line, end_line=max(c.end_line for c in parts),
                           text="\n".join(c.text for c in parts))

    def referenced(self, chunk: Chunk) -> list[SectionView]:
        """The sections of the same plan that a chunk's text refers to ("… quy định tại điểm b khoản
        1 Mục II" → II.1.b), resolved at ingest (index/xrefs.py): what an answer follows and cites
        beside the referring passage."""
        views = [self.section(chunk.source, path) for path in chunk.xrefs if path != chunk.section]
        return [v for v in views if v is not None]

"""One citation per section in a composed answer: the markers a composed text carries are
renumbered in first-cited order and a section cited again loses its later marker."""

from __future__ import annotations

import re

from lang.markers import CITATION_NUMBER_TEXT
from rag.types import Citation

_MARKER = re.compile(rf"\s?{CITATION_NUMBER_TEXT}")


def cite_sections_once(text: str, citations: list[Citation]) -> tuple[str, list[Citation]]:
    """One citation per section: a later marker of a section already cited is dropped, the
    citations renumbered in the order the text first cites them."""
    first: dict[tuple[str, str], int] = {}
    canonical: dict[int, int] = {}
    for c in citations:
        canonical[c.id] = first.setdefault((c.source, c.section), c.id)
    by_id = {c.id: c for c in citations}
    numbering: dict[int, int] = {}
    kept: list[Citation] = []

    out: list[str] = []
    at = 0
    last: tuple[int, int] | None = None  # (cid, index in `out`) of the marker emitted last
    for match in _MARKER.finditer(text):
        out.append(text[at:match.start()])
        at = match.end()
        cid = canonical.get(int(match.group(1)))
        if cid is None:
            out.append(match.group(0))
            continue
        if cid in numbering:
            if last is not None and last[0] == cid and "\n" not in "".join(out[last[1] + 1:]):
                # the same section's parts said one after the other ("số hiệu … [1]; do Sở X ban
                # hành"): its marker closes the last of them, so each part reads as cited
                out[last[1]] = ""
                out.append(f" [{numbering[cid]}]")
                last = (cid, len(out) - 1)
            continue  # this section is already cited
        numbering[cid] = len(numbering) + 1
        kept.append(by_id[cid].model_copy(update={"id": numbering[cid]}))
        out.append(f" [{numbering[cid]}]")
        last = (cid, len(out) - 1)
    out.append(text[at:])
    return "".join(out), kept

"""Cross-references followed, not quoted: a task "… quy định tại điểm b khoản 1 Mục II" is
answered with what point II.1.b says, cited at both places. The references were resolved to
section paths at ingest (index/xrefs.py) and travel with each chunk."""

from __future__ import annotations

import re

from index.models import Chunk
from lang.normalize import collapse_ws, fold
from lang.sentences import split_sentences
from rag.answers.common import citation, instruction_like, trim_quote
from rag.answers.reader import PlanReader
from rag.prompts import slot
from rag.types import Citation

MAX_FOLLOWED = 2
FOLLOWED_CHARS = 320
# the quote itself points somewhere: "tại Mục II", "khoản 3 Mục này", "điểm b khoản 1", "Phụ lục"
# ("mục (IV)(3.4)(a)", "điểm (b)": the path printed in brackets)
# "nhiệm vụ 6 Phần II", "tại Phần thứ hai"
_POINTS_AWAY = re.compile(r"\b(muc \(?[ivx\d]|khoan \d|diem \(?[a-z\d]|tieu muc \d|phu luc|phan (?:thu \w+|[ivx]+\b))")


def referenced_chunks(reader: PlanReader, chunk: Chunk) -> list[Chunk]:
    """The first chunk of each section this chunk refers to, in the order referred."""
    if not chunk.xrefs:
        return []
    snap = reader.store.snapshot()
    own = sorted(snap.chunks_of(chunk.source), key=lambda c: c.start_line) if snap else []
    out = []
    for path in chunk.xrefs:
        if path == chunk.section or chunk.section.startswith(path + "."):
            continue  # "Mục này": the item the quote is already in
        target = next((c for c in own if c.section == path), None)
        if target is not None:
            out.append(target)
    return out[:MAX_FOLLOWED]


def follow(reader: PlanReader, chunk: Chunk, quote: str, citations: list[Citation]) -> list[str]:
    """What the sections a quote refers to say, each cited."""
    if not _POINTS_AWAY.search(" ".join(fold(quote).split())):
        return []
    parts = []
    for target in referenced_chunks(reader, chunk):
        lines = target.text.split("\n")
        body = "\n".join(lines[1:]) if len(lines) > 1 else target.text  # the heading names, the body says
        sentences = [s for s in split_sentences(body) if not instruction_like(s) and not target.facts.withholds(s)]
        if not sentences:
            continue
        text = trim_quote(collapse_ws(" ".join(sentences[:2])), {}, limit=FOLLOWED_CHARS)
        citations.append(citation(len(citations) + 1, target, text))
        parts.append(slot("followed_reference", label=target.section_label, text=text) + f" [{len(citations)}]")
    return parts



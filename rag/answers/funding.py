"""Where the money comes from: the plan's own funding part ("KINH PHÍ THỰC HIỆN", "4.1. Kinh phí
thực hiện", "Huy động nguồn lực, bảo đảm kinh phí"), quoted line by line, so that every source
it lists (state budget, enterprises, other lawful sources …) is in the answer."""

from __future__ import annotations

import re

from index.models import Chunk
from lang.normalize import collapse_ws, fold
from lang.sentences import split_sentences
from rag.answers.common import citation, instruction_like, trim_quote
from rag.answers.reader import PlanReader
from rag.prepared import PlanEvidence, Prepared
from rag.prompts import message
from rag.types import Citation

MAX_FUNDING_LINES = 6
FUNDING_LINE_CHARS = 600  # a source is quoted whole; only a run-on OCR line is cut
# a heading about funding: "Kinh phí thực hiện", "Nguồn kinh phí", "bảo đảm kinh phí", "nguồn vốn"
_FUNDING_HEADING = re.compile(r"\b(kinh phi|nguon von|nguon luc tai chinh|ngan sach)\b")
# the question asks for the sources, not for one agency's duty about money
_ASKS_SOURCES = re.compile(r"\b(nguon kinh phi|nguon von|nguon nao|nhung nguon|tu dau|lay tu|ngan sach nao)\b")


def funding_answer(reader: PlanReader, prepared: Prepared, plan: PlanEvidence,
                   citations: list[Citation]) -> str | None:
    if "funding" not in prepared.info.kinds or not _ASKS_SOURCES.search(prepared.info.folded):
        return None
    snap = reader.store.snapshot()
    chunks = sorted(snap.chunks_of(plan.source), key=lambda c: c.start_line) if snap else []
    heads = [c for c in chunks if c.section not in ("preamble", "closing")
             and _FUNDING_HEADING.search(fold(c.section_title)) and c.section.count(".") <= 1]
    if not heads:
        return None
    head = heads[0]
    body: list[tuple[Chunk, str]] = []
    for chunk in chunks:
        if chunk.section == head.section or chunk.section.startswith(head.section + "."):
            lines = chunk.text.split("\n")
            start = 1 if chunk.section == head.section and chunk.start_line == head.start_line else 0
            # sentences, not lines: OCR'd text wraps its lines mid-sentence
            body.extend((chunk, sentence) for sentence in split_sentences("\n".join(lines[start:]))
                        if not instruction_like(sentence) and not chunk.facts.withholds(sentence))
    if not body:
        return None
    # the genre's list: an intro line, then each source a whole sentence on its own line
    lines = [message("according_to", title=plan.title, label=head.section_label) + ":"]
    for chunk, line in body[:MAX_FUNDING_LINES]:
        quote = trim_quote(collapse_ws(line), {}, limit=FUNDING_LINE_CHARS)
        citations.append(citation(len(citations) + 1, chunk, quote))
        lines.append(f"- {quote.lstrip('-–+• ')} [{len(citations)}]")
    return "\n".join(lines)

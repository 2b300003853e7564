"""Questions that paste a line of a plan: the line, whole, with what makes it a whole answer
(who the item is for, its time), each cited where it is stated. How the line and its context are
found is in rag/passage.py."""

from __future__ import annotations

from index.models import Chunk
from lang.normalize import collapse_ws, match_tokens
from rag import passage
from rag.answers.common import MAX_PASSAGE_CHARS, citation, plan_name, trim_quote
from rag.answers.reader import PlanReader
from rag.answers.references import follow
from rag.prepared import Prepared
from rag.prompts import message, slot
from rag.types import Answer, AnswerMode, Citation

PASSAGE_DEPTH = 80


def quoted_answer(reader: PlanReader, prepared: Prepared) -> Answer | None:
    """A question that quotes a line of a plan: that line, whole, with what makes it a whole
    answer (who the item is for, its time), cited where each is stated (rag/passage.py)."""
    tokens = passage.quoted_tokens(prepared.info.text)
    if tokens is None or prepared.info.document:
        # "kh trật tự đô thị, vệ sinh môi trường phường X số mấy": the plan named by its title's
        # words and its number asked; a question about the document, not a pasted line
        return None
    # a quoted line is found by its words: the lexical ranking alone, deeper than the answer's
    snap = reader.store.snapshot()
    if snap is None:
        return None
    lexical = reader.retriever.search(snap, prepared.info.text, sources=prepared.selected or None,
                                    k=PASSAGE_DEPTH, mode="lexical")
    chunks = list({c.chunk_id: c for c in [*(h.chunk for plan in prepared.plans for h in plan.hits),
                                            *(h.chunk for h in lexical)]}.values())
    matches = passage.locate(tokens, chunks)
    if not matches:
        return None
    best = matches[0].coverage
    # the same line in several places (items of one plan, or several plans): each is an answer
    tied = [m for m in matches if m.coverage >= best - 0.02][:3]
    titles = {plan.source: plan.title for plan in prepared.plans}
    citations: list[Citation] = []
    lines: list[str] = []
    if len(tied) > 1:
        plans = len({m.chunk.source for m in tied})
        lines.append(slot("passage_repeated", count=len(tied)) if plans == 1 else
                     slot("passage_repeated_plans", count=plans))
    for match in tied:
        chunk = match.chunk
        quote = collapse_ws(" ".join(passage.quote_lines(match)))
        quote = trim_quote(quote, {t: 1.0 for t in tokens}, limit=MAX_PASSAGE_CHARS)
        citations.append(citation(len(citations) + 1, chunk, quote))
        text = message("according_to", title=plan_name(titles.get(chunk.source, chunk.doc_title)),
                       label=chunk.section_label) + f": {quote} [{len(citations)}]"
        folded_quote = f" {' '.join(match_tokens(quote))} "
        extra: list[str] = []
        owner = passage.heading_agency(chunk)
        lead_chunk, lead_line = chunk, passage.labelled(chunk, "lead")
        if lead_line is None:  # "c) Thời gian …" whose lead is its sibling "b) Đơn vị chủ trì: …"
            lead_chunk, lead_line = _sibling_line(reader, chunk, "lead")
        if lead_line and f" {' '.join(match_tokens(lead_line))} " not in folded_quote:
            citations.append(citation(len(citations) + 1, lead_chunk, collapse_ws(lead_line)))
            extra.append(slot("passage_lead_line", line=collapse_ws(lead_line).lstrip("-–+• "),
                              label=lead_chunk.section_label) + f" [{len(citations)}]")
        elif owner and f" {' '.join(match_tokens(owner[0]))} " not in folded_quote:
            extra.append(slot("passage_agency", agency=owner[0], label=owner[1]))
        if not passage.has_time(quote):
            time_line = passage.labelled(chunk, "time") if len(chunk.text) < 600 else None
            heading_time = passage.heading_time(chunk)
            if time_line and f" {' '.join(match_tokens(time_line))} " in folded_quote:
                pass  # the quote ran on to the item's time line ("+ Thời hạn …: trong 07 ngày …"): said once
            elif time_line:
                citations.append(citation(len(citations) + 1, chunk, collapse_ws(time_line)))
                extra.append(slot("passage_lead_line", line=collapse_ws(time_line).lstrip("-–+• "),
                                  label=chunk.section_label) + f" [{len(citations)}]")
            elif heading_time:
                extra.append(slot("passage_time", time=heading_time[0], label=heading_time[1]))
        extra.extend(follow(reader, chunk, quote, citations))
        lines.append(" ".join([text, *extra]))
    return Answer(question=prepared.info.text, answer="\n".join(lines), abstained=False, mode=AnswerMode.EXTRACTIVE,
                  citations=citations)


def _sibling_line(reader: PlanReader, chunk: Chunk, label: str) -> tuple[Chunk, str | None]:
    """A labelled line in another point of the same item (the item's points are its parts)."""
    if chunk.section.count(".") < 2:
        return chunk, None
    parent = chunk.section.rsplit(".", 1)[0]
    snap = reader.store.snapshot()
    for other in sorted(snap.chunks_of(chunk.source) if snap else [], key=lambda c: c.start_line):
        if other.chunk_id != chunk.chunk_id and other.section.rsplit(".", 1)[0] == parent \
                and other.section.count(".") == chunk.section.count("."):
            line = passage.labelled(other, label)
            if line:
                return other, line
    return chunk, None

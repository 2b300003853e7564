"""The general answer: the plan's sentence that best covers what is asked (and a second one from
the same passage when it adds what the first lacks), with the item's agency and the roles it
names spelled canonically."""

from __future__ import annotations

from index.models import Chunk
from index.normalize import collapse_ws, match_tokens
from rag.answers.common import MAX_QUOTE_CHARS, citation, trim_quote
from rag.answers.reader import PlanReader
from rag.prepared import PlanEvidence, Prepared
from rag.prompts import message
from rag.types import Citation


def sentence_answer(reader: PlanReader, prepared: Prepared, plan: PlanEvidence,
                    scored: list[tuple[float, float, Chunk, str]], citations: list[Citation]) -> str:
    _, _, chunk, sentence = scored[0]
    quote = trim_quote(collapse_ws(sentence), reader.weights(prepared, plan.title))
    picked = [(chunk, quote)]
    # a second sentence when the question asks two things (where *and* when) or it adds facts
    for score, coverage, other_chunk, other in scored[1:4]:
        if (other_chunk.chunk_id == chunk.chunk_id and coverage >= 0.5 * scored[0][1]
                and score >= 0.8 * scored[0][0] and len(quote) + len(other) < MAX_QUOTE_CHARS):
            picked.append((other_chunk, trim_quote(collapse_ws(other), {})))
            break
    parts = []
    for picked_chunk, picked_quote in picked:
        citations.append(citation(len(citations) + 1, picked_chunk, picked_quote))
        parts.append(f"{picked_quote} [{len(citations)}]")
    roles = reader.roles(chunk, " ".join(q for _, q in picked))
    if roles:
        parts[-1] = parts[-1] + " " + roles
    label = chunk.section_label
    agency = reader.section_agency(chunk)
    if agency and match_tokens(agency)[:3] != match_tokens(quote)[:3]:
        label = f"{label} – {agency}"  # the heading names who the point is for
    return message("according_to", title=plan.title, label=label) + ": " + " ".join(parts)

"""Who reports to whom, and by when: a reporting line of the obligations register, told in one
sentence with canonical agency names."""

from __future__ import annotations

from index.normalize import collapse_ws, match_tokens
from index.obligations import Obligation
from rag.answers.common import citation, instruction_like, reporting_sentence, trim_quote
from rag.answers.reader import PlanReader
from rag.prepared import PlanEvidence, Prepared
from rag.prompts import message
from rag.types import Citation


def reporting_record(reader: PlanReader, prepared: Prepared, plan: PlanEvidence, best: float) -> Obligation | None:
    """A reporting line stated by the plan, when the question asks who reports where or by when."""
    if not {"deadline", "reporting"} & set(prepared.info.kinds):
        return None
    weights = reader.weights(prepared, plan.title)
    named = set(prepared.info.agencies)
    asks_recipient = prepared.info.asks_recipient
    candidates = []
    for record in reader.records(plan.source, "reporting"):
        if record.recipient is None:
            continue  # no recipient named: it answers neither "to whom" nor, told as a sentence, anything
        if instruction_like(record.quote) or reader.chunk_for(record).facts.withholds(record.quote):
            continue
        coverage, bonus = reader.score_sentence(record.quote, set(), weights, prepared.info.kinds)
        # an agency the question names as the one reporting is the reporter, not the recipient:
        # "Sở X gửi báo cáo cho cơ quan nào?" is not answered by "các cơ quan gửi về Sở X"
        # (unless the named recipient sends the reports on: "Sở X tổng hợp trình những cơ quan nào?")
        if named and asks_recipient and record.recipient in named and record.agency not in named \
                and not record.onward:
            bonus -= 0.5
        candidates.append((coverage + bonus + (0.2 if record.due_date else 0.0), coverage, record))
    if not candidates:
        return None
    candidates.sort(key=lambda c: -c[0])
    _, coverage, record = candidates[0]
    if named and asks_recipient and record.recipient in named and record.agency not in named and not record.onward:
        return None  # the register has no line from that agency: its sentences are read instead
    return record if coverage >= best else None


def reporting_answer(reader: PlanReader, prepared: Prepared, plan: PlanEvidence, record: Obligation,
                     citations: list[Citation]) -> str:
    """Clean text is quoted whole (every recipient, the frequency, the "qua …" channel, in the
    plan's own words); OCR-damaged text is told in one sentence with canonical names, which is
    what makes it readable."""
    chunk = reader.chunk_for(record)
    citations.append(citation(len(citations) + 1, chunk, record.quote))
    lead = message("according_to", title=plan.title, label=record.section_label) + ": "
    if reader.ocr_damaged(plan.source):
        return lead + reporting_sentence(record) + f" [{len(citations)}]"
    quote = trim_quote(collapse_ws(record.quote), {t: 1.0 for t in match_tokens(prepared.info.text)})
    citations[-1] = citation(len(citations), chunk, quote)
    return lead + quote + f" [{len(citations)}]"

"""Who reports to whom, and by when: a reporting line of the obligations register, told in one
sentence with canonical agency names."""

from __future__ import annotations

from index.obligations import Obligation
from rag.answers.common import instruction_like
from rag.answers.reader import PlanReader
from rag.prepared import PlanEvidence, Prepared


def reporting_record(reader: PlanReader, prepared: Prepared, plan: PlanEvidence, best: float) -> Obligation | None:
    """A reporting line stated by the plan, when the question asks who reports where or by when."""
    if not {"deadline", "reporting"} & set(prepared.info.kinds):
        return None
    weights = reader.weights(prepared, plan.title)
    candidates = []
    for record in reader.records(plan.source, "reporting"):
        if instruction_like(record.quote):
            continue
        coverage, bonus = reader.score_sentence(record.quote, set(), weights, prepared.info.kinds)
        candidates.append((coverage + bonus + (0.2 if record.due_date else 0.0), coverage, record))
    if not candidates:
        return None
    candidates.sort(key=lambda c: -c[0])
    _, coverage, record = candidates[0]
    return record if coverage >= best else None

"""The extractive answer: each kind of question goes to the unit that answers it, in order of
how specific the unit is; a plan whose evidence does not cover the question gives nothing, and
no plan giving anything is a polite refusal.

- a pasted line of a plan ............ rag/answers/quoted.py
- what must agency X do .............. rag/answers/duty.py
- who reports to whom, by when ....... rag/answers/reporting.py
- anything else: the best sentence ... rag/answers/sentences.py
"""

from __future__ import annotations

from rag.answers.common import available_plans
from rag.answers.duty import duty_answer
from rag.answers.quoted import quoted_answer
from rag.answers.reader import MIN_COVERAGE, PlanReader
from rag.answers.reporting import reporting_answer, reporting_record
from rag.answers.sentences import sentence_answer
from rag.prepared import Prepared
from rag.prompts import message
from rag.types import Answer, Citation


def extractive_answer(reader: PlanReader, prepared: Prepared) -> Answer:
    quoted = quoted_answer(reader, prepared)
    if quoted is not None:
        return quoted
    lines: list[str] = []
    citations: list[Citation] = []
    for plan in prepared.plans:
        scored = reader.best_passages(prepared, plan)
        if not scored or scored[0][1] < MIN_COVERAGE:
            continue
        duty = duty_answer(reader, prepared, plan, citations)
        if duty:
            lines.append(duty)
            continue
        record = reporting_record(reader, prepared, plan, scored[0][1])
        if record is not None:
            lines.append(reporting_answer(reader, prepared, plan, record, citations))
            continue
        lines.append(sentence_answer(reader, prepared, plan, scored, citations))
    if not citations:
        return Answer(question=prepared.info.text, abstained=True, mode="extractive", citations=[],
                      answer=message("not_found", available=available_plans(reader.store.snapshot())))
    return Answer(question=prepared.info.text, answer="\n".join(lines), abstained=False, mode="extractive",
                  citations=citations)

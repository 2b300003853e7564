"""The extractive answer: each kind of question goes to the unit that answers it, in order of
how specific the unit is; a plan whose evidence does not cover the question gives nothing, and
no plan giving anything is a polite refusal.

- a pasted line of a plan ............ rag/answers/quoted.py
- what must agency X do .............. rag/answers/duty.py
- where the money comes from ......... rag/answers/funding.py
- who reports to whom, by when ....... rag/answers/reporting.py
- anything else: the best sentence ... rag/answers/sentences.py
"""

from __future__ import annotations

import re

from rag.answers.common import available_plans
from rag.answers.duty import duty_answer
from rag.answers.funding import funding_answer
from rag.answers.quoted import quoted_answer
from rag.answers.reader import MIN_COVERAGE, PlanReader
from rag.answers.reporting import reporting_answer, reporting_record
from rag.answers.sentences import sentence_answer
from rag.prepared import Prepared
from rag.prompts import message, slot
from rag.slots import filled
from rag.types import Answer, Citation

_MARKERS = re.compile(r"\[\d+\]|\((?:Mục|Phần)[^)]*\)")


def _has_amount(lines: list[str]) -> bool:
    """A figure in what the answer quotes (citation markers and section labels aside)."""
    return any(filled("amount", _MARKERS.sub("", line.split("): ", 1)[-1])) for line in lines)


def extractive_once(reader: PlanReader, prepared: Prepared) -> Answer:
    """The extractive answer of a prepared question, made once: the LLM path reads its citations
    as evidence and falls back to it."""
    if prepared.extractive is None:
        prepared.extractive = extractive_answer(reader, prepared)
    return prepared.extractive


def extractive_answer(reader: PlanReader, prepared: Prepared) -> Answer:
    quoted = quoted_answer(reader, prepared)
    if quoted is not None:
        return quoted
    lines: list[str] = []
    citations: list[Citation] = []
    for plan in prepared.plans:
        scored = reader.best_passages(prepared, plan)
        if not scored and not reader.weights(prepared, plan.title):
            # nothing but what kind of fact is asked ("Ai báo cáo cho ai, hạn khi nào?"): the plan's
            # reporting lines are the answer, wherever the plan states them
            record = reporting_record(reader, prepared, plan, 0.0)
            if record is not None:
                lines.append(reporting_answer(reader, prepared, plan, record, citations))
            continue
        if not scored or scored[0][1] < MIN_COVERAGE:
            continue
        duty = duty_answer(reader, prepared, plan, citations) or funding_answer(reader, prepared, plan, citations)
        if duty:
            lines.append(duty)
            continue
        record = reporting_record(reader, prepared, plan, scored[0][1])
        if record is not None:
            lines.append(reporting_answer(reader, prepared, plan, record, citations))
            continue
        lines.append(sentence_answer(reader, prepared, plan, scored, citations))
    if citations and prepared.info.money and not _has_amount(lines):
        # "bao nhiêu tỷ đồng?" answered without a figure is not an answer: the plan does not say
        return Answer(question=prepared.info.text, abstained=True, mode="extractive", citations=citations,
                      answer=slot("missing_amount") + " " + slot("nearby") + " " + "\n".join(lines))
    if citations:
        text = "\n".join(lines)
        asked = prepared.info.asked
        missing = [name for name in asked if not filled(name, text.split("): ", 1)[-1])]
        if missing and len(asked) == 1:
            # the one thing asked is not in what the plan says here: decline, show what it says
            return Answer(question=prepared.info.text, abstained=True, mode="extractive", citations=citations,
                          answer=slot("missing_part", part=slot("part_" + missing[0])) + " " + slot("nearby")
                          + " " + text)
        if missing:
            lines.append(slot("missing_parts", parts=", ".join(slot("part_" + m) for m in missing)))
    if not citations:
        return Answer(question=prepared.info.text, abstained=True, mode="extractive", citations=[],
                      answer=message("not_found", available=available_plans(reader.store.snapshot())))
    return Answer(question=prepared.info.text, answer="\n".join(lines), abstained=False, mode="extractive",
                  citations=citations)

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
from rag.slots import asked_slots, filled
from rag.types import Answer, Citation

# "bao nhiêu (tiền/tỷ đồng)", "mức chi", "tổng kinh phí … là bao nhiêu": a figure is asked
_AMOUNT_CUES = ("bao nhieu tien", "bao nhieu ty", "bao nhieu trieu", "bao nhieu dong", "muc chi", "muc ho tro",
                "muc phu cap", "tong kinh phi", "tong so tien", "kinh phi bao nhieu", "bao nhieu kinh phi")
_MARKERS = re.compile(r"\[\d+\]|\((?:Mục|Phần)[^)]*\)")


def asks_amount(folded: str) -> bool:
    return any(cue in folded for cue in _AMOUNT_CUES)


def _has_amount(lines: list[str]) -> bool:
    """A figure in what the answer quotes (citation markers and section labels aside)."""
    return any(filled("amount", _MARKERS.sub("", line.split("): ", 1)[-1])) for line in lines)


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
        duty = duty_answer(reader, prepared, plan, citations) or funding_answer(reader, prepared, plan, citations)
        if duty:
            lines.append(duty)
            continue
        record = reporting_record(reader, prepared, plan, scored[0][1])
        if record is not None:
            lines.append(reporting_answer(reader, prepared, plan, record, citations))
            continue
        lines.append(sentence_answer(reader, prepared, plan, scored, citations))
    if citations and asks_amount(prepared.info.folded) and not _has_amount(lines):
        # "bao nhiêu tỷ đồng?" answered without a figure is not an answer: the plan does not say
        return Answer(question=prepared.info.text, abstained=True, mode="extractive", citations=citations,
                      answer=slot("missing_amount") + " " + slot("nearby") + " " + "\n".join(lines))
    if citations:
        text = "\n".join(lines)
        asked = asked_slots(prepared.info.text)
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

"""The extractive answer, composed by answer units (rag/answers/).

Each unit follows one protocol (`AnswerUnit`): the question's analysis and one plan's evidence
in, the answer's lines and their citations out, or None when the unit does not answer this kind
of question. `UNITS` is the ordered registry, most specific first; the first unit that answers
for a plan gives that plan's lines. A plan whose evidence does not cover the question gives
nothing, and no plan giving anything is a polite refusal (naming the closest passage when one
was found). The answer cites each section once.

- a pasted line of a plan ............ rag/answers/quoted.py (whole question, before the units)
- the document's number, date, signer  rag/answers/metadata.py (from the plan's metadata)
- a row and column of an appendix table rag/answers/table.py
- who reports to whom, by when ....... rag/answers/reporting.py (only the kind is asked)
- what must agency X do .............. rag/answers/duty.py
- where the money comes from ......... rag/answers/funding.py
- who reports to whom, by when ....... rag/answers/reporting.py
- anything else: the best sentence ... rag/answers/sentences.py
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from index.models import Chunk
from rag.answers.common import available_plans
from rag.answers.duty import duty_answer
from rag.answers.funding import funding_answer
from rag.answers.metadata import metadata_answer
from rag.answers.quoted import quoted_answer
from rag.answers.reader import MIN_COVERAGE, PlanReader
from rag.answers.reporting import reporting_answer, reporting_record
from rag.answers.sentences import sentence_answer
from rag.answers.table import table_answer
from rag.prepared import PlanEvidence, Prepared
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


Scored = list[tuple[float, float, Chunk, str]]


class AnswerUnit(Protocol):
    """One kind of answer: lines for one plan (citations appended to `citations`, markers [n] in
    the lines), or None when this unit does not answer the question for this plan."""

    name: str

    def __call__(self, reader: PlanReader, prepared: Prepared, plan: PlanEvidence, scored: Scored,
                 citations: list[Citation]) -> str | None: ...


@dataclass(frozen=True)
class Unit:
    name: str
    answer: Callable[[PlanReader, Prepared, PlanEvidence, Scored, list[Citation]], str | None]
    needs_coverage: bool = True  # only when the best passage covers enough of what is asked

    def __call__(self, reader: PlanReader, prepared: Prepared, plan: PlanEvidence, scored: Scored,
                 citations: list[Citation]) -> str | None:
        return self.answer(reader, prepared, plan, scored, citations)


def _metadata(reader, prepared, plan, scored, citations):
    return metadata_answer(reader, prepared, plan, citations)


def _table(reader, prepared, plan, scored, citations):
    return table_answer(reader, prepared, plan, scored, citations)


def _kind_only_reporting(reader, prepared, plan, scored, citations):
    """Nothing but the kind of fact is asked ("Ai báo cáo cho ai, hạn khi nào?"): the plan's
    reporting lines are the answer, wherever the plan states them."""
    if reader.topic_weights(prepared, plan.title):
        return None
    record = reporting_record(reader, prepared, plan, 0.0)
    return reporting_answer(reader, prepared, plan, record, citations) if record is not None else None


def _duty(reader, prepared, plan, scored, citations):
    return duty_answer(reader, prepared, plan, citations)


def _funding(reader, prepared, plan, scored, citations):
    return funding_answer(reader, prepared, plan, citations)


def _reporting(reader, prepared, plan, scored, citations):
    record = reporting_record(reader, prepared, plan, scored[0][1])
    return reporting_answer(reader, prepared, plan, record, citations) if record is not None else None


def _sentences(reader, prepared, plan, scored, citations):
    return sentence_answer(reader, prepared, plan, scored, citations)


UNITS: tuple[Unit, ...] = (
    Unit("metadata", _metadata, needs_coverage=False),
    Unit("table", _table, needs_coverage=False),
    Unit("kind_only_reporting", _kind_only_reporting, needs_coverage=False),
    Unit("duty", _duty),
    Unit("funding", _funding),
    Unit("reporting", _reporting),
    Unit("sentences", _sentences),
)


def plan_lines(reader: PlanReader, prepared: Prepared, plan: PlanEvidence, citations: list[Citation],
               units: tuple[Unit, ...] = UNITS) -> str | None:
    """The first unit's answer for one plan."""
    scored = reader.best_passages(prepared, plan)
    covered = bool(scored) and scored[0][1] >= MIN_COVERAGE
    for unit in units:
        if unit.needs_coverage and not covered:
            continue
        text = unit(reader, prepared, plan, scored, citations)
        if text:
            return text
    return None


_MARKER = re.compile(r"\s?\[(\d+)\]")


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

    def renumber(match: re.Match[str]) -> str:
        cid = canonical.get(int(match.group(1)))
        if cid is None:
            return match.group(0)
        if cid in numbering:
            return ""  # this section is already cited
        numbering[cid] = len(numbering) + 1
        kept.append(by_id[cid].model_copy(update={"id": numbering[cid]}))
        return f" [{numbering[cid]}]"

    return _MARKER.sub(renumber, text), kept


def extractive_answer(reader: PlanReader, prepared: Prepared) -> Answer:
    quoted = quoted_answer(reader, prepared)
    if quoted is not None:
        return quoted
    lines: list[str] = []
    citations: list[Citation] = []
    for plan in prepared.plans:
        text = plan_lines(reader, prepared, plan, citations)
        if text:
            lines.append(text)
    if citations and prepared.info.money and not _has_amount(lines):
        # "bao nhiêu tỷ đồng?" answered without a figure is not an answer: the plan does not say
        text, cited = cite_sections_once("\n".join(lines), citations)
        return Answer(question=prepared.info.text, abstained=True, mode="extractive", citations=cited,
                      answer=slot("missing_amount") + " " + slot("nearby") + " " + text)
    if citations:
        text = "\n".join(lines)
        asked = prepared.info.asked
        missing = [name for name in asked if not filled(name, text.split("): ", 1)[-1])]
        if missing and len(asked) == 1:
            # the one thing asked is not in what the plan says here: decline, show what it says
            text, cited = cite_sections_once(text, citations)
            return Answer(question=prepared.info.text, abstained=True, mode="extractive", citations=cited,
                          answer=slot("missing_part", part=slot("part_" + missing[0])) + " " + slot("nearby")
                          + " " + text)
        if missing:
            lines.append(slot("missing_parts", parts=", ".join(slot("part_" + m) for m in missing)))
    if not citations:
        return Answer(question=prepared.info.text, abstained=True, mode="extractive", citations=[],
                      answer=message("not_found", available=available_plans(reader.store.snapshot())))
    text, citations = cite_sections_once("\n".join(lines), citations)
    return Answer(question=prepared.info.text, answer=text, abstained=False, mode="extractive",
                  citations=citations)

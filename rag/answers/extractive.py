"""The extractive answer, composed by answer units (rag/answers/).

Each unit follows one protocol (`AnswerUnit`): the question's analysis and one plan's evidence
in, the answer's lines and their citations out, or None when the unit does not answer this kind
of question. `UNITS` is the ordered registry, most specific first; the first unit that answers
for a plan gives that plan's lines. A plan whose evidence does not cover the question gives
nothing, and no plan giving anything is a polite refusal (naming the closest passage when one
was found). The answer cites each section once.

- a pasted line of a plan ............ rag/answers/quoted.py (whole question, before the units)
- the document's number, date, signer  rag/answers/metadata.py (from the plan's metadata)
- when a task is due, how often ...... rag/answers/timing.py
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

from index.facts import has_time
from lang.normalize import collapse_ws, fold
from rag.answers.basis import basis_answer
from rag.answers.citing import cite_sections_once
from rag.answers.common import available_plans, checked_recipients, citation, recipients_named, trim_quote
from rag.answers.duty import duty_answer
from rag.answers.fallback import (
    MARKERS,
    Scored,
    Unanswered,
    body_line,
    completing_line,
    fallback_lines,
    fills,
    named_actors,
    not_the_actor,
    own_item_lines,
    premise_corrected,
    row_in_money,
    where_named,
)
from rag.answers.funding import funding_answer
from rag.answers.listing import assigned_answer
from rag.answers.metadata import metadata_answer
from rag.answers.next_passage import duration_first, next_passage, said_missing
from rag.answers.overview import overview_answer
from rag.answers.premise import date_premise, nearest_recipient_premise, predicate_leads, recipient_premise
from rag.answers.quoted import quoted_answer
from rag.answers.reader import MIN_COVERAGE, PlanReader, asks_obligation, asks_who
from rag.answers.record import follow_up_answer
from rag.answers.reporting import (
    actor_items,
    actor_phrase,
    asks_several,
    reporting_answer,
    reporting_lines,
    reporting_lines_answer,
    reporting_record,
    sends_to_several,
)
from rag.answers.roles import acting_first
from rag.answers.sentences import sentence_answer
from rag.answers.table import selected_answer, table_answer
from rag.answers.timing import asks_time, checks_date, item_time_line, timing_answer
from rag.cues import any_cue, group
from rag.prepared import PlanEvidence, Prepared
from rag.prompts import message, slot
from rag.scope import foreign_numbers, sole_issuer
from rag.types import Answer, AnswerMode, Citation


def _has_amount(lines: list[str], folded_question: str) -> bool:
    """A figure in what the answer quotes (citation markers and section labels aside); when a sum
    of money is asked, a figure with its unit: "90% hộ gia đình" does not say how much a fine is, nor "trong 30 ngày" what a support level is."""
    slot_name = "money" if any_cue(folded_question, group("amount")["sum"]) else "rate"
    return any(fills(slot_name, MARKERS.sub("", line.split("): ", 1)[-1])) for line in lines)


_YEAR_ASKED = re.compile(r"\bnam ((?:19|20)\d\d)\b")


def _years_not_stated(reader: PlanReader, prepared: Prepared, lines: list[str]) -> list[str]:
    """The years a figure is asked for ("tỷ lệ … năm 2030 là bao nhiêu?") that neither the answer
    nor the body of any plan in scope states (its title aside, the year that names the plan; its
    preamble aside, where other documents' horizons are cited): evidence the plan has no such figure."""
    if "amount" not in prepared.info.asked or not prepared.plans:
        return []
    said = " ".join(lines)
    years = [y for y in dict.fromkeys(_YEAR_ASKED.findall(prepared.info.folded)) if y not in said]
    snap = reader.store.snapshot()
    if not years or snap is None:
        return []
    for plan in prepared.plans:
        stated = plan.title + " " + " ".join(c.text for c in snap.chunks_of(plan.source) if c.section != "preamble")
        years = [y for y in years if y not in stated]
    return years


def extractive_once(reader: PlanReader, prepared: Prepared) -> Answer:
    """The extractive answer of a prepared question, made once: the LLM path reads its citations
    as evidence and falls back to it."""
    if prepared.extractive is None:
        prepared.extractive = extractive_answer(reader, prepared)
    return prepared.extractive


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


def _record_follow(reader, prepared, plan, scored, citations):
    return follow_up_answer(reader, prepared, plan, citations)


def _timing(reader, prepared, plan, scored, citations):
    return timing_answer(reader, prepared, plan, scored, citations)


def _timing_after_reporting(reader, prepared, plan, scored, citations):
    return timing_answer(reader, prepared, plan, scored, citations, after_reporting=True)


def _table(reader, prepared, plan, scored, citations):
    return table_answer(reader, prepared, plan, scored, citations)


def _table_named(reader, prepared, plan, scored, citations):
    """A question that names the appendix ("theo phụ lục, báo cáo sơ kết … hạn gửi ngày nào?") is
    answered from its row before a body sentence that defers to it ("theo thời hạn tại Phụ lục")."""
    folded = fold(prepared.info.text)
    if not any_cue(folded, group("table")["appendix"]) or any_cue(folded, group("table")["rows"]):
        return None  # "Phụ lục I giao Sở X những nhiệm vụ nào?" is the duty unit's (its items and rows)
    return table_answer(reader, prepared, plan, scored, citations)


def _kind_only_reporting(reader, prepared, plan, scored, citations):
    """Nothing but the kind of fact is asked ("Ai báo cáo cho ai, hạn khi nào?"): the plan's
    reporting lines are the answer, wherever the plan states them."""
    if reader.topic_weights(prepared, plan.title):
        return None
    if "reporting" in prepared.info.kinds and not prepared.info.agencies:
        # "who reports to whom": every line the plan states, the main one first
        lines = reporting_lines(reader, plan, timed_first="deadline" in prepared.info.kinds)
        if len(lines) > 1:
            return reporting_lines_answer(reader, prepared, plan, lines, citations)
    record = reporting_record(reader, prepared, plan, 0.0)
    return reporting_answer(reader, prepared, plan, record, citations) if record is not None else None


def _duty(reader, prepared, plan, scored, citations):
    return duty_answer(reader, prepared, plan, citations)


def _funding(reader, prepared, plan, scored, citations):
    return funding_answer(reader, prepared, plan, citations)


def _reporting(reader, prepared, plan, scored, citations):
    if not scored:
        return None
    record = reporting_record(reader, prepared, plan, scored[0][1], scored[0][3])
    return reporting_answer(reader, prepared, plan, record, citations) if record is not None else None


def _assigned(reader, prepared, plan, scored, citations):
    return assigned_answer(reader, prepared, plan, citations)


def _reporting_several(reader, prepared, plan, scored, citations):
    """"báo cáo những cơ quan nào?": a sentence sending the report to several bodies answers whole,
    before a table row that names one of them."""
    if not scored or not asks_several(prepared):
        return None
    record = reporting_record(reader, prepared, plan, scored[0][1], scored[0][3])
    if record is None or not sends_to_several(reader, record):
        return None
    return reporting_answer(reader, prepared, plan, record, citations)


def _sentences(reader, prepared, plan, scored, citations):
    return sentence_answer(reader, prepared, plan, scored, citations)


UNITS: tuple[Unit, ...] = (
    Unit("metadata", _metadata, needs_coverage=False),
    # "còn thời gian thì sao?" after an answer from an item: the same item's record (gates itself)
    Unit("record_follow", _record_follow, needs_coverage=False),
    Unit("table_select", selected_answer, needs_coverage=False),
    Unit("table_named", _table_named, needs_coverage=False),
    # "gồm những nội dung chính nào?": the headings of the part so titled; gates itself
    Unit("overview", overview_answer, needs_coverage=False),
    # "when is the task due?": the time of the item that states the task, wherever the item
    # states it (its sentence, a field line, its appendix row); the unit gates itself
    Unit("timing", _timing, needs_coverage=False),
    # "what must X do?" gates itself (a named body, nothing asked but its work): before a table
    # row that names the body, and whatever the passages' coverage (an abbreviation of the plan)
    Unit("duty", _duty, needs_coverage=False),
    Unit("reporting_several", _reporting_several, needs_coverage=False),
    Unit("table", _table, needs_coverage=False),
    Unit("kind_only_reporting", _kind_only_reporting, needs_coverage=False),
    # "đề nghị những cơ quan nào …?": the item opening with that verb, wherever the plan puts it
    Unit("assigned", _assigned, needs_coverage=False),
    Unit("funding", _funding),
    # a reporting line whose bodies come from its heading covers the question with their names:
    # the unit gates itself (rag/answers/reporting.py)
    Unit("reporting", _reporting, needs_coverage=False),
    # "where does it go, and how long?": the reporting line first, else the task's sentence saying both
    Unit("timing_after_reporting", _timing_after_reporting, needs_coverage=False),
    Unit("sentences", _sentences),
)


def _mentions(text: str, number: str) -> bool:
    """Does a passage name the plan number ("07/KH-UBND", its symbol maybe broken across lines)?"""
    digits = number.split("/", 1)[0]
    return bool(re.search(rf"(?<![\d/])0*{digits}\s*/\s*KH\b", text, re.IGNORECASE))


def _about_actors(reader: PlanReader, prepared: Prepared, plan: PlanEvidence, scored: Scored,
                  unanswered: Unanswered | None) -> Scored | None:
    """The passages ranked with those about the bodies the question names first; None when the
    plan never speaks of any of them ("Sở Du lịch" in a plan that gives it nothing). A yes/no
    question's body is the premise checked: the passage stating its task leads (predicate_leads)."""
    actors = named_actors(prepared)
    if not actors or not scored:
        return scored
    # a section is about a body when any of its passages names it (a long preamble is cut in several)
    sections = {item[2].section for item in scored if actors & reader.agencies_of(item[2])}
    about = [item for item in scored if item[2].section in sections]
    doc = prepared.snap.docs.get(plan.source) if prepared.snap is not None else None
    if not about and doc is not None and all(sole_issuer(doc.meta, a) for a in actors):
        return scored  # a Sở's own plan speaks of its work through its units ("Văn phòng Sở", "Giám đốc Sở")
    if not about:
        # a question about what the plan assigns is not answered by the bodies its preamble cites
        spoken_of = reader.plan_agencies(plan.source, preamble=not asks_obligation(prepared))
        if actors & spoken_of:
            return scored  # spoken of beyond the passages retrieved: no evidence either way
        if unanswered is not None:
            unanswered.absent.extend(a for a in sorted(actors) if a not in unanswered.absent)
        return None
    subject = actors - recipients_named(prepared.info.text)
    if subject and not prepared.info.asks_recipient and "cooperating" not in prepared.info.kinds \
            and not asks_who(prepared):
        # the body as the subject ("Sở X báo cáo … trước ngày nào?"): where it acts, by the register,
        # before where it is only named as recipient or partner (rag/answers/roles.py)
        acting = acting_first(about, reader.records(plan.source, "assignment")
                              + reader.records(plan.source, "reporting"), frozenset(subject))
        about = acting if acting[0][1] >= MIN_COVERAGE else about
    if about[0] is scored[0] or about[0][1] < MIN_COVERAGE or (prepared.info.confirm and predicate_leads(about[0][1], scored[0][1])):
        return scored
    ids = {id(item) for item in about}
    return about + [item for item in scored if id(item) not in ids]


def _actor_items_first(reader: PlanReader, prepared: Prepared, plan: PlanEvidence, scored: Scored) -> Scored:
    """Who reports where, the body named by words the agency list does not know ("đơn vị thực
    hiện kiểm kê báo cáo … cho ai?"): the passages of the item the plan heads by that body lead,
    when one covers the question (another body's line shares the same words)."""
    if "reporting" not in prepared.info.kinds or set(prepared.info.agencies) - checked_recipients(prepared.info) \
            or not scored:
        return scored
    sections = actor_items(reader, plan.source, actor_phrase(prepared.info.subject or prepared.info.text))
    own = [item for item in scored if item[2].section in sections]
    if not own or own[0] is scored[0] or own[0][1] < MIN_COVERAGE:
        return scored
    ids = {id(item) for item in own}
    return own + [item for item in scored if id(item) not in ids]


# how far down the ranking a sentence that covers the question may come from to lead it
COVERING_WITHIN = 3


def _covering_first(scored: Scored, asked: list[str]) -> Scored:
    """The ranking with the best sentence that covers the question first, when the first ranks
    high on the kind of fact alone ("Tổng kinh phí …" above "- Mua vắc xin: 4.900 triệu đồng" when
    the vaccine's money is asked): a plan that says what is asked is not declined for it. Only a
    sentence that holds every value asked ("bao nhiêu?": a figure) may lead: words in common
    alone are no evidence the plan says it."""
    if not scored or scored[0][1] >= MIN_COVERAGE or not asked:
        return scored
    best = next((item for item in scored[1:COVERING_WITHIN]
                 if item[1] >= MIN_COVERAGE and all(fills(slot, item[3]) for slot in asked)), None)
    if best is None:
        return scored
    return [best, *(item for item in scored if item is not best)]


_COUNTED_TIME = re.compile(r"\b\d+ (?:ngay|thang|tuan|gio|nam)\b")


def _dated(text: str) -> bool:
    """A time the reader can put in a calendar: a date, month, quarter, year, recurrence, or a
    count of days ("trong 15 ngày"); "ngay sau khi kết thúc lễ hội" is a time, but a weaker one."""
    return has_time(text) or bool(_COUNTED_TIME.search(" ".join(fold(text).split())))


def _outdated_by_best(prepared: Prepared, scored: Scored, text: str) -> bool:
    """Does a unit's answer lack the calendar time asked, which the best-ranked sentence gives?"""
    if "deadline" not in prepared.info.asked or not scored:
        return False
    said = MARKERS.sub("", text.split("): ", 1)[-1])
    return not _dated(said) and _dated(scored[0][3])


_DISTRIBUTION = re.compile(r"(?:^|\n)\s*N[ơo]i\s+nh[ậa]n\s*:", re.IGNORECASE)


def _without_distribution(scored: Scored, prepared: Prepared) -> Scored:
    """The ranking without the lines of the distribution list ("Nơi nhận: … - Công an tỉnh, BHXH
    tỉnh;"): the bodies a plan is sent to are given no task there, and no report goes there. A
    question about the list itself ("gửi những nơi nào", "nơi nhận") keeps them."""
    if "noi nhan" in prepared.info.folded or prepared.info.document:
        return scored
    kept = []
    for item in scored:
        chunk, sentence = item[2], item[3]
        opening = _DISTRIBUTION.search(chunk.text) if chunk.section == "closing" else None
        if opening is not None and chunk.text.find(sentence[:40], opening.start()) >= 0:
            continue
        kept.append(item)
    return kept


def _same_item(section: str, other: str) -> bool:
    """One section inside the other ("II.3.2" and "II.3.2.a"), or the same."""
    return section == other or section.startswith(other + ".") or other.startswith(section + ".")


def _following(scored: Scored, prepared: Prepared) -> Scored:
    """A follow-up that swaps what is asked ("Còn thời gian … thì sao?"): the sentences of the
    item the previous answer cited that hold the value now asked lead, the task kept."""
    if not prepared.follows or not prepared.info.asked:
        return scored
    kept = [item for item in scored
            if any(item[2].source == source and _same_item(item[2].section, section)
                   for source, section in prepared.follows)
            and all(fills(name, item[3]) for name in prepared.info.asked)]
    if not kept:
        return scored
    ids = {id(item) for item in kept}
    return kept + [item for item in scored if id(item) not in ids]


def plan_lines(reader: PlanReader, prepared: Prepared, plan: PlanEvidence, citations: list[Citation],
               units: tuple[Unit, ...] = UNITS, unanswered: Unanswered | None = None) -> str | None:
    """The first unit's answer for one plan."""
    scored = reader.best_passages(prepared, plan)
    if unanswered is not None and unanswered.cited:
        # "Kế hoạch số 2543/KH-UBND" is no indexed plan: only where this plan speaks of it answers
        scored = [item for item in scored if any(_mentions(item[2].text, number) for number in unanswered.cited)]
        if not scored:
            return None
    if scored and unanswered is not None:
        unanswered.nearest.append((scored[0][0], plan, scored[0][2], scored[0][3]))
    kept = _without_distribution(scored, prepared)
    about = _about_actors(reader, prepared, plan, kept, None if confirming(prepared) else unanswered)
    if about is None and confirming(prepared):
        # "Sở Tài chính chủ trì … đúng không?" in a plan that never names Sở Tài chính: the task's
        # own item says who does it, and the answer is "no"
        about = kept
    if about is None:
        return None
    about = _actor_items_first(reader, prepared, plan, about)
    ranked = duration_first(_covering_first(about, prepared.info.asked), prepared)
    scored = _following(ranked, prepared)
    # a follow-up's kept task is covered by the turn before ("Còn hạn thì sao?" shares no word
    # with "Thời gian thực hiện: Năm 2025-2026"; the previous turn chose the item)
    covered = bool(scored) and (scored[0][1] >= MIN_COVERAGE or (scored is not ranked and scored[0] is not ranked[0]))
    if unanswered is not None and scored:
        unanswered.rankings.append((plan, scored))
    actors = named_actors(prepared)
    # "what must X do?" is not answered by a passage that neither names X nor stands under its
    # heading: the best sentence then is another body's work
    other_body = "duty" in prepared.info.kinds and bool(actors) and bool(scored) \
        and not actors & reader.agencies_of(scored[0][2])
    for unit in units:
        if unit.needs_coverage and not covered:
            continue
        if other_body and unit.answer is _sentences:
            continue
        trial = list(citations)
        text = unit(reader, prepared, plan, scored, trial)
        if text:
            # (a row of the appendix the question names is what it asks, whatever else the best passage holds)
            if unit.answer not in (_sentences, _table_named) and covered and _outdated_by_best(prepared, scored, text):
                # the unit's line gives a weaker value than the best sentence holds ("ngay sau khi
                # kết thúc lễ hội" for "trước ngày nào?", the plan saying "trước ngày 15/9/2025")
                trial = list(citations)
                text = _sentences(reader, prepared, plan, scored, trial) or text
            citations[:] = trial
            return text
    if scored and not covered and unanswered is not None:
        unanswered.uncovered.append((plan, scored))
    return None


def extractive_answer(reader: PlanReader, prepared: Prepared) -> Answer:
    quoted = quoted_answer(reader, prepared)
    if quoted is not None:
        # the pasted line and its item's labelled fields ("- Cơ quan thực hiện: …") are one section,
        # cited once: the field keeps its label, the marker is the section's first
        once, cited = cite_sections_once(quoted.answer, quoted.citations)
        return quoted.model_copy(update={"answer": once, "citations": cited})
    based = basis_answer(reader, prepared)  # "thực hiện Quyết định nào?", "theo đề nghị của ai?"
    if based is not None:
        return based
    lines: list[str] = []
    citations: list[Citation] = []
    snap = reader.store.snapshot()
    unanswered = Unanswered([], [], foreign_numbers(prepared.info.text, snap.docs.values() if snap else ()))
    for plan in prepared.plans:
        text = plan_lines(reader, prepared, plan, citations, unanswered=unanswered)
        if text:
            lines.append(text)
    if not lines:
        lines = fallback_lines(reader, prepared, unanswered, citations) or \
            own_item_lines(reader, prepared, unanswered, citations)
    if citations and prepared.info.money and not _has_amount(lines, prepared.info.folded) \
            and not row_in_money(reader, lines, citations):
        # the sum is often in another sentence ranked close ("kinh phí hỗ trợ nạn nhân: 450 triệu
        # đồng" in the funding part): that sentence is the answer, before declining
        in_money = body_line(reader, prepared, unanswered, ["money"])
        if in_money is not None:
            lines, citations = [in_money[0]], [in_money[1]]
    if citations and prepared.info.money and not _has_amount(lines, prepared.info.folded) \
            and not row_in_money(reader, lines, citations):
        # "bao nhiêu tỷ đồng?" answered without a figure is not an answer: the plan does not say
        text, cited = cite_sections_once("\n".join(lines), citations)
        return Answer(question=prepared.info.text, abstained=True, mode=AnswerMode.EXTRACTIVE, citations=cited,
                      answer=slot("missing_amount") + " " + slot("nearby") + " " + text)
    absent_years = _years_not_stated(reader, prepared, lines) if citations else []
    if absent_years:
        # "năm 2030 đạt bao nhiêu?" from a plan whose figures stop at 2028: another year's figure
        # is no answer; show the figures the plan gives
        text, cited = cite_sections_once("\n".join(lines), citations)
        return Answer(question=prepared.info.text, abstained=True, mode=AnswerMode.EXTRACTIVE, citations=cited,
                      answer=slot("missing_year", year=", ".join(absent_years)) + " " + slot("nearby") + " " + text)
    if citations:
        asked = prepared.info.asked
        text, said, missing = said_missing(lines, asked)
        if missing and all(c.section == "preamble" for c in citations):
            # the legal bases ("Căn cứ Kế hoạch số …") say what other documents ask: an item of
            # the plan's body, ranked close, that holds the value asked is the answer instead
            from_body = body_line(reader, prepared, unanswered, missing)
            if from_body is not None:
                lines, citations = [from_body[0]], [from_body[1]]
                text, said, missing = said_missing(lines, asked)
        if missing:
            # the value is often a sibling point of the item quoted ("a) Chủ trì … thanh tra …",
            # "b) Kết luận thanh tra gửi Ủy ban nhân dân tỉnh …"): quoted, it completes the answer
            extra = completing_line(prepared, unanswered, citations, missing, said)
            if extra:
                lines[-1] = f"{lines[-1]} {extra}"  # one item, one line: its citation says which point
                text, said, missing = said_missing(lines, asked)
        # "… trước 30/11/2025 phải không?" asks no slot but checks the task's time: its item's, too
        checks_time = not asked and (asks_time(prepared) or checks_date(prepared)) and not any(has_time(c.quote) for c in citations)
        if (missing and set(missing) <= {"deadline", "frequency"}) or checks_time:
            # the task's time is a field of its item the answer did not quote ("c) Thời gian thực
            # hiện: Thực hiện thường xuyên" after the quoted "a) Nhiệm vụ: …")
            extra = item_time_line(reader, citations)
            if extra:
                lines[-1] = f"{lines[-1]} {extra}"
                text, said, missing = said_missing(lines, asked)
        found = next_passage(reader, prepared, unanswered, citations, missing, plan_lines) \
            if missing and len(missing) == len(asked) else None
        if found is not None:  # an item ranked as well holds what the one quoted lacks
            (text, citations), missing = found, []
            lines = [text]
        if missing and len(missing) == len(asked):
            # nothing asked is in what the plan says here (the one value, or each of several: "báo
            # cáo về đâu, hạn khi nào?" of a task with neither): decline, show what it says
            text, cited = cite_sections_once(text, citations)
            parts = ", ".join(slot("part_" + m) for m in missing)
            return Answer(question=prepared.info.text, abstained=True, mode=AnswerMode.EXTRACTIVE, citations=cited,
                          answer=slot("missing_part", part=parts) + " " + slot("nearby") + " " + text)
        if missing:
            lines.append(slot("missing_parts", parts=", ".join(slot("part_" + m) for m in missing)))
    if not citations:
        return _declined(reader, prepared, unanswered)
    actor = not_the_actor(reader, prepared, citations)
    corrected = premise_corrected(reader, prepared, actor, citations) if actor is not None else None
    if corrected is not None:
        # "Sở X chủ trì … đúng không?": the plan's lead, the premise named wrong (issue 21)
        lines.insert(0, corrected)
        actor = None
    if actor is not None:
        # the items cited give the task to another body, the one asked only cooperating or
        # receiving the report there: the plan names it, but not for this (issue 21)
        return _not_its_task(reader, prepared, unanswered, actor, lines, citations)
    dated = date_premise(prepared, "\n".join(lines))
    if dated is not None:
        lines.insert(0, dated)  # "hạn 30/11 phải không?" of a task the plan dates otherwise
    sent = recipient_premise(prepared, "\n".join(lines))
    if sent is not None:
        lines.insert(0, sent)  # "… báo cáo cho Sở X phải không?" of a line the plan sends elsewhere
    text, citations = cite_sections_once("\n".join(lines), citations)
    return Answer(question=prepared.info.text, answer=text, abstained=False, mode=AnswerMode.EXTRACTIVE,
                  citations=citations)


def confirming(prepared: Prepared) -> bool:
    """Does the question state who acts and ask the reader to confirm it ("… đúng không?")? A
    premise about a date, a report or a sum ("hạn … là 30/9 phải không?") is not who acts."""
    kinds = set(prepared.info.kinds)
    if {"deadline", "reporting", "frequency"} & kinds or prepared.info.money or ("funding" in kinds and "lead" not in kinds):
        return False
    return prepared.info.confirm


def _not_its_task(reader: PlanReader, prepared: Prepared, unanswered: Unanswered, actor: str,
                  lines: list[str], citations: list[Citation]) -> Answer:
    """Decline a task the plan gives another body: say so, and quote where the plan does name the
    body asked (what it gives it), else the passage the answer would have quoted."""
    head = slot("missing_agency", agency=actor)
    named = where_named(reader, prepared, actor, unanswered)
    if named is not None:
        plan = next((p for p in prepared.plans if p.source == named.source), None)
        title = plan.title if plan is not None else named.source
        quote = trim_quote(collapse_ws(named.text), reader.weights(prepared, title))
        text = (head + " " + slot("agency_named", agency=actor) + " "
                + message("according_to", title=title, label=named.section_label) + ": " + quote + " [1]")
        return Answer(question=prepared.info.text, abstained=True, mode=AnswerMode.EXTRACTIVE,
                      citations=[citation(1, named, quote)], answer=text)
    text, cited = cite_sections_once("\n".join(lines), citations)
    return Answer(question=prepared.info.text, abstained=True, mode=AnswerMode.EXTRACTIVE, citations=cited,
                  answer=head + " " + slot("nearby") + " " + text)


def _declined(reader: PlanReader, prepared: Prepared, unanswered: Unanswered) -> Answer:
    """No plan answers: say what is missing (a body no plan gives this to, or the content), and
    name the closest passage found, cited, so the reader sees where the plan comes nearest."""
    if unanswered.cited and not unanswered.nearest:
        # no passage of the plans in scope speaks of the plan named by its number
        what = "kế hoạch số " + ", ".join(sorted(unanswered.cited))
        return Answer(question=prepared.info.text, abstained=True, mode=AnswerMode.EXTRACTIVE, citations=[],
                      answer=message("unknown_plan", what=what, available=available_plans(reader.store.snapshot())))
    if not unanswered.nearest:
        return Answer(question=prepared.info.text, abstained=True, mode=AnswerMode.EXTRACTIVE, citations=[],
                      answer=message("not_found", available=available_plans(reader.store.snapshot())))
    _, plan, chunk, sentence = max(unanswered.nearest, key=lambda item: item[0])
    quote = trim_quote(collapse_ws(sentence), reader.weights(prepared, plan.title))
    cited = [citation(1, chunk, quote)]
    line = message("according_to", title=plan.title, label=chunk.section_label) + ": " + quote + " [1]"
    corrected = premise_corrected(reader, prepared, unanswered.absent[0], cited) \
        if len(unanswered.absent) == 1 else None
    if corrected is None:
        # "X gửi … về Y phải không?" whose closest passage is X's own report sent to Z: "no", and Z
        corrected = nearest_recipient_premise(reader, prepared, chunk, quote)
    if corrected is not None:
        # "Sở X chủ trì … đúng không?" of a body the plan never names: the task's real lead
        return Answer(question=prepared.info.text, abstained=False, mode=AnswerMode.EXTRACTIVE, citations=cited,
                      answer=corrected + "\n" + line)
    if unanswered.absent:
        missing = slot("missing_agency", agency=", ".join(unanswered.absent))
    else:
        missing = slot("missing_content")
    text = missing + " " + slot("nearby") + " " + line
    return Answer(question=prepared.info.text, abstained=True, mode=AnswerMode.EXTRACTIVE, citations=cited, answer=text)

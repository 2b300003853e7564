"""Choosing among the passages found. The next passage, before declining: the best-ranked item often lacks the value asked while an
item ranked as well holds it (a part's target "Xóa bỏ 100% điểm tập kết rác thải tự phát …" and
the appendix row of the same task with its "Phối hợp" column). The plan declines the value only
when no well-ranked passage gives it. And a length of time asked ("trong thời hạn bao lâu?") is
answered by a count of days ("trong 15 ngày kể từ …"), not by a date ranked as well."""

from __future__ import annotations

import re
from collections.abc import Callable

from lang.normalize import fold
from rag.answers.fallback import MARKERS, Scored, Unanswered, fills
from rag.answers.reader import MIN_COVERAGE, PlanReader
from rag.cues import any_cue, group
from rag.prepared import PlanEvidence, Prepared
from rag.types import Citation

# a passage ranked within this share of the best one is as much about the task asked (the share
# rag/answer.py keeps a plan by)
CLOSE = 0.8

PlanLines = Callable[[PlanReader, Prepared, PlanEvidence, list[Citation]], "str | None"]


def said_in(text: str) -> str:
    """What an answer line quotes (after "Theo … (Mục …): "), its markers left out."""
    return MARKERS.sub("", text.split("): ", 1)[-1])


def said_missing(lines: list[str], asked: list[str]) -> tuple[str, str, list[str]]:
    """An answer's text, what it quotes (a marker "[1]" is no figure) and the values asked it lacks."""
    text = "\n".join(lines)
    said = said_in(text)
    return text, said, [name for name in asked if not fills(name, said)]


def next_passage(reader: PlanReader, prepared: Prepared, unanswered: Unanswered, citations: list[Citation],
                 missing: list[str], plan_lines: PlanLines) -> tuple[str, list[Citation]] | None:
    """The answer of a plan from its passages without the ones cited, when a passage it then
    quotes is ranked close to the best and the answer holds every value missing."""
    cited = {(c.source, c.section) for c in citations}
    for plan, scored in unanswered.rankings:
        if not scored:
            continue
        close = {(item[2].source, item[2].section) for item in scored
                 if item[0] >= CLOSE * scored[0][0] and item[1] >= MIN_COVERAGE}
        if not close - cited:
            continue  # nothing else is ranked as well: the plan does not say
        hits = [hit for hit in plan.hits if (hit.chunk.source, hit.chunk.section) not in cited]
        trial: list[Citation] = []
        text = plan_lines(reader, prepared, PlanEvidence(plan.source, plan.title, hits), trial)
        if not text or not any((c.source, c.section) in close for c in trial):
            continue
        if all(fills(name, said_in(text)) for name in missing):
            return text, trial
    return None


_COUNTED = re.compile(r"(?<![\w/])\d+ (?:ngay|thang|tuan|gio)(?! \d)")


def asks_duration(prepared: Prepared) -> bool:
    """Does the question ask a length of time ("bao lâu", "mấy ngày"), not how often?"""
    folded = prepared.info.folded
    return any_cue(folded, group("timing")["duration"]) and not any_cue(folded, group("slots")["frequency"])


def duration_first(scored: Scored, prepared: Prepared) -> Scored:
    """The ranking with the first sentence ranked close to the best that counts a length of time
    ("trong 15 ngày kể từ ngày kết thúc đợt kiểm tra") first, when a length is asked."""
    if not scored or not asks_duration(prepared) or _COUNTED.search(fold(scored[0][3])):
        return scored
    best = next((item for item in scored[1:4] if item[0] >= CLOSE * scored[0][0] and item[1] >= MIN_COVERAGE
                 and _COUNTED.search(fold(item[3]))), None)
    return scored if best is None else [best, *(item for item in scored if item is not best)]

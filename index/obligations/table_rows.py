"""Rows of a task table ("STT | Nhiệm vụ | Cơ quan chủ trì | …"), read by their header."""

from __future__ import annotations

import re

from index.obligations.actors import _DUTY_VERBS, _Frames
from index.obligations.deadlines import _time_value
from index.obligations.records import Obligation, _Place
from index.obligations.reporting import _reporting_rows
from index.tables import row_fields
from lang.agencies import find_bodies
from lang.normalize import collapse_ws, match_tokens


def _agency_names(cell: str) -> list[str]:
    """Canonical names of the agencies a table cell lists, or its own parts ("; ", ", ") when
    the lexicon knows none of them."""
    names = list(dict.fromkeys(m.name for m in find_bodies(cell)))
    if names:
        return names
    # short parts only: a long one is a task that spilled into the column (a group row)
    parts = [collapse_ws(part) for part in re.split(r"[;,]", cell) if part.strip()]
    return [p for p in parts if len(p.split()) <= 6 and p[:1].isupper() and not _is_duty(p)]


def _is_duty(text: str) -> bool:
    folded = " ".join(match_tokens(text))
    return any(folded.startswith(verb) for verb in (*_DUTY_VERBS, "hoan thien", "quan ly", "dao tao", "van hanh",
                                                     "khai thac", "cac nhiem vu"))


def _row_records(header: str, row: str, base: _Place) -> list[Obligation]:
    """An assignment (and a deadline, when the row has one) from one row of a task table."""
    fields = row_fields(header, row)
    if fields is None or not (fields.task or fields.lead):
        return []
    leads = _agency_names(fields.lead) if fields.lead else []  # several in the column: co-leads
    lead = leads[0] if leads else None
    cooperating = tuple(n for n in _agency_names(fields.cooperating) if n not in leads)
    quote = collapse_ws(row)
    task = collapse_ws(fields.task) or None
    out = [Obligation(kind="assignment", role="lead", agency=name, cooperating=tuple(c for c in cooperating if c != name),
                      quote=quote, task=task, **base) for name in ([*leads] if leads else [None])]
    # "Báo cáo Bộ Tài chính tình hình thực hiện" in the task cell, "định kỳ hằng quý báo cáo về Sở
    # Tài chính" in the time cell: the lead reports
    for cell in (task, collapse_ws(fields.deadline)):
        if cell:
            tokens = match_tokens(cell)
            out.extend(_reporting_rows(cell, tokens, _Frames(tokens), find_bodies(cell), lead, "", quote, base))
    if fields.deadline:
        # the column says it is a deadline: no "trước ngày" cue is needed for its date
        due, _, flags, recurrence, relative = _time_value(fields.deadline)
        out.append(Obligation(kind="deadline", agency=lead, due_date=due, deadline_text=collapse_ws(fields.deadline),
                              recurrence=recurrence, flags=flags, relative=relative, quote=quote, task=task, **base))
    return out

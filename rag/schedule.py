"""Due dates from the obligations register: what an agency must do, and by which day.

The register (index/obligations/) keeps each obligation's date as printed and its recurrence
tags. This module turns a row into calendar dates: a dated obligation is due once; a periodic one
("hằng năm", "hằng quý", "định kỳ 6 tháng", "hằng tháng", "trước ngày 15 của tháng cuối quý") is
due on every day its period names, within the years its plan covers. A periodic row whose words
name no day ("báo cáo định kỳ") has no date: it is never given an invented one.

Agencies are matched through the agency lexicon (lang/agencies.py), so "Sở TT&TT" and "Sở Thông
tin và Truyền thông" are the same agency. Everything here is pure: callers pass "today".
"""

from __future__ import annotations

import calendar
import datetime as dt
import hashlib
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from index.obligations import Obligation
from index.ocr_repair import display_form
from lang.agencies import AGENCIES, find_agencies
from lang.dates import DAY, MONTH
from lang.normalize import match_tokens
from rag.answers.common import reporting_sentence

# Roles an agency can have in a row, as the reminder tells them.
ACTOR, COOPERATING, RECIPIENT, SHARED = "actor", "cooperating", "recipient", "shared"
PERIOD_LABELS = {"yearly": "hằng năm", "semiannual": "định kỳ 6 tháng", "quarterly": "hằng quý",
                 "monthly": "hằng tháng"}
ALL_MONTHS = tuple(range(1, 13))

# "trước ngày 15/12" (no year): folded tokens "truoc ngay 15 12"; "ngày 15 tháng 12" the same
_DAY_MONTH = re.compile(rf"\b(?:truoc|cham nhat|han|den|vao)\s+(?:ngay\s+)?({DAY})\s+(?:thang\s+)?({MONTH})\b"
                        r"(?!\s+(?:nam\s+)?\d{4})")
# "trước ngày 15 của tháng cuối quý", "ngày 10 tháng đầu quý sau"
_QUARTER_DAY = re.compile(rf"\bngay\s+({DAY})\s+(?:cua\s+)?thang\s+(cuoi|dau)\s+(?:cua\s+)?quy\b")
# "trước ngày 20 hằng tháng", "ngày 25 hàng tháng"
_MONTH_DAY = re.compile(rf"\bngay\s+({DAY})\s+(?:hang|moi)\s+thang\b")
# "trước ngày 20" followed by no month (a monthly row's day)
_DAY_ONLY = re.compile(rf"\b(?:truoc|cham nhat|han|den)\s+ngay\s+({DAY})\b(?!\s+(?:thang\s+)?\d)")


@dataclass(frozen=True, slots=True)
class Rule:
    """When a row falls due: on `day` of each of `months`, every year (or once, on `once`)."""

    period: str  # once | yearly | semiannual | quarterly | monthly
    day: int = 0
    months: tuple[int, ...] = ()
    once: dt.date | None = None

    def dates(self, start: dt.date, end: dt.date) -> list[dt.date]:
        """The due dates from `start` to `end`, both included."""
        if self.once is not None:
            return [self.once] if start <= self.once <= end else []
        out = []
        year, month = start.year, start.month
        while (year, month) <= (end.year, end.month):
            if month in self.months:
                day = min(self.day, calendar.monthrange(year, month)[1])  # "ngày 31" in a short month: its last day
                when = dt.date(year, month, day)
                if start <= when <= end:
                    out.append(when)
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        return out


@dataclass(frozen=True, slots=True)
class Due:
    """One due date of one obligation, and what the agency asked about has to do with it."""

    date: dt.date
    record: Obligation
    role: str | None  # ACTOR | COOPERATING | RECIPIENT | SHARED; None when no agency was asked about
    period: str  # once | yearly | semiannual | quarterly | monthly

    @property
    def uid(self) -> str:
        """Stable across runs and processes while the plan's text is unchanged."""
        r = self.record
        digest = hashlib.sha256(f"{r.source}\n{r.section}\n{r.quote}".encode()).hexdigest()[:16]
        return f"{digest}-{self.date.isoformat()}@planbot"

    @property
    def period_label(self) -> str | None:
        return PERIOD_LABELS.get(self.period)


@dataclass(frozen=True, slots=True)
class AgencyMatch:
    """The agency a user's words name (`name`), or the close names when they name none or several."""

    name: str | None
    candidates: tuple[str, ...] = ()
    ambiguous: bool = False  # the words fit several agencies (else `candidates` are merely close names)


def _shifted(months: Iterable[int], step: int) -> tuple[int, ...]:
    return tuple(sorted({(m - 1 + k) % 12 + 1 for m in months for k in range(0, 12, step)}))


def rule_of(record: Obligation) -> Rule | None:
    """When the row falls due, from its date and recurrence as the plan prints them; None when its
    words give no day (an undated or on-request duty)."""
    folded = " " + " ".join(match_tokens(" ".join(filter(None, (record.deadline_text, record.quote))))) + " "
    tags = set(record.recurrence)
    due = dt.date.fromisoformat(record.due_date) if record.due_date else None
    quarter = _QUARTER_DAY.search(folded)
    if quarter and 1 <= int(quarter.group(1)) <= 31:
        first = 3 if quarter.group(2) == "cuoi" else 1
        return Rule("quarterly", int(quarter.group(1)), _shifted([first], 3))
    monthly = _MONTH_DAY.search(folded)
    if monthly and 1 <= int(monthly.group(1)) <= 31:
        return Rule("monthly", int(monthly.group(1)), ALL_MONTHS)
    anchors = [(int(d), int(m)) for d, m in _DAY_MONTH.findall(folded) if 1 <= int(d) <= 31 and 1 <= int(m) <= 12]
    if due is not None and (due.day, due.month) not in anchors:
        anchors.insert(0, (due.day, due.month))
    if "monthly" in tags:
        day = anchors[0][0] if anchors else next((int(d) for d in _DAY_ONLY.findall(folded) if 1 <= int(d) <= 31), 0)
        return Rule("monthly", day, ALL_MONTHS) if day else None
    if not anchors:
        return None
    day, month = anchors[0]
    if "quarterly" in tags:
        return Rule("quarterly", day, _shifted([month], 3))
    if "semiannual" in tags:
        months = {m for _, m in anchors} if len(anchors) > 1 else set(_shifted([month], 6))
        return Rule("semiannual", day, tuple(sorted(months)))
    if "annual" in tags:
        return Rule("yearly", day, (month,))
    if due is not None:
        return Rule("once", once=due)
    # a day and month without a year, and no recurrence: that day of the plan's own year
    if record.year:
        try:
            return Rule("once", once=dt.date(record.year, month, day))
        except ValueError:
            return None
    return None


# --- agencies ------------------------------------------------------------------------------------
def _folded(text: str) -> str:
    return " ".join(match_tokens(text))


def is_collective(name: str) -> bool:
    """A row addressed to many bodies at once ("các cơ quan, đơn vị", "Các sở, ban, ngành tỉnh")."""
    return _folded(name).startswith("cac ")


def role_of(record: Obligation, agency: str) -> str | None:
    """What `agency` (a canonical name) has to do with the row, if anything."""
    if record.agency == agency:
        return ACTOR
    if agency in record.cooperating:
        return COOPERATING
    if agency in (record.recipient, record.via) or agency in record.onward:
        return RECIPIENT
    # a duty of "các cơ quan, đơn vị" is every department's, not that of the bodies that direct them
    if record.agency and is_collective(record.agency) and not is_collective(agency) and not _directs(agency):
        return SHARED
    return None


_DIRECTING = frozenset({"Ủy ban nhân dân tỉnh", "Lãnh đạo tỉnh", "Tỉnh ủy", "Ban Thường vụ Tỉnh ủy",
                        "Hội đồng nhân dân tỉnh", "Chính phủ", "Thủ tướng Chính phủ", "Bộ Chính trị"})


def _directs(agency: str) -> bool:
    """The province's leadership and the central bodies issue and receive the work, not share it."""
    return agency in _DIRECTING or agency.startswith("Bộ ")


def known_agencies(records: Iterable[Obligation]) -> list[str]:
    """The lexicon's names and every single agency the register names (headings outside the lexicon)."""
    names = dict.fromkeys(AGENCIES)
    for r in records:
        for name in (r.agency, r.recipient, r.via, *r.cooperating):
            if name and not is_collective(name):
                names.setdefault(name)
    return list(names)


def resolve_agency(text: str, names: Iterable[str], suggestions: int = 3) -> AgencyMatch:
    """The agency `text` names: by the lexicon ("Sở TT&TT"), or the one known name containing its
    words ("Công an" → "Công an tỉnh"); otherwise the candidates it could mean or the closest names."""
    names = list(names)
    found = list(dict.fromkeys(m.name for m in find_agencies(text)))
    if len(found) == 1:
        return AgencyMatch(found[0])
    if len(found) > 1:
        return AgencyMatch(None, tuple(found), ambiguous=True)
    wanted = _folded(text)
    if not wanted:
        return AgencyMatch(None)
    folded = {name: _folded(name) for name in names}
    exact = [name for name, f in folded.items() if f == wanted]
    if exact:
        return AgencyMatch(exact[0])
    containing = sorted((name for name, f in folded.items() if f" {wanted} " in f" {f} "), key=len)
    if len(containing) == 1:
        return AgencyMatch(containing[0])
    if containing:
        return AgencyMatch(None, tuple(containing[:5]), ambiguous=True)
    close = process.extract(wanted, folded, scorer=fuzz.WRatio, limit=suggestions, score_cutoff=60)
    return AgencyMatch(None, tuple(key for _, _, key in close))


# --- due dates -----------------------------------------------------------------------------------
def plan_end_years(documents: Iterable) -> dict[str, int]:
    """The last year each plan covers (its years, else the horizon of "đến năm 2030"): a periodic
    duty of a 2024 plan is not due in 2025."""
    out = {}
    for doc in documents:
        meta = doc.meta
        last = max([*meta.years, *([meta.horizon] if meta.horizon else [])], default=None)
        if last:
            out[meta.source] = last
    return out


def due_dates(records: Iterable[Obligation], start: dt.date, end: dt.date, agency: str | None = None,
              end_years: Mapping[str, int] | None = None) -> list[Due]:
    """Every due date from `start` to `end` (included) of the rows (those of `agency`, a canonical
    name, when given), soonest first; one per plan, section, passage and date."""
    end_years = end_years or {}
    best: dict[tuple[str, str, str, dt.date], Due] = {}
    for record in records:
        role = role_of(record, agency) if agency else None
        if agency and role is None:
            continue
        rule = rule_of(record)
        if rule is None:
            continue
        last_year = end_years.get(record.source)
        until = min(end, dt.date(last_year, 12, 31)) if last_year and rule.once is None else end
        for when in rule.dates(start, until):
            key = (record.source, record.section, record.quote, when)
            due = Due(when, record, role, rule.period)
            held = best.get(key)
            # the reporting row says who reports to whom; the bare deadline row of the same sentence less
            if held is None or _rank(due) < _rank(held):
                best[key] = due
    return sorted(best.values(), key=lambda d: (d.date, d.record.source, d.record.section, d.record.quote))


_ROLE_ORDER = {ACTOR: 0, COOPERATING: 1, RECIPIENT: 2, SHARED: 3, None: 4}  # the most specific first
_KIND_ORDER = {"reporting": 0, "deadline": 1, "assignment": 2}


def _rank(due: Due) -> tuple[int, int]:
    return _ROLE_ORDER.get(due.role, 4), _KIND_ORDER.get(due.record.kind, 3)


def upcoming(records: Iterable[Obligation], today: dt.date, days: int = 30, agency: str | None = None,
             end_years: Mapping[str, int] | None = None) -> list[Due]:
    """What falls due from today through the next `days` days."""
    return due_dates(records, today, today + dt.timedelta(days=days), agency, end_years)


def what_is_due(record: Obligation) -> str:
    """What an obligation asks, as one readable sentence (a reporting line: who reports to whom)."""
    return reporting_sentence(record) if record.kind == "reporting" else display_form(record.task or record.quote)

"""The obligations register over HTTP: who must do what, report to whom, by when."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request, Response

from bot.api.deps import AskCaller, FeedCaller, State
from bot.api.problems import ApiProblem
from bot.api.render import plan_names, section_href
from bot.api.schemas import DueOut, ObligationList, ObligationOut, UpcomingList
from bot.ics import calendar_ics, feed_window
from bot.render.model import citation_label
from index.obligations import Obligation
from index.ocr_repair import display_form
from rag.prompts import message
from rag.schedule import Due, due_dates, known_agencies, plan_end_years, resolve_agency, what_is_due

ICS_MEDIA_TYPE = "text/calendar; charset=utf-8"

router = APIRouter(tags=["register"])


def _out(record: Obligation, base: str) -> ObligationOut:
    data = record.to_dict()
    return ObligationOut(**data, href=section_href(base, record.source, record.section),
                         quote_display=display_form(record.quote),
                         task_display=display_form(record.task) if record.task else None)


@router.get("/v1/obligations", response_model=ObligationList, summary="The obligations register",
            description="Records extracted from every plan: assignments (who leads, who cooperates), reporting "
                        "lines (who reports to whom) and deadlines, each with its section and verbatim quote.")
def obligations(request: Request, caller: AskCaller, state: State,
                source: Annotated[str | None, Query(description="only this plan (file name)")] = None,
                agency: Annotated[str | None, Query(max_length=200, description="only records naming this agency")] = None,
                before: Annotated[dt.date | None, Query(description="only deadlines before this date")] = None,
                kind: Literal["assignment", "reporting", "deadline"] | None = None) -> ObligationList:
    if source is not None and state.app.library.document(source) is None:
        available = ", ".join(d.meta.source for d in state.app.library.documents()) or "không có"
        raise ApiProblem(404, "unknown-document", "api_unknown_document", source=source[:200], available=available)
    records = state.app.register.query(doc=source, agency=agency, before=before.isoformat() if before else None,
                                       kind=kind)
    base = request.scope.get("root_path", "")
    return ObligationList(records=[_out(r, base) for r in records])


@router.get("/v1/deadlines", response_model=ObligationList, summary="Dated obligations across all plans, soonest first")
def deadlines(request: Request, caller: AskCaller, state: State,
              start: Annotated[dt.date | None, Query(alias="from")] = None,
              end: Annotated[dt.date | None, Query(alias="to")] = None) -> ObligationList:
    records = state.app.register.deadlines(start.isoformat() if start else None, end.isoformat() if end else None)
    base = request.scope.get("root_path", "")
    return ObligationList(records=[_out(r, base) for r in records])


# --- due dates: upcoming (JSON) and the iCalendar feed ---------------------------------------------
def _agency(state, text: str | None) -> str | None:
    """The canonical agency the words name; a 404 problem when none or several."""
    if text is None or not text.strip():
        return None
    match = resolve_agency(text, known_agencies(state.app.register.records()))
    if match.name:
        return match.name
    if match.ambiguous:
        raise ApiProblem(404, "ambiguous-agency", "api_ambiguous_agency", text=text[:200],
                         candidates="; ".join(match.candidates))
    suggest = message("api_agency_suggest", candidates="; ".join(match.candidates)) if match.candidates else ""
    raise ApiProblem(404, "unknown-agency", "api_unknown_agency", text=text[:200], suggest=suggest)


def _dues(state, agency: str | None, start: dt.date, end: dt.date) -> list[Due]:
    return due_dates(state.app.register.records(), start, end, agency,
                     plan_end_years(state.app.library.documents()))


def _ics_path(base: str, agency: str | None) -> str:
    return f"{base}/v1/register.ics" + (f"?{urlencode({'agency': agency})}" if agency else "")


AgencyParam = Annotated[str | None, Query(max_length=200, description="an agency, any spelling (\"Sở TT&TT\")")]


@router.get("/v1/register/upcoming", response_model=UpcomingList, response_model_by_alias=True,
            summary="What falls due in the next days, for one agency or all",
            description="Dated obligations once, periodic ones (hằng năm, hằng quý, định kỳ 6 tháng, hằng tháng, "
                        "\"trước ngày 15 của tháng cuối quý\") at each of their next dates, within the years "
                        "their plan covers, soonest first, each with its citation.")
def upcoming_dues(request: Request, caller: AskCaller, state: State, agency: AgencyParam = None,
                  days: Annotated[int, Query(ge=1, le=366)] = 30) -> UpcomingList:
    name = _agency(state, agency)
    start = state.local_today()
    end = start + dt.timedelta(days=days)
    base = request.scope.get("root_path", "")
    names = plan_names(state.app)
    items = []
    for due in _dues(state, name, start, end):
        r = due.record
        plan = names.get(r.source, r.source)
        items.append(DueOut(date=due.date, period=due.period, period_label=due.period_label, role=due.role,
                            uid=due.uid, plan=plan, label=citation_label(plan, r.section, r.section_label),
                            what=what_is_due(r), record=_out(r, base)))
    return UpcomingList(agency=name, start=start, end=end, ics_path=_ics_path(base, name), items=items)


@router.get("/v1/register.ics", summary="The due dates as an iCalendar feed a calendar app can subscribe to",
            description="One all-day event per due date (90 days back, a year ahead) with the citation and the "
                        "verbatim passage, and alarms 7 days and 1 day before. Authenticated by the ask key in the "
                        "Authorization header or, for calendar apps, in `?key=` (redacted in the access log).",
            response_class=Response, responses={200: {"description": "an iCalendar file (RFC 5545)",
                                                 "content": {ICS_MEDIA_TYPE: {"schema": {"type": "string"}}}}})
def register_ics(request: Request, caller: FeedCaller, state: State, agency: AgencyParam = None) -> Response:
    name = _agency(state, agency)
    today = state.local_today()
    start, end = feed_window(today)
    names = plan_names(state.app)
    root = str(request.base_url).rstrip("/")
    body = calendar_ics(_dues(state, name, start, end), lambda s: names.get(s, s), name,
                        stamp=dt.datetime.now(dt.UTC).replace(microsecond=0), timezone=state.app.settings.timezone,
                        href=lambda due: section_href(root, due.record.source, due.record.section))
    filename = "lich-han.ics"
    return Response(body, media_type=ICS_MEDIA_TYPE,
                    headers={"Content-Disposition": f'inline; filename="{filename}"', "Cache-Control": "private, max-age=300"})

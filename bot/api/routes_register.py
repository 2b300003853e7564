"""The obligations register over HTTP: who must do what, report to whom, by when."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request

from bot.api.deps import AskCaller, State
from bot.api.problems import ApiProblem
from bot.api.render import section_href
from bot.api.schemas import ObligationList, ObligationOut
from index.obligations import Obligation
from index.ocr_repair import display_form

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

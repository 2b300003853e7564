"""The indexed plans: list, outline, verbatim section text (every citation is a link here), and the
admin's upload and removal."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from typing import Annotated

from fastapi import APIRouter, File, Form, Request, Response, UploadFile
from starlette.concurrency import run_in_threadpool

from bot.api.deps import AdminCaller, ApiState, AskCaller, State, warm_up
from bot.api.problems import ApiProblem, human_size
from bot.api.render import section_href
from bot.api.routes_ask import ADMIN_ONLY
from bot.api.schemas import (
    DocumentList,
    DocumentOut,
    FlaggedPassage,
    IngestOut,
    OutlineEntry,
    OutlineOut,
    SectionOut,
)
from index.ingest import IngestError, decode_plan_bytes
from index.injection import flags_from_warnings
from index.ocr_repair import display_form
from index.store import DocRecord

router = APIRouter(tags=["documents"])

UPLOAD_SUFFIXES = (".txt", ".md")
MAX_SOURCE_CHARS = 120
_SOURCE_CHARS = re.compile(r"^[\w][\w .-]*$")  # \w is Unicode: Vietnamese names are fine


def safe_source_name(name: str) -> str | None:
    """The name an uploaded plan is indexed (and cited) under, or None when it is not a plain file
    name: no folders, no traversal, no control characters, a .txt or .md suffix."""
    name = unicodedata.normalize("NFC", name or "").strip()
    if (not name or len(name) > MAX_SOURCE_CHARS or ".." in name or not _SOURCE_CHARS.match(name)
            or not name.lower().endswith(UPLOAD_SUFFIXES) or name.lower() in UPLOAD_SUFFIXES):
        return None
    return name


def _base(request: Request) -> str:
    return request.scope.get("root_path", "")


def document_out(record: DocRecord, base: str) -> DocumentOut:
    meta = record.meta
    return DocumentOut(source=meta.source, title=meta.title, short_name=meta.short_name, province=meta.province,
                       year=meta.year, number=meta.number, chunks=record.n_chunks, warnings=list(record.warnings),
                       flagged_passages=[FlaggedPassage(**f) for f in flags_from_warnings(record.warnings)],  # type: ignore[arg-type]
                       ingested_at=dt.datetime.fromtimestamp(record.ingested_at, dt.UTC) if record.ingested_at else None,
                       outline_href=f"{base}/v1/documents/{_quote(meta.source)}/outline")


def _quote(value: str) -> str:
    from urllib.parse import quote

    return quote(value, safe="")


def _record(state: ApiState, source: str) -> DocRecord:
    record = state.app.library.document(source)
    if record is None:
        available = ", ".join(d.meta.source for d in state.app.library.documents()) or "không có"
        raise ApiProblem(404, "unknown-document", "api_unknown_document", source=source[:200], available=available)
    return record


@router.get("/v1/documents", response_model=DocumentList, response_model_exclude_none=True,
            summary="The indexed plans, with metadata and chunk counts")
def list_documents(request: Request, caller: AskCaller, state: State) -> DocumentList:
    return DocumentList(documents=[document_out(d, _base(request)) for d in state.app.library.documents()])


@router.get("/v1/documents/{source}", response_model=DocumentOut, response_model_exclude_none=True,
            summary="One plan's metadata")
def get_document(source: str, request: Request, caller: AskCaller, state: State) -> DocumentOut:
    return document_out(_record(state, source), _base(request))


@router.get("/v1/documents/{source}/outline", response_model=OutlineOut, summary="A plan's sections in reading order")
def outline(source: str, request: Request, caller: AskCaller, state: State) -> OutlineOut:
    record = _record(state, source)
    entries = state.app.library.outline(source) or []
    base = _base(request)
    return OutlineOut(source=source, title=record.meta.title, short_name=record.meta.short_name,
                      sections=[OutlineEntry(section=str(e["section"]), label=str(e["label"]), title=str(e["title"]),
                                             line=int(e["line"]),  # type: ignore[call-overload]
                                             href=section_href(base, source, str(e["section"])))
                                for e in entries])


@router.get("/v1/documents/{source}/sections/{path}", response_model=SectionOut,
            summary="The verbatim text of one section (with its sub-sections)",
            description="`path` is the section path of CONTRACT.md: `V.2`, `II.3.b`, `I.2.1`, `preamble`, `closing`.")
def section(source: str, path: str, caller: AskCaller, state: State) -> SectionOut:
    record = _record(state, source)
    view = state.app.library.section(source, path)
    if view is None:
        raise ApiProblem(404, "unknown-section", "api_unknown_section", source=source, path=path[:100])
    return SectionOut(source=view.source, doc_title=view.doc_title, plan=record.meta.short_name, section=view.section,
                      section_label=view.section_label, section_title=view.section_title,
                      start_line=view.start_line, end_line=view.end_line, text=view.text,
                      text_display=display_form(view.text))


@router.post("/v1/documents", response_model=IngestOut, response_model_exclude_none=True, status_code=201,
             summary="Upload a plan as a text file (admin): indexed, then searchable",
             description="multipart/form-data with `file` (a .txt or .md plan, UTF-8, UTF-16 or Windows-1258) and "
                         "optionally `source`, the file name to index and cite it under (default: the upload's "
                         "name). 201 when added, 200 when it replaced or equals an indexed plan.",
             responses={200: {"model": IngestOut, "description": "updated or unchanged"}, **ADMIN_ONLY})
async def upload_document(request: Request, response: Response, caller: AdminCaller, state: State,
                          file: Annotated[UploadFile, File(description="the plan, as a text file")],
                          source: Annotated[str | None, Form(max_length=MAX_SOURCE_CHARS * 2)] = None) -> IngestOut:
    name = safe_source_name(source or file.filename or "")
    if name is None:
        raise ApiProblem(422, "bad-source-name", "api_bad_source_name", name=(source or file.filename or "")[:200])
    limit = state.app.ingestor.max_file_bytes
    data = await file.read(limit + 1)
    if len(data) > limit:
        raise ApiProblem(413, "too-large", "api_too_large", limit=human_size(limit))
    try:
        text = decode_plan_bytes(data, name)
    except IngestError as exc:
        raise ApiProblem(422, "unreadable-plan", "api_upload_failed", reason=str(exc)) from exc

    def ingest():
        with state.ingest_lock:  # one writer at a time: each commit builds on the previous snapshot
            report = state.app.ingestor.ingest_texts({name: text}, progress=False)
        warm_up(state.app)  # the new generation's caches, now rather than in the next question
        return report

    report = await run_in_threadpool(ingest)
    result = next(r for r in report.results if r.source == name)
    if result.status == "error":
        raise ApiProblem(422, "unreadable-plan", "api_upload_failed", reason=result.message)
    if result.status != "added":
        response.status_code = 200
    record = state.app.library.document(name)
    return IngestOut(source=name, status=result.status, chunks=result.chunks, generation=report.generation,  # type: ignore[arg-type]
                     document=document_out(record, _base(request)) if record else None)


@router.delete("/v1/documents/{source}", response_model=IngestOut, response_model_exclude_none=True,
               summary="Remove a plan from the index (admin); the others stay",
               responses=ADMIN_ONLY)
def delete_document(source: str, caller: AdminCaller, state: State) -> IngestOut:
    with state.ingest_lock:
        _record(state, source)
        report = state.app.ingestor.ingest_texts({}, remove=[source], progress=False)
    warm_up(state.app)
    return IngestOut(source=source, status="removed", generation=report.generation)

"""The indexed plans: list, outline, verbatim section text (every citation is a link here), and the
admin's upload and removal.

An upload is read by the ingestor's own readers (index/ingest.py `read_plan_file`), so it accepts
exactly what `planbot ingest` reads, with the same limits and messages. Text, DOCX and PDFs with a
good text layer are read and indexed within the request; a file that needs OCR (page images, a
scanned page in a PDF) becomes a background job (bot/api/jobs.py) and the upload answers 202.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import shutil
import unicodedata
from collections.abc import Callable
from pathlib import Path as FilePath
from typing import Annotated

from fastapi import APIRouter, File, Form, Path, Request, Response, UploadFile
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from bot.api.deps import AdminCaller, ApiState, AskCaller, State
from bot.api.jobs import Job
from bot.api.problems import TYPE_PREFIX, ApiProblem, disk_full_as_problem, human_size
from bot.api.render import section_href
from bot.api.routes_ask import ADMIN_ONLY
from bot.api.schemas import (
    DocumentList,
    DocumentOut,
    FlaggedPassage,
    IngestOut,
    JobError,
    JobOut,
    KeyInfo,
    OutlineEntry,
    OutlineOut,
    Problem,
    SectionOut,
)
from index.errors import IngestError, OcrNeeded, OcrUnavailable
from index.injection import flags_from_warnings
from index.ocr_repair import display_form
from index.readers.base import PAGE_PROGRESS
from index.store import DocRecord
from planbot.messages import message
from planbot.scratch import scratch_dir

log = logging.getLogger("planbot.api")
router = APIRouter(tags=["documents"])

MAX_SOURCE_CHARS = 120
_SOURCE_CHARS = re.compile(r"^[\w][\w .-]*$")  # \w is Unicode: Vietnamese names are fine
JOB_ID_PATTERN = r"^[0-9a-f]{32}$"


def safe_source_name(name: str) -> str | None:
    """The name an uploaded plan is indexed (and cited) under, or None when it is not a plain file
    name: no folders, no traversal, no control characters. Which suffixes are read is the
    ingestor's business (an unknown or legacy one is refused there, with its message)."""
    name = unicodedata.normalize("NFC", name or "").strip()
    if not name or len(name) > MAX_SOURCE_CHARS or ".." in name or not _SOURCE_CHARS.match(name):
        return None
    return name


def _base(request: Request) -> str:
    return request.scope.get("root_path", "")


def document_out(record: DocRecord, base: str) -> DocumentOut:
    meta = record.meta
    listing = meta.listing()
    # the listing's fields are validated by the model (the listing is a plain dict of them)
    return DocumentOut.model_validate({k: v for k, v in listing.items() if k not in ("source", "title")} | dict(
        source=meta.source, title=meta.title, short_name=meta.short_name,
        year=meta.year, chunks=record.n_chunks, warnings=list(record.warnings),
        flagged_passages=[FlaggedPassage.model_validate(f) for f in flags_from_warnings(record.warnings)],
        ingested_at=dt.datetime.fromtimestamp(record.ingested_at, dt.UTC) if record.ingested_at else None,
        outline_href=f"{base}/v1/documents/{_quote(meta.source)}/outline"))


def _quote(value: str) -> str:
    from urllib.parse import quote

    return quote(value, safe="")


def _record(state: ApiState, source: str) -> DocRecord:
    record = state.app.library.document(source)
    if record is None:
        available = ", ".join(d.meta.source for d in state.app.library.documents()) or "không có"
        raise ApiProblem(404, "unknown-document", "api_unknown_document", source=source[:200], available=available)
    return record


@router.get("/v1/documents", response_model=DocumentList,
            summary="The indexed plans, with metadata and chunk counts")
def list_documents(request: Request, caller: AskCaller, state: State) -> DocumentList:
    return DocumentList(documents=[document_out(d, _base(request)) for d in state.app.library.documents()])


@router.get("/v1/documents/{source}", response_model=DocumentOut,
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
                                               title_display=display_form(str(e["title"])),
                                             line=int(e["line"]),  # type: ignore[call-overload]
                                             href=section_href(base, source, str(e["section"])))
                                for e in entries])


@router.get("/v1/documents/{source}/sections/{path}", response_model=SectionOut,
            summary="The verbatim text of one section (with its sub-sections)",
            description="`path` is the section path of docs/contract.md: `V.2`, `II.3.b`, `I.2.1`, `preamble`, `closing`.")
def section(source: str, path: str, caller: AskCaller, state: State) -> SectionOut:
    record = _record(state, source)
    view = state.app.library.section(source, path)
    if view is None:
        raise ApiProblem(404, "unknown-section", "api_unknown_section", source=source, path=path[:100])
    return SectionOut(source=view.source, doc_title=view.doc_title, plan=record.meta.short_name, section=view.section,
                      section_label=view.section_label, section_title=view.section_title,
                      start_line=view.start_line, end_line=view.end_line, text=view.text,
                      text_display=display_form(view.text))


def _index_text(state: ApiState, name: str, text: str, base: str) -> IngestOut:
    """Index one plan's text (blocking: call it in a worker thread). Raises IngestError when the
    ingestor refuses it; the index is then unchanged (each commit is one atomic generation)."""
    with state.ingest_lock:  # one writer at a time: each commit builds on the previous snapshot
        report = state.app.ingestor.ingest_texts({name: text}, progress=False)
    result = next(r for r in report.results if r.source == name)
    if result.status == "error":
        raise IngestError(result.message)
    state.app.warm_up()  # the new generation's caches, now rather than in the next question
    record = state.app.library.document(name)
    return IngestOut(source=name, status=result.status, chunks=result.chunks, generation=report.generation,
                     document=document_out(record, base) if record else None)


def job_out(job: Job, base: str) -> JobOut:
    return JobOut(id=job.id, source=job.source, status=job.status,
                  created_at=dt.datetime.fromtimestamp(job.created, dt.UTC),
                  updated_at=dt.datetime.fromtimestamp(job.updated, dt.UTC),
                  href=f"{base}/v1/jobs/{job.id}", pages_done=job.pages_done, pages_total=job.pages_total,
                  result=job.result if isinstance(job.result, IngestOut) else None,
                  error=JobError(type=TYPE_PREFIX + (job.error_type or "internal"), detail=job.error)
                  if job.error else None)


def _read(read: Callable[[FilePath], str], path: FilePath) -> str:
    """`read(path)`, a reader's unexpected failure said as `planbot ingest` says it (the trace goes to
    the log): one odd file is the file's problem, not a server error."""
    try:
        return read(path)
    except (IngestError, OSError):
        raise
    except Exception as exc:
        log.exception("reading upload %s failed", path.name)
        raise IngestError(message("reader_failed", name=path.name, detail=type(exc).__name__)) from exc


def _start_ocr_job(state: ApiState, name: str, path: FilePath, folder: str, base: str) -> Job:
    def work(job: Job) -> IngestOut:
        state.jobs.set_status(job, "reading")
        progress = PAGE_PROGRESS.set(lambda done, total: state.jobs.set_pages(job, done, total))
        try:
            text = _read(state.app.ingestor.read, path)  # OCR: seconds a page
        finally:
            PAGE_PROGRESS.reset(progress)
        state.jobs.set_status(job, "indexing")
        return _index_text(state, name, text, base)

    return state.jobs.submit(name, work, cleanup=lambda: shutil.rmtree(folder, ignore_errors=True))


UPLOAD_DESCRIPTION = (
    "multipart/form-data with `file` and optionally `source`, the file name to index and cite it under "
    "(default: the upload's name; its suffix must be the file's). Every format `planbot ingest` reads: "
    "`.txt`/`.md` (UTF-8, UTF-16 or Windows-1258), `.docx` (Word's automatic numbering and tables), `.pdf`, "
    "page images (`.png`, `.jpg`, `.tif`); `.doc`/`.odt` are refused with a message asking for DOCX or PDF.\n\n"
    "Text, DOCX and PDFs with a good text layer are indexed within the request: 201 when added, 200 when it "
    "replaced or equals an indexed plan. A file that needs OCR (an image, a scanned PDF page) answers 202 with "
    "a job: poll `GET /v1/jobs/{id}` (also in `Location`) until `status` is `done` (with `result`) or "
    "`failed` (with `error`). When Tesseract or its Vietnamese data is missing, such a file is refused at once "
    "(422 `ocr-unavailable`, naming the Debian packages).")


DISK_FULL: dict[int | str, dict] = {507: {"model": Problem, "description": "the server's disk is full; nothing changed"}}


@router.post("/v1/documents", response_model=IngestOut, response_model_exclude_none=True, status_code=201,
             summary="Upload a plan (admin): .txt, .docx, .pdf or page images; indexed, then searchable",
             description=UPLOAD_DESCRIPTION,
             responses={200: {"model": IngestOut, "description": "updated or unchanged"},
                        202: {"model": JobOut, "description": "needs OCR: read and indexed in the background",
                              "headers": {"Location": {"description": "the job", "schema": {"type": "string"}}}},
                        **DISK_FULL,
                        **ADMIN_ONLY})
async def upload_document(request: Request, response: Response, caller: AdminCaller, state: State,
                          file: Annotated[UploadFile, File(description="the plan file")],
                          source: Annotated[str | None, Form(max_length=MAX_SOURCE_CHARS * 2)] = None,
                          ) -> IngestOut | JSONResponse:
    with disk_full_as_problem():
        return await _upload(request, response, state, file, source)


async def _upload(request: Request, response: Response, state: ApiState, file: UploadFile,
                  source: str | None) -> IngestOut | JSONResponse:
    given = source or file.filename or ""
    name = safe_source_name(given)
    if name is None:
        raise ApiProblem(422, "bad-source-name", "api_bad_source_name", name=given[:200])
    uploaded = safe_source_name(file.filename or "")
    if source and uploaded and FilePath(uploaded).suffix.lower() != FilePath(name).suffix.lower():
        raise ApiProblem(422, "bad-source-name", "api_source_suffix", name=name, file=uploaded)
    limit = state.app.ingestor.max_file_bytes
    data = await file.read(limit + 1)
    if len(data) > limit:
        raise ApiProblem(413, "too-large", "api_too_large", limit=human_size(limit))
    base = _base(request)
    # the ingestor reads files: the upload goes to a private folder under its own (checked) name
    folder = scratch_dir("upload")
    path = FilePath(folder) / name
    handed_to_job = False
    try:
        path.write_bytes(data)
        del data
        try:
            text = await run_in_threadpool(_read, state.app.ingestor.read_without_ocr, path)
        except OcrNeeded:
            try:
                await run_in_threadpool(state.app.ingestor.require_ocr, path)  # runs `tesseract --list-langs`
            except OcrUnavailable as exc:
                raise ApiProblem(422, "ocr-unavailable", "api_upload_failed", reason=str(exc)) from exc
            job = _start_ocr_job(state, name, path, folder, base)
            handed_to_job = True
            log.info("upload %s needs OCR: job %s", name, job.id)
            out = job_out(job, base)
            return JSONResponse(out.model_dump(mode="json", exclude_none=True), status_code=202,
                                headers={"Location": out.href})
        except IngestError as exc:
            raise ApiProblem(422, "unreadable-plan", "api_upload_failed", reason=str(exc)) from exc
    finally:
        if not handed_to_job:
            shutil.rmtree(folder, ignore_errors=True)
    try:
        result = await run_in_threadpool(_index_text, state, name, text, base)
    except IngestError as exc:
        raise ApiProblem(422, "unreadable-plan", "api_upload_failed", reason=str(exc)) from exc
    if result.status != "added":
        response.status_code = 200
    return result


@router.get("/v1/me", response_model=KeyInfo, tags=["keys"], summary="The role of the key sent",
            description="The help-desk page shows its upload control to admin keys.")
async def who_am_i(caller: AskCaller) -> KeyInfo:
    return KeyInfo(role=caller.role)


@router.get("/v1/jobs/{job_id}", response_model=JobOut, response_model_exclude_none=True,
            summary="An upload job's progress (admin)",
            description="Jobs live in the API process that took the upload, and are forgotten an hour after "
                        "they finish.", responses=ADMIN_ONLY)
def get_job(job_id: Annotated[str, Path(pattern=JOB_ID_PATTERN)], request: Request, caller: AdminCaller,
            state: State) -> JobOut:
    job = state.jobs.get(job_id)
    if job is None:
        raise ApiProblem(404, "unknown-job", "api_unknown_job", job_id=job_id)
    return job_out(job, _base(request))


@router.delete("/v1/documents/{source}", response_model=IngestOut, response_model_exclude_none=True,
               summary="Remove a plan from the index (admin); the others stay",
               responses={**DISK_FULL, **ADMIN_ONLY})
def delete_document(source: str, caller: AdminCaller, state: State) -> IngestOut:
    with state.ingest_lock, disk_full_as_problem():
        _record(state, source)
        report = state.app.ingestor.ingest_texts({}, remove=[source], progress=False)
    state.app.warm_up()
    return IngestOut(source=source, status="removed", generation=report.generation)

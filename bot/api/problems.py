"""Errors as RFC 9457 problem details (`application/problem+json`), with a Vietnamese `detail`.

Every error the API returns goes through here: our own `ApiProblem`, Starlette's HTTP errors (unknown
route, wrong method, body too large), request validation, question errors and, last, anything
unexpected (logged with its trace; the client sees only a generic message).
"""

from __future__ import annotations

import errno
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from http import HTTPStatus

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from bot.api.schemas import FieldProblem, Problem
from rag.answer import QuestionError
from rag.prompts import message

log = logging.getLogger("planbot.api")

PROBLEM_MEDIA_TYPE = "application/problem+json"
TYPE_PREFIX = "urn:planbot:problem:"

# Starlette raises these itself (routing, body limit); their detail becomes a Vietnamese message.
_STATUS_SLUGS = {
    400: ("bad-request", "api_bad_request"),
    404: ("not-found", "api_not_found"),
    405: ("method-not-allowed", "api_method_not_allowed"),
    406: ("not-acceptable", "api_not_acceptable"),
    413: ("too-large", "api_too_large"),
}
# Pydantic error types → the message key that says what is wrong with the field.
_FIELD_MESSAGES = {
    "missing": "api_field_missing",
    "string_too_long": "api_field_too_long",
    "too_long": "api_field_too_long",
    "string_too_short": "api_field_too_short",
    "too_short": "api_field_too_short",
    "string_pattern_mismatch": "api_field_pattern",
}


class ApiProblem(Exception):
    """Raise to answer with a problem document; `key` names the message in prompts/messages_vi.txt."""

    def __init__(self, status: int, slug: str, key: str, headers: dict[str, str] | None = None,
                 **values: object) -> None:
        self.status = status
        self.slug = slug
        self.detail = message(key, **values)
        self.headers = headers or {}
        super().__init__(f"{status} {slug}")


_DISK_FULL_ERRNOS = {errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)}


def disk_full(exc: BaseException | None) -> bool:
    """The disk (or the quota) is full: an OSError ENOSPC/EDQUOT anywhere in exc's chain, or SQLite's
    SQLITE_FULL as Chroma passes it on."""
    seen: set[int] = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        if isinstance(exc, OSError) and exc.errno in _DISK_FULL_ERRNOS:
            return True
        if "database or disk is full" in str(exc):
            return True
        exc = exc.__cause__ or exc.__context__
    return False


@contextmanager
def disk_full_as_problem() -> Iterator[None]:
    """Around a write (upload, removal): a full disk answers 507 in Vietnamese. Each commit is one
    atomic generation, so the index already served is untouched and questions keep being answered."""
    try:
        yield
    except ApiProblem:
        raise
    except Exception as exc:
        if not disk_full(exc):
            raise
        log.error("disk full while writing: %s", exc)
        raise ApiProblem(507, "disk-full", "api_disk_full") from exc


def problem_response(request: Request, status: int, slug: str, detail: str,
                     headers: dict[str, str] | None = None, errors: list[FieldProblem] | None = None) -> JSONResponse:
    body = Problem(type=TYPE_PREFIX + slug, title=HTTPStatus(status).phrase, status=status, detail=detail,
                   instance=request.url.path, errors=errors)
    content = body.model_dump(exclude_none=True)
    if request.url.path.startswith(("/v1/chat/", "/v1/models")):
        # OpenAI clients read `error.message`; an extension member keeps them informative (RFC 9457 §3.2).
        content["error"] = {"message": detail, "type": slug, "code": status}
    return JSONResponse(content, status_code=status, headers=headers, media_type=PROBLEM_MEDIA_TYPE)


def _field_name(loc: tuple | list) -> str:
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "header")]
    return ".".join(parts) or "body"


def _validation_problem(request: Request, exc: RequestValidationError) -> JSONResponse:
    errors = exc.errors()
    if any(e.get("type") == "json_invalid" for e in errors):
        return problem_response(request, 400, "invalid-json", message("api_invalid_json"))
    problems: list[FieldProblem] = []
    for error in errors[:20]:
        field = _field_name(error.get("loc", ()))
        kind = str(error.get("type", ""))
        if kind == "value_error" and isinstance(error.get("ctx", {}).get("error"), ValueError):
            text = str(error["ctx"]["error"])  # our validators raise ValueError with a Vietnamese message
        elif kind == "missing" and field == "file":
            text = message("api_upload_missing")
        elif kind.endswith("_type") or kind in ("model_attributes_type", "dict_type", "list_type"):
            text = message("api_field_type", field=field)
        else:
            text = message(_FIELD_MESSAGES.get(kind, "api_field_invalid"), field=field)
        # the input itself is never echoed back: it may be a megabyte, or contain secrets
        problems.append(FieldProblem(field=field, message=text, type=kind))
    detail = message("api_invalid_body", problems="; ".join(dict.fromkeys(p.message.rstrip(".") for p in problems)))
    return problem_response(request, 422, "invalid-request", detail, errors=problems)


def install_problem_handlers(api: FastAPI) -> None:
    @api.exception_handler(ApiProblem)
    async def _api_problem(request: Request, exc: ApiProblem) -> JSONResponse:
        return problem_response(request, exc.status, exc.slug, exc.detail, exc.headers)

    @api.exception_handler(QuestionError)
    async def _question(request: Request, exc: QuestionError) -> JSONResponse:
        return problem_response(request, 422, "invalid-question", str(exc))

    @api.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> JSONResponse:
        return _validation_problem(request, exc)

    @api.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        slug, key = _STATUS_SLUGS.get(exc.status_code, ("http-error", "api_bad_request"))
        if exc.status_code == 413:
            limit = request.scope.get("starlette.max_body_size")
            detail = message(key, limit=human_size(limit) if isinstance(limit, int) else "?")
        else:
            detail = message(key)
        status = exc.status_code if exc.status_code >= 400 else 400
        return problem_response(request, status, slug, detail, dict(exc.headers or {}))

    @api.exception_handler(OSError)
    async def _os_error(request: Request, exc: OSError) -> JSONResponse:
        if disk_full(exc):
            log.error("disk full on %s %s: %s", request.method, request.url.path, exc)
            return problem_response(request, 507, "disk-full", message("api_disk_full"))
        raise exc  # any other OSError is unexpected: the handler below logs it and answers 500

    @api.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        return problem_response(request, 500, "internal", message("api_internal"))


def human_size(size: int) -> str:
    if size >= 1_048_576:
        return f"{size / 1_048_576:.0f} MB"
    return f"{size // 1024} KB"

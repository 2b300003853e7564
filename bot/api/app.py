"""`create_app(app) -> FastAPI`: the HTTP API and the help-desk page around one planbot App."""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Callable

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.openapi.utils import get_openapi
from fastapi.staticfiles import StaticFiles

from bot.api import routes_ask, routes_documents, routes_health, routes_openai, routes_register, routes_web
from bot.api.deps import ApiState, KeyRing, RateLimiter, refusal_before_body
from bot.api.middleware import BodyLimitMiddleware, KeyBeforeBodyMiddleware, SecurityHeadersMiddleware
from bot.api.problems import PROBLEM_MEDIA_TYPE, install_problem_handlers
from planbot.factory import App
from rag.conversation import ConversationStore

UPLOAD_OVERHEAD = 64 * 1024  # multipart boundaries and headers around the file

DESCRIPTION = """Questions about provincial government plans, answered with verified section citations.

Authentication: `Authorization: Bearer KEY` with a key from `PLANBOT_ASK_KEYS` (asking, reading) or
`PLANBOT_ADMIN_KEYS` (also uploading and removing plans). Errors are RFC 9457 problem documents
(`application/problem+json`) whose `detail` is Vietnamese, for the end user. See docs/api.md."""


ERROR_DESCRIPTIONS = {
    "400": "malformed JSON or request", "401": "missing or wrong API key", "403": "the key lacks the admin role",
    "404": "no such plan, section, conversation or model", "405": "method not allowed",
    "413": "request body too large", "422": "invalid request or question", "429": "rate limit reached (see Retry-After)",
    "500": "internal error (details only in the server log)",
}


def _openapi(api: FastAPI) -> dict:
    """FastAPI's schema, with every error documented as it is sent: an RFC 9457 problem document."""
    if api.openapi_schema:
        return api.openapi_schema
    schema = get_openapi(title=api.title, version=api.version, description=api.description, routes=api.routes)
    problem = {PROBLEM_MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}}
    for path, operations in schema["paths"].items():
        for operation in operations.values():
            responses = operation.setdefault("responses", {})
            if path.startswith("/v1/"):
                for status in ("400", "401", "404", "405", "413", "422", "429", "500"):
                    responses.setdefault(status, {})
            for status, response in responses.items():
                if status >= "400":
                    response["content"] = problem
                    response["description"] = ERROR_DESCRIPTIONS.get(status, response.get("description", "error"))
    components = schema.get("components", {}).get("schemas", {})
    for unused in ("HTTPValidationError", "ValidationError"):
        components.pop(unused, None)
    api.openapi_schema = schema
    return schema


class AuthConfigError(RuntimeError):
    """No API keys are configured and the caller did not choose to run without authentication."""


class RedactKeyParam(logging.Filter):
    """The calendar feed takes the ask key as `?key=` (a calendar app sends no headers): the access
    log shows the request path with the key replaced."""

    PATTERN = re.compile(r"([?&]key=)[^&\s\"]*")

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(self.PATTERN.sub(r"\1***", a) if isinstance(a, str) else a for a in record.args)
        if isinstance(record.msg, str):
            record.msg = self.PATTERN.sub(r"\1***", record.msg)
        return True


def redact_access_log(logger_name: str = "uvicorn.access") -> None:
    logger = logging.getLogger(logger_name)
    if not any(isinstance(f, RedactKeyParam) for f in logger.filters):
        logger.addFilter(RedactKeyParam())


def create_app(app: App, *, insecure_no_auth: bool = False, conversations: ConversationStore | None = None,
               limiter: RateLimiter | None = None, today: Callable[[], dt.date] | None = None) -> FastAPI:
    """The API around `app`; tests pass a conversation store or rate limiter with their own clock."""
    settings = app.settings
    keys = KeyRing(settings.ask_keys, settings.admin_keys)
    if keys.empty and not insecure_no_auth:
        raise AuthConfigError("no API keys: set PLANBOT_ASK_KEYS / PLANBOT_ADMIN_KEYS, or pass --insecure-no-auth")
    api = FastAPI(title="planbot", version="1", description=DESCRIPTION, docs_url=None, redoc_url=None,
                  swagger_ui_oauth2_redirect_url=None)
    api.state.planbot = ApiState(app=app, keys=keys, insecure_no_auth=insecure_no_auth,
                                 limiter=limiter or RateLimiter(settings.rate_limit_per_minute),
                                 conversations=conversations or ConversationStore(settings.conversation_ttl_seconds),
                                 today=today)
    redact_access_log()
    install_problem_handlers(api)
    api.openapi = lambda: _openapi(api)  # type: ignore[method-assign]
    for module in (routes_health, routes_ask, routes_openai, routes_documents, routes_register, routes_web):
        api.include_router(module.router)
    api.mount("/static", StaticFiles(directory=routes_web.WEB_DIR), name="static")
    # a caller without a valid key gets its 401 from the headers, before any route reads the body
    # (inside CORS and the security headers, which its answer carries like any other)
    api.add_middleware(KeyBeforeBodyMiddleware,
                       refusal=lambda request: refusal_before_body(api.state.planbot, request))
    # added last = outermost: the body limit answers before anything reads the body
    if settings.cors_origins:  # closed unless configured
        api.add_middleware(CORSMiddleware, allow_origins=settings.cors_origins, allow_methods=["GET", "POST", "DELETE"],
                           allow_headers=["Authorization", "Content-Type", "Accept"], max_age=600)
    api.add_middleware(SecurityHeadersMiddleware)
    api.add_middleware(BodyLimitMiddleware, default_limit=settings.max_request_kb * 1024,
                       upload_limit=app.ingestor.max_file_bytes + UPLOAD_OVERHEAD, upload_path="/v1/documents")
    return api

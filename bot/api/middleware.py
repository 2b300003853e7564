"""Pure ASGI middleware: the key checked before a body is read, request body limits (413 as a
problem document) and security headers.

Starlette's own body limit answers an oversized Content-Length with plain text; ours answers with
the same problem JSON as every other error, before the body is read.
"""

from __future__ import annotations

from collections.abc import Callable

from starlette.datastructures import Headers
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from bot.api.problems import ApiProblem, human_size, problem_response
from rag.prompts import message

BODY_LIMIT_SCOPE_KEY = "starlette.max_body_size"  # read by the 413 handler to say what the limit is

# The page's scripts and styles come from this server only: no inline code, no CDN, no framing.
PAGE_CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'")


class BodyLimitMiddleware:
    """Refuses bodies larger than the limit for their route: by Content-Length at once, and while
    reading for chunked bodies (then the route's body parsing raises a 413 HTTPException)."""

    def __init__(self, app: ASGIApp, default_limit: int, upload_limit: int, upload_path: str) -> None:
        self.app = app
        self.default_limit = default_limit
        self.upload_limit = upload_limit
        self.upload_path = upload_path

    def _limit(self, scope: Scope) -> int:
        if scope.get("method") == "POST" and scope.get("path") == self.upload_path:
            return self.upload_limit
        return self.default_limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self._limit(scope)
        scope[BODY_LIMIT_SCOPE_KEY] = limit
        declared = Headers(scope=scope).get("content-length")
        if declared is not None and declared.isdigit() and int(declared) > limit:
            request = Request(scope)
            response = problem_response(request, 413, "too-large", message("api_too_large", limit=human_size(limit)))
            await response(scope, receive, send)
            return
        received = 0

        async def limited_receive() -> Message:
            nonlocal received
            msg = await receive()
            if msg["type"] == "http.request":
                received += len(msg.get("body", b""))
                if received > limit:
                    raise HTTPException(413)
            return msg

        await self.app(scope, limited_receive, send)


class KeyBeforeBodyMiddleware:
    """Requests that send a body to the API (POST/PUT/PATCH/DELETE under /v1/) without a valid key
    are answered 401 from their headers, before the body is read: FastAPI reads (and spools an
    upload) before it resolves the route's dependencies, so the route's own check comes late."""

    def __init__(self, app: ASGIApp, refusal: Callable[[Request], ApiProblem | None]) -> None:
        self.app = app
        self.refusal = refusal

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope.get("method") in _BODY_METHODS and scope.get("path", "").startswith("/v1/"):
            request = Request(scope)
            problem = self.refusal(request)
            if problem is not None:
                response = problem_response(request, problem.status, problem.slug, problem.detail, problem.headers)
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)


_BODY_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


class SecurityHeadersMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(msg: Message) -> None:
            if msg["type"] == "http.response.start":
                headers = list(msg.get("headers", []))
                headers.append((b"x-content-type-options", b"nosniff"))
                headers.append((b"referrer-policy", b"no-referrer"))
                headers.append((b"x-frame-options", b"DENY"))
                content_type = next((v for k, v in headers if k == b"content-type"), b"")
                if content_type.startswith(b"text/html"):
                    headers.append((b"content-security-policy", PAGE_CSP.encode()))
                msg = {**msg, "headers": headers}
            await send(msg)

        await self.app(scope, receive, send_with_headers)

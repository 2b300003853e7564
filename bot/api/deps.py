"""Typed dependencies: the shared state, the caller's identity and role, the rate limit."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Annotated, Literal

from fastapi import Depends, Query, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from fastapi.security.utils import get_authorization_scheme_param

from bot.api.jobs import JobRunner
from bot.api.problems import ApiProblem
from planbot.factory import App
from rag.conversation import ConversationStore

Role = Literal["ask", "admin"]


@dataclass(frozen=True)
class Caller:
    key_id: str  # a short hash of the key (or "anon:<ip>"): logs and conversation scoping, never the key
    role: Role


class KeyRing:
    """API keys from settings; admin keys may also ask. Comparison takes constant time per key."""

    def __init__(self, ask_keys: list[str], admin_keys: list[str]) -> None:
        self._keys: list[tuple[bytes, Role]] = [(k.encode(), "admin") for k in admin_keys]
        self._keys += [(k.encode(), "ask") for k in ask_keys if k not in admin_keys]

    @property
    def empty(self) -> bool:
        return not self._keys

    def role_of(self, key: str) -> Role | None:
        given = key.encode()
        found: Role | None = None
        for secret, role in self._keys:
            if hmac.compare_digest(given, secret) and found != "admin":
                found = role
        return found


class RateLimiter:
    """A token bucket per caller: `per_minute` requests a minute, bursts up to the same number.

    Hand-written rather than a library because it is twenty lines, needs an exact `Retry-After`
    and an injectable clock for tests, and keeps no state outside the process (one API process
    per index, see docs/api.md).
    """

    def __init__(self, per_minute: int, clock: Callable[[], float] = time.monotonic, max_callers: int = 10_000) -> None:
        self.capacity = float(per_minute)
        self.rate = per_minute / 60.0
        self.clock = clock
        self.max_callers = max_callers
        self._buckets: dict[str, tuple[float, float]] = {}  # caller → (tokens, updated)
        self._lock = threading.Lock()

    def take(self, who: str) -> float:
        """0 when the request may go ahead, else the seconds to wait."""
        now = self.clock()
        with self._lock:
            tokens, updated = self._buckets.get(who, (self.capacity, now))
            tokens = min(self.capacity, tokens + (now - updated) * self.rate)
            if tokens >= 1.0:
                self._buckets[who] = (tokens - 1.0, now)
                wait = 0.0
            else:
                self._buckets[who] = (tokens, now)
                wait = (1.0 - tokens) / self.rate
            if len(self._buckets) > self.max_callers:
                # full buckets carry no information: forget them first
                full = [k for k, (t, u) in self._buckets.items() if t + (now - u) * self.rate >= self.capacity]
                for key in full[: len(self._buckets) - self.max_callers // 2]:
                    del self._buckets[key]
            return wait


@dataclass
class ApiState:
    app: App
    keys: KeyRing
    insecure_no_auth: bool
    limiter: RateLimiter
    conversations: ConversationStore
    ingest_lock: threading.Lock = field(default_factory=threading.Lock)
    jobs: JobRunner = field(default_factory=JobRunner)
    today: Callable[[], dt.date] | None = None  # tests freeze it; else the date in PLANBOT_TIMEZONE

    def local_today(self) -> dt.date:
        return self.today() if self.today is not None else dt.datetime.now(self.app.settings.zone).date()


# The dependencies below are `async def` on purpose: they never block, and FastAPI runs a plain `def`
# dependency in the thread pool, one hand-off (and GIL contention with the answering threads) each.
async def get_state(request: Request) -> ApiState:
    return request.app.state.planbot


State = Annotated[ApiState, Depends(get_state)]
_bearer = HTTPBearer(auto_error=False, description="an API key from PLANBOT_ASK_KEYS or PLANBOT_ADMIN_KEYS")


def _client(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def _limit(state: ApiState, who: str) -> None:
    wait = state.limiter.take(who)
    if wait > 0:
        seconds = max(1, math.ceil(wait))
        raise ApiProblem(429, "rate-limited", "api_rate_limited", headers={"Retry-After": str(seconds)},
                         seconds=seconds)


def _caller(request: Request, state: ApiState, key: str | None) -> Caller:
    if state.keys.empty and state.insecure_no_auth:
        caller = Caller(f"anon:{_client(request)}", "ask")
    else:
        role = state.keys.role_of(key) if key else None
        if role is None or key is None:
            # wrong keys count against the client's address, so guessing is rate limited too
            _limit(state, f"fail:{_client(request)}")
            raise ApiProblem(401, "unauthorized", "api_unauthorized", headers={"WWW-Authenticate": "Bearer"})
        caller = Caller(hashlib.sha256(key.encode()).hexdigest()[:12], role)
    request.state.caller = caller
    return caller


def refusal_before_body(state: ApiState, request: Request) -> ApiProblem | None:
    """What `authenticate` would answer a caller without a valid key, judged from the headers
    alone: the API middleware answers it before any body is read or an upload spooled. None when
    the key is valid (the route's dependencies then check the role and the rate limit)."""
    if state.keys.empty and state.insecure_no_auth:
        return None
    scheme, key = get_authorization_scheme_param(request.headers.get("authorization"))
    if scheme.lower() == "bearer" and key and state.keys.role_of(key) is not None:
        return None
    try:
        _limit(state, f"fail:{_client(request)}")  # counted as authenticate counts a wrong key
    except ApiProblem as problem:
        return problem
    return ApiProblem(401, "unauthorized", "api_unauthorized", headers={"WWW-Authenticate": "Bearer"})


async def authenticate(request: Request, state: State,
                 credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]) -> Caller:
    return _caller(request, state, credentials.credentials if credentials else None)


async def require_ask_or_key_param(
        request: Request, state: State,
        credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
        key: Annotated[str | None, Query(max_length=256, description="the ask key, for calendar apps that cannot "
                                                                      "send headers (redacted in the access log)")] = None,
) -> Caller:
    """The header, or `?key=` for a calendar subscription (a calendar app sends no headers)."""
    caller = _caller(request, state, credentials.credentials if credentials else key)
    _limit(state, caller.key_id)
    return caller


async def require_ask(state: State, caller: Annotated[Caller, Depends(authenticate)]) -> Caller:
    _limit(state, caller.key_id)
    return caller


async def require_admin(state: State, caller: Annotated[Caller, Depends(authenticate)]) -> Caller:
    if caller.role != "admin":
        raise ApiProblem(403, "forbidden", "api_forbidden")
    _limit(state, caller.key_id)
    return caller


AskCaller = Annotated[Caller, Depends(require_ask)]
AdminCaller = Annotated[Caller, Depends(require_admin)]
FeedCaller = Annotated[Caller, Depends(require_ask_or_key_param)]

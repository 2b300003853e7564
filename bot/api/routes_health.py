"""Probes: /healthz (the process answers) and /readyz (the index is loaded and its storage still
there; the LLM's state is reported but never makes the service unready: answers fall back to
extractive)."""

from __future__ import annotations

import logging

from fastapi import APIRouter, Response
from starlette.concurrency import run_in_threadpool

from bot.api.deps import State
from bot.api.schemas import Health, LlmStatus, Readiness

log = logging.getLogger("planbot.api")
router = APIRouter(tags=["health"])


@router.get("/healthz", response_model=Health, summary="The process is up")
def healthz() -> Health:
    return Health()


@router.get("/readyz", response_model=Readiness, summary="The index is loaded (503 when not); the LLM's state",
            responses={503: {"model": Readiness, "description": "no index loaded, or its storage was removed"}})
async def readyz(response: Response, state: State) -> Readiness:
    snap = await run_in_threadpool(state.app.store.snapshot)
    generator = state.app.assistant.generator
    if generator is None:
        llm = LlmStatus(configured=False)
    else:
        health = await run_in_threadpool(generator.health)  # bounded by the generator's own timeout
        llm = LlmStatus(configured=True, ok=bool(health.get("ok")), model=str(health.get("model") or generator.name))
    problem = await run_in_threadpool(state.app.store.storage_problem)
    if problem:
        log.error("not ready: %s", problem)
    ready = snap is not None and bool(snap.docs) and not problem
    if not ready:
        response.status_code = 503
    return Readiness(status="ready" if ready else "not_ready", generation=snap.generation if snap else None,
                     documents=len(snap.docs) if snap else 0, chunks=snap.n_chunks if snap else 0, llm=llm)

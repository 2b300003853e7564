"""POST /v1/ask (JSON, or server-sent events with `Accept: text/event-stream`) and conversations."""

from __future__ import annotations

import asyncio
import json
import logging
import uuid
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Annotated

from fastapi import APIRouter, Header, Path, Request
from fastapi.responses import StreamingResponse
from fastapi.sse import format_sse_event
from starlette.concurrency import iterate_in_threadpool, run_in_threadpool

from bot.api.deps import ApiState, AskCaller, Caller, State
from bot.api.problems import ApiProblem, problem_response
from bot.api.render import answer_out
from bot.api.schemas import (
    CONVERSATION_ID_PATTERN,
    SSE_EVENT_SCHEMA,
    AskRequest,
    AskResponse,
    ConversationOut,
    Problem,
    TurnOut,
)
from rag.answer import QuestionError
from rag.prompts import message
from rag.types import Answer

log = logging.getLogger("planbot.api")
router = APIRouter(tags=["ask"])

KEEPALIVE_SECONDS = 15.0  # proxies drop silent connections; the LLM may think for a while first
SSE_DESCRIPTION = """With `Accept: text/event-stream` the answer streams as server-sent events:
`event: token` with `{"text": "..."}` pieces as the text is produced (a draft: LLM text before its
citations are checked), then one `event: answer` whose data is the final JSON below, with verified
citations, which replaces the draft. An error after the stream started comes as `event: error` with
a problem document. Comment lines (`: ping`) keep the connection alive."""
# Errors (400, 401, 404, 413, 422, 429, 500) are documented as problem documents for every /v1 route in
# app._openapi; routes add only what is particular to them.
ADMIN_ONLY: dict[int | str, dict] = {403: {"model": Problem}}


def check_sources(state: ApiState, sources: list[str] | None) -> list[str] | None:
    if not sources:
        return None
    known = {d.meta.source for d in state.app.library.documents()}
    unknown = [s for s in dict.fromkeys(sources) if s not in known]
    if unknown:
        raise ApiProblem(422, "unknown-sources", "api_unknown_sources",
                         sources=", ".join(f"\"{s}\"" for s in unknown), available=", ".join(sorted(known)) or "không có")
    return list(dict.fromkeys(sources))


def _conversation_key(caller: Caller, conversation_id: str) -> str:
    # scoped by key: a conversation id guessed by another client names a different conversation
    return f"{caller.key_id}:{conversation_id}"


def sse(event: str, data: object) -> bytes:
    return format_sse_event(event=event, data_str=json.dumps(data, ensure_ascii=False))


async def with_keepalive(items: AsyncIterator[bytes], interval: float = KEEPALIVE_SECONDS) -> AsyncIterator[bytes]:
    iterator = aiter(items)
    pending: asyncio.Task | None = None
    try:
        while True:
            if pending is None:
                pending = asyncio.ensure_future(anext(iterator))
            done, _ = await asyncio.wait({pending}, timeout=interval)
            if not done:
                yield b": ping\n\n"
                continue
            finished, pending = pending, None
            try:
                item = finished.result()
            except StopAsyncIteration:
                return
            yield item
    finally:
        if pending is not None:
            pending.cancel()


def stream_answer(request: Request, state: ApiState, pieces: Iterator[str | Answer],
                  on_final) -> StreamingResponse:
    """Server-sent events from the assistant's sync generator, run in the thread pool so the event
    loop keeps serving other requests while the LLM writes."""
    base = request.scope.get("root_path", "")

    async def events() -> AsyncIterator[bytes]:
        final: Answer | None = None
        try:
            async for item in iterate_in_threadpool(pieces):
                if isinstance(item, Answer):
                    final = item
                elif item:
                    yield sse("token", {"text": item})
        except QuestionError as exc:
            yield sse("error", _problem_body(request, 422, "invalid-question", str(exc)))
            return
        except Exception:
            log.exception("streamed answer failed")
            yield sse("error", _problem_body(request, 500, "internal", message("api_internal")))
            return
        if final is None:
            return
        yield sse("answer", on_final(final, base).model_dump(mode="json", exclude_none=True))

    return StreamingResponse(with_keepalive(events()), media_type="text/event-stream",
                             headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"})


def _problem_body(request: Request, status: int, slug: str, detail: str) -> dict:
    return json.loads(bytes(problem_response(request, status, slug, detail).body))


@router.post(
    "/v1/ask", response_model=AskResponse, response_model_exclude_none=True, summary="Answer a question",
    description="Answers one question about the indexed plans, with verified section citations.\n\n"
                + SSE_DESCRIPTION,
    responses={200: {"content": {"text/event-stream": {"schema": SSE_EVENT_SCHEMA, "example":
                                 'event: token\ndata: {"text": "Theo Kế hoạch …"}\n\nevent: answer\n'
                                 'data: {"question": "…", "answer": "…", "citations": […]}\n\n'}}}})
async def ask(body: AskRequest, request: Request, caller: AskCaller, state: State,
              accept: Annotated[str | None, Header(include_in_schema=False)] = None) -> AskResponse | StreamingResponse:
    # `async def` with one explicit hop to the thread pool for everything that may block (the store,
    # the answer): a plain `def` route costs a second hop, for validating the response.
    stream = bool(accept and "text/event-stream" in accept)
    base = request.scope.get("root_path", "")
    result = await run_in_threadpool(answer_question, body, caller, state, stream, base)
    if isinstance(result, AskResponse):
        return result
    pieces, finish = result
    return stream_answer(request, state, pieces, finish)


def answer_question(body: AskRequest, caller: Caller, state: ApiState, stream: bool,
                    base: str) -> AskResponse | tuple[Iterator[str | Answer], Callable[[Answer, str], AskResponse]]:
    """The answer, or, when streaming, the assistant's pieces and what turns the final one into the
    response. A bad question raises (a 422) before any stream starts."""
    assistant = state.app.assistant
    question = assistant.validate(body.question)
    sources = check_sources(state, body.sources)
    conversation_id = body.conversation_id or uuid.uuid4().hex
    key = _conversation_key(caller, conversation_id)
    history = state.conversations.get(key).history()

    def finish(answer: Answer, base: str) -> AskResponse:
        state.conversations.add(key, question, answer)
        out = answer_out(answer, state.app, base)
        return AskResponse.model_construct(**dict(out), conversation_id=conversation_id)  # out is validated

    if stream:
        return assistant.ask_stream(question, history=history, sources=sources, mode=body.mode), finish
    return finish(assistant.ask(question, history=history, sources=sources, mode=body.mode), base)


@router.get("/v1/conversations/{conversation_id}", response_model=ConversationOut,
            response_model_exclude_none=True, summary="A conversation's turns, with their citations")
def get_conversation(conversation_id: Annotated[str, Path(pattern=CONVERSATION_ID_PATTERN)],
                     request: Request, caller: AskCaller, state: State) -> ConversationOut:
    key = _conversation_key(caller, conversation_id)
    conv = state.conversations.get(key)
    if not conv.turns:
        state.conversations.reset(key)
        raise ApiProblem(404, "unknown-conversation", "api_unknown_conversation", conversation_id=conversation_id)
    base = request.scope.get("root_path", "")
    return ConversationOut(conversation_id=conversation_id,
                           turns=[TurnOut(question=t.question, answer=answer_out(t.answer, state.app, base))
                                  for t in conv.turns])


@router.delete("/v1/conversations/{conversation_id}", status_code=204, summary="Forget a conversation")
def delete_conversation(conversation_id: Annotated[str, Path(pattern=CONVERSATION_ID_PATTERN)],
                        caller: AskCaller, state: State) -> None:
    state.conversations.reset(_conversation_key(caller, conversation_id))

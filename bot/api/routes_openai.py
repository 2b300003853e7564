"""OpenAI-compatible chat completions (model `planbot`), streaming and not, for existing chat front
ends and ticketing integrations.

The citations travel in the final message twice: as text the user sees (numbered sources after the
answer) and as a structured `citations` field. Previous user messages are the follow-up context, so
a client that resends the conversation (as every chat front end does) gets references resolved.

Streaming sends only verified text: clients concatenate deltas and cannot take back a sentence, so
the LLM's draft (whose unverifiable claims and citations are dropped afterwards) is not forwarded;
keep-alive comments flow while it is written.
"""

from __future__ import annotations

import json
import logging
import time
import uuid
from collections.abc import AsyncIterator

from fastapi import APIRouter, Request
from fastapi.responses import StreamingResponse
from starlette.concurrency import iterate_in_threadpool

from bot.api.deps import AskCaller, State
from bot.api.problems import ApiProblem
from bot.api.render import answer_out, rendered_answer
from bot.api.routes_ask import check_sources, with_keepalive
from bot.api.schemas import (
    SSE_EVENT_SCHEMA,
    AnswerOut,
    ChatChoice,
    ChatChoiceMessage,
    ChatRequest,
    ChatResponse,
    ModelCard,
    ModelList,
)
from bot.render.text import answer_head, sources_text
from rag.answer import QuestionError
from rag.prompts import message
from rag.types import Answer

log = logging.getLogger("planbot.api")
router = APIRouter(tags=["openai"])

MODEL = "planbot"
HISTORY_TURNS = 3
_STARTED = int(time.time())


@router.get("/v1/models", response_model=ModelList, summary="Models (OpenAI-compatible): only `planbot`")
def models(caller: AskCaller) -> ModelList:
    return ModelList(data=[ModelCard(id=MODEL, created=_STARTED)])


def _extensions(out: AnswerOut) -> dict[str, object]:
    data: dict[str, object] = {"mode": out.mode, "abstained": out.abstained}
    if out.notice:
        data["notice"] = out.notice
    return data


def _chunk(completion_id: str, created: int, delta: dict, finish: str | None = None, **extra: object) -> bytes:
    payload = {"id": completion_id, "object": "chat.completion.chunk", "created": created, "model": MODEL,
               "choices": [{"index": 0, "delta": delta, "finish_reason": finish}], **extra}
    return f"data: {json.dumps(payload, ensure_ascii=False)}\n\n".encode()


@router.post("/v1/chat/completions", response_model=ChatResponse, summary="Chat completions (OpenAI-compatible)",
             description="Answers the last user message; earlier user messages give follow-up context. With "
                         "`\"stream\": true` the reply is a stream of `chat.completion.chunk` events ending with "
                         "`data: [DONE]`; the last chunk carries `citations`.",
             responses={200: {"content": {"text/event-stream": {"schema": SSE_EVENT_SCHEMA}}}})
def chat_completions(body: ChatRequest, request: Request, caller: AskCaller,
                     state: State) -> ChatResponse | StreamingResponse:
    if body.model != MODEL:
        raise ApiProblem(404, "unknown-model", "api_unknown_model", model=body.model[:100])
    last = body.messages[-1]
    if last.role != "user" or not last.text().strip():
        raise ApiProblem(422, "no-user-message", "api_no_user_message")
    assistant = state.app.assistant
    question = assistant.validate(last.text())
    limit = assistant.max_question_chars
    earlier = [m.text().strip()[:limit] for m in body.messages[:-1] if m.role == "user" and m.text().strip()]
    history = earlier[-HISTORY_TURNS:]
    sources = check_sources(state, body.sources)
    completion_id = f"chatcmpl-{uuid.uuid4().hex[:24]}"
    created = int(time.time())
    base = request.scope.get("root_path", "")

    if not body.stream:
        out = answer_out(assistant.ask(question, history=history, sources=sources), state.app, base)
        return ChatResponse(id=completion_id, created=created, model=MODEL, citations=out.citations,
                            planbot=_extensions(out),
                            choices=[ChatChoice(message=ChatChoiceMessage(content=out.answer_with_sources,
                                                                          citations=out.citations))])

    pieces = assistant.ask_stream(question, history=history, sources=sources)

    async def events() -> AsyncIterator[bytes]:
        yield _chunk(completion_id, created, {"role": "assistant", "content": ""})
        final: Answer | None = None
        try:
            async for item in iterate_in_threadpool(pieces):
                if isinstance(item, Answer):
                    final = item
        except Exception as exc:
            if not isinstance(exc, QuestionError):
                log.exception("streamed chat completion failed")
            detail = str(exc) if isinstance(exc, QuestionError) else message("api_internal")
            error = {"error": {"message": detail, "type": "internal", "code": 500}}
            yield f"data: {json.dumps(error, ensure_ascii=False)}\n\n".encode()
            yield b"data: [DONE]\n\n"
            return
        assert final is not None
        out = answer_out(final, state.app, base)
        rendered = rendered_answer(final, state.app)
        # the same text as the non-streamed content, in two deltas: the answer, then its sources
        yield _chunk(completion_id, created, {"content": answer_head(rendered)})
        if out.citations:
            yield _chunk(completion_id, created, {"content": "\n\n" + sources_text(rendered)})
        citations = [c.model_dump(mode="json", exclude_none=True) for c in out.citations]
        yield _chunk(completion_id, created, {}, "stop", citations=citations, planbot=_extensions(out))
        yield b"data: [DONE]\n\n"

    return StreamingResponse(with_keepalive(events()), media_type="text/event-stream",
                             headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"})

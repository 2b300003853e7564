"""Text generators: Ollama (langchain-ollama's ChatOllama and the ollama client) and any
OpenAI-compatible server (the `openai` package: vLLM, llama.cpp's llama-server, LM Studio, TGI).

What every backend shares lives in ChatGenerator:
- a reply cap (`reply_tokens`, sent as Ollama's `num_predict` or OpenAI's `max_tokens`): a model
  that never emits its stop token would otherwise run to the end of its context (minutes);
- one deadline for the whole answer (the backend's timeout setting), streamed or not: the reply is
  read in a worker thread and the caller stops waiting at the deadline, however the server trickles;
- every failure becomes a GeneratorUnavailable (a subclass says which): the answering service then
  answers extractively with the subclass's short Vietnamese notice, and logs `reason`, which says
  what the server said and, where the operator can fix it, how;
- a prompt too long for the model's context is not a failure: evidence blocks are dropped from the
  end and the model is asked again.

The failures are rag/llm_errors.py; the deadline reader is rag/deadline.py.
"""

from __future__ import annotations

import functools
import json
import logging
import re
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any, Protocol, runtime_checkable

from lang.markers import CITATION_TEXT
from rag.deadline import DeadlinePassed, within_deadline
from rag.llm_errors import (
    ContextTooLong,
    GeneratorTimeout,
    GeneratorUnavailable,
    MalformedReply,
    ModelNotPulled,
    ModelNotServed,
    NoLlmServer,
    ServerUnreachable,
    WrongServer,
)

log = logging.getLogger(__name__)

# An evidence block as rag/answer.py writes it into the user message:
# "[n] title — label (source)\n<<<\ntext\n>>>". Blocks are dropped from the end, so the numbers
# of the blocks that stay (and the citations the model makes with them) do not change.
EVIDENCE_BLOCK = re.compile(rf"^{CITATION_TEXT}[^\n]*\n<<<\n.*?\n>>>", re.MULTILINE | re.DOTALL)
# What servers say when the prompt does not fit the context: Ollama ("input length exceeds the
# context length"), llama-server ("the request exceeds the available context size"), vLLM
# ("This model's maximum context length is 8192 tokens").
_CONTEXT_ERROR = re.compile(r"context (length|window|size)|exceeds? (the )?(maximum |available )?context"
                            r"|too many tokens|prompt is too long", re.IGNORECASE)
CONTEXT_RETRIES = 3
# After a failed health check, questions within this many seconds fail at once instead of each
# waiting for a connect timeout (a GPU box that is switched off drops packets).
DOWN_RECHECK_SECONDS = 10.0
UP_RECHECK_SECONDS = 30.0
# The reply cap: an answer of a few cited sentences fits in 512 tokens; never more than a quarter
# of a small context, which the evidence needs more.
REPLY_TOKENS = 512
# Characters per token of Vietnamese plan text, measured with Gemma 3's tokenizer on the sample
# plans through llama-server (about 2.9); the prompt budget uses it to fit the context.
CHARS_PER_TOKEN = 2.9


def reply_token_cap(num_ctx: int) -> int:
    """The most tokens a reply may have: what the prompt budget leaves free of the context."""
    return max(64, min(REPLY_TOKENS, num_ctx // 4))


@runtime_checkable
class Generator(Protocol):
    @property
    def name(self) -> str: ...

    def generate(self, messages: list[dict[str, str]]) -> str: ...

    def stream(self, messages: list[dict[str, str]]) -> Iterator[str]: ...

    def health(self) -> dict[str, object]: ...


def prompt_chars(messages: list[dict[str, str]]) -> int:
    return sum(len(m["content"]) for m in messages)


def trim_evidence(messages: list[dict[str, str]], max_chars: int,
                  best_effort: bool = False) -> list[dict[str, str]] | None:
    """The messages with evidence blocks dropped from the end of the last user message until the
    whole prompt is at most max_chars; None if that would leave no evidence (or there is none).
    With best_effort, a prompt that is still too long with one block left is returned anyway
    (the model may take it: max_chars is a guess), and None only when nothing can be dropped."""
    index = max((i for i, m in enumerate(messages) if m["role"] == "user"), default=None)
    if index is None:
        return None
    content = messages[index]["content"]
    blocks = list(EVIDENCE_BLOCK.finditer(content))
    excess = prompt_chars(messages) - max_chars
    keep = len(blocks)
    while keep > 1 and excess > 0:
        keep -= 1
        # the block and the separator before it go
        excess -= blocks[keep].end() - blocks[keep - 1].end()
    if not blocks or keep == len(blocks) or (excess > 0 and not best_effort):
        return None
    trimmed = content[: blocks[keep - 1].end()] + content[blocks[-1].end():]
    return [*messages[:index], {**messages[index], "content": trimmed}, *messages[index + 1:]]



def _causes(exc: BaseException) -> list[BaseException]:
    chain: list[BaseException] = []
    seen: BaseException | None = exc
    while seen is not None and seen not in chain:
        chain.append(seen)
        seen = seen.__cause__ or seen.__context__
    return chain


def _one_piece(call: Callable[[], str]) -> Iterator[str]:
    """A whole reply as one piece, made when first asked for (in within_deadline's worker)."""
    yield call()


class ChatGenerator:
    """What both backends share: health checks, the reply cap, the whole-answer deadline, the
    trimming of prompts too long for the context, and the last call's token counts."""

    backend = "ollama"
    server_label = "Ollama"
    timeout_setting = "PLANBOT_OLLAMA_TIMEOUT"

    def __init__(self, url: str, model: str, timeout: float = 60.0, num_ctx: int = 8192) -> None:
        self.url = url.rstrip("/")
        self.model = model
        self.name = f"{self.backend}:{model}"
        self.timeout = timeout
        self.num_ctx = num_ctx
        self.reply_tokens = reply_token_cap(num_ctx)
        # What the last call spent: prompt and reply tokens as the server counted them (None when
        # it did not say), the prompt's characters, and seconds; eval reports them per question.
        self.last_usage: dict[str, Any] | None = None  # the server's figures, as its JSON gives them
        self._checked_at = 0.0
        self._available: bool | None = None
        self._last_failure: GeneratorUnavailable | None = None
        # The shortest prompt (in characters) the model refused as too long: longer prompts are
        # trimmed before they are sent, instead of failing once per question.
        self._too_long_chars: int | None = None

    # --- what a backend provides -----------------------------------------------------------------
    def _check_server(self) -> None:
        """Raise a GeneratorUnavailable unless the server answers and serves the model."""
        raise NotImplementedError

    def _stream_once(self, messages: list[dict[str, str]], usage: dict[str, object]) -> Iterator[str]:
        raise NotImplementedError

    def _generate_once(self, messages: list[dict[str, str]], usage: dict[str, object]) -> str:
        raise NotImplementedError

    def _classify_response(self, error: BaseException) -> GeneratorUnavailable | None:
        """The failure an error of the backend's client means, or None when it is not one."""
        return None

    # --- shared ----------------------------------------------------------------------------------
    def _unavailable(self, cls: type[GeneratorUnavailable], reason: str) -> GeneratorUnavailable:
        return cls(reason, backend=self.backend)

    def _deadline_passed(self) -> GeneratorTimeout:
        return GeneratorTimeout(
            f"{self.server_label} at {self.url} did not finish its answer within {self.timeout:g} s "
            f"({self.timeout_setting} bounds the whole answer; the reply is capped at {self.reply_tokens} "
            f"tokens); raise {self.timeout_setting} if the model is just slow", backend=self.backend)

    def ensure_ready(self) -> None:
        """Fail fast (and say what to do) when the server is down or does not serve the model."""
        now = time.monotonic()
        if self._available and now - self._checked_at < UP_RECHECK_SECONDS:
            return
        last = self._last_failure
        if self._available is False and last is not None and now - self._checked_at < DOWN_RECHECK_SECONDS:
            raise type(last)(last.reason, last.notice, backend=last.backend)
        self._checked_at = now
        try:
            self._check_server()
        except GeneratorUnavailable as refused:
            self._mark_down(refused)
            raise
        except Exception as exc:
            failure = self._classify(exc)
            if not isinstance(failure, WrongServer | ModelNotPulled | ModelNotServed):
                failure = self._unavailable(ServerUnreachable, f"{self.server_label} at {self.url} did not "
                                            f"list its models: {failure.reason}")
            self._mark_down(failure)
            raise failure from exc
        self._available, self._last_failure = True, None

    def _mark_down(self, failure: GeneratorUnavailable) -> None:
        self._available, self._last_failure = False, failure
        self._checked_at = time.monotonic()

    def _classify(self, exc: BaseException) -> GeneratorUnavailable:
        """Name what went wrong, from the exception and its causes."""
        import httpx

        for error in _causes(exc):
            if isinstance(error, GeneratorUnavailable):
                return error
            if isinstance(error, DeadlinePassed):
                return self._deadline_passed()
            specific = self._classify_response(error)
            if specific is not None:
                return specific
            if isinstance(error, httpx.TimeoutException | TimeoutError):
                return self._deadline_passed()
            if isinstance(error, httpx.ConnectError | ConnectionError):
                return self._unavailable(ServerUnreachable, f"{self.server_label} at {self.url} unreachable: "
                                         f"{error}; check that it runs and the URL setting points at it")
            if isinstance(error, json.JSONDecodeError | UnicodeDecodeError | httpx.RemoteProtocolError):
                return self._unavailable(MalformedReply, f"{self.server_label} at {self.url} sent a malformed "
                                         f"reply: {error!r}")
        return self._unavailable(GeneratorUnavailable, f"{self.server_label} call failed: {exc!r}")

    def _context_error(self, text: str) -> GeneratorUnavailable:
        return self._unavailable(ContextTooLong, f"prompt too long for {self.model} (context {self.num_ctx} "
                                 f"tokens as configured, reply cap {self.reply_tokens}): {text}")

    def _fitting(self, messages: list[dict[str, str]]) -> list[dict[str, str]]:
        """Trim before sending when a prompt this long was already refused."""
        if self._too_long_chars is None or prompt_chars(messages) < self._too_long_chars:
            return messages
        trimmed = trim_evidence(messages, int(self._too_long_chars * 0.8), best_effort=True)
        if trimmed is None:
            raise self._unavailable(ContextTooLong, f"prompt of {prompt_chars(messages)} characters does not "
                                    f"fit {self.model} (refused at {self._too_long_chars}) and has no evidence "
                                    f"left to drop")
        log.info("trimmed the prompt from %d to %d characters to fit %s", prompt_chars(messages),
                 prompt_chars(trimmed), self.model)
        return trimmed

    def _shrink(self, messages: list[dict[str, str]], failure: GeneratorUnavailable) -> list[dict[str, str]]:
        size = prompt_chars(messages)
        self._too_long_chars = min(size, self._too_long_chars or size)
        trimmed = trim_evidence(messages, int(size * 0.6), best_effort=True)
        if trimmed is None:
            raise self._unavailable(ContextTooLong, f"{failure.reason}; no evidence left to drop (prompt of "
                                    f"{size} characters)") from failure
        log.warning("%s; retrying with the prompt trimmed from %d to %d characters (fewer evidence blocks)",
                    failure.reason, size, prompt_chars(trimmed))
        return trimmed

    def _failed(self, exc: BaseException) -> GeneratorUnavailable:
        failure = self._classify(exc)
        if isinstance(failure, ServerUnreachable | ModelNotPulled | ModelNotServed | WrongServer):
            self._mark_down(failure)  # the next question re-checks the server first
        return failure

    def _record(self, usage: dict[str, object], messages: list[dict[str, str]], started: float) -> None:
        self.last_usage = {"prompt_tokens": usage.get("prompt_tokens"), "reply_tokens": usage.get("reply_tokens"),
                           "prompt_chars": prompt_chars(messages), "reply_cap": self.reply_tokens,
                           "seconds": round(time.monotonic() - started, 3)}

    def generate(self, messages: list[dict[str, str]]) -> str:
        """One non-streamed reply (batch jobs, eval), within the same whole-answer deadline."""
        started = time.monotonic()
        deadline = started + self.timeout
        self.last_usage = None
        self.ensure_ready()
        messages = self._fitting(messages)
        for attempt in range(CONTEXT_RETRIES + 1):
            usage: dict[str, object] = {}
            try:
                once = functools.partial(self._generate_once, messages, usage)
                text = "".join(within_deadline(functools.partial(_one_piece, once), deadline))
                self._record(usage, messages, started)
                return text
            except Exception as exc:
                failure = self._failed(exc)
                if not isinstance(failure, ContextTooLong) or attempt == CONTEXT_RETRIES:
                    raise failure from exc
                messages = self._shrink(messages, failure)
        raise AssertionError("unreachable")

    def stream(self, messages: list[dict[str, str]]) -> Iterator[str]:
        """The reply in pieces as the server sends them; cut at the whole-answer deadline."""
        started = time.monotonic()
        deadline = started + self.timeout
        self.last_usage = None
        self.ensure_ready()
        messages = self._fitting(messages)
        for attempt in range(CONTEXT_RETRIES + 1):
            sent = False
            usage: dict[str, object] = {}
            try:
                for piece in within_deadline(functools.partial(self._stream_once, messages, usage), deadline):
                    sent = True
                    yield piece
                self._record(usage, messages, started)
                return
            except Exception as exc:
                failure = self._failed(exc)
                # servers refuse a long prompt before the first piece; after that, nothing is retried
                if not isinstance(failure, ContextTooLong) or sent or attempt == CONTEXT_RETRIES:
                    raise failure from exc
                messages = self._shrink(messages, failure)

    def health(self) -> dict[str, object]:
        self._checked_at, self._available = 0.0, None
        try:
            self.ensure_ready()
            return {"ok": True, "backend": self.backend, "model": self.model, "url": self.url}
        except GeneratorUnavailable as exc:
            return {"ok": False, "backend": self.backend, "model": self.model, "url": self.url, "error": exc.reason}


class OllamaGenerator(ChatGenerator):
    """Ollama's own API (/api/tags, /api/chat): langchain-ollama's ChatOllama streams, the ollama
    client answers non-streamed. num_ctx is sent with every request: Ollama's default context
    silently truncates long evidence."""

    def _options(self) -> dict[str, object]:
        return {"num_ctx": self.num_ctx, "num_predict": self.reply_tokens, "temperature": 0.1}

    def _pull_hint(self) -> str:
        return f"model {self.model!r} is not pulled on {self.url}; run: ollama pull {self.model}"

    def _check_server(self) -> None:
        import ollama

        client = ollama.Client(host=self.url, timeout=min(self.timeout, 5.0))
        try:
            listed = client.list()
        except ollama.ResponseError as exc:
            if exc.status_code in (404, 405):
                raise self._not_ollama(f"HTTP {exc.status_code} on /api/tags") from exc
            raise
        except ValueError as exc:  # JSON (or pydantic) that is not Ollama's model list
            raise self._not_ollama(f"a reply to /api/tags that is not Ollama's: {exc}") from exc
        tags = [m.model or "" for m in listed.models]
        wanted = {self.model, f"{self.model}:latest"} if ":" not in self.model else {self.model}
        if not wanted.intersection(tags):
            raise ModelNotPulled(self._pull_hint(), model=self.model)

    def _not_ollama(self, what: str) -> WrongServer:
        return WrongServer(
            f"{self.url} is not an Ollama server ({what}); if it is an OpenAI-compatible server "
            f"(llama.cpp's llama-server, vLLM, LM Studio), set PLANBOT_LLM=openai and "
            f"PLANBOT_OPENAI_URL={self.url}/v1", backend=self.backend)

    def _classify_response(self, error: BaseException) -> GeneratorUnavailable | None:
        import ollama

        if not isinstance(error, ollama.ResponseError):
            return None
        text = str(error.error)
        if error.status_code == 404 and "model" in text.lower() and "not found" in text.lower():
            return ModelNotPulled(f"{self._pull_hint()} (server said: {text})", model=self.model)
        if error.status_code in (404, 405):
            return self._not_ollama(f"HTTP {error.status_code} on /api/chat: {text}")
        if _CONTEXT_ERROR.search(text):
            return self._context_error(text)
        return self._unavailable(GeneratorUnavailable, f"Ollama at {self.url} answered HTTP "
                                 f"{error.status_code}: {text}")

    def _stream_once(self, messages: list[dict[str, str]], usage: dict[str, object]) -> Iterator[str]:
        from langchain_ollama import ChatOllama

        chat = ChatOllama(model=self.model, base_url=self.url, num_ctx=self.num_ctx, num_predict=self.reply_tokens,
                          temperature=0.1, client_kwargs={"timeout": self.timeout})
        for piece in chat.stream([(m["role"], m["content"]) for m in messages]):
            counted = getattr(piece, "usage_metadata", None)
            if counted:
                usage["prompt_tokens"] = counted.get("input_tokens")
                usage["reply_tokens"] = counted.get("output_tokens")
            if piece.content:
                yield str(piece.content)

    def _generate_once(self, messages: list[dict[str, str]], usage: dict[str, object]) -> str:
        import ollama

        client = ollama.Client(host=self.url, timeout=self.timeout)
        result = client.chat(model=self.model, messages=messages, stream=False, options=self._options())
        usage["prompt_tokens"], usage["reply_tokens"] = result.prompt_eval_count, result.eval_count
        return str(result.message.content or "")


class OpenAIGenerator(ChatGenerator):
    """Any server speaking OpenAI's /v1/chat/completions (vLLM, llama.cpp's llama-server, LM Studio,
    TGI), through the `openai` client. The server fixes the context when it starts: num_ctx is what
    it was started with, used only to budget the prompt."""

    backend = "openai"
    server_label = "OpenAI-compatible server"
    timeout_setting = "PLANBOT_OPENAI_TIMEOUT"

    def __init__(self, url: str, model: str = "", api_key: str = "", timeout: float = 60.0,
                 num_ctx: int = 8192) -> None:
        super().__init__(url, model, timeout=timeout, num_ctx=num_ctx)
        self.api_key = api_key
        self.name = f"openai:{model or '?'}"

    def _client(self, timeout: float):
        import openai

        # retries are the deadline's business, not the client's (it would retry past it)
        return openai.OpenAI(base_url=self.url, api_key=self.api_key or "no-key", timeout=timeout, max_retries=0)

    def _check_server(self) -> None:
        served = [m.id for m in self._client(min(self.timeout, 5.0)).models.list()]
        if not self.model and served:
            self.model = served[0]  # a server started with one model: use it
            self.name = f"openai:{self.model}"
        if self.model not in served:
            raise ModelNotServed(f"{self.url} does not serve model {self.model!r}; it serves {served}: "
                                 f"set PLANBOT_OPENAI_MODEL to one of them", model=self.model)

    def _classify_response(self, error: BaseException) -> GeneratorUnavailable | None:
        import openai

        if isinstance(error, openai.APITimeoutError):
            return self._deadline_passed()
        if isinstance(error, openai.APIConnectionError):
            return self._unavailable(ServerUnreachable, f"{self.server_label} at {self.url} unreachable: "
                                     f"{error.__cause__ or error}; check that it runs and PLANBOT_OPENAI_URL")
        if not isinstance(error, openai.APIStatusError):
            return None
        text = _error_text(error)
        if _CONTEXT_ERROR.search(text):
            return self._context_error(text)
        if error.status_code == 404:
            if "model" in text.lower():
                return ModelNotServed(f"{self.url} does not serve model {self.model!r} (server said: {text}); "
                                      f"set PLANBOT_OPENAI_MODEL to a model it lists on /v1/models",
                                      model=self.model)
            return self._unavailable(WrongServer, f"{self.url} has no OpenAI-compatible API (HTTP 404: {text}); "
                                     f"PLANBOT_OPENAI_URL must be the base URL ending in /v1")
        if error.status_code in (401, 403):
            return self._unavailable(GeneratorUnavailable, f"{self.url} refused the API key (HTTP "
                                     f"{error.status_code}: {text}); check PLANBOT_OPENAI_API_KEY")
        return self._unavailable(GeneratorUnavailable, f"{self.server_label} at {self.url} answered HTTP "
                                 f"{error.status_code}: {text}")

    def _request(self, messages: list[dict[str, str]], **extra: object):
        return self._client(self.timeout).chat.completions.create(
            model=self.model, messages=messages, max_tokens=self.reply_tokens, temperature=0.1, **extra)

    def _stream_once(self, messages: list[dict[str, str]], usage: dict[str, object]) -> Iterator[str]:
        with self._request(messages, stream=True, stream_options={"include_usage": True}) as chunks:
            for chunk in chunks:
                if chunk.usage is not None:
                    usage["prompt_tokens"] = chunk.usage.prompt_tokens
                    usage["reply_tokens"] = chunk.usage.completion_tokens
                for choice in chunk.choices:
                    if choice.delta is not None and choice.delta.content:
                        yield choice.delta.content

    def _generate_once(self, messages: list[dict[str, str]], usage: dict[str, object]) -> str:
        result = self._request(messages)
        if result.usage is not None:
            usage["prompt_tokens"], usage["reply_tokens"] = result.usage.prompt_tokens, result.usage.completion_tokens
        if not result.choices:
            raise self._unavailable(MalformedReply, f"{self.server_label} at {self.url} sent a reply without choices")
        return result.choices[0].message.content or ""


def _error_text(error: BaseException) -> str:
    """The message an OpenAI-style error body carries ({"error": {"message": ...}} or {"error": "..."})."""
    body = getattr(error, "body", None)
    if isinstance(body, dict):
        inner = body.get("error", body)
        if isinstance(inner, dict):
            return str(inner.get("message") or inner)
        return str(inner)
    return str(getattr(error, "message", "") or error)


class AutoGenerator:
    """`PLANBOT_LLM=auto`: the configured server when it answers, else extractive answers.

    The server is probed once, on the first question (not at start: `ingest` and `documents`
    never wait for it), and the outcome is kept for the life of the process and said once at
    INFO. A server that answered the probe is used like `PLANBOT_LLM=ollama` from then on, its
    faults reported as usual; a server that did not is not asked again (restart to pick it up).
    """

    def __init__(self, server: Generator, where: str) -> None:

        self.server = server
        self.where = where
        self.name = server.name
        self._present: bool | None = None
        self._lock = threading.Lock()

    def _ensure(self) -> None:
        if self._present is None:
            with self._lock:
                if self._present is None:
                    health = self.server.health()
                    self._present = bool(health.get("ok")) or not _unreachable(health)
                    if self._present:
                        log.info("PLANBOT_LLM=auto: the LLM server at %s answers; answers are written by %s",
                                 self.where, self.server.name)
                    else:
                        log.info("PLANBOT_LLM=auto: no LLM server answers at %s; answering extractively "
                                 "(quotes from the plans). Start the server and restart to use it, or set "
                                 "PLANBOT_LLM=none to skip the probe", self.where)
        if not self._present:
            raise NoLlmServer(f"no LLM server at {self.where} (PLANBOT_LLM=auto)")

    @property
    def present(self) -> bool | None:
        """None until the first question probed the server."""
        return self._present

    def generate(self, messages: list[dict[str, str]]) -> str:
        self._ensure()
        return self.server.generate(messages)

    def stream(self, messages: list[dict[str, str]]) -> Iterator[str]:
        self._ensure()
        yield from self.server.stream(messages)

    def health(self) -> dict[str, object]:
        return self.server.health()

    @property
    def last_usage(self) -> dict[str, Any] | None:
        """The server's record of the last answer (eval --mode llm reads it)."""
        return getattr(self.server, "last_usage", None)

    @last_usage.setter
    def last_usage(self, value: dict[str, Any] | None) -> None:
        if hasattr(self.server, "last_usage"):
            self.server.last_usage = value


def _unreachable(health: dict[str, object]) -> bool:
    """The probe found no server at all (as opposed to a server without the model pulled, which
    is a setup to fix and is reported)."""
    error = str(health.get("error", ""))
    return "not pulled" not in error and "does not serve" not in error

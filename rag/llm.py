"""Text generators: the Ollama adapter (langchain-ollama's ChatOllama, the real client).

Every way Ollama can fail becomes a GeneratorUnavailable (a subclass says which): the answering
service then answers extractively with the subclass's short Vietnamese notice, and logs `reason`,
which says what happened and, where the operator can fix it, how (`ollama pull MODEL`,
PLANBOT_OLLAMA_TIMEOUT). A prompt too long for the model's context is not a failure: the
generator drops evidence blocks from the end and asks again.
"""

from __future__ import annotations

import json
import logging
import re
import time
from collections.abc import Iterator
from typing import Protocol, runtime_checkable

from rag.prompts import message

log = logging.getLogger(__name__)

# An evidence block as rag/answer.py writes it into the user message:
# "[n] title — label (source)\n<<<\ntext\n>>>". Blocks are dropped from the end, so the numbers
# of the blocks that stay (and the citations the model makes with them) do not change.
EVIDENCE_BLOCK = re.compile(r"^\[\d+\][^\n]*\n<<<\n.*?\n>>>", re.MULTILINE | re.DOTALL)
# What Ollama (and llama.cpp runners behind it) say when the prompt does not fit num_ctx.
_CONTEXT_ERROR = re.compile(r"context (length|window|size)|exceeds? (the )?(maximum )?context|too many tokens"
                            r"|prompt is too long", re.IGNORECASE)
CONTEXT_RETRIES = 3
# After a failed health check, questions within this many seconds fail at once instead of each
# waiting for a connect timeout (a GPU box that is switched off drops packets).
DOWN_RECHECK_SECONDS = 10.0
UP_RECHECK_SECONDS = 30.0


class GeneratorUnavailable(Exception):
    """The LLM cannot answer now; `reason` is for the log, `notice` for the user (Vietnamese)."""

    notice_key = "llm_error"

    def __init__(self, reason: str, notice: str | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.notice = notice or message(self.notice_key)


class OllamaUnreachable(GeneratorUnavailable):
    notice_key = "llm_down"


class ModelNotPulled(GeneratorUnavailable):
    """The notice names the exact `ollama pull` to run: whoever reads it can pass it on."""

    notice_key = "llm_not_pulled"

    def __init__(self, reason: str, notice: str | None = None, model: str = "") -> None:
        super().__init__(reason, notice or message(self.notice_key, model=model))
        self.model = model


class GeneratorTimeout(GeneratorUnavailable):
    notice_key = "llm_timeout"


class ContextTooLong(GeneratorUnavailable):
    """Even the shortest prompt that still carries evidence does not fit the model's context."""

    notice_key = "llm_context"


class MalformedReply(GeneratorUnavailable):
    notice_key = "llm_malformed"


class NoLlmServer(GeneratorUnavailable):
    """`PLANBOT_LLM=auto` and no server answered the probe: extractive answers are the expected
    behaviour, not a fault, so the answering service adds no notice and logs nothing more."""

    notice_key = "llm_down"
    quiet = True


@runtime_checkable
class Generator(Protocol):
    name: str

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


class OllamaGenerator:
    def __init__(self, url: str, model: str, timeout: float = 60.0, num_ctx: int = 8192) -> None:
        self.url = url.rstrip("/")
        self.model = model
        self.name = f"ollama:{model}"
        self.timeout = timeout
        self.num_ctx = num_ctx
        self._checked_at = 0.0
        self._available: bool | None = None
        self._last_failure: GeneratorUnavailable | None = None
        # The shortest prompt (in characters) the model refused as too long: longer prompts are
        # trimmed before they are sent, instead of failing once per question.
        self._too_long_chars: int | None = None

    def _chat(self):
        from langchain_ollama import ChatOllama

        # num_ctx is sent explicitly: Ollama's default context silently truncates long evidence.
        # The timeout bounds the connection and every wait for the next piece of the reply.
        return ChatOllama(model=self.model, base_url=self.url, num_ctx=self.num_ctx, temperature=0.1,
                          client_kwargs={"timeout": self.timeout})

    def _tags(self) -> list[str]:
        import ollama

        client = ollama.Client(host=self.url, timeout=min(self.timeout, 5.0))
        listed = client.list()
        return [m.model or "" for m in listed.models]

    def _pull_hint(self) -> str:
        return f"model {self.model!r} is not pulled on {self.url}; run: ollama pull {self.model}"

    def ensure_ready(self) -> None:
        """Fail fast (and say what to do) when the server is down or the model is not pulled."""
        now = time.monotonic()
        if self._available and now - self._checked_at < UP_RECHECK_SECONDS:
            return
        last = self._last_failure
        if self._available is False and last is not None and now - self._checked_at < DOWN_RECHECK_SECONDS:
            raise type(last)(last.reason, last.notice)
        self._checked_at = now
        try:
            tags = self._tags()
        except Exception as exc:
            failure = OllamaUnreachable(f"Ollama at {self.url} did not list its models: {self._classify(exc).reason}")
            self._mark_down(failure)
            raise failure from exc
        wanted = {self.model, f"{self.model}:latest"} if ":" not in self.model else {self.model}
        if not wanted.intersection(tags):
            failure = ModelNotPulled(self._pull_hint(), model=self.model)
            self._mark_down(failure)
            raise failure
        self._available, self._last_failure = True, None

    def _mark_down(self, failure: GeneratorUnavailable) -> None:
        self._available, self._last_failure = False, failure
        self._checked_at = time.monotonic()

    def _classify(self, exc: BaseException) -> GeneratorUnavailable:
        """Name what went wrong, from the exception and its causes."""
        import httpx
        import ollama

        chain: list[BaseException] = []
        seen: BaseException | None = exc
        while seen is not None and seen not in chain:
            chain.append(seen)
            seen = seen.__cause__ or seen.__context__
        for error in chain:
            if isinstance(error, GeneratorUnavailable):
                return error
            if isinstance(error, httpx.TimeoutException | TimeoutError):
                return GeneratorTimeout(
                    f"Ollama at {self.url} sent nothing for {self.timeout:g} s ({type(error).__name__}); "
                    f"raise PLANBOT_OLLAMA_TIMEOUT if the model is just slow")
            if isinstance(error, httpx.ConnectError | ConnectionError):
                return OllamaUnreachable(f"Ollama at {self.url} unreachable: {error}")
            if isinstance(error, ollama.ResponseError):
                text = str(error.error)
                if error.status_code == 404 and "not found" in text.lower():
                    return ModelNotPulled(f"{self._pull_hint()} (server said: {text})", model=self.model)
                if _CONTEXT_ERROR.search(text):
                    return ContextTooLong(f"prompt too long for {self.model} with num_ctx={self.num_ctx}: {text}")
                return GeneratorUnavailable(f"Ollama at {self.url} answered HTTP {error.status_code}: {text}")
            if isinstance(error, json.JSONDecodeError | UnicodeDecodeError | httpx.RemoteProtocolError):
                return MalformedReply(f"Ollama at {self.url} sent a malformed reply: {error!r}")
        return GeneratorUnavailable(f"Ollama call failed: {exc!r}")

    def _fitting(self, messages: list[dict[str, str]]) -> list[dict[str, str]]:
        """Trim before sending when a prompt this long was already refused."""
        if self._too_long_chars is None or prompt_chars(messages) < self._too_long_chars:
            return messages
        trimmed = trim_evidence(messages, int(self._too_long_chars * 0.8), best_effort=True)
        if trimmed is None:
            raise ContextTooLong(f"prompt of {prompt_chars(messages)} characters does not fit {self.model} "
                                 f"(refused at {self._too_long_chars}) and has no evidence left to drop")
        log.info("trimmed the prompt from %d to %d characters to fit %s", prompt_chars(messages),
                 prompt_chars(trimmed), self.model)
        return trimmed

    def _shrink(self, messages: list[dict[str, str]], failure: ContextTooLong) -> list[dict[str, str]]:
        size = prompt_chars(messages)
        self._too_long_chars = min(size, self._too_long_chars or size)
        trimmed = trim_evidence(messages, int(size * 0.6), best_effort=True)
        if trimmed is None:
            raise ContextTooLong(f"{failure.reason}; no evidence left to drop (prompt of {size} characters)") \
                from failure
        log.warning("%s; retrying with the prompt trimmed from %d to %d characters (fewer evidence blocks)",
                    failure.reason, size, prompt_chars(trimmed))
        return trimmed

    def generate(self, messages: list[dict[str, str]]) -> str:
        """One non-streamed reply (the ollama client with stream=False: batch jobs, eval)."""
        import ollama

        self.ensure_ready()
        messages = self._fitting(messages)
        client = ollama.Client(host=self.url, timeout=self.timeout)
        for attempt in range(CONTEXT_RETRIES + 1):
            try:
                result = client.chat(model=self.model, messages=messages, stream=False,
                                     options={"num_ctx": self.num_ctx, "temperature": 0.1})
                return str(result.message.content or "")
            except Exception as exc:
                failure = self._failed(exc)
                if not isinstance(failure, ContextTooLong) or attempt == CONTEXT_RETRIES:
                    raise failure from exc
                messages = self._shrink(messages, failure)
        raise AssertionError("unreachable")

    def stream(self, messages: list[dict[str, str]]) -> Iterator[str]:
        self.ensure_ready()
        messages = self._fitting(messages)
        for attempt in range(CONTEXT_RETRIES + 1):
            sent = False
            try:
                for piece in self._chat().stream([(m["role"], m["content"]) for m in messages]):
                    if piece.content:
                        sent = True
                        yield str(piece.content)
                return
            except Exception as exc:
                failure = self._failed(exc)
                # Ollama refuses a long prompt before the first piece; after that, nothing is retried.
                if not isinstance(failure, ContextTooLong) or sent or attempt == CONTEXT_RETRIES:
                    raise failure from exc
                messages = self._shrink(messages, failure)

    def _failed(self, exc: BaseException) -> GeneratorUnavailable:
        failure = self._classify(exc)
        if isinstance(failure, OllamaUnreachable | ModelNotPulled):
            self._mark_down(failure)  # the next question re-checks the server first
        return failure

    def health(self) -> dict[str, object]:
        self._checked_at, self._available = 0.0, None
        try:
            self.ensure_ready()
            return {"ok": True, "model": self.model, "url": self.url}
        except GeneratorUnavailable as exc:
            return {"ok": False, "model": self.model, "url": self.url, "error": exc.reason}


class AutoGenerator:
    """`PLANBOT_LLM=auto`: the configured server when it answers, else extractive answers.

    The server is probed once, on the first question (not at start: `ingest` and `documents`
    never wait for it), and the outcome is kept for the life of the process and said once at
    INFO. A server that answered the probe is used like `PLANBOT_LLM=ollama` from then on, its
    faults reported as usual; a server that did not is not asked again (restart to pick it up).
    """

    def __init__(self, server: Generator, where: str) -> None:
        import threading

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


def _unreachable(health: dict[str, object]) -> bool:
    """The probe found no server at all (as opposed to a server without the model pulled, which
    is a setup to fix and is reported)."""
    return "not pulled" not in str(health.get("error", ""))

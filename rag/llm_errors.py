"""The ways an LLM backend fails (GeneratorUnavailable and its subclasses): each carries the
`reason` for the log and the short Vietnamese `notice` the answer shows (prompts/), and the
answering service then answers extractively. Raised by rag/llm.py; caught by rag/answer.py."""

from __future__ import annotations

from rag.prompts import message
from rag.prompts import messages as all_messages


class GeneratorUnavailable(Exception):
    """The LLM cannot answer now; `reason` is for the log, `notice` for the user (Vietnamese).

    A backend whose wording differs has its own message key `<notice_key>_<backend>`."""

    notice_key = "llm_error"

    def __init__(self, reason: str, notice: str | None = None, backend: str = "ollama", **values: str) -> None:
        super().__init__(reason)
        self.reason = reason
        self.backend = backend
        key = self.notice_key
        if f"{key}_{backend}" in all_messages():
            key = f"{key}_{backend}"
        self.notice = notice or message(key, **values)


class ServerUnreachable(GeneratorUnavailable):
    notice_key = "llm_down"


OllamaUnreachable = ServerUnreachable  # the name older code and tests use


class ModelNotPulled(GeneratorUnavailable):
    """Ollama has not pulled the model: the notice names the exact `ollama pull` to run, so
    whoever reads it can pass it on."""

    notice_key = "llm_not_pulled"

    def __init__(self, reason: str, notice: str | None = None, model: str = "", backend: str = "ollama") -> None:
        super().__init__(reason, notice, backend, model=model)
        self.model = model


class ModelNotServed(GeneratorUnavailable):
    """An OpenAI-compatible server does not serve the configured model (it is chosen when the
    server starts, nothing can be pulled)."""

    notice_key = "llm_model_missing"

    def __init__(self, reason: str, notice: str | None = None, model: str = "", backend: str = "openai") -> None:
        super().__init__(reason, notice, backend, model=model)
        self.model = model


class WrongServer(GeneratorUnavailable):
    """The URL answers, but not with the API the backend speaks (a 404 on Ollama's /api/tags)."""

    notice_key = "llm_wrong_server"


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



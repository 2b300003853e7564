"""Text generators: the Ollama adapter (langchain-ollama's ChatOllama, the real client)."""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from typing import Protocol, runtime_checkable

log = logging.getLogger(__name__)


class GeneratorUnavailable(Exception):
    """The LLM cannot answer now; `reason` is for the log, `notice` for the user (Vietnamese)."""

    def __init__(self, reason: str, notice: str = "Mô hình ngôn ngữ tạm thời không phản hồi") -> None:
        super().__init__(reason)
        self.reason = reason
        self.notice = notice


@runtime_checkable
class Generator(Protocol):
    name: str

    def generate(self, messages: list[dict[str, str]]) -> str: ...

    def stream(self, messages: list[dict[str, str]]) -> Iterator[str]: ...

    def health(self) -> dict[str, object]: ...


class OllamaGenerator:
    def __init__(self, url: str, model: str, timeout: float = 60.0, num_ctx: int = 8192) -> None:
        self.url = url.rstrip("/")
        self.model = model
        self.name = f"ollama:{model}"
        self.timeout = timeout
        self.num_ctx = num_ctx
        self._checked_at = 0.0
        self._available: bool | None = None

    def _chat(self):
        from langchain_ollama import ChatOllama

        # num_ctx is sent explicitly: Ollama's default context silently truncates long evidence.
        return ChatOllama(model=self.model, base_url=self.url, num_ctx=self.num_ctx, temperature=0.1,
                          client_kwargs={"timeout": self.timeout})

    def _tags(self) -> list[str]:
        import ollama

        client = ollama.Client(host=self.url, timeout=min(self.timeout, 5.0))
        listed = client.list()
        return [m.model or "" for m in listed.models]

    def ensure_ready(self) -> None:
        """Fail fast (and say what to do) when the server is down or the model is not pulled."""
        now = time.monotonic()
        if self._available and now - self._checked_at < 30:
            return
        try:
            tags = self._tags()
        except Exception as exc:
            self._available = False
            raise GeneratorUnavailable(f"Ollama at {self.url} unreachable: {exc}",
                                       "Không kết nối được tới mô hình ngôn ngữ (Ollama)") from exc
        wanted = {self.model, f"{self.model}:latest"} if ":" not in self.model else {self.model}
        if not wanted.intersection(tags):
            self._available = False
            raise GeneratorUnavailable(
                f"model {self.model!r} is not pulled on {self.url}; run: ollama pull {self.model}",
                "Mô hình ngôn ngữ chưa được cài trên máy chủ Ollama",
            )
        self._available, self._checked_at = True, now

    def generate(self, messages: list[dict[str, str]]) -> str:
        """One non-streamed reply (the ollama client with stream=False: batch jobs, eval)."""
        import ollama

        self.ensure_ready()
        try:
            client = ollama.Client(host=self.url, timeout=self.timeout)
            result = client.chat(model=self.model, messages=messages, stream=False,
                                 options={"num_ctx": self.num_ctx, "temperature": 0.1})
        except Exception as exc:
            raise GeneratorUnavailable(f"Ollama chat failed: {exc!r}") from exc
        return str(result.message.content or "")

    def stream(self, messages: list[dict[str, str]]) -> Iterator[str]:
        self.ensure_ready()
        try:
            for piece in self._chat().stream([(m["role"], m["content"]) for m in messages]):
                if piece.content:
                    yield str(piece.content)
        except GeneratorUnavailable:
            raise
        except Exception as exc:
            raise GeneratorUnavailable(f"Ollama stream failed: {exc!r}") from exc

    def health(self) -> dict[str, object]:
        try:
            self._checked_at = 0.0
            self.ensure_ready()
            return {"ok": True, "model": self.model, "url": self.url}
        except GeneratorUnavailable as exc:
            return {"ok": False, "model": self.model, "url": self.url, "error": exc.reason}

"""Test doubles that speak real protocols on 127.0.0.1 (never fakes inside a client)."""

from __future__ import annotations

import json
import re
import subprocess
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

Reply = Callable[[list[dict]], str]


class LoopbackFake:
    """A fake HTTP server on 127.0.0.1, serving from a thread for the length of a `with` block."""

    def _serve(self, handler: type[BaseHTTPRequestHandler], path: str = "") -> None:
        self.server = QuietServer(("127.0.0.1", 0), handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}{path}"
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.stopping.set()
        self.server.shutdown()
        self.server.server_close()


def write_chunked(handler: BaseHTTPRequestHandler, pieces: list[str]) -> None:
    """A chunked body, one chunk per piece (a streamed reply as the real servers send it)."""
    for piece in pieces:
        data = piece.encode()
        handler.wfile.write(f"{len(data):x}\r\n".encode() + data + b"\r\n")
    handler.wfile.write(b"0\r\n\r\n")


class FakeOllama(LoopbackFake):
    """A small Ollama server: GET /, GET /api/tags, POST /api/chat (NDJSON stream or one object).

    `reply(messages)` decides the assistant's text. `behaviour` makes it misbehave:
    "ok", "missing_model" (tags without the model), "slow" (sleeps `delay` first),
    "malformed" (a broken NDJSON line mid-stream, a broken body without streaming), "error500",
    "context" (500 like a context overflow when the prompt is longer than `max_prompt_chars`),
    "vanished" (tags list the model, chat says it is not found: removed after the check),
    "endless" (streams words forever, ignoring num_predict, like a model that never stops; without
    streaming it never answers), "not_ollama" (404 on every /api path, like llama-server or vLLM).
    `requests` records every chat request body (options.num_predict is the cap that was sent).
    """

    def __init__(self, reply: Reply, model: str = "qwen2.5:7b-instruct", behaviour: str = "ok",
                 delay: float = 0.0, max_prompt_chars: int = 10**9) -> None:
        self.reply = reply
        self.model = model
        self.behaviour = behaviour
        self.delay = delay
        self.max_prompt_chars = max_prompt_chars
        self.requests: list[dict] = []
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args) -> None:
                pass

            def _send(self, code: int, body: bytes, content_type: str = "application/json") -> None:
                self.send_response(code)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_GET(self) -> None:
                if self.path == "/":
                    self._send(200, b"Ollama is running", "text/plain")
                elif self.path == "/api/tags" and fake.behaviour == "not_ollama":
                    self._send(404, b'{"error":"File Not Found"}')
                elif self.path == "/api/tags":
                    models = [] if fake.behaviour == "missing_model" else [
                        {"name": fake.model, "model": fake.model, "size": 1, "digest": "0" * 64,
                         "modified_at": "2026-01-01T00:00:00Z", "details": {}}]
                    self._send(200, json.dumps({"models": models}).encode())
                else:
                    self._send(404, b'{"error":"not found"}')

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = json.loads(self.rfile.read(length) or b"{}")
                fake.requests.append(body)
                if self.path != "/api/chat" or fake.behaviour == "not_ollama":
                    self._send(404, b'{"error":"not found"}')
                    return
                if fake.behaviour == "endless":
                    endless(self, body.get("stream", True) is not False, lambda n: json.dumps(
                        {"model": fake.model, "created_at": "2026-11-21T00:00:00Z",
                         "message": {"role": "assistant", "content": f" lặp {n}"}, "done": False}) + "\n")
                    return
                if fake.behaviour == "slow":
                    time.sleep(fake.delay)
                if fake.behaviour == "error500":
                    self._send(500, b'{"error":"internal error"}')
                    return
                messages = body.get("messages", [])
                prompt_chars = sum(len(m.get("content", "")) for m in messages)
                if fake.behaviour == "context" and prompt_chars > fake.max_prompt_chars:
                    self._send(500, json.dumps({"error": "input length exceeds the context length"}).encode())
                    return
                if body.get("model") != fake.model or fake.behaviour == "vanished":
                    self._send(404, json.dumps({"error": f"model '{body.get('model')}' not found"}).encode())
                    return
                text = fake.reply(messages)
                created = "2026-11-21T00:00:00Z"
                if body.get("stream", True) is False and fake.behaviour == "malformed":
                    self._send(200, b'{"model": "broken", "message": {"role": "assist')
                    return
                if body.get("stream", True) is False:
                    payload = {"model": fake.model, "created_at": created,
                               "message": {"role": "assistant", "content": text},
                               "done": True, "done_reason": "stop"}
                    self._send(200, json.dumps(payload, ensure_ascii=False).encode())
                    return
                self.send_response(200)
                self.send_header("Content-Type", "application/x-ndjson")
                self.send_header("Transfer-Encoding", "chunked")
                self.end_headers()
                words = text.split(" ")
                lines = []
                for i, word in enumerate(words):
                    piece = word if i == 0 else " " + word
                    lines.append(json.dumps({"model": fake.model, "created_at": created,
                                             "message": {"role": "assistant", "content": piece},
                                             "done": False}, ensure_ascii=False))
                    if fake.behaviour == "malformed" and i == len(words) // 2:
                        lines.append('{"model": "broken", "message": {"role": "assist')
                lines.append(json.dumps({"model": fake.model, "created_at": created,
                                         "message": {"role": "assistant", "content": ""},
                                         "done": True, "done_reason": "stop"}))
                write_chunked(self, [line + "\n" for line in lines])

        self._serve(Handler)


class QuietServer(ThreadingHTTPServer):
    daemon_threads = True  # an endless reply must not keep the test process waiting at shutdown

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.stopping = threading.Event()

    def handle_error(self, request, client_address) -> None:
        pass  # a client that gave up (timeout tests) closes the socket mid-reply


def endless(handler: BaseHTTPRequestHandler, streaming: bool, line: Callable[[int], str],
            content_type: str = "application/x-ndjson") -> None:
    """A reply that never ends: streamed pieces forever (until the client goes), or, without
    streaming, no reply at all."""
    stopping = handler.server.stopping  # type: ignore[attr-defined]
    if not streaming:
        stopping.wait(600)
        return
    handler.send_response(200)
    handler.send_header("Content-Type", content_type)
    handler.send_header("Transfer-Encoding", "chunked")
    handler.end_headers()
    n = 0
    while not stopping.is_set():
        data = line(n).encode()
        handler.wfile.write(f"{len(data):x}\r\n".encode() + data + b"\r\n")
        handler.wfile.flush()
        n += 1
        time.sleep(0.01)


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class ChromaServer:
    """A real `chroma run` on 127.0.0.1 (the CLI installed with chromadb), data in `path`."""

    def __init__(self, path, port: int | None = None) -> None:
        self.path = path
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> ChromaServer:
        import sys
        import urllib.request
        from pathlib import Path

        chroma = Path(sys.executable).parent / "chroma"
        self.process = subprocess.Popen(
            [str(chroma), "run", "--path", str(self.path), "--host", "127.0.0.1", "--port", str(self.port)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"{self.url}/api/v2/heartbeat", timeout=1):
                    return self
            except OSError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    self.__exit__()
                    raise RuntimeError(f"chroma run did not start on port {self.port}") from None
                time.sleep(0.1)

    def database(self, name: str) -> str:
        """A new, empty database on this server (isolates one test's collections)."""
        import chromadb
        from chromadb.config import Settings

        admin = chromadb.AdminClient(Settings(
            anonymized_telemetry=False, chroma_api_impl="chromadb.api.fastapi.FastAPI",
            chroma_server_host="127.0.0.1", chroma_server_http_port=self.port,
        ))
        admin.create_database(name)
        return name

    def __exit__(self, *exc) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except Exception:
                self.process.kill()
                self.process.wait()


def block_with(messages: list[dict], needle: str) -> int:
    """The [n] of the evidence block, in a chat request's last message, whose text holds needle."""
    user = messages[-1]["content"]
    for number, body in re.findall(r"\[(\d+)\][^\n]*\n<<<\n(.*?)\n>>>", user, flags=re.S):
        if needle in body:
            return int(number)
    raise AssertionError(f"{needle!r} not in evidence")


class FakeOpenAI(LoopbackFake):
    """A small OpenAI-compatible server (as vLLM and llama-server speak it): GET /v1/models,
    POST /v1/chat/completions (SSE stream or one JSON object). `behaviour`: "ok", "endless"
    (streams forever, ignoring max_tokens), "context" (400 with a context message when the prompt
    is longer than `max_prompt_chars`). A model other than `model` gets vLLM's 404.
    `requests` records every chat request body (max_tokens is the cap that was sent)."""

    def __init__(self, reply: Reply, model: str = "served-model", behaviour: str = "ok",
                 max_prompt_chars: int = 10**9) -> None:
        self.reply, self.model, self.behaviour = reply, model, behaviour
        self.max_prompt_chars = max_prompt_chars
        self.requests: list[dict] = []
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args) -> None:
                pass

            def _send(self, code: int, payload: dict) -> None:
                body = json.dumps(payload, ensure_ascii=False).encode()
                self.send_response(code)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def _error(self, code: int, text: str, kind: str) -> None:
                self._send(code, {"error": {"message": text, "type": kind, "code": code}})

            def do_GET(self) -> None:
                if self.path == "/v1/models":
                    self._send(200, {"object": "list", "data": [{"id": fake.model, "object": "model",
                                                                 "created": 0, "owned_by": "fake"}]})
                else:
                    self._error(404, "File Not Found", "not_found_error")

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = json.loads(self.rfile.read(length) or b"{}")
                fake.requests.append(body)
                if self.path != "/v1/chat/completions":
                    self._error(404, "File Not Found", "not_found_error")
                    return
                if body.get("model") != fake.model:
                    self._error(404, f"The model `{body.get('model')}` does not exist.", "NotFoundError")
                    return
                messages = body.get("messages", [])
                if fake.behaviour == "context" and sum(len(m["content"]) for m in messages) > fake.max_prompt_chars:
                    self._error(400, "the request exceeds the available context size, try increasing it",
                                "exceed_context_size_error")
                    return
                streaming = bool(body.get("stream"))

                def chunk(content: str | None, finish: str | None = None, usage: dict | None = None) -> str:
                    choices = [] if content is None else [{"index": 0, "delta": {"content": content},
                                                           "finish_reason": finish}]
                    return "data: " + json.dumps({"id": "c1", "object": "chat.completion.chunk", "created": 0,
                                                  "model": fake.model, "choices": choices, "usage": usage},
                                                 ensure_ascii=False) + "\n\n"

                if fake.behaviour == "endless":
                    endless(self, streaming, lambda n: chunk(f" lặp {n}"), "text/event-stream")
                    return
                text = fake.reply(messages)
                usage = {"prompt_tokens": 100, "completion_tokens": len(text.split()), "total_tokens": 0}
                if not streaming:
                    self._send(200, {"id": "c1", "object": "chat.completion", "created": 0, "model": fake.model,
                                     "choices": [{"index": 0, "finish_reason": "stop",
                                                  "message": {"role": "assistant", "content": text}}],
                                     "usage": usage})
                    return
                self.send_response(200)
                self.send_header("Content-Type", "text/event-stream")
                self.send_header("Transfer-Encoding", "chunked")
                self.end_headers()
                words = text.split(" ")
                events = [chunk(w if i == 0 else " " + w) for i, w in enumerate(words)]
                events.append(chunk("", "stop"))
                events.append(chunk(None, usage=usage))
                events.append("data: [DONE]\n\n")
                write_chunked(self, events)

        self._serve(Handler, "/v1")

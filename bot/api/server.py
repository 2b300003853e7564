"""`planbot serve`: index ready, warm caches, then uvicorn."""

from __future__ import annotations

import logging
import sys
import threading
import time

from bot.api.app import AuthConfigError, create_app
from bot.api.deps import warm_up
from planbot.factory import App
from rag.prompts import message

log = logging.getLogger("planbot.api")


def serve(app: App, host: str = "127.0.0.1", port: int = 8000, insecure_no_auth: bool = False) -> int:
    import uvicorn

    try:
        api = create_app(app, insecure_no_auth=insecure_no_auth)
    except AuthConfigError:
        print(message("api_no_keys"), file=sys.stderr)
        return 2
    app.ensure_index()
    warm_up(app)
    if insecure_no_auth and not (app.settings.ask_keys or app.settings.admin_keys):
        log.warning("serving WITHOUT authentication (--insecure-no-auth): anyone reaching %s:%s may ask", host, port)
    # one process: conversations and rate limits live in it (see docs/api.md)
    uvicorn.run(api, host=host, port=port, log_level="info" if log.isEnabledFor(logging.INFO) else "warning",
                server_header=False)
    return 0


class ServerThread:
    """uvicorn serving an API in a background thread (the browser tests drive a real Chromium against it)."""

    def __init__(self, api, port: int, host: str = "127.0.0.1") -> None:
        import uvicorn

        self.url = f"http://{host}:{port}"
        self.server = uvicorn.Server(uvicorn.Config(api, host=host, port=port, log_level="warning",
                                                    server_header=False))
        self._thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> ServerThread:
        self._thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError(f"uvicorn did not start on {self.url}")
            time.sleep(0.02)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self._thread.join(timeout=10)

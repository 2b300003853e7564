"""`planbot serve`: index ready, warm caches, then uvicorn."""

from __future__ import annotations

import logging
import sys
import threading
import time

from bot.api.app import AuthConfigError, create_app
from planbot.factory import App
from planbot.scratch import remove_stale_scratch
from rag.prompts import message

log = logging.getLogger("planbot.api")


def serve(app: App, host: str = "127.0.0.1", port: int = 8000, insecure_no_auth: bool = False) -> int:
    import uvicorn

    try:
        api = create_app(app, insecure_no_auth=insecure_no_auth)
    except AuthConfigError:
        print(message("api_no_keys"), file=sys.stderr)
        return 2
    remove_stale_scratch()  # spools and uploads of servers or ingests that were killed
    app.ensure_index()
    app.warm_up()
    open_access = insecure_no_auth and not (app.settings.ask_keys or app.settings.admin_keys)
    if open_access:
        log.warning("serving WITHOUT authentication (--insecure-no-auth): anyone reaching %s:%s may ask", host, port)
    print(startup_text(app, host, port, open_access), file=sys.stderr, flush=True)
    # one process: conversations and rate limits live in it (see docs/api.md)
    uvicorn.run(api, host=host, port=port, log_level="info" if log.isEnabledFor(logging.INFO) else "warning",
                server_header=False)
    return 0


def page_url(host: str, port: int) -> str:
    """The address to open: a wildcard bind is reachable on this machine as 127.0.0.1."""
    shown = "127.0.0.1" if host in ("", "0.0.0.0") else "[::1]" if host == "::" else host
    if ":" in shown and not shown.startswith("["):
        shown = f"[{shown}]"
    return f"http://{shown}:{port}/"


def startup_text(app: App, host: str, port: int, open_access: bool) -> str:
    """What `planbot serve` tells whoever started it: where the page is, how a key gets into it,
    which index it answers from."""
    lines = [message("serve_url", url=page_url(host, port))]
    lines.append(message("serve_open" if open_access else "serve_key"))
    where, plans, _ = app.index_in_use()
    lines.append(message("serve_index", where=where, plans=plans))
    return "\n".join(lines)


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

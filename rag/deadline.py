"""Reading a streamed reply within one deadline for the whole answer: the reply is read in a
worker thread and the caller stops waiting at the deadline, however the server trickles (an
HTTP client's per-read timeouts would let a server that sends a token a second run forever)."""

from __future__ import annotations

import contextlib
import queue
import threading
import time
from collections.abc import Callable, Iterator


class DeadlinePassed(Exception):
    """The whole-answer deadline passed while the reply was still coming (or not coming)."""


def _pump(produce: Callable[[], Iterator[str]], stop: threading.Event, out: queue.Queue) -> None:
    """Worker: read the reply into `out` until it ends, fails or the caller stops listening."""

    def offer(item: tuple[str, object]) -> bool:
        while not stop.is_set():
            try:
                out.put(item, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    pieces = None
    try:
        pieces = produce()
        for piece in pieces:
            if not offer(("piece", piece)):
                return
        offer(("end", None))
    except BaseException as exc:  # handed to the caller's thread, which classifies it
        offer(("error", exc))
    finally:
        close = getattr(pieces, "close", None)
        if close is not None:
            with contextlib.suppress(Exception):
                close()  # closes the HTTP response: a server streaming forever sees the client go


def within_deadline(produce: Callable[[], Iterator[str]], deadline: float) -> Iterator[str]:
    """The pieces `produce()` yields, read in a worker thread, until `deadline` (time.monotonic()):
    a server that streams forever, or stalls, is cut there (DeadlinePassed), whatever the HTTP
    client's own per-read timeouts would allow."""
    stop = threading.Event()
    out: queue.Queue = queue.Queue(maxsize=256)
    threading.Thread(target=_pump, args=(produce, stop, out), name="llm-reply", daemon=True).start()
    try:
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise DeadlinePassed
            try:
                kind, value = out.get(timeout=remaining)  # ("piece", str) | ("error", exc) | ("end", None)
            except queue.Empty:
                raise DeadlinePassed from None
            if kind == "end":
                return
            if kind == "error":
                raise value
            yield value
    finally:
        stop.set()


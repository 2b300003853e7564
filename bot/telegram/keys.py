"""Short callback data for section buttons."""

from __future__ import annotations

import hashlib
import logging
import threading
from collections import OrderedDict

from planbot.factory import App

log = logging.getLogger(__name__)


class SectionKeys:
    """Callback data is limited to 64 bytes, so a button carries a short hash of (plan, section).

    Keys seen in this process are remembered (bounded); a key from before a restart is found
    again by hashing the indexed sections, so old buttons keep working.
    """

    def __init__(self, app: App, max_items: int = 20_000) -> None:
        self.app = app
        self.max_items = max_items
        self._known: OrderedDict[str, tuple[str, str]] = OrderedDict()
        self._lock = threading.Lock()  # used from the event loop and from worker threads

    @staticmethod
    def _hash(source: str, section: str) -> str:
        return "s:" + hashlib.sha256(f"{source}\n{section}".encode()).hexdigest()[:20]

    def key(self, source: str, section: str) -> str:
        key = self._hash(source, section)
        with self._lock:
            self._known[key] = (source, section)
            self._known.move_to_end(key)
            while len(self._known) > self.max_items:
                self._known.popitem(last=False)
        return key

    def resolve(self, key: str) -> tuple[str, str] | None:
        with self._lock:
            known = self._known.get(key)
        if known is not None:
            return known
        for doc in self.app.library.documents():
            for entry in self.app.library.outline(doc.meta.source) or []:
                section = str(entry["section"])
                if self._hash(doc.meta.source, section) == key:
                    self.key(doc.meta.source, section)
                    return doc.meta.source, section
        return None

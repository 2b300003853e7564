"""Deadline reminders for Telegram chats: who follows which agency, and what was already sent.

Both live in DATA_DIR/telegram/reminders.json, written atomically (a temporary file renamed over
the old one), so a restart or a crash mid-write loses neither the subscriptions nor the record of
sent reminders (a reminder is sent once). What to send is decided by `reminders_due`, a pure
function of the subscriptions, the register rows and the local time.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import logging
import os
import tempfile
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from index.obligations import Obligation
from rag.schedule import Due, upcoming

log = logging.getLogger(__name__)

LEADS = (7, 1)  # days before a due date a reminder is sent
FORMAT_VERSION = 1


@dataclass(frozen=True)
class Reminder:
    chat_id: int
    due: Due
    agency: str  # the followed agency the due date is for
    lead: int  # 7 or 1: which of the two reminders this is

    @property
    def key(self) -> str:
        return f"{self.due.uid}|{self.lead}"


class ReminderStore:
    """Subscriptions (chat → agencies, canonical names) and sent reminders (chat → keys with the due
    date, forgotten once the date has passed)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._chats: dict[str, dict] = {}
        self._load()

    def _load(self) -> None:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            chats = data["chats"]
            if not isinstance(chats, dict):
                raise TypeError("chats is not an object")
        except FileNotFoundError:
            return
        except (OSError, ValueError, KeyError, TypeError) as exc:
            # keep the unreadable file for the operator; the bot goes on with no subscriptions
            aside = self.path.with_suffix(f".unreadable-{dt.datetime.now():%Y%m%d%H%M%S}.json")
            with contextlib.suppress(OSError):
                self.path.rename(aside)
            log.error("could not read %s (%s): moved aside to %s, starting with no subscriptions",
                      self.path, exc, aside.name)
            return
        for chat, entry in chats.items():
            agencies = [a for a in entry.get("agencies", []) if isinstance(a, str)]
            sent = {k: v for k, v in entry.get("sent", {}).items() if isinstance(k, str) and isinstance(v, str)}
            self._chats[str(chat)] = {"agencies": agencies, "sent": sent}

    def _save(self) -> None:
        """Write the whole state to a temporary file in the same folder, then rename it over the old one."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        data = json.dumps({"version": FORMAT_VERSION, "chats": self._chats}, ensure_ascii=False, indent=1)
        fd, tmp = tempfile.mkstemp(prefix=".reminders-", suffix=".tmp", dir=self.path.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                out.write(data)
                out.flush()
                os.fsync(out.fileno())
            os.replace(tmp, self.path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise

    # --- subscriptions ---------------------------------------------------------------------------
    def agencies(self, chat_id: int) -> list[str]:
        with self._lock:
            return list(self._chats.get(str(chat_id), {}).get("agencies", []))

    def chats(self) -> dict[int, list[str]]:
        with self._lock:
            return {int(chat): list(entry["agencies"]) for chat, entry in self._chats.items() if entry["agencies"]}

    def subscribe(self, chat_id: int, agency: str) -> bool:
        """False when the chat already follows the agency."""
        with self._lock:
            entry = self._chats.setdefault(str(chat_id), {"agencies": [], "sent": {}})
            if agency in entry["agencies"]:
                return False
            entry["agencies"].append(agency)
            self._save()
            return True

    def unsubscribe(self, chat_id: int, agency: str | None = None) -> list[str]:
        """Stop following one agency (or all, with None); the agencies no longer followed."""
        with self._lock:
            entry = self._chats.get(str(chat_id))
            if entry is None:
                return []
            removed = [a for a in entry["agencies"] if agency is None or a == agency]
            if not removed:
                return []
            entry["agencies"] = [a for a in entry["agencies"] if a not in removed]
            if not entry["agencies"]:
                del self._chats[str(chat_id)]
            self._save()
            return removed

    # --- sent reminders --------------------------------------------------------------------------
    def was_sent(self, chat_id: int, key: str) -> bool:
        with self._lock:
            return key in self._chats.get(str(chat_id), {}).get("sent", {})

    def mark_sent(self, chat_id: int, key: str, due: dt.date) -> None:
        with self._lock:
            entry = self._chats.get(str(chat_id))
            if entry is None:  # unsubscribed while the reminder was on its way
                return
            entry["sent"][key] = due.isoformat()
            self._save()

    def forget_past(self, today: dt.date) -> None:
        """Sent keys of dates already past are no longer needed (a date is not reminded after it)."""
        cutoff = today.isoformat()
        with self._lock:
            changed = False
            for entry in self._chats.values():
                old = [k for k, when in entry["sent"].items() if when < cutoff]
                for key in old:
                    del entry["sent"][key]
                changed = changed or bool(old)
            if changed:
                self._save()


def reminders_due(store: ReminderStore, records: Iterable[Obligation], now: dt.datetime, hour: int,
                  end_years: Mapping[str, int] | None = None) -> list[Reminder]:
    """The reminders to send now: for each chat, each due date of its agencies 7 days ahead (sent
    from 7 down to 2 days before) and 1 day ahead (1 day before or on the day), each once, and
    none before `hour` o'clock local time. A date first seen 1 day ahead gets only the 1-day one."""
    if now.hour < hour:
        return []
    today = now.date()
    records = list(records)
    out: list[Reminder] = []
    for chat_id, agencies in store.chats().items():
        seen: set[str] = set()
        for agency in agencies:
            for due in upcoming(records, today, max(LEADS), agency, end_years):
                if due.uid in seen:  # the same sentence for two followed agencies: one reminder
                    continue
                seen.add(due.uid)
                days_left = (due.date - today).days
                lead = 1 if days_left <= 1 else 7
                reminder = Reminder(chat_id, due, agency, lead)
                if not store.was_sent(chat_id, reminder.key):
                    out.append(reminder)
    return sorted(out, key=lambda r: (r.chat_id, r.due.date, r.due.uid))

"""The bot's constants and the typed state python-telegram-bot keeps per user and per chat."""

from __future__ import annotations

import asyncio
import logging
import re
from dataclasses import dataclass, field
from typing import Any

from telegram import (
    Update,
)
from telegram.ext import (
    CallbackContext,
    ContextTypes,
    ExtBot,
)

from rag.prompts import message

log = logging.getLogger(__name__)


ALLOWED_UPDATES = [Update.MESSAGE, Update.CALLBACK_QUERY]
EXAMPLE_KEYS = ("tg_example_1", "tg_example_2")
DEADLINES_SHOWN = 10
# Updates of one user answered in a row before the flood limit applies (refilled one per
# PLANBOT_TELEGRAM_RATE_SECONDS); questions also wait that long after the previous question.
FLOOD_BURST = 3
SCHEDULE_DAYS = 30  # what /lichhan lists
SCHEDULE_SHOWN = 25  # at most, in one list (the rest: "…")
REMINDER_JOB = "planbot-deadline-reminders"
TYPING_EVERY_SECONDS = 4.0  # Telegram shows "typing…" for about five seconds per action


# --- typed per-user and per-chat state (python-telegram-bot keeps one of each per id) ----------
@dataclass
class UserState:
    last_question_at: float | None = None
    burst: float = 0.0  # updates the user may still send now (FLOOD_BURST at most), as of burst_at
    burst_at: float | None = None
    warned_until: float = 0.0  # one "please wait" per window; the rest of a flood gets silence


@dataclass
class ChatState:
    # Questions of one chat are answered in order: a follow-up must see the turn before it.
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)


Context = CallbackContext[ExtBot[None], UserState, ChatState, dict[Any, Any]]
CONTEXT_TYPES = ContextTypes(user_data=UserState, chat_data=ChatState)


def parse_allowed_ids(values: list[str]) -> frozenset[int]:
    bad = [v for v in values if not re.fullmatch(r"-?\d+", v.strip())]
    if bad:
        raise ValueError(message("tg_bad_allowed_ids", values=", ".join(bad)))
    return frozenset(int(v) for v in values)

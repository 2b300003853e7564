"""The base of the bot's handlers: its services, access control and flood limits, sending."""

from __future__ import annotations

import datetime as dt
import logging
import math
import time
from collections.abc import Callable

from telegram import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
    MessageEntity,
    ReplyParameters,
    Update,
)
from telegram.constants import ChatType
from telegram.ext import (
    ApplicationHandlerStop,
)

from bot.reminders import ReminderStore
from bot.render.telegram import (
    escape,
)
from bot.telegram.keys import SectionKeys
from bot.telegram.state import FLOOD_BURST, Context, UserState, parse_allowed_ids
from planbot.factory import App
from planbot.settings import Settings
from rag.conversation import ConversationStore
from rag.prompts import message

log = logging.getLogger(__name__)


class BotBase:
    """The services the handlers use, access control, flood limits and sending helpers."""

    def __init__(self, settings: Settings, app: App, conversations: ConversationStore,
                 clock: Callable[[], float] = time.monotonic,
                 today: Callable[[], dt.date] = dt.date.today,
                 now: Callable[[], dt.datetime] | None = None) -> None:
        self.settings = settings
        # the officials' local time: what day it is, and whether the morning hour has come
        self.now = now or (lambda: dt.datetime.now(settings.zone))
        self.reminders = ReminderStore(settings.data_dir / "telegram" / "reminders.json")
        self.app = app
        self.assistant = app.assistant
        self.conversations = conversations
        self.clock = clock
        self.today = today
        self.keys = SectionKeys(app)
        self.allowed = parse_allowed_ids(settings.telegram_allowed_ids)

    def short_name(self, source: str) -> str:
        doc = self.app.library.document(source)
        return doc.meta.short_name if doc is not None else source

    def is_allowed(self, user_id: int | None, chat_id: int | None) -> bool:
        return not self.allowed or user_id in self.allowed or chat_id in self.allowed

    @staticmethod
    def _mentions_bot(msg: Message, username: str | None) -> bool:
        if not username:
            return False
        wanted = f"@{username}".lower()
        return any(value.lower() == wanted for value in msg.parse_entities([MessageEntity.MENTION]).values())

    @staticmethod
    def _replies_to_bot(msg: Message, bot_id: int) -> bool:
        replied = msg.reply_to_message
        return bool(replied and replied.from_user and replied.from_user.id == bot_id)

    def _is_addressed(self, msg: Message, context: Context) -> bool:
        """Private chats always; in groups a command, a mention of the bot, or a reply to it."""
        if msg.chat.type == ChatType.PRIVATE:
            return True
        if msg.text and msg.text.startswith("/"):
            return True
        return self._mentions_bot(msg, context.bot.username) or self._replies_to_bot(msg, context.bot.id)

    def _reply_parameters(self, msg: Message | None) -> ReplyParameters | None:
        """In groups an answer quotes its question, so several people's threads stay apart."""
        if msg is None or msg.chat.type == ChatType.PRIVATE:
            return None
        return ReplyParameters(message_id=msg.message_id, allow_sending_without_reply=True)

    async def _send_parts(self, context: Context, chat_id: int, parts: list[str],
                          markup: InlineKeyboardMarkup | None = None,
                          reply: ReplyParameters | None = None) -> list[Message]:
        """Send split HTML; buttons go under the last part, the first part quotes the question."""
        sent = []
        for i, part in enumerate(parts):
            last = i == len(parts) - 1
            sent.append(await context.bot.send_message(
                chat_id, part, reply_markup=markup if last else None, reply_parameters=reply if i == 0 else None))
        return sent

    async def _say(self, update: Update, context: Context, key: str, **values: object) -> None:
        chat = update.effective_chat
        assert chat is not None
        await context.bot.send_message(chat.id, escape(message(key, **values)),
                                       reply_parameters=self._reply_parameters(update.effective_message))

    def _markup(self, buttons: list[tuple[str, str, str]]) -> InlineKeyboardMarkup | None:
        if not buttons:
            return None
        return InlineKeyboardMarkup([[InlineKeyboardButton(text, callback_data=self.keys.key(source, section))]
                                     for text, source, section in buttons])

    # --- access control: runs before every other handler -----------------------------------
    async def guard(self, update: Update, context: Context) -> None:
        user, chat = update.effective_user, update.effective_chat
        if user is None or chat is None or user.is_bot:
            raise ApplicationHandlerStop  # channel posts, other bots: not ours to answer
        if self.is_allowed(user.id, chat.id):
            await self._flood_gate(update, context)
            return
        log.info("refused update %s from user %s in chat %s (not on the allow-list)",
                 update.update_id, user.id, chat.id)
        if update.callback_query is not None:
            await update.callback_query.answer(message("tg_not_allowed"), show_alert=True)
        elif update.message is not None and self._is_addressed(update.message, context):
            await context.bot.send_message(chat.id, escape(message("tg_not_allowed")))
        raise ApplicationHandlerStop

    def _admit(self, state: UserState) -> float:
        """0 when the user may ask now, else the seconds to wait (per-user rate limit on questions)."""
        now = self.clock()
        gap = self.settings.telegram_rate_seconds
        if state.last_question_at is not None and now - state.last_question_at < gap:
            return gap - (now - state.last_question_at)
        state.last_question_at = now
        return 0.0

    def _take(self, state: UserState) -> float:
        """0 when the user's update may be answered, else the seconds until it may: a bucket of
        FLOOD_BURST updates refilled one per `telegram_rate_seconds` (a question, a command and
        two buttons in a row are normal use; twenty in two seconds are a flood)."""
        now = self.clock()
        gap = self.settings.telegram_rate_seconds
        if gap <= 0:
            return 0.0
        elapsed = now - state.burst_at if state.burst_at is not None else math.inf
        state.burst = min(float(FLOOD_BURST), state.burst + elapsed / gap)
        state.burst_at = now
        if state.burst >= 1:
            state.burst -= 1
            return 0.0
        return (1 - state.burst) * gap

    async def _rate_limited(self, update: Update, context: Context, state: UserState, wait: float,
                            toast: bool = True) -> None:
        """One "please wait" per window (a toast for a button not yet answered); the rest of a
        flood gets nothing."""
        if self.clock() < state.warned_until:
            return
        state.warned_until = self.clock() + wait
        text = message("tg_rate_limited", seconds=max(1, math.ceil(wait)))
        if update.callback_query is not None and toast:
            await update.callback_query.answer(text, show_alert=True)
        elif update.effective_chat is not None:
            await context.bot.send_message(update.effective_chat.id, escape(text),
                                           reply_parameters=self._reply_parameters(update.effective_message))

    async def _flood_gate(self, update: Update, context: Context) -> None:
        """The per-user flood limit, on every update that would get a reply (a question valid or
        not, a command, a button), before any handler runs (docs/telegram.md, "Limits")."""
        msg = update.message
        if update.callback_query is None and (msg is None or not self._is_addressed(msg, context)):
            return  # group talk not addressed to the bot, edits, reactions: never answered anyway
        state = context.user_data
        assert state is not None
        wait = self._take(state)
        if wait > 0:
            await self._rate_limited(update, context, state, wait)
            raise ApplicationHandlerStop

"""The Telegram bot: officials ask about the plans from their phones.

`build_bot(settings, app)` wires a python-telegram-bot `Application` around the answering
service; handlers stay thin. `run_bot(app)` is what `planbot bot` runs (long polling, or a
webhook when PLANBOT_TELEGRAM_WEBHOOK_URL is set).
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import hashlib
import logging
import math
import os
import re
import sys
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlparse

# python-telegram-bot 22.2+ warns on every flood limit (RetryAfter) until durations are opted in
# to `datetime.timedelta`; the bot reads no duration as a number, so take the future behaviour now.
os.environ.setdefault("PTB_TIMEDELTA", "1")

from telegram import (
    BotCommand,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    LinkPreviewOptions,
    Message,
    MessageEntity,
    ReplyParameters,
    Update,
)
from telegram.constants import ChatAction, ChatType, ParseMode
from telegram.error import BadRequest, InvalidToken, NetworkError, TelegramError
from telegram.ext import (
    AIORateLimiter,
    Application,
    ApplicationBuilder,
    ApplicationHandlerStop,
    CallbackContext,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    Defaults,
    ExtBot,
    MessageHandler,
    TypeHandler,
    filters,
)

from bot.format import (
    TELEGRAM_LIMIT,
    answer_html,
    citation_label,
    escape,
    section_buttons,
    section_html,
    section_name,
    split_html,
)
from bot.reminders import Reminder, ReminderStore, reminders_due
from index.ocr_repair import display_form
from planbot.factory import App
from planbot.settings import Settings
from rag.answer import QuestionError, reporting_sentence
from rag.conversation import ConversationStore
from rag.prompts import message
from rag.schedule import Due, known_agencies, plan_end_years, resolve_agency, upcoming, what_is_due
from rag.types import Answer

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
_SECRET_TOKEN = re.compile(r"^[A-Za-z0-9_-]{1,256}$")
_RAW_MARKER = re.compile(r"\s*\[\d{1,2}\]")


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


@dataclass
class _Failed:
    error: BaseException


_DONE = object()


@dataclass
class _Preview:
    """The message showing an LLM answer's first words while it is written."""

    message_id: int | None = None
    last_edit: float = -math.inf


class ApologyShown(Exception):
    """Answering failed and the user has been told (the preview was turned into the apology);
    the cause is the real error."""


class PlanBot:
    """The handlers, with the services they use; python-telegram-bot calls the bound methods."""

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

    # --- helpers ---------------------------------------------------------------------------
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

    # --- commands ----------------------------------------------------------------------------
    async def start(self, update: Update, context: Context) -> None:
        assert update.effective_chat is not None and update.effective_user is not None
        keyboard = InlineKeyboardMarkup([[InlineKeyboardButton(message(key), callback_data=f"q:{i}")]
                                         for i, key in enumerate(EXAMPLE_KEYS)])
        name = update.effective_user.first_name or ""
        await context.bot.send_message(update.effective_chat.id, escape(message("tg_greeting", name=name)),
                                       reply_markup=keyboard)

    async def help(self, update: Update, context: Context) -> None:
        assert update.effective_chat is not None
        paragraphs = [message("tg_help_what"), message("tg_help_cite"),
                      message("tg_help_followup", username=context.bot.username or "bot"),
                      message("tg_help_commands")]
        await context.bot.send_message(update.effective_chat.id, "\n\n".join(escape(p) for p in paragraphs))

    async def plans(self, update: Update, context: Context) -> None:
        assert update.effective_chat is not None
        docs = await asyncio.to_thread(self.app.library.documents)
        if not docs:
            await self._say(update, context, "no_index")
            return
        docs.sort(key=lambda d: (d.meta.province or "", d.meta.year or 0, d.meta.source))
        lines = [f"<b>{escape(message('tg_plans_title', count=len(docs)))}</b>"]
        for doc in docs:
            line = f"• <b>{escape(doc.meta.short_name)}</b>: {escape(doc.meta.title)}"
            if doc.meta.number:
                line += f" ({escape(message('tg_plan_number', number=doc.meta.number))})"
            lines.append(line)
        await self._send_parts(context, update.effective_chat.id, split_html("\n".join(lines)))

    async def deadlines(self, update: Update, context: Context) -> None:
        assert update.effective_chat is not None
        today = self.today()
        text, buttons = await asyncio.to_thread(self._deadlines, today)
        if not buttons:
            await self._say(update, context, "tg_deadlines_none", today=today.strftime("%d/%m/%Y"))
            return
        await self._send_parts(context, update.effective_chat.id, split_html(text), markup=self._markup(buttons))

    def _deadlines(self, today: dt.date) -> tuple[str, list[tuple[str, str, str]]]:
        """The upcoming dated obligations of the register as HTML, and a button per section
        (no buttons: no deadlines from today on)."""
        records = self.app.register.upcoming(DEADLINES_SHOWN, today)
        lines = [f"<b>{escape(message('tg_deadlines_title', today=today.strftime('%d/%m/%Y')))}</b>"]
        buttons: list[tuple[str, str, str]] = []
        for record in records:
            due = dt.date.fromisoformat(record.due_date).strftime("%d/%m/%Y")
            what = reporting_sentence(record) if record.kind == "reporting" else display_form(record.task or record.quote)
            plan = self.short_name(record.source)
            label = citation_label(plan, record.section, record.section_label)
            lines.append(f"• <b>{due}</b> · {escape(label)}: {escape(_shorten(what, 300))}")
            button = (message("tg_button_verbatim", section=section_name(record.section, record.section_label))
                      + f" ({plan})", record.source, record.section)
            if button not in buttons:
                buttons.append(button)
        return "\n\n".join(lines), buttons

    # --- deadline reminders --------------------------------------------------------------------
    def _resolve(self, text: str) -> tuple[str | None, str | None]:
        """(canonical agency, None) or (None, the Vietnamese reply saying what is wrong)."""
        match = resolve_agency(text, known_agencies(self.app.register.records()))
        if match.name:
            return match.name, None
        if match.ambiguous:
            return None, message("tg_follow_ambiguous", text=text, candidates="; ".join(match.candidates),
                                 first=match.candidates[0])
        if match.candidates:
            return None, message("tg_follow_unknown", text=text, candidates="; ".join(match.candidates))
        return None, message("tg_follow_unknown_none", text=text)

    def _upcoming(self, agencies: list[str] | None, days: int) -> list[Due]:
        records = self.app.register.records()
        today = self.now().date()
        ends = plan_end_years(self.app.library.documents())
        if not agencies:
            return upcoming(records, today, days, None, ends)
        found: dict[str, Due] = {}
        for agency in agencies:
            for due in upcoming(records, today, days, agency, ends):
                found.setdefault(due.uid, due)
        return sorted(found.values(), key=lambda d: (d.date, d.record.source, d.record.section))

    async def follow(self, update: Update, context: Context) -> None:
        """/theodoi <cơ quan>: the chat gets the agency's deadline reminders."""
        chat = update.effective_chat
        assert chat is not None
        text = " ".join(context.args or []).strip()
        if not text:
            reply = message("tg_follow_usage")
            current = self.reminders.agencies(chat.id)
            if current:
                reply += "\n" + message("tg_follow_usage_current", agencies="; ".join(current))
            await context.bot.send_message(chat.id, escape(reply))
            return
        agency, problem = await asyncio.to_thread(self._resolve, text[:200])
        if agency is None:
            await context.bot.send_message(chat.id, escape(problem or ""))
            return
        if not await asyncio.to_thread(self.reminders.subscribe, chat.id, agency):
            await context.bot.send_message(chat.id, escape(message("tg_follow_already", agency=agency)))
            return
        count = len(await asyncio.to_thread(self._upcoming, [agency], SCHEDULE_DAYS))
        await context.bot.send_message(chat.id, escape(message(
            "tg_follow_ok", agency=agency, hour=self.settings.telegram_reminder_hour, count=count)))

    async def unfollow(self, update: Update, context: Context) -> None:
        """/bothoi [<cơ quan>]: stop one agency's reminders, or all of the chat's."""
        chat = update.effective_chat
        assert chat is not None
        text = " ".join(context.args or []).strip()
        current = self.reminders.agencies(chat.id)
        if not current:
            reply = message("tg_unfollow_nothing")
        elif not text:
            removed = await asyncio.to_thread(self.reminders.unsubscribe, chat.id)
            reply = message("tg_unfollow_all", agencies="; ".join(removed))
        else:
            # the chat's own agencies first: "/bothoi TT&TT" or "/bothoi thong tin" both find it
            match = resolve_agency(text[:200], current)
            removed = await asyncio.to_thread(self.reminders.unsubscribe, chat.id, match.name) if match.name else []
            reply = (message("tg_unfollow_one", agency=removed[0]) if removed else
                     message("tg_unfollow_not_followed", text=text[:200], agencies="; ".join(current)))
        await context.bot.send_message(chat.id, escape(reply))

    async def schedule(self, update: Update, context: Context) -> None:
        """/lichhan: what falls due in the next 30 days for the chat's agencies (all, if it follows none)."""
        chat = update.effective_chat
        assert chat is not None
        agencies = self.reminders.agencies(chat.id)
        text, buttons = await asyncio.to_thread(self._schedule, agencies)
        await self._send_parts(context, chat.id, split_html(text), markup=self._markup(buttons))

    def _schedule(self, agencies: list[str]) -> tuple[str, list[tuple[str, str, str]]]:
        start = self.now().date()
        end = start + dt.timedelta(days=SCHEDULE_DAYS)
        values = {"start": start.strftime("%d/%m/%Y"), "end": end.strftime("%d/%m/%Y"),
                  "agencies": "; ".join(agencies)}
        found = self._upcoming(agencies, SCHEDULE_DAYS)
        if not found:
            key = "tg_schedule_none" if agencies else "tg_schedule_none_all"
            text = escape(message(key, **values))
            return (text if agencies else text + "\n\n" + escape(message("tg_schedule_hint"))), []
        title = message("tg_schedule_title" if agencies else "tg_schedule_title_all", **values)
        lines = [f"<b>{escape(title)}</b>"]
        buttons: list[tuple[str, str, str]] = []
        for due in found[:SCHEDULE_SHOWN]:
            record = due.record
            plan = self.short_name(record.source)
            label = citation_label(plan, record.section, record.section_label)
            line = f"• <b>{due.date.strftime('%d/%m/%Y')}</b> · {escape(label)}: {escape(_shorten(what_is_due(record), 300))}"
            if due.period_label:
                line += f" <i>({escape(message('tg_period', period=due.period_label))})</i>"
            lines.append(line)
            button = (message("tg_button_verbatim", section=section_name(record.section, record.section_label))
                      + f" ({plan})", record.source, record.section)
            if button not in buttons:
                buttons.append(button)
        if len(found) > SCHEDULE_SHOWN:
            lines.append("…")
        if not agencies:
            lines.append(f"<i>{escape(message('tg_schedule_hint'))}</i>")
        return "\n\n".join(lines), buttons[:10]

    def reminder_html(self, reminder: Reminder, today: dt.date) -> str:
        due, record = reminder.due, reminder.due.record
        days = (due.date - today).days
        when = due.date.strftime("%d/%m/%Y")
        title = (message("tg_reminder_today", date=when) if days <= 0 else
                 message("tg_reminder_tomorrow", date=when) if days == 1 else
                 message("tg_reminder_title", days=days, date=when))
        lines = [f"<b>{escape(title)}</b>", escape(what_is_due(record))]
        if due.period_label:
            lines.append(f"<i>{escape(message('tg_period', period=due.period_label))}</i>")
        if due.role:
            lines.append(escape(message("tg_reminder_agency", agency=reminder.agency,
                                        role=message(f"tg_role_{due.role}"))))
        label = citation_label(self.short_name(record.source), record.section, record.section_label)
        lines.append(escape(message("tg_reminder_source", label=label)))
        lines.append(f"<blockquote expandable>{escape(display_form(record.quote))}</blockquote>")
        return "\n".join(lines)

    async def send_reminders(self, bot: Any) -> int:
        """Send what is due now (see bot/reminders.py); each is recorded as sent once Telegram took it.
        The number sent."""
        now = self.now()
        today = now.date()

        def due_now() -> list[Reminder]:
            self.reminders.forget_past(today)
            records = self.app.register.records()
            ends = plan_end_years(self.app.library.documents())
            return reminders_due(self.reminders, records, now, self.settings.telegram_reminder_hour, ends)

        sent = 0
        for reminder in await asyncio.to_thread(due_now):
            record = reminder.due.record
            button = (message("tg_button_verbatim", section=section_name(record.section, record.section_label)),
                      record.source, record.section)
            parts = split_html(self.reminder_html(reminder, today))
            try:
                for i, part in enumerate(parts):
                    await bot.send_message(reminder.chat_id, part,
                                           reply_markup=self._markup([button]) if i == len(parts) - 1 else None)
            except TelegramError as exc:  # a chat that blocked the bot must not stop the others' reminders
                log.warning("reminder %s to chat %s failed: %s", reminder.key, reminder.chat_id, exc)
                continue
            await asyncio.to_thread(self.reminders.mark_sent, reminder.chat_id, reminder.key, reminder.due.date)
            sent += 1
        if sent:
            log.info("sent %d deadline reminder(s)", sent)
        return sent

    async def reminder_job(self, context: Context) -> None:
        """The JobQueue's repeating job."""
        await self.send_reminders(context.bot)

    async def new_conversation(self, update: Update, context: Context) -> None:
        assert update.effective_chat is not None
        self.conversations.reset(str(update.effective_chat.id))
        await self._say(update, context, "tg_new_conversation")

    async def unknown_command(self, update: Update, context: Context) -> None:
        await self._say(update, context, "tg_unknown_command")

    async def not_text(self, update: Update, context: Context) -> None:
        await self._say(update, context, "tg_text_only")

    # --- buttons -------------------------------------------------------------------------------
    async def show_section(self, update: Update, context: Context) -> None:
        """A cited section; an OCR'd plan's is shown repaired, with a button for the OCR text."""
        query = update.callback_query
        assert query is not None and query.data is not None and update.effective_chat is not None
        original = query.data.startswith("o:")
        found = await asyncio.to_thread(self._section_parts, "s:" + query.data[2:], original)
        if found is None:
            await query.answer(message("tg_section_gone"), show_alert=True)
            return
        parts, repaired = found
        await query.answer()
        markup = None
        if repaired and not original:
            markup = InlineKeyboardMarkup([[InlineKeyboardButton(message("tg_ocr_original"),
                                                                 callback_data="o:" + query.data[2:])]])
        await self._send_parts(context, update.effective_chat.id, parts, markup=markup)

    def _section_parts(self, key: str, original: bool = False) -> tuple[list[str], bool] | None:
        target = self.keys.resolve(key)
        view = self.app.library.section(*target) if target else None
        if view is None:
            return None
        html_text = section_html(self.short_name(view.source), view.doc_title, view.section, view.section_label,
                                 view.section_title, view.start_line, view.end_line, view.text, original)
        return split_html(html_text), display_form(view.text.strip()) != view.text.strip()

    async def ask_example(self, update: Update, context: Context) -> None:
        query = update.callback_query
        assert query is not None and query.data is not None
        index = int(query.data.split(":", 1)[1])
        if index >= len(EXAMPLE_KEYS):
            await query.answer(message("tg_stale_button"), show_alert=True)
            return
        await query.answer()
        await self._answer(update, context, message(EXAMPLE_KEYS[index]), echo=True)

    async def stale_button(self, update: Update, context: Context) -> None:
        assert update.callback_query is not None
        await update.callback_query.answer(message("tg_stale_button"), show_alert=True)

    # --- questions -----------------------------------------------------------------------------
    async def question(self, update: Update, context: Context) -> None:
        msg = update.message
        assert msg is not None and msg.text is not None
        text = msg.text
        if msg.chat.type != ChatType.PRIVATE:
            if not (self._mentions_bot(msg, context.bot.username) or self._replies_to_bot(msg, context.bot.id)):
                return  # group talk not addressed to the bot
            if context.bot.username:
                text = re.sub(rf"@{re.escape(context.bot.username)}\b", " ", text, flags=re.IGNORECASE)
        await self._answer(update, context, text)

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

    async def _answer(self, update: Update, context: Context, question: str, echo: bool = False) -> None:
        chat, msg = update.effective_chat, update.effective_message
        assert chat is not None and context.user_data is not None and context.chat_data is not None
        reply = self._reply_parameters(msg) if not echo else None
        state = context.user_data
        # before the question is checked: a flood of over-long questions is a flood too
        wait = self._admit(state)
        if wait > 0:
            await self._rate_limited(update, context, state, wait, toast=False)  # an example's button is answered
            return
        try:
            question = self.assistant.validate(question)
        except QuestionError as exc:
            await context.bot.send_message(chat.id, escape(str(exc)), reply_parameters=reply)
            return
        started = time.monotonic()
        async with context.chat_data.lock:
            conversation_id = str(chat.id)
            history = self.conversations.get(conversation_id).history()
            await self._typing(context, chat.id)
            typing = asyncio.create_task(self._keep_typing(context, chat.id))
            preview = _Preview()
            try:
                answer = await self._run(context, chat.id, question, history, reply, preview)
                # plan names come from the store, which may read from disk: not on the event loop
                parts, buttons = await asyncio.to_thread(self._render, answer, question if echo else None)
            except Exception as exc:
                if preview.message_id is not None and await self._apologise_in(context, chat.id, preview.message_id):
                    raise ApologyShown from exc  # on_error logs it and sends nothing more
                raise
            finally:
                typing.cancel()
            self.conversations.add(conversation_id, question, answer)
            await self._deliver(context, chat.id, parts, self._markup(buttons), preview.message_id,
                                preview.last_edit, reply)
        log.info("update %s: answered in chat %s (%s, %d citations, %.1f s)", update.update_id, chat.id,
                 answer.mode, len(answer.citations), time.monotonic() - started)

    def _render(self, answer: Answer, question: str | None) -> tuple[list[str], list[tuple[str, str, str]]]:
        html = answer_html(answer, self.short_name, question=question)
        buttons = [(b.text, b.source, b.section) for b in section_buttons(answer.citations, self.short_name)]
        return split_html(html), buttons

    async def _typing(self, context: Context, chat_id: int) -> None:
        try:
            await context.bot.send_chat_action(chat_id, ChatAction.TYPING)
        except TelegramError as exc:  # a missing "typing…" is no reason to fail the answer
            log.warning("chat action failed in chat %s: %s", chat_id, exc)

    async def _keep_typing(self, context: Context, chat_id: int) -> None:
        while True:
            await asyncio.sleep(TYPING_EVERY_SECONDS)
            await self._typing(context, chat_id)

    async def _apologise_in(self, context: Context, chat_id: int, preview_id: int) -> bool:
        """Answering failed after the first words were shown: the preview becomes the apology
        (a half answer must not stay on screen above it). False when the edit failed too."""
        try:
            await context.bot.edit_message_text(escape(message("tg_error")), chat_id, preview_id)
        except TelegramError as exc:
            log.warning("could not replace the preview in chat %s with the apology: %s", chat_id, exc)
            return False
        return True

    async def _run(self, context: Context, chat_id: int, question: str, history: list[str],
                   reply: ReplyParameters | None, preview: _Preview) -> Answer:
        """Answer in a worker thread; with an LLM, stream the text into one message, editing it
        at most every `telegram_edit_seconds`. Returns the answer; `preview` holds the preview
        message id (or None) and when it was last edited, also when answering fails."""
        loop = asyncio.get_running_loop()
        queue: asyncio.Queue[tuple[object, ...]] = asyncio.Queue()

        def post(*items: object) -> None:
            loop.call_soon_threadsafe(queue.put_nowait, items)

        def produce() -> None:
            # One piece is held back until the next item: a text that comes with its final
            # answer (extractive answers, the fallback) then arrives with it and is never
            # shown as a preview first.
            held: list[object] = []
            try:
                for item in self.assistant.ask_stream(question, history):
                    if isinstance(item, Answer):
                        post(*held, item)
                        held = []
                    else:
                        if held:
                            post(*held)
                        held = [item]
                if held:
                    post(*held)
            except Exception as exc:
                post(_Failed(exc))
            finally:
                post(_DONE)

        worker = asyncio.ensure_future(asyncio.to_thread(produce))
        streaming = self.assistant.generator is not None
        interval = self.settings.telegram_edit_seconds
        pieces: list[str] = []
        final: Answer | None = None
        shown = ""
        dirty = False
        try:
            while True:
                timeout = max(0.0, preview.last_edit + interval - time.monotonic()) if dirty else None
                batch: list[object] = []
                with contextlib.suppress(TimeoutError):  # a timeout: time for the next edit
                    batch.extend(await asyncio.wait_for(queue.get(), timeout))
                while not queue.empty():  # take all that is ready: a finished answer skips the preview
                    batch.extend(queue.get_nowait())
                for entry in batch:
                    if isinstance(entry, _Failed):
                        raise entry.error
                    if isinstance(entry, Answer):
                        final = entry
                    elif isinstance(entry, str):
                        pieces.append(entry)
                        dirty = True
                if _DONE in batch or final is not None:
                    break
                if streaming and dirty and time.monotonic() - preview.last_edit >= interval:
                    text = _preview_html("".join(pieces))
                    if text and text != shown:
                        preview.message_id = await self._show_preview(context, chat_id, text, preview.message_id,
                                                                      reply)
                        shown, preview.last_edit = text, time.monotonic()
                    dirty = False
        finally:
            await worker
        if final is None:
            raise RuntimeError("the assistant finished without an answer")
        return final

    async def _show_preview(self, context: Context, chat_id: int, text: str, preview_id: int | None,
                            reply: ReplyParameters | None) -> int | None:
        try:
            if preview_id is None:
                sent = await context.bot.send_message(chat_id, text, reply_parameters=reply)
                return sent.message_id
            await context.bot.edit_message_text(text, chat_id, preview_id)
        except BadRequest as exc:  # a lost preview must not cost the answer
            log.warning("preview edit failed in chat %s: %s", chat_id, exc)
        return preview_id

    async def _deliver(self, context: Context, chat_id: int, parts: list[str],
                       markup: InlineKeyboardMarkup | None, preview_id: int | None, last_edit: float,
                       reply: ReplyParameters | None) -> None:
        if preview_id is None:
            await self._send_parts(context, chat_id, parts, markup, reply)
            return
        wait = last_edit + self.settings.telegram_edit_seconds - time.monotonic()
        if wait > 0:
            await asyncio.sleep(wait)  # the final edit keeps to the same pace as the preview
        try:
            await context.bot.edit_message_text(parts[0], chat_id, preview_id,
                                                reply_markup=markup if len(parts) == 1 else None)
        except BadRequest as exc:
            if "not modified" not in str(exc).lower():
                raise
        await self._send_parts(context, chat_id, parts[1:], markup)

    # --- faults ----------------------------------------------------------------------------------
    async def on_error(self, update: object, context: Context) -> None:
        """Log with the update id; tell the user something went wrong; never re-raise."""
        update_id = update.update_id if isinstance(update, Update) else None
        error = context.error
        told = isinstance(error, ApologyShown)
        if told and error.__cause__ is not None:
            error = error.__cause__
        log.error("update %s failed: %s: %s", update_id, type(error).__name__, error, exc_info=error)
        if told or not isinstance(update, Update):
            return
        if update.callback_query is not None:
            with contextlib.suppress(TelegramError):  # already answered by the handler, or too old
                await update.callback_query.answer()
        if update.effective_chat is not None:
            try:
                await context.bot.send_message(update.effective_chat.id, escape(message("tg_error")))
            except TelegramError as exc:
                log.warning("could not tell chat %s about the failure of update %s: %s",
                            update.effective_chat.id, update_id, exc)

    async def post_init(self, application: Application) -> None:
        """The command menu on phones, in Vietnamese."""
        commands = [BotCommand(name, message(f"tg_cmd_{name}"))
                    for name in ("start", "help", "kehoach", "hanchot", "lichhan", "theodoi", "bothoi", "moi")]
        try:
            await application.bot.set_my_commands(commands)
        except TelegramError as exc:
            log.warning("could not set the command menu: %s", exc)


def _preview_html(text: str) -> str:
    text = _RAW_MARKER.sub("", text).strip()
    if not text:
        return ""
    parts = split_html(escape(text), TELEGRAM_LIMIT - 2)
    return parts[0] + " …" if parts else ""


def _shorten(text: str, limit: int) -> str:
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0] + " …"


def parse_allowed_ids(values: list[str]) -> frozenset[int]:
    bad = [v for v in values if not re.fullmatch(r"-?\d+", v.strip())]
    if bad:
        raise ValueError(message("tg_bad_allowed_ids", values=", ".join(bad)))
    return frozenset(int(v) for v in values)


def build_bot(settings: Settings, app: App, *, conversations: ConversationStore | None = None,
              clock: Callable[[], float] = time.monotonic,
              today: Callable[[], dt.date] = dt.date.today, now: Callable[[], dt.datetime] | None = None,
              rate_limiter_retries: int = 3) -> Application:
    """The bot as a python-telegram-bot Application talking to `settings.telegram_api_url`."""
    # httpx logs every request URL at INFO, and Telegram URLs carry the bot token.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("httpcore").setLevel(logging.WARNING)
    token = settings.telegram_token.get_secret_value().strip() if settings.telegram_token else ""
    if not token:
        raise ValueError(message("tg_no_token"))
    bot = PlanBot(settings, app, conversations or ConversationStore(settings.conversation_ttl_seconds),
                  clock=clock, today=today, now=now)
    if not bot.allowed:
        log.warning("PLANBOT_TELEGRAM_ALLOWED_IDS is empty: the bot answers anyone who finds it")
    application = (
        ApplicationBuilder()
        .token(token)
        .base_url(settings.telegram_api_url)
        .defaults(Defaults(parse_mode=ParseMode.HTML, link_preview_options=LinkPreviewOptions(is_disabled=True)))
        # Telegram's flood limits: queue sends under them, and on a 429 wait retry_after and retry.
        .rate_limiter(AIORateLimiter(max_retries=rate_limiter_retries))
        .concurrent_updates(True)
        .context_types(CONTEXT_TYPES)
        .post_init(bot.post_init)
        .build()
    )
    application.bot_data["planbot"] = bot
    application.add_handler(TypeHandler(Update, bot.guard), group=-1)
    application.add_handler(CommandHandler("start", bot.start))
    application.add_handler(CommandHandler("help", bot.help))
    application.add_handler(CommandHandler("kehoach", bot.plans))
    application.add_handler(CommandHandler("hanchot", bot.deadlines))
    application.add_handler(CommandHandler("moi", bot.new_conversation))
    application.add_handler(CommandHandler("theodoi", bot.follow))
    application.add_handler(CommandHandler("bothoi", bot.unfollow))
    application.add_handler(CommandHandler("lichhan", bot.schedule))
    application.add_handler(CallbackQueryHandler(bot.show_section, pattern=r"^[so]:[0-9a-f]+$"))
    application.add_handler(CallbackQueryHandler(bot.ask_example, pattern=r"^q:\d+$"))
    application.add_handler(CallbackQueryHandler(bot.stale_button))
    new_messages = filters.UpdateType.MESSAGE
    application.add_handler(MessageHandler(new_messages & filters.COMMAND & filters.ChatType.PRIVATE,
                                           bot.unknown_command))
    application.add_handler(MessageHandler(new_messages & filters.TEXT & ~filters.COMMAND, bot.question))
    application.add_handler(MessageHandler(new_messages & filters.ChatType.PRIVATE & ~filters.TEXT
                                           & ~filters.StatusUpdate.ALL, bot.not_text))
    application.add_error_handler(bot.on_error)
    if application.job_queue is None:  # the [job-queue] extra of python-telegram-bot is a dependency
        raise RuntimeError("python-telegram-bot was installed without its job-queue extra")
    # checked every hour by default: a reminder goes out in the first check after the morning hour
    application.job_queue.run_repeating(bot.reminder_job, interval=settings.telegram_reminder_check_seconds,
                                        first=min(30.0, settings.telegram_reminder_check_seconds),
                                        name=REMINDER_JOB)
    return application


def webhook_options(settings: Settings) -> dict[str, Any]:
    """Arguments for `run_webhook` / `Updater.start_webhook`: Telegram sends every update with the
    secret in `X-Telegram-Bot-Api-Secret-Token`; python-telegram-bot answers 403 to the rest."""
    secret = settings.telegram_webhook_secret.get_secret_value() if settings.telegram_webhook_secret else ""
    if not _SECRET_TOKEN.match(secret):
        raise ValueError(message("tg_webhook_no_secret"))
    return {
        "listen": settings.telegram_webhook_listen,
        "port": settings.telegram_webhook_port,
        "url_path": urlparse(settings.telegram_webhook_url).path.strip("/"),
        "webhook_url": settings.telegram_webhook_url,
        "secret_token": secret,
        "allowed_updates": ALLOWED_UPDATES,
    }


def warm_up(app: App) -> None:
    """Build the per-index caches (lexical index, obligations register) before the first
    question arrives: otherwise the first official to ask waits for them."""
    started = time.monotonic()
    snap = app.store.snapshot()
    if snap is None:
        return
    app.assistant.retriever.lexical_index(snap)
    app.register.records(snap)
    log.info("caches ready in %.1f s", time.monotonic() - started)


class _BootstrapFailureAsDebug(logging.Filter):
    """python-telegram-bot logs a failed start (Bot API unreachable, token refused) as an error
    with its traceback, just before `run_bot` prints the one-line Vietnamese reason: the
    traceback goes to debug level instead, so the console shows that one line."""

    PREFIX = "Network Retry Loop (Bootstrap"

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno > logging.DEBUG and record.getMessage().startswith(self.PREFIX):
            record.levelno, record.levelname = logging.DEBUG, logging.getLevelName(logging.DEBUG)
            return logging.getLogger(record.name).isEnabledFor(logging.DEBUG)
        return True


def run_bot(app: App, settings: Settings | None = None) -> int:
    """`planbot bot`: 2 on a configuration error, 1 when Telegram cannot be reached, else 0 on stop."""
    settings = settings or app.settings
    try:
        options = webhook_options(settings) if settings.telegram_webhook_url else None
        application = build_bot(settings, app)
    except ValueError as exc:
        print(f"Lỗi: {exc}", file=sys.stderr)
        return 2
    app.ensure_index()
    warm_up(app)
    # run_polling/run_webhook run on the current event loop and close it when they stop: give
    # them a fresh one, so run_bot can be called again in the same process.
    asyncio.set_event_loop(asyncio.new_event_loop())
    ptb_log, quiet_start = logging.getLogger("telegram.ext"), _BootstrapFailureAsDebug()
    ptb_log.addFilter(quiet_start)
    try:
        if options is not None:
            log.info("Telegram bot: webhook on %s:%s", options["listen"], options["port"])
            application.run_webhook(**options)
        else:
            log.info("Telegram bot: long polling")
            application.run_polling(allowed_updates=ALLOWED_UPDATES)
    except InvalidToken:
        print(f"Lỗi: {message('tg_bad_token')}", file=sys.stderr)
        return 2
    except NetworkError as exc:
        print(f"Lỗi: {message('tg_unreachable', url=settings.telegram_api_url, error=exc)}", file=sys.stderr)
        return 1
    finally:
        ptb_log.removeFilter(quiet_start)
        asyncio.set_event_loop(None)
    return 0

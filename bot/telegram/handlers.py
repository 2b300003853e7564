"""The bot's handlers: commands, buttons, faults (deadlines: reminders.py; questions: streaming.py)."""

from __future__ import annotations

import asyncio
import contextlib
import logging

from telegram import (
    BotCommand,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Update,
)
from telegram.error import TelegramError
from telegram.ext import (
    Application,
)

from bot.render.telegram import (
    escape,
    section_html,
    split_html,
)
from bot.telegram.reminders import ReminderCommands
from bot.telegram.state import EXAMPLE_KEYS, Context
from bot.telegram.streaming import AnswerStreaming, ApologyShown
from index.ocr_repair import display_form
from rag.prompts import message

log = logging.getLogger(__name__)


class PlanBot(ReminderCommands, AnswerStreaming):
    """The handlers, with the services they use; python-telegram-bot calls the bound methods."""

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

    # --- faults ----------------------------------------------------------------------------------
    async def on_error(self, update: object, context: Context) -> None:
        """Log with the update id; tell the user something went wrong; never re-raise."""
        update_id = update.update_id if isinstance(update, Update) else None
        error: BaseException | None = context.error
        told = isinstance(error, ApologyShown)
        if error is not None and told and error.__cause__ is not None:
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

"""Deadline commands and reminders of the Telegram bot."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from typing import Any

from telegram import (
    Update,
)
from telegram.error import TelegramError

from bot.reminders import Reminder, reminders_due
from bot.render.model import citation_label, section_name
from bot.render.telegram import escape, split_html
from bot.telegram.base import BotBase
from bot.telegram.state import DEADLINES_SHOWN, SCHEDULE_DAYS, SCHEDULE_SHOWN, Context
from index.ocr_repair import display_form
from rag.answer import reporting_sentence
from rag.prompts import message
from rag.schedule import Due, known_agencies, plan_end_years, resolve_agency, upcoming, what_is_due

log = logging.getLogger(__name__)


class ReminderCommands(BotBase):
    """/hanchot, /lichhan, /theodoi, /bothoi and the morning reminders of followed agencies."""

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
            assert record.due_date is not None  # upcoming() lists dated records only
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

def _shorten(text: str, limit: int) -> str:
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0] + " …"

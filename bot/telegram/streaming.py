"""The streaming bridge: a question answered in a thread, its LLM answer previewed as it is written."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import math
import re
import time
from dataclasses import dataclass

from telegram import (
    InlineKeyboardMarkup,
    ReplyParameters,
    Update,
)
from telegram.constants import ChatAction, ChatType
from telegram.error import BadRequest, TelegramError

from bot.render.telegram import (
    TELEGRAM_LIMIT,
    answer_html,
    escape,
    section_buttons,
    split_html,
)
from bot.telegram.base import BotBase
from bot.telegram.state import TYPING_EVERY_SECONDS, Context
from lang.markers import CITATION_TEXT
from rag.answer import QuestionError
from rag.prompts import message
from rag.types import Answer

log = logging.getLogger(__name__)

_RAW_MARKER = re.compile(rf"\s*{CITATION_TEXT}")  # a citation marker, hidden in the preview


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



class AnswerStreaming(BotBase):
    """Questions: answered in a worker thread, an LLM answer's first words shown in a preview
    message edited as they come, then the answer delivered (split, with section buttons)."""

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


def _preview_html(text: str) -> str:
    text = _RAW_MARKER.sub("", text).strip()
    if not text:
        return ""
    parts = split_html(escape(text), TELEGRAM_LIMIT - 2)
    return parts[0] + " …" if parts else ""

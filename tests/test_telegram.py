"""The Telegram bot against a fake Bot API server on 127.0.0.1.

The bot is the real python-telegram-bot `Application` from `build_bot`, with its real HTTP layer
pointed at `FakeBotApi` through `PLANBOT_TELEGRAM_API_URL`; updates go through the real
`Application.process_update` (or real long polling / a real webhook), and the tests assert on
the exact requests the bot sent to Telegram.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import json
import logging
import os
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.error import HTTPError
from urllib.parse import parse_qs

import pytest
from telegram import Update
from telegram.ext import Application

from bot.render.telegram import answer_html, escape
from bot.telegram import build_bot, run_bot, webhook_options
from index.embedders import HashingEmbedder
from index.ocr_repair import display_form
from index.store import InMemoryStore
from planbot import SAMPLE_PLANS_DIR
from planbot.factory import App, build_app
from rag.prompts import message
from tests.conftest import make_settings
from tests.fakes import FakeOllama, free_port

TOKEN = "123456:TEST-token-never-logged"
BOT_ID = 123456
BOT_USERNAME = "planbot_test_bot"
USER = 111
OTHER_USER = 222
GROUP = -1001234
QUESTION = ("Các cơ quan phải gửi báo cáo về đâu và trước ngày nào theo kế hoạch thông tin đối ngoại "
            "năm 2024 của Thừa Thiên Huế?")
pytestmark = pytest.mark.network  # a fake Bot API on 127.0.0.1
HTML_DEFAULTS = {"parse_mode": "HTML", "link_preview_options": {"is_disabled": True}}
# Sent as raw strings: everything else in a form-encoded Bot API call is JSON.
_STRING_FIELDS = {"text", "callback_query_id", "secret_token", "url", "action", "parse_mode"}


@dataclass
class Call:
    method: str
    params: dict
    at: float


class FakeBotApi:
    """Enough of the Telegram Bot API for the bot: records every call and answers like Telegram.

    `fail(method, code, retry_after)` makes the next call of `method` fail (429 with
    `retry_after` = a flood limit); `push(update)` queues an update for getUpdates.
    """

    def __init__(self, token: str = TOKEN) -> None:
        self.token = token
        self.calls: list[Call] = []
        self.failures: dict[str, list[tuple[int, int | None]]] = {}
        self._updates: list[dict] = []
        self._cond = threading.Condition()
        self._message_id = 5000
        self.confirmed = 0  # the last update id the bot confirmed it received (getUpdates offset - 1)
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args) -> None:
                pass

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length)
                prefix = f"/bot{fake.token}/"
                if not self.path.startswith("/bot"):
                    self._reply(404, {"ok": False, "error_code": 404, "description": "Not Found"})
                    return
                if not self.path.startswith(prefix):
                    self._reply(401, {"ok": False, "error_code": 401, "description": "Unauthorized"})
                    return
                method = self.path[len(prefix):]
                params = fake._decode(raw, self.headers.get("Content-Type", ""))
                code, body = fake._handle(method, params)
                self._reply(code, body)

            def _reply(self, code: int, body: dict) -> None:
                data = json.dumps(body, ensure_ascii=False).encode()
                self.send_response(code)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/bot"
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> FakeBotApi:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        with self._cond:
            self._cond.notify_all()
        self.server.shutdown()
        self.server.server_close()

    # --- test controls -------------------------------------------------------------------------
    def push(self, update: dict) -> None:
        with self._cond:
            self._updates.append(update)
            self._cond.notify_all()

    def fail(self, method: str, code: int = 429, retry_after: int | None = 1) -> None:
        self.failures.setdefault(method, []).append((code, retry_after))

    def sent(self, *methods: str) -> list[Call]:
        """Calls the bot made to chats (not getMe/getUpdates housekeeping), in order."""
        wanted = set(methods) or {"sendMessage", "editMessageText", "answerCallbackQuery", "sendChatAction"}
        return [c for c in self.calls if c.method in wanted]

    def payloads(self, *methods: str) -> list[tuple[str, dict]]:
        return [(c.method, c.params) for c in self.sent(*methods)]

    def wait_for(self, predicate: Callable[[], bool], timeout: float = 30.0) -> None:
        deadline = time.monotonic() + timeout
        while not predicate():
            if time.monotonic() > deadline:
                raise AssertionError(f"timed out; calls so far: {[c.method for c in self.calls]}")
            time.sleep(0.05)

    # --- the API ---------------------------------------------------------------------------
    @staticmethod
    def _decode(raw: bytes, content_type: str) -> dict:
        if "application/json" in content_type:
            return json.loads(raw or b"{}")
        params = {}
        for key, values in parse_qs(raw.decode(), keep_blank_values=True).items():
            value = values[0]
            if key not in _STRING_FIELDS:
                with contextlib.suppress(ValueError):  # a plain string stays a string
                    value = json.loads(value)
            params[key] = value
        return params

    def _message(self, params: dict, message_id: int | None = None) -> dict:
        chat_id = int(params["chat_id"])
        if message_id is None:
            self._message_id += 1
            message_id = self._message_id
        return {"message_id": message_id, "date": int(time.time()),
                "chat": {"id": chat_id, "type": "private" if chat_id > 0 else "supergroup"},
                "from": {"id": BOT_ID, "is_bot": True, "first_name": "Planbot", "username": BOT_USERNAME},
                "text": params.get("text", "")}

    def _handle(self, method: str, params: dict) -> tuple[int, dict]:
        if method != "getUpdates":
            self.calls.append(Call(method, params, time.monotonic()))
        queued = self.failures.get(method)
        if queued:
            code, retry_after = queued.pop(0)
            body = {"ok": False, "error_code": code, "description": f"Error {code}"}
            if retry_after is not None:
                body["description"] = f"Too Many Requests: retry after {retry_after}"
                body["parameters"] = {"retry_after": retry_after}
            return code, body
        if method == "getMe":
            return 200, {"ok": True, "result": {"id": BOT_ID, "is_bot": True, "first_name": "Planbot",
                                                "username": BOT_USERNAME, "can_join_groups": True,
                                                "can_read_all_group_messages": False,
                                                "supports_inline_queries": False}}
        if method == "getUpdates":
            return 200, {"ok": True, "result": self._get_updates(params)}
        if method == "sendMessage":
            return 200, {"ok": True, "result": self._message(params)}
        if method == "editMessageText":
            return 200, {"ok": True, "result": self._message(params, int(params["message_id"]))}
        if method in ("sendChatAction", "answerCallbackQuery", "setMyCommands", "deleteWebhook",
                      "setWebhook", "close"):
            return 200, {"ok": True, "result": True}
        if method == "getWebhookInfo":
            return 200, {"ok": True, "result": {"url": "", "has_custom_certificate": False,
                                                "pending_update_count": 0}}
        return 404, {"ok": False, "error_code": 404, "description": f"Not Found: method {method}"}

    def _get_updates(self, params: dict) -> list[dict]:
        offset = int(params.get("offset") or 0)
        self.confirmed = max(self.confirmed, offset - 1)  # Telegram forgets updates below offset
        deadline = time.monotonic() + min(float(params.get("timeout") or 0), 2.0)
        with self._cond:
            self._updates = [u for u in self._updates if u["update_id"] >= offset]
            while not self._updates and time.monotonic() < deadline:
                self._cond.wait(max(0.0, deadline - time.monotonic()))
            return list(self._updates)


# --- updates as Telegram sends them ------------------------------------------------------------
_ids = iter(range(1, 10**9))


def text_update(text: str, user: int = USER, chat: int | None = None, entities: list[dict] | None = None,
                reply_to_bot: bool = False, first_name: str = "An") -> dict:
    chat_id = chat if chat is not None else user
    msg: dict[str, Any] = {"message_id": next(_ids), "date": int(time.time()),
           "chat": {"id": chat_id, "type": "private" if chat_id > 0 else "supergroup", "title": "Tổ công tác"},
           "from": {"id": user, "is_bot": False, "first_name": first_name}, "text": text}
    if chat_id < 0:
        msg["chat"].pop("type")
        msg["chat"]["type"] = "supergroup"
    else:
        msg["chat"].pop("title")
    if entities:
        msg["entities"] = entities
    if reply_to_bot:
        msg["reply_to_message"] = {"message_id": 7, "date": int(time.time()), "chat": msg["chat"],
                                   "from": {"id": BOT_ID, "is_bot": True, "first_name": "Planbot",
                                            "username": BOT_USERNAME}, "text": "…"}
    return {"update_id": next(_ids), "message": msg}


def command_update(command: str, user: int = USER, chat: int | None = None) -> dict:
    name = command.split()[0]
    return text_update(command, user, chat, entities=[{"type": "bot_command", "offset": 0, "length": len(name)}])


def callback_update(data: str, user: int = USER, chat: int | None = None, message_id: int = 77) -> dict:
    chat_id = chat if chat is not None else user
    return {"update_id": next(_ids), "callback_query": {
        "id": f"cb{next(_ids)}", "chat_instance": "ci", "data": data,
        "from": {"id": user, "is_bot": False, "first_name": "An"},
        "message": {"message_id": message_id, "date": int(time.time()), "text": "…",
                    "chat": {"id": chat_id, "type": "private" if chat_id > 0 else "supergroup"},
                    "from": {"id": BOT_ID, "is_bot": True, "first_name": "Planbot"}}}}


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


class Running:
    """The real Application, initialised once, on one event loop for the whole test."""

    def __init__(self, application: Application) -> None:
        self.application = application
        self.loop = asyncio.new_event_loop()

    def __enter__(self) -> Running:
        self.loop.run_until_complete(self.application.initialize())
        return self

    def __exit__(self, *exc) -> None:
        self.loop.run_until_complete(self.application.shutdown())
        self.loop.close()

    def feed(self, *updates: dict, between: Callable[[], None] | None = None) -> None:
        """Each update through `Application.process_update`, one after the other."""
        for update in updates:
            self.loop.run_until_complete(
                self.application.process_update(Update.de_json(update, self.application.bot)))
            if between:
                between()


def feed(application: Application, *updates: dict, between: Callable[[], None] | None = None) -> None:
    with Running(application) as running:
        running.feed(*updates, between=between)


@pytest.fixture
def api() -> Iterator[FakeBotApi]:
    with FakeBotApi() as fake:
        yield fake


def make_bot(tmp_path, api: FakeBotApi, app: App, clock: Callable[[], float] | None = None, **overrides) -> Application:
    settings = make_settings(tmp_path, telegram_token=TOKEN, telegram_api_url=api.url, **overrides)
    return build_bot(settings, app, clock=clock or FakeClock(), today=lambda: dt.date(2024, 1, 1))


def sample_answer_html(app: App, question: str) -> tuple[str, list]:
    """The answer the assistant gives, as the bot must render it (labels in place of markers)."""
    answer = app.assistant.ask(question)
    # one marker, after a sentence (the agencies named may follow it in parentheses)
    assert answer.answer.count("[1]") == 1 and ". [1]" in answer.answer, answer.answer
    citation = answer.citations[0]
    body = escape(answer.answer).replace(". [1]", " (Thừa Thiên Huế 2024 · Mục V.2).")
    # an OCR'd plan: the repaired passage, then the verbatim OCR text one tap away
    assert citation.quote_display != citation.quote
    sources = (f"<b>Nguồn</b>\n1. <b>Thừa Thiên Huế 2024 · Mục V.2</b>\n"
               f"<blockquote expandable>{escape(citation.quote_display)}</blockquote>\n"
               f"<i>Văn bản gốc (OCR):</i>\n<blockquote expandable>{escape(citation.quote)}</blockquote>")
    return f"{body}\n\n{sources}", answer.citations


def button(call_params: dict) -> list[list[dict]]:
    return call_params["reply_markup"]["inline_keyboard"]


# --- tests -------------------------------------------------------------------------------------
def test_start_greets_in_vietnamese_with_two_example_buttons(tmp_path, api, sample_app):
    feed(make_bot(tmp_path, api, sample_app), command_update("/start"))
    assert api.payloads() == [("sendMessage", {
        "chat_id": USER,
        "text": escape(message("tg_greeting", name="An")),
        "reply_markup": {"inline_keyboard": [
            [{"text": message("tg_example_1"), "callback_data": "q:0"}],
            [{"text": message("tg_example_2"), "callback_data": "q:1"}]]},
        **HTML_DEFAULTS,
    })]
    assert "Xin chào An!" in api.calls[-1].params["text"]


def test_help_explains_what_it_answers_and_how_it_cites(tmp_path, api, sample_app):
    feed(make_bot(tmp_path, api, sample_app), command_update("/help"))
    (help_text,) = api.payloads()
    assert help_text == ("sendMessage", {"chat_id": USER, "text": "\n\n".join(escape(p) for p in (
        message("tg_help_what"), message("tg_help_cite"), message("tg_help_followup", username=BOT_USERNAME),
        message("tg_help_commands"))), **HTML_DEFAULTS})
    assert "(Thừa Thiên Huế 2024 · Mục V.2)" in help_text[1]["text"] and "@planbot_test_bot" in help_text[1]["text"]


def test_tapping_an_example_question_asks_it(tmp_path, api, sample_app):
    example = message("tg_example_1")
    answer = sample_app.assistant.ask(example)
    expected = answer_html(answer, lambda source: sample_app.library.document(source).meta.short_name,
                           question=example)
    tap = callback_update("q:0")
    feed(make_bot(tmp_path, api, sample_app), tap)
    (ack, typing, sent) = api.payloads()
    assert ack == ("answerCallbackQuery", {"callback_query_id": tap["callback_query"]["id"]})
    assert typing == ("sendChatAction", {"chat_id": USER, "action": "typing"})
    key = button(sent[1])[0][0]["callback_data"]
    assert sent == ("sendMessage", {"chat_id": USER, "text": expected, "reply_markup": {"inline_keyboard": [
        [{"text": "Xem nguyên văn Mục V.2", "callback_data": key}]]}, **HTML_DEFAULTS})
    # the tapped question is echoed in bold: a button leaves no question of the user's in the chat
    assert expected.startswith(f"<b>Hỏi: {escape(example)}</b>\n\n")
    assert "(Thừa Thiên Huế 2024 · Mục V.2)" in expected


def test_question_answer_cites_sections_with_verbatim_buttons(tmp_path, api, sample_app):
    expected, citations = sample_answer_html(sample_app, QUESTION)
    feed(make_bot(tmp_path, api, sample_app), text_update(QUESTION))
    (action, answer) = api.payloads()
    assert action == ("sendChatAction", {"chat_id": USER, "action": "typing"})
    key = answer[1]["reply_markup"]["inline_keyboard"][0][0]["callback_data"]
    assert answer == ("sendMessage", {
        "chat_id": USER, "text": expected,
        "reply_markup": {"inline_keyboard": [[{"text": "Xem nguyên văn Mục V.2", "callback_data": key}]]},
        **HTML_DEFAULTS})
    assert "trước ngày 15/11/2024" in expected and "(Thừa Thiên Huế 2024 · Mục V.2)." in expected
    assert len(key.encode()) <= 64


def test_citation_button_sends_the_section_repaired_and_the_ocr_text_one_tap_away(tmp_path, api, sample_app):
    tap = None
    with Running(make_bot(tmp_path, api, sample_app)) as bot:
        bot.feed(text_update(QUESTION))
        key = button(api.sent("sendMessage")[-1].params)[0][0]["callback_data"]
        api.calls.clear()
        tap = callback_update(key)
        bot.feed(tap)
        sent = api.payloads()
        api.calls.clear()
        original = callback_update("o:" + key[2:])
        bot.feed(original)
    view = sample_app.library.section("thua-thien-hue-2024.txt", "V.2")
    assert view is not None and "15/11/2024" in view.text
    repaired = display_form(view.text.strip())
    assert repaired != view.text.strip() and "15/11/2024" in repaired  # an OCR'd plan
    head = "<b>Thừa Thiên Huế 2024 · Mục V.2</b> — "
    where = f"<i>{escape(view.doc_title)}, dòng {view.start_line}–{view.end_line}</i>\n\n"
    assert sent == [
        ("answerCallbackQuery", {"callback_query_id": tap["callback_query"]["id"]}),
        ("sendMessage", {"chat_id": USER, "text": (
            f"{head}{escape(display_form(view.section_title))}\n{where}<blockquote>{escape(repaired)}</blockquote>"),
            "reply_markup": {"inline_keyboard": [[{"text": "Văn bản gốc (OCR)", "callback_data": "o:" + key[2:]}]]},
            **HTML_DEFAULTS}),
    ]
    assert api.payloads() == [
        ("answerCallbackQuery", {"callback_query_id": original["callback_query"]["id"]}),
        ("sendMessage", {"chat_id": USER, "text": (
            f"{head}{escape(view.section_title)} (Văn bản gốc (OCR))\n{where}"
            f"<blockquote>{escape(view.text.strip())}</blockquote>"), **HTML_DEFAULTS}),
    ]


def test_section_buttons_survive_a_restart(tmp_path, api, sample_app):
    feed(make_bot(tmp_path, api, sample_app), text_update(QUESTION))
    key = button(api.sent("sendMessage")[-1].params)[0][0]["callback_data"]
    api.calls.clear()
    with Running(make_bot(tmp_path, api, sample_app)) as restarted:  # a new process: empty key map
        restarted.feed(callback_update(key))
        assert api.sent("sendMessage")[0].params["text"].startswith("<b>Thừa Thiên Huế 2024 · Mục V.2</b>")
        api.calls.clear()
        gone = callback_update("s:" + "0" * 20)
        restarted.feed(gone)
    assert api.payloads() == [("answerCallbackQuery", {"callback_query_id": gone["callback_query"]["id"],
                                                       "text": message("tg_section_gone"), "show_alert": True})]


def test_follow_up_uses_the_previous_question_and_moi_starts_afresh(tmp_path, api, sample_app):
    clock = FakeClock()
    application = make_bot(tmp_path, api, sample_app, clock=clock)

    def later() -> None:
        clock.now += 10

    feed(application, text_update(QUESTION), text_update("Còn năm 2025 thì sao?"), command_update("/moi"),
         text_update("Còn năm 2025 thì sao?"), between=later)
    answers = [c.params["text"] for c in api.sent("sendMessage")]
    assert len(answers) == 4
    assert "(Thừa Thiên Huế 2024 · Mục V.2)" in answers[0]
    # the follow-up resolved "năm 2025" against the Thừa Thiên Huế plan of the first question
    assert "(Thừa Thiên Huế 2025 · Mục V.2)" in answers[1] and "15/11/2025" in answers[1]
    assert answers[2] == escape(message("tg_new_conversation"))
    # after /moi the same words are a new question: no longer about the reporting deadline
    fresh = sample_app.assistant.ask("Còn năm 2025 thì sao?")
    assert answers[3] == answer_html(fresh, lambda source: sample_app.library.document(source).meta.short_name)
    assert "Mục V.2" not in answers[3]


def test_long_answer_is_split_at_paragraphs_with_buttons_under_the_last_part(tmp_path, api, sample_app):
    application = make_bot(tmp_path, api, sample_app)
    # Mục IV of Thừa Thiên Huế 2024 is about 20,000 characters: the longest verbatim section.
    target = ("thua-thien-hue-2024.txt", "IV")
    key = application.bot_data["planbot"].keys.key(*target)
    feed(application, callback_update(key))
    parts = [c.params["text"] for c in api.sent("sendMessage")]
    view = sample_app.library.section(*target)
    assert len(parts) >= 5
    for part in parts:
        assert len(part.encode("utf-16-le")) // 2 <= 4096
        assert part.count("<blockquote>") == part.count("</blockquote>") == 1
        assert "</blockquote>" not in part.split("<blockquote>", 1)[0]
    # nothing lost or reordered, and every cut falls at a line break of the section
    quoted = [p.split("<blockquote>", 1)[1].rsplit("</blockquote>", 1)[0] for p in parts]
    whole, position = escape(display_form(view.text.strip())), 0  # shown repaired: an OCR'd plan
    for piece in quoted:
        found = whole.index(piece, position)
        assert whole[position:found].strip() == ""
        position = found + len(piece)
        assert position == len(whole) or whole[position] == "\n"
    assert position == len(whole)


def test_unauthorised_user_gets_a_polite_refusal_and_nothing_else(tmp_path, api, sample_app, caplog):
    application = make_bot(tmp_path, api, sample_app, telegram_allowed_ids=f"{USER},{GROUP}")
    stranger_question = text_update(QUESTION, user=OTHER_USER)
    tap = callback_update("q:0", user=OTHER_USER)
    with Running(application) as bot:
        bot.feed(stranger_question, command_update("/kehoach", user=OTHER_USER), tap)
        refusal = escape(message("tg_not_allowed"))
        assert api.payloads() == [
            ("sendMessage", {"chat_id": OTHER_USER, "text": refusal, **HTML_DEFAULTS}),
            ("sendMessage", {"chat_id": OTHER_USER, "text": refusal, **HTML_DEFAULTS}),
            ("answerCallbackQuery", {"callback_query_id": tap["callback_query"]["id"],
                                     "text": message("tg_not_allowed"), "show_alert": True}),
        ]
        api.calls.clear()
        # a stranger inside an allowed group is let in by the group's id
        bot.feed(command_update("/kehoach", user=OTHER_USER, chat=GROUP))
    assert api.sent("sendMessage")[0].params["text"].startswith("<b>Các kế hoạch đang có (4):</b>")


def test_open_bot_warns_in_the_log(tmp_path, api, sample_app, caplog):
    with caplog.at_level(logging.WARNING, logger="bot.telegram"):
        make_bot(tmp_path, api, sample_app)
    assert any("ALLOWED_IDS is empty" in r.getMessage() for r in caplog.records)


def test_flood_of_twenty_messages_in_two_seconds(tmp_path, api, sample_app):
    clock = FakeClock()
    application = make_bot(tmp_path, api, sample_app, clock=clock, telegram_rate_seconds=3.0)

    def tick() -> None:
        clock.now += 0.1

    flood = [text_update(f"{QUESTION} ({n})") for n in range(20)]
    with Running(application) as bot:
        bot.feed(*flood, between=tick)
        sent = api.payloads("sendMessage")
        assert len(sent) == 2  # one answer, one "please wait"; the rest of the flood is dropped quietly
        assert "(Thừa Thiên Huế 2024 · Mục V.2)" in sent[0][1]["text"]
        assert sent[1] == ("sendMessage", {
            "chat_id": USER, "text": "Bạn hỏi hơi nhanh, vui lòng đợi 3 giây rồi gửi câu hỏi tiếp theo.",
            **HTML_DEFAULTS})
        # once the window has passed the user is answered again
        api.calls.clear()
        clock.now += 3.0
        bot.feed(text_update(QUESTION))
    assert "(Thừa Thiên Huế 2024 · Mục V.2)" in api.sent("sendMessage")[0].params["text"]


def test_flood_of_twenty_messages_in_two_seconds_while_polling(tmp_path, api, sample_app):
    """The same flood in real time through long polling, updates handled concurrently. The
    window is 30 s so that a slow machine still sees the whole flood inside it."""
    application = make_bot(tmp_path, api, sample_app, clock=time.monotonic, telegram_rate_seconds=30.0)
    flood = [text_update(f"{QUESTION} ({n})") for n in range(20)]

    def push_flood() -> None:
        for update in flood:
            api.push(update)
            time.sleep(0.1)

    async def go() -> None:
        async with application:
            await application.updater.start_polling(poll_interval=0.0, timeout=1)
            await application.start()
            await asyncio.to_thread(push_flood)
            await asyncio.to_thread(api.wait_for, lambda: api.confirmed >= flood[-1]["update_id"])
            await application.updater.stop()
            await application.stop()  # handles every update already fetched before it returns

    asyncio.run(go())
    texts = [c.params["text"] for c in api.sent("sendMessage")]
    assert len(texts) == 2, texts
    (answer,) = [t for t in texts if "(Thừa Thiên Huế 2024 · Mục V.2)" in t]
    (wait,) = [t for t in texts if t != answer]
    assert wait in {escape(message("tg_rate_limited", seconds=s)) for s in (29, 30)}
    assert "vui lòng đợi" in wait


def test_telegram_flood_limit_is_waited_out_and_retried(tmp_path, api, sample_app):
    api.fail("sendMessage", 429, retry_after=1)
    feed(make_bot(tmp_path, api, sample_app), command_update("/help"))
    first, second = api.sent("sendMessage")
    assert first.params == second.params
    assert second.at - first.at >= 0.9


def test_handler_exception_is_logged_with_update_id_and_the_user_is_told(tmp_path, api, caplog):
    class BrokenStore(InMemoryStore):
        def __init__(self) -> None:
            super().__init__()
            self.broken = False

        def snapshot(self):
            if self.broken:
                raise RuntimeError("disk unreadable")
            return super().snapshot()

    store = BrokenStore()
    app = build_app(make_settings(tmp_path), store=store, embedder=HashingEmbedder(), generator=None)
    app.ingestor.ingest_paths([SAMPLE_PLANS_DIR], progress=False)
    store.broken = True
    application = make_bot(tmp_path, api, app)
    question, plans = text_update(QUESTION), command_update("/kehoach")
    with caplog.at_level(logging.ERROR, logger="bot.telegram"):
        feed(application, question, plans, command_update("/start"))
    apology = ("sendMessage", {"chat_id": USER, "text": escape(message("tg_error")), **HTML_DEFAULTS})
    sent = api.payloads("sendMessage")
    assert sent[0] == apology and sent[1] == apology
    assert sent[2][1]["text"] == escape(message("tg_greeting", name="An"))  # the bot is still alive
    logged = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert [f"update {question['update_id']} failed" in logged[0].getMessage(),
            f"update {plans['update_id']} failed" in logged[1].getMessage()] == [True, True]
    assert "disk unreadable" in logged[0].getMessage()
    assert all(TOKEN not in r.getMessage() for r in caplog.records)


def test_missing_index_is_said_in_vietnamese(tmp_path, api):
    empty = build_app(make_settings(tmp_path), store=InMemoryStore(), embedder=HashingEmbedder(), generator=None)
    feed(make_bot(tmp_path, api, empty), text_update(QUESTION), command_update("/kehoach"))
    texts = [c.params["text"] for c in api.sent("sendMessage")]
    assert texts == [escape(message("no_index"))] * 2


def test_question_too_long_is_refused_politely(tmp_path, api, sample_app):
    too_long = "Báo cáo gửi về đâu? " * 150
    feed(make_bot(tmp_path, api, sample_app), text_update(too_long))
    assert api.payloads() == [("sendMessage", {
        "chat_id": USER, "text": escape(message("long_question", length=len(too_long.strip()), limit=2000)),
        **HTML_DEFAULTS})]


def test_group_chat_answers_only_when_mentioned_or_replied_to(tmp_path, api, sample_app):
    clock = FakeClock()
    application = make_bot(tmp_path, api, sample_app, clock=clock)
    mention = f"@{BOT_USERNAME} {QUESTION}"
    updates = [
        text_update(QUESTION, chat=GROUP),  # group talk: ignored
        text_update(mention, chat=GROUP, entities=[{"type": "mention", "offset": 0, "length": len(BOT_USERNAME) + 1}]),
        text_update("Còn năm 2025 thì sao?", chat=GROUP, reply_to_bot=True, user=OTHER_USER),
    ]
    feed(application, *updates, between=lambda: setattr(clock, "now", clock.now + 10))
    sent = api.payloads("sendMessage")
    assert len(sent) == 2
    assert sent[0][1]["reply_parameters"] == {"message_id": updates[1]["message"]["message_id"],
                                             "allow_sending_without_reply": True, "quote_parse_mode": "HTML"}
    assert "(Thừa Thiên Huế 2024 · Mục V.2)" in sent[0][1]["text"]
    assert "(Thừa Thiên Huế 2025 · Mục V.2)" in sent[1][1]["text"]  # follow-up within the group's chat


def test_plans_and_deadlines_lists(tmp_path, api, sample_app):
    feed(make_bot(tmp_path, api, sample_app), command_update("/kehoach"), command_update("/hanchot"))
    plans, deadlines = (c.params for c in api.sent("sendMessage"))
    assert plans["text"].split("\n") == [
        "<b>Các kế hoạch đang có (4):</b>",
        "• <b>Hưng Yên 2026</b>: Kế hoạch thông tin đối ngoại tỉnh Hưng Yên năm 2026",
        "• <b>Thừa Thiên Huế 2024</b>: Kế hoạch thực hiện công tác thông tin đối ngoại trong tình hình mới "
        "trên địa bàn tỉnh Thừa Thiên Huế năm 2024",
        "• <b>Thừa Thiên Huế 2025</b>: Kế hoạch thực hiện công tác thông tin đối ngoại trong tình hình mới "
        "trên địa bàn tỉnh Thừa Thiên Huế năm 2025",
        "• <b>Vĩnh Phúc 2024</b>: Kế hoạch thông tin đối ngoại số 4155/KH-UBND của UBND tỉnh Vĩnh Phúc năm 2024"
        " (số 4155/KH-UBND)",
    ]
    text = deadlines["text"]
    assert text.startswith("<b>Các hạn chót sắp tới (từ 01/01/2024):</b>\n\n• <b>15/11/2024</b> · "
                           "Thừa Thiên Huế 2024 · Mục V.2: Các cơ quan, đơn vị, địa phương gửi báo cáo về "
                           "Sở Thông tin và Truyền thông trước ngày 15/11/2024")
    assert text.index("15/11/2024") < text.index("15/11/2025") < text.index("01/12/2026")
    rows = button(deadlines)
    assert rows[0][0]["text"] == "Xem nguyên văn Mục V.2 (Thừa Thiên Huế 2024)"


def test_deadlines_after_the_last_date_of_the_register(tmp_path, api, sample_app):
    settings = make_settings(tmp_path, telegram_token=TOKEN, telegram_api_url=api.url)
    last = max(r.due_date for r in sample_app.register.records() if r.due_date)
    after = dt.date.fromisoformat(last) + dt.timedelta(days=1)
    feed(build_bot(settings, sample_app, today=lambda: after), command_update("/hanchot"))
    assert api.payloads() == [("sendMessage", {
        "chat_id": USER, "text": escape(message("tg_deadlines_none", today=after.strftime("%d/%m/%Y"))),
        **HTML_DEFAULTS})]


def test_plan_text_with_markup_characters_is_escaped(tmp_path, api):
    plan = ("ỦY BAN NHÂN DÂN TỈNH THỪA THIÊN HUẾ\nKẾ HOẠCH\nThông tin đối ngoại năm 2030\n"
            "I. MỤC ĐÍCH\n1. Tuyên truyền <b>đối ngoại</b> & \"hội nhập\" quốc tế.\n"
            "II. TỔ CHỨC THỰC HIỆN\n1. Sở Thông tin & Truyền thông tổng hợp báo cáo <gửi> UBND tỉnh "
            "trước ngày 15/11/2030.\n")
    app = build_app(make_settings(tmp_path), store=InMemoryStore(), embedder=HashingEmbedder(), generator=None)
    assert not app.ingestor.ingest_texts({"markup-2030.txt": plan}).errors
    with Running(make_bot(tmp_path, api, app)) as bot:
        bot.feed(text_update("Báo cáo <gửi> UBND tỉnh trước ngày nào theo kế hoạch năm 2030?"))
        answer = api.sent("sendMessage")[0].params
        assert "&lt;gửi&gt;" in answer["text"] and "Sở Thông tin &amp; Truyền thông" in answer["text"]
        assert "<gửi>" not in answer["text"]
        key = button(answer)[0][0]["callback_data"]
        api.calls.clear()
        bot.feed(callback_update(key))
    section = api.sent("sendMessage")[0].params["text"]
    assert "&lt;gửi&gt;" in section and "&amp;" in section and "<b>đối ngoại</b>" not in section


# --- streaming with an LLM ---------------------------------------------------------------------
class PacedGenerator:
    """A deterministic LLM: cites the evidence block that holds the deadline, one word every
    `delay` seconds (so the bot's edit pacing can be observed)."""

    name = "paced-test-model"
    num_ctx = 8192

    def __init__(self, delay: float = 0.1, sentences: int = 1) -> None:
        self.delay = delay
        self.sentences = sentences

    def _reply(self, messages: list[dict]) -> str:
        user = messages[-1]["content"]
        blocks = user.split("\n[")
        number = next(int(b.split("]", 1)[0]) for b in blocks[1:] if "15/11/2024" in b)
        first = f"Các cơ quan gửi báo cáo về Sở Thông tin và Truyền thông trước ngày 15/11/2024 [{number}]."
        more = " Sở Thông tin và Truyền thông tổng hợp báo cáo trình Ủy ban nhân dân tỉnh [" + str(number) + "]."
        return first + more * (self.sentences - 1)

    def stream(self, messages: list[dict]) -> Iterator[str]:
        words = self._reply(messages).split(" ")
        for i, word in enumerate(words):
            time.sleep(self.delay)
            yield word if i == 0 else " " + word

    def generate(self, messages: list[dict]) -> str:
        return self._reply(messages)

    def health(self) -> dict[str, object]:
        return {"ok": True}


class SwitchableGenerator:
    """The generator of one module-wide app (a fresh app spends seconds building its obligations
    register): each test says which generator stands behind it."""

    num_ctx = 8192

    def __init__(self) -> None:
        self.target: object | None = None

    @property
    def name(self) -> str:
        return self.target.name  # type: ignore[union-attr]

    def stream(self, messages: list[dict]) -> Iterator[str]:
        return self.target.stream(messages)  # type: ignore[union-attr]

    def generate(self, messages: list[dict]) -> str:
        return self.target.generate(messages)  # type: ignore[union-attr]

    def health(self) -> dict[str, object]:
        return self.target.health()  # type: ignore[union-attr]


@pytest.fixture(scope="module")
def llm_app(tmp_path_factory) -> tuple[App, SwitchableGenerator]:
    switch = SwitchableGenerator()
    app = build_app(make_settings(tmp_path_factory.mktemp("llm"), llm="ollama"), store=InMemoryStore(),
                    embedder=HashingEmbedder(), generator=switch)
    app.ingestor.ingest_paths([SAMPLE_PLANS_DIR], progress=False)
    return app, switch


@pytest.fixture
def with_llm(llm_app) -> Iterator[Callable[[object], App]]:
    app, switch = llm_app

    def use(generator: object) -> App:
        switch.target = generator
        return app

    yield use
    switch.target = None


def test_llm_answer_streams_into_one_message_edited_at_most_once_a_second(tmp_path, api, with_llm):
    app = with_llm(PacedGenerator(delay=0.12))
    feed(make_bot(tmp_path, api, app, telegram_edit_seconds=1.0), text_update(QUESTION))
    sends, edits = api.sent("sendMessage"), api.sent("editMessageText")
    assert len(sends) == 1 and len(edits) >= 1
    preview_id = int(edits[0].params["message_id"])
    assert sends[0].params["text"].endswith(" …")  # the first words, shown while the model writes
    assert all(int(e.params["message_id"]) == preview_id for e in edits)
    times = [sends[0].at] + [e.at for e in edits]
    assert all(b - a >= 0.95 for a, b in zip(times, times[1:], strict=False)), times
    final = edits[-1].params
    assert final["text"].startswith("Các cơ quan gửi báo cáo về Sở Thông tin và Truyền thông trước ngày "
                                    "15/11/2024 (Thừa Thiên Huế 2024 · Mục V.2).\n\n<b>Nguồn</b>\n1. ")
    assert button(final) == [[{"text": "Xem nguyên văn Mục V.2",
                               "callback_data": button(final)[0][0]["callback_data"]}]]
    assert all("reply_markup" not in e.params for e in edits[:-1])


class SlowedStream:
    """A real generator whose pieces each come `delay` seconds after the one before, like a
    model writing at reading speed (FakeOllama sends its whole reply at once)."""

    def __init__(self, inner: object, delay: float) -> None:
        self.inner = inner
        self.delay = delay
        self.name = inner.name  # type: ignore[attr-defined]

    def stream(self, messages: list[dict]) -> Iterator[str]:
        for piece in self.inner.stream(messages):  # type: ignore[attr-defined]
            time.sleep(self.delay)
            yield piece

    def generate(self, messages: list[dict]) -> str:
        return self.inner.generate(messages)  # type: ignore[attr-defined]

    def health(self) -> dict[str, object]:
        return self.inner.health()  # type: ignore[attr-defined]


def test_answer_from_fake_ollama_streams_by_edits_then_gets_citations_and_buttons(tmp_path, api, with_llm):
    from rag.llm import OllamaGenerator

    with FakeOllama(PacedGenerator(delay=0.0).generate) as ollama:
        app = with_llm(SlowedStream(OllamaGenerator(ollama.url, "qwen2.5:7b-instruct", timeout=5.0), 0.15))
        feed(make_bot(tmp_path, api, app, telegram_edit_seconds=1.0), text_update(QUESTION))
    (chat,) = [r for r in ollama.requests if "messages" in r]
    assert chat["model"] == "qwen2.5:7b-instruct" and chat.get("stream", True) is True
    assert "15/11/2024" in chat["messages"][-1]["content"]  # the evidence went to the model
    calls = api.sent("sendMessage", "editMessageText")
    preview, edits = calls[0], calls[1:]
    assert preview.method == "sendMessage" and len(edits) >= 1
    assert all(c.method == "editMessageText" for c in edits)  # one message, edited in place
    assert preview.params["text"].startswith("Các") and preview.params["text"].endswith(" …")
    assert len({int(e.params["message_id"]) for e in edits}) == 1
    # the words so far, growing, and never a raw [n] marker
    shown = [c.params["text"] for c in [preview, *edits[:-1]]]
    assert len(shown) >= 2 and all(t.endswith(" …") and "[" not in t for t in shown)
    assert all(len(a) < len(b) for a, b in zip(shown, shown[1:], strict=False)), shown
    times = [c.at for c in calls]
    assert all(b - a >= 0.95 for a, b in zip(times, times[1:], strict=False)), times
    final = edits[-1].params
    assert final["text"] == ("Các cơ quan gửi báo cáo về Sở Thông tin và Truyền thông trước ngày 15/11/2024 "
                             "(Thừa Thiên Huế 2024 · Mục V.2).\n\n<b>Nguồn</b>\n1. <b>Thừa Thiên Huế 2024 · "
                             "Mục V.2</b>\n<blockquote expandable>" + final["text"].split("expandable>", 1)[1])
    assert "15/11/2024" in final["text"].split("<blockquote expandable>", 1)[1]
    assert button(final) == [[{"text": "Xem nguyên văn Mục V.2", "callback_data": button(final)[0][0]["callback_data"]}]]
    assert all("reply_markup" not in e.params for e in edits[:-1])


def test_ollama_breaking_mid_stream_turns_the_preview_into_the_extractive_answer(tmp_path, api, sample_app,
                                                                                with_llm):
    from rag.llm import OllamaGenerator

    with FakeOllama(PacedGenerator(delay=0.0).generate, behaviour="malformed") as ollama:
        app = with_llm(SlowedStream(OllamaGenerator(ollama.url, "qwen2.5:7b-instruct", timeout=5.0), 0.15))
        feed(make_bot(tmp_path, api, app, telegram_edit_seconds=0.5), text_update(QUESTION))
    expected, _ = sample_answer_html(sample_app, QUESTION)
    calls = api.sent("sendMessage", "editMessageText")
    assert calls[0].method == "sendMessage" and calls[0].params["text"].startswith("Các")  # the model began
    assert [c.method for c in calls[1:]] == ["editMessageText"] * (len(calls) - 1) and len(calls) >= 2
    final = calls[-1].params
    line = escape(message("llm_fallback", reason=message("llm_malformed")))
    assert final["text"] == f"<i>{line}</i>\n\n{expected}"
    assert button(final)[0][0]["text"] == "Xem nguyên văn Mục V.2"


def test_long_llm_answer_edits_the_preview_then_sends_the_rest(tmp_path, api, with_llm):
    app = with_llm(PacedGenerator(delay=0.0, sentences=60))
    feed(make_bot(tmp_path, api, app, telegram_edit_seconds=0.2), text_update(QUESTION))
    edits, sends = api.sent("editMessageText"), api.sent("sendMessage")
    # with a preview, the final edit of it is the first part; without one, every part is sent
    parts = [edits[-1].params, *(c.params for c in sends[1:])] if edits else [c.params for c in sends]
    assert len(parts) >= 2
    assert all(len(p["text"].encode("utf-16-le")) // 2 <= 4096 for p in parts)
    assert all("reply_markup" not in p for p in parts[:-1]) and button(parts[-1])
    # the cut falls at a sentence end, so no label is torn apart
    assert parts[0]["text"].endswith("(Thừa Thiên Huế 2024 · Mục V.2).")


class BreaksAfterWords(PacedGenerator):
    """Writes its first words, then fails with an error nothing in the answer path expects."""

    def stream(self, messages: list[dict]) -> Iterator[str]:
        for number, word in enumerate(super().stream(messages)):
            if number == 6:
                raise RuntimeError("verifier state lost")
            yield word


def test_failure_after_the_preview_turns_the_preview_into_the_apology(tmp_path, api, with_llm, caplog):
    app = with_llm(BreaksAfterWords(delay=0.05))
    update = text_update(QUESTION)
    with caplog.at_level(logging.ERROR, logger="bot.telegram"):
        feed(make_bot(tmp_path, api, app, telegram_edit_seconds=0.1), update)
    sends, edits = api.sent("sendMessage"), api.sent("editMessageText")
    assert len(sends) == 1 and sends[0].params["text"].startswith("Các")  # the preview, and nothing sent after
    apology = edits[-1].params
    assert apology["text"] == escape(message("tg_error"))
    assert len({int(e.params["message_id"]) for e in edits}) == 1  # every edit went to the preview
    (logged,) = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert f"update {update['update_id']} failed: RuntimeError: verifier state lost" in logged.getMessage()


@pytest.mark.parametrize(("behaviour", "notice"), [("down", "llm_down"), ("slow", "llm_timeout")])
def test_ollama_down_or_slow_falls_back_to_extractive_and_says_so_in_one_line(tmp_path, api, sample_app,
                                                                           with_llm, behaviour, notice):
    from rag.llm import OllamaGenerator

    with FakeOllama(lambda messages: "không kịp", behaviour="slow", delay=3.0) as slow:
        url = slow.url if behaviour == "slow" else f"http://127.0.0.1:{free_port()}"
        app = with_llm(OllamaGenerator(url, "qwen2.5:7b-instruct", timeout=1.0))
        feed(make_bot(tmp_path, api, app, telegram_edit_seconds=0.0), text_update(QUESTION))
    expected, _ = sample_answer_html(sample_app, QUESTION)
    assert api.payloads()[0] == ("sendChatAction", {"chat_id": USER, "action": "typing"})
    # one message: the extractive text never showed as a preview first
    (answer,) = api.payloads("sendMessage", "editMessageText")
    assert answer[0] == "sendMessage"
    line = escape(message("llm_fallback", reason=message(notice)))
    assert line.endswith("; câu trả lời dưới đây được trích nguyên văn từ kế hoạch.")
    assert answer[1]["text"] == f"<i>{line}</i>\n\n{expected}"
    assert button(answer[1])[0][0]["text"] == "Xem nguyên văn Mục V.2"


# --- running: long polling, webhook, CLI -------------------------------------------------------
def test_long_polling_end_to_end(tmp_path, api, sample_app):
    application = make_bot(tmp_path, api, sample_app)
    api.push(command_update("/start"))
    api.push(text_update(QUESTION))

    async def go() -> None:
        async with application:
            await application.updater.start_polling(poll_interval=0.0, timeout=1)
            await application.start()
            await asyncio.to_thread(api.wait_for, lambda: len(api.sent("sendMessage")) >= 2)
            await application.updater.stop()
            await application.stop()

    asyncio.run(go())
    texts = [c.params["text"] for c in api.sent("sendMessage")]
    assert texts[0] == escape(message("tg_greeting", name="An"))
    assert "(Thừa Thiên Huế 2024 · Mục V.2)" in texts[1]


def test_webhook_checks_telegrams_secret_token(tmp_path, api, sample_app):
    port = free_port()
    settings = make_settings(tmp_path, telegram_token=TOKEN, telegram_api_url=api.url,
                             telegram_webhook_url=f"https://bot.example.org/tg/{port}",
                             telegram_webhook_secret="s3cret-Token_1", telegram_webhook_port=port)
    options = webhook_options(settings)
    assert options["url_path"] == f"tg/{port}" and options["listen"] == "127.0.0.1"
    application = build_bot(settings, sample_app)
    update = json.dumps(command_update("/start")).encode()

    def post(secret: str | None) -> int:
        request = urllib.request.Request(f"http://127.0.0.1:{port}/tg/{port}", data=update, method="POST",
                                         headers={"Content-Type": "application/json"})
        if secret is not None:
            request.add_header("X-Telegram-Bot-Api-Secret-Token", secret)
        try:
            with urllib.request.urlopen(request, timeout=5) as response:
                return response.status
        except HTTPError as exc:
            return exc.code

    async def go() -> list[int]:
        async with application:
            await application.updater.start_webhook(**options)
            await application.start()
            codes = [await asyncio.to_thread(post, None), await asyncio.to_thread(post, "wrong"),
                     await asyncio.to_thread(post, "s3cret-Token_1")]
            await asyncio.to_thread(api.wait_for, lambda: bool(api.sent("sendMessage")))
            await application.updater.stop()
            await application.stop()
            return codes

    codes = asyncio.run(go())
    assert codes == [403, 403, 200]
    set_webhook = [c.params for c in api.calls if c.method == "setWebhook"]
    assert set_webhook[0]["url"] == f"https://bot.example.org/tg/{port}"
    assert set_webhook[0]["secret_token"] == "s3cret-Token_1"
    assert len(api.sent("sendMessage")) == 1  # only the update with the right secret was answered


def test_webhook_without_a_secret_is_refused(tmp_path, capsys, sample_app):
    settings = make_settings(tmp_path, telegram_token=TOKEN, telegram_webhook_url="https://bot.example.org/tg")
    assert run_bot(sample_app, settings) == 2
    assert "PLANBOT_TELEGRAM_WEBHOOK_SECRET" in capsys.readouterr().err


def test_run_bot_without_a_token_exits_2(tmp_path, capsys, sample_app):
    assert run_bot(sample_app, make_settings(tmp_path)) == 2
    err = capsys.readouterr().err
    assert "PLANBOT_TELEGRAM_TOKEN" in err and "Chưa đặt mã bot Telegram" in err


def test_run_bot_with_a_rejected_token_exits_2(tmp_path, capsys, api, sample_app, caplog):
    settings = make_settings(tmp_path, telegram_token="999:wrong", telegram_api_url=api.url)
    with caplog.at_level(logging.INFO):
        assert run_bot(sample_app, settings) == 2
    assert "Telegram từ chối mã bot" in capsys.readouterr().err
    assert not any(r.exc_info for r in caplog.records)  # the one line, no traceback above it


def test_run_bot_with_telegram_unreachable_exits_1(tmp_path, capsys, sample_app, caplog):
    url = f"http://127.0.0.1:{free_port()}/bot"
    settings = make_settings(tmp_path, telegram_token=TOKEN, telegram_api_url=url)
    with caplog.at_level(logging.INFO):
        assert run_bot(sample_app, settings) == 1
    err = capsys.readouterr().err
    assert f"Không kết nối được tới Telegram ({url})" in err and TOKEN not in err
    assert len(err.strip().splitlines()) == 1  # the one Vietnamese line
    # python-telegram-bot's traceback is not in the log at INFO and above ...
    assert [r for r in caplog.records if r.levelno >= logging.WARNING and r.name.startswith("telegram")] == []
    assert not any(r.exc_info for r in caplog.records)
    # ... but is there for whoever turns on debug logging
    caplog.clear()
    with caplog.at_level(logging.DEBUG):
        assert run_bot(sample_app, settings) == 1
    (traced,) = [r for r in caplog.records if r.exc_info]
    assert traced.levelno == logging.DEBUG and "ConnectError" in caplog.text
    assert TOKEN not in caplog.text.split("Set Bot API")[0]


def test_bad_allowed_ids_are_a_configuration_error(tmp_path, capsys, sample_app):
    settings = make_settings(tmp_path, telegram_token=TOKEN, telegram_allowed_ids="111,@someone")
    assert run_bot(sample_app, settings) == 2
    assert "@someone" in capsys.readouterr().err



@pytest.mark.slow
def test_planbot_bot_command_polls_answers_and_stops_on_sigterm(tmp_path, api):
    env = {k: v for k, v in os.environ.items() if not k.startswith("PLANBOT_")}
    env |= {"PLANBOT_DATA_DIR": str(tmp_path / "data"), "PLANBOT_LLM": "none", "HF_HUB_OFFLINE": "1",
            "PLANBOT_TELEGRAM_TOKEN": TOKEN, "PLANBOT_TELEGRAM_API_URL": api.url,
            "PLANBOT_TELEGRAM_ALLOWED_IDS": str(USER)}
    api.push(text_update(QUESTION))
    process = subprocess.Popen([sys.executable, "-m", "bot.cli", "-v", "bot"], env=env, cwd=tmp_path,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        api.wait_for(lambda: bool(api.sent("sendMessage")), timeout=120)
    finally:
        process.send_signal(signal.SIGTERM)
        _, err = process.communicate(timeout=60)
    assert process.returncode == 0, err
    assert "(Thừa Thiên Huế 2024 · Mục V.2)" in api.sent("sendMessage")[0].params["text"]
    commands = [c.params for c in api.calls if c.method == "setMyCommands"]
    assert [c["command"] for c in commands[0]["commands"]] == ["start", "help", "kehoach", "hanchot", "lichhan",
                                                            "theodoi", "bothoi", "moi"]
    assert TOKEN not in err and TOKEN.split(":")[1] not in err  # the token never reaches the log


def test_planbot_bot_without_a_token_exits_2(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("PLANBOT_")}
    env |= {"PLANBOT_DATA_DIR": str(tmp_path / "data"), "PLANBOT_LLM": "none", "HF_HUB_OFFLINE": "1"}
    result = subprocess.run([sys.executable, "-m", "bot.cli", "bot"], env=env, cwd=tmp_path, capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 2
    assert "PLANBOT_TELEGRAM_TOKEN" in result.stderr


@pytest.mark.parametrize("kind", ["too-long", "kehoach", "button"])
def test_every_kind_of_flood_costs_at_most_the_documented_replies(tmp_path, api, sample_app, kind):
    """Issue 24 #6: over-long questions, commands and buttons count against the flood limit."""
    clock = FakeClock()
    application = make_bot(tmp_path, api, sample_app, clock=clock, telegram_rate_seconds=3.0)
    make = {"too-long": lambda: text_update("Báo cáo gửi về đâu? " * 150),
            "kehoach": lambda: command_update("/kehoach"),
            "button": lambda: callback_update("s:" + "0" * 20)}[kind]
    with Running(application) as bot:
        bot.feed(*[make() for _ in range(20)], between=lambda: setattr(clock, "now", clock.now + 0.1))
    replies = [c for c in api.calls if c.method == "sendMessage"
               or (c.method == "answerCallbackQuery" and c.params.get("text"))]
    assert len(replies) <= (2 if kind == "too-long" else 4), [c.method for c in replies]

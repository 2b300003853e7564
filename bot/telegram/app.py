"""Wiring the bot into a python-telegram-bot Application, and `planbot bot` (polling or webhook)."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import re
import sys
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import urlparse

from telegram import (
    LinkPreviewOptions,
    Update,
)
from telegram.constants import ParseMode
from telegram.error import InvalidToken, NetworkError
from telegram.ext import (
    AIORateLimiter,
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    Defaults,
    MessageHandler,
    TypeHandler,
    filters,
)

from bot.telegram.handlers import PlanBot
from bot.telegram.state import ALLOWED_UPDATES, CONTEXT_TYPES, REMINDER_JOB
from planbot.factory import App
from planbot.settings import Settings
from rag.conversation import ConversationStore
from rag.prompts import message

log = logging.getLogger(__name__)

_SECRET_TOKEN = re.compile(r"^[A-Za-z0-9_-]{1,256}$")  # what Telegram accepts as a webhook secret


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
    app.warm_up()
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

"""The Telegram bot: officials ask about the plans from their phones.

`build_bot(settings, app)` wires a python-telegram-bot `Application` around the answering
service; handlers stay thin. `run_bot(app)` is what `planbot bot` runs (long polling, or a
webhook when PLANBOT_TELEGRAM_WEBHOOK_URL is set).
"""

import os

# python-telegram-bot 22.2+ warns on every flood limit (RetryAfter) until durations are opted in
# to `datetime.timedelta`; the bot reads no duration as a number, so take the future behaviour now.
# Set here, before any module of this package imports python-telegram-bot.
os.environ.setdefault("PTB_TIMEDELTA", "1")

from bot.telegram.app import build_bot, run_bot, webhook_options  # noqa: E402
from bot.telegram.handlers import PlanBot  # noqa: E402
from bot.telegram.keys import SectionKeys  # noqa: E402
from bot.telegram.state import ALLOWED_UPDATES, REMINDER_JOB, ChatState, UserState, parse_allowed_ids  # noqa: E402

__all__ = ["ALLOWED_UPDATES", "REMINDER_JOB", "ChatState", "PlanBot", "SectionKeys", "UserState", "build_bot",
           "parse_allowed_ids", "run_bot", "webhook_options"]

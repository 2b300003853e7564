"""Deadline reminders on Telegram: /theodoi, /bothoi, /lichhan and the repeating reminder job,
against the fake Bot API of tests/test_telegram.py and a frozen clock."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from zoneinfo import ZoneInfo

import pytest

from bot.reminders import ReminderStore
from bot.render.telegram import escape
from bot.telegram import REMINDER_JOB, build_bot
from index.embedders import HashingEmbedder
from index.store import InMemoryStore
from planbot.factory import App, build_app
from rag.prompts import message
from tests.conftest import make_settings
from tests.test_telegram import GROUP, TOKEN, USER, FakeBotApi, Running, command_update

pytestmark = pytest.mark.network  # a fake Bot API on 127.0.0.1
VN = ZoneInfo("Asia/Ho_Chi_Minh")
TTTT = "Sở Thông tin và Truyền thông"
SO_TC = "Sở Tài chính"
PLAN = """ỦY BAN NHÂN DÂN TỈNH AN GIANG
KẾ HOẠCH
Chuyển đổi số năm 2030
I. MỤC ĐÍCH
1. Đẩy mạnh chuyển đổi số trong cơ quan nhà nước.
II. TỔ CHỨC THỰC HIỆN
1. Sở Tài chính
Chủ trì bố trí kinh phí thực hiện Kế hoạch; báo cáo quý gửi Ủy ban nhân dân tỉnh trước ngày 15 của tháng cuối quý.
2. Sở Thông tin và Truyền thông
Tổng hợp kết quả thực hiện, báo cáo UBND tỉnh trước ngày 10/12/2030.
"""


class FrozenNow:
    def __init__(self, when: dt.datetime) -> None:
        self.when = when

    def __call__(self) -> dt.datetime:
        return self.when


@pytest.fixture
def api() -> Iterator[FakeBotApi]:
    with FakeBotApi() as fake:
        yield fake


@pytest.fixture(scope="module")
def plan_app(tmp_path_factory) -> App:
    app = build_app(make_settings(tmp_path_factory.mktemp("plan")), store=InMemoryStore(),
                    embedder=HashingEmbedder(), generator=None)
    assert not app.ingestor.ingest_texts({"an-giang-2030.txt": PLAN}).errors
    return app


def make(tmp_path, api: FakeBotApi, app: App, now: FrozenNow, **overrides):
    settings = make_settings(tmp_path, telegram_token=TOKEN, telegram_api_url=api.url, **overrides)
    return build_bot(settings, app, now=now)


def texts(api: FakeBotApi) -> list[tuple[int, str]]:
    return [(int(c.params["chat_id"]), c.params["text"]) for c in api.sent("sendMessage")]


def run_job(running: Running) -> int:
    planbot = running.application.bot_data["planbot"]
    return running.loop.run_until_complete(planbot.send_reminders(running.application.bot))


def test_follow_replies_in_vietnamese_and_persists(tmp_path, api, plan_app):
    now = FrozenNow(dt.datetime(2030, 12, 1, 9, 0, tzinfo=VN))
    with Running(make(tmp_path, api, plan_app, now)) as bot:
        bot.feed(command_update("/theodoi Sở TT&TT"), command_update("/theodoi sở thông tin và truyền thông"))
    ok, again = texts(api)
    assert ok == (USER, escape(message("tg_follow_ok", agency=TTTT, hour=8, count=1)))
    assert "7 ngày và 1 ngày trước hạn" in ok[1]
    assert again == (USER, escape(message("tg_follow_already", agency=TTTT)))
    stored = json.loads((tmp_path / "data" / "telegram" / "reminders.json").read_text(encoding="utf-8"))
    assert stored["chats"] == {str(USER): {"agencies": [TTTT], "sent": {}}}
    assert not list((tmp_path / "data" / "telegram").glob("*.tmp"))  # the atomic write left no temporary file


def test_ambiguous_unknown_and_empty_agency_are_said(tmp_path, api, plan_app):
    now = FrozenNow(dt.datetime(2030, 12, 1, 9, 0, tzinfo=VN))
    with Running(make(tmp_path, api, plan_app, now)) as bot:
        bot.feed(command_update("/theodoi Sở Văn hóa"), command_update("/theodoi Tổng cục Tài chính"),
                 command_update("/theodoi"))
    vague, unknown, usage = (text for _, text in texts(api))
    assert vague.startswith("&quot;Sở Văn hóa&quot; có thể là nhiều cơ quan: ")
    assert "Sở Văn hóa và Thể thao" in vague and "Sở Văn hóa, Thể thao và Du lịch" in vague
    assert unknown.startswith("Không tìm thấy cơ quan &quot;Tổng cục Tài chính&quot;") and SO_TC in unknown
    assert usage == escape(message("tg_follow_usage"))
    assert ReminderStore(tmp_path / "data" / "telegram" / "reminders.json").chats() == {}


def test_schedule_lists_the_next_30_days_with_citations(tmp_path, api, plan_app):
    now = FrozenNow(dt.datetime(2030, 11, 20, 10, 0, tzinfo=VN))
    with Running(make(tmp_path, api, plan_app, now)) as bot:
        bot.feed(command_update("/lichhan"), command_update("/theodoi Sở TT&TT"), command_update("/lichhan"))
    everything, _, followed = api.sent("sendMessage")
    lines = everything.params["text"].split("\n\n")
    assert lines[0] == "<b>Các hạn từ 20/11/2030 đến 20/12/2030 trong các kế hoạch đang có:</b>"
    assert lines[1] == ("• <b>10/12/2030</b> · An Giang 2030 · Mục II.2: Sở Thông tin và Truyền thông gửi báo cáo "
                        "về Ủy ban nhân dân tỉnh trước ngày 10/12/2030.")
    assert lines[2].startswith("• <b>15/12/2030</b> · An Giang 2030 · Mục II.1: ")
    assert lines[2].endswith("<i>(định kỳ: hằng quý)</i>")
    assert lines[-1] == f"<i>{escape(message('tg_schedule_hint'))}</i>"
    assert [row[0]["text"] for row in everything.params["reply_markup"]["inline_keyboard"]] == [
        "Xem nguyên văn Mục II.2 (An Giang 2030)", "Xem nguyên văn Mục II.1 (An Giang 2030)"]
    assert followed.params["text"].split("\n\n") == [
        f"<b>Các hạn từ 20/11/2030 đến 20/12/2030 của {TTTT}:</b>", lines[1]]


def test_unfollow_one_or_all(tmp_path, api, plan_app):
    now = FrozenNow(dt.datetime(2030, 12, 1, 9, 0, tzinfo=VN))
    # six commands in a row: the flood limit (tested in test_telegram.py) is not what this tests
    with Running(make(tmp_path, api, plan_app, now, telegram_rate_seconds=0)) as bot:
        bot.feed(command_update("/bothoi"), command_update("/theodoi Sở TT&TT"), command_update("/theodoi Sở Tài chính"),
                 command_update("/bothoi Sở Y tế"), command_update("/bothoi Sở TT&TT"), command_update("/bothoi"))
    replies = [text for _, text in texts(api)]
    assert replies[0] == escape(message("tg_unfollow_nothing"))
    assert replies[3] == escape(message("tg_unfollow_not_followed", text="Sở Y tế", agencies=f"{TTTT}; {SO_TC}"))
    assert replies[4] == escape(message("tg_unfollow_one", agency=TTTT))
    assert replies[5] == escape(message("tg_unfollow_all", agencies=SO_TC))


def test_reminders_7_days_and_1_day_before_once_after_the_morning_hour_across_a_restart(tmp_path, api, plan_app):
    now = FrozenNow(dt.datetime(2030, 12, 3, 7, 59, tzinfo=VN))  # 7 days before 10/12, before 8 o'clock
    with Running(make(tmp_path, api, plan_app, now)) as bot:
        bot.feed(command_update("/theodoi Sở TT&TT"), command_update("/theodoi Sở Tài chính", user=USER, chat=GROUP))
        api.calls.clear()
        assert run_job(bot) == 0  # too early in the morning
        now.when = now.when.replace(hour=8, minute=0)
        assert run_job(bot) == 1
        assert run_job(bot) == 0  # once
    (chat, text), = texts(api)
    assert chat == USER
    assert text.split("\n") == [
        "<b>⏰ Nhắc hạn: còn 7 ngày, hạn 10/12/2030</b>",
        "Sở Thông tin và Truyền thông gửi báo cáo về Ủy ban nhân dân tỉnh trước ngày 10/12/2030.",
        f"Cơ quan theo dõi: {TTTT} (thực hiện)",
        "Nguồn: An Giang 2030 · Mục II.2",
        "<blockquote expandable>2. Sở Thông tin và Truyền thông Tổng hợp kết quả thực hiện, báo cáo UBND tỉnh "
        "trước ngày 10/12/2030.</blockquote>"]
    assert api.sent("sendMessage")[0].params["reply_markup"]["inline_keyboard"][0][0]["text"] == "Xem nguyên văn Mục II.2"

    # a restart: subscriptions and sent reminders come back from the data dir
    api.calls.clear()
    now.when = dt.datetime(2030, 12, 9, 9, 30, tzinfo=VN)
    with Running(make(tmp_path, api, plan_app, now)) as bot:
        assert run_job(bot) == 2
        assert run_job(bot) == 0
    second, first = texts(api)  # chats in id order: the group's (negative id) first
    assert first[0] == USER and first[1].startswith("<b>⏰ Nhắc hạn: ngày mai (10/12/2030) là hạn</b>\n")
    assert second[0] == GROUP and second[1].startswith("<b>⏰ Nhắc hạn: còn 6 ngày, hạn 15/12/2030</b>\n")
    assert "<i>định kỳ: hằng quý</i>" in second[1] and "Nguồn: An Giang 2030 · Mục II.1" in second[1]

    api.calls.clear()
    now.when = dt.datetime(2030, 12, 14, 8, 0, tzinfo=VN)
    with Running(make(tmp_path, api, plan_app, now)) as bot:
        assert run_job(bot) == 1
        now.when = dt.datetime(2031, 3, 8, 8, 0, tzinfo=VN)  # the plan covers 2030 only: no quarter of 2031
        assert run_job(bot) == 0
    (group_reminder,) = texts(api)
    assert group_reminder[0] == GROUP and "ngày mai (15/12/2030) là hạn" in group_reminder[1]
    stored = json.loads((tmp_path / "data" / "telegram" / "reminders.json").read_text(encoding="utf-8"))
    assert stored["chats"][str(GROUP)]["sent"] == {}  # past dates are forgotten


def test_a_chat_that_blocked_the_bot_does_not_stop_the_others(tmp_path, api, plan_app):
    now = FrozenNow(dt.datetime(2030, 12, 9, 9, 0, tzinfo=VN))
    with Running(make(tmp_path, api, plan_app, now)) as bot:
        bot.feed(command_update("/theodoi Sở TT&TT"), command_update("/theodoi Sở Tài chính", user=USER, chat=GROUP))
        api.calls.clear()
        api.fail("sendMessage", code=403, retry_after=None)
        assert run_job(bot) == 1
        assert run_job(bot) == 1  # the failed one is tried again at the next check
    assert [chat for chat, _ in texts(api)] == [GROUP, USER, GROUP]  # the first call was refused


def test_reminder_hour_and_check_interval_come_from_settings(tmp_path, api, plan_app):
    now = FrozenNow(dt.datetime(2030, 12, 3, 9, 0, tzinfo=VN))
    application = make(tmp_path, api, plan_app, now, telegram_reminder_hour=10,
                       telegram_reminder_check_seconds=120)
    (job,) = application.job_queue.jobs()
    assert job.name == REMINDER_JOB and job.trigger.interval == dt.timedelta(seconds=120)
    with Running(application) as bot:
        bot.feed(command_update("/theodoi Sở TT&TT"))
        assert run_job(bot) == 0
        now.when = now.when.replace(hour=10)
        assert run_job(bot) == 1


def test_an_unreadable_state_file_is_kept_aside_and_the_bot_starts(tmp_path, caplog):
    path = tmp_path / "telegram" / "reminders.json"
    path.parent.mkdir(parents=True)
    path.write_text("{not json", encoding="utf-8")
    store = ReminderStore(path)
    assert store.chats() == {}
    assert len(list(path.parent.glob("reminders.unreadable-*.json"))) == 1
    assert "moved aside" in caplog.text
    assert store.subscribe(5, TTTT) and ReminderStore(path).chats() == {5: [TTTT]}


def test_unknown_timezone_is_a_settings_error(tmp_path):
    with pytest.raises(ValueError, match="unknown time zone"):
        make_settings(tmp_path, timezone="Mars/Olympus")

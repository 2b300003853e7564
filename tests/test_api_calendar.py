"""GET /v1/register/upcoming and the iCalendar feed GET /v1/register.ics, parsed back with icalendar."""

from __future__ import annotations

import datetime as dt
import logging

import pytest
from fastapi.testclient import TestClient
from icalendar import Calendar

from bot.api import create_app
from bot.api.app import RedactKeyParam
from tests.test_api import ASK, keyed

TODAY = dt.date(2024, 10, 20)  # the frozen clock: 26 days before Thừa Thiên Huế 2024's 15/11 deadline
TTTT = "Sở Thông tin và Truyền thông"


@pytest.fixture
def client(sample_app, tmp_path) -> TestClient:
    return TestClient(create_app(keyed(sample_app, tmp_path), today=lambda: TODAY), raise_server_exceptions=False)


def events(body: bytes) -> list:
    return Calendar.from_ical(body).walk("VEVENT")


def test_upcoming_for_an_agency_any_spelling(client):
    short = client.get("/v1/register/upcoming", params={"agency": "Sở TT&TT"}, headers=ASK)
    assert short.status_code == 200
    body = short.json()
    assert body["agency"] == TTTT and body["from"] == "2024-10-20" and body["to"] == "2024-11-19"
    assert body["ics_path"] == "/v1/register.ics?agency=S%E1%BB%9F+Th%C3%B4ng+tin+v%C3%A0+Truy%E1%BB%81n+th%C3%B4ng"
    (item,) = body["items"]
    assert item["date"] == "2024-11-15" and item["period"] == "once" and item["role"] == "recipient"
    assert item["label"] == "Thừa Thiên Huế 2024 · Mục V.2"
    assert item["what"].startswith("Các cơ quan, đơn vị, địa phương gửi báo cáo về Sở Thông tin và Truyền thông "
                                   "trước ngày 15/11/2024")
    assert item["record"]["href"] == "/v1/documents/thua-thien-hue-2024.txt/sections/V.2"
    full = client.get("/v1/register/upcoming", params={"agency": "sở thông tin và truyền thông"}, headers=ASK).json()
    assert full["items"] == body["items"]
    assert client.get("/v1/register/upcoming", params={"days": 10}, headers=ASK).json()["items"] == []


def test_unknown_or_ambiguous_agency_is_a_vietnamese_problem(client):
    vague = client.get("/v1/register/upcoming", params={"agency": "Sở Văn hóa"}, headers=ASK)
    assert vague.status_code == 404 and vague.json()["type"].endswith("ambiguous-agency")
    assert "có thể là nhiều cơ quan" in vague.json()["detail"] and "Sở Văn hóa và Thể thao" in vague.json()["detail"]
    unknown = client.get("/v1/register.ics", params={"agency": "Tổng cục Tài chính"}, headers=ASK)
    assert unknown.status_code == 404 and unknown.json()["type"].endswith("unknown-agency")
    assert "Có phải ý bạn là: Sở Tài chính" in unknown.json()["detail"]
    assert client.get("/v1/register/upcoming", params={"days": 0}, headers=ASK).status_code == 422


def test_ics_feed_parses_back_with_stable_uids_citations_and_alarms(client):
    response = client.get("/v1/register.ics", params={"agency": "Sở TT&TT"}, headers=ASK)
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/calendar; charset=utf-8"
    cal = Calendar.from_ical(response.content)
    assert str(cal["x-wr-calname"]) == f"Lịch hạn – {TTTT}"
    (event,) = events(response.content)  # 90 days back to a year ahead: Huế 2024's 15/11/2024
    assert event.decoded("dtstart") == dt.date(2024, 11, 15) and event.decoded("dtend") == dt.date(2024, 11, 16)
    assert str(event["summary"]).startswith("Hạn: Các cơ quan, đơn vị, địa phương gửi báo cáo về Sở Thông tin")
    assert str(event["summary"]).endswith("(Thừa Thiên Huế 2024 · Mục V.2)")
    description = str(event["description"])
    assert "Nguồn: Thừa Thiên Huế 2024 · Mục V.2" in description
    assert "Nguyên văn: “2. Báo cáo hoạt động thông tin đối ngoại gửi về Sở Thông tin và Truyền thông" in description
    assert str(event["url"]) == "http://testserver/v1/documents/thua-thien-hue-2024.txt/sections/V.2"
    assert sorted(alarm.decoded("trigger") for alarm in event.walk("VALARM")) == [
        -dt.timedelta(days=7), -dt.timedelta(days=1)]
    again = events(client.get("/v1/register.ics", params={"agency": TTTT}, headers=ASK).content)
    assert [str(e["uid"]) for e in again] == [str(event["uid"])]  # the same event on every refresh


def test_ics_feed_of_all_agencies(client):
    found = events(client.get("/v1/register.ics", headers=ASK).content)
    dates = [e.decoded("dtstart") for e in found]
    assert dt.date(2024, 11, 15) in dates and dates == sorted(dates)
    assert len({str(e["uid"]) for e in found}) == len(found)
    assert all(d <= TODAY + dt.timedelta(days=366) for d in dates)


def test_ics_feed_takes_the_key_as_a_query_parameter_for_calendar_apps(client):
    assert client.get("/v1/register.ics").status_code == 401
    assert client.get("/v1/register.ics", params={"key": "wrong"}).status_code == 401
    assert client.get("/v1/register.ics", params={"key": "ask-key"}).status_code == 200
    # only the feed: every other route still wants the header
    assert client.get("/v1/register/upcoming", params={"key": "ask-key"}).status_code == 401


def test_the_key_in_the_query_is_redacted_in_the_access_log(client, caplog):
    assert any(isinstance(f, RedactKeyParam) for f in logging.getLogger("uvicorn.access").filters)
    # uvicorn's access record: (client, method, path with query, HTTP version, status)
    with caplog.at_level(logging.INFO, logger="uvicorn.access"):
        logging.getLogger("uvicorn.access").info('%s - "%s %s HTTP/%s" %d', "127.0.0.1:5000", "GET",
                                                 "/v1/register.ics?agency=S%E1&key=ask-key&x=1", "1.1", 200)
    assert "ask-key" not in caplog.text
    assert "/v1/register.ics?agency=S%E1&key=***&x=1" in caplog.text


def test_cli_deadlines_ics_for_an_agency(tmp_path):
    from tests.test_cli import run
    from tests.test_telegram_reminders import PLAN

    plans = tmp_path / "plans"
    plans.mkdir()
    (plans / "an-giang-2030.txt").write_text(PLAN, encoding="utf-8")
    assert run(["ingest", str(plans)], tmp_path).returncode == 0
    result = subprocess_ics(tmp_path, ["--agency", "Sở Tài chính", "--from", "01/01/2030", "--to", "31/12/2031"])
    found = events(result.stdout)
    # quarterly, within the plan's year only
    assert [e.decoded("dtstart") for e in found] == [dt.date(2030, m, 15) for m in (3, 6, 9, 12)]
    assert all("(An Giang 2030 · Mục II.1)" in str(e["summary"]) for e in found)
    tttt = events(subprocess_ics(tmp_path, ["--agency", "Sở TT&TT", "--from", "2030-01-01", "--to", "2030-12-31"]).stdout)
    assert [e.decoded("dtstart") for e in tttt] == [dt.date(2030, 12, 10)]
    wrong = subprocess_ics(tmp_path, ["--agency", "Sở Văn hóa"])
    assert wrong.returncode == 2 and "có thể là nhiều cơ quan" in wrong.stderr.decode()


def subprocess_ics(data_dir, extra: list[str]):
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if not k.startswith("PLANBOT_")}
    env |= {"PLANBOT_DATA_DIR": str(data_dir), "PLANBOT_LLM": "none", "HF_HUB_OFFLINE": "1"}
    return subprocess.run([sys.executable, "-m", "bot.cli", "deadlines", "--ics", *extra], capture_output=True,
                          env=env, timeout=120)

"""Due dates as an iCalendar feed (RFC 5545) a calendar app subscribes to: one all-day event per
due date, with the citation and the verbatim passage, reminders 7 days and 1 day before.

Event UIDs are stable (plan, section, passage and date), so a calendar app refreshing the feed
updates its events instead of duplicating them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from icalendar import Alarm, Calendar, Event

from bot.render.model import citation_label
from index.ocr_repair import display_form
from rag.prompts import message
from rag.schedule import Due, what_is_due

ALARM_DAYS = (7, 1)
PAST_DAYS = 90  # the feed keeps recent due dates, so a calendar shows what was just due
FUTURE_DAYS = 366


def feed_window(today: dt.date) -> tuple[dt.date, dt.date]:
    return today - dt.timedelta(days=PAST_DAYS), today + dt.timedelta(days=FUTURE_DAYS)


def _summary(text: str, limit: int = 140) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0] + " …"


def calendar_ics(dues: list[Due], short_name: Callable[[str], str], agency: str | None, stamp: dt.datetime,
                 timezone: str, href: Callable[[Due], str | None] = lambda due: None) -> bytes:
    """The feed: `short_name` gives a plan's short name from its file name, `href` a link to the
    cited section (or None), `stamp` is when the feed was made (UTC)."""
    cal = Calendar()
    cal.add("prodid", "-//planbot//Lich han//VI")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    name = message("ics_name", agency=agency) if agency else message("ics_name_all")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", timezone)
    cal.add("refresh-interval", dt.timedelta(hours=12), parameters={"VALUE": "DURATION"})
    cal.add("x-published-ttl", "PT12H")
    for due in dues:
        record = due.record
        label = citation_label(short_name(record.source), record.section, record.section_label)
        what = what_is_due(record)
        lines = [what]
        if due.period_label:
            lines.append(message("tg_period", period=due.period_label))
        lines += [message("tg_reminder_source", label=label), message("ics_quote", quote=display_form(record.quote))]
        event = Event()
        event.add("uid", due.uid)
        event.add("dtstamp", stamp)
        event.add("dtstart", due.date)
        event.add("dtend", due.date + dt.timedelta(days=1))
        event.add("summary", message("ics_summary", what=_summary(what), label=label))
        event.add("description", "\n".join(lines))
        event.add("transp", "TRANSPARENT")  # a deadline, not a meeting: the day stays free
        link = href(due)
        if link:
            event.add("url", link)
        for days in ALARM_DAYS:
            alarm = Alarm()
            alarm.add("action", "DISPLAY")
            alarm.add("trigger", -dt.timedelta(days=days))
            alarm.add("description", message("ics_alarm", days=days, what=_summary(what, 80)))
            event.add_component(alarm)
        cal.add_component(event)
    return cal.to_ical()

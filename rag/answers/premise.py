"""A checked date ("… hạn 30/11/2025 phải không?") or recipient ("X gửi báo cáo cho Y phải
không?"): when the plan's passage for the task states it otherwise, the answer says first that the
premise is wrong, then quotes what the plan says."""

from __future__ import annotations

import re

from index.models import Chunk
from lang.agencies import find_bodies
from lang.dates import SEPARATOR, day_month
from rag.answers.common import actor_phrase, checked_recipients, recipients_named
from rag.answers.reader import PlanReader
from rag.prepared import Prepared
from rag.prompts import slot
from rag.query import DOCUMENT_NUMBER

# "30/11/2025", "30/11", "30-11-2025": day and month (the year when printed)
_DATE = re.compile(rf"(?<!\d){day_month(sep=SEPARATOR)}(?:{SEPARATOR}(\d{{4}}))?(?!\d)")


_SIGNED = re.compile(r"\x00\s*(?:của\s+\S+(?:\s+\S+)?\s+)?ngày\s+[\d/.-]+")


def _dates(text: str) -> set[tuple[int, int, str]]:
    return {(int(m.group(1)), int(m.group(2)), m.group(3) or "") for m in _DATE.finditer(text)}


def _same(asked: tuple[int, int, str], stated: tuple[int, int, str]) -> bool:
    """The same day: day and month equal, the years too when both are printed."""
    return asked[:2] == stated[:2] and (not asked[2] or not stated[2] or asked[2] == stated[2])


# a yes/no question's task is read from the passage that states it unless the body's own passage
# covers the question nearly as well (then the body's line is what the question checks)
PREDICATE_MARGIN = 0.8


def predicate_leads(body_coverage: float, top_coverage: float) -> bool:
    """Whether a yes/no question's best passage, which does not name the body asked, answers it
    rather than the body's own best passage: "Sở Tư pháp chịu trách nhiệm về việc báo cáo …
    phải không?" is answered by "Sở Nội vụ chịu trách nhiệm về việc báo cáo …", not by an item
    where Sở Tư pháp only cooperates on other work; the body named is the premise checked."""
    return body_coverage < PREDICATE_MARGIN * top_coverage


def date_premise(prepared: Prepared, answer: str) -> str | None:
    """The premise correction for a question that checks a date the answer's passage does not
    state, while it states another ("hạn 30/11/2025 phải không?" of a task due "Trước ngày
    15/11/2025"); None when the question checks no date, or the passage states the one asked."""
    if not prepared.info.confirm:
        return None
    # a document named with its date ("Kế hoạch số 12/KH-UBND ngày 5/3/2025") checks no date
    asked = _dates(_SIGNED.sub(" ", DOCUMENT_NUMBER.sub("\x00", prepared.info.text)))
    stated = _dates(answer.split("): ", 1)[-1])  # the quote, not the plan's title
    if not asked or not stated or any(_same(a, s) for a in asked for s in stated):
        return None
    shown = sorted(asked, key=lambda d: (d[2], d[1], d[0]))[0]
    date = f"{shown[0]}/{shown[1]}" + (f"/{shown[2]}" if shown[2] else "")
    return slot("premise_date", date=date)


def recipient_premise(prepared: Prepared, answer: str) -> str | None:
    """The premise correction for a question that checks where a body's report goes ("UBND các
    huyện gửi báo cáo quý cho Sở Công Thương phải không?") when the answer's quote sends it
    elsewhere: none of the bodies checked is named in the quote (as recipient, channel or onward).
    None when nothing is checked, or the quote names a body checked."""
    info = prepared.info
    told = checked_recipients(info) if "reporting" in info.kinds else set()
    if not told:
        return None
    quote = answer.split("): ", 1)[-1]
    if not quote.strip() or {m.name for m in find_bodies(quote)} & told:
        return None
    return slot("premise_recipient", agency=", ".join(sorted(told)))


def nearest_recipient_premise(reader: PlanReader, prepared: Prepared, chunk: Chunk, quote: str) -> str | None:
    """The premise correction for a yes/no question checking where a body's report goes, when no
    passage covered its words but the closest one is that body's own report sent elsewhere: a
    point under the body's heading ("9. UBND các xã, phường / b) Chủ trì thực hiện điểm b khoản 4
    Mục III: + Báo cáo kết quả kiểm tra về Sở X …") names its task only by reference, so the
    question's topic words are not in it. The answer is then "no" with that line, not a decline.
    None unless the passage is the reporter's (its item's body, or the body before its reporting
    verb) and sends the report to a body, none of them the one checked."""
    info = prepared.info
    told = checked_recipients(info)
    reporters = set(info.agencies) - told
    if not told or not reporters:
        return None
    sent_to = recipients_named(quote)
    if not sent_to or sent_to & told:
        return None
    heading = chunk.facts.heading_agency  # (body, line) of the heading above, when one names a body
    owners = {reader.section_agency(chunk), heading[0] if heading else None}
    owners.update(m.name for m in find_bodies(" ".join(actor_phrase(quote))))
    if not reporters & owners:
        return None
    return slot("premise_recipient", agency=", ".join(sorted(told)))

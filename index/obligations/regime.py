"""A reporting regime written as labelled fields ("CHẾ ĐỘ BÁO CÁO" / "1. Báo cáo định kỳ" /
"- Đơn vị báo cáo: …" / "- Nơi nhận: … (qua …)" / "- Thời hạn: …"): the fields together are one
reporting line. No field alone is a sentence that says who reports to whom, so the sentence reader
(index/obligations/reporting.py) misreads them ("Đơn vị báo cáo: Phòng X" is no report TO Phòng X)."""

from __future__ import annotations

from index.obligations.actors import _listed_names
from index.obligations.deadlines import _time_value
from index.obligations.headings import _NUMBERING
from index.obligations.records import Obligation, _Place
from lang.agencies import find_bodies
from lang.normalize import collapse_ws, match_tokens

# the labels, folded ("Đơn vị báo cáo", "Nơi nhận báo cáo", "Thời hạn gửi báo cáo")
REPORTER_LABELS = frozenset(("don vi bao cao", "co quan bao cao", "doi tuong bao cao", "don vi thuc hien bao cao",
                             "co quan thuc hien bao cao", "don vi gui bao cao", "co quan gui bao cao"))
RECIPIENT_LABELS = frozenset(("noi nhan", "noi nhan bao cao", "co quan nhan bao cao", "don vi nhan bao cao",
                              "noi gui", "noi gui bao cao", "co quan nhan", "don vi nhan", "gui ve"))
TIME_LABELS = frozenset(("thoi han", "thoi han gui", "thoi han bao cao", "thoi han gui bao cao", "thoi gian gui",
                         "thoi gian gui bao cao", "thoi gian bao cao", "ky bao cao", "tan suat", "tan suat bao cao"))


def regime_field(line: str) -> tuple[str, str] | None:
    """(role, value) of a reporting regime's field line: role "reporter", "recipient" or "time"."""
    head, sep, value = _NUMBERING.sub("", line.strip().lstrip("-–+•* "), count=1).partition(":")
    if not sep or not value.strip():
        return None
    label = " ".join(match_tokens(head))
    for role, labels in (("reporter", REPORTER_LABELS), ("recipient", RECIPIENT_LABELS), ("time", TIME_LABELS)):
        if label in labels:
            return role, value.strip()
    return None


def _recipient_and_via(value: str) -> list[tuple[str, str | None]]:
    """Each body a recipient field names, with the one its "(qua X)" names: "Sở A (qua Phòng B)"."""
    out: list[tuple[str, str | None]] = []
    tokens = match_tokens(value)
    mentions = find_bodies(value)
    for number, mention in enumerate(mentions):
        if tokens[max(0, mention.start - 1): mention.start] == ["qua"]:
            continue  # the channel, told with the body before it
        after = mentions[number + 1] if number + 1 < len(mentions) else None
        via = after.name if after is not None and tokens[max(0, after.start - 1): after.start] == ["qua"] else None
        out.append((mention.name, via))
    return out


def regime_rows(text: str, base: _Place) -> tuple[list[Obligation], set[str]]:
    """The reporting lines of a section's labelled regime fields, and the field lines they were read
    from (whitespace collapsed): the sentence reader leaves those lines to these rows. A regime
    needs both who reports and where to; without both, its fields are left to the sentence reader."""
    lines = [collapse_ws(line) for line in text.split("\n")]
    fields = [(number, found) for number, line in enumerate(lines) if (found := regime_field(line))]
    reporters = [n for _, (role, value) in fields if role == "reporter" for n in _listed_names(value)]
    recipients = [pair for _, (role, value) in fields if role == "recipient" for pair in _recipient_and_via(value)]
    if not reporters or not recipients:
        return [], set()
    times = [value for _, (role, value) in fields if role == "time"]
    due, words, flags, recurrence, relative = _time_value(times[0]) if times else (None, None, (), (), None)
    first, last = fields[0][0], fields[-1][0]
    # the block as printed, from its first field to its last: who, what, where to and when
    quote = " ".join(line for line in lines[first:last + 1] if line)
    rows = [Obligation(kind="reporting", agency=reporter, recipient=recipient, via=via, due_date=due,
                       deadline_text=words, recurrence=recurrence, flags=flags, relative=relative, quote=quote, **base)
            for reporter in dict.fromkeys(reporters) for recipient, via in dict.fromkeys(recipients)]
    return rows, {lines[number] for number, _ in fields}

"""Due times in a sentence or a time field: dates (a cited document's date is none), recurrences,
deadlines counted from an event, and the end of a month, quarter or year given as a due time."""

from __future__ import annotations

import datetime as dt
import re

from index.ocr_repair import looks_ocr_damaged_snippet
from lang.dates import (
    DAY,
    MONTH_OF_YEAR,
    OCR_DAY,
    OCR_MONTH,
    OCR_YEAR,
    PLAN_YEAR,
    QUARTER_OF_YEAR,
    SLASH,
    YEAR_NAMED,
    numeric_date,
    quarter_end_month,
    worded_date,
)
from lang.normalize import collapse_ws, fold, match_tokens, skeleton

RECURRENCES = {  # folded cue → tag
    "hang nam": "annual", "dinh ky": "periodic", "theo giai doan": "periodic", "6 thang": "semiannual",
    "sau thang": "semiannual", "hang quy": "quarterly", "hang thang": "monthly", "hang tuan": "weekly",
    "dot xuat": "on_request", "khi co yeu cau": "on_request", "khi co phat sinh": "on_request", "cuoi quy": "quarterly",
    "nua nam": "semiannual", "cac nam tiep theo": "annual", "moi nam": "annual", "moi quy": "quarterly",
    "moi thang": "monthly", "dau quy": "quarterly", "moi tuan": "weekly",
    # a counted frequency ("ít nhất 02 lần/tháng", "01 lần/quý"): the period it counts in
    "lan thang": "monthly", "lan tuan": "weekly", "lan quy": "quarterly",
    # the contract has no daily tag: "trước 20 giờ hằng ngày" recurs, its period is no tag of the list
    "hang ngay": "periodic", "moi ngay": "periodic",
}
# A "Kỳ báo cáo" cell names its periods bare ("Năm", "6 tháng, năm", "Quý", "Tháng", "Đột xuất"):
# the column says they are periods, so the word alone is the tag (in a sentence "năm" is no period).
PERIOD_CELL_WORDS = {  # folded period word(s) → tag
    "nam": "annual", "hang nam": "annual", "quy": "quarterly", "hang quy": "quarterly", "thang": "monthly",
    "hang thang": "monthly", "tuan": "weekly", "hang tuan": "weekly", "6 thang": "semiannual",
    "06 thang": "semiannual", "sau thang": "semiannual", "nua nam": "semiannual", "dot xuat": "on_request",
    "dinh ky": "periodic",
}
_CELL_SPLIT = re.compile(r"\s*(?:[,;/+]|\bva\b|\bhoac\b)\s*")


def period_cell(value: str) -> tuple[str, ...]:
    """The periods a report-period cell names ("6 tháng, năm" → semiannual, annual), () when the
    cell says anything but periods (a date, a sentence)."""
    pieces = [" ".join(match_tokens(p)).removeprefix("bao cao ").strip()
              for p in _CELL_SPLIT.split(fold(value).strip(" .")) if p.strip()]
    if not pieces or any(p not in PERIOD_CELL_WORDS for p in pieces):
        return ()
    return tuple(dict.fromkeys(PERIOD_CELL_WORDS[p] for p in pieces))


# cues whose consonant frame is distinctive enough to match OCR'd vowels ("hing nam", "dot xudt")
_FRAME_CUES = ("hang nam", "dinh ky", "dot xuat")


# OCR of a rendered page may put a space inside a number ("15/1 1/2026", "ngày 1 5 tháng"): one
# space between two digits is still one number (_date_number drops it).
_NUMERIC_DATE = re.compile(rf"(?<![\d/]){numeric_date(day=OCR_DAY, month=OCR_MONTH, year=OCR_YEAR, sep=SLASH)}(?![\d/])")
_WORDED_DATE = re.compile(worded_date(day=OCR_DAY, month=OCR_MONTH, year=OCR_YEAR))
_DOC_NUMBER_BEFORE = re.compile(r"(\d+\s*[/-]\s*[A-ZĐa-zđ]{1,10}[^\s]*|\bs[ốoô6é&b§]\s*\d+[^\s]*)\s*(ngày|ngay|ngdy)?\s*$",
                                re.IGNORECASE)
_DEADLINE_CUES = ("truoc", "truoe", "trudc", "cham nhat", "han", "han chot", "hoan thanh", "den ngay", "trong ngay",
                  "thoi gian",
                  # a scheduled step: "Tổng duyệt vào ngày 11/11/2024", "Khai mạc vào tối ngày 13/11/2024"
                  "vao")
# a scheduled step over several days ("vào ngày 14/11/2024 và ngày 15/11/2024") is done on the last
_MORE_DAYS = re.compile(r"\s*(?:và|đến|-|–)\s*(?:(?:sáng|chiều|tối)\s+)?(?:ngày\s*)?\d")


def parse_date(day: int, month: int, year: int) -> str | None:
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        return None


def _date_number(printed: str) -> int:
    return int(printed.replace(" ", ""))


def _deadline_in(sentence: str, need_cue: bool = True) -> tuple[str | None, str | None, tuple[str, ...]]:
    """(ISO date, verbatim words, flags) of the first deadline date in a sentence that is not the
    date of a cited document ("Kết luận số 57-KL/TW ngày 15/6/2023")."""
    return next(_deadlines_in(sentence, need_cue), (None, None, ()))


# what may stand between two dates of one deadline list: "15/6/2025 và 15/12/2025", "…, ngày 20/12"
_LISTED_DATE = re.compile(r"\s*(?:,|;)?\s*(?:và|hoặc|va|hoac)?\s*(?:ngày|ngay)?\s*", re.IGNORECASE)


def _deadlines_in(sentence: str, need_cue: bool = True, lists: bool = False):
    """Every deadline date of a sentence, as `_deadline_in` reads the first; with `lists`, a date
    listed right after a deadline date is due too (the deadline rows; a report line stays one row)."""
    for pattern, text in ((_NUMERIC_DATE, sentence), (_WORDED_DATE, " ".join(match_tokens(sentence)))):
        carried: str | None = None
        last_due: tuple[int, str] | None = None  # (end, cue) of the last deadline date read
        for m in pattern.finditer(text):
            before = text[max(0, m.start() - 40): m.start()]
            if pattern is _NUMERIC_DATE and _DOC_NUMBER_BEFORE.search(before):
                continue
            folded_before = " ".join(_deadline_words(match_tokens(before)[-4:]))
            cue = next((c for c in _DEADLINE_CUES if f" {c} " in f" {folded_before} "), None) or carried
            listed = lists and not cue and bool(last_due) and bool(_LISTED_DATE.fullmatch(text[last_due[0] if last_due else 0: m.start()]))
            if listed and last_due:
                cue = last_due[1]  # "trước ngày 15/6/2025 và 15/12/2025": the second date is due too
            carried = None
            if not cue and need_cue:
                continue  # a date without "trước ngày", "chậm nhất", "hạn" … is an event or a citation
            if cue == "vao" and pattern is _NUMERIC_DATE and _MORE_DAYS.match(text, m.end()):
                carried = cue  # the last day named carries the step's cue
                continue
            day, month, year = (_date_number(g) for g in m.groups())
            iso = parse_date(day, month, year)
            verbatim = m.group(0) if pattern is _NUMERIC_DATE else _verbatim_worded(sentence, day, month, year)
            words = _cue_words(sentence, verbatim) if cue and not listed else verbatim
            last_due = (m.end(), cue) if cue else None
            yield iso, words, () if iso else ("impossible_date",)
        if pattern is _NUMERIC_DATE and _NUMERIC_DATE.search(text):
            return  # the worded form is read only when no numeric date is printed


def _verbatim_worded(sentence: str, day: int, month: int, year: int) -> str:
    m = re.search(rf"\S+\s+0?{day}\s+\S+\s+0?{month}\s+\S+\s+{year}", sentence)
    return m.group(0) if m else f"{day}/{month}/{year}"


def _cue_words(sentence: str, verbatim: str) -> str:
    idx = sentence.find(verbatim)
    head = sentence[max(0, idx - 14): idx]
    words = head.split()[-2:]
    return collapse_ws(" ".join([*words, verbatim])) if words else verbatim


# "vấn đề đột xuất" is an unexpected issue, not a duty done on request
_EVENT_NOUNS = re.compile(r" (?:van de|su viec|tinh huong|su co|tin) (?:nong |nhay cam )?dot xuat ")


# each cue with its consonant frame ("hang nam" → "h*ng n*m")
_RECURRENCE_FRAMES = tuple((cue, tag, " ".join(skeleton(t) for t in cue.split())) for cue, tag in RECURRENCES.items())


def _recurrences(sentence: str) -> tuple[str, ...]:
    folded = _EVENT_NOUNS.sub(" ", " " + " ".join(match_tokens(sentence)) + " ")
    frames = None  # made only when a frame cue is not found as it is
    tags: list[str] = []
    for cue, tag, frame in _RECURRENCE_FRAMES:
        if tag in tags:
            continue
        if f" {cue} " in folded:
            tags.append(tag)
        elif cue in _FRAME_CUES:
            if frames is None:
                frames = " " + " ".join(map(skeleton, folded.split())) + " "
            if f" {frame} " in frames:
                tags.append(tag)
    if "periodic" in tags and set(tags) & _PERIODS:
        tags.remove("periodic")  # "định kỳ hằng quý" is quarterly: "định kỳ" names no period of its own
    return tuple(tags)


_PERIODS = frozenset(("annual", "semiannual", "quarterly", "monthly", "weekly"))


# a deadline counted from an event: "trong 15 ngày kể từ …", "trong 48 giờ kể từ khi phát hiện",
# "trong vòng 24 giờ sau mỗi buổi tiêm", "ngay khi phát hiện …", a point opening "Khi xuất hiện ổ dịch …",
# a season or a holiday ("hoàn thành trước vụ Hè Thu năm 2024", "trước mùa mưa bão", "trước Tết")
_RELATIVE = re.compile(
    r"(?:(?:trong(?:\s+vòng|\s+thời\s+hạn)?|chậm\s+nhất|sau)\s+\d+\s+(?:ngày|tháng|tuần|giờ)(?:\s+làm\s+việc)?"
    r"\s+(?:kể\s+từ|sau\s+khi|từ\s+ngày|từ\s+khi|sau\s+mỗi|đầu\s+sau)[^,;.]{0,80}"
    r"|(?<![\wÀ-ỹ])ngay\s+khi\s+[^,;.]{0,100}|^\s*(?:[a-zđ]\)|[-–+•]|\d+\.)?\s*Khi\s+(?!có\s)[^,;.]{0,80}"
    # counted back from an event: "chậm nhất 07 ngày trước ngày khai mạc"; right after one: "trao giải
    # ngay sau vòng chung kết"
    r"|(?:chậm\s+nhất\s+)?\d+\s+(?:ngày|tháng|tuần|giờ)(?:\s+làm\s+việc)?\s+trước\s+(?:ngày|khi|kỳ|lễ|phiên|buổi|thời\s+điểm)\s+[^,;.]{0,60}"
    r"|(?<![\wÀ-ỹ])ngay\s+sau\s+(?!khi\b|đây\b|đó\b)[^,;.\d]{3,60}"
    r"|(?<![\wÀ-ỹ])trước\s+(?:vụ|mùa|dịp|Tết)\s+[^,;.]{0,60}"
    r"|ngay\s+sau\s+khi[^,;.]{0,80}|khi\s+nước\s+rút|đến\s+khi\s+[^,;.]{0,80}|sau\s+khi\s+có\s+[^,;.]{0,60}|sau\s+khi\s+[^,;.]{0,60}(?:kết\s+thúc|được\s+ban\s+hành|được\s+phê\s+duyệt))",
    re.IGNORECASE)


# the same on an OCR'd page's words, folded and repaired ("trong 07 ngay ké tir khi …"): the pattern
# with its marks folded away, read over the words as `_repaired` gives them
_RELATIVE_FOLDED = re.compile(fold(_RELATIVE.pattern), re.IGNORECASE)


def _relative_deadline(sentence: str) -> str | None:
    m = _RELATIVE.search(sentence)
    if m:
        return _LIST_MARK.sub("", collapse_ws(m.group(0))).rstrip(" )")
    if not looks_ocr_damaged_snippet(sentence):
        return None  # clean text folded would blur words apart ("ngày khi", "ngay khi")
    repaired, spans = _repaired(sentence)
    m = _RELATIVE_FOLDED.search(repaired)
    if not m or not re.search(r"\d", m.group(0)):
        # on misread words only a counted deadline ("trong 07 ngày kể từ …") is sure: a loose clause
        # ("sau khi có hướng dẫn …", "khi …") is too easily made of misread words
        return None
    # the words as printed: from the first word the match touches to the last
    touched = [(start, end) for r_start, r_end, start, end in spans if r_end > m.start() and r_start < m.end()]
    printed = sentence[touched[0][0]: touched[-1][1]] if touched else m.group(0)
    return _LIST_MARK.sub("", collapse_ws(printed)).rstrip(" )")


_WORD = re.compile(r"[^\s\-/.,;:()\[\]\"'“”‘’!?]+")


def _repaired(sentence: str) -> tuple[str, list[tuple[int, int, int, int]]]:
    """The sentence with each printed word folded and OCR-repaired (punctuation kept), and each
    word's (start, end) in that text with its (start, end) as printed."""
    out: list[str] = []
    spans: list[tuple[int, int, int, int]] = []
    at, length = 0, 0
    for w in _WORD.finditer(sentence):
        gap = fold(sentence[at: w.start()])
        out.append(gap)
        length += len(gap)
        word = " ".join(_deadline_words(match_tokens(w.group()))) or fold(w.group())
        out.append(word)
        spans.append((length, length + len(word), w.start(), w.end()))
        length += len(word)
        at = w.end()
    out.append(fold(sentence[at:]))
    return "".join(out), spans


def _deadline_words(tokens: list[str]) -> list[str]:
    """Folded tokens with "trước", the genre's deadline word, read back from the shapes OCR leaves
    of it that no repair rule reaches ("truséc", "trucéc", "truodc"): "tru", one or two misread
    letters for the vowel, then its final "c"."""
    return ["truoc" if t != "truoc" and len(t) in (5, 6) and t.startswith("tru") and t.endswith("c") else t
            for t in tokens]


_LIST_MARK = re.compile(r"^(?:[a-zđ]\)|[-–+•]|\d+\.)\s*")


# A deadline given as a month, a quarter or a year ("trong tháng 11/2025", "Quý III/2026", "đến hết
# năm 2030", a time column's bare "2025") falls due at the end of that period, as the genre's task
# tables and targets mean it. On folded text: "quý II/2026" must not be OCR-repaired into a word.
_PERIOD = re.compile(rf"(?P<quarter>{QUARTER_OF_YEAR})|(?P<month>{MONTH_OF_YEAR})|(?P<year>{YEAR_NAMED})"
                     rf"|(?P<bare>(?<![\d/.,-])(?P<b>{PLAN_YEAR})(?![\d/.,%]))")
# words right before a period that make it a due time, not a mention ("Luật Việc làm năm 2025",
# "Kế hoạch năm 2025"): "đến (hết/cuối) năm", "vào năm", "(hoàn thành) trong tháng", "phấn đấu năm"
_PERIOD_CUES = ("den", "den het", "den cuoi", "vao", "trong", "ngay trong", "het", "cuoi", "truoc", "hoan thanh",
                "phan dau", "chi tieu", "muc tieu", "han", "thoi gian", "thoi han")
# what a period after these words is not: a window's start ("Từ năm 2025 …"), a title's horizon
# ("tầm nhìn đến năm 2045", "định hướng đến năm 2030"), a full date's month ("ngày 15 tháng 6 năm 2025");
# in running text also a programme's phase ("giai đoạn I: từ năm 2021 đến năm 2025")
_PERIOD_NOT_AFTER = re.compile(rf"(?:\btu|\bt\w{{1,2}}m nh\w{{1,2}}n(?: den)?|\bdinh huong(?: den)?|\bngay\s+{DAY})\s*$")
# a target named inside a cited document's title ("Chiến lược phát triển … đến năm 2030", "Nghị quyết
# … về chuyển đổi số đến năm 2025", "các mục tiêu phát triển đất nước đến năm 2045"); OCR'd vowels too
_CITED_TITLE = re.compile(r"\b(?:chi\w{1,2}n l\w{1,3}c|ngh\w quy\w{1,2}t|quy\w{1,2}t d\w{1,2}nh|d\w an|k\w{1,2}t lu\w{1,2}n|"
                          r"ch\w th\w|m\w{1,2}c ti\w{1,2}u ph\w{1,2}t tri\w{1,2}n)\b[^;.]*$")
_CITATION_BEFORE = re.compile(r"\d+\s*/\s*(?:\d{4}\s*/\s*)?[a-z]{1,6}-[a-z]")


def _period_end(match: re.Match) -> str | None:
    if match.group("quarter"):
        year, month = int(match.group("qy")), quarter_end_month(match.group("q"))
    elif match.group("month"):
        year, month = int(match.group("my")), int(match.group("m"))
    else:
        year, month = int(match.group("y") or match.group("b")), 12
    if not 1 <= month <= 12:
        return None
    last = (dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1))
    return last.isoformat()


# a roadmap step closed by its window in brackets ("… tích hợp vào Hệ thống quốc gia (2025 - 2030)."):
# due at the window's end; a window inside the sentence belongs to a title ("Kế hoạch 5 năm (2021 - 2025) …")
_CLOSING_WINDOW = re.compile(r"\(\s*(?:xuyen suot\s+)?(\d{4})\s*[-–]\s*(\d{4})\s*\)\s*[.;]?\s*$")


# the second year of a named window ("năm 2026–2027", "năm 2026 - 2027")
_YEAR_RANGE_END = re.compile(rf"\s*[-–]\s*({PLAN_YEAR})(?![\d/])")


def period_deadlines(text: str, need_cue: bool = True) -> list[tuple[str, str]]:
    """(ISO end, verbatim) of each month, quarter or year a text gives as a due time; with
    `need_cue` False (a time column or field: "2025", "Tháng 11 - 12/2025", "Quý IV/2025 - Quý
    II/2026") a range gives its end only. A year of a cited document or a title's horizon is none."""
    folded = fold(text)
    found: list[tuple[str, str, int]] = []
    for m in _PERIOD.finditer(folded):
        if m.group("bare") and need_cue:
            continue
        before = folded[max(0, m.start() - 40): m.start()]
        if _PERIOD_NOT_AFTER.search(before.rstrip(" :,")) or (need_cue and "giai doan" in before):
            continue  # "Từ tháng 11/2025 đến …" (the window's end is read next), "ngày 15 tháng 6 năm 2025"
        if folded[m.end(): m.end() + 24].lstrip(" ,").startswith(("va cac nam", "va nhung nam", "tro di")):
            continue  # "Năm 2025 và các năm tiếp theo": every year, not 2025's end
        if need_cue:
            words = re.findall(r"[a-z0-9]+", before)
            tail = " ".join(words[-2:])
            label = (not folded[: m.start()].strip() or re.search(r"[:.;]\s*$", before)
                     or re.search(r"(?:chi tieu|muc tieu)\s*\d*\s*:?\s*$", before))
            if not (any(tail == c or tail.endswith(" " + c) for c in _PERIOD_CUES) or label
                    or folded[m.end(): m.end() + 8].lstrip(" ,").startswith(("dat", "co "))):
                continue
            if (_CITATION_BEFORE.search(folded[max(0, m.start() - 240): m.start()])
                    or _CITED_TITLE.search(folded[max(0, m.start() - 100): m.start()])):
                continue
        end = _period_end(m)
        stop = m.end()
        ranged = _YEAR_RANGE_END.match(folded, m.end()) if m.group("year") else None
        if ranged and int(ranged.group(1)) > int(m.group("y")):
            end, stop = f"{ranged.group(1)}-12-31", ranged.end()  # "trong năm 2026–2027": due at the window's end
        if end:
            found.append((end, text[m.start(): stop] if len(text) == len(folded) else folded[m.start(): stop], m.start()))
    window = _CLOSING_WINDOW.search(folded) if need_cue else None
    if window and 2000 < int(window.group(1)) <= int(window.group(2)) < 2100:
        found = [f for f in found if f[2] < window.start()]
        found.append((f"{window.group(2)}-12-31", text[window.start(): window.end()].strip(" .;"), window.start()))
    if not found:
        return []
    if not need_cue:
        return [found[-1][:2]]
    return list({end: (end, verbatim) for end, verbatim, _ in found}.values())


def _time_value(value: str) -> tuple[str | None, str | None, tuple[str, ...], tuple[str, ...], str | None]:
    """(ISO date, words, flags, recurrence, relative) of a time field or column ("Thời gian thực
    hiện: Tháng 11 - 12/2025", "| 2025 |", "Từ ngày 01/01/2026 đến ngày 31/3/2026", "Thường
    xuyên"): the column says it is a due time, so no "trước ngày" cue is needed; a window falls due
    at its end."""
    dates = [m for m in _NUMERIC_DATE.finditer(value) if not _DOC_NUMBER_BEFORE.search(value[max(0, m.start() - 40): m.start()])]
    flags: tuple[str, ...]
    due, words, flags = None, None, ()
    if dates:
        last = dates[-1]
        due = parse_date(*(_date_number(last.group(i)) for i in (1, 2, 3)))
        words, flags = collapse_ws(value), (() if due else ("impossible_date",))
    else:
        due, words, flags = _deadline_in(value, need_cue=False)
    relative = _relative_deadline(value)
    if not due and not relative:
        periods = period_deadlines(value, need_cue=False)
        if periods:
            due, words, flags = periods[0][0], collapse_ws(value), ("period_end",)
    recurrence = _recurrences(value)
    if not recurrence and " thuong xuyen " in f" {' '.join(match_tokens(value))} ":
        recurrence = ("ongoing",)  # "Thường xuyên" in a time column: all along, no date
    return due, words, flags, recurrence, relative

"""Pieces every kind of answer is made of: citations, verbatim quotes cut to size, the plan's
name, dates and recurrences in Vietnamese."""

from __future__ import annotations

import re
from functools import lru_cache

from index.injection import redact, scan_text
from index.models import Chunk
from index.obligations import Obligation
from index.ocr_repair import display_form
from index.store import Snapshot
from lang.agencies import find_bodies
from lang.dates import SEPARATOR, day_month
from lang.normalize import collapse_ws, match_tokens, search_terms, skeleton
from lang.sentences import split_sentences
from rag.prepared import Prepared
from rag.query import QueryInfo
from rag.scope import available_plans as listed
from rag.types import Citation

MAX_QUOTE_CHARS = 480
# a quoted line of the plan is given whole up to this length: what it asks about may lie just
# outside the copied words (the head of the sentence a PDF copy cut off)
MAX_PASSAGE_CHARS = 900
MAX_PLAN_NAME = 120
RECURRENCE_VI = {"annual": "hằng năm", "periodic": "định kỳ", "semiannual": "6 tháng một lần",
                 "quarterly": "hằng quý", "monthly": "hằng tháng", "weekly": "hằng tuần",
                 "on_request": "đột xuất khi có yêu cầu"}


def plan_name(title: str) -> str:
    """A plan's title as an answer names it: whole when short, else cut at a word."""
    title = collapse_ws(title)
    if len(title) <= MAX_PLAN_NAME:
        return title
    return title[:MAX_PLAN_NAME].rsplit(" ", 1)[0].rstrip(",;:") + "…"


def available_plans(snap: Snapshot | None) -> str:
    """The indexed plans as a refusal lists them."""
    # one wording (and one cap) for every refusal
    return listed(snap.docs.values()) if snap is not None else "không có"


def upper_ratio(text: str) -> float:
    letters = [c for c in text if c.isalpha()]
    return sum(c.isupper() for c in letters) / len(letters) if letters else 0.0


def date_vi(iso: str) -> str:
    year, month, day = iso.split("-")
    return f"{day}/{month}/{year}"


def shown_name(name: str) -> str:
    """A body's name as an answer prints it: the lexicon's names are canonical already; a body it
    does not know keeps the plan's words, which in an OCR'd plan are shown repaired ("Trung tam Luu
    tri lich st tinh" = "Trung tâm Lưu trữ lịch sử tỉnh")."""
    return display_form(name)


def reporting_sentence(record: Obligation) -> str:
    """One precise Vietnamese sentence from a reporting record, canonical names with diacritics."""
    reporter = shown_name(record.agency or "các cơ quan, đơn vị")
    text = f"{reporter[0].upper()}{reporter[1:]} gửi báo cáo về {shown_name(record.recipient or '')}"
    if record.via:
        text += f" (qua {shown_name(record.via)})"
    when = []
    if record.due_date:
        when.append(f"trước ngày {date_vi(record.due_date)}")
    elif record.deadline_text:
        when.append(f"theo thời hạn ghi trong kế hoạch “{record.deadline_text}” (ngày không hợp lệ)")
    elif record.relative:  # counted from an event: as the plan says it
        when.append(record.relative[0].lower() + record.relative[1:])
    when.extend(RECURRENCE_VI[r] for r in record.recurrence if r in RECURRENCE_VI)
    if when:
        text += " " + " và ".join(when)
    if record.onward:
        text += f"; {shown_name(record.recipient or '')} tổng hợp trình {' và '.join(map(shown_name, record.onward))}"
    return text + "."


def frame(phrase: str) -> str:
    return " ".join(skeleton(t) for t in phrase.split())


@lru_cache(maxsize=4096)
def instruction_like(text: str) -> bool:
    return bool(scan_text(text))


def trim_quote(quote: str, weights: dict[str, float], limit: int = MAX_QUOTE_CHARS) -> str:
    """Long clean-text sentences are cut to the window that holds the asked terms, at word
    boundaries, so the quote stays a verbatim span of the source."""
    if len(quote) <= limit:
        return quote
    words = quote.split(" ")
    best_start, best_score = 0, -1.0
    if weights:
        # each word's tokens once; a window's terms are its tokens' unigrams and bigrams
        word_tokens = [match_tokens(word) for word in words]
        for start in range(len(words)):
            tokens: list[str] = []
            length = 0
            for word, toks in zip(words[start:start + limit // 8], word_tokens[start:start + limit // 8], strict=True):
                length += len(word) + 1
                if length > limit + 1:
                    break
                tokens.extend(toks)
            terms = set(search_terms(tokens))
            score = sum(w for t, w in weights.items() if t in terms)
            if score > best_score:
                best_start, best_score = start, score
    out: list[str] = []
    for word in words[best_start:]:
        if len(" ".join([*out, word])) > limit:
            break
        out.append(word)
    return " ".join(out)


def citation(number: int, chunk: Chunk, quote: str) -> Citation:
    return Citation(id=number, source=chunk.source, doc_title=chunk.doc_title, section=chunk.section,
                    section_label=chunk.section_label, section_title=chunk.section_title, quote=quote,
                    start_line=chunk.start_line, end_line=chunk.end_line, page=chunk.page)


def best_quote(chunk: Chunk, claim: str) -> str:
    claim_terms = set(search_terms(match_tokens(claim)))
    # never quote a passage that was withheld from the model as instruction-like
    # (and the sentence after it: the chunk's facts mark both at ingest)
    sentences = [s.text for s in chunk.facts.sentences if not s.withheld and not instruction_like(s.text)] \
        or [s for s in split_sentences(chunk.text) if not instruction_like(s) and not chunk.facts.withholds(s)] \
        or [redact(chunk.text)[0]]
    best = max(sentences, key=lambda s: len(claim_terms & set(search_terms(match_tokens(s)))))
    return trim_quote(collapse_ws(best), {t: 1.0 for t in claim_terms})


_CHECKED_DATE = re.compile(day_month(sep=SEPARATOR))
_REPORT_VERBS = ("bao cao", "gui", "tong hop", "trinh", "nop")


def actor_phrase(question: str) -> list[str]:
    """The words before the first reporting verb of its clause: the body whose report is asked
    ("Tổ giúp việc báo cáo ai?", "KH …: Cơ quan thường trực Ban Chỉ đạo tổng hợp báo cáo gửi ai?")."""
    for clause in re.split(r"[,:;?]", question):
        text = " ".join(match_tokens(clause))
        cuts = [f" {text} ".find(f" {verb} ") for verb in _REPORT_VERBS if f" {verb} " in f" {text} "]
        if cuts:
            return text[:min(cuts)].split()
    return []


_TO_CUES = frozenset(("cao", "gui", "ve", "trinh", "cho", "len", "toi"))  # "báo cáo (lên) X", "gửi (về, tới) X", "trình X", "… cho X"


def recipients_named(question: str) -> set[str]:
    """Bodies the question names right after a reporting verb: where the asked report goes."""
    tokens = match_tokens(question)
    return {m.name for m in find_bodies(question) if tokens[m.start - 1: m.start] and tokens[m.start - 1] in _TO_CUES}


def checked_recipients(info: QueryInfo) -> set[str]:
    """The bodies a yes/no question names as where a report goes, beside the body reporting ("X
    gửi báo cáo quý cho Y phải không?" → Y): the premise checked, which may be wrong. The plan's
    line is X's own; Y's name must neither pick the passage nor make Y the one reporting. Empty
    when the question checks nothing or names no reporter ("báo cáo UBND tỉnh phải không?")."""
    if not info.confirm or _CHECKED_DATE.search(info.text):
        return set()  # a date checked is the premise ("gửi Sở Y tế trước 31/3 phải không?"): the recipient stands
    if "reporting" not in info.kinds and not info.asks_recipient:
        # a question about no report names no recipient: "mua sắm trang thiết bị cho Bộ đội Biên
        # phòng" is whom the task serves, and who leads it is what is checked
        return set()
    told = recipients_named(info.text)
    if not told or not (set(info.agencies) - told or actor_phrase(info.subject or info.text)):
        return set()
    return told


def earlier_recipients(prepared: Prepared) -> set[str]:
    """Where the report goes by the turn a follow-up leans on ("hạn của báo cáo đó?" after "…
    báo cáo tổng kết gửi UBND tỉnh?"): bodies its retrieval text, which carries that turn, names
    after a reporting verb and this turn does not. Empty for a question asked on its own."""
    return recipients_named(prepared.retrieval_text) - recipients_named(prepared.info.text)

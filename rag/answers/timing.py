"""When a task is due: the time of the item whose words are the task the question names.

A question about time ("… trong thời hạn nào?", "… bao nhiêu ngày?", "… bắt đầu từ năm nào?",
"… bao lâu một lần?") names a task; its answer is the time of *that* task's item, in the plan's
own words, cited, never a date of another item that happens to carry one. Decree 30/2020 plans
state a task's time in a few places, which are read here in order:
- the task's own sentence ("… ban hành trong 30 ngày kể từ ngày Kế hoạch này được ban hành",
  "(hoàn thành trong tháng 11/2025)", "Hằng năm, trước ngày 31/10, …"), or its table row's time
  column ("| Tháng 8/2026 |", "| Hàng năm |");
- a labelled line of the item ("- Thời gian thực hiện: trong 60 ngày kể từ …", "Thời gian: Từ ngày
  15/11/2025 đến ngày 15/12/2025", "Thời gian thực hiện: Theo tiến độ …"), in the item itself,
  in a sibling point that holds the item's fields, or in the item above a point;
- the heading the item sits under ("1. Nhiệm vụ năm 2026").
"Thường xuyên", "hằng năm", "ngay sau khi …" are times. A task matched whose item states no time
is answered with the task alone, and the answer path declines for the missing time
(rag/answers/extractive.py): a date of another item is a wrong answer, a refusal is not.

When the item refers its time to an appendix ("Thời gian thực hiện: theo Phụ lục II"), the
appendix row of the same task is the item that states it: among the items that match the task
about as well, one that states its own time is preferred.
"""

from __future__ import annotations

import re

from index.facts import SentenceFacts
from index.models import Chunk
from index.ocr_repair import display_form
from lang.agencies import AGENCIES
from lang.dates import SLASH, YEAR, day_month, numeric_date
from lang.markers import CITATION_NUMBER_TEXT
from lang.normalize import collapse_ws, fold, match_tokens, search_terms
from rag import passage
from rag.answers.common import citation, earlier_recipients, trim_quote
from rag.answers.reader import PlanReader, names_columns, whole_name
from rag.answers.record import item_slot
from rag.answers.table import table_answer
from rag.cues import any_cue, group, has_cue
from rag.prepared import PlanEvidence, Prepared
from rag.prompts import message
from rag.slots import asked_activity, filled
from rag.types import Citation

# the task must be matched this well (share of the question's topic weight) to be the item asked
MIN_TASK_COVERAGE = 0.55
# a task matched this well whose item states no time is declined for the time (not answered by
# another unit with another item's date)
SURE_TASK = 0.8
# a task matched this well whose own sentence states the time and where it goes answers a
# question asking both, when the reporting unit found no reporting line
CLOSE_TASK = 0.7
# items matching within this share of the best are the same task said again (a body point and its
# appendix row): one that states its own time is preferred
SAME_TASK_SHARE = 0.85
# matches this close are equally good: the one stating a time is the answer
TIE = 0.02
# the share of the task's words the best sentence lacks that another sentence of its item must say
ADDS_SHARE = 0.25
# a heading dates the items under it only this close above them
HEADING_LEVELS = 2

_YEAR = re.compile(r"\b(?:19|20)\d\d\b")
# a date the question writes ("… là 30/9/2025 phải không?", "hạn 15/6 đúng không?"): the value it
# checks, never a word of the task (it would pick the item that states that date)
_QUESTION_DATE = re.compile(rf"(?<![\d/]){day_month(capture=False)}(?:{SLASH}{YEAR})?(?![\d/])")
# a table row named by its number ("STT 2", "dòng 3", "số thứ tự 12"; folded): the table unit's
_ROW_BY_NUMBER = re.compile(r"\b(?:stt|so thu tu|dong)\s+(?:so\s+)?\d{1,3}\b")
# both ends of a span: two dates ("từ ngày 15/9/2024 đến ngày 31/10/2024", "15/9 - 31/10/2024")
_DAY_MONTH = re.compile(rf"(?<![\d/]){day_month(capture=False)}(?![\d])")
# "định kỳ" alone ("định kỳ báo cáo … theo quy định") names no period and no day
_BARE_PERIODIC = re.compile(r"\bdinh ky\b")
# words that ask about time, not name the task ("trong thời hạn nào", "trước ngày mấy", "bao lâu")
_TIME_ASKING = frozenset({"truoc", "ngay", "han", "thoi", "gian", "bao", "lau", "nhieu", "khi", "nao", "lan", "dinh",
                          "ky", "tu", "den", "thang", "nam", "quy", "may", "mot", "1", "cham", "nhat", "tan", "suat",
                          "bat", "dau", "phai", "co", "trong", "vao", "la", "hang", "moi", "xong", "het", "thuc", "hien"})
# words of a body's kind ("UBND cấp huyện", "Ủy ban nhân dân các xã"; a level, "cấp xã"): who, not what
_BODY_WORDS = frozenset({"ubnd", "uy", "ban", "nhan", "dan", "cap", "cac"})
# what the heading's words add to a sentence's match, beside the reader's usual share
HEADING_SHARE = 0.5
# what a word of the plan's title weighs beside the task's other words
TITLE_SHARE = 0.3
# a sentence of the purpose part matches a task this much less
PURPOSE_SHARE = 0.7
# a passage about another body than the one named matches the task this much less
OTHER_BODY = 0.75
# a sentence of the opposite period ("Trong thời kỳ cao điểm" asked "Ngoài thời kỳ cao điểm")
# matches the task this much less
OTHER_PERIOD = 0.6
# an item that states no recurrence matches a "how often" question this much less
NO_RECURRENCE = 0.75
# the words after a period word that name the period ("thời kỳ cao điểm", "mùa mưa bão")
PERIOD_WORDS = 2


def asks_time(prepared: Prepared) -> bool:
    """Does the question ask when (a due time, a duration, a start, a span) or how often?"""
    info = prepared.info
    if info.document or "document" in info.asked:
        return False  # the plan's own period, number or date (rag/answers/metadata.py), a cited document's
    if {"deadline", "frequency"} & set(info.asked):
        return True
    # "Tài liệu … hạn 30/9/2024 phải không?": a date checked against a deadline word asks the deadline
    return "deadline" in info.kinds and bool(_QUESTION_DATE.search(info.folded)) \
        and info.confirm


def checks_date(prepared: Prepared) -> bool:
    """Does the question put a date to the reader to confirm ("… trước 30/11/2025 phải không?")?
    It asks the task's time, whether or not a deadline word says so."""
    return prepared.info.confirm and bool(_QUESTION_DATE.search(prepared.info.folded))


def _opposite_period(question_folded: str, text_folded: str) -> bool:
    """Whether the text states the opposite period of the one the question names ("Trong thời kỳ
    cao điểm" for "Ngoài thời kỳ cao điểm, … bao lâu một lần?"), and not the one named."""
    words = group("timing")["period_opposites"]
    for word in words:
        for match in re.finditer(rf"\b{word}((?: [a-z]+){{{PERIOD_WORDS}}})", question_folded):
            named = match.group(1)
            if any(has_cue(text_folded, other + named) for other in words if other != word) \
                    and not has_cue(text_folded, word + named):
                return True
    return False


def _states_span(text: str) -> bool:
    """Does a sentence state a span by both its ends (two dates)?"""
    return len(_DAY_MONTH.findall(text)) >= 2


def _without_question_years(text: str, question_folded: str) -> str:
    """The text without the years the question itself names ("kế hoạch … năm 2025 của địa
    phương" asked "trong thời hạn nào?": 2025 names the task, it is not its time)."""
    years = set(_YEAR.findall(question_folded))
    if not years:
        return text
    return _YEAR.sub(lambda m: " " if m.group(0) in years else m.group(0), text)


def states_time(text: str, question_folded: str) -> bool:
    """Whether a sentence states a time beyond what the question names: a date, a month, quarter
    or year, a recurrence, "thường xuyên", a duration counted from an event."""
    said = _BARE_PERIODIC.sub(" ", " ".join(fold(_without_question_years(text, question_folded)).split()))
    return filled("deadline", said) or filled("frequency", said)


def _time_line(reader: PlanReader, chunk: Chunk) -> tuple[Chunk, str] | None:
    """The item's labelled time line: in the chunk, else in a point after it that holds the item's
    fields ("b) Thời gian: …" after "a) Tháng hành động …"; a field follows what it describes, and a
    point that is a task of its own ends the fields), or in the item above the point."""
    own = passage.labelled(chunk, "time")
    if own:
        return chunk, own
    if chunk.section.count(".") < 1:
        return None
    parent_path = chunk.section.rsplit(".", 1)[0]
    snap = reader.store.snapshot()
    chunks = snap.chunks_of(chunk.source) if snap else []
    later = sorted((c for c in chunks if c.section.rsplit(".", 1)[0] == parent_path
                    and c.section.count(".") == chunk.section.count(".") and c.start_line > chunk.start_line),
                   key=lambda c: c.start_line)
    for other in later:
        if not _is_field_point(other):
            break
        line = passage.labelled(other, "time")
        if line:
            return other, line
    parent = next((c for c in chunks if c.section == parent_path), None)
    line = passage.labelled(parent, "time") if parent is not None else None
    return (parent, line) if parent is not None and line else None


def item_time_line(reader: PlanReader, citations: list[Citation]) -> str | None:
    """The time of the item an answer cites, when the answer quoted another of its lines: its
    record's time line (index/items.py: the dash's own "Thời hạn hoàn thành: …" under it, the field
    "c) Thời gian thực hiện: Thực hiện thường xuyên" of a sibling point, the heading's "1. Mục tiêu
    đến hết năm 2026"), quoted with its citation appended, or None. The field is the task's time,
    whatever words it uses."""
    snap = reader.store.snapshot()
    for cited in list(citations):
        chunk = next((c for c in snap.chunks_of(cited.source) if c.section == cited.section), None) if snap else None
        if chunk is None:
            continue
        recorded = item_slot(reader, chunk, "time", cited.quote)
        if recorded is not None:
            line_chunk, slot = recorded
            quote = collapse_ws(slot.line)
            if f" {' '.join(match_tokens(quote))} " in f" {' '.join(match_tokens(cited.quote))} ":
                continue  # the quote already says it
            citations.append(citation(len(citations) + 1, line_chunk, quote))
            return f"{quote.lstrip('-–+• ')} [{len(citations)}]"
        found = _time_line(reader, chunk)
        if found is None or found[0].chunk_id == chunk.chunk_id:
            continue  # the cited chunk's own time line is already quoted with it, or there is none
        quote = collapse_ws(found[1])
        citations.append(citation(len(citations) + 1, found[0], quote))
        return f"{quote} [{len(citations)}]"
    return None


def _is_field_point(chunk: Chunk) -> bool:
    """A point that is one of its item's fields ("c) Thời gian thực hiện: …"), not a task of its own
    that happens to have a time line."""
    labels = [label for label in chunk.facts.line_labels if label]
    lines = [ln for ln in chunk.text.split("\n") if ln.strip()]
    # "b) Cơ quan thực hiện:" heads the labelled lines below it ("- Đơn vị chủ trì: …"): a field too
    heads_fields = bool(lines) and lines[0].rstrip().endswith(":") and len(labels) >= len(lines) - 1
    return bool(lines) and (chunk.facts.line_labels[0] != "" or heads_fields) and len(labels) >= len(lines) - 1


def _heading_time(chunk: Chunk, question_folded: str) -> str | None:
    found = chunk.facts.heading_time
    if not found or found[1] > HEADING_LEVELS:
        return None
    return found[0] if states_time(found[0], question_folded) else None


def _when(reader: PlanReader, chunk: Chunk, sentence: str, question_folded: str) -> list[tuple[Chunk, str]] | None:
    """Where the item of `sentence` states its time: [] when the sentence itself does, the lines to
    add otherwise, None when the item states none."""
    if states_time(sentence, question_folded):
        return []
    line = _time_line(reader, chunk)
    if line is not None:
        return [line]
    heading = _heading_time(chunk, question_folded)
    if heading is not None:
        return [(chunk, heading)]
    return None


def _item_text(chunk: Chunk, fact: SentenceFacts) -> str:
    """A table row is one item: the whole row (its chunk; an OCR'd row may wrap over lines), not the
    part of it a semicolon in a cell cut off."""
    is_row = " | " in fact.text and chunk.section.startswith("PL") and "." in chunk.section
    return collapse_ws(chunk.text) if is_row else fact.text


def _whole_row(chunk: Chunk, sentence: str) -> str:
    """A table row's line whole, not the part of it after a semicolon of a cell."""
    for line in chunk.text.split("\n"):
        if " | " in line and collapse_ws(sentence) in collapse_ws(line):
            return line
    return sentence


def _renumbered(text: str, tried: list[Citation], citations: list[Citation]) -> str:
    """The markers [n] of an answer made with its own citation list, numbered as appended."""
    offset = len(citations) - len(tried)
    return re.sub(CITATION_NUMBER_TEXT, lambda m: f"[{int(m.group(1)) + offset}]", text)


def _field_of_bodies(text: str) -> bool:
    """A "- Đơn vị phối hợp: …" line, read as repaired when OCR misread it ("Don vi phdi hop")."""
    if not text.lstrip().startswith(("-", "+", "–")):
        return False
    shown = display_form(text)
    return passage.is_lead_line(shown) or passage.is_coop_line(shown)


def _in_purpose_part(chunk: Chunk) -> bool:
    """Whether the chunk is in the plan's "Mục đích, yêu cầu" part: it states aims and manners
    ("thường xuyên kiểm tra, đôn đốc …"), not the tasks and their times."""
    top = chunk.ancestors[0] if chunk.ancestors else chunk.section_title
    folded = " ".join(fold(top).split())
    return "muc dich" in folded or folded.endswith("yeu cau")


def _refers_elsewhere(line: str) -> bool:
    """A time field that sends the reader to an appendix ("theo Phụ lục II")."""
    return " phu luc" in f" {' '.join(fold(line).split())}"


# "… theo thời hạn tại khoản 5 Mục II", "đúng tiến độ quy định tại điểm b": a time noun, then
# within a few words the reference
_REFERRED_TIME = re.compile(
    r"\b(?:" + "|".join(map(re.escape, group("timing")["by_reference"])) + r")\b(?: \S+){0,4}? "
    r"(?:tai|theo|nhu) (?:(?:diem|khoan|tieu muc|muc|phan|phu luc)\b)")


def _time_by_reference(reader: PlanReader, every: list[Candidate], chunk: Chunk, sentence: str,
                       topic: dict[str, float], question: str) -> tuple[Chunk, str] | None:
    """The time a task takes from another part of the plan: of the sentence's clauses, the one
    naming the task best says "theo thời hạn tại khoản 5 Mục II" and states no time of its own;
    the time is what the part referred to (resolved at ingest, `chunk.xrefs`) states. A clause
    that states its own time keeps it."""
    if not chunk.xrefs:
        return None
    clauses = [c for c in re.split(r";", sentence) if c.strip()]
    scores = [reader.score_sentence(c, frozenset(), topic, [])[0] for c in clauses]
    timed_by_reference = [i for i, c in enumerate(clauses)
                          if _REFERRED_TIME.search(" ".join(fold(c).split())) and not states_time(c, question)]
    if not timed_by_reference:
        return None
    # the clause timed by reference names the task asked best, or the part referred to matches the
    # question as well as the sentence does: that part's time is the one asked
    by_clause = scores.index(max(scores)) in timed_by_reference
    best = max((c[0] for c in every if c[1] is chunk), default=0.0)
    targets = [path for path in chunk.xrefs if path != chunk.section and not chunk.section.startswith(path + ".")]
    for coverage, other, other_fact in every:
        if any(other.section == t or other.section.startswith(t + ".") for t in targets):
            text = _item_text(other, other_fact)
            if states_time(text, question) and (by_clause or coverage >= SAME_TASK_SHARE * best):
                return other, text
    return None


def task_weights(reader: PlanReader, prepared: Prepared, title: str) -> dict[str, float]:
    """The question's words that name the task: its cue words, the words asking about time and
    the names of the bodies it names aside (the body is matched as a body, not by its words). The
    words of the plan's own title stay: a task is often to make the local version of the plan
    ("xây dựng kế hoạch phòng, chống dịch bệnh động vật năm 2025 của địa phương")."""
    weights = reader.weights(prepared, "")
    beside_title = reader.weights(prepared, title)
    # the title's words count less: most passages of the plan share them
    weights = {t: w if t in beside_title else TITLE_SHARE * w for t, w in weights.items()}
    agency_words = {t for name in prepared.info.agencies for t in match_tokens(name)}
    for name in prepared.info.agencies:
        for form in AGENCIES.get(name, ()):
            agency_words.update(match_tokens(form))
    skip = agency_words | set(prepared.info.cue_words) | _TIME_ASKING | _BODY_WORDS
    # "kéo dài từ ngày nào đến ngày nào?": how the span is asked, no word of the task
    skip |= {w for cue in group("timing")["span"] if has_cue(prepared.info.folded, cue) for w in cue.split()}
    skip |= {n for m in _QUESTION_DATE.finditer(prepared.info.folded) for n in re.findall(r"\d+", m.group(0))}
    return {t: w for t, w in weights.items()
            if not set(t.split("_")) <= skip and not (t.startswith("cap_") and t.count("_") == 1)}


Candidate = tuple[float, Chunk, SentenceFacts]
Scored = list[tuple[float, float, Chunk, str]]


def _same_point(chunk: Chunk, fact: SentenceFacts, question: str) -> tuple[Chunk, str] | None:
    """The sentence of the same point line that states the time ("a) Rà soát quy hoạch …; Sở Xây
    dựng chủ trì … thực hiện trong năm 2026–2027.")."""
    return next(((chunk, other.text) for other in chunk.facts.sentences
                 if other.line == fact.line and other.text != fact.text and not other.withheld
                 and states_time(other.text, question)), None)


# a labelled field line of an item ("- Sản phẩm: …", "- Kết quả: …"): a short label, then a colon
_FIELD_LINE = re.compile(r"^\s*[-–+•]\s*[^:;,.]{2,30}:\s")
# a calendar date of its own ("trình UBND tỉnh trước ngày 10/01/2026"): such a field answers itself
_CALENDAR_DATE = re.compile(rf"(?<![\d/]){numeric_date(capture=False)}(?!\d)")
_NEXT_TASK = re.compile(r"^\s*(?:[-–+•]|[a-zđ]\)|\d+(?:\.\d+)*\.\s)")


def _own_time_line(chunk: Chunk, fact: SentenceFacts) -> str | None:
    """The labelled time line right under the task's own dash or point ("- Thành lập Ban Chỉ đạo
    …\nThời gian hoàn thành: Trước ngày 15/11/2025."): in an item whose dashes each carry a time
    field, the field before the next dash is this task's, never a sibling's."""
    lines = chunk.text.split("\n")
    for line in lines[fact.line + 1:]:
        if not line.strip():
            continue
        if passage.is_time_line(line):
            return line.strip()
        if _NEXT_TASK.match(line):
            return None  # the next task begins: this one has no field of its own
    return None


def _pick(reader: PlanReader, every: list[Candidate], candidates: list[Candidate], same_task: list[Candidate],
          topic: dict[str, float], question: str) -> tuple[Chunk, str, list[tuple[Chunk, str]]]:
    """The item of the task and where it states its time: the best match's own sentence; a
    sentence of the same item that matches as well and states it, or the rest of its point's line;
    the item's time field; the section it refers to ("theo điểm b khoản 5 Mục III"); the same
    task said again elsewhere with its time (its appendix row, when the field says "theo Phụ
    lục"); else the task alone (the answer path then declines for the missing time)."""
    best, chunk, fact = same_task[0]
    sentence = _item_text(chunk, fact)
    referred = _time_by_reference(reader, every, chunk, sentence, topic, question)
    if referred is not None:
        return chunk, sentence, [referred]
    if states_time(sentence, question):
        return chunk, sentence, []
    own = _own_time_line(chunk, fact)
    if own is not None and states_time(own, question):
        return chunk, sentence, [(chunk, own)]  # the dash's own field, not a sibling dash's
    # a sentence of the same item that states a time and says a word of the task the best one
    # lacks ("… kế hoạch chi tiết trình UBND tỉnh trước ngày 15/9" under "3.2. Tổ chức Lễ hội …",
    # asked when the detailed plan is due)
    have = set(search_terms(list(fact.tokens)))
    lacking = {t: w for t, w in topic.items() if t not in have}
    for coverage, other, other_fact in every:
        if other.section != chunk.section or other_fact is fact or " | " in other_fact.text \
                or not states_time(other_fact.text, question):
            continue
        adds, _ = reader.score_sentence(other_fact.text, frozenset(), lacking, [], other_fact.tokens) if lacking \
            else (0.0, 0.0)
        if coverage >= best - TIE or adds >= ADDS_SHARE:
            dated_title = other_fact.line == 0 and (other.facts.heading_time or ("", 1))[1] == 0
            if passage.is_time_line(other_fact.text) or dated_title:
                # the task, then its time field, or the time its item's title gives ("1. Mục tiêu
                # đến hết năm 2026" above the dash asked)
                return chunk, sentence, [(other, other_fact.text)]
            lines = other.text.split("\n")
            item_time = passage.labelled(other, "time")
            if item_time is not None and other_fact.line < len(lines) and _FIELD_LINE.match(lines[other_fact.line]) \
                    and not _CALENDAR_DATE.search(other_fact.text):
                # another field of the item states a time relative to an event ("- Sản phẩm: Kết luận
                # … trong 15 ngày kể từ ngày kết thúc đợt kiểm tra"): the task's own time is the
                # item's time field; a field with a date of its own ("kế hoạch chi tiết trình UBND
                # tỉnh trước ngày 10/01/2026") is the deadline it states
                return chunk, sentence, [(other, item_time)]
            return other, other_fact.text, []
    rest = _same_point(chunk, fact, question)
    if rest is not None:
        return chunk, sentence, [rest]
    field = _when(reader, chunk, sentence, question)
    if field and not _refers_elsewhere(field[0][1]):
        return chunk, sentence, field
    referred = next(((c, _item_text(c, f)) for _, c, f in candidates
                     if c.section in chunk.xrefs and states_time(_item_text(c, f), question)), None)
    if referred is not None:
        return referred[0], referred[1], []
    again = next(((c, _item_text(c, f)) for _, c, f in same_task[1:] if states_time(_item_text(c, f), question)), None)
    if again is not None:
        return again[0], again[1], []
    return chunk, sentence, field or []


def timing_answer(reader: PlanReader, prepared: Prepared, plan: PlanEvidence, scored: Scored,
                  citations: list[Citation], after_reporting: bool = False) -> str | None:
    """The time of the task the question names, or None when this unit does not answer it;
    `after_reporting`: the turn of questions that also ask where a report goes (the reporting unit
    answers them first), answered only by a task matched closely whose sentence says both."""
    if not asks_time(prepared) or ("recipient" in prepared.info.asked) != after_reporting:
        return None

    if not reader.has_body(plan.source):
        return None  # a plan whose outline could not be read has no items to match a task to
    if _ROW_BY_NUMBER.search(prepared.info.folded):
        return None  # a row named by its number: the table unit reads the columns asked of it
    if "reporting" in prepared.info.kinds and (prepared.info.agencies or earlier_recipients(prepared)) \
            and "frequency" not in prepared.info.asked:
        # who reports to whom, the body named as sender or recipient (by this turn, or by the turn a
        # follow-up leans on: "hạn của báo cáo đó?" after "… báo cáo gửi UBND tỉnh?"): the reporting unit's
        return None
    topic = task_weights(reader, prepared, plan.title)
    snap = reader.store.snapshot()
    if not topic or snap is None:
        return None
    question = prepared.info.subject_folded
    skip_preamble = True
    named = set(prepared.info.agencies)
    recurrence = "frequency" in prepared.info.asked
    activity = asked_activity(prepared.info.text) if recurrence else None
    every: list[Candidate] = []
    for chunk in snap.chunks_of(plan.source):
        if chunk.section == "preamble" and skip_preamble:
            continue  # the legal bases cite what other documents ask, not what this plan assigns
        purpose = _in_purpose_part(chunk)
        labels = chunk.facts.line_labels
        for fact in chunk.facts.sentences:
            label = labels[fact.line] if fact.line < len(labels) else ""
            if fact.withheld or label in ("lead", "cooperating") or _field_of_bodies(fact.text):
                continue  # a field line names who, not the task
            if names_columns(chunk, fact.text):
                continue  # a table's header ("| Thời gian hoàn thành |") is no task: its rows are
            own, _ = reader.score_sentence(fact.text, frozenset(), topic, [], fact.tokens)
            under, _ = reader.score_sentence(fact.text, chunk.facts.heading_terms, topic, [], fact.tokens)
            # the heading's words name the item, but every sentence under it shares them: the
            # sentence's own words decide between the sentences of one heading and another's
            coverage = own + HEADING_SHARE * (under - own)
            if named and not named & reader.agencies_of(chunk):
                coverage *= OTHER_BODY
            if purpose:
                coverage *= PURPOSE_SHARE
            folded = " ".join(fold(fact.text).split())
            if _opposite_period(prepared.info.folded, folded):
                coverage *= OTHER_PERIOD
            if recurrence and not filled("frequency", chunk.text):
                coverage *= NO_RECURRENCE  # "mấy lần?": the item stating none (nor its fields) is another
            elif activity and filled("frequency", fact.text) and activity in search_terms(list(fact.tokens)):
                coverage /= NO_RECURRENCE  # the rate stated of the very activity asked ("vận hành … 24/7")
            every.append((coverage, chunk, fact))
    every.sort(key=lambda c: -c[0])
    candidates = [c for c in every if c[0] >= MIN_TASK_COVERAGE and not passage.is_time_line(c[2].text)]
    if not candidates:
        return None
    best = candidates[0][0]
    same_task = [c for c in candidates if c[0] >= SAME_TASK_SHARE * best]
    if len({c[1].section for c in same_task}) > 3:
        return None  # the words name no one task (a topic the plan speaks of everywhere)
    if any_cue(prepared.info.folded, group("timing")["span"]):
        # a span asked: the item stating both ends (a phase heading "(từ ngày … đến ngày …)") before
        # one of the same task dated once or by a recurrence ("báo cáo … hằng tuần trong Giai đoạn 1")
        spanning = next((c for c in same_task if _states_span(_item_text(c[1], c[2]))), None)
        if spanning is not None:
            same_task = [spanning, *(c for c in same_task if c is not spanning)]
    chunk, sentence, extra = _pick(reader, every, candidates, same_task, topic, question)
    if after_reporting and (extra or same_task[0][0] < CLOSE_TASK or chunk is not same_task[0][1]
                            or not states_time(sentence, question)):
        return None
    row = _whole_row(chunk, sentence)
    if " | " in row and not extra and scored:
        # a row of an appendix table: the table unit answers the columns asked, when it reads
        # this same row
        tried: list[Citation] = []
        table = table_answer(reader, prepared, plan, scored, tried)
        if table and tried and all(c.section == chunk.section for c in tried):
            for c in tried:
                citations.append(c.model_copy(update={"id": len(citations) + 1}))
            return _renumbered(table, tried, citations)
    sentence = row
    if not extra and not states_time(sentence, question) and same_task[0][0] < SURE_TASK:
        return None  # no time found for a task matched loosely: another unit may read the question better
    others = [slot for slot in prepared.info.asked if slot not in ("deadline", "frequency")]
    said = " ".join([sentence, *(line for _, line in extra)])
    if others and not all(filled(slot, said) for slot in others):
        return None  # the other things asked (to whom, who leads) are another unit's to gather
    weights = reader.weights(prepared, plan.title)
    quote = trim_quote(collapse_ws(sentence), weights)
    citations.append(citation(len(citations) + 1, chunk, quote))
    parts = [f"{quote} [{len(citations)}]"]
    for line_chunk, line in extra:
        text = collapse_ws(line).lstrip("-–+• ")
        citations.append(citation(len(citations) + 1, line_chunk, collapse_ws(line)))
        parts.append(f"{text} [{len(citations)}]")
    label = chunk.section_label
    agency = reader.section_agency(chunk)
    if agency:
        agency = whole_name(chunk, agency)
        if match_tokens(agency)[:3] != match_tokens(quote)[:3]:
            label = f"{label} – {agency}"  # the heading names who the point is for
    if {"lead", "cooperating"} & set(prepared.info.kinds) and not filled("lead", f"{label} {said}"):
        return None  # who does it is asked too, and the item does not say: another unit's to gather
    return message("according_to", title=plan.title, label=label) + ": " + " ".join(parts)

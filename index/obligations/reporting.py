"""Reporting lines: who reports to whom, through whom and onward to whom, with the report's due time."""

from __future__ import annotations

import re
from dataclasses import replace

from index.obligations.actors import _Frames, _listed_from, _positions
from index.obligations.deadlines import (
    _deadline_in,
    _deadlines_in,
    _recurrences,
    _relative_deadline,
    period_deadlines,
)
from index.obligations.records import Obligation, _Place
from lang.abbreviations import expand_abbreviations
from lang.agencies import AgencyMention
from lang.normalize import match_tokens
from lang.parties import organs_joined
from lang.syllables import is_valid_syllable


def _report_positions(tokens: list[str], mentions: list[AgencyMention], frames: _Frames | None = None) -> list[int]:
    """Where a sentence states a reporting line: "báo cáo", "gửi (báo cáo) về", or "gửi" right
    before an agency ("gửi Sở Thông tin và Truyền thông tổng hợp"). "Báo cáo viên" (a person) and
    "báo cáo của X" (a document) are nouns, not duties."""
    found = [i for i in _positions(tokens, "bao cao", frames=frames)
             if (i + 2 >= len(tokens) or tokens[i + 2] not in ("vien", "cua"))
             and "che do" not in " ".join(tokens[max(0, i - 4): i])  # "Chế độ (thông tin,) báo cáo": a heading
             and not _document_noun(tokens, i)]
    # "gửi về" is short enough that its frame alone meets "giới và" ("biên giới và"): one word exact
    found += [i for i in _positions(tokens, "gui ve", "gui bao cao", frames=frames)
              if tokens[i] == "gui" or tokens[i + 1] in ("ve", "bao")]
    # "gửi Cơ quan thường trực Ban Chỉ đạo", "báo cáo Trưởng ban Ban Chỉ đạo": an office of the body
    starts = {_office_start(tokens, m) for m in mentions}
    # "phản ánh (kịp thời) về Sở X": difficulties reported to an agency
    found += [i for i in _positions(tokens, "phan anh", frames=frames)
              if {i + 2, i + 3, i + 4} & starts and "ve" in tokens[i + 2: i + 4]]
    # "gửi kết quả rà soát … về Sở X": the "về" before an agency, a few words after "gửi"
    for i in _positions(tokens, "gui", frames=frames) if "gui" in tokens else ():
        for j in range(i + 2, min(len(tokens) - 1, i + 60)):
            if tokens[j] == "ve" and j + 1 in starts:
                found.append(j)
                break
    # "gửi Sở X tổng hợp, báo cáo UBND tỉnh": the first recipient is the one after a bare
    # "gửi" right before an agency. OCR'd "giti", "giri" are no syllable; "giữa" (between, OCR'd
    # "gitta", "gilra") ends in "a". Alone, "gửi Sở Tài chính thẩm định" is no report; "gửi Sở X
    # trước ngày 15/7", "gửi Sở X để tổng hợp", "…, gửi Sở X." are submissions the plan times or
    # ends on, reporting lines of the genre.
    for i, t in enumerate(tokens):
        if not (t == "gui" or (t[:1] == "g" and t[-1:] == "i" and len(t) <= 4 and not is_valid_syllable(t))):
            continue
        head = next((m for m in mentions if _office_start(tokens, m) in (i + 1, i + 2)), None)
        if head is None:
            continue
        if found or _submission_end(tokens, _listed_from(head, mentions, tokens, [])[-1].end):
            found.append(i)
    return sorted(set(found))


# what may follow the recipient of a bare "gửi Sở X": its time, or that Sở X compiles it
_SUBMISSION_NEXT = ("truoc", "trong", "hang", "dinh ky", "cham nhat", "de", "tong hop", "qua", "dong thoi", "ngay")


def _submission_end(tokens: list[str], end: int) -> bool:
    """After "gửi <agency>": the sentence ends, or a time or "(để) tổng hợp" follows."""
    after = " ".join(tokens[end: end + 2])
    return end >= len(tokens) or any(after == w or after.startswith(w + " ") for w in _SUBMISSION_NEXT)


# "xây dựng / dự thảo / chuẩn bị báo cáo", "các báo cáo": the report as a document being written,
# not a line to anyone (a "gửi X" after it states the line)
_DOCUMENT_VERBS = ("xay dung", "du thao", "chuan bi", "soan thao")


def _document_noun(tokens: list[str], i: int) -> bool:
    return (i > 0 and tokens[i - 1] in ("cac", "nhung")) or " ".join(tokens[max(0, i - 2): i]) in _DOCUMENT_VERBS


# a day without its month ("trước ngày 15 của tháng cuối quý", "hằng tháng, trước ngày 25"): a recurring date
_DAY_ONLY = re.compile(r"trước\s+ngày\s+\d{1,2}(?!\s*[/\d])(?!\s+tháng\s+\d)", re.IGNORECASE)


def _reporting_rows(sentence: str, tokens: list[str], frames: _Frames, mentions: list[AgencyMention],
                    actor: str | None, parent_text: str, quote: str, base: _Place) -> list[Obligation]:
    """One row per recipient of each report a sentence states ("báo cáo Bộ Công an, UBND tỉnh": two
    rows), its recipient the one it goes to first ("báo cáo UBND tỉnh (qua Sở X)": via Sở X; "gửi
    Sở X tổng hợp, báo cáo UBND tỉnh": Sở X, onward UBND tỉnh)."""
    report_at = _report_positions(tokens, mentions, frames)
    if not report_at:
        return []
    mentions = organs_joined(tokens, mentions)  # "Ban Thường vụ Trung ương Hội Nông dân Việt Nam": one body
    # "(qua Sở X)"; "kết quả", "hiệu quả" fold to the same word
    via_at = [v for v in _positions(tokens, "qua", frames=frames) if v == 0 or tokens[v - 1] not in ("ket", "hieu")]
    vias = [m for m in mentions for v in via_at if 0 < _office_start(tokens, m) - v <= 2]
    sentence_dues, sentence_relative = _dues(sentence)
    # "báo cáo UBND tỉnh hằng quý, trước ngày 25 của tháng cuối quý; báo cáo năm gửi Bộ X trước ngày
    # 20/12/2026": each clause's report is timed by its own clause (the sentence's time when the
    # clause states none)
    cuts = [i for i, c in enumerate(sentence) if c == ";"]
    clause_starts = [len(match_tokens(sentence[:i])) for i in cuts]
    clause_texts = [sentence[a + 1 if a >= 0 else 0: b] for a, b in zip([-1, *cuts], [*cuts, len(sentence)], strict=True)]

    def clause_of(position: int) -> int:
        return sum(1 for start in clause_starts if start <= position)

    def timed(position: int) -> tuple[list[_Due], str | None]:
        if not cuts:
            return sentence_dues, sentence_relative
        own, own_relative = _dues(clause_texts[clause_of(position)])
        if own_relative or any(d[0] or d[3] for d in own):
            return own, own_relative
        return sentence_dues, sentence_relative
    # what passes a report on: "tổng hợp", "trình", another "báo cáo" (OCR spellings by frame)
    cue_positions = set(report_at) | set(_positions(tokens, "trinh", "tong hop", frames=frames))
    default_reporter = (actor or _subject(tokens, mentions, vias, report_at[0]) or _reporter_phrase(sentence, parent_text)
                        or "các cơ quan, đơn vị được giao nhiệm vụ")
    out: list[Obligation] = []
    out_at, last_from = -1, 0  # where the last report read starts, and its first row
    consumed = -1
    for cue in report_at:
        if cue < consumed:
            continue  # part of the report read before ("… tổng hợp, báo cáo UBND tỉnh")
        passed_on = bool(out) and 0 <= cue - consumed <= 3 and "de" in tokens[consumed:cue]
        if not passed_on and _to_bare_head(tokens, cue, mentions):
            # "báo cáo Trưởng ban ngay …", "báo cáo Trưởng ban, UBND tỉnh": the head of the plan's
            # committee, named by register.py once the plan's committee is known
            dues, relative = timed(cue)
            out += [Obligation(kind="reporting", agency=default_reporter, recipient=COMMITTEE_HEAD, due_date=when,
                               deadline_text=printed, flags=marks, recurrence=tags, relative=relative,
                               quote=quote, **base)
                    for when, printed, marks, tags in dues]
        after = [m for m in mentions if m.start > cue and m not in vias]
        if not after:
            heads = [m for m in vias if m.start > cue]
            if not heads:
                if out and cuts and clause_of(cue) != clause_of(out_at):
                    # "…, báo cáo UBND tỉnh hằng quý; báo cáo năm trước ngày 20/11/2026": the line
                    # before again, due by its own clause's date ("báo cáo đột xuất" adds no row)
                    dues, relative = timed(cue)
                    shown = list({(r.recipient, r.via, r.onward): r for r in out[last_from:]}.values())
                    out += [replace(r, due_date=when, deadline_text=printed, flags=marks, recurrence=tags,
                                    relative=relative)
                            for r in shown for when, printed, marks, tags in dues if when]
                    out_at = cue
                continue
            after = heads
        head = after[0]
        dues, relative = timed(cue)
        if head.start - cue > 25 or clause_of(head.start) != clause_of(cue):
            continue  # too far, or past a ";", to be what this report goes to
        if tokens[cue] == "bao" and tokens[head.start - 1] == "cua" and cue + 2 < head.start \
                and " ".join(tokens[head.start - 3: head.start - 1]) not in _ASKED_BY:
            # "Báo cáo kết quả hoạt động năm của Ban Chỉ đạo": whose report, not where it goes
            # ("báo cáo đột xuất theo yêu cầu của UBND tỉnh" goes to the body asking)
            continue
        listed = _listed_from(head, mentions, tokens, vias)
        if tokens[cue + 2: cue + 3] == ["tu"] and head.start - cue <= 4:
            # "tổng hợp báo cáo từ các sở, ngành …": the bodies named report to the one addressed
            if actor:
                out += [Obligation(kind="reporting", agency=", ".join(dict.fromkeys(m.name for m in listed)),
                                   recipient=actor, due_date=when, deadline_text=printed, flags=marks,
                                   recurrence=tags, relative=relative, quote=quote, **base)
                        for when, printed, marks, tags in dues]
            consumed = listed[-1].end
            continue
        end = listed[-1].end
        via = next((m.name for m in vias if 0 <= m.start - end <= 3), None)
        if via:
            end = next(m.end for m in vias if m.name == via)
        # "báo cáo UBND tỉnh xem xét, chỉ đạo (qua Sở X)", "(qua Sở X đối với …, qua Sở Y đối với …)":
        # a channel printed after the report's purpose, before any other report, is this report's
        later = [p for p in report_at if p > cue and p >= end]
        bound = later[0] if later else len(tokens)
        channels: list[str | None] = list(dict.fromkeys([*([via] if via else []), *(m.name for m in vias if end <= m.start < bound)]))
        # "(qua Thường trực Ban Chỉ đạo)": the channel is the office, as a recipient is
        offices = {m.name: _office(tokens, mentions, m) for m in vias}
        channels = list(dict.fromkeys(offices.get(c, c) if c else c for c in channels))
        # onward: "… (để) tổng hợp, báo cáo / trình Y"
        onward: list[str] = []
        while True:
            nxt = next((m for m in mentions if m.start >= end and m not in vias), None)
            if nxt is None:
                break
            # the cue right before the next agency, the words between may give the deadline
            if nxt.start - end > 20 or not any(end <= p < nxt.start and nxt.start - p <= 4 for p in cue_positions):
                break
            if clause_of(nxt.start) != clause_of(end):
                break  # "…; báo cáo năm gửi Bộ X": another report, not this one passed on
            chain = _listed_from(nxt, mentions, tokens, vias)
            onward += [m.name for m in chain]
            end = chain[-1].end
        consumed = end
        if passed_on:  # "báo cáo UBND tỉnh để báo cáo Thường vụ Tỉnh ủy và Bộ …": onward of the report before
            more = [m.name for m in listed] + onward
            out = [replace(r, onward=tuple(dict.fromkeys([*r.onward, *(n for n in more if n != r.recipient)])))
                   for r in out]
            continue
        # "tham mưu UBND tỉnh báo cáo Chính phủ": the report is the one right before the cue's
        before = [m for m in mentions if m.end <= cue and cue - m.end <= 1 and cue > 0]
        # "tổng hợp kết quả, tham mưu Sở Y tế báo cáo UBND tỉnh": the body advised reports, first report or not
        advised = bool(before) and tokens[max(0, before[-1].start - 2): before[-1].start] == ["tham", "muu"]
        reporter = before[-1].name if before and (out or advised) else default_reporter
        if advised and default_reporter != before[-1].name and not _collective(default_reporter):
            # "Sở X tổng hợp, tham mưu UBND tỉnh báo cáo Thủ tướng": Sở X's report reaches the
            # Prime Minister through UBND tỉnh, which signs it
            reporter = default_reporter
            # a channel the sentence prints ("(qua Cục X)") is the report's way there
            channels = channels if any(channels) else [before[-1].name]
        if before and tokens[before[-1].start - 1: before[-1].start] == ["de"] \
                and any(r.recipient == reporter for r in out):
            # "… báo cáo Sở Y tế trước ngày 20 hằng tháng để Sở Y tế báo cáo UBND tỉnh": the same
            # report passed on by the body it went to ("tham mưu UBND tỉnh báo cáo Bộ" is UBND tỉnh's own)
            more = [m.name for m in listed] + onward
            out = [replace(r, onward=tuple(dict.fromkeys([*r.onward, *(n for n in more if n != r.recipient)])))
                   if r.recipient == reporter else r for r in out]
            continue
        names = [_office(tokens, mentions, m) for m in listed if m.name != reporter] or [
            _office(tokens, mentions, m) for m in listed]
        out_at, last_from = cue, len(out)
        for name in dict.fromkeys(names):
            for (when, printed, marks, tags), channel in ((d, c) for d in dues for c in channels or [None]):
                out.append(Obligation(kind="reporting", agency=reporter, recipient=name,
                                      via=channel if channel != name else None,
                                      onward=tuple(o for o in dict.fromkeys(onward) if o not in (name, channel)),
                                      due_date=when, deadline_text=printed, flags=marks, recurrence=tags,
                                      relative=relative, quote=quote, **base))
    dues, relative = sentence_dues, sentence_relative
    if not out and any(_duty_report(tokens, cue) for cue in report_at if tokens[cue] == "bao"):
        # "b) Báo cáo kết quả thực hiện 6 tháng trước ngày 20/6/2026": a report the plan asks for
        # without naming where it goes
        out = [Obligation(kind="reporting", agency=default_reporter, due_date=when, deadline_text=printed,
                          flags=marks, recurrence=tags, relative=relative, quote=quote, **base)
               for when, printed, marks, tags in dues]
    return out


STANDING_OFFICE = "Cơ quan thường trực "  # a recipient the plan resolves to the body it names as such
_COMMITTEES = (("ban",),)  # "Ban Chỉ đạo", "Ban Chỉ huy", "Ban Quản lý"
_COUNCILS = (("uy", "ban"), ("hoi", "dong"))  # "UBND phường", "Hội đồng thi đua", "Ủy ban MTTQ"
_PARTY = (("tinh", "uy"), ("huyen", "uy"), ("thanh", "uy"), ("dang", "uy"))
# The offices of a body a report may go to instead of the body as a whole, longest first: (the
# title's words, the title as printed, the bodies it is an office of). A title is the body's only
# when the body's name follows it: "báo cáo Trưởng ban, UBND tỉnh" is two recipients, and a comma
# is no token. The standing office ("Thường trực Ban Chỉ đạo", "Thường trực HĐND tỉnh") is a
# recipient of its own, not the committee; "Cơ quan thường trực" is resolved to its body (below).
_OFFICES: tuple[tuple[tuple[str, ...], str, tuple[tuple[str, ...], ...]], ...] = (
    (("pho", "truong", "ban", "thuong", "truc"), "Phó Trưởng ban Thường trực", _COMMITTEES),
    (("co", "quan", "thuong", "truc"), STANDING_OFFICE.strip(), (*_COMMITTEES, *_COUNCILS)),
    (("pho", "truong", "ban"), "Phó Trưởng ban", _COMMITTEES),
    (("truong", "ban"), "Trưởng ban", _COMMITTEES),
    # "báo cáo Trưởng Ban Chỉ đạo tỉnh": the title printed once, before the committee's name
    (("pho", "truong"), "Phó Trưởng", _COMMITTEES),
    (("truong",), "Trưởng", _COMMITTEES),
    (("pho", "chu", "tich"), "Phó Chủ tịch", _COUNCILS),
    (("chu", "tich"), "Chủ tịch", _COUNCILS),
    (("thuong", "truc"), "Thường trực", (*_COMMITTEES, *_COUNCILS, *_PARTY)),
)


def _office_before(tokens: list[str], mention: AgencyMention) -> tuple[tuple[str, ...], str] | None:
    """The office title printed right before a mention, when the mention is a body that office is
    of ("Chủ tịch" before "UBND phường", not before "Sở Y tế"): (its words, its printed title)."""
    # a commune's body is often printed abbreviated ("Chủ tịch UBND phường"): its head written out
    name = tuple(match_tokens(expand_abbreviations(mention.name)))
    for words, title, heads in _OFFICES:
        if tuple(tokens[max(0, mention.start - len(words)): mention.start]) == words \
                and any(name[: len(h)] == h for h in heads):
            return words, title
    return None


COMMITTEE_HEAD = "Trưởng ban"  # a recipient register.py names by the plan's committee


def _to_bare_head(tokens: list[str], cue: int, mentions: list[AgencyMention]) -> bool:
    """A report to "Trưởng ban" with no committee named after it ("báo cáo Trưởng ban ngay sau khi
    …", "gửi về Trưởng ban"): the head of the committee the plan is about."""
    at = cue + 2 if tokens[cue: cue + 2] == ["bao", "cao"] else cue + 1
    while at < len(tokens) and tokens[at] in ("ve", "cho", "len"):
        at += 1
    if tokens[at: at + 2] != ["truong", "ban"] or tokens[at - 1: at] == ["pho"]:
        return False
    if any(m.start == at + 1 for m in mentions):
        return False  # "báo cáo Trưởng Ban Chỉ đạo tỉnh": the title printed once, before the name
    named = next((m for m in mentions if m.start == at + 2), None)
    return named is None or _office_before(tokens, named) is None


def _office_start(tokens: list[str], mention: AgencyMention) -> int:
    """Where a mention starts with the office of it a sentence names ("Cơ quan thường trực Ban Chỉ
    đạo", "Trưởng ban Ban Chỉ đạo"): the report goes to that office."""
    office = _office_before(tokens, mention)
    return mention.start - len(office[0]) if office else mention.start


def _office(tokens: list[str], mentions: list[AgencyMention], mention: AgencyMention) -> str:
    """Who receives a report sent to an office of a body, not the body as a whole: "báo cáo Trưởng
    ban Ban Chỉ đạo" → its head; "về Thường trực Ban Chỉ đạo" → the standing office; "báo cáo Chủ
    tịch UBND phường" → the chairman; "gửi Cơ quan thường trực Ban Chỉ đạo (Sở X)" → Sở X; without
    the bracket, a marked name register.py resolves to the plan's standing body."""
    office = _office_before(tokens, mention)
    if office is None:
        return mention.name
    if office[1] == STANDING_OFFICE.strip():
        named = next((m for m in mentions if m.start == mention.end), None)
        return named.name if named else STANDING_OFFICE + mention.name
    return f"{office[1]} {mention.name}"


_ASKED_BY = ("yeu cau", "chi dao", "de nghi", "huong dan")  # "theo yêu cầu của X": X receives the report
_Due = tuple[str | None, str | None, tuple[str, ...], tuple[str, ...]]  # date, its words, flags, recurrence


def _dues(text: str) -> tuple[list[_Due], str | None]:
    """The times a report is due by, one row each, and the event it is counted from."""
    due, words, flags = _deadline_in(text)
    recurrence = _recurrences(text)
    # "hằng quý, trước ngày 15 của tháng cuối quý; báo cáo năm trước ngày 15/11/2026": the recurring
    # report and each dated one are rows of their own
    dated = list(dict.fromkeys((d, w, f) for d, w, f in _deadlines_in(text) if d))
    dues: list[_Due] = [(due, words, flags, recurrence)]
    if not due and not recurrence:
        # "Hoàn thành, báo cáo kết quả UBND tỉnh … trong tháng 11/2025": due by the month's end
        periods = period_deadlines(text)
        if periods:
            dues = [(end, printed, (), ()) for end, printed in periods]
    if dated and recurrence and (len(dated) > 1 or _DAY_ONLY.search(text)):
        dues = [(d, w, f, ()) for d, w, f in dated]
        if _DAY_ONLY.search(text):
            dues.insert(0, (None, None, (), recurrence))
    return dues, _relative_deadline(text)


_GIVING = ("giao", "chi dao", "yeu cau", "de nghi")  # "UBND tỉnh giao Sở X …": Sở X acts


def _subject(tokens: list[str], mentions: list[AgencyMention], vias: list[AgencyMention], cue: int) -> str | None:
    """The bodies a sentence opens with, before its first report ("Các sở, ngành, UBND các xã …
    báo cáo UBND tỉnh", "Năm 2028, Sở X chủ trì tổng kết, báo cáo …"): the reporters of a sentence
    no heading assigns (the closing paragraph); after "giao", "chỉ đạo" the body given the task."""
    first = next((m for m in mentions if m.start <= 5 and m.end <= cue and m not in vias), None)
    if first is None:
        return None
    listed = _listed_from(first, mentions, tokens, vias)
    after = " ".join(tokens[listed[-1].end: listed[-1].end + 2])
    if any(after.startswith(word) for word in _GIVING):
        given = next((m for m in mentions if listed[-1].end < m.start <= listed[-1].end + 3 and m.end <= cue), None)
        if given is None:
            return None
        listed = _listed_from(given, mentions, tokens, vias)
    return ", ".join(dict.fromkeys(m.name for m in listed if m.end <= cue)) or None


def _collective(name: str) -> bool:
    """"các cơ quan, đơn vị (được giao nhiệm vụ)": every body, none by name."""
    return match_tokens(name)[:3] in (["cac", "co", "quan"], ["cac", "don", "vi"])


def _duty_report(tokens: list[str], cue: int) -> bool:
    """"Báo cáo …" opening a point (its number or letter before it only) or after a period word
    ("định kỳ báo cáo", "hằng quý báo cáo"): a duty to report, not a report as a noun ("xây dựng
    báo cáo", "báo cáo của …")."""
    before = [t for t in tokens[:cue] if not (t.isdigit() or len(t) == 1)]
    if not before:
        return True
    return " ".join(before[-2:]) in ("dinh ky", "hang quy", "hang nam", "hang thang", "6 thang", "nua nam")


def _reporter_phrase(sentence: str, context: str) -> str | None:
    """Who a reporting sentence addresses, from its own words or its part's lead-in
    ("Yêu cầu các cơ quan, đơn vị, địa phương …")."""
    folded = " ".join(match_tokens(sentence + " " + context))
    if "co quan" in folded and "dia phuong" in folded:
        return "các cơ quan, đơn vị, địa phương"
    if "cac so" in folded or "don vi" in folded:
        return "các cơ quan, đơn vị"
    return None

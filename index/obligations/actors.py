"""Phrase positions in folded tokens (OCR'd spellings by consonant frame) and the agencies a
sentence names: its subject, a list after a cue, a delegation ("Sở X chỉ đạo Chi cục Y …")."""

from __future__ import annotations

import re

from lang.agencies import AgencyMention, find_bodies, is_issuer_head
from lang.normalize import match_tokens, skeleton
from lang.syllables import is_valid_syllable


class _Frames:
    """A sentence's token frames, and where each frame occurs: every phrase search of the sentence
    starts from them."""

    def __init__(self, tokens: list[str]) -> None:
        self.of_tokens = list(map(skeleton, tokens))
        self._starts: dict[str, list[int]] = {}

    def starts(self, frame: str) -> list[int]:
        """Where `frame` occurs, in order (found once per sentence and frame)."""
        found = self._starts.get(frame)
        if found is None:
            found = self._starts[frame] = [i for i, f in enumerate(self.of_tokens) if f == frame]
        return found


def _positions(tokens: list[str], *phrases: str, frames: _Frames | None = None) -> list[int]:
    """Where a phrase starts in folded tokens: exactly, or by consonant frame when the window shows
    OCR damage ("bdo cdo", "béo cdo" for "báo cáo"). A frame match of real, different syllables
    is another phrase ("giới và" is not "gửi về"), so at least one word must be exact or invalid.
    `frames`: the tokens' frames, when the caller has them."""
    out = []
    frames = frames if frames is not None else _Frames(tokens)
    token_frames = frames.of_tokens
    for phrase in phrases:
        words = phrase.split()
        frames_of_words = [skeleton(w) for w in words]
        # either way the first frame matches: only those positions are tried
        last = len(tokens) - len(words)
        for i in frames.starts(frames_of_words[0]):
            if i > last:
                break
            window = tokens[i: i + len(words)]
            if window == words or (
                len(words) > 1 and token_frames[i: i + len(words)] == frames_of_words
                and any(w == p or not is_valid_syllable(w) for w, p in zip(window, words, strict=True))
            ):
                out.append(i)
    return sorted(set(out))


def _listed_after(mentions: list[AgencyMention], position: int) -> list[str]:
    """The agencies listed right after a cue ("phối hợp (chặt chẽ) với A, B và C"): the first starts
    within three tokens, each next one within three tokens of the previous; the list ends where the
    clause goes on ("… triển khai …, báo cáo UBND tỉnh" names no partner)."""
    names: list[str] = []
    edge = position
    for m in mentions:
        if m.start < position:
            continue
        if m.start - edge > 3 or is_issuer_head(m.name):
            # "phối hợp với Chi cục X tham mưu Giám đốc Sở báo cáo …": the head advised ends the list
            break
        names.append(m.name)
        edge = m.end
    return names


def _after(mentions: list[AgencyMention], position: int, until: int | None = None) -> list[AgencyMention]:
    return [m for m in mentions if m.start > position and (until is None or m.start < until)]


def _listed_names(text: str) -> list[str]:
    """The agencies a list names from its start ("Sở A; Sở B, Báo C và các sở, ngành liên quan"):
    the first one and each one listed right after the previous."""
    mentions = find_bodies(text)
    if not mentions or mentions[0].start > 2:
        return []
    return list(dict.fromkeys(_listed_after(mentions, mentions[0].start)))


def _delegation(tokens: list[str], mentions: list[AgencyMention], frames: _Frames) -> tuple[str, str] | None:
    """(director, actor) of "Sở X chỉ đạo Chi cục Y thực hiện …", and of "Sở X giao Phòng Y chủ trì …"
    (a department hands its own plan's task to its unit). A People's Committee's "giao" is no
    delegation: its plan is its own act, "UBND tỉnh giao Sở Y chủ trì" is the plan's assignment."""
    for pos in _positions(tokens, "chi dao", frames=frames):
        before = [m for m in mentions if m.end <= pos and pos - m.end <= 2]
        after = [m for m in mentions if 0 <= m.start - (pos + 2) <= 1]
        if before and after and before[-1].name != after[0].name:
            return before[-1].name, after[0].name
    for pos in _positions(tokens, "giao", frames=frames):
        before = [m for m in mentions if m.end == pos]
        after = [m for m in mentions if m.start == pos + 1]
        if not (before and after) or before[-1].name == after[0].name or _is_committee(before[-1].name):
            continue
        # the delegate goes on with its duty ("… chủ trì, phối hợp …"), not with what it is given
        # ("giao Sở X là 1.850 triệu đồng", "giao Phòng Y quản lý kinh phí" is still Y's duty)
        # (within a few words: a name read short, "Phòng Kỹ thuật an toàn - Môi trường", leaves its tail)
        if any(" ".join(tokens[i: i + 3]).startswith(v) for i in range(after[0].end, after[0].end + 3)
               for v in _DUTY_VERBS):
            return before[-1].name, after[0].name
    return None


def _is_committee(name: str) -> bool:
    """A People's Committee (or its chair), the level that issues a plan by its own act."""
    folded = " ".join(match_tokens(name))
    return folded.startswith(("ubnd", "uy ban nhan dan", "chu tich"))


# "Chỉ đạo(, hướng dẫn) các cơ sở giáo dục mầm non phối hợp …": who is directed, up to its verb
_DIRECTS = re.compile(r"^\s*(?:[a-zđ]\)\s*|[-–+•]\s*)?Chỉ\s+đạo(?:\s*,\s*(?:đôn\s+đốc|hướng\s+dẫn))*\s+(?P<np>[^,;.:]*(?:,\s*[^,;.:]*){0,3})")
_DIRECTED_HEADS = ("cac", "he thong", "tram", "cong an", "luc luong", "don vi", "co so", "truong",
                   # a unit the addressee commands ("Chỉ đạo Chi cục Chăn nuôi và Thú y xây dựng …")
                   "phong", "chi cuc", "trung tam", "hat kiem lam", "doi")


_UNIT_HEADS = frozenset(("phong", "chi cuc", "trung tam", "hat kiem lam", "doi"))


def _directed(sentence: str) -> str | None:
    """Who a point opening "Chỉ đạo …" directs ("Chỉ đạo các ban, ngành, đoàn thể ở cơ sở phối hợp
    với trạm y tế …" → "các ban, ngành, đoàn thể ở cơ sở"): the words up to the first duty verb,
    when they start as a body does. None when the point directs no body ("Chỉ đạo, điều hành …")."""
    m = _DIRECTS.match(sentence)
    if not m:
        return None
    # "Chi cục X (cơ quan thường trực …) theo dõi …": the name stops at its bracket
    words = re.sub(r"\([^()]*\)", " ", m.group("np")).split()
    folded = [" ".join(match_tokens(w)) for w in words]
    head = next((h for h in _DIRECTED_HEADS if " ".join(folded[: len(h.split())]) == h), None)
    if head is None or (head in _UNIT_HEADS and not words[0][:1].isupper()):
        return None  # "Chỉ đạo phòng, chống dịch …" directs no unit
    for i in range(1, min(len(words), 14)):
        if head in _UNIT_HEADS and words[i][:1].isupper():
            continue  # "Chi cục Quản lý thị trường kiểm tra …": a capitalised word goes on with the name
        pair = " ".join(folded[i: i + 2])
        if any(pair == v or pair.startswith(v + " ") or folded[i] == v for v in _DUTY_VERBS):
            return " ".join(words[:i]).rstrip(",")
    return None


def _subject(sentence: str, mentions: list[AgencyMention]) -> list[str]:
    """The agencies a sentence opens with as its subject ("Các sở, ngành, UBND cấp xã chủ động …")."""
    if not mentions:
        return []
    listed = _listed_from(mentions[0], mentions, match_tokens(sentence), [], glue=_HEADING_GLUE)
    if not _opens_with(sentence, mentions[0], listed[-1].end):
        # an opening adverbial clause before the subject ("Căn cứ nội dung Kế hoạch …, các sở, ban,
        # ngành … xây dựng …"): the subject is what follows its comma
        folded = " ".join(t for t in match_tokens(sentence[:40]) if not t.isdigit() and len(t) > 1)
        comma = sentence.find(",")
        if comma > 0 and folded.startswith(_OPENING_CLAUSES):
            rest = sentence[comma + 1:]
            return _subject(rest, find_bodies(rest))
        # a point's label before its subject ("b) Mở tài khoản: Ủy ban nhân dân xã, phường phối hợp …")
        colon = sentence.find(":")
        if 0 < colon < 120 and not find_bodies(sentence[:colon]):
            rest = sentence[colon + 1:]
            return _subject(rest, find_bodies(rest)) if rest.strip() else []
        return []
    return list(dict.fromkeys(m.name for m in listed))


# how the genre opens a sentence before its subject: "Căn cứ …,", "Trên cơ sở …,", "Để …,"
_OPENING_CLAUSES = ("can cu", "tren co so", "de ", "nham ", "sau khi", "trong qua trinh", "hang nam", "dinh ky")


_LIST_GLUE = frozenset(("va", "cac", "voi", "hoac"))
# a heading's list of addressees may qualify each ("Các sở, ban, ngành, đoàn thể cấp tỉnh và UBND …")
_HEADING_GLUE = _LIST_GLUE | frozenset(["doan", "the", "cap", "tinh", "co", "lien", "quan", "thanh", "pho", "dac", "khu", "don", "vi", "nganh"])


def _listed_from(head: AgencyMention, mentions: list[AgencyMention], tokens: list[str],
                 skip: list[AgencyMention], glue: frozenset[str] = _LIST_GLUE) -> list[AgencyMention]:
    """`head` and the agencies listed right after it: only commas, "và", "các" between two names
    ("báo cáo Bộ Công an, UBND tỉnh"; "báo cáo UBND tỉnh để báo cáo Thường vụ" lists one)."""
    out = [head]
    for m in mentions:
        if m.start < out[-1].end or m in skip:
            continue
        between = tokens[out[-1].end: m.start]
        if len(between) > (2 if glue is _LIST_GLUE else 5) or any(t not in glue for t in between):
            break
        out.append(m)
    return out


_POINT_LETTER = re.compile(r"^\s*[a-zđ]\)\s")


def _opens_with(sentence: str, mention: AgencyMention, end: int | None = None) -> bool:
    """The agency is the sentence's subject: nothing but "Đề nghị"/"Các" or a list marker before it."""
    tokens = match_tokens(sentence)
    # a point's letter is no word before the subject ("b) Trung tâm …": "b)" may fold to a syllable)
    label = 1 if _POINT_LETTER.match(sentence) else 0
    before = [t for t in tokens[label: mention.start] if not t.isdigit() and len(t) > 1]
    # a person's title may head the subject ("Thủ trưởng các sở, ban, ngành …", "Chủ tịch UBND …")
    if mention.start > 4 or not all(t in ("de", "nghi", "cac", "giao", "yeu", "cau", "thu", "truong", "giam", "doc",
                                          "chu", "tich") for t in before):
        return False
    # a subject is followed by its verb, or stands alone as a label ("Sở Thông tin và Truyền thông:");
    # a wrapped line ("… kịp thời báo cáo / lãnh đạo tỉnh để chỉ đạo …") starts with an object
    end = mention.end if end is None else end
    after = " ".join(tokens[end: end + 3])
    return not after or any(after.startswith(verb) for verb in _DUTY_VERBS)


# words that go on after a body's name without being its verb: the name's qualifier, a preposition,
# a conjunction, a copula ("- Sở Y tế tỉnh và …", "- Trung tâm X thuộc Sở …", "- Sở X là …")
_NOT_VERBS = frozenset(("va", "voi", "cua", "thuoc", "tai", "tren", "theo", "cac", "nhung", "la", "co", "duoc", "bi",
                        "hoac", "cung", "trong", "ve", "de", "cho", "o", "tu", "den", "khi", "neu", "do", "vi"))


_DASH_OR_POINT = re.compile(r"^\s*(?:[-–+•]|[a-zđ]\))\s")


def dash_subject(sentence: str, mentions: list[AgencyMention]) -> list[str]:
    """The body a dash or a point opens with as its subject whatever its verb ("- Trung tâm Dịch vụ việc làm
    tỉnh khảo sát …", "- Thanh tra Sở kiểm tra …"): the name starts right after the dash and a
    lower-case word follows it that is no preposition, conjunction or copula (a list line
    "- Sở Y tế;" or "- Sở X và Sở Y" names no actor)."""
    if not mentions or not _DASH_OR_POINT.match(sentence):
        return []
    tokens = match_tokens(sentence)
    head = mentions[0]
    # a point's letter is no word before the subject ("d) Ban Chỉ huy Quân sự huyện điều động …")
    if head.start != (1 if _POINT_LETTER.match(sentence) else 0) or is_issuer_head(head.name):
        return []
    listed = _listed_from(head, mentions, tokens, [], glue=_HEADING_GLUE)
    end = listed[-1].end
    if end >= len(tokens) or tokens[end] in _NOT_VERBS:
        return []
    # the printed word of the token after the name: a capital goes on with the name
    printed = [raw for raw in re.findall(r"[^\s\-/.,;:()\[\]\"'“”‘’!?]+", sentence) for _ in match_tokens(raw)]
    if end >= len(printed) or not printed[end][:1].islower() or not printed[end].isalpha():
        return []
    return list(dict.fromkeys(m.name for m in listed))


_DUTY_VERBS = ("chu tri", "phoi hop", "trien khai", "thuc hien", "tham muu", "xay dung", "to chuc",
               "huong dan", "theo doi", "chi dao", "tiep tuc", "tang cuong", "day manh", "can cu",
               "co trach nhiem", "chu dong", "bao cao", "gui", "tong hop", "ra soat", "kiem tra", "lap",
               "ban hanh", "bao dam", "dam bao", "cap nhat", "quan ly", "nghien cuu", "de xuat", "phan cong",
               "bo tri", "can doi", "dinh ky", "kip thoi", "khan truong", "nghiem tuc", "tuyen truyen",
               "chiu trach nhiem", "cung cap", "ho tro", "giam sat", "van dong", "xu ly", "dieu tra", "thong bao",
               # "Phòng X là đầu mối, tham mưu …", "Sở Y là cơ quan thường trực, …"
               "la dau moi", "la co quan", "lam dau moi")


# a task's doers in parentheses at its end: "(Sở Nội vụ chủ trì, phối hợp …; thời gian: …)",
# "(Giao Công an tỉnh chủ trì)", "(Sở A, Sở B thực hiện)"
_PARENTHESISED = re.compile(r"\(([^()]*)(?:\)|$)")
_PARENTHESISED_LEAD = re.compile(r"^\s*(?:Giao\s+)?(?P<names>.+?)\s+(?:chủ\s+trì|thực\s+hiện|triển\s+khai)\b", re.IGNORECASE)


def _parenthesised_leads(sentence: str) -> list[str]:
    """The agencies a parenthesis names as the doers of the task before it: each part of it (cut at
    ";") that is a list of bodies and nothing else, then "chủ trì" / "thực hiện"."""
    out: list[str] = []
    for group in _PARENTHESISED.findall(sentence):
        for part in group.split(";"):
            m = _PARENTHESISED_LEAD.match(part)
            if not m:
                continue
            names = m.group("names")
            tokens = match_tokens(names)
            mentions = find_bodies(names)
            if not mentions or mentions[0].start > (1 if tokens[:1] == ["cac"] else 0):
                continue
            listed = _listed_from(mentions[0], mentions, tokens, [], glue=_HEADING_GLUE)
            if listed[-1].end >= len(tokens):
                out += [n.name for n in listed if n.name not in out]
    return out

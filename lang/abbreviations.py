"""Abbreviated names of bodies: the genre's usual ones, and those a plan defines for itself.

A plan names a body in full once and abbreviates it after that, either by the genre's habit
("UBND huyện", "Phòng Nông nghiệp và PTNT") or by a definition at its first mention ("Ban Chỉ huy
Phòng, chống thiên tai và Tìm kiếm cứu nạn huyện (sau đây gọi tắt là BCH PCTT&TKCN huyện)").
Whoever reads the register (an official, a calendar) needs the body's full name, the same one
wherever the plan abbreviates it.
"""

from __future__ import annotations

import re

from lang.normalize import fold_char

# the genre's abbreviations of the words inside bodies' names (Decree 30/2020 practice), each only
# as a whole word in capitals
GENRE_ABBREVIATIONS: dict[str, str] = {
    "UBND": "Ủy ban nhân dân",
    "HĐND": "Hội đồng nhân dân",
    "BCH": "Ban Chỉ huy",
    "BCĐ": "Ban Chỉ đạo",
    "BQL": "Ban Quản lý",
    "PTNT": "Phát triển nông thôn",
    "TKCN": "Tìm kiếm cứu nạn",
}

# a committee or board named by the genre's acronym after its first mention ("BCH PCTT&TKCN huyện",
# "BQL các KCN"): a head of a body's name (lang/agencies.py) like "Ban" itself
ACRONYM_HEADS = ("BCH", "BCĐ", "BQL")
# the level of government that ends a body's name (lang/agencies.py): a province's ("Thuế tỉnh") or
# a district plan's own bodies ("Công an huyện", "UBND huyện", "Trung tâm Y tế huyện")
LEVEL_ENDS = frozenset(("tỉnh", "huyện"))

# how a definition opens inside its parenthesis: "(sau đây gọi tắt là X)", "(viết tắt là X)",
# "(gọi tắt X)"
_DEFINITION = re.compile(r"\(\s*(?:sau\s+đây\s+)?(?:được\s+)?(?:gọi|viết)\s+tắt\s+(?:là\s+)?([^()]{2,60}?)\s*\)",
                         re.IGNORECASE)
# the head nouns a body's full name starts with (what the definition's full name is looked back for)
_HEADS = ("Ban", "Ủy ban", "Uỷ ban", "Hội đồng", "Phòng", "Văn phòng", "Sở", "Trung tâm", "Chi cục", "Cục",
          "Công an", "Đoàn", "Hội", "Viện", "Đài", "Bộ", "Tổ", "Chi nhánh")
_HEAD_AT = re.compile(r"(?<![\wÀ-ỹ])(?:" + "|".join(sorted(map(re.escape, _HEADS), key=len, reverse=True))
                      + r")(?![\wÀ-ỹ])")
_WORDS = re.compile(r"[\wÀ-ỹ]+")
_ACRONYM = re.compile(r"^[A-ZĐ][A-ZĐ&\-]*[A-ZĐ]$")
# the level word ending a body's name, which its abbreviation may leave out
_LEVELS = (["tỉnh"], ["huyện"], ["xã"], ["thành", "phố"], ["thị", "xã"])
_LOOK_BACK = 20  # words a full name may span before its definition


def _initial(word: str) -> str:
    return fold_char(word[:1]).lower()


def _acronym_letters(token: str) -> list[str]:
    return [fold_char(c).lower() for c in token if c.isalpha()]


def _align(abbreviation: str, full: str) -> dict[str, str] | None:
    """The acronyms of an abbreviation, each with the words of the full name it stands for, when
    the abbreviation spells the full name ("BCH PCTT&TKCN huyện" of "Ban Chỉ huy Phòng, chống thiên
    tai và Tìm kiếm cứu nạn huyện": BCH → "Ban Chỉ huy", PCTT&TKCN → "Phòng, … cứu nạn"); else None.
    Words in full ("huyện", "các") must be the same words; "và" may go unspelled ("&" or nothing)."""
    words = list(_WORDS.finditer(full))
    out: dict[str, str] = {}
    at = 0
    for token in abbreviation.split():
        if _ACRONYM.match(token):
            letters = _acronym_letters(token)
            start = at
            for letter in letters:
                while at < len(words) and _initial(words[at].group()) != letter and words[at].group().lower() == "và":
                    at += 1
                if at >= len(words) or _initial(words[at].group()) != letter:
                    return None
                at += 1
            out[token] = full[words[start].start(): words[at - 1].end()]
        else:
            if at >= len(words) or words[at].group().lower() != token.lower().strip(",."):
                return None
            at += 1
    # "Ban Quản lý các khu công nghiệp tỉnh (sau đây gọi tắt là BQL các KCN)": the level may go unsaid
    rest = [w.group().lower() for w in words[at:]]
    return out if not rest or rest in _LEVELS else None


def defined_abbreviations(text: str) -> dict[str, str]:
    """The abbreviations of bodies a plan defines ("… (sau đây gọi tắt là BQL các KCN)"): each
    abbreviation, and each acronym inside it, with the full words it stands for. A short name of a
    document ("(sau đây gọi tắt là Kế hoạch)") or one that does not spell a body's name is none."""
    table: dict[str, str] = {}
    for m in _DEFINITION.finditer(text):
        abbreviation = " ".join(m.group(1).split())
        if not any(_ACRONYM.match(t) for t in abbreviation.split()):
            continue
        before = text[: m.start()].rstrip()
        window_start = max(0, len(before) - 200)
        heads = [h for h in _HEAD_AT.finditer(before, window_start)]
        for head in reversed(heads):
            full = " ".join(before[head.start():].split())
            if len(_WORDS.findall(full)) > _LOOK_BACK:
                break
            parts = _align(abbreviation, full)
            if parts is not None:
                table[abbreviation] = full
                for acronym, words in parts.items():
                    table.setdefault(acronym, words)
                break
    return table


def expand_abbreviations(name: str, table: dict[str, str] | None = None) -> str:
    """A body's name with its abbreviations written out: the plan's own first (longest first), then
    the genre's acronyms, each as a whole word ("UBND huyện" → "Ủy ban nhân dân huyện"). A group
    outside the lexicon ("Các doanh nghiệp … trong KCN") keeps the plan's words but for its own
    definitions: it is no body's name."""
    group = name[:4].lower() == "các "
    words = {**({} if group else GENRE_ABBREVIATIONS), **(table or {})}
    for short in sorted(words, key=len, reverse=True):
        if short in name:
            name = re.sub(rf"(?<![\wÀ-ỹ&]){re.escape(short)}(?![\wÀ-ỹ&])", words[short], name)
    return name

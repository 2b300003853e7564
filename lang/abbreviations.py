"""Abbreviated names of bodies: the genre's usual ones, and how a plan's own abbreviation spells
the words of the body it defines it for.

A plan names a body in full once and abbreviates it after that, either by the genre's habit
("UBND huyện", "Phòng Nông nghiệp và PTNT") or by a definition at its first mention ("Ban Chỉ huy
Phòng, chống thiên tai và Tìm kiếm cứu nạn huyện (sau đây gọi tắt là BCH PCTT&TKCN huyện)"), which
lang/short_names.py reads (the one reader of a plan's definitions). Whoever reads the register (an
official, a calendar) needs the body's full name, the same one wherever the plan abbreviates it.
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
# the level of government that ends a body's name (lang/body_names.py): a province's ("Thuế tỉnh"),
# a district plan's own bodies ("Công an huyện", "UBND huyện", "Trung tâm Y tế huyện") and, since the
# 2025 two-tier reform, a commune's or ward's ("Công an xã", "Hội Nông dân phường", "UBND phường Tân
# Phước Lộc"); "cấp xã" is a level named, not a name's end (lang/body_names.py stops before "cấp xã")
LEVEL_ENDS = frozenset(("tỉnh", "huyện", "xã", "phường"))
# a level word that starts a common noun ("Bảo hiểm xã hội", "xã viên"): no level there
LEVEL_COMPOUNDS = frozenset(("xã hội", "xã viên"))

_WORDS = re.compile(r"[\wÀ-ỹ]+")
_ACRONYM = re.compile(r"^[A-ZĐ][A-ZĐ&\-]*[A-ZĐ]$")
# the level word ending a body's name, which its abbreviation may leave out
_LEVELS = (["tỉnh"], ["huyện"], ["xã"], ["thành", "phố"], ["thị", "xã"])


def _initial(word: str) -> str:
    return fold_char(word[:1]).lower()


def _acronym_letters(token: str) -> list[str]:
    return [fold_char(c).lower() for c in token if c.isalpha()]


def is_abbreviation(short: str) -> bool:
    """A short form with an acronym in it ("BCH PCTT&TKCN huyện", "Sở LĐTBXH"), not one in words
    ("Ban Chỉ đạo", "Tổ liên ngành"): the register writes the first out, and keeps the second as
    the plan words it (the plan's own name for the body, used wherever it acts)."""
    return any(_ACRONYM.match(t) for t in short.split())


def acronym_parts(abbreviation: str, full: str) -> dict[str, str] | None:
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

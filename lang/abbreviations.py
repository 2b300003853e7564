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
from collections.abc import Callable, Iterable

from lang.normalize import fold, fold_char
from lang.syllables import is_valid_syllable

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


# an acronym typed in a question: 3 to 8 letters in one case ("QLTT", "qltt"), a word of its own
# (not the symbol of a document number, "86/KH-SCT")
# ("TT&BVTV": "và" written "&"); 3 letters at least, fewer spell too many runs of words
_TYPED_ACRONYM = re.compile(r"(?<![\wÀ-ỹ/&\-])(?:[A-ZĐ]{1,8}(?:&[A-ZĐ]{1,8})*|[a-zđ]{1,8}(?:&[a-zđ]{1,8})*)(?![\wÀ-ỹ/&\-])")
# what may stand between two words of one name: spaces and a comma ("Phổ biến, giáo dục pháp luật")
_NAME_GAP = re.compile(r"[ \t]*,?[ \t]*")


def _spellings(letters: list[str], text: str) -> list[tuple[str, bool]]:
    """The runs of words in text whose initials are the letters ("và" may go unspelled), each with
    whether it is written as a name inside a sentence (its first word capitalised after another
    word: "Chi cục Quản lý thị trường", not a sentence's first word)."""
    words = list(_WORDS.finditer(text))
    found: list[tuple[str, bool]] = []
    for start in range(len(words)):
        if _initial(words[start].group()) != letters[0]:
            continue
        at, ok = start, True
        for i, letter in enumerate(letters):
            while i and at < len(words) and _initial(words[at].group()) != letter \
                    and words[at].group().lower() == "và":
                at += 1
            if at >= len(words) or _initial(words[at].group()) != letter \
                    or (at > start and not _NAME_GAP.fullmatch(text[words[at - 1].end():words[at].start()])):
                ok = False
                break
            at += 1
        if not ok:
            continue
        first = words[start]
        before = text[:first.start()].rstrip()
        named = first.group()[0].isupper() and bool(before) and (before[-1].isalpha() or before[-1] == "&")
        found.append((text[first.start():words[at - 1].end()], named))
    return found


def spelled_acronyms(text: str, passages: Iterable[str], known: Callable[[str], bool]) -> dict[str, str]:
    """The acronyms typed in text ("chi cục qltt") that are no word and none `known` (the genre's
    and the lexicon's), each with the words of the plan that its letters spell: a name the plan
    writes in capitals inside a sentence ("Chi cục Quản lý thị trường thành phố" → "Quản lý thị
    trường"), the one written most often where several do. A plan spells its bodies' names out and
    a reader abbreviates them by their initials, as the genre does ("Sở TT&TT", "PCTT")."""
    typed = [m.group() for m in _TYPED_ACRONYM.finditer(text) if len(_acronym_letters(m.group())) >= 3]
    typed = [t for t in dict.fromkeys(typed) if not is_valid_syllable(t.lower()) and not known(t)]
    if not typed:
        return {}
    texts = list(passages)
    out: dict[str, str] = {}
    for token in typed:
        letters = _acronym_letters(token)
        counts: dict[str, int] = {}
        printed: dict[str, str] = {}
        for passage in texts:
            for words, named in _spellings(letters, passage):
                key = " ".join(fold(words).lower().replace(",", " ").split())
                counts[key] = counts.get(key, 0) + 1
                if named:
                    printed.setdefault(key, words)
        if printed:
            best = max(printed, key=lambda k: counts[k])  # dicts keep order: the first on a tie
            out[token] = printed[best]
    return out

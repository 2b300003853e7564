"""The bodies a question names, outside the phrase naming its plan (`asked_agencies`), read by
the same mechanism as ingest reads a plan's bodies (lang.agencies.find_bodies)."""

from __future__ import annotations

import re
from collections.abc import Iterable

from index.metadata import find_provinces
from lang.abbreviations import GENRE_ABBREVIATIONS, spelled_acronyms
from lang.agencies import AGENCIES, find_agencies, find_bodies, is_issuer_head
from lang.lexicon import spell_out
from lang.normalize import ABBREVIATIONS, fold, match_tokens
from lang.units import unit_short_form

# words of the province naming the plan, which the plan-naming cut takes from a body's name too
# ("BHXH tỉnh Bắc Giang" leaves "BHXH")
_PLACE_WORDS = frozenset({"tinh", "thanh", "pho", "tp"})
_AMPERSAND_WORD = re.compile(r"(?<![\w&])[^\W\d_]+(?:&[^\W\d_]+)+(?![\w&])")


def upper_abbreviations(text: str) -> str:
    """The text with its abbreviations joined by "&" upper-cased ("sở gd&đt" → "sở GD&ĐT"): typed
    in lower case they are still the abbreviations the lexicon knows."""
    return _AMPERSAND_WORD.sub(lambda m: m.group(0).upper(), text)


def without_place(words: list[str]) -> list[str]:
    """A body's folded words without the trailing "tỉnh"/"thành phố" a plan-naming phrase shares."""
    while words and words[-1] in _PLACE_WORDS:
        words = words[:-1]
    return words


def asked_agencies(text: str, subject: str) -> list[str]:
    """The bodies a question names outside the phrase naming its plan (canonical names): those of
    the subject, and those of the whole text whose words stand in the subject but for a trailing
    "tỉnh" the plan-naming cut took ("BHXH tỉnh Bắc Giang" → Bảo hiểm xã hội tỉnh). An abbreviation
    typed in lower case ("sở gd&đt") is read as the upper-case one it is."""
    def found(value: str) -> list[tuple[str, list[str]]]:
        value = upper_abbreviations(value)
        tokens = match_tokens(value)
        # the bodies as ingest reads them (lang.agencies.find_bodies): "Thanh tra Sở Tư pháp" is
        # that unit, not Sở Tư pháp; "Chi cục Y thuộc Sở X" is no question about Sở X. Bodies
        # outside the lexicon are left to the answers, which read them as printed.
        bodies = [m for m in find_bodies(value) if m.name not in AGENCIES and not is_issuer_head(m.name)]
        kept = [m for m in find_bodies(value) if m.name in AGENCIES or unit_short_form(m.name)]
        kept += [m for m in find_agencies(value) if not any(b.start <= m.start and m.end <= b.end for b in bodies)]
        kept = sorted({(m.start, m.name): m for m in kept}.values(), key=lambda m: m.start)
        return [(m.name, tokens[m.start:m.end]) for m in kept]

    # a unit named by its head and its owner ("Thanh tra Sở Tư pháp") is a body of its own: `found`
    # reads bodies as find_bodies spans them, so the owner inside the unit's name is not named
    names = [name for name, _ in found(subject)]
    rest = f" {' '.join(match_tokens(upper_abbreviations(subject)))} "
    for name, words in found(text):
        kept = without_place(words)
        # only a name the cut shortened: one found whole in the text alone is the plan's issuer
        if name not in names and kept and kept != words and f" {' '.join(kept)} " in rest:
            names.append(name)
    return list(dict.fromkeys(names))


def _known_acronym(token: str) -> bool:
    """An acronym the lexicon reads already: the genre's ("UBND"), a shorthand ("kh", "tphcm"),
    a province's ("HCM")."""
    return (fold(token).lower() in ABBREVIATIONS or token.upper() in GENRE_ABBREVIATIONS
            or spell_out(token) != token or bool(find_provinces(token)))


def _plain(text: str) -> str:
    return " ".join(fold(text).lower().replace(",", " ").split())


def plan_acronyms(question: str, passages: Iterable[str], titles: Iterable[str] = ()) -> str:
    """The question with each acronym the plans in its scope spell out written as their words
    ("chi cục qltt" → "chi cục Quản lý thị trường" where the plan names "Chi cục Quản lý thị
    trường thành phố"): the body it abbreviates is then read as any body the question names. An
    acronym of words of a plan's title ("kế hoạch PBGDPL", "Hội đồng PBGDPL" in the plan of that
    Hội đồng) names the plan, whose every passage shares those words: it stays as typed."""
    texts = list(passages)
    named = [f" {_plain(title)} " for title in titles]
    spelled = spelled_acronyms(question, texts, _known_acronym)
    for token, words in spelled.items():
        if any(f" {_plain(words)} " in title for title in named):
            continue
        at = re.search(rf"(?<![\wÀ-ỹ/&\-]){re.escape(token)}(?![\wÀ-ỹ/&\-])", question)
        if at is None:
            continue
        head = question[:at.start()]
        # the name's head typed in lower case ("chi cục qltt") is the plan's "Chi cục": as printed
        for n in (3, 2, 1):
            typed = re.search(rf"((?:[\wÀ-ỹ]+\s+){{{n}}})$", head)
            if typed is None:
                continue
            printed = next((m.group(1) for t in texts for m in re.finditer(
                rf"(?<![\wÀ-ỹ])({re.escape(typed.group(1).strip())}\s+){re.escape(words)}", t, re.IGNORECASE)), None)
            if printed is not None:
                head = head[:typed.start()] + printed
                break
        question = head + words + question[at.end():]
    return question

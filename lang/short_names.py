"""The short names a plan defines for its bodies, read once per plan at ingest.

The genre names a body in full once, then by a short form it defines there: "Ban Chỉ huy Phòng,
chống thiên tai và Tìm kiếm cứu nạn huyện (sau đây gọi tắt là BCH PCTT&TKCN huyện)", "(gọi tắt là
Ban Chỉ đạo)", "(viết tắt là …)", or the abbreviation alone in parentheses after the name ("… huyện
(BCH PCTT&TKCN huyện)"). `plan_aliases` reads the definitions; within `aliases_of`, `find_bodies`
names each later short mention by the full body (lang/aliases.py).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from lang.abbreviations import acronym_parts, is_abbreviation
from lang.agencies import NAME_STOP_PAIRS, NAME_STOPS, collapse_name, find_bodies
from lang.aliases import Forms, short_forms_in_force
from lang.normalize import fold_char, match_tokens

# the words that define a short form inside the parentheses after a body's full name
DEFINING = ("sau đây gọi tắt là", "sau đây viết tắt là", "sau đây gọi là", "gọi tắt là", "viết tắt là",
            "sau đây gọi chung là")
# the level words a body's name ends with: a short form defined at one level names the same body
# of another level too ("BCH PCTT&TKCN tỉnh" after "… huyện (BCH PCTT&TKCN huyện)")
LEVELS = ("tỉnh", "huyện", "xã", "thành phố", "thị xã")

_DEFINED = re.compile(r"\(\s*(?:" + "|".join(sorted(map(re.escape, DEFINING), key=len, reverse=True))
                      + r")\s*:?\s*[\"“”']?([^()\"“”']{2,80}?)[\"“”']?\s*\)", re.IGNORECASE)
# an abbreviation alone in parentheses: capitals (with "&", "-"), then a level word at most
_ABBREVIATED = re.compile(r"\(\s*([A-ZĐ][A-ZĐ0-9&\-.]*(?:\s+[A-ZĐ][A-ZĐ0-9&\-.]*)*(?:\s+(?:"
                          + "|".join(LEVELS) + r"))?)\s*\)")

def plan_aliases(text: str) -> dict[str, str]:
    """Short form → the full body name it stands for, as the plan defines them."""

    out: dict[str, str] = {}
    for pattern in (_DEFINED, _ABBREVIATED):
        for match in pattern.finditer(text):
            before = text[max(0, text.rfind("\n", 0, match.start()) + 1): match.start()]
            mentions = find_bodies(before)
            if not mentions or mentions[-1].end < len(match_tokens(before)) - 12:
                continue
            last = mentions[-1]
            # the full name runs from the last body's head to the parenthesis: a name find_bodies
            # cuts at a comma ("Ban Chỉ huy Phòng, chống thiên tai …") is whole here
            start = next((i for i in range(len(before)) if (i == 0 or not before[i - 1].isalnum())
                          and len(match_tokens(before[:i])) == last.start), None)
            if start is None:
                continue
            gap = before[start:].split()[len(last.name.split()):]
            if len(gap) > 12 or any(w in NAME_STOPS for w in gap) or any(
                    f"{a} {b}".lower() in NAME_STOP_PAIRS for a, b in zip(gap, gap[1:], strict=False)):
                continue  # a clause, not the rest of one name, between the body and the parentheses
            full = last.name if last.end == len(match_tokens(before)) else collapse_name(before[start:])
            short = collapse_name(match.group(1))
            if ";" in before[start:] or (pattern is _ABBREVIATED and fold_char(short[0]) != fold_char(full[0])):
                continue  # an abbreviation stands for a name with its initials (a list's "(NC)" does not)
            if not short or match_tokens(short) == match_tokens(full) or len(match_tokens(short)) > 12:
                continue
            out.setdefault(short, full)
            for level in LEVELS:  # the same short form at another level
                if short.endswith(" " + level) and full.endswith(" " + level):
                    for other in LEVELS:
                        if other != level:
                            out.setdefault(short[: -len(level)] + other, full[: -len(level)] + other)
    return out


def plan_abbreviations(text: str) -> dict[str, str]:
    """The plan's abbreviations that spell the body they stand for, and each acronym inside them,
    with the words it stands for ("BCH PCTT&TKCN huyện" → the full name; "BCH" → "Ban Chỉ huy",
    "PCTT&TKCN" → "Phòng, chống thiên tai và Tìm kiếm cứu nạn"): what the register writes out in a
    name `find_bodies` does not give whole ("Ban Chỉ huy PCTT&TKCN tỉnh"). Read from the same
    definitions as `plan_aliases`; a short name in words, or initials that do not spell the body
    ("Ban Chỉ đạo tỉnh (sau đây gọi tắt là BQL)"), is none."""
    table: dict[str, str] = {}
    for short, full in plan_aliases(text).items():
        parts = acronym_parts(short, full) if is_abbreviation(short) else None
        if parts is None:
            continue
        table.setdefault(short, full)
        for acronym, words in parts.items():
            table.setdefault(acronym, words)
    return table


def forms_of(table: Iterable[tuple[str, str]]) -> Forms:
    """(short, full) pairs as `short_forms_in_force` takes them: by tokens, longest first."""
    forms = sorted(((tuple(match_tokens(short)), short, full) for short, full in table), key=lambda f: -len(f[0]))
    return tuple(f for f in forms if f[0])


@contextmanager
def aliases_of(text: str) -> Iterator[None]:
    """While one plan's register is read, `find_bodies` names its defined abbreviations by the full
    body ("BCH PCTT&TKCN huyện"); a short name in words ("(sau đây gọi là Ban Chỉ đạo)") is the
    plan's own name for the body and stays as printed, so that the offices of it stay apart
    ("Thường trực Ban Chỉ đạo", "Trưởng ban Ban Chỉ đạo")."""
    table = plan_aliases(text).items()
    with short_forms_in_force(forms_of((short, full) for short, full in table if is_abbreviation(short))):
        yield


def shared_short_names(tables: Iterable[Iterable[tuple[str, str]]]) -> Forms:
    """The short names the plans an answer reads define (stored at ingest, DocumentMeta.short_names),
    for a question that names a body by one ("BCH PCTT&TKCN huyện phải làm gì?"); a short form two
    of them define for different bodies ("Ban Chỉ đạo" of each plan) names neither."""
    full: dict[str, set[str]] = {}
    for table in tables:
        for short, name in table:
            full.setdefault(short, set()).add(name)
    return forms_of((short, next(iter(names))) for short, names in full.items() if len(names) == 1)

"""A body's own units, named by a unit head and the body they belong to.

Plans of a department or a committee name its units after it ("Văn phòng Sở", "Thanh tra Sở",
"Đảng ủy Sở"), and a reader names them after the body in full ("Thanh tra Sở Tư pháp", "vp sở tư
pháp"). The same heads serve the plan's text at ingest and the question, through `find_bodies`:
a unit head written right before a lexicon body makes the mention that unit, not the body.
"""

from __future__ import annotations

import re
from functools import lru_cache

from lang.normalize import match_tokens

# unit head → how readers also write it (abbreviations; in any case, with or without marks)
UNIT_HEADS: dict[str, tuple[str, ...]] = {
    "Văn phòng": ("VP",),
    "Thanh tra": (),
    "Đảng ủy": ("Đảng uỷ",),
    "Công đoàn": (),
    "Ban Giám đốc": (),
}
# the heads of the bodies whose units a plan names with the bare head ("Thanh tra Sở" in a plan of
# Sở Tư pháp): one word, the rest of the owner's name is the plan's issuer
OWNER_HEADS = ("Sở", "Bộ", "Cục", "Ban", "Chi cục", "Tổng cục")


@lru_cache(maxsize=1)
def _unit_forms() -> list[tuple[tuple[str, ...], str]]:
    forms = [(tuple(match_tokens(form)), head) for head, aliases in UNIT_HEADS.items() for form in (head, *aliases)]
    return sorted(forms, key=lambda f: -len(f[0]))


def unit_before(tokens: list[str], start: int) -> tuple[str, int] | None:
    """The unit head written right before token `start` of folded `tokens` (as `match_tokens`
    gives them): (its canonical form, its length in tokens), else None."""
    for form, head in _unit_forms():
        n = len(form)
        if n <= start and tuple(tokens[start - n:start]) == form:
            return head, n
    return None


def owner_head(owner: str) -> str | None:
    """The head noun of a body whose units carry its bare head ("Sở Tư pháp" → "Sở")."""
    for head in sorted(OWNER_HEADS, key=len, reverse=True):
        if owner.startswith(head + " "):
            return head
    return None


def unit_as_owner_names_it(name: str, owner: str) -> str | None:
    """A unit of `owner` (canonical lexicon name) named with it in full, as the owner's own plan
    names it: "Thanh tra Sở Tư pháp" of "Sở Tư pháp" → "Thanh tra Sở". None for another name."""
    head = owner_head(owner)
    if head is None:
        return None
    for unit in UNIT_HEADS:
        if name == f"{unit} {owner}":
            return f"{unit} {head}"
    return None


def unit_short_form(name: str) -> str | None:
    """A unit named with its owner in full, as the owner's own plan names it, whoever the owner:
    "Văn phòng Sở Tư pháp" → "Văn phòng Sở". None for any other name."""
    for unit in UNIT_HEADS:
        if name.startswith(unit + " "):
            head = owner_head(name[len(unit) + 1:])
            return f"{unit} {head}" if head else None
    return None


# The head of the body that issues the plan, named by title and a bare head noun ("báo cáo Giám đốc
# Sở", "trình Trưởng ban xem xét"): a plan of a department or a committee sends its units' reports
# to its own head, the recipient as printed. A capital after the noun names another body instead
# ("Giám đốc Sở Tài chính" is the lexicon's Sở Tài chính).
_HEAD_TITLES = ("Giám đốc", "Phó Giám đốc", "Cục trưởng", "Chi cục trưởng", "Thủ trưởng")
_BARE_BODIES = ("Sở", "Cục", "Chi cục", "Trung tâm", "cơ quan", "đơn vị")
ISSUER_HEAD = re.compile(
    r"(?<![\wÀ-ỹ])(?:" + "|".join(sorted(map(re.escape, _HEAD_TITLES), key=len, reverse=True)) + r")\s+(?:"
    + "|".join(sorted(map(re.escape, _BARE_BODIES), key=len, reverse=True)) + r")(?![\wÀ-ỹ])(?!\s+[A-ZĐÀ-Ỹ])")


def is_issuer_head(name: str) -> bool:
    """A name `find_bodies` gives the issuing body's head ("Giám đốc Sở"): a person the plan's units
    advise and report to, never a partner of their work."""
    return ISSUER_HEAD.fullmatch(name) is not None

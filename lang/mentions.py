"""A body named in a text: shared by the lexicon's matching and a plan's short forms."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class AgencyMention:
    name: str  # canonical
    start: int  # token offsets in the matched token list
    end: int

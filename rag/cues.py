"""The cue words of questions (prompts/cues_vi.toml): what a question asks for, read by the one
question analysis (rag/query.py). Cues are data, so a phrasing is added without touching code."""

from __future__ import annotations

import re
import tomllib
from functools import lru_cache
from pathlib import Path

from planbot import PROMPTS_DIR

CUES_FILE = "cues_vi.toml"


@lru_cache(maxsize=4)
def cues(directory: Path = PROMPTS_DIR) -> dict[str, dict[str, tuple[str, ...]]]:
    """Every cue group of the file: group → name → folded phrases."""
    with (directory / CUES_FILE).open("rb") as handle:
        data = tomllib.load(handle)
    return {group: {name: tuple(_phrase(p) for p in phrases) for name, phrases in table.items()}
            for group, table in data.items()}


def _phrase(value: str | list[str]) -> str | tuple[str, ...]:
    """A phrase with its spaces collapsed; a list of phrases (a synonym group) as a tuple."""
    if isinstance(value, list):
        return tuple(" ".join(v.split()) for v in value)
    return " ".join(value.split())


def group(name: str) -> dict[str, tuple[str, ...]]:
    return cues()[name]


@lru_cache(maxsize=1024)
def _pattern(phrase: str) -> re.Pattern[str]:
    return re.compile(r"(?<![a-z0-9])" + re.escape(phrase) + r"(?![a-z0-9])")


def has_cue(folded: str, phrase: str) -> bool:
    """Whether the folded text holds the phrase as whole words."""
    return _pattern(phrase).search(folded) is not None


def any_cue(folded: str, phrases: tuple[str, ...]) -> bool:
    return any(has_cue(folded, p) for p in phrases)


def matching(folded: str, group_name: str) -> list[str]:
    """The names of a group whose phrases the folded text holds, in the file's order."""
    return [name for name, phrases in group(group_name).items() if any_cue(folded, phrases)]

"""The cue words of questions (prompts/cues_vi.toml): what a question asks for, read by the one
question analysis (rag/query.py). Cues are data, so a phrasing is added without touching code."""

from __future__ import annotations

import re
import tomllib
from functools import lru_cache
from pathlib import Path

from lang.normalize import fold
from planbot import PROMPTS_DIR

CUES_FILE = "cues_vi.toml"


@lru_cache(maxsize=4)
def _table(directory: Path) -> dict[str, dict[str, list]]:
    with (directory / CUES_FILE).open("rb") as handle:
        return tomllib.load(handle)


@lru_cache(maxsize=4)
def cues(directory: Path = PROMPTS_DIR) -> dict[str, dict[str, tuple[str, ...]]]:
    """Every cue group of the file: group → name → folded phrases (synonym groups, lists of lists,
    are read by `synonym_groups`)."""
    return {group: {name: tuple(_phrase(p) for p in phrases if isinstance(p, str))
                    for name, phrases in table.items() if all(isinstance(p, str) for p in phrases)}
            for group, table in _table(directory).items()}


def synonym_groups(group_name: str, name: str, directory: Path = PROMPTS_DIR) -> tuple[tuple[str, ...], ...]:
    """The synonym groups (a list of phrase lists) `name` of the group, spaces collapsed."""
    return tuple(tuple(_phrase(v) for v in phrases) for phrases in _table(directory)[group_name][name])


def _phrase(value: str) -> str:
    """A phrase with its spaces collapsed."""
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


def checks_premise(typed: str, folded: str) -> bool:
    """Does the question state a fact and ask whether it holds ("… đúng không?", "… hằng năm à")?"""
    confirm = group("confirm")
    if any_cue(folded, confirm["asks"]):
        return True
    words = typed.lower().rstrip(" ?.!…").split()
    return bool(words) and words[-1] in confirm["particles"] and not any_cue(folded, confirm["open"])


def matching(folded: str, group_name: str) -> list[str]:
    """The names of a group whose phrases the folded text holds, in the file's order."""
    return [name for name, phrases in group(group_name).items() if any_cue(folded, phrases)]


def plan_wording(text: str, directory: Path = PROMPTS_DIR) -> str:
    """The text with a user's phrasing rewritten to the plans' word for it ([wording] of the cue
    file: "ai phụ trách …" → "ai chủ trì …"), so that a synonym ranks passages and chooses the answer
    as the plans' own word does. Not after a person's title ("Phó Chủ tịch phụ trách lĩnh vực")."""
    folded = fold(text)
    if len(folded) != len(text):  # spans of the folded text must be spans of the text
        return text
    table = _table(directory).get("wording", {})
    keep = tuple(fold(k) for k in table.get("keep_after", ()))
    spans: list[tuple[int, int, str]] = []
    for words in table.get("plan_words", ()):
        plans_word, *phrasings = (_phrase(w) for w in words)
        for phrasing in phrasings:
            for found in _pattern(fold(phrasing)).finditer(folded):
                before = folded[: found.start()].rstrip()
                if not any(re.search(r"(?<![a-z0-9])" + re.escape(k) + r"$", before) for k in keep):
                    spans.append((found.start(), found.end(), plans_word))
    for start, end, word in sorted(spans, reverse=True):
        text = text[:start] + word + text[end:]
    return text


def without_homographs(text: str, kind: str, folded: str) -> str:
    """The folded question without the words a kind's cue is only part of once folded ("hạn hán"
    is no "hạn"): the question as it reads for that kind."""
    words = group("kind_homographs").get(kind, ())
    if not any(w in text.casefold() or fold(w) in folded for w in words):
        return folded
    for word in words:
        text = re.sub(re.escape(word), " ", text, flags=re.IGNORECASE)
        # typed without marks ("phong chong han han"), the word is its folded form: a span that
        # carries marks of its own ("hạn hạn") is another reading and stays
        text = re.sub(rf"(?<![^\W\d_]){re.escape(fold(word))}(?![^\W\d_])", " ", text, flags=re.IGNORECASE)
    return " ".join(fold(text).split())


def names_money(folded: str, asked: list[str]) -> bool:
    """Whether the money cue of a question only names its task: a money noun ("mức chi đặc thù")
    in a question that asks another value (when, who) and no quantity ("bao nhiêu", "mấy")."""
    amount = group("amount")
    others = [name for name in asked if name != "amount"]
    if not others or any_cue(folded, amount["quantity"]):
        return False
    return not any(has_cue(folded, p) for p in amount["money"] if p not in amount["nouns"])

"""User-facing Vietnamese messages and prompt templates, read from prompts/ (never inlined in code).

They live here, beside the settings, because every layer speaks to people: index/ (a file that
cannot be read), rag/ (an answer), bot/ (an HTTP error). `rag.prompts` re-exports these names.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from planbot import PROMPTS_DIR


@lru_cache(maxsize=32)
def load_prompt(name: str, directory: Path = PROMPTS_DIR) -> str:
    path = directory / name
    return path.read_text(encoding="utf-8").strip()


@lru_cache(maxsize=8)
def key_values(path: Path) -> dict[str, str]:
    """A `key = value` file of prompts/ (comments start with #), read once."""
    out: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.lstrip().startswith("#") and "=" in line:
            key, value = line.split("=", 1)
            out[key.strip()] = value.strip()
    return out


def messages(directory: Path = PROMPTS_DIR) -> dict[str, str]:
    return key_values(directory / "messages_vi.txt")


def message(key: str, **values: object) -> str:
    return messages()[key].format(**values)

"""Prompt templates and user-facing messages, read from prompts/ (never inlined in code)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from planbot import PROMPTS_DIR


@lru_cache(maxsize=32)
def load_prompt(name: str, directory: Path = PROMPTS_DIR) -> str:
    path = directory / name
    return path.read_text(encoding="utf-8").strip()


@lru_cache(maxsize=4)
def messages(directory: Path = PROMPTS_DIR) -> dict[str, str]:
    out: dict[str, str] = {}
    for line in (directory / "messages_vi.txt").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.lstrip().startswith("#") and "=" in line:
            key, value = line.split("=", 1)
            out[key.strip()] = value.strip()
    return out


def message(key: str, **values: object) -> str:
    return messages()[key].format(**values)


@lru_cache(maxsize=4)
def slots(directory: Path = PROMPTS_DIR) -> dict[str, str]:
    """The sentence templates extractive answers are composed from (prompts/slots_vi.txt)."""
    out: dict[str, str] = {}
    for line in (directory / "slots_vi.txt").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.lstrip().startswith("#") and "=" in line:
            key, value = line.split("=", 1)
            out[key.strip()] = value.strip()
    return out


def slot(key: str, **values: object) -> str:
    return slots()[key].format(**values)

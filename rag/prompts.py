"""Prompt templates and user-facing messages live in planbot/messages.py (every layer uses them);
these names stay importable from here. The sentence templates extractive answers are composed
from (prompts/slots_vi.txt) are the answer path's own."""

from __future__ import annotations

from pathlib import Path

from planbot import PROMPTS_DIR
from planbot.messages import key_values, load_prompt, message, messages

__all__ = ["load_prompt", "message", "messages", "slot", "slots"]


def slots(directory: Path = PROMPTS_DIR) -> dict[str, str]:
    """The sentence templates extractive answers are composed from (prompts/slots_vi.txt)."""
    return key_values(directory / "slots_vi.txt")


def slot(key: str, **values: object) -> str:
    return slots()[key].format(**values)

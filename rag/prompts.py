"""Prompt templates and user-facing messages: they live in planbot/messages.py (every layer uses
them); these names stay importable from here."""

from __future__ import annotations

from planbot.messages import load_prompt, message, messages

__all__ = ["load_prompt", "message", "messages"]

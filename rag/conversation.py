"""Conversations: the last turns of a chat, kept for a while, so follow-ups resolve references."""

from __future__ import annotations

import threading
import time
import uuid
from dataclasses import dataclass, field

from rag.types import Answer


@dataclass
class Turn:
    question: str
    answer: Answer


@dataclass
class Conversation:
    id: str
    turns: list[Turn] = field(default_factory=list)
    touched: float = field(default_factory=time.monotonic)

    def history(self, last: int = 3) -> list[str]:
        """The user's previous questions, oldest first, as the assistant's follow-up context."""
        return [t.question for t in self.turns[-last:]]


class ConversationStore:
    """In-process, thread-safe, expiring after `ttl_seconds` of silence; bounded in size."""

    def __init__(self, ttl_seconds: float = 1800, max_conversations: int = 10_000, max_turns: int = 10,
                 clock=time.monotonic) -> None:
        self.ttl = ttl_seconds
        self.max_conversations = max_conversations
        self.max_turns = max_turns
        self._clock = clock
        self._items: dict[str, Conversation] = {}
        self._lock = threading.Lock()

    def _expire(self) -> None:
        now = self._clock()
        for key in [k for k, c in self._items.items() if now - c.touched > self.ttl]:
            del self._items[key]
        while len(self._items) > self.max_conversations:
            oldest = min(self._items, key=lambda k: self._items[k].touched)
            del self._items[oldest]

    def get(self, conversation_id: str | None) -> Conversation:
        """The live conversation with that id, or a new one (an expired or unknown id starts afresh)."""
        with self._lock:
            self._expire()
            if conversation_id and conversation_id in self._items:
                conv = self._items[conversation_id]
            else:
                conv = Conversation(conversation_id or uuid.uuid4().hex, touched=self._clock())
                self._items[conv.id] = conv
            conv.touched = self._clock()
            return conv

    def add(self, conversation_id: str, question: str, answer: Answer) -> None:
        with self._lock:
            conv = self._items.get(conversation_id)
            if conv is None:
                conv = Conversation(conversation_id, touched=self._clock())
                self._items[conversation_id] = conv
            conv.turns.append(Turn(question, answer))
            del conv.turns[: -self.max_turns]
            conv.touched = self._clock()

    def reset(self, conversation_id: str) -> None:
        with self._lock:
            self._items.pop(conversation_id, None)

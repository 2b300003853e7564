"""Conversations: the last turns of a chat, kept for a while, so follow-ups resolve references."""

from __future__ import annotations

import threading
import time
import uuid
from collections import OrderedDict
from dataclasses import dataclass, field

from lang.agencies import find_bodies
from rag.query import QueryInfo, is_follow_up
from rag.types import Answer


def leans_on_previous(info: QueryInfo) -> bool:
    """Does a turn lean on the conversation before it? A follow-up by its words ("Còn Sở Y tế thì
    sao?", "Cơ quan đó …"), or a turn that names neither a plan nor a body ("Hạn nộp hằng tháng là
    trước ngày mấy?"): in a conversation, what it asks about is what was just spoken of."""
    if is_follow_up(info):
        return True
    names_plan = info.provinces or info.years or info.sources or info.numbers or info.periods
    return not names_plan and not info.agencies and not find_bodies(info.text)


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
    """In-process, thread-safe, expiring after `ttl_seconds` of silence; bounded in size.

    Conversations are kept in order of last use (least recent first), so expiry looks only at the
    front: each request pays for the conversations that expired since the last one, not for all.
    """

    def __init__(self, ttl_seconds: float = 1800, max_conversations: int = 10_000, max_turns: int = 10,
                 clock=time.monotonic) -> None:
        self.ttl = ttl_seconds
        self.max_conversations = max_conversations
        self.max_turns = max_turns
        self._clock = clock
        self._items: OrderedDict[str, Conversation] = OrderedDict()  # least recently used first
        self._lock = threading.Lock()

    def size(self) -> int:
        """Conversations held (not `__len__`: an empty store must not be falsy in `store or default`)."""
        with self._lock:
            return len(self._items)

    def _expire(self, now: float) -> None:
        while self._items:
            oldest = next(iter(self._items.values()))
            if now - oldest.touched <= self.ttl and len(self._items) <= self.max_conversations:
                return
            self._items.popitem(last=False)

    def _touch(self, conv: Conversation, now: float) -> None:
        conv.touched = now
        self._items[conv.id] = conv
        self._items.move_to_end(conv.id)

    def get(self, conversation_id: str | None) -> Conversation:
        """The live conversation with that id, or a new one (an expired or unknown id starts afresh)."""
        with self._lock:
            now = self._clock()
            self._expire(now)
            conv = self._items.get(conversation_id) if conversation_id else None
            if conv is None:
                conv = Conversation(conversation_id or uuid.uuid4().hex, touched=now)
            self._touch(conv, now)
            self._expire(now)  # a new conversation may have taken the store over its size
            return conv

    def add(self, conversation_id: str, question: str, answer: Answer) -> None:
        with self._lock:
            now = self._clock()
            conv = self._items.get(conversation_id) or Conversation(conversation_id, touched=now)
            conv.turns.append(Turn(question, answer))
            del conv.turns[: -self.max_turns]
            self._touch(conv, now)
            self._expire(now)

    def reset(self, conversation_id: str) -> None:
        with self._lock:
            self._items.pop(conversation_id, None)

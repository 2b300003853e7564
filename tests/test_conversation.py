"""ConversationStore: expiry by last use, bounded size, and expiry work that does not grow with
the number of live conversations."""

from __future__ import annotations

from rag.conversation import Conversation, ConversationStore
from rag.types import Answer, AnswerMode


def answer(text: str = "…") -> Answer:
    return Answer(question="q", answer=text, abstained=False, mode=AnswerMode.EXTRACTIVE)


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_expiry_counts_from_last_use_not_creation():
    clock = Clock()
    store = ConversationStore(ttl_seconds=60, clock=clock)
    store.add("old-but-active", "q1", answer())
    clock.now += 10
    store.add("idle", "q1", answer())
    clock.now += 40
    store.get("old-but-active")  # used again: now it is the most recent
    clock.now += 30  # "idle" silent 70 s, "old-but-active" 30 s
    assert store.get("old-but-active").history() == ["q1"]
    assert store.get("idle").history() == []  # expired: a new conversation under the same id
    clock.now += 61
    store.get("someone-else")
    assert store.size() == 1  # both silent conversations were dropped by another caller's request


def test_size_bound_drops_the_least_recently_used():
    clock = Clock()
    store = ConversationStore(ttl_seconds=3600, max_conversations=3, clock=clock)
    for cid in ("a", "b", "c"):
        store.add(cid, f"question {cid}", answer())
        clock.now += 1
    store.get("a")  # a is used again, so b is now the least recent
    store.add("d", "question d", answer())
    assert store.size() == 3
    assert store.get("b").history() == []
    assert store.get("a").history() == ["question a"]


class _CountingConversation(Conversation):
    """Counts reads of `touched`: how many conversations one expiry pass looked at."""

    reads = 0

    @property
    def touched(self) -> float:
        _CountingConversation.reads += 1
        return self.__dict__["touched"]

    @touched.setter
    def touched(self, value: float) -> None:
        self.__dict__["touched"] = value


def test_a_request_looks_at_the_expired_conversations_only_not_at_every_live_one():
    clock = Clock()
    store = ConversationStore(ttl_seconds=60, clock=clock)
    for number in range(1000):  # one started every 10 ms, over 10 s
        store.get(f"c{number}").__class__ = _CountingConversation
        clock.now += 0.01
    _CountingConversation.reads = 0
    store.get("c500")
    assert _CountingConversation.reads <= 3  # the front of the queue, not 1000 conversations
    clock.now += 55  # the first ~half silent for more than 60 s
    _CountingConversation.reads = 0
    store.get("new")
    assert 400 < store.size() < 600
    assert _CountingConversation.reads <= 1000 - store.size() + 3  # the expired ones, plus one live

"""Conversations: the last turns of a chat, kept for a while, so follow-ups resolve references."""

from __future__ import annotations

import re
import threading
import time
import uuid
from collections import OrderedDict
from dataclasses import dataclass, field

from lang.agencies import AGENCIES, find_bodies
from lang.normalize import match_tokens
from rag.cues import group, matching
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


# "cơ quan đó", "đơn vị này", "ngành ấy", "cơ quan nói trên", accented or not: a body taken up
# from the turn before
# "sở đó", "sở này" only accented: folded, "so do" is also "sơ đồ" (a diagram)
_BODY_ANAPHOR = re.compile(r"(?i)\b(?:c[oơ] quan|[dđ][oơ]n v[iị]|ng[aà]nh)\s+(?:n[oó]i tr[eê]n|[dđ][oó]|n[aà]y|[aấ]y|tr[eê]n)\b"
                           r"|\b(?P<kind>[sS]ở)\s+(?:nói trên|đó|này|ấy|trên)\b")
# the words after which a sentence names where a report goes ("báo cáo về Công an tỉnh", "gửi Sở X")
_TOWARDS = frozenset({"bao", "cao", "gui", "ve", "trinh", "len", "qua"})
# named in nearly every plan as the issuer: the body a follow-up means only when nothing else is named
_ISSUER = "Ủy ban nhân dân tỉnh"
# the slots and kinds by which a question asks for a body (its answer names it)
_ASKS_BODY = frozenset({"lead", "recipient", "cooperating"})


# the kind of fact each slot is (prompts/cues_vi.toml [kinds]): a recipient is a reporting line
_KIND_OF_SLOT = {"recipient": "reporting", "frequency": "reporting"}


def swapped_slot(info: QueryInfo) -> list[str]:
    """The slot a follow-up asks in place of the previous turn's ("Còn thời gian … thì sao?" →
    deadline), when it asks none in so many words: empty else."""
    if info.asked or not any(c in info.folded for c in group("followup")["cues"]):
        return []
    return matching(info.subject_folded, "followup_slots")[:1]


def asks_slot_of_previous(info: QueryInfo) -> bool:
    """A follow-up that asks a slot in so many words and names nothing else ("còn thời gian thực
    hiện thì sao?", "vậy ai phối hợp?"): it asks that slot of the previous turn's task."""
    if not info.asked or info.agencies:
        return False
    words = [*group("followup")["cues"], *group("followup")["fillers"],
             *(w for phrases in group("followup_slots").values() for w in phrases)]
    rest = info.subject_folded
    for word in sorted(words, key=len, reverse=True):
        rest = re.sub(rf"(?<![a-z0-9]){re.escape(word)}(?![a-z0-9])", " ", rest)
    return not re.sub(r"[^a-z0-9]", " ", rest).split()


def swap_slot(info: QueryInfo, previous: QueryInfo, slots: list[str]) -> None:
    """The follow-up asks its slot of the previous turn's task: the kinds the previous turn asked
    by (who leads, where reports go) give way to the slot's, the other kinds stay."""
    asked_kinds = set(previous.asked) | {_KIND_OF_SLOT.get(s, s) for s in previous.asked}
    kept = [k for k in previous.kinds if k not in asked_kinds]
    info.asked = list(slots)
    info.kinds = list(dict.fromkeys([*info.kinds, *(_KIND_OF_SLOT.get(s, s) for s in slots), *kept]))


def refers_to_body(info: QueryInfo) -> bool:
    """Does a turn name no body but take one up from the turn before ("Cơ quan đó báo cáo ai?")?"""
    if _BODY_ANAPHOR.search(info.text) is None:
        return False
    # a body named where the report goes is not the one meant ("Cơ quan đó báo cáo UBND tỉnh khi nào?")
    tokens = match_tokens(info.text)
    towards = {m.name for m in find_bodies(info.text) if m.start > 0 and tokens[m.start - 1] in _TOWARDS}
    return not set(info.agencies) - towards


def body_referred(previous: QueryInfo, answer: Answer | None, question: str = "",
                  heading: str | None = None) -> str | None:
    """The body "cơ quan đó" means, when it is certain: the previous question asked for a body in
    so many words (who leads, where reports go, who partners) and its answer names one of the
    lexicon in that role ("… báo cáo về Công an tỉnh", "Giao Sở X chủ trì"); or it asked about
    the one body it named ("Sở Tài chính phải làm gì?"). Else None: the follow-up is read as
    written, beside the previous turn's words."""
    kind = _BODY_ANAPHOR.search(question) if question else None
    if kind is not None and kind.group("kind") and answer is not None and not answer.abstained:
        # "sở đó" names the body's kind: the one department ("Sở …") the previous answer quotes,
        # other than those the previous question named, is the one meant whatever was asked
        said = " ".join(c.quote for c in answer.citations or [])
        departments = list(dict.fromkeys(m.name for m in find_bodies(said)
                                         if m.name.startswith("Sở ") and m.name not in previous.agencies))
        if len(departments) == 1 and departments[0] in AGENCIES:
            return departments[0]
    asked_body = _ASKS_BODY & set(previous.asked)
    if not asked_body:
        asks_one = "lead" in previous.kinds or "cooperating" in previous.kinds or previous.asks_recipient
        if asks_one and not previous.agencies and heading and answer is not None and not answer.abstained:
            # "cơ quan nào là cơ quan thường trực?" answered by a point of the item headed "1. Ban
            # Quản lý …": the body is the item's, the point's own words never name it
            return heading
        return previous.agencies[0] if len(previous.agencies) == 1 and not asks_one else None
    if answer is None or answer.abstained:
        return None
    said = " ".join(c.quote for c in answer.citations or [])
    tokens = match_tokens(said)
    mentions = [m for m in find_bodies(said) if m.name not in previous.agencies]
    if "recipient" in asked_body:
        mentions = [m for m in mentions if m.start > 0 and tokens[m.start - 1] in _TOWARDS]
    elif "lead" in asked_body:
        # the body in the lead's place: "chủ trì: X", "Giao X chủ trì", "X chủ trì" — never the
        # partner the same line names ("Đơn vị phối hợp: Sở Y")
        mentions = [m for m in mentions if tokens[max(0, m.start - 2):m.start] == ["chu", "tri"]
                    or tokens[m.end:m.end + 2] == ["chu", "tri"]]
    else:
        mentions = [m for m in mentions if tokens[max(0, m.start - 3):m.start][-2:] in (["phoi", "hop"], ["hop", "voi"])]
    named = [m.name for m in mentions if m.name != _ISSUER] or [m.name for m in mentions]
    return named[0] if named and named[0] in AGENCIES else None


def with_body(question: str, body: str) -> str:
    """The follow-up with the body it takes up written out ("Công an tỉnh báo cáo ai?")."""
    return _BODY_ANAPHOR.sub(body, question, count=1)


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

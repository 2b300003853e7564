"""What the question path knows about a question once it is understood and its plans are
retrieved: shared by the extractive and the LLM answerers."""

from __future__ import annotations

from dataclasses import dataclass, field

from index.models import Chunk
from index.store import Snapshot
from rag.query import QueryInfo
from rag.retrieve import Hit
from rag.scope import Scope
from rag.types import Answer, Verification


class QuestionError(ValueError):
    """The question itself is unusable (empty, too long); the message is Vietnamese."""


@dataclass
class PlanEvidence:
    source: str
    title: str
    hits: list[Hit]


@dataclass
class Prepared:
    info: QueryInfo
    retrieval_text: str
    plans: list[PlanEvidence] = field(default_factory=list)
    selected: list[str] = field(default_factory=list)  # the plans in the question's scope
    early: Answer | None = None
    # the LLM path: passages sent (in block order, as the model saw them) and how they were checked
    evidence: list[Chunk] = field(default_factory=list)
    passages: list[str] = field(default_factory=list)
    withheld: int = 0
    verification: Verification | None = None
    scope: Scope | None = None  # its notes: "Vĩnh Phúc, nay thuộc tỉnh Phú Thọ"
    snap: Snapshot | None = None  # the one index generation this question is answered from
    extractive: Answer | None = None  # the extractive answer, made once (the LLM's evidence, its fallback)
    # a follow-up that swaps what is asked: the (plan, section) pairs the previous answer cited,
    # where the task it keeps is stated
    follows: set[tuple[str, str]] = field(default_factory=set)
    # a follow-up ("còn xoài năm đó thì sao?"): the text of the turn it leans on, which may name
    # what the follow-up leaves out (the appendix, the year); "" for a question of its own
    before: str = ""

"""A slot of the item a passage belongs to, read from the item's record (index/items.py).

The answer path quotes one line of an item (a dash of its "Nhiệm vụ:" point, its "b) Cơ quan chủ
trì:" field); when that line lacks the slot asked (who leads, who cooperates, by when, what
product), the record says which line of the same item states it, and in which section. The line is
quoted and cited from its own section; a time a heading gives is said to be the heading's.
"""

from __future__ import annotations

from index.items import ItemSlot, field_label
from index.models import Chunk
from lang.normalize import collapse_ws, match_tokens
from rag.answers.common import citation
from rag.answers.reader import PlanReader
from rag.prepared import PlanEvidence, Prepared
from rag.prompts import message
from rag.types import Citation


def _line_of(chunk: Chunk, quote: str) -> int | None:
    """The chunk line the quote starts on."""
    head = tuple(match_tokens(quote)[:8])
    if not head:
        return None
    for i, tokens in enumerate(chunk.facts.line_tokens):
        if len(tokens) >= len(head) and any(tokens[j:j + len(head)] == head for j in range(len(tokens) - len(head) + 1)):
            return i
    return None


def _valued(item: ItemSlot) -> bool:
    """A line that states the slot, not a bare label heading it ("b) Cơ quan thực hiện:")."""
    label = field_label(item.line)
    return item.inherited or label is None or label[1]


def _chunk_at(reader: PlanReader, chunk: Chunk, item: ItemSlot) -> Chunk | None:
    """The chunk of the slot's section that prints its line (a section may span chunks)."""
    if item.section == chunk.section and (item.inherited or item.line in chunk.text):
        return chunk
    snap = reader.store.snapshot()
    found = [c for c in (snap.chunks_of(chunk.source) if snap else []) if c.section == item.section]
    return next((c for c in found if item.line in c.text), found[0] if found else None)


def item_slot(reader: PlanReader, chunk: Chunk, slot: str, quote: str = "") -> tuple[Chunk, ItemSlot] | None:
    """(the chunk to cite, the slot's line) of the item `chunk` belongs to, or None when the item
    does not state the slot or states several values of it for different tasks. A time is the
    quoted dash's own time line when its item writes one under each dash."""
    facts = chunk.facts
    if slot == "time" and facts.dash_time:
        at = _line_of(chunk, quote) if quote else None
        lines = chunk.text.split("\n")
        own = next((time for task, time in facts.dash_time if at is not None and task <= at < time), None)
        # the item's other time lines are the other dashes' own: none of them is this task's
        return (chunk, ItemSlot("time", chunk.section, lines[own].strip())) if own is not None else None
    found = [item for item in facts.item if item.slot == slot and _valued(item)]
    if slot in ("time", "product") and len({collapse_ws(item.line) for item in found}) > 1:
        return None  # several times in one record belong to several tasks: not this one's to pick
    if not found:
        return None
    cited = _chunk_at(reader, chunk, found[0])
    return (cited, found[0]) if cited is not None else None


# what a follow-up asks ("còn thời gian thực hiện thì sao?", "vậy ai phối hợp?") → the record's slot
_ASKED_SLOTS = {"deadline": "time", "frequency": "time", "lead": "lead", "cooperating": "cooperating"}


def follow_up_answer(reader: PlanReader, prepared: Prepared, plan: PlanEvidence,
                     citations: list[Citation]) -> str | None:
    """A follow-up that swaps the slot asked after an answer from an item ("… ai chủ trì?" then
    "còn thời gian thực hiện thì sao?"): the same item's record states the slot now asked, on the
    line quoted here and cited from its own section. None when the previous answer cited no item
    of this plan, or its record does not state the slot."""
    asked = prepared.info.asked
    if not prepared.follows or not asked or not all(slot in _ASKED_SLOTS for slot in asked):
        return None
    snap = reader.store.snapshot()
    if snap is None:
        return None
    sections = {section for source, section in prepared.follows if source == plan.source}
    cited = [c for c in snap.chunks_of(plan.source) if c.section in sections]
    wanted = list(dict.fromkeys(_ASKED_SLOTS[slot] for slot in asked))
    for chunk in sorted(cited, key=lambda c: c.start_line):
        found = [item_slot(reader, chunk, slot) for slot in wanted]
        if any(f is None for f in found):
            continue
        parts: list[str] = []
        for line_chunk, item in (f for f in found if f is not None):
            citations.append(citation(len(citations) + 1, line_chunk, collapse_ws(item.line)))
            said = message("according_to", title=plan.title, label=line_chunk.section_label)
            parts.append(f"{said}: {collapse_ws(item.line)} [{len(citations)}]")
        return " ".join(parts)
    return None

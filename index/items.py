"""One record per task item, read once at ingest from every form the genre writes a task in.

A Decree 30/2020 plan writes one task in many layouts, and a question asks one slot of it (who
leads, who cooperates, by when, what product). The record gathers the item's slots, each with the
line that states it and the section that line sits in, so the question path reads the slot asked
from the item it quoted, whichever part of the item it quoted:
- labelled lines of the item itself ("- Cơ quan chủ trì: …", "Thời gian hoàn thành: …");
- labelled child points and sub-items, each a field of their parent ("a) Nội dung: …", "b) Cơ quan
  chủ trì: …", "d) Thời gian: …"; "1.1. Đối tượng: …", "1.3. Thời gian: …"; "b) Cơ quan thực
  hiện:" heading its "- Đơn vị chủ trì: …" lines): the record is the parent's;
- the time of a parent heading ("1. Mục tiêu đến hết năm 2026") and the body of an agency heading
  ("3. Sở Tài chính:"), when the item states none of its own: marked inherited.
A dash followed by its own time line ("- Thành lập Tổ kiểm kê …" then "Thời hạn hoàn thành: …")
keeps that line as its time: the field belongs to the task ABOVE it, not the one below.
Records are keyed by section path, so a section another item refers to ("tại điểm a khoản 1
Mục II") has its slots looked up the same way.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from lang.markers import LIST_MARKER
from lang.normalize import match_tokens

if TYPE_CHECKING:
    from index.models import Chunk

# The labels of an item's fields, as their first matching words (folded): a field's label is
# one of these, then at most a few words ("Thời gian thực hiện", "Cơ quan chủ trì thực hiện"),
# then its colon. A "Cơ quan thực hiện" label with nothing after it heads the lead and partner
# lines below it. Order matters: the partner labels are tried before the bare "thực hiện" lead.
FIELD_LABELS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("cooperating", ("co quan phoi hop", "don vi phoi hop", "phoi hop", "co quan phoi hop thuc hien")),
    ("lead", ("co quan chu tri", "don vi chu tri", "chu tri", "co quan thuc hien", "don vi thuc hien",
              "co quan dau moi", "don vi dau moi", "trach nhiem thuc hien", "co quan chiu trach nhiem",
              "don vi chiu trach nhiem", "co quan thuong truc")),
    ("time", ("thoi gian", "thoi han", "tien do", "han hoan thanh", "moc thoi gian")),
    ("task", ("noi dung", "nhiem vu", "cong viec", "hoat dong")),
    ("product", ("san pham", "ket qua dau ra")),
    ("object", ("doi tuong",)),
)
SLOTS = tuple(slot for slot, _ in FIELD_LABELS)
# a label is short: its head before the colon has at most this many words beyond the label's own
LABEL_TAIL_WORDS = 4
# the words a colonless sub-item title may add to its label ("2.3. Thời gian thực hiện", "Nội dung
# kiểm tra"): "1. Nhiệm vụ trọng tâm" is a title of its own
_TITLE_TAIL = frozenset({"thuc", "hien", "hoan", "thanh", "kiem", "tra", "du", "kien", "trien", "khai"})
# a heading above dates or names the item only this close above it (the levels of a khoản and
# its mục; a Part's title dates every item of the plan, which is no item's own time)
HEADING_LEVELS = 2


@dataclass(frozen=True)
class ItemSlot:
    """One slot of an item's record: the line that states it, verbatim, and where it is."""

    slot: str  # one of SLOTS
    section: str  # the section path of the line (a child point's, the item's own or a heading's)
    line: str  # the line as printed (its marker kept): what is quoted
    inherited: bool = False  # given by a heading above the item, not by the item itself


def field_label(line: str) -> tuple[str, bool] | None:
    """(slot, whether a value follows the colon) of a labelled field line ("c) Cơ quan phối hợp:
    …", "1.3. Thời gian: trong Quý II", "Thời gian thực hiện" alone as a sub-item's title), or
    None. Read as matching words, so an OCR'd label is the label it prints."""
    body = LIST_MARKER.sub("", line.strip())
    head, colon, rest = body.partition(":")
    words = match_tokens(head)
    if not words or (not colon and len(words) > 5):
        return None
    folded = " ".join(words)
    for slot, labels in FIELD_LABELS:
        for label in labels:
            tail = words[len(label.split()):]
            if folded == label or (folded.startswith(label + " ") and len(tail) <= LABEL_TAIL_WORDS
                                   and (colon or set(tail) <= _TITLE_TAIL)):
                return slot, bool(colon) and bool(match_tokens(rest))
    return None


def _parent(section: str) -> str | None:
    return section.rsplit(".", 1)[0] if "." in section else None


def _lines(chunk: Chunk) -> list[str]:
    return [line for line in chunk.text.split("\n") if line.strip()]


def _fields(section: str, lines: list[str], first_is_heading: bool) -> list[ItemSlot]:
    """The labelled lines of one chunk as slots. A label with no value ("b) Cơ quan thực hiện:",
    "1.2. Nội dung kiểm tra:") takes the unlabelled lines below it as its value; the first line of
    an item's own chunk is its heading, a field only when labelled."""
    out: list[ItemSlot] = []
    open_slot: str | None = None  # a label without its value: the lines below are the value
    for i, line in enumerate(lines):
        label = field_label(line)
        if label is not None:
            slot, valued = label
            open_slot = None if valued else slot
            if valued or (i == 0 and not first_is_heading):
                out.append(ItemSlot(slot, section, line.strip()))
        elif open_slot is not None:
            out.append(ItemSlot(open_slot, section, line.strip()))
    return out


def is_field_chunk(chunk: Chunk) -> bool:
    """A point or sub-item that is a field of its parent item ("c) Thời gian thực hiện: …",
    "1.1. Đối tượng: …"), not a task of its own."""
    lines = _lines(chunk)
    return bool(lines) and field_label(lines[0]) is not None and _parent(chunk.section) is not None


def _record(item: Chunk | None, section: str, children: list[Chunk]) -> list[ItemSlot]:
    slots = _fields(section, _lines(item), first_is_heading=True) if item is not None else []
    for child in children:
        if is_field_chunk(child):
            slots.extend(_fields(child.section, _lines(child), first_is_heading=False))
    return slots


def _heading_path(section: str, up: int) -> str:
    parts = section.split(".")
    return ".".join(parts[: max(1, len(parts) - up)])


# what the headings above a chunk give it (index/facts.py): (heading time, agency heading), each
# (text, how many levels above) or None
Headings = tuple[tuple[str, int] | None, tuple[str, int] | None]


def _inherited(section: str, above: Headings, slots: list[ItemSlot]) -> list[ItemSlot]:
    """The heading's time and the agency heading's body, for the slots the item leaves empty."""
    have = {s.slot for s in slots}
    out: list[ItemSlot] = []
    for slot, given in (("time", above[0]), ("lead", above[1])):
        if slot not in have and given is not None and given[1] <= HEADING_LEVELS:
            out.append(ItemSlot(slot, _heading_path(section, given[1]), given[0], inherited=True))
    return out


def read_items(chunks: list[Chunk], above: list[Headings]) -> list[tuple[ItemSlot, ...]]:
    """For each chunk of one plan (reading order), the record of the item it belongs to: its own
    when it is an item, its parent's when it is one of the parent's fields. `above`: what the
    headings give each chunk."""
    given = {chunk.chunk_id: heads for chunk, heads in zip(chunks, above, strict=True)}
    by_section: dict[str, Chunk] = {}
    children: dict[str, list[Chunk]] = {}
    for chunk in chunks:
        by_section.setdefault(chunk.section, chunk)
        parent = _parent(chunk.section)
        if parent is not None:
            kids = children.setdefault(parent, [])
            if all(k.section != chunk.section for k in kids):
                kids.append(chunk)
    records: dict[str, tuple[ItemSlot, ...]] = {}

    def record(item: str, chunk: Chunk) -> tuple[ItemSlot, ...]:
        if item not in records:
            own = _record(by_section.get(item), item, children.get(item, []))
            head = by_section.get(item, chunk)
            inherited = _inherited(head.section, given[head.chunk_id], own)
            records[item] = tuple(own + inherited) if own or not _task_free(head) else ()
        return records[item]

    out: list[tuple[ItemSlot, ...]] = []
    for chunk in chunks:
        parent = _parent(chunk.section)
        if is_field_chunk(chunk) and parent is not None:
            fields = record(parent, chunk)
            # one labelled child is a titled point ("2. Nhiệm vụ"), not the fields of a record
            if len({s.slot for s in fields if not s.inherited}) >= 2:
                out.append(fields)
                continue
        out.append(record(chunk.section, chunk))
    return out


def _task_free(chunk: Chunk) -> bool:
    """A chunk with no line of its own under its heading (a part's title): no item."""
    return len(_lines(chunk)) < 2


def dash_times(lines: list[str]) -> tuple[tuple[int, int], ...]:
    """(line of a task, line of its time field) where a time line is written under the dash it
    dates ("- Chuẩn bị hồ sơ …" then "Thời hạn hoàn thành: Trước ngày 31/12/2025."): the field
    belongs to the task above it. Only when the time line follows a task line, never the
    heading."""
    pairs: list[tuple[int, int]] = []
    task: int | None = None
    for i, line in enumerate(lines):
        if not line.strip():
            continue
        label = field_label(line)
        if label is not None and label[0] == "time":
            if task is not None and i > 0:
                pairs.append((task, i))
            task = None
        elif label is None and LIST_MARKER.match(line) and i > 0:
            task = i
    return tuple(pairs)

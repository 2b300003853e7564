"""List answers: what a heading heads. A heading line ("2. Mục tiêu cụ thể", "d) Đối với các
doanh nghiệp") is never an answer by itself; when it is what the question matched, the answer is
the lines under it, every one, each whole, one a line. Decree 30/2020 plans write such lists as
dashes ("- …"), grouped where a dash is itself a small heading over "+" lines ("- Cấp xã" /
"+ Chọn ngẫu nhiên …"): a question naming one group ("các bước ở cấp xã") gets that group."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from index.models import Chunk
from lang.normalize import collapse_ws, fold

# the list's own markers, outer before inner (the genre's dash, then its "+" sub-items)
_OUTER = ("-", "–", "•")
_INNER = ("+",)
MAX_ITEMS = 12  # beyond that the count of the rest, so a long table of targets stays readable


@dataclass
class Item:
    text: str
    children: list[str] = field(default_factory=list)


def heading_line(chunk: Chunk) -> str | None:
    """The chunk's heading line when it opens with one that is only a title ("2. Mục tiêu cụ
    thể"), not a run-in heading that states the task itself ("1. Sở Y tế chủ trì …")."""
    first = collapse_ws(chunk.text.split("\n", 1)[0])
    title = collapse_ws(chunk.section_title)
    if not first or not title or not fold(first).endswith(fold(title)):
        return None
    if len(first) - len(title) > 8:  # more than a numbering ("III.", "2.1.", "d)") before the title
        return None
    return first


def items(chunk: Chunk) -> list[Item]:
    """The chunk's list under its heading: each dash an item, its "+" lines its children; a line
    with no marker continues the line before it (a wrapped item)."""
    found: list[Item] = []
    for raw in chunk.text.split("\n")[1:]:
        line = collapse_ws(raw)
        if not line:
            continue
        if line.startswith(_INNER) and found:
            found[-1].children.append(line)
        elif line.startswith(_OUTER) or not found:
            found.append(Item(line))
        elif found[-1].children:
            found[-1].children[-1] += " " + line
        else:
            found[-1].text += " " + line
    return found


def is_group_head(item: Item) -> bool:
    """A dash that only names a group of "+" lines ("- Cấp thành phố"), not a task of its own."""
    return bool(item.children) and not item.text.rstrip().endswith((".", ";"))


def listed_lines(chunk: Chunk, score: Callable[[str], float] | None = None) -> list[str] | None:
    """The lines the chunk's heading heads, as the answer lists them: where the list is grouped
    and the question matches some group heads better than others (`score(text) -> float`), only
    those groups' lines; else every item (a group head with its lines). None when the heading
    heads no list."""
    found = items(chunk)
    if not found:
        return None
    heads = [item for item in found if is_group_head(item)]
    if score is not None and len(heads) > 1:
        scores = [score(item.text) for item in heads]
        top = max(scores)
        if top > 0 and min(scores) < top:
            chosen = [item for item, s in zip(heads, scores, strict=True) if s == top]
            return [line for item in chosen for line in item.children]
    lines: list[str] = []
    for item in found:
        lines.append(item.text)
        lines.extend(item.children)
    return lines

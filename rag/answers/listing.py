"""List answers: what a heading heads. A heading line ("2. Mục tiêu cụ thể", "d) Đối với các
doanh nghiệp") is never an answer by itself; when it is what the question matched, the answer is
the lines under it, every one, each whole, one a line. Decree 30/2020 plans write such lists as
dashes ("- …"), grouped where a dash is itself a small heading over "+" lines ("- Cấp xã" /
"+ Chọn ngẫu nhiên …"): a question naming one group ("các bước ở cấp xã") gets that group."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from index.models import Chunk
from index.structure import part_number
from lang.normalize import collapse_ws, fold, match_tokens
from rag.answers.common import citation
from rag.answers.reader import MIN_COVERAGE, PlanReader
from rag.cues import group
from rag.prepared import PlanEvidence, Prepared
from rag.prompts import message
from rag.types import Citation

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


def group_lines(chunk: Chunk, line: str) -> list[str] | None:
    """The "+" lines under a dash that only names their group ("- Cấp xã"), when `line` is that
    dash: such a dash says nothing by itself; its lines are what it names."""
    wanted = collapse_ws(line)
    for item in items(chunk):
        if item.text == wanted and is_group_head(item):
            return item.children
    return None


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


# the words by which a question names a part of the plan: "Mục III", "Phần thứ hai", "Chương 2"
_PART_WORDS = ("muc", "phan", "chuong")
_ORDINAL_WORD = "thu"
MIN_TITLE_WORDS = 2  # a part named by its title: at least its first two words ("tổ chức", "kinh phí")


@dataclass(frozen=True)
class NamedPart:
    section: str  # the part's path ("II")
    words: frozenset[str]  # the question's words that name it: the reference and the part's own title


def named_part(question: str, chunks: list[Chunk]) -> NamedPart | None:
    """The top-level part of the plan a question names ("… ở Mục III (nhiệm vụ, giải pháp)?",
    "… trong Phần thứ hai?"): its path, and the words that only say where (scope, not task).
    Only a part the plan has; a point or item number after the part word ("mục 2.1") is no part."""
    # plain folded words: the OCR repair of match_tokens reads a Roman "III" as a syllable
    tokens = re.findall(r"\w+", fold(question))
    parts = {part_number(c.section): c for c in chunks if "." not in c.section and part_number(c.section)}
    for i, token in enumerate(tokens[:-1]):
        if token not in _PART_WORDS:
            continue
        j = i + 2 if tokens[i + 1] == _ORDINAL_WORD and i + 2 < len(tokens) else i + 1
        if j + 1 < len(tokens) and tokens[j + 1].isdigit():
            continue  # "mục 2 3" is how "mục 2.3" folds: an item, not a part
        part = parts.get(part_number(tokens[j]))
        if part is not None:
            title = set(match_tokens(part.section_title))
            said = set(tokens[i:j + 1]) | set(match_tokens(" ".join(tokens[i:j + 1])))
            return NamedPart(part.section, frozenset(said | title))
        # the part named by its title ("… trong phần tổ chức thực hiện", "mục nhiệm vụ, giải
        # pháp"): the genre's part titles are few and fixed, their opening words name the part
        for part in parts.values():
            title_words = re.findall(r"\w+", fold(part.section_title))
            head = title_words[:MIN_TITLE_WORDS + 1]
            if len(head) >= MIN_TITLE_WORDS and tokens[i + 1:i + 1 + len(head)] == head:
                said = set(tokens[i:i + 1 + len(head)]) | set(match_tokens(" ".join(tokens[i:i + 1 + len(head)])))
                return NamedPart(part.section, frozenset(said | set(match_tokens(part.section_title))))
    return None


def assigning_verb(folded: str, asks: tuple[str, ...], verbs: tuple[str, ...]) -> str | None:
    """The verb by which the question asks which bodies an item addresses ("đề nghị những cơ quan
    nào …"): the verb standing right before the ask, None else."""
    for verb in verbs:
        for ask in asks:
            if f" {verb} {ask} " in f" {folded} ":
                return verb
    return None


def opens_with_verb(sentence: str, verb: str) -> bool:
    """Does the sentence (its numbering aside) open with the verb ("6. Đề nghị Văn phòng Tỉnh ủy …")?"""
    words = re.findall(r"\w+", fold(sentence))
    for _ in range(2):  # "6.", "III.", "a)", "2.1.": the number before the sentence
        if words and (words[0].isdigit() or len(words[0]) == 1 or re.fullmatch(r"[ivx]+", words[0])):
            words = words[1:]
    return " ".join(words[:len(verb.split())]) == verb


def assigned_answer(reader: PlanReader, prepared: Prepared, plan: PlanEvidence,
                    citations: list[Citation]) -> str | None:
    """"KH … đề nghị những cơ quan nào tăng cường …?": the plan's sentence that opens with that verb
    and covers the rest of the question, whole (the bodies it lists are the answer), wherever
    the plan puts it; searched over every passage of the plan, not only those ranked first (a
    long list of names ranks low on the question's few words)."""
    cues = group("assigned")
    verb = assigning_verb(prepared.info.folded, cues["asks"], cues["verbs"])
    snap = reader.store.snapshot()
    if verb is None or snap is None:
        return None
    # the plan's title words stay: the item often restates the plan's subject ("tăng cường công
    # tác bảo vệ bí mật nhà nước" of a plan on that)
    weights = reader.weights(prepared, "")
    skip = set(verb.split()) | {t for ask in cues["asks"] for t in ask.split()}
    topic = {t: w for t, w in weights.items() if not set(t.split("_")) <= skip}
    best: tuple[float, Chunk, str] | None = None
    for chunk in snap.chunks_of(plan.source):
        if chunk.section in ("preamble", "closing"):
            continue
        for fact in chunk.facts.sentences:
            if fact.withheld or not opens_with_verb(fact.text, verb):
                continue
            coverage, _ = reader.score_sentence(fact.text, frozenset(), topic, [], fact.tokens)
            if best is None or coverage > best[0]:
                best = (coverage, chunk, fact.text)
    if best is None or best[0] < MIN_COVERAGE:
        return None
    _, chunk, sentence = best
    quote = collapse_ws(sentence)
    citations.append(citation(len(citations) + 1, chunk, quote))
    return message("according_to", title=plan.title, label=chunk.section_label) + f": {quote} [{len(citations)}]"

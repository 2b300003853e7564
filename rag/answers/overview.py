"""Overview questions: "Kế hoạch … gồm những nội dung chính nào?", "… bằng những hình thức nào?".
A Decree 30/2020 plan answers them by its headings, not by one sentence: the part titled so
("II. NỘI DUNG", "III. NỘI DUNG THỰC HIỆN") lists its items by their titles, an item titled so
("2. Hình thức") lists its dashes. The answer is those titles or lines, one a line, the part or
item cited once."""

from __future__ import annotations

import re

from index.models import Chunk
from lang.normalize import STOPWORDS, collapse_ws, fold, match_tokens
from rag.answers.common import citation
from rag.answers.listing import items
from rag.answers.reader import PlanReader
from rag.cues import any_cue, group
from rag.prepared import PlanEvidence, Prepared
from rag.prompts import message
from rag.types import Citation

MAX_LINES = 10
MAX_LINE_CHARS = 110  # an item's title told, not its whole paragraph
MAX_TITLE_WORDS = 5  # "Hình thức", "Hình thức tuyên truyền": an item titled by the noun asked
MAX_REST = 1  # words the question says beyond the plan's name and the ask: more ask something narrower
_NUMBER = re.compile(r"^\s*(?:[\dIVX]+(?:\.\d+)*[.)]|[a-zđ]\))\s*")


def overview_answer(reader: PlanReader, prepared: Prepared, plan: PlanEvidence, scored: object,
                    citations: list[Citation]) -> str | None:
    """The headings that answer "gồm những nội dung nào?" of the plan, or None when the question
    is no overview (a body named, a narrower topic) or the plan has no part or item so titled.
    (An answer unit: the passages ranked, `scored`, are not read; the headings answer.)"""
    info = prepared.info
    cues = group("overview")
    if info.agencies or not any_cue(info.folded, cues["asks"]):
        return None
    noun = next((n for n in cues["nouns"] if re.search(rf"\b{n}\b", info.folded)), None)
    if noun is None:
        return None
    snap = reader.store.snapshot()
    chunks = sorted(snap.chunks_of(plan.source) if snap else [], key=lambda c: c.start_line)
    # the item titled so, else the part: an item of one paragraph is no list; the question's words
    # name the plan, or what the part or item says ("tuyên truyền bằng những hình thức nào?")
    found = [(target, lines) for target in _titled(chunks, noun) if len(lines := _heading_lines(chunks, target)) >= 2
             and _only_the_plan(info.folded, noun, plan, chunks, " ".join(lines))]
    if not found:
        return None
    target, lines = found[0]
    about = _about_topic(info.folded, noun, plan, chunks, lines)
    if about is not None:
        # "… có những nội dung nào về diễn tập?": the titles the topic names, not the whole part
        if not about:
            return None
        lines = about
    own = [c for c in chunks if c.section == target.section or c.section.startswith(target.section + ".")]
    cite = citation(len(citations) + 1, target, collapse_ws(target.text.strip().split("\n", 1)[0]))
    cite = cite.model_copy(update={"start_line": min(c.start_line for c in own),
                                   "end_line": max(c.end_line for c in own)})
    citations.append(cite)
    shown = lines[:MAX_LINES]
    text = [message("according_to", title=plan.title, label=target.section_label) + f" [{len(citations)}]:"]
    text += [f"- {line}" for line in shown]
    if len(lines) > len(shown):
        text.append(f"(và {len(lines) - len(shown)} nội dung khác)")
    return "\n".join(text)


def _only_the_plan(folded: str, noun: str, plan: PlanEvidence, chunks: list[Chunk], said_there: str) -> bool:
    """Does the question ask the overview of the whole plan, its words beyond the ask only naming
    the plan (its title, province, year, number)? "… những nội dung nào về phòng cháy?" asks
    something narrower, answered by the passages."""
    said = set(match_tokens(plan.title)) | set(match_tokens(noun)) | set(group("overview")["words"]) \
        | set(match_tokens(said_there))
    preamble = next((c for c in chunks if c.section == "preamble"), None)
    if preamble is not None:
        said |= set(match_tokens(preamble.text[:400]))
    rest = [t for t in match_tokens(folded) if t not in said and t not in STOPWORDS and not t.isdigit()
            and not re.fullmatch(r"[a-z]{1,4}\d*", t)]
    return len(rest) <= MAX_REST


def _topic(folded: str, noun: str, plan: PlanEvidence, chunks: list[Chunk]) -> list[str]:
    """The question's runs of words beyond the plan's name, the noun and the ask ("diễn tập"):
    what it narrows to. Runs, not words: a syllable alone is ambiguous ("an" of "Nghệ An", of "đề án")."""
    said = set(match_tokens(plan.title)) | set(match_tokens(noun)) | set(group("overview")["words"])
    preamble = next((c for c in chunks if c.section == "preamble"), None)
    if preamble is not None:
        said |= set(match_tokens(preamble.text[:400]))
    runs: list[list[str]] = [[]]
    for token in match_tokens(folded):
        # (a syllable is short: only a code with digits, "qd1899", is left out)
        if token in said or token in STOPWORDS or token.isdigit() or re.fullmatch(r"[a-z]{1,4}\d+", token):
            runs.append([])
        else:
            runs[-1].append(token)
    return [" ".join(run) for run in runs if run]


def _about_topic(folded: str, noun: str, plan: PlanEvidence, chunks: list[Chunk], lines: list[str]) -> list[str] | None:
    """The lines a topic the question names holds ("nội dung nào về diễn tập?"), when some lines
    hold it and others not; None when the question names no topic or every line (or none) holds it.
    A single line is no list: the passages of that item answer (an empty list says so), unless the
    title is all the plan says of it."""
    said = [f" {' '.join(match_tokens(line))} " for line in lines]
    # a run no line holds names the plan ("… Nghệ An …", the province of its header) or nothing
    # the part lists: the topic is the runs some lines hold
    topic = [run for run in _topic(folded, noun, plan, chunks) if any(f" {run} " in line for line in said)]
    if not topic:
        return None
    held = [line for line, words in zip(lines, said, strict=True) if all(f" {run} " in words for run in topic)]
    if not held or len(held) == len(lines):
        return None
    if len(held) == 1:
        titled = [c for c in chunks if "." in c.section
                  and _clipped(_NUMBER.sub("", c.text.strip().split("\n", 1)[0])) == held[0]]
        return held if titled and all(len(c.text.strip().split("\n")) == 1 for c in titled) else []
    return held


def _titled(chunks: list[Chunk], noun: str) -> list[Chunk]:
    """The item titled by the noun ("2. Hình thức"), then the part whose title opens with it
    ("II. NỘI DUNG", "III. NỘI DUNG, HÌNH THỨC" for "nội dung")."""
    words = noun.split()
    item = next((c for c in chunks if c.section.count(".") == 1 and not c.section.startswith("PL")
                 and (title := fold(c.section_title).split())[:len(words)] == words
                 and len(title) <= MAX_TITLE_WORDS), None)
    part = next((c for c in chunks if "." not in c.section and c.section not in ("preamble", "closing")
                 and not c.section.startswith("PL")
                 and re.findall(r"\w+", fold(c.section_title))[:len(words)] == words), None)
    return [c for c in (item, part) if c is not None]


def _heading_lines(chunks: list[Chunk], target: Chunk) -> list[str]:
    """What the target heads, one line each: a part's items by their first lines (their titles),
    an item's dashes (its "+" lines under them)."""
    if "." not in target.section:
        children = [c for c in chunks if c.section.startswith(target.section + ".") and c.section.count(".") == 1]
        firsts: dict[str, Chunk] = {}
        for chunk in children:
            firsts.setdefault(chunk.section, chunk)
        return [_clipped(_NUMBER.sub("", chunk.text.strip().split("\n", 1)[0])) for chunk in firsts.values()]
    found = [it for c in chunks if c.section == target.section for it in items(c)]
    return [_clipped(line.lstrip("-–•+ ")) for it in found for line in [it.text, *it.children]]


def _clipped(line: str) -> str:
    line = collapse_ws(line).rstrip(" .;:")
    if len(line) <= MAX_LINE_CHARS:
        return line
    return line[:MAX_LINE_CHARS].rsplit(" ", 1)[0].rstrip(" ,;") + " …"

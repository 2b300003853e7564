"""“What must agency X do?”: that agency's own item of the plan, its tasks quoted and cited."""

from __future__ import annotations

import re

from index.agencies import find_agencies
from index.models import Chunk
from index.normalize import STOPWORDS, collapse_ws, match_tokens
from rag.answers.common import MAX_QUOTE_CHARS, citation, instruction_like, trim_quote
from rag.answers.reader import PlanReader
from rag.prepared import PlanEvidence, Prepared
from rag.prompts import message
from rag.types import Citation

MAX_TASKS = 10
SHORT_TASK_CHARS = 160
# a task begins a line with its point letter or a dash: "a) …", "- …", "+ …"
_TASK_START = re.compile(r"^\s*(?:[a-zđ¢][).]|[-–+•])\s")


def duty_answer(reader: PlanReader, prepared: Prepared, plan: PlanEvidence, citations: list[Citation]) -> str | None:
    """"What must agency X do?": that agency's own section, grouped and cited."""
    if "duty" not in prepared.info.kinds or {"deadline", "reporting"} & set(prepared.info.kinds):
        return None
    mentions = find_agencies(prepared.info.text)
    named = {m.name for m in mentions}
    if not named:
        return None
    # only "what must X do?" in general: a question about one task is answered by its sentence
    tokens = match_tokens(prepared.info.text)
    taken = {i for m in mentions for i in range(m.start, m.end)}
    plan_words = set(match_tokens(plan.title)) | {"ke", "hoach", "nam", "tinh", "theo", "trong"}
    duty_words = {"nhiem", "vu", "gi", "phai", "lam", "duoc", "giao", "co", "cua", "nhung", "cac", "cu", "the"}
    rest = [t for i, t in enumerate(tokens) if i not in taken and t not in plan_words | duty_words
            and t not in STOPWORDS and not t.isdigit()]
    for province in prepared.info.provinces:
        rest = [t for t in rest if t not in match_tokens(province)]
    if len(rest) > 1:
        return None
    sections = [r for r in reader.records(plan.source, "assignment")
                if r.agency in named and r.task and r.section.count(".") == 1]
    if not sections:
        return None
    record = sections[0]
    snap = reader.store.snapshot()
    chunks = sorted((c for c in snap.chunks_of(plan.source)
                     if c.section == record.section or c.section.startswith(record.section + ".")),
                    key=lambda c: c.start_line)
    heading = " ".join(match_tokens(record.task or ""))
    # one entry per task: a point ("a) …") or a dash line of the item, its first sentence
    tasks: list[tuple[Chunk, str]] = []
    for chunk in chunks:
        facts = chunk.facts  # sentences and tokens read at ingest
        lines = chunk.text.split("\n")
        seen_lines: set[int] = set()
        for fact in facts.sentences:
            line = lines[fact.line] if fact.line < len(lines) else ""
            if fact.line in seen_lines or " ".join(facts.line_tokens[fact.line]).lstrip("0123456789 ") == heading:
                continue  # a later sentence of a task already listed, or the item's own heading
            seen_lines.add(fact.line)
            if fact.withheld or instruction_like(fact.text):
                continue
            if tasks and not _starts_task(line) and tasks[-1][0].chunk_id == chunk.chunk_id:
                continue  # a wrapped line of the same task
            tasks.append((chunk, fact.text))
    if not tasks:
        return None
    # a list comes whole up to MAX_TASKS, shorter quotes when it is long; beyond, the count
    room = MAX_QUOTE_CHARS if len(tasks) <= 3 else SHORT_TASK_CHARS
    parts: list[str] = []
    for chunk, sentence in tasks[:MAX_TASKS]:
        quote = trim_quote(collapse_ws(sentence), {}, limit=room)
        citations.append(citation(len(citations) + 1, chunk, quote))
        parts.append(f"{quote} [{len(citations)}]")
    more = len(tasks) - MAX_TASKS
    tail = f" (và {more} nhiệm vụ khác trong {record.section_label})" if more > 0 else ""
    return (message("according_to", title=plan.title, label=record.section_label)
            + f", {record.agency} có {len(tasks)} nhiệm vụ: " + " ".join(parts) + tail)


def _starts_task(line: str) -> bool:
    return bool(_TASK_START.match(line))

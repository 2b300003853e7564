"""“What must agency X do?”: that agency's own item of the plan, its tasks quoted and cited."""

from __future__ import annotations

import re

from index.agencies import find_agencies
from index.models import Chunk
from index.normalize import STOPWORDS, collapse_ws, match_tokens
from index.ocr_repair import display_form
from rag.answers.common import citation, instruction_like
from rag.answers.reader import PlanReader
from rag.prepared import PlanEvidence, Prepared
from rag.prompts import message
from rag.types import Citation

MAX_TASKS = 10
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
            text = fact.text
            if " ".join(facts.line_tokens[fact.line]).lstrip("0123456789 ") == heading:
                # the item's own heading ("10. Sở Tài chính"): a sentence read across it keeps the
                # lines after it (an item whose one task follows the heading unpunctuated)
                head, _, rest = text.partition("\n")
                if not rest.strip() or fact.line in seen_lines:
                    continue
                text, line = rest.strip(), rest.strip().split("\n", 1)[0]
            elif fact.line in seen_lines:
                continue  # a later sentence of a task already listed
            seen_lines.add(fact.line)
            if fact.withheld or instruction_like(text):
                continue
            if tasks and not _starts_task(line) and tasks[-1][0].chunk_id == chunk.chunk_id:
                continue  # a wrapped line of the same task
            tasks.append((chunk, text))
    if not tasks:
        return None
    # the genre's list: an intro line, then one whole sentence per task, one line each, up to
    # MAX_TASKS (beyond, the count); one citation per section, on its first task
    lines = [message("according_to", title=plan.title, label=record.section_label)
             + f", {record.agency} có {len(tasks)} nhiệm vụ:"]
    cited: dict[str, int] = {}
    for chunk, sentence in tasks[:MAX_TASKS]:
        quote = display_form(collapse_ws(sentence)).lstrip("-–+• ")  # OCR'd text as a reader sees it
        marker = ""
        if chunk.section not in cited:
            citations.append(citation(len(citations) + 1, chunk, collapse_ws(sentence)))
            cited[chunk.section] = len(citations)
            marker = f" [{len(citations)}]"
        lines.append(f"- {quote}{marker}")
    more = len(tasks) - MAX_TASKS
    if more > 0:
        lines.append(f"(và {more} nhiệm vụ khác trong {record.section_label})")
    return "\n".join(lines)


def _starts_task(line: str) -> bool:
    return bool(_TASK_START.match(line))

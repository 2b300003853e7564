"""“What must agency X do?”: that agency's own item of the plan, its tasks quoted and cited."""

from __future__ import annotations

from index.agencies import find_agencies
from index.normalize import STOPWORDS, collapse_ws, match_tokens
from index.sentences import split_sentences
from rag.answers.common import MAX_QUOTE_CHARS, citation, instruction_like, trim_quote
from rag.answers.reader import PlanReader
from rag.prepared import PlanEvidence, Prepared
from rag.prompts import message
from rag.types import Citation


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
    sentences = [(c, s) for c in chunks for s in split_sentences(c.text)]
    heading = " ".join(match_tokens(record.task or ""))
    body = [(c, s) for c, s in sentences if " ".join(match_tokens(s)).lstrip("0123456789 ") != heading
            and not instruction_like(s)]
    parts: list[str] = []
    used = 0
    for chunk, sentence in body:
        quote = collapse_ws(sentence)
        if parts and used + len(quote) > MAX_QUOTE_CHARS:
            break
        quote = trim_quote(quote, {})
        citations.append(citation(len(citations) + 1, chunk, quote))
        parts.append(f"{quote} [{len(citations)}]")
        used += len(quote)
    if not parts:
        return None
    more = len(body) - len(parts)
    tail = f" (và {more} nhiệm vụ khác trong {record.section_label})" if more > 0 else ""
    return (message("according_to", title=plan.title, label=record.section_label)
            + f", {record.agency} có nhiệm vụ: " + " ".join(parts) + tail)

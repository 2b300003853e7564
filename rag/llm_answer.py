"""The LLM answer: the evidence the model reads (the extractive answer's passages first, the
register lines the question is about, the best retrieved passages, headings above each), the
messages from prompts/, and the reply's claims checked against the passages they cite."""

from __future__ import annotations

import copy
import logging
import re
from collections.abc import Iterator
from pathlib import Path

from index.injection import REDACTED, redact
from index.models import Chunk
from index.obligations import Obligation
from index.ocr_repair import display_form
from index.store import PlanStore
from lang.agencies import find_agencies
from lang.markers import MARKER
from lang.normalize import collapse_ws
from rag.answers.common import (
    RECURRENCE_VI,
    available_plans,
    best_quote,
    citation,
    date_vi,
    plan_name,
    reporting_sentence,
)
from rag.answers.reader import PlanReader
from rag.evidence import assemble
from rag.llm import CHARS_PER_TOKEN, Generator, reply_token_cap
from rag.prepared import Prepared
from rag.prompts import load_prompt, message
from rag.types import Answer, AnswerMode, Verification
from rag.verify import prompt_ngrams, verify

log = logging.getLogger(__name__)

ANSWER_PROMPT = "answer_v2.txt"
EVIDENCE_PROMPT = "evidence_v1.txt"
INSUFFICIENT = "KHÔNG_ĐỦ_THÔNG_TIN"
# The prompt budget: characters per token of Vietnamese and the reply cap are rag/llm.py's (the
# generator sends the same cap as num_predict / max_tokens); the least of one passage worth sending
# when even one does not fit.
MIN_PASSAGE_CHARS = 400
MAX_RECORDS = 8


class LlmAnswerer:
    def __init__(self, store: PlanStore, reader: PlanReader, generator: Generator | None,
                 prompts_dir: Path | None = None) -> None:
        self.store = store
        self.reader = reader
        self.generator = generator
        self.register = reader.register
        self.prompts_dir = prompts_dir
        self._leak_grams: dict[str, set[tuple[str, ...]]] = {}

    @property
    def llm(self) -> Generator:
        """The generator; the assistant asks this answerer only when one is configured."""
        if self.generator is None:
            raise RuntimeError("an LLM answer asked for without an LLM configured")
        return self.generator

    def pinned(self, reader: PlanReader) -> LlmAnswerer:
        """This answerer reading through a reader pinned to one snapshot (rag/pinned.py)."""
        view = copy.copy(self)
        view.reader, view.store = reader, reader.store
        return view

    def prompt(self, name: str) -> str:
        return load_prompt(name, self.prompts_dir) if self.prompts_dir is not None else load_prompt(name)

    def evidence(self, prepared: Prepared) -> list[Chunk]:
        """The passages the LLM reads, most needed first (rag/evidence.py): the extractive answer's,
        the header for a question about the document, the named agency's whole item, the best
        retrieved passages, the appendix rows and closing paragraph the question needs."""
        return assemble(self.reader, prepared)

    def matching_records(self, prepared: Prepared) -> list[Obligation]:
        """Register records of the chosen plans that the question is about: those naming an agency
        the question names, and the reporting lines and dated deadlines when it asks where or when."""
        if self.register is None or not prepared.plans:
            return []
        named = {m.name for m in find_agencies(prepared.info.text)}
        kinds = set(prepared.info.kinds)
        retrieved = {h.chunk.section for plan in prepared.plans for h in plan.hits[:6]}
        sources = [plan.source for plan in prepared.plans]
        picked: list[tuple[int, int, Obligation]] = []
        for record in (r for source in sorted(set(sources)) for r in self.register.of_plan(source, self.store.snapshot())):
            parties = {record.agency, record.recipient, record.via, *record.cooperating, *record.onward}
            about_agency = bool(named & parties)
            about_kind = ((record.kind == "reporting" and kinds & {"reporting", "deadline"}
                           and (record.due_date or record.recurrence or record.onward))
                          or (record.kind == "deadline" and "deadline" in kinds and record.due_date)
                          or (record.kind == "assignment" and about_agency and kinds & {"lead", "cooperating", "duty"}))
            if not (about_agency or about_kind):
                continue
            if record.kind == "deadline" and any(r.kind == "reporting" and r.quote == record.quote for _, _, r in picked):
                continue  # the reporting line already carries its deadline
            picked.append((0 if record.section in retrieved else 1, sources.index(record.source), record))
        picked.sort(key=lambda p: (p[0], p[1]))
        return [record for _, _, record in picked[:MAX_RECORDS]]

    def record_line(self, record: Obligation, number: int) -> str:
        if record.kind == "reporting" and record.recipient:
            text = reporting_sentence(record)
        elif record.kind == "assignment":
            role = message("record_lead") if record.role == "lead" else message("record_cooperate")
            text = f"{record.agency}: {role}" + (f" ({message('record_cooperating')}: {', '.join(record.cooperating)})"
                                                   if record.cooperating else "")
        else:
            when = [f"{date_vi(record.due_date)}"] if record.due_date else []
            when += [RECURRENCE_VI[r] for r in record.recurrence if r in RECURRENCE_VI]
            text = message("record_deadline", agency=record.agency or "các cơ quan, đơn vị",
                           when=" và ".join(when) or (record.deadline_text or ""))
        return message("record_line", number=number, label=record.section_label, text=text)

    def messages(self, prepared: Prepared, evidence: list[Chunk]) -> list[dict[str, str]]:
        """The system prompt (the instructions, always whole) and the user message: the question, the
        matching register records, and the evidence passages delimited as data, with instruction-like
        passages withheld and as many passages as fit the model's context (num_ctx)."""
        system = self.prompt(ANSWER_PROMPT)
        template = self.prompt(EVIDENCE_PROMPT)
        records = self.matching_records(prepared)
        for record in records:  # a record is cited through the passage that states it
            chunk = self.reader.chunk_for(record)
            if all(c.chunk_id != chunk.chunk_id for c in evidence):
                evidence.append(chunk)
        num_ctx = int(getattr(self.generator, "num_ctx", 8192))
        # the tokens the generator keeps free for the reply (its cap); the rest is the prompt's
        reply_tokens = int(getattr(self.generator, "reply_tokens", reply_token_cap(num_ctx)))
        budget = int((num_ctx - reply_tokens) * CHARS_PER_TOKEN) - len(system) - len(template) \
            - len(prepared.info.text)
        blocks: list[str] = []
        passages: list[str] = []
        withheld = 0
        for n, chunk in enumerate(evidence, start=1):
            # an OCR'd passage is given repaired (index/ocr_repair): the model reads Vietnamese, and
            # its claims are checked against this same text; citations still quote the source
            text, flags = redact(undelimited(display_form(chunk.text)))
            withheld += len(flags)
            for sentence in chunk.facts.sentences:  # the sentence after a flag in the chunk before
                shown = undelimited(display_form(sentence.text)).strip() if sentence.withheld else ""
                if shown and shown in text:
                    text = text.replace(shown, REDACTED)
                    withheld += 1
            header = f"[{n}] {undelimited(chunk.doc_title)} — {chunk.section_label} ({chunk.source})"
            if chunk.ancestors:  # the headings above say whom an item is for and when
                header += " — " + undelimited(" › ".join(plan_name(a) for a in chunk.ancestors))
            block = f"{header}\n<<<\n{text}\n>>>"
            spent = sum(len(b) + 2 for b in blocks)
            if spent + len(block) > budget:
                if blocks:
                    break  # evidence is trimmed, never the instructions
                room = max(budget - len(header) - 10, MIN_PASSAGE_CHARS)
                text = text[:room].rsplit("\n", 1)[0] if "\n" in text[:room] else text[:room]
                block = f"{header}\n<<<\n{text}\n>>>"
            blocks.append(block)
            passages.append(f"{header}\n{text}")
        del evidence[len(blocks):]
        lines = [self.record_line(r, next(i for i, c in enumerate(evidence, start=1)
                                           if c.chunk_id == self.reader.chunk_for(r).chunk_id))
                 for r in records if any(c.chunk_id == self.reader.chunk_for(r).chunk_id for c in evidence)]
        records_text = ""
        if lines:
            records_text = redact(undelimited(message("record_header") + "\n" + "\n".join(lines)))[0] + "\n\n"
            if len(records_text) > budget - sum(len(b) + 2 for b in blocks):
                records_text = ""  # the passages matter more than their summary
        prepared.evidence = evidence
        prepared.passages = passages
        prepared.withheld = withheld
        user = template.format(question=undelimited(prepared.info.text), records=records_text,
                               evidence="\n\n".join(blocks))
        return [{"role": "system", "content": system}, {"role": "user", "content": user}]

    def stream(self, prepared: Prepared) -> Iterator[str]:
        evidence = self.evidence(prepared)
        yield from self.llm.stream(self.messages(prepared, evidence))

    def prompt_ngrams(self) -> set[tuple[str, ...]]:
        key = str(self.prompts_dir)
        if key not in self._leak_grams:
            self._leak_grams[key] = prompt_ngrams([self.prompt(ANSWER_PROMPT), self.prompt(EVIDENCE_PROMPT),
                                                   message("record_header")])
        return self._leak_grams[key]

    def answer(self, prepared: Prepared, text: str) -> Answer | None:
        """The LLM's answer with every claim checked against the passages it cites (rag/verify.py);
        None when nothing verifiable is left (the caller then answers extractively)."""
        evidence = prepared.evidence
        if INSUFFICIENT in text and not MARKER.search(text.replace(INSUFFICIENT, "")):
            return Answer(question=prepared.info.text, answer=message("not_found", available=available_plans(
                self.store.snapshot())), abstained=True, mode=AnswerMode.LLM, model=self.llm.name, prompt=ANSWER_PROMPT,
                verification=Verification(withheld_passages=prepared.withheld))
        result = verify(text.replace(INSUFFICIENT, ""), prepared.passages, self.prompt_ngrams())
        verification = Verification(checked_facts=list(dict.fromkeys(result.checked_facts)),
                                    dropped_claims=[d.claim for d in result.dropped],
                                    dropped_citations=result.unknown_citations, dropped=result.dropped,
                                    withheld_passages=prepared.withheld, prompt_leak=result.prompt_leak)
        prepared.verification = verification
        if result.dropped:
            log.warning("LLM answer: %d of %d claims dropped (%s)%s: %s", len(result.dropped),
                        len(result.dropped) + len(result.kept), ", ".join(d.reason for d in result.dropped),
                        "; the model repeated its instructions" if result.prompt_leak else "",
                        " | ".join(o[:300] for o in result.originals))
        cited: dict[int, list[str]] = {}
        for claim in result.kept:
            for n in claim.citations:
                cited.setdefault(n, []).append(MARKER.sub("", claim.sentence))
        if not cited or result.prompt_leak:
            return None  # a leak means the model was steered off its instructions: trust none of it
        renumber = {old: new for new, old in enumerate(cited, start=1)}
        citations = [citation(new, evidence[old - 1], best_quote(evidence[old - 1], " ".join(cited[old])))
                     for old, new in renumber.items()]
        body = " ".join(claim.sentence for claim in result.kept)
        body = MARKER.sub(lambda m: f"[{renumber[int(m.group(1))]}]" if int(m.group(1)) in renumber else "", body)
        return Answer(question=prepared.info.text, answer=collapse_ws(body), abstained=False, mode=AnswerMode.LLM,
                      citations=citations, verification=verification, model=self.llm.name,
                      prompt=ANSWER_PROMPT)


def undelimited(text: str) -> str:
    """Text that cannot close or open an evidence block: a plan that writes ">>>" must not step
    out of its data section into the instructions."""
    return re.sub(r"<{3,}|>{3,}", lambda m: "‹" * len(m.group()) if m.group()[0] == "<" else "›" * len(m.group()), text)

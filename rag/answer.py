"""The answering service: understand → choose plans → retrieve → answer (LLM or extractive) →
verify citations against the source text → or abstain."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from index.agencies import find_agencies
from index.injection import hostile_question, plain_question, redact, scan_text
from index.models import Chunk
from index.normalize import (
    ABBREVIATIONS,
    STOPWORDS,
    collapse_ws,
    expand_abbreviations,
    match_tokens,
    search_terms,
    skeleton,
)
from index.obligations import Obligation, ObligationRegister
from index.sentences import split_sentences
from index.store import PlanStore, Snapshot
from rag.llm import Generator, GeneratorUnavailable
from rag.prompts import load_prompt, message
from rag.query import QueryInfo, analyze
from rag.retrieve import Hit, Retriever, query_terms
from rag.types import Answer, Citation, Verification
from rag.verify import MARKER, prompt_ngrams, verify

log = logging.getLogger(__name__)

ANSWER_PROMPT = "answer_v1.txt"
EVIDENCE_PROMPT = "evidence_v1.txt"
INSUFFICIENT = "KHÔNG_ĐỦ_THÔNG_TIN"
MIN_COVERAGE = 0.34
MAX_QUOTE_CHARS = 480
# The prompt budget: characters per token of Vietnamese (OCR'd text spends more tokens per
# character than clean text; 2.5 errs on the short side), tokens kept for the reply, and the
# least of one passage worth sending when even one does not fit.
CHARS_PER_TOKEN = 2.5
REPLY_TOKENS = 512
MIN_PASSAGE_CHARS = 400
MAX_RECORDS = 8
_DATE = re.compile(r"\b\d{1,2}\s*[/.-]\s*\d{1,2}\s*[/.-]\s*\d{4}\b|\bngay\s+\d{1,2}\s+thang\s+\d{1,2}")
_FOLLOWUP_CUES = ("con ", "thi sao", "co quan do", "don vi do", "cung vay", "nhu the nao", "the con",
                  "o do", "cai do", "viec do", "nhiem vu do", "ke hoach do", "nam do", "con nam")
_QUANTITY_CUES = (" bao nhieu ", " may ", " so luong ", " how many ", " how much ")
_NAME_CUES = (" ho ten ", " ho va ten ", " ten la gi ", " ten gi ", " ai ky ", " nguoi ky ", " who signed ")
_LEADING_MARKER = re.compile(r"^\W*[\w¢]{1,4}\s*[.)]\s*")
# A personal name: a common family name followed by one to three capitalised syllables.
_PERSON_NAME = re.compile(
    r"\b(Nguy[ễe]n|Tr[ầa]n|L[êe]|Ph[ạa]m|Ho[àa]ng|Hu[ỳy]nh|Phan|V[ũu]|V[õo]|[ĐD][ặa]ng|B[ùu]i|[ĐD][ỗo]|H[ồo]|Ng[ôo]|D[ưu][ơo]ng|L[ýy])"
    r"(\s+[A-ZĐÀ-Ỹ][\wÀ-ỹ]*){1,3}")
_KIND_SIGNALS: dict[str, tuple[str, ...]] = {
    "deadline": ("truoc ngay", "han", "hang nam", "dinh ky", "dot xuat", "thang", "quy"),
    "reporting": ("bao cao", "boo coo", "gui ve", "gui", "tong hop", "trinh"),
    "lead": ("chu tri", "tham muu", "dau moi"),
    "cooperating": ("phoi hop",),
    "funding": ("kinh phi", "ngan sach", "du toan"),
}


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
    early: Answer | None = None
    # the LLM path: passages sent (in block order, as the model saw them) and how they were checked
    evidence: list[Chunk] = field(default_factory=list)
    passages: list[str] = field(default_factory=list)
    withheld: int = 0
    verification: Verification | None = None


class Assistant:
    """One service for questions; interfaces (CLI, HTTP, Telegram) stay thin around it."""

    def __init__(self, store: PlanStore, retriever: Retriever, generator: Generator | None = None,
                 max_question_chars: int = 2000, top_k: int = 8,
                 register: ObligationRegister | None = None, prompts_dir: Path | None = None) -> None:
        self.store = store
        self.retriever = retriever
        self.generator = generator
        self.max_question_chars = max_question_chars
        self.top_k = top_k
        self.register = register
        self.prompts_dir = prompts_dir
        self._leak_grams: dict[str, set[tuple[str, ...]]] = {}

    # --- preparation -------------------------------------------------------------------------
    def validate(self, question: str) -> str:
        text = (question or "").strip()
        if not text or not any(ch.isalnum() for ch in text):
            raise QuestionError(message("empty_question"))
        if len(text) > self.max_question_chars:
            raise QuestionError(message("long_question", length=len(text), limit=self.max_question_chars))
        return text

    def _contextualize(self, question: str, history: Sequence[str]) -> tuple[QueryInfo, str]:
        info = analyze(question)
        if not history:
            return info, expand_abbreviations(info.text)
        previous = analyze(history[-1])
        padded = f" {info.folded} "
        follow_up = len(info.content) <= 5 or any(cue in padded for cue in _FOLLOWUP_CUES)
        if not follow_up:
            return info, expand_abbreviations(info.text)
        if not info.provinces and not info.sources:
            info.provinces = previous.provinces
        if not info.years and not info.sources:
            info.years = previous.years
        info.kinds = list(dict.fromkeys(info.kinds + previous.kinds))
        info.content = info.content + [t for t in previous.content if t not in info.content]
        return info, expand_abbreviations(f"{info.text} {previous.text}")

    def _available(self, snap: Snapshot) -> str:
        return "; ".join(sorted(d.meta.short_name for d in snap.docs.values())) or "không có"

    def _select_plans(self, info: QueryInfo, snap: Snapshot, restrict: Sequence[str] | None) -> list[str] | str:
        docs = list(snap.docs.values())
        if restrict:
            docs = [d for d in docs if d.meta.source in restrict]
        if info.sources:
            named = [d for d in docs if d.meta.source in info.sources]
            if not named:
                return message("unknown_plan", what="kế hoạch " + ", ".join(info.sources),
                               available=self._available(snap))
            docs = named
        if info.provinces:
            named = [d for d in docs if d.meta.province in info.provinces]
            if not named:
                return message("unknown_plan", what="kế hoạch của " + ", ".join(f"tỉnh {p}" for p in info.provinces)
                               + (f" năm {', '.join(map(str, info.years))}" if info.years else ""),
                               available=self._available(snap))
            docs = named
        if info.years:
            named = [d for d in docs if d.meta.year in info.years]
            if not named:
                where = f" của tỉnh {', '.join(info.provinces)}" if info.provinces else ""
                return message("unknown_plan", what=f"kế hoạch năm {', '.join(map(str, info.years))}{where}",
                               available=self._available(snap))
            docs = named
        return [d.meta.source for d in docs]

    def prepare(self, question: str, history: Sequence[str] = (), sources: Sequence[str] | None = None) -> Prepared:
        # look-alike letters, emoji, full-width forms: the same retrieval as the clean question
        text = plain_question(self.validate(question))
        info, retrieval_text = self._contextualize(text, history)
        prepared = Prepared(info, retrieval_text)
        hostile = hostile_question(text)  # index/injection.py: more phrasings, and injections
        if info.reveal or hostile == "reveal":
            prepared.early = self._abstain(text, message("reveal"))
            return prepared
        if info.invent or hostile == "invent":
            prepared.early = self._abstain(text, message("invent"))
            return prepared
        snap = self.store.snapshot()
        if snap is None or not snap.docs:
            prepared.early = self._abstain(text, message("no_index"))
            return prepared
        selected = self._select_plans(info, snap, sources)
        if isinstance(selected, str):
            prepared.early = self._abstain(text, selected)
            return prepared
        if self._off_topic(retrieval_text, snap):
            prepared.early = self._abstain(text, message("not_found", available=self._available(snap)))
            return prepared
        named = len(info.provinces) > 1 or len(info.years) > 1 or len(info.sources) > 1
        hits = self.retriever.search(snap, retrieval_text, sources=selected, k=max(self.top_k * 3, 24))
        by_plan: dict[str, list[Hit]] = {}
        for hit in hits:
            by_plan.setdefault(hit.chunk.source, []).append(hit)
        if not by_plan:
            prepared.early = self._abstain(text, message("not_found", available=self._available(snap)))
            return prepared
        best = hits[0].score
        ranked = sorted(by_plan, key=lambda s: -by_plan[s][0].score)
        if named or (len(selected) > 1 and (info.provinces or info.years)):
            chosen = ranked  # the question named several plans, or a province with several years
        else:
            chosen = [s for s in ranked if by_plan[s][0].score >= 0.8 * best][:3]
        for source in chosen:
            prepared.plans.append(PlanEvidence(source, snap.docs[source].meta.title, by_plan[source][: self.top_k]))
        return prepared

    def _off_topic(self, retrieval_text: str, snap: Snapshot) -> bool:
        """No two adjacent content words of the question (with its synonyms and expansions) are
        ever adjacent in the plans: "Thủ đô của nước Pháp", "thời tiết Hà Nội ngày mai". Every
        answerable question of eval/gold shares at least one such pair with the plans."""
        lexical = self.retriever.lexical_index(snap)
        tokens = match_tokens(retrieval_text)
        pairs = [f"{a}_{b}" for a, b in zip(tokens, tokens[1:], strict=False)
                 if a not in STOPWORDS and b not in STOPWORDS]
        return bool(pairs) and not lexical.empty and not any(lexical.contains(p) for p in pairs)

    # --- answering ---------------------------------------------------------------------------
    def ask(self, question: str, history: Sequence[str] = (), sources: Sequence[str] | None = None,
            id: str | int | None = None, mode: str | None = None) -> Answer:
        final: Answer | None = None
        for item in self.ask_stream(question, history, sources, mode=mode):
            if isinstance(item, Answer):
                final = item
        assert final is not None
        final.id = id
        return final

    def ask_stream(self, question: str, history: Sequence[str] = (), sources: Sequence[str] | None = None,
                   mode: str | None = None) -> Iterator[str | Answer]:
        """Yields answer text pieces as they are produced, then the final verified Answer."""
        prepared = self.prepare(question, history, sources)
        if prepared.early is not None:
            yield prepared.early.answer
            yield prepared.early
            return
        use_llm = self.generator is not None and mode != "extractive"
        notice = None
        if use_llm:
            try:
                pieces: list[str] = []
                for piece in self._llm_stream(prepared):
                    pieces.append(piece)
                    yield piece
                answer = self._llm_answer(prepared, "".join(pieces))
                if answer is not None:
                    yield answer
                    return
                notice = message("llm_unverified")
            except GeneratorUnavailable as exc:
                log.warning("LLM unavailable, answering extractively: %s", exc.reason)
                notice = message("llm_fallback", reason=exc.notice)
        answer = self._extractive(prepared)
        if notice:
            answer.notice = notice
            # the checks the LLM's answer failed stay visible on the answer that replaced it
            answer.verification = answer.verification or prepared.verification or Verification()
            answer.verification.fell_back = True
        yield answer.answer
        yield answer

    def _abstain(self, question: str, text: str) -> Answer:
        return Answer(question=question, answer=text, abstained=True, mode="extractive", citations=[])

    # --- extractive --------------------------------------------------------------------------
    def _weights(self, prepared: Prepared, title: str) -> dict[str, float]:
        """Query terms that say *what* is asked, weighted by rarity; words that only name the
        plan (its title, province, year) are left out: every passage of the plan shares them."""
        snap = self.store.snapshot()
        lexical = self.retriever.lexical_index(snap)
        plan_words = set(match_tokens(title)) | {"ke", "hoach", "nam", "tinh", "theo"}
        for province in prepared.info.provinces:
            plan_words.update(match_tokens(province))
        weights: dict[str, float] = {}
        for term in query_terms(prepared.retrieval_text):
            if term.startswith("~"):
                continue
            parts = term.split("_")
            if any(p in STOPWORDS for p in parts) or all(p in plan_words or p.isdigit() and len(p) == 4 for p in parts):
                continue
            if any(p in ABBREVIATIONS for p in parts) and not lexical.contains(term):
                continue  # the plans spell it out, and so does the expanded query
            if len(parts) == 2:
                if lexical.contains(term):  # a phrase of the plan's own: worth half its rarity
                    weights[term] = 0.5 * max(lexical.idf(term), 0.1)
                continue
            # a word the plans never use still counts: it is what makes off-topic questions fail
            weights[term] = max(lexical.idf(term), 0.1)
        return weights

    def _score_sentence(self, sentence: str, heading_terms: set[str], weights: dict[str, float],
                        kinds: list[str]) -> tuple[float, float]:
        tokens = match_tokens(sentence)
        terms = set(search_terms(tokens))
        skeletons = {t for t in terms if t.startswith("~")} | {"~" + skeleton(t) for t in tokens}
        total = sum(weights.values()) or 1.0
        got = 0.0
        for term, weight in weights.items():
            if term in terms:
                got += weight
            elif term in heading_terms:
                got += 0.6 * weight
            elif "~" + "_".join(skeleton(p) for p in term.split("_")) in skeletons:
                # OCR misread a vowel ("béo céo" for "báo cáo"): the consonant frame still matches
                got += (0.7 if "_" in term else 0.4) * weight
        coverage = got / total
        folded = " ".join(tokens)
        frames = " ".join(skeleton(t) for t in tokens)
        bonus = 0.0
        for kind in kinds:
            signals = _KIND_SIGNALS.get(kind, ())
            if kind == "deadline" and (_DATE.search(sentence) or _DATE.search(folded)):
                bonus += 0.35
            elif any(f" {s} " in f" {folded} " or f" {_frame(s)} " in f" {frames} " for s in signals):
                bonus += 0.15
        return coverage, bonus

    def _best_passages(self, prepared: Prepared, plan: PlanEvidence) -> list[tuple[float, float, Chunk, str]]:
        weights = self._weights(prepared, plan.title)
        if not weights:
            return []
        top = plan.hits[0].score or 1.0
        named = {m.name for m in find_agencies(prepared.info.text)}
        # the topic without the agency names: agency words match every section they head
        agency_words = {t for name in named for t in match_tokens(name)}
        topic = {t: w for t, w in weights.items() if not set(t.split("_")) <= agency_words}
        quantity = any(cue in f" {prepared.info.folded} " for cue in _QUANTITY_CUES)
        asks_name = any(cue in f" {prepared.info.folded} " for cue in _NAME_CUES)
        scored: list[tuple[float, float, Chunk, str]] = []
        for rank, hit in enumerate(plan.hits[:6]):
            chunk = hit.chunk
            heading_terms = set(search_terms(match_tokens(" ".join([*chunk.ancestors, chunk.section_title]))))
            owner_bonus = 0.15 if named and self._section_agency(chunk) in named else 0.0
            for sentence in split_sentences(chunk.text):
                if _instruction_like(sentence):
                    continue  # a passage addressed to an AI is never an answer (index/injection.py)
                coverage, bonus = self._score_sentence(sentence, heading_terms, weights, prepared.info.kinds)
                if topic and len(topic) < len(weights):
                    topic_coverage, _ = self._score_sentence(sentence, heading_terms, topic, [])
                    coverage = min(coverage, max(topic_coverage, 0.0) * 1.15)
                if _upper_ratio(sentence) > 0.6:
                    coverage *= 0.5  # letterheads and part titles name things; they do not answer
                if quantity and not re.search(r"\d", _LEADING_MARKER.sub("", sentence)):
                    coverage *= 0.5  # "bao nhiêu …?" is answered by a number
                if asks_name and not _PERSON_NAME.search(sentence):
                    coverage *= 0.3  # "họ tên …?" is answered by a person's name
                score = coverage + bonus + owner_bonus + 0.3 * (hit.score / top) - 0.02 * rank
                scored.append((score, coverage, chunk, sentence))
        scored.sort(key=lambda item: -item[0])
        return scored

    def _extractive(self, prepared: Prepared) -> Answer:
        lines: list[str] = []
        citations: list[Citation] = []
        for plan in prepared.plans:
            scored = self._best_passages(prepared, plan)
            if not scored or scored[0][1] < MIN_COVERAGE:
                continue
            duty = self._duty_answer(prepared, plan, citations)
            if duty:
                lines.append(duty)
                continue
            record = self._reporting_record(prepared, plan, scored[0][1])
            if record is not None:
                chunk = self._chunk_for(record)
                citations.append(_citation(len(citations) + 1, chunk, record.quote))
                lines.append(message("according_to", title=plan.title, label=record.section_label) + ": "
                             + reporting_sentence(record) + f" [{len(citations)}]")
                continue
            _, _, chunk, sentence = scored[0]
            quote = _trim_quote(collapse_ws(sentence), self._weights(prepared, plan.title))
            picked = [(chunk, quote)]
            # a second sentence when the question asks two things (where *and* when) or it adds facts
            for score, coverage, other_chunk, other in scored[1:4]:
                if (other_chunk.chunk_id == chunk.chunk_id and coverage >= 0.5 * scored[0][1]
                        and score >= 0.8 * scored[0][0] and len(quote) + len(other) < MAX_QUOTE_CHARS):
                    picked.append((other_chunk, _trim_quote(collapse_ws(other), {})))
                    break
            parts = []
            for picked_chunk, picked_quote in picked:
                citations.append(_citation(len(citations) + 1, picked_chunk, picked_quote))
                parts.append(f"{picked_quote} [{len(citations)}]")
            roles = self._roles(chunk, " ".join(q for _, q in picked))
            if roles:
                parts[-1] = parts[-1] + " " + roles
            label = chunk.section_label
            agency = self._section_agency(chunk)
            if agency and match_tokens(agency)[:3] != match_tokens(quote)[:3]:
                label = f"{label} – {agency}"  # the heading names who the point is for
            lines.append(message("according_to", title=plan.title, label=label) + ": " + " ".join(parts))
        if not citations:
            snap = self.store.snapshot()
            return self._abstain(prepared.info.text, message("not_found", available=self._available(snap)))
        return Answer(question=prepared.info.text, answer="\n".join(lines), abstained=False, mode="extractive",
                      citations=citations)

    # --- the obligations register in answers ---------------------------------------------------
    def _records(self, source: str, kind: str) -> list[Obligation]:
        if self.register is None:
            return []
        return [r for r in self.register.of_plan(source) if r.kind == kind]

    def _section_agency(self, chunk: Chunk) -> str | None:
        """The agency an assignment item (e.g. "IV.2 Sở Thông tin và Truyền thông") names, for the
        item and its points."""
        item = ".".join(chunk.section.split(".")[:2])
        if "." not in item:
            return None
        return next((r.agency for r in self._records(chunk.source, "assignment")
                     if r.section == item and r.task and r.agency), None)

    def _roles(self, chunk: Chunk, quote: str) -> str:
        """Who leads and who cooperates in a quoted task, with canonical names: OCR'd quotes are hard
        to read ("phbi hop v&i Ban Tuyén gido Tinh dy") and the names are what officials look for."""
        tokens = match_tokens(quote)
        frames = [skeleton(t) for t in tokens]
        mentions = find_agencies(quote)
        lead_at = [i for i in range(len(tokens) - 1) if frames[i:i + 2] == ["ch*", "tr*"]]
        coop_at = [i for i in range(len(tokens) - 1) if frames[i:i + 2] == ["ph*", "h*p"]]
        lead = None
        if lead_at:
            before = [m for m in mentions if m.end <= lead_at[0]]
            lead = before[-1].name if before else self._section_agency(chunk)
        cooperating: list[str] = []
        if coop_at:  # "phối hợp với A, B và C": a chain of names right after the cue
            position = coop_at[0] + 2
            for m in sorted(mentions, key=lambda m: m.start):
                if m.start < position:
                    continue
                if m.start - position > 2:
                    break
                if m.name != lead:
                    cooperating.append(m.name)
                position = m.end
        others = [m.name for m in mentions if m.name not in cooperating and m.name != lead]
        parts = []
        if lead:
            parts.append(f"chủ trì: {lead}")
        if cooperating:
            parts.append("phối hợp: " + ", ".join(dict.fromkeys(cooperating)))
        elif others and not lead:
            parts.append("cơ quan được nêu: " + ", ".join(dict.fromkeys(others)))
        if not parts:
            return ""
        summary = "; ".join(parts)
        plain = collapse_ws(quote).casefold()
        names = [lead, *cooperating, *others]
        if all(n and n.casefold() in plain for n in names if n):
            return ""  # the quote already spells every name properly
        return f"({summary[0].upper()}{summary[1:]}.)"

    def _reporting_record(self, prepared: Prepared, plan: PlanEvidence, best: float) -> Obligation | None:
        """A reporting line stated by the plan, when the question asks who reports where or by when."""
        if not {"deadline", "reporting"} & set(prepared.info.kinds):
            return None
        weights = self._weights(prepared, plan.title)
        candidates = []
        for record in self._records(plan.source, "reporting"):
            if _instruction_like(record.quote):
                continue
            coverage, bonus = self._score_sentence(record.quote, set(), weights, prepared.info.kinds)
            candidates.append((coverage + bonus + (0.2 if record.due_date else 0.0), coverage, record))
        if not candidates:
            return None
        candidates.sort(key=lambda c: -c[0])
        _, coverage, record = candidates[0]
        return record if coverage >= best else None

    def _duty_answer(self, prepared: Prepared, plan: PlanEvidence, citations: list[Citation]) -> str | None:
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
        sections = [r for r in self._records(plan.source, "assignment")
                    if r.agency in named and r.task and r.section.count(".") == 1]
        if not sections:
            return None
        record = sections[0]
        snap = self.store.snapshot()
        chunks = sorted((c for c in snap.chunks_of(plan.source)
                         if c.section == record.section or c.section.startswith(record.section + ".")),
                        key=lambda c: c.start_line)
        sentences = [(c, s) for c in chunks for s in split_sentences(c.text)]
        heading = " ".join(match_tokens(record.task or ""))
        body = [(c, s) for c, s in sentences if " ".join(match_tokens(s)).lstrip("0123456789 ") != heading
                and not _instruction_like(s)]
        parts: list[str] = []
        used = 0
        for chunk, sentence in body:
            quote = collapse_ws(sentence)
            if parts and used + len(quote) > MAX_QUOTE_CHARS:
                break
            quote = _trim_quote(quote, {})
            citations.append(_citation(len(citations) + 1, chunk, quote))
            parts.append(f"{quote} [{len(citations)}]")
            used += len(quote)
        if not parts:
            return None
        more = len(body) - len(parts)
        tail = f" (và {more} nhiệm vụ khác trong {record.section_label})" if more > 0 else ""
        return (message("according_to", title=plan.title, label=record.section_label)
                + f", {record.agency} có nhiệm vụ: " + " ".join(parts) + tail)

    def _chunk_for(self, record: Obligation) -> Chunk:
        snap = self.store.snapshot()
        candidates = [c for c in snap.chunks_of(record.source) if c.section == record.section]
        return next((c for c in candidates if record.quote in collapse_ws(c.text)), candidates[0])

    # --- LLM ---------------------------------------------------------------------------------
    def _prompt(self, name: str) -> str:
        return load_prompt(name, self.prompts_dir) if self.prompts_dir is not None else load_prompt(name)

    def _evidence(self, prepared: Prepared) -> list[Chunk]:
        chunks: list[Chunk] = []
        per_plan = max(2, 6 // max(1, len(prepared.plans)))
        for plan in prepared.plans:
            chunks.extend(h.chunk for h in plan.hits[:per_plan])
        return chunks

    def _matching_records(self, prepared: Prepared) -> list[Obligation]:
        """Register records of the chosen plans that the question is about: those naming an agency
        the question names, and the reporting lines and dated deadlines when it asks where or when."""
        if self.register is None or not prepared.plans:
            return []
        named = {m.name for m in find_agencies(prepared.info.text)}
        kinds = set(prepared.info.kinds)
        retrieved = {h.chunk.section for plan in prepared.plans for h in plan.hits[:6]}
        sources = [plan.source for plan in prepared.plans]
        picked: list[tuple[int, int, Obligation]] = []
        for record in (r for source in sorted(set(sources)) for r in self.register.of_plan(source)):
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

    def _record_line(self, record: Obligation, number: int) -> str:
        if record.kind == "reporting" and record.recipient:
            text = reporting_sentence(record)
        elif record.kind == "assignment":
            role = message("record_lead") if record.role == "lead" else message("record_cooperate")
            text = f"{record.agency}: {role}" + (f" ({message('record_cooperating')}: {', '.join(record.cooperating)})"
                                                   if record.cooperating else "")
        else:
            when = [f"{_date_vi(record.due_date)}"] if record.due_date else []
            when += [_RECURRENCE_VI[r] for r in record.recurrence if r in _RECURRENCE_VI]
            text = message("record_deadline", agency=record.agency or "các cơ quan, đơn vị",
                           when=" và ".join(when) or (record.deadline_text or ""))
        return message("record_line", number=number, label=record.section_label, text=text)

    def _messages(self, prepared: Prepared, evidence: list[Chunk]) -> list[dict[str, str]]:
        """The system prompt (the instructions, always whole) and the user message: the question, the
        matching register records, and the evidence passages delimited as data, with instruction-like
        passages withheld and as many passages as fit the model's context (num_ctx)."""
        system = self._prompt(ANSWER_PROMPT)
        template = self._prompt(EVIDENCE_PROMPT)
        records = self._matching_records(prepared)
        for record in records:  # a record is cited through the passage that states it
            chunk = self._chunk_for(record)
            if all(c.chunk_id != chunk.chunk_id for c in evidence):
                evidence.append(chunk)
        num_ctx = int(getattr(self.generator, "num_ctx", 8192))
        reply_tokens = min(REPLY_TOKENS, num_ctx // 4)
        budget = int((num_ctx - reply_tokens) * CHARS_PER_TOKEN) - len(system) - len(template) \
            - len(prepared.info.text)
        blocks: list[str] = []
        passages: list[str] = []
        withheld = 0
        for n, chunk in enumerate(evidence, start=1):
            text, flags = redact(_undelimited(chunk.text))
            withheld += len(flags)
            header = f"[{n}] {_undelimited(chunk.doc_title)} — {chunk.section_label} ({chunk.source})"
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
        lines = [self._record_line(r, next(i for i, c in enumerate(evidence, start=1)
                                           if c.chunk_id == self._chunk_for(r).chunk_id))
                 for r in records if any(c.chunk_id == self._chunk_for(r).chunk_id for c in evidence)]
        records_text = ""
        if lines:
            records_text = redact(_undelimited(message("record_header") + "\n" + "\n".join(lines)))[0] + "\n\n"
            if len(records_text) > budget - sum(len(b) + 2 for b in blocks):
                records_text = ""  # the passages matter more than their summary
        prepared.evidence = evidence
        prepared.passages = passages
        prepared.withheld = withheld
        user = template.format(question=_undelimited(prepared.info.text), records=records_text,
                               evidence="\n\n".join(blocks))
        return [{"role": "system", "content": system}, {"role": "user", "content": user}]

    def _llm_stream(self, prepared: Prepared) -> Iterator[str]:
        evidence = self._evidence(prepared)
        yield from self.generator.stream(self._messages(prepared, evidence))

    def _prompt_ngrams(self) -> set[tuple[str, ...]]:
        key = str(self.prompts_dir)
        if key not in self._leak_grams:
            self._leak_grams[key] = prompt_ngrams([self._prompt(ANSWER_PROMPT), self._prompt(EVIDENCE_PROMPT),
                                                   message("record_header")])
        return self._leak_grams[key]

    def _llm_answer(self, prepared: Prepared, text: str) -> Answer | None:
        """The LLM's answer with every claim checked against the passages it cites (rag/verify.py);
        None when nothing verifiable is left (the caller then answers extractively)."""
        evidence = prepared.evidence
        if INSUFFICIENT in text and not MARKER.search(text.replace(INSUFFICIENT, "")):
            return Answer(question=prepared.info.text, answer=message("not_found", available=self._available(
                self.store.snapshot())), abstained=True, mode="llm", model=self.generator.name, prompt=ANSWER_PROMPT,
                verification=Verification(withheld_passages=prepared.withheld))
        result = verify(text.replace(INSUFFICIENT, ""), prepared.passages, self._prompt_ngrams())
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
        citations = [_citation(new, evidence[old - 1], _best_quote(evidence[old - 1], " ".join(cited[old])))
                     for old, new in renumber.items()]
        body = " ".join(claim.sentence for claim in result.kept)
        body = MARKER.sub(lambda m: f"[{renumber[int(m.group(1))]}]" if int(m.group(1)) in renumber else "", body)
        return Answer(question=prepared.info.text, answer=collapse_ws(body), abstained=False, mode="llm",
                      citations=citations, verification=verification, model=self.generator.name,
                      prompt=ANSWER_PROMPT)


def _upper_ratio(text: str) -> float:
    letters = [c for c in text if c.isalpha()]
    return sum(c.isupper() for c in letters) / len(letters) if letters else 0.0


def _date_vi(iso: str) -> str:
    year, month, day = iso.split("-")
    return f"{day}/{month}/{year}"


_RECURRENCE_VI = {"annual": "hằng năm", "periodic": "định kỳ", "semiannual": "6 tháng một lần",
                  "quarterly": "hằng quý", "monthly": "hằng tháng", "on_request": "đột xuất khi có yêu cầu"}


def reporting_sentence(record: Obligation) -> str:
    """One precise Vietnamese sentence from a reporting record, canonical names with diacritics."""
    reporter = record.agency or "các cơ quan, đơn vị"
    text = f"{reporter[0].upper()}{reporter[1:]} gửi báo cáo về {record.recipient}"
    if record.via:
        text += f" (qua {record.via})"
    when = []
    if record.due_date:
        when.append(f"trước ngày {_date_vi(record.due_date)}")
    elif record.deadline_text:
        when.append(f"theo thời hạn ghi trong kế hoạch “{record.deadline_text}” (ngày không hợp lệ)")
    when.extend(_RECURRENCE_VI[r] for r in record.recurrence if r in _RECURRENCE_VI)
    if when:
        text += " " + " và ".join(when)
    if record.onward:
        text += f"; {record.recipient} tổng hợp trình {' và '.join(record.onward)}"
    return text + "."


def _frame(phrase: str) -> str:
    return " ".join(skeleton(t) for t in phrase.split())


def _undelimited(text: str) -> str:
    """Text that cannot close or open an evidence block: a plan that writes ">>>" must not step
    out of its data section into the instructions."""
    return re.sub(r"<{3,}|>{3,}", lambda m: "‹" * len(m.group()) if m.group()[0] == "<" else "›" * len(m.group()), text)


def _best_quote(chunk: Chunk, claim: str) -> str:
    claim_terms = set(search_terms(match_tokens(claim)))
    # never quote a passage that was withheld from the model as instruction-like
    sentences = [s for s in split_sentences(chunk.text) if not _instruction_like(s)] or [chunk.text]
    best = max(sentences, key=lambda s: len(claim_terms & set(search_terms(match_tokens(s)))))
    return _trim_quote(collapse_ws(best), {t: 1.0 for t in claim_terms})


@lru_cache(maxsize=4096)
def _instruction_like(text: str) -> bool:
    return bool(scan_text(text))


def _trim_quote(quote: str, weights: dict[str, float]) -> str:
    """Long clean-text sentences are cut to the window that holds the asked terms, at word
    boundaries, so the quote stays a verbatim span of the source."""
    if len(quote) <= MAX_QUOTE_CHARS:
        return quote
    words = quote.split(" ")
    best_start, best_score = 0, -1.0
    for start in range(len(words)):
        window = " ".join(words[start:start + 60])
        if len(window) > MAX_QUOTE_CHARS:
            window = window[:MAX_QUOTE_CHARS]
        terms = set(search_terms(match_tokens(window)))
        score = sum(w for t, w in weights.items() if t in terms)
        if score > best_score:
            best_start, best_score = start, score
    out: list[str] = []
    for word in words[best_start:]:
        if len(" ".join([*out, word])) > MAX_QUOTE_CHARS:
            break
        out.append(word)
    return " ".join(out)


def _citation(number: int, chunk: Chunk, quote: str) -> Citation:
    return Citation(id=number, source=chunk.source, doc_title=chunk.doc_title, section=chunk.section,
                    section_label=chunk.section_label, section_title=chunk.section_title, quote=quote,
                    start_line=chunk.start_line, end_line=chunk.end_line, page=chunk.page)

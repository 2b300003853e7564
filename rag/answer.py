"""The answering service: understand → choose plans → retrieve → answer (LLM or extractive) →
verify citations against the source text → or abstain. The Assistant only orchestrates: how each
kind of question is answered lives in rag/answers/ (extractive) and rag/llm_answer.py (LLM)."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator, Sequence
from pathlib import Path

from index.injection import hostile_question, plain_question
from index.models import Chunk
from index.obligations import ObligationRegister
from index.store import PlanStore, Snapshot
from lang.agencies import AGENCIES
from lang.aliases import Forms, short_forms_in_force
from lang.normalize import (
    expand_abbreviations,
    fold,
    match_tokens,
    skeleton,
)
from lang.short_names import shared_short_names
from rag.answers.common import available_plans, best_quote, citation, reporting_sentence, upper_ratio
from rag.answers.extractive import extractive_once
from rag.answers.reader import PlanReader
from rag.conversation import (
    asks_slot_of_previous,
    body_referred,
    leans_on_previous,
    refers_to_body,
    swap_slot,
    swapped_slot,
    with_body,
)
from rag.cues import any_cue, group, has_cue
from rag.llm import Generator, GeneratorUnavailable
from rag.llm_answer import ANSWER_PROMPT, EVIDENCE_PROMPT, LlmAnswerer
from rag.prepared import PlanEvidence, Prepared, QuestionError
from rag.prompts import message, slot
from rag.query import QueryInfo, analyze
from rag.query_bodies import plan_acronyms
from rag.retrieve import Hit, Retriever
from rag.scope import (
    NotIndexed,
    bodies_at_plan_level,
    issuer_naming_the_plan,
    names_a_plan,
    select_plans,
    with_scope_notes,
)
from rag.topic import off_topic
from rag.types import Answer, AnswerMode, Verification

__all__ = ["ANSWER_PROMPT", "EVIDENCE_PROMPT", "Assistant", "QuestionError", "reporting_sentence"]

log = logging.getLogger(__name__)


class Assistant:
    """One service for questions; interfaces (CLI, HTTP, Telegram) stay thin around it."""

    def __init__(self, store: PlanStore, retriever: Retriever, generator: Generator | None = None,
                 max_question_chars: int = 2000, top_k: int = 8,
                 register: ObligationRegister | None = None, prompts_dir: Path | None = None) -> None:
        self.store = store
        self.retriever = retriever
        self.max_question_chars = max_question_chars
        self.top_k = top_k
        self.register = register
        self.reader = PlanReader(store, retriever, register)
        self.llm = LlmAnswerer(store, self.reader, generator, prompts_dir)

    @property
    def generator(self) -> Generator | None:
        return self.llm.generator

    @generator.setter
    def generator(self, generator: Generator | None) -> None:
        self.llm.generator = generator

    @property
    def prompts_dir(self) -> Path | None:
        return self.llm.prompts_dir

    def _prompt(self, name: str) -> str:
        return self.llm.prompt(name)

    # --- preparation -------------------------------------------------------------------------
    def validate(self, question: str) -> str:
        text = (question or "").strip()
        if not text or not any(ch.isalnum() for ch in text):
            raise QuestionError(message("empty_question"))
        if len(text) > self.max_question_chars:
            raise QuestionError(message("long_question", length=len(text), limit=self.max_question_chars))
        return text

    def _contextualize(self, question: str, history: Sequence[str],
                       follows: set[tuple[str, str]] | None = None) -> tuple[QueryInfo, str, str, str]:
        """The analysis (a follow-up's completed from the turn it leans on), the text passages are
        ranked by (the subject: no plan-naming words), the whole text (whether any plan speaks of
        it at all is judged on every word the user wrote) and the text of the turn a follow-up
        leans on ("" for a question of its own). A follow-up that swaps what is asked adds to
        `follows` the sections the previous answer cited (the task it keeps)."""
        info = analyze(question)
        if not history:
            return info, expand_abbreviations(info.subject), expand_abbreviations(info.text), ""
        # the plan a follow-up is about is the one the conversation last named, however many
        # follow-ups ago ("Cơ quan đó…", then "Cơ quan này còn…")
        asked = [analyze(turn) for turn in reversed(history)]
        previous = next((p for p in asked if p.provinces or p.years or p.sources or p.plan_refs), asked[0])
        if not leans_on_previous(info):
            return info, expand_abbreviations(info.subject), expand_abbreviations(info.text), ""
        if refers_to_body(info):
            # "Cơ quan đó báo cáo ai?": the body the previous answer gave ("… báo cáo về Công an
            # tỉnh"), or the one the previous question named; the question is asked of it
            before = self._previous_answer(history)
            body = body_referred(asked[0], before, question, _heading_body(self.store.snapshot(), before))
            if body:
                info = analyze(with_body(question, body))
        elif follows is not None and (swapped_slot(info) or asks_slot_of_previous(info)):
            before = self._previous_answer(history)
            if before is not None and not before.abstained:
                follows.update((c.source, c.section) for c in before.citations or [])
        own_plan = bool(info.provinces or info.years or info.sources)  # the follow-up names a plan itself
        if not info.provinces and not info.sources:
            info.provinces, info.provinces_also = previous.provinces, previous.provinces_also
        if not info.years and not info.sources:
            info.years = previous.years
        if not (own_plan or info.plan_refs):
            info.plan_refs = previous.plan_refs  # "KH 165 Cần Thơ: …", then "thế còn …?": plan 165
        slots = swapped_slot(info)
        if slots:
            swap_slot(info, asked[0], slots)  # "Còn thời gian … thì sao?": the time of that task
        else:
            info.kinds = list(dict.fromkeys(info.kinds + previous.kinds))
        before_subject, before_text = previous.subject, previous.text
        replaced = _other_levels(info.folded, previous.folded)
        if replaced:
            # "thế còn … cấp xã?" after "… cấp thành phố?": the level named now, not the one before
            before_subject, before_text = _without(before_subject, replaced), _without(before_text, replaced)
            dropped = {w for phrase in replaced for w in phrase.split()} - set(info.content)
            info.content = [t for t in info.content if t not in dropped]
            previous_content = [t for t in previous.content if t not in dropped]
        else:
            previous_content = previous.content
        info.content = info.content + [t for t in previous_content if t not in info.content]
        return (info, expand_abbreviations(f"{info.subject} {before_subject}"),
                expand_abbreviations(f"{info.text} {before_text}"),
                # the turns back to the one naming the plan, latest first: a chain of follow-ups
                # ("còn xoài?", "còn chuối?") keeps what the first of them left to the one it leaned on
                " ".join(turn.text for turn in asked[:asked.index(previous) + 1]))

    def _previous_answer(self, history: Sequence[str]) -> Answer | None:
        """The extractive answer of the last turn (with the turns before it): what a follow-up's
        "cơ quan đó" points at. Only the turns' questions are kept, so it is asked again."""
        try:
            return self.ask(history[-1], history[:-1], mode="extractive")
        except QuestionError:
            return None

    def _available(self, snap: Snapshot) -> str:
        return available_plans(snap)

    def prepare(self, question: str, history: Sequence[str] = (), sources: Sequence[str] | None = None) -> Prepared:
        # look-alike letters, emoji, full-width forms: the same retrieval as the clean question
        text = plain_question(self.validate(question))
        follows: set[tuple[str, str]] = set()
        info, retrieval_text, whole_text, before = self._contextualize(text, history, follows)
        prepared = Prepared(info, retrieval_text, follows=follows, before=before)
        hostile = hostile_question(text)  # index/injection.py: more phrasings, and injections
        if info.reveal or hostile == "reveal":
            prepared.early = self._abstain(text, message("reveal"))
            return prepared
        if info.invent or hostile == "invent":
            prepared.early = self._abstain(text, message("invent"))
            return prepared
        snap = prepared.snap = self.store.snapshot()  # the one snapshot of this question
        if snap is None or not snap.docs:
            prepared.early = self._abstain(text, message("no_index"))
            return prepared
        scope = select_plans(info, snap.docs.values(), sources,  # rag/scope.py
                             passages=lambda source: (" ".join([*c.ancestors, c.text]) for c in snap.chunks_of(source)))
        if isinstance(scope, NotIndexed):
            prepared.early = self._abstain(text, scope.refusal)
            return prepared
        selected, prepared.scope = scope.sources, scope
        prepared.selected = selected
        # an acronym of a name the chosen plans spell out ("chi cục qltt") is that name: read again
        spelled = plan_acronyms(text, (line for s in selected for c in snap.chunks_of(s) for line in c.text.split("\n")),
                                [snap.docs[s].meta.title or "" for s in selected if s in snap.docs])
        if spelled != text:
            info, retrieval_text, whole_text, prepared.before = self._contextualize(spelled, history, follows)
            prepared.info, prepared.retrieval_text = info, retrieval_text
        if len(selected) == 1 and selected[0] in snap.docs:
            info = prepared.info = issuer_naming_the_plan(info, snap.docs[selected[0]].meta)
        # the plans of one province name its bodies at its level ("… thành phố" in a city's plans)
        info = prepared.info = bodies_at_plan_level(info, [snap.docs[s].meta for s in selected if s in snap.docs])
        # (a question about the document itself, "Ai ký kế hoạch …?", shares no phrase with its passages)
        off_topic = not info.document and self._off_topic(whole_text, snap)
        if off_topic and not names_a_plan(info, snap.docs.values()):
            prepared.early = self._abstain(text, message("not_found", available=self._available(snap)))
            return prepared
        named = len(info.provinces) > 1 or len(info.years) > 1 or len(info.sources) > 1
        # Once the plans are chosen, the words that chose them (the province, the plan's year) say
        # nothing about which passage answers: every passage of those plans shares them, and in an
        # archive where the province is rare they would outweigh what is asked.
        naming = {t for province in info.provinces for t in match_tokens(province)} | {str(y) for y in info.years}
        naming |= {skeleton(t) for t in naming}  # the skeleton terms ("~v*nh_ph*c") too
        narrowed = bool(naming) and len(selected) < len(snap.docs)
        hits = self.retriever.search(snap, retrieval_text, sources=selected, k=max(self.top_k * 3, 24),
                                     ignore=frozenset(naming) if narrowed else frozenset())
        by_plan: dict[str, list[Hit]] = {}
        for hit in hits:
            by_plan.setdefault(hit.chunk.source, []).append(hit)
        if info.document:
            # the document's own number, date, signer: one plan, the one named (else the best found)
            ranked = sorted(by_plan, key=lambda s: -by_plan[s][0].score) or selected
            source = selected[0] if len(selected) == 1 else ranked[0]
            prepared.plans.append(PlanEvidence(source, snap.docs[source].meta.title, by_plan.get(source, [])[: self.top_k]))
            return prepared
        if not by_plan:
            prepared.early = self._abstain(text, message("not_found", available=self._available(snap)))
            return prepared
        if off_topic:
            # a plan is named, and nothing it says is what is asked: say so, with its closest passage
            # (a passage that says something, not a bare part heading "III. TỔ CHỨC THỰC HIỆN")
            said = [h.chunk for h in hits if any(len(f.tokens) >= 8 and upper_ratio(f.text) < 0.6
                                                 for f in h.chunk.facts.sentences)] or [hits[0].chunk]
            prepared.early = self._nearest_refusal(text, said[0], retrieval_text)
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
        """No plan speaks of the question's subject (rag/topic.py)."""
        return off_topic(retrieval_text, self.retriever.lexical_index(snap))

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
        reader = self.reader.pinned(prepared.snap)  # every read of this question sees one generation
        if use_llm:
            llm = self.llm.pinned(reader)
            try:
                pieces: list[str] = []
                for piece in llm.stream(prepared):
                    pieces.append(piece)
                    yield piece
                answer = llm.answer(prepared, "".join(pieces))
                if answer is not None:
                    answer.answer = with_scope_notes(answer.answer, self._notes(prepared, answer))
                    yield answer
                    return
                notice = message("llm_unverified")
            except GeneratorUnavailable as exc:
                if getattr(exc, "quiet", False) and mode != "llm":
                    pass  # PLANBOT_LLM=auto without a server: extractive is the plan, said once at INFO
                else:
                    log.warning("LLM unavailable, answering extractively: %s", exc.reason)
                    notice = message("llm_fallback", reason=exc.notice)
        with short_forms_in_force(_short_forms(prepared)):
            answer = extractive_once(reader, prepared)
        if notice:
            answer.notice = notice
            # the checks the LLM's answer failed stay visible on the answer that replaced it
            answer.verification = answer.verification or prepared.verification or Verification()
            answer.verification.fell_back = True
        answer.answer = with_scope_notes(answer.answer, self._notes(prepared, answer))
        yield answer.answer
        yield answer

    @staticmethod
    def _notes(prepared: Prepared, answer: Answer) -> list[str]:
        """What the answer must say about the provinces of the plans it cites."""
        if prepared.scope is None:
            return []
        return prepared.scope.notes_for([c.source for c in answer.citations or []])

    def _nearest_refusal(self, question: str, chunk: Chunk, asked: str) -> Answer:
        """"Kế hoạch không nói về nội dung này. Nội dung gần nhất …": the closest passage cited."""
        quote = best_quote(chunk, asked)
        cited = citation(1, chunk, quote)
        title = chunk.doc_title or chunk.source
        text = (slot("missing_content") + " " + slot("nearby") + " "
                + message("according_to", title=title, label=chunk.section_label) + ": " + quote + " [1]")
        return Answer(question=question, answer=text, abstained=True, mode=AnswerMode.EXTRACTIVE, citations=[cited])

    def _abstain(self, question: str, text: str) -> Answer:
        return Answer(question=question, answer=text, abstained=True, mode=AnswerMode.EXTRACTIVE, citations=[])

    def llm_evidence(self, question: str, history: Sequence[str] = ()) -> str | None:
        """The text the LLM would be given for this question (register lines and passages), or
        None when the question is answered before any LLM (declined, refused): what eval's
        evidence recall reads, the ceiling of every LLM answer."""
        prepared = self.prepare(question, history)
        if prepared.early is not None:
            return None
        llm = self.llm.pinned(self.reader.pinned(prepared.snap))
        return llm.messages(prepared, llm.evidence(prepared))[-1]["content"]


def _heading_body(snap: Snapshot | None, answer: Answer | None) -> str | None:
    """The body heading the item the answer cites first ("1. Ban Quản lý …" over its point a),
    when the agency list knows it."""
    if answer is None or not answer.citations or snap is None:
        return None
    first = answer.citations[0]
    chunk = next((c for c in snap.chunks_of(first.source) if c.section == first.section), None)
    heading = chunk.facts.heading_agency if chunk is not None else None
    return heading[0] if heading and heading[0] in AGENCIES else None


def _short_forms(prepared: Prepared) -> Forms:
    """The short names the plans of the answer define ("(sau đây gọi tắt là Ban Chỉ đạo)"): they
    name their full body in the question too, as in the plans' own text (lang/short_names.py)."""
    docs = prepared.snap.docs if prepared.snap is not None else {}
    return shared_short_names(docs[p.source].meta.short_names for p in prepared.plans if p.source in docs)


def _other_levels(folded: str, previous_folded: str) -> list[str]:
    """The levels the turn before named that a follow-up naming another level replaces
    (prompts/cues_vi.toml [followup] levels); empty when the follow-up names none."""
    levels = group("followup")["levels"]
    if not any_cue(folded, levels):
        return []
    return [level for level in levels if has_cue(previous_folded, level) and not has_cue(folded, level)]


def _without(text: str, phrases: list[str]) -> str:
    """The text without the phrases (folded, whole words), its own letters kept elsewhere: folding
    keeps a Vietnamese text's length, so the folded match cuts the text where it stands."""
    folded = fold(text)
    if len(folded) != len(text):
        return text
    spans = sorted((m.start(), m.end()) for phrase in phrases
                   for m in re.finditer(rf"(?<![a-z0-9]){re.escape(phrase)}(?![a-z0-9])", folded))
    for start, end in reversed(spans):
        text = text[:start] + " " + text[end:]
    return text


"""Questions about what a plan rests on: the sentences of its preamble that open with the genre's
basis formulas (Decree 30/2020/NĐ-CP: "Căn cứ …", "Thực hiện Quyết định … ", "Theo đề nghị của Sở X
tại Công văn số …"). Who-does-what questions never read these sentences (rag/answers/reader.py);
a question that asks which document or proposal the plan is issued on reads only them."""

from __future__ import annotations

import re

from index.header import is_upper
from index.models import Chunk
from lang.normalize import collapse_ws, match_tokens
from lang.sentences import split_sentences
from rag.answers.common import citation, plan_name
from rag.answers.reader import PlanReader
from rag.cues import any_cue, group
from rag.prepared import Prepared
from rag.prompts import message
from rag.types import Answer, AnswerMode, Citation

KINDS = ("de_nghi", "thuc_hien", "can_cu")  # the narrower formulas first
# the document kinds a question may narrow the bases to ("thực hiện Quyết định nào")
_DOCUMENT_KINDS = ("quyet dinh", "nghi dinh", "nghi quyet", "chi thi", "thong tu", "ke hoach", "luat",
                   "cong van", "ket luan", "chuong trinh")


def asks_basis(folded: str) -> bool:
    return any_cue(folded, group("basis")["asked"])


def _opening(sentence: str, cues: tuple[str, ...]) -> bool:
    opening = " ".join(match_tokens(sentence)[:3])
    return any(opening.startswith(cue) for cue in cues)


def basis_sentences(chunks: list[Chunk], folded: str) -> list[tuple[Chunk, str]]:
    """The preamble's basis sentences the question asks: of the kind its words name (the proposal,
    the document implemented, the legal bases), else every basis; narrowed to the document kind it
    names where some basis is of that kind."""
    cues = group("basis")
    found: dict[str, list[tuple[Chunk, str]]] = {kind: [] for kind in KINDS}
    for chunk in chunks:
        if chunk.section != "preamble":
            continue
        # by line, then by sentence: a title without a full stop runs into the basis under it in
        # one sentence, and a passage may join a paragraph's lines
        pieces = [piece for line in chunk.text.split("\n") for piece in split_sentences(line)]
        for piece in pieces:
            if is_upper(piece):
                continue  # the title in capitals ("THỰC HIỆN QUYẾT ĐỊNH SỐ …") names the plan
            kind = next((k for k in KINDS if _opening(piece, cues[k])), None)
            if kind is not None:
                found[kind].append((chunk, collapse_ws(piece)))
    asked = [k for k in KINDS if any_cue(folded, cues[k]) and found[k]]
    chosen = found[asked[0]] if asked else [item for k in reversed(KINDS) for item in found[k]]
    # only the kind the ask names ("thực hiện Quyết định nào"), not the decision naming the plan ("QĐ 1627")
    named = [kind for kind in _DOCUMENT_KINDS
             if re.search(rf"\b(?:thuc hien|trien khai|thi hanh|can cu(?: vao)?) {kind}\b", folded)]
    def of_named(items: list[tuple[Chunk, str]]) -> list[tuple[Chunk, str]]:
        return [item for item in items if any(f" {kind} " in f" {' '.join(match_tokens(item[1]))} " for kind in named)]
    # the document kind named outranks the formula: "thực hiện Quyết định nào" is answered by "Căn
    # cứ Quyết định số …" where no "Thực hiện …" sentence names a decision (a title under "KẾ
    # HOẠCH" may open "Thực hiện Chương trình …")
    return of_named(chosen) or of_named([item for k in KINDS for item in found[k]]) or chosen


def basis_answer(reader: PlanReader, prepared: Prepared) -> Answer | None:
    """The plan's basis sentences, quoted whole and cited as `preamble`, for each plan in scope."""
    if not asks_basis(prepared.info.folded) or not prepared.plans:
        return None
    snap = reader.store.snapshot()
    if snap is None:
        return None
    lines: list[str] = []
    citations: list[Citation] = []
    for plan in prepared.plans:
        found = basis_sentences(snap.chunks_of(plan.source), prepared.info.folded)
        if not found:
            continue
        said: list[str] = []
        for chunk, sentence in found:
            citations.append(citation(len(citations) + 1, chunk, sentence))
            said.append(f"{sentence.rstrip(' ;,.')} [{len(citations)}]")
        label = found[0][0].section_label
        lines.append(message("according_to", title=plan_name(plan.title), label=label) + ": " + "; ".join(said) + ".")
    if not lines:
        return None
    return Answer(question=prepared.info.text, answer="\n".join(lines), abstained=False,
                  mode=AnswerMode.EXTRACTIVE, citations=citations)

"""Hybrid retrieval: BM25 on the OCR-repaired folded form (index/lexical.py), dense vectors in the
store, both filtered to the plans in scope inside their engines, and a weighted score fusion (published Vietnamese legal-retrieval results, and our own gold set, favour
it over reciprocal-rank fusion; eval/ measures both)."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from enum import StrEnum

import numpy as np

from index.embedders import Embedder
from index.lexical import LexicalIndex, LexicalView, engine_panic
from index.models import Chunk
from index.store import PlanStore, Snapshot
from lang.normalize import STOPWORDS, match_tokens, search_terms

log = logging.getLogger(__name__)


def query_terms(text: str) -> list[str]:
    tokens = match_tokens(text)
    terms = []
    for term in search_terms(tokens):
        parts = term.lstrip("~").split("_")
        if term.startswith("~"):
            if not all(p.replace("*", "") in ("", "c", "d", "l", "v", "t", "n") for p in parts):
                terms.append(term)
        elif not all(p in STOPWORDS for p in parts):
            terms.append(term)
    return terms


# Lexical hits taken per question before fusion: the fused top k come from the lexical top 3k
# (at least 60) or the dense top max(50, 5k), whose lexical scores are then looked up exactly.
LEXICAL_DEPTH = 60


@dataclass
class Hit:
    chunk: Chunk
    score: float
    lexical: float
    dense: float


class Fusion(StrEnum):
    """How lexical and dense scores are combined: a weighted sum of normalised scores (the
    default, see the module doc) or reciprocal-rank fusion (eval/ compares them)."""

    WEIGHTED = "weighted"
    RRF = "rrf"


class Retriever:
    def __init__(self, store: PlanStore, embedder: Embedder, fusion_weight: float = 0.7,
                 fusion: Fusion | str = Fusion.WEIGHTED, lexical: LexicalIndex | None = None) -> None:
        self.store = store
        self.embedder = embedder
        self.fusion_weight = fusion_weight
        self.fusion = Fusion(fusion)  # a name that is no fusion fails here, not in a search
        self.lexical = lexical if lexical is not None else LexicalIndex()

    def lexical_index(self, snap: Snapshot) -> LexicalView:
        """The lexical index at snap's generation (caught up plan by plan if it lags behind)."""
        try:
            return self.lexical.view(snap)
        except BaseException as exc:  # tantivy's panic is a BaseException
            if not (isinstance(exc, Exception) or engine_panic(exc)):
                raise
            log.warning("the lexical index failed; rebuilding it from the store", exc_info=True)
            self.lexical.rebuild(snap)
            return self.lexical.view(snap)

    def _lexical_search(self, snap: Snapshot, terms: list[str], k: int, sources: list[str] | None,
                        chunk_ids: list[str] | None = None) -> list[tuple[str, float]]:
        try:
            return self.lexical_index(snap).search(terms, k, sources, chunk_ids)
        except BaseException as exc:
            if not (isinstance(exc, Exception) or engine_panic(exc)):
                raise
            log.warning("lexical search failed; rebuilding the lexical index from the store", exc_info=True)
            self.lexical.rebuild(snap)
            return self.lexical.view(snap).search(terms, k, sources, chunk_ids)

    def search(self, snap: Snapshot, query: str, sources: list[str] | None = None, k: int = 10,
               mode: str = "hybrid", ignore: frozenset[str] = frozenset()) -> list[Hit]:
        """The k best chunks for the query within sources; lexical terms made only of `ignore`d
        syllables (the words that named the plans searched) are left out."""
        if sources is not None:
            sources = [s for s in dict.fromkeys(sources) if s in snap.docs]
            if not sources:
                return []
            if len(sources) == len(snap.docs):
                sources = None  # every plan: no filter to apply
        terms = query_terms(query)
        if ignore:
            terms = [t for t in terms if not all(p in ignore for p in t.lstrip("~").split("_"))] or terms
        lex: dict[str, float] = {}
        dense: dict[str, float] = {}
        if mode in ("hybrid", "lexical"):
            lex = dict(self._lexical_search(snap, terms, max(LEXICAL_DEPTH, k * 3), sources))
        if mode in ("hybrid", "dense"):
            depth = max(50, k * 5)
            for chunk_id, score in self.store.dense_search(snap.generation, self.embedder.embed_query(query),
                                                           depth, sources):
                dense[chunk_id] = max(score, 0.0)
            unscored = [cid for cid in dense if cid not in lex]
            if mode == "hybrid" and unscored and terms:
                lex.update(self._lexical_search(snap, terms, len(unscored), sources, chunk_ids=unscored))
        ids = list(dict.fromkeys([*lex, *dense]))
        if not ids:
            return []
        lex_scores = np.array([lex.get(cid, 0.0) for cid in ids])
        dense_scores = np.array([dense.get(cid, 0.0) for cid in ids])
        fused = self._fuse(lex_scores, dense_scores, mode)
        order = sorted((i for i in range(len(ids)) if fused[i] > 0), key=lambda i: (-fused[i], ids[i]))[:k]
        chunks = snap.chunks_by_id([ids[i] for i in order])
        return [Hit(chunks[ids[i]], float(fused[i]), float(lex_scores[i]), float(dense_scores[i]))
                for i in order if ids[i] in chunks]

    def _fuse(self, lex: np.ndarray, dense: np.ndarray, mode: str) -> np.ndarray:
        if mode == "lexical":
            return lex
        if mode == "dense":
            return dense
        if self.fusion is Fusion.RRF:
            fused = np.zeros(len(lex))
            for scores in (lex, dense):
                ranks = np.empty(len(scores))
                ranks[np.argsort(-scores)] = np.arange(1, len(scores) + 1)
                fused += np.where(scores > 0, 1.0 / (60 + ranks), 0.0)
            return fused
        lex_max = lex.max() if len(lex) else 0.0
        dense_max = dense.max() if len(dense) else 0.0
        lex_n = lex / lex_max if lex_max > 0 else lex
        dense_n = dense / dense_max if dense_max > 0 else dense
        return self.fusion_weight * lex_n + (1 - self.fusion_weight) * dense_n

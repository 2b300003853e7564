"""Hybrid retrieval: BM25 on the OCR-repaired folded form, dense vectors in the store, and a
weighted score fusion (published Vietnamese legal-retrieval results, and our own gold set, favour
it over reciprocal-rank fusion; eval/ measures both)."""

from __future__ import annotations

import threading
from dataclasses import dataclass

import numpy as np
from rank_bm25 import BM25Okapi

from index.embedders import Embedder
from index.models import Chunk
from index.normalize import STOPWORDS, match_tokens, search_terms
from index.store import PlanStore, Snapshot


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


class LexicalIndex:
    def __init__(self, chunks: list[Chunk]) -> None:
        self.chunks = chunks
        self.docs = [search_terms(match_tokens(c.search_text())) for c in chunks]
        self.bm25 = BM25Okapi(self.docs) if chunks else None
        self.term_sets = [set(d) for d in self.docs]

    def scores(self, terms: list[str]) -> np.ndarray:
        if self.bm25 is None or not terms:
            return np.zeros(len(self.chunks))
        return np.asarray(self.bm25.get_scores(terms))

    def idf(self, term: str) -> float:
        if self.bm25 is None:
            return 0.0
        return float(self.bm25.idf.get(term, max(self.bm25.idf.values(), default=0.0)))


@dataclass
class Hit:
    chunk: Chunk
    score: float
    lexical: float
    dense: float


class Retriever:
    def __init__(self, store: PlanStore, embedder: Embedder, fusion_weight: float = 0.7,
                 fusion: str = "weighted") -> None:
        self.store = store
        self.embedder = embedder
        self.fusion_weight = fusion_weight
        self.fusion = fusion
        self._lexical: tuple[str, LexicalIndex] | None = None
        self._lock = threading.Lock()

    def lexical_index(self, snap: Snapshot) -> LexicalIndex:
        with self._lock:
            if self._lexical is None or self._lexical[0] != snap.generation:
                self._lexical = (snap.generation, LexicalIndex(snap.chunks))
            return self._lexical[1]

    def search(self, snap: Snapshot, query: str, sources: list[str] | None = None, k: int = 10,
               mode: str = "hybrid") -> list[Hit]:
        lexical = self.lexical_index(snap)
        allowed = np.array([sources is None or c.source in sources for c in lexical.chunks], dtype=bool)
        if not allowed.any():
            return []
        lex = lexical.scores(query_terms(query)) if mode in ("hybrid", "lexical") else np.zeros(len(allowed))
        lex = np.where(allowed, lex, 0.0)
        dense = np.zeros(len(lexical.chunks))
        if mode in ("hybrid", "dense"):
            position = {c.chunk_id: i for i, c in enumerate(lexical.chunks)}
            depth = max(50, k * 5)
            for chunk_id, score in self.store.dense_search(snap.generation, self.embedder.embed_query(query),
                                                           depth, sources):
                if chunk_id in position:
                    dense[position[chunk_id]] = max(score, 0.0)
        fused = self._fuse(lex, dense, allowed, mode)
        order = [int(i) for i in np.argsort(-fused) if allowed[int(i)] and fused[int(i)] > 0][:k]
        return [Hit(lexical.chunks[i], float(fused[i]), float(lex[i]), float(dense[i])) for i in order]

    def _fuse(self, lex: np.ndarray, dense: np.ndarray, allowed: np.ndarray, mode: str) -> np.ndarray:
        if mode == "lexical":
            return lex
        if mode == "dense":
            return dense
        if self.fusion == "rrf":
            fused = np.zeros(len(lex))
            for scores in (lex, dense):
                ranks = np.empty(len(scores))
                ranks[np.argsort(-scores)] = np.arange(1, len(scores) + 1)
                fused += np.where(scores > 0, 1.0 / (60 + ranks), 0.0)
            return fused
        lex_max = lex[allowed].max() if allowed.any() else 0.0
        dense_max = dense[allowed].max() if allowed.any() else 0.0
        lex_n = lex / lex_max if lex_max > 0 else lex
        dense_n = dense / dense_max if dense_max > 0 else dense
        return self.fusion_weight * lex_n + (1 - self.fusion_weight) * dense_n

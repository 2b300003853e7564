"""The naive baseline every eval run and benchmark is measured against.

What a tutorial RAG does with these plans: langchain's RecursiveCharacterTextSplitter at 1000
characters with 200 overlap over each whole file, BM25 (rank_bm25, on the same OCR-repaired
`match_tokens` as planbot) and the same embedder, fused with the same weighted formula, and the
top three chunks pasted together as the answer. No plan selection, no section awareness, no
abstention (except when nothing matches at all).

So that citation accuracy is comparable, a chunk "cites" every section its line range overlaps
(found with planbot's own parser): generous to the baseline, which is the point of a baseline.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from langchain_text_splitters import RecursiveCharacterTextSplitter
from rank_bm25 import BM25Okapi

from index.embedders import Embedder
from index.structure import parse_plan
from lang.normalize import match_tokens

CHUNK_SIZE = 1000
CHUNK_OVERLAP = 200
ANSWER_CHUNKS = 3
NAME = f"naive fixed-size {CHUNK_SIZE}/{CHUNK_OVERLAP} chars, BM25 + dense, top-{ANSWER_CHUNKS}"


@dataclass(frozen=True)
class BaselineChunk:
    source: str
    start: int  # character offset in the file text
    start_line: int  # 1-based, inclusive
    end_line: int
    sections: tuple[tuple[str, str], ...]  # (path, label) of every section the chunk overlaps
    text: str


@dataclass(frozen=True)
class BaselineHit:
    chunk: BaselineChunk
    score: float


class _SectionIndex:
    """Line → section of one plan: a section runs from its heading line to the line before the next
    section's heading (reading order), which is where its text physically is in the file."""

    def __init__(self, text: str, source: str) -> None:
        sections = parse_plan(text, source).sections()
        self.starts = [s.start_line for s in sections]
        self.sections = [(s.path, s.label or s.path) for s in sections]

    def overlapping(self, first: int, last: int) -> tuple[tuple[str, str], ...]:
        i = max(bisect.bisect_right(self.starts, first) - 1, 0)
        out = []
        while i < len(self.starts) and self.starts[i] <= last:
            out.append(self.sections[i])
            i += 1
        return tuple(out)


def split_texts(texts: dict[str, str], chunk_size: int = CHUNK_SIZE, chunk_overlap: int = CHUNK_OVERLAP,
                map_sections: bool = True) -> list[BaselineChunk]:
    """Fixed-size chunks of every file, each mapped to its lines and (for scoring citations, not
    part of the baseline's own cost) the sections it overlaps."""
    splitter = RecursiveCharacterTextSplitter(chunk_size=chunk_size, chunk_overlap=chunk_overlap,
                                              add_start_index=True)
    chunks: list[BaselineChunk] = []
    for source, text in texts.items():
        index = _SectionIndex(text, source) if map_sections else None
        line_starts = [0] + [i + 1 for i, ch in enumerate(text) if ch == "\n"]
        for doc in splitter.create_documents([text]):
            start = int(doc.metadata["start_index"])
            if start < 0:  # the splitter could not locate the chunk (never seen; be safe)
                continue
            end = start + len(doc.page_content)
            first = bisect.bisect_right(line_starts, start)
            last = bisect.bisect_right(line_starts, max(end - 1, start))
            chunks.append(BaselineChunk(source, start, first, last,
                                        index.overlapping(first, last) if index else (), doc.page_content))
    return chunks


class NaiveBaseline:
    """Index once, then `search` and `answer` like a tutorial pipeline would."""

    def __init__(self, texts: dict[str, str], embedder: Embedder, fusion_weight: float = 0.7,
                 chunk_size: int = CHUNK_SIZE, chunk_overlap: int = CHUNK_OVERLAP,
                 map_sections: bool = True) -> None:
        self.embedder = embedder
        self.fusion_weight = fusion_weight
        self.chunks = split_texts(texts, chunk_size, chunk_overlap, map_sections)
        self.bm25 = BM25Okapi([match_tokens(c.text) for c in self.chunks]) if self.chunks else None
        vectors = np.asarray(embedder.embed_documents([c.text for c in self.chunks]) if self.chunks else [],
                             dtype=np.float32)
        if vectors.size:
            norms = np.linalg.norm(vectors, axis=1, keepdims=True)
            vectors = (vectors / np.where(norms > 0, norms, 1.0)).astype(np.float32, copy=False)
        self.vectors = vectors

    def _scores(self, query: str, mode: str) -> np.ndarray:
        n = len(self.chunks)
        lex = np.zeros(n)
        dense = np.zeros(n)
        if mode in ("hybrid", "lexical") and self.bm25 is not None:
            terms = match_tokens(query)
            if terms:
                lex = np.asarray(self.bm25.get_scores(terms))
        if mode in ("hybrid", "dense") and self.vectors.size:
            q = np.asarray(self.embedder.embed_query(query), dtype=np.float32)
            norm = float(np.linalg.norm(q))
            dense = np.maximum(self.vectors @ (q / norm), 0.0) if norm > 0 else dense
        if mode == "lexical":
            return lex
        if mode == "dense":
            return dense
        lex_n = lex / lex.max() if n and lex.max() > 0 else lex
        dense_n = dense / dense.max() if n and dense.max() > 0 else dense
        return self.fusion_weight * lex_n + (1 - self.fusion_weight) * dense_n

    def search(self, query: str, k: int = 10, mode: str = "hybrid") -> list[BaselineHit]:
        if not self.chunks:
            return []
        scores = self._scores(query, mode)
        order = [int(i) for i in np.argsort(-scores, kind="stable") if scores[int(i)] > 0][:k]
        return [BaselineHit(self.chunks[i], float(scores[i])) for i in order]

    @staticmethod
    def query_text(question: str, history: Sequence[str] = ()) -> str:
        """A follow-up is searched together with the earlier questions, the simplest memory there is."""
        return " ".join([*history, question])

    def answer(self, question: str, history: Sequence[str] = ()) -> dict:
        """An answer in the contract's shape: the top chunks verbatim, citing the sections they overlap."""
        hits = self.search(self.query_text(question, history), k=ANSWER_CHUNKS)
        citations: list[dict[str, object]] = []
        for hit in hits:
            for path, label in hit.chunk.sections:
                citations.append({"id": len(citations) + 1, "source": hit.chunk.source, "section": path,
                                  "section_label": label, "quote": hit.chunk.text,
                                  "start_line": hit.chunk.start_line, "end_line": hit.chunk.end_line})
        return {"question": question, "answer": "\n\n".join(h.chunk.text for h in hits),
                "abstained": not hits, "mode": "baseline", "citations": citations}

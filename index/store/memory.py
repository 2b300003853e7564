"""The in-memory PlanStore: the fake the tests pass through the production factory, and the
store of `planbot` runs without a data dir. Same contract as Chroma (tests/test_store_contract.py)."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Sequence

import numpy as np

from index.models import Chunk
from index.store.protocol import (
    ANY_GENERATION,
    RETIRE_GRACE_SECONDS,
    DocRecord,
    StaleIndexError,
    as_matrix,
    check_carried,
    check_lengths,
    new_generation_name,
)
from index.store.snapshot import Snapshot

log = logging.getLogger("index.store")


class _MemoryGeneration:
    def __init__(self, chunks: list[Chunk], matrix: np.ndarray) -> None:
        self.chunks = chunks
        self.matrix = matrix
        self.position = {c.chunk_id: i for i, c in enumerate(chunks)}
        self.by_source: dict[str, list[Chunk]] = {}
        for chunk in chunks:
            self.by_source.setdefault(chunk.source, []).append(chunk)


class MemoryBuild:
    """InMemoryStore's PlanBuild: the staged plans are held until the commit."""

    def __init__(self, embedder: str) -> None:
        self.embedder = embedder
        self.generation = new_generation_name()
        self.staged: dict[str, str] = {}
        self.plans: dict[str, tuple[list[Chunk], np.ndarray]] = {}
        self.closed = False

    def stage(self, record: DocRecord, chunks: list[Chunk], embeddings: Sequence[Sequence[float]] | np.ndarray) -> str:
        check_lengths(chunks, embeddings)
        matrix = as_matrix(len(chunks), embeddings)
        self.plans[record.meta.source] = (list(chunks), matrix)
        self.staged[record.meta.source] = record.key
        return record.key

    def flush(self) -> None:
        return None  # nothing is written before the commit

    def abandon(self) -> None:
        self.closed = True
        self.plans.clear()


class InMemoryStore:
    """A store in process memory: for tests and throwaway runs."""

    def __init__(self, retire_grace_seconds: float = RETIRE_GRACE_SECONDS) -> None:
        self.retire_grace_seconds = retire_grace_seconds
        self._generations: dict[str, tuple[Snapshot, _MemoryGeneration]] = {}
        self._retired: dict[str, float] = {}
        self._current: str | None = None
        self._lock = threading.Lock()

    def snapshot(self) -> Snapshot | None:
        with self._lock:
            return self._generations[self._current][0] if self._current else None

    def storage_problem(self) -> str | None:
        return None  # nothing on disk to lose

    def open_build(self, embedder: str) -> MemoryBuild:
        return MemoryBuild(embedder)

    def commit(self, docs: list[DocRecord], chunks: list[Chunk], embeddings: Sequence[Sequence[float]] | np.ndarray,
               embedder: str, expected_generation: str | None = ANY_GENERATION,
               carried: Sequence[str] = (), build: MemoryBuild | None = None) -> str:
        check_lengths(chunks, embeddings)
        check_carried(expected_generation, carried)
        chunks = list(chunks)
        rows = [np.asarray(embeddings, dtype=np.float32).reshape(len(chunks), -1)] if chunks else []
        if build is not None:
            given = {c.source for c in chunks}
            for source, (staged_chunks, matrix) in build.plans.items():
                if source not in given and staged_chunks:
                    chunks.extend(staged_chunks)
                    rows.append(matrix)
            build.closed = True
        if carried:
            try:
                _, base = self._generation(str(expected_generation))
            except KeyError:  # collected: the index has long moved past it
                raise StaleIndexError(f"generation {expected_generation} is gone; the index moved on") from None
            for source in carried:
                kept = base.by_source.get(source, [])
                chunks.extend(kept)
                if kept:
                    rows.append(base.matrix[[base.position[c.chunk_id] for c in kept]])
        generation = new_generation_name()
        order = sorted(range(len(chunks)), key=lambda i: (chunks[i].source, chunks[i].start_line, chunks[i].chunk_id))
        matrix = np.vstack(rows)[order] if chunks else np.zeros((0, 1), dtype=np.float32)
        held = _MemoryGeneration([chunks[i] for i in order], matrix)
        snap = Snapshot(generation, embedder, {d.meta.source: d for d in docs},
                        fetch_plan=lambda source: list(held.by_source.get(source, [])),
                        fetch_ids=lambda ids: [held.chunks[held.position[i]] for i in ids if i in held.position])
        with self._lock:
            if expected_generation != ANY_GENERATION and expected_generation != self._current:
                raise StaleIndexError(f"index is at {self._current}, commit expected {expected_generation}")
            now = time.monotonic()
            self._generations[generation] = (snap, held)
            if self._current is not None:
                self._retired[self._current] = now
            self._current = generation
            for name, retired_at in list(self._retired.items()):
                if now - retired_at >= self.retire_grace_seconds:
                    del self._retired[name]
                    self._generations.pop(name, None)
        return generation

    def _generation(self, generation: str) -> tuple[Snapshot, _MemoryGeneration]:
        with self._lock:
            return self._generations[generation]

    def embeddings(self, generation: str, chunk_ids: list[str]) -> list[list[float]]:
        _, held = self._generation(generation)
        return [held.matrix[held.position[cid]].tolist() for cid in chunk_ids]

    def dense_search(self, generation: str, vector: list[float], k: int,
                     sources: list[str] | None = None) -> list[tuple[str, float]]:
        try:
            _, held = self._generation(generation)
        except KeyError:
            log.warning("generation %s was collected while a reader still searched it", generation)
            return []
        if not held.chunks:
            return []
        query = np.asarray(vector, dtype=np.float32)
        norms = np.linalg.norm(held.matrix, axis=1) * (np.linalg.norm(query) or 1.0)
        scores = (held.matrix @ query) / np.where(norms == 0, 1.0, norms)
        order = np.argsort(-scores, kind="stable")
        hits = []
        for i in order:
            chunk = held.chunks[int(i)]
            if sources is None or chunk.source in sources:
                hits.append((chunk.chunk_id, float(scores[int(i)])))
            if len(hits) == k:
                break
        return hits

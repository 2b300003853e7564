"""A generation as readers see it: its plans' records, and their chunks fetched on demand."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Iterator, Sequence
from functools import cached_property

from index.models import Chunk, chunk_source
from index.store.protocol import BATCH, DocRecord

PLAN_CACHE_SIZE = 64  # plans whose chunks a snapshot keeps in memory (least recently used dropped)


class Snapshot:
    """One consistent generation of the index, as readers see it.

    It holds every plan's record (small) but no chunk: a plan's chunks are fetched from the store
    when asked for (`chunks_of`, cached for the most recently used plans) and single chunks by id,
    so opening a generation costs the same at 4 plans as at 2,000."""

    def __init__(self, generation: str, embedder: str, docs: dict[str, DocRecord],
                 fetch_plan: Callable[[str], list[Chunk]], fetch_ids: Callable[[list[str]], list[Chunk]],
                 cache_plans: int = PLAN_CACHE_SIZE,
                 fetch_registers: Callable[[list[str]], dict[str, list[dict]]] | None = None) -> None:
        self.generation = generation
        self.embedder = embedder
        self.docs = docs
        self._fetch_plan = fetch_plan
        self._fetch_ids = fetch_ids
        self._fetch_registers = fetch_registers
        self._cache: OrderedDict[str, list[Chunk]] = OrderedDict()
        self._cache_plans = cache_plans
        self._lock = threading.Lock()

    @cached_property
    def n_chunks(self) -> int:  # the docs of a snapshot never change
        return sum(d.n_chunks for d in self.docs.values())

    def chunks_of(self, source: str) -> list[Chunk]:
        """The plan's chunks in reading order ([] for a plan not in this generation)."""
        if source not in self.docs:
            return []
        with self._lock:
            held = self._cache.get(source)
            if held is not None:
                self._cache.move_to_end(source)
                return held
        chunks = self.fetch_plan(source)
        with self._lock:
            self._cache[source] = chunks
            while len(self._cache) > self._cache_plans:
                self._cache.popitem(last=False)
        return chunks

    def fetch_plan(self, source: str) -> list[Chunk]:
        """The plan's chunks, read from the store without touching the cache (rebuilds, exports)."""
        return _ordered(self._fetch_plan(source))

    def chunks_by_id(self, chunk_ids: list[str]) -> dict[str, Chunk]:
        """The chunks of this generation among chunk_ids (ids of other generations are left out)."""
        out: dict[str, Chunk] = {}
        wanted = []
        with self._lock:
            for cid in chunk_ids:
                source = chunk_source(cid)
                held = self._cache.get(source)
                found = next((c for c in held if c.chunk_id == cid), None) if held else None
                if found is not None:
                    out[cid] = found
                else:
                    wanted.append(cid)
        for start in range(0, len(wanted), BATCH):
            for chunk in self._fetch_ids(wanted[start: start + BATCH]):
                out[chunk.chunk_id] = chunk
        return out

    def chunk(self, chunk_id: str) -> Chunk | None:
        return self.chunks_by_id([chunk_id]).get(chunk_id)

    def registers(self, sources: Sequence[str]) -> dict[str, list[dict] | None]:
        """The register rows stored for these plans (None: none stored; they are then derived
        from the plan's chunks). Rows live in the record (in memory) or apart from it (Chroma)."""
        out: dict[str, list[dict] | None] = {}
        apart = []
        for source in dict.fromkeys(sources):
            record = self.docs.get(source)
            if record is None:
                continue
            if record.register is not None:
                out[source] = list(record.register)
            else:
                out[source] = None
                apart.append(source)
        if apart and self._fetch_registers is not None:
            out.update(self._fetch_registers(apart))
        return out

    def iter_chunks(self) -> Iterator[Chunk]:
        """Every chunk of the generation, plan by plan (never all in memory at once)."""
        for source in sorted(self.docs):
            yield from self.fetch_plan(source)


def _ordered(chunks: list[Chunk]) -> list[Chunk]:
    """Every store hands chunks out in the same order, so retrieval ties break the same way."""
    return sorted(chunks, key=lambda c: (c.source, c.start_line, c.chunk_id))

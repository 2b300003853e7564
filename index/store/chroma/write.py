"""Writing a ChromaStore generation: plans staged into a ChromaBuild (written in batches, invisible
to readers), then the generation's membership written and the pointer switched in one upsert."""

from __future__ import annotations

import json
import logging
import time
import uuid
from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

import numpy as np

from index.models import Chunk
from index.store.chroma.codec import (
    LAYOUT,
    POINTER_ID,
    RECORD_PIECE_CHARS,
    Membership,
    members_id,
    pack_chunk,
    pack_rows,
    packed,
    paged,
    plan_version,
    split_pieces,
)
from index.store.chroma.generations import HEARTBEAT_SECONDS
from index.store.protocol import (
    ANY_GENERATION,
    BATCH,
    DocRecord,
    StaleIndexError,
    UnknownGenerationError,
    as_matrix,
    check_carried,
    check_lengths,
    new_generation_name,
)

if TYPE_CHECKING:  # the store calls these with itself
    from index.store.chroma.store import ChromaStore

log = logging.getLogger("index.store")

# A build writes its staged plans in batches of about this many chunks: fewer, larger upserts cost
# the ingesting process less (each has a fixed cost, growing with the collection: 2,000 rather
# than 1,000 saved 9 of its 119 CPU seconds for 2,000 plans), and the plan reader processes read
# on while one is written (index/parsing.py IN_FLIGHT).
STAGE_CHUNKS = 2_000


def commit(store: ChromaStore, docs: list[DocRecord], chunks: list[Chunk], embeddings: Sequence[Sequence[float]] | np.ndarray,
           embedder: str, expected_generation: str | None = ANY_GENERATION,
           carried: Sequence[str] = (), build: ChromaBuild | None = None) -> str:
    """Write a new generation and switch to it; with expected_generation (a generation name,
    or None for "the index is empty"), refuse with StaleIndexError if another writer switched
    the index meanwhile. The carried plans keep the versions expected_generation holds: their
    chunks and vectors are not read or written at all. Plans staged in `build` are members
    with the versions staged; every other record's chunks are among `chunks`."""
    check_lengths(chunks, embeddings)
    check_carried(expected_generation, carried)
    build = build or store.open_build(embedder)
    if build.embedder != embedder:
        raise ValueError(f"the build was opened for {build.embedder}, not {embedder}")
    try:
        carried_set = set(carried)
        try:
            base = store._membership(str(expected_generation)).versions if carried else {}
        except UnknownGenerationError:  # collected: the pointer has long moved past it
            store._reload()
            raise StaleIndexError(f"generation {expected_generation} is gone; the index moved on") from None
        by_source: dict[str, list[int]] = {}
        for i, chunk in enumerate(chunks):
            by_source.setdefault(chunk.source, []).append(i)
        records = {record.meta.source: record for record in docs}
        strays = set(by_source) - set(records)
        if strays:
            raise ValueError(f"chunks of plans without a record in this commit: {', '.join(sorted(strays))}")
        members: dict[str, str] = {}
        for source, record in records.items():
            if source in carried_set:
                if source not in base:
                    raise ValueError(f"carried plan {source} is not in generation {expected_generation}")
                members[source] = base[source]
            elif source in build.staged and source not in by_source:
                members[source] = build.staged[source]
            else:
                rows = by_source.get(source, [])
                members[source] = build.stage(record, [chunks[i] for i in rows],
                                              [embeddings[i] for i in rows])
        build.flush()
        return switch(store, build, docs, members, expected_generation)
    except BaseException:
        build.abandon()
        raise


def write_versions(store: ChromaStore, generation: str, staged: list[tuple[DocRecord, str, list[Chunk], np.ndarray]]) -> None:
    """Write plan versions: a membership piece naming them together with their records (one
    upsert, so the collector never sees the records without the piece: see collect_versions),
    then their register rows and chunks. Each upsert costs a few ms and more as the meta
    collection grows, so there are as few as can be."""
    now = time.time()
    members = json.dumps({r.meta.source: v for r, v, _, _ in staged}, ensure_ascii=False)
    store._meta.upsert(
        ids=[f"staged:{generation}:{uuid.uuid4().hex[:12]}"] + [f"plan:{version}" for _, version, _, _ in staged],
        documents=[packed(members)] + [packed(record.to_json(with_register=False)) for record, _, _, _ in staged],
        metadatas=[{"generation": generation, "kind": "members"}]
        + [{"kind": "plan", "plan": version, "source": record.meta.source, "created": now}
           for record, version, _, _ in staged],
        embeddings=[[1.0]] * (len(staged) + 1))
    store_registers(store, [(record, version) for record, version, _, _ in staged])
    chunks = [(version, chunk) for _, version, cs, _ in staged for chunk in cs]
    vectors = [matrix for _, _, cs, matrix in staged if len(cs)]
    if chunks:
        store._chunks.upsert(ids=[f"{version}/{c.chunk_id}" for version, c in chunks],
                            metadatas=[pack_chunk(version, c) for version, c in chunks],
                            embeddings=np.vstack(vectors))


def switch(store: ChromaStore, build: ChromaBuild, docs: list[DocRecord], members: dict[str, str],
            expected_generation: str | None) -> str:
    """Write the generation's membership and switch the pointer to it."""
    generation, embedder = build.generation, build.embedder
    membership = Membership(dict(members), sum(d.n_chunks for d in docs))
    pieces = split_pieces(list(membership.versions.items()))
    for start in range(0, len(pieces), BATCH):
        part = pieces[start: start + BATCH]
        store._meta.upsert(
            ids=[members_id(generation, start + i) for i in range(len(part))],
            documents=[packed(json.dumps(dict(piece), ensure_ascii=False)) for piece in part],
            metadatas=[{"generation": generation, "kind": "members"}] * len(part),
            embeddings=[[1.0]] * len(part))
    store._meta.upsert(ids=[f"gen:{generation}"], embeddings=[[1.0]], documents=[embedder], metadatas=[{
        "generation": generation, "kind": "gen", "chunks": membership.chunks,
        "plans": len(membership.versions), "pieces": len(pieces)}])
    with store._switching:
        pointer = store._pointer()
        previous = str(pointer["current_generation"]) if pointer else None
        if expected_generation != ANY_GENERATION and expected_generation != previous:
            # The caller re-reads the snapshot and re-applies its changes: that snapshot must
            # be the generation just seen here, not a cached one up to refresh_seconds old.
            store._reload()
            raise StaleIndexError(f"index is at {previous}, commit expected {expected_generation}")
        now = time.time()
        if previous:
            # Written before the switch: if we die in between, the old one is still current.
            store._meta.upsert(ids=[f"retired:{previous}"], documents=[""], embeddings=[[1.0]],
                              metadatas=[{"generation": previous, "kind": "retired", "retired_at": now}])
        # The switch: one upsert of one record. Everything above is invisible until it lands.
        store._meta.upsert(ids=[POINTER_ID], documents=[""], embeddings=[[1.0]], metadatas=[{
            "current_generation": generation, "embedder": embedder, "updated": now,
            "previous": previous or "", "layout": LAYOUT,
        }])
        build.closed = True
        store._remember(generation, membership)
        # as any reader loads it: the register rows are apart from the records
        docs_read = {d.meta.source: replace(d, register=None) if d.register is not None else d for d in docs}
        with store._records_lock:
            store._records = {members[source]: record for source, record in docs_read.items()}
        store._install(store._snapshot(generation, embedder, docs_read, membership))
    log.info("switched the index to generation %s (%d plans, %d chunks, %d plans stored anew; was %s)",
             generation, len(docs), membership.chunks, len(build.staged), previous or "empty")
    # the build's own records are done with: the membership names its plans now
    store._meta.delete(ids=[f"build:{generation}"])
    staged = [record_id for record_id, _, _ in
              paged(store._meta, {"$and": [{"generation": generation}, {"kind": "members"}]}, [])
              if record_id.startswith("staged:")]
    if staged:
        store._meta.delete(ids=staged)
    store._collector.collect_garbage(current=generation)
    return generation


def store_registers(store: ChromaStore, new_versions: list[tuple[DocRecord, str]]) -> None:
    """Each new plan version's register rows, compressed, in pieces (an empty list is stored
    too: it says the plan has no rows, rather than rows never computed)."""
    ids: list[str] = []
    metadatas: list[dict] = []
    for record, version in new_versions:
        if record.register is None:
            continue
        packed = pack_rows(record.register)
        for n, start in enumerate(range(0, max(len(packed), 1), RECORD_PIECE_CHARS)):
            ids.append(f"{version}/{n:05d}")
            metadatas.append({"plan": version, "n": n, "z": packed[start: start + RECORD_PIECE_CHARS]})
    for start in range(0, len(ids), BATCH):
        store._registers.upsert(ids=ids[start: start + BATCH], metadatas=metadatas[start: start + BATCH],
                               embeddings=[[1.0]] * len(ids[start: start + BATCH]))


class ChromaBuild:
    """A generation being written into a ChromaStore: plans are staged one at a time (their chunks,
    vectors, records and register rows written in batches of about STAGE_CHUNKS chunks, invisible to
    readers until the switch), so an ingestion holds a batch, not every new plan, and the store
    writes while the next plans are read. `ChromaStore.commit(..., build=)` switches to it;
    `abandon()` drops what was staged."""

    def __init__(self, store: ChromaStore, embedder: str) -> None:
        self.store = store
        self.embedder = embedder
        self.generation = new_generation_name()
        self.staged: dict[str, str] = {}  # source -> plan version written (or pending)
        self.closed = False
        self._pending: list[tuple[DocRecord, str, list[Chunk], np.ndarray]] = []
        self._pending_chunks = 0
        self._written_chunks = 0
        self._beat = time.monotonic()
        store._collector.heartbeat(self.generation)

    def stage(self, record: DocRecord, chunks: list[Chunk], embeddings: Sequence[Sequence[float]] | np.ndarray) -> str:
        """Stage one plan version (written with the next batch); returns its version name."""
        if self.closed:
            raise RuntimeError(f"build {self.generation} is already switched or abandoned")
        check_lengths(chunks, embeddings)
        source = record.meta.source
        if any(c.source != source for c in chunks):
            raise ValueError(f"chunks of another plan staged with {source}")
        version = plan_version(record, self.embedder)
        matrix = as_matrix(len(chunks), embeddings)
        self._pending.append((record, version, list(chunks), matrix))
        self._pending_chunks += len(chunks)
        self.staged[source] = version
        if self._pending_chunks >= STAGE_CHUNKS:
            self.flush()
        return version

    def flush(self) -> None:
        """Write what is pending."""
        if not self._pending:
            return
        pending, self._pending, self._pending_chunks = self._pending, [], 0
        self.store._write_versions(self.generation, pending)
        self._written_chunks += sum(len(cs) for _, _, cs, _ in pending)
        log.info("generation %s: stored %d chunks of %d plans so far", self.generation, self._written_chunks,
                 len(self.staged))
        if time.monotonic() - self._beat > HEARTBEAT_SECONDS:
            self.store._collector.heartbeat(self.generation)
            self._beat = time.monotonic()

    def abandon(self) -> None:
        """Drop the staged plans (if even that fails, the collector will)."""
        if not self.closed:
            self.closed = True
            self.store._collector.abandon(self.generation)

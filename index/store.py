"""The plan store: chunks, vectors and the manifest of indexed plans, switched atomically.

Every ingestion that changes something writes a new *generation* and then flips one pointer.
In Chroma a generation is a membership record naming the stored version of each of its plans;
chunks and vectors live once per plan version in one shared collection, so an ingestion writes
only the plans it changed (see ChromaStore). Readers see the old generation or the new one,
never a mix and never an empty one, and a crash (even kill -9) mid-build leaves the pointer on
the last complete generation. The manifest and pointer live in Chroma too, so several API
processes sharing one Chroma server see the same index.

Records in the meta collection:
- `current`: the pointer (current generation, embedder name, layout);
- `gen:{generation}`: the generation's members ({source: plan version}) and chunk count;
- `plan:{version}`: one DocRecord per stored plan version (shared by the generations naming it);
- `build:{generation}`: a generation being built (host, pid, heartbeat), removed once switched;
- `retired:{generation}`: when a generation stopped being current. It is dropped only after a
  grace period, because a reader that took its snapshot a moment earlier may still search it.
A generation with a `build` record whose writer is dead (same host, pid gone) or silent for
longer than the orphan grace is a crashed build and is dropped by the next commit; plan versions
no remaining generation names are deleted with it.
"""

from __future__ import annotations

import base64
import calendar
import contextlib
import hashlib
import json
import logging
import os
import socket
import threading
import time
import uuid
import zlib
from collections import OrderedDict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict, dataclass, fields, replace
from functools import cached_property
from pathlib import Path
from typing import Protocol, runtime_checkable

import numpy as np

from index.models import Chunk, DocumentMeta, chunk_source

log = logging.getLogger(__name__)

# Layout 2: one collection of every stored plan version's chunks (see ChromaStore).
CHUNK_COLLECTION = "planbot-plan-chunks"
# Layout 1 kept a collection per generation; an index found in it is moved over once.
LEGACY_CHUNK_COLLECTION_PREFIX = "planbot-chunks-"
# The plans' obligations register rows, apart from their records (see ChromaStore).
REGISTER_COLLECTION = "planbot-registers"
LAYOUT = 2
# Chroma writes to a collection slow down with the size of the largest records it holds (a write
# of one small record took 300 ms beside 400 records of 25 KB, 15 ms beside the same bytes in 2 KB
# records; chromadb 1.5, bench/bench_store.py): memberships and register rows are therefore
# stored in pieces of about this size, never as one large record.
RECORD_PIECE_CHARS = 2_000
META_COLLECTION = "planbot-meta"
POINTER_ID = "current"
CHROMA_DATABASE = "chroma.sqlite3"  # the embedded client's database, in its persist directory
_BATCH = 500
# A build writes its staged plans in batches of about this many chunks: fewer, larger upserts cost
# the ingesting process less (each has a fixed cost, growing with the collection: 2,000 rather
# than 1,000 saved 9 of its 119 CPU seconds for 2,000 plans), and the plan reader processes read
# on while one is written (index/parsing.py IN_FLIGHT).
STAGE_CHUNKS = 2_000
# A retired generation stays searchable this long: readers refresh their snapshot every half
# second and search it within milliseconds, so two minutes is a wide margin.
RETIRE_GRACE_SECONDS = 120.0
# A build whose writer cannot be checked (another host) is presumed dead after this much silence;
# writers refresh their heartbeat at least every HEARTBEAT_SECONDS.
ORPHAN_GRACE_SECONDS = 900.0
HEARTBEAT_SECONDS = 30.0
# `expected_generation` default: commit without checking what it replaces.
ANY_GENERATION = "*"


class StaleIndexError(RuntimeError):
    """Another writer switched the index after this commit's base snapshot was read; the commit
    was not applied (re-read the snapshot and apply the changes again)."""


@dataclass(frozen=True)
class DocRecord:
    meta: DocumentMeta
    n_chunks: int
    warnings: tuple[str, ...] = ()
    ingested_at: float = 0.0
    # The plan's obligations register rows (index/obligations.py), computed once at ingest and kept
    # with the plan: None for a record written before rows were stored (they are then derived).
    register: tuple[dict, ...] | None = None

    @property
    def key(self) -> str:
        """Names this version of the plan: its chunks are the same wherever the key is the same
        (a plan re-parsed gets a new ingested_at, hence a new key)."""
        raw = json.dumps([self.meta.source, self.meta.sha256, self.n_chunks, self.ingested_at])
        return hashlib.sha1(raw.encode("utf-8")).hexdigest()

    def to_json(self, with_register: bool = True) -> str:
        data = asdict(self.meta) | {"n_chunks": self.n_chunks, "warnings": list(self.warnings),
                                    "ingested_at": self.ingested_at}
        if with_register and self.register is not None:
            data["register"] = list(self.register)
        return json.dumps(data, ensure_ascii=False)

    @classmethod
    def from_json(cls, raw: str) -> DocRecord:
        data = json.loads(raw)
        meta = meta_from_dict(data)
        register = data.get("register")
        return cls(meta=meta, n_chunks=int(data["n_chunks"]), warnings=tuple(data.get("warnings", [])),
                   ingested_at=float(data.get("ingested_at", 0.0)),
                   register=tuple(register) if register is not None else None)


PLAN_CACHE_SIZE = 64  # plans whose chunks a snapshot keeps in memory (least recently used dropped)
# A dense search scoped to at most this many plans is an exact scan of their vectors (kept for the
# PLAN_VECTORS_KEPT most recently searched plans) rather than a filtered Chroma query.
SCOPED_PLANS_EXACT = 8
PLAN_VECTORS_KEPT = 256
# An unscoped search over-fetches past the chunks of other generations' plan versions, up to this
# many; beyond it (right after most plans were re-ingested) it filters by version in Chroma.
OTHER_VERSIONS_SKIPPED = 2_000
VERSIONS_PER_FILTER = 4_000  # plan versions named in one Chroma filter (SQLite caps its variables)


def meta_from_dict(data: dict) -> DocumentMeta:
    """A DocumentMeta from its stored JSON; records written before a field existed lack it (and
    old records have one `year` instead of `years`)."""
    names = {f.name for f in fields(DocumentMeta)}
    values = {k: v for k, v in data.items() if k in names}
    years = data.get("years")
    if years is None and data.get("year"):
        years = [data["year"]]  # an old record: its one year was the plan's year
    values["years"] = tuple(int(y) for y in years or ())
    values["reported_years"] = tuple(int(y) for y in data.get("reported_years") or ())
    values.setdefault("province", None)
    return DocumentMeta(**values)


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
        for start in range(0, len(wanted), _BATCH):
            for chunk in self._fetch_ids(wanted[start: start + _BATCH]):
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


class PlanBuild(Protocol):
    """A generation being written: `stage` a plan at a time (stored at once or in batches,
    invisible to readers), then `PlanStore.commit(..., build=)`; `abandon` drops it."""

    generation: str
    embedder: str
    staged: dict[str, str]

    def stage(self, record: DocRecord, chunks: list[Chunk], embeddings: Sequence[Sequence[float]]) -> str: ...

    def flush(self) -> None: ...

    def abandon(self) -> None: ...


@runtime_checkable
class PlanStore(Protocol):
    """What ingestion and retrieval need from a store; Chroma and the in-memory fake both pass
    the same contract tests (tests/test_store_contract.py).

    `commit` stores the given chunks and vectors (and the plans staged in `build`) plus, unchanged,
    the chunks and vectors of the `carried` plans of `expected_generation` (which the store keeps
    without the ingesting process ever holding them)."""

    def snapshot(self) -> Snapshot | None: ...

    def open_build(self, embedder: str) -> PlanBuild: ...

    def storage_problem(self) -> str | None:
        """Why the store's storage is unusable (its files were removed), or None when it is fine."""
        ...

    def commit(self, docs: list[DocRecord], chunks: list[Chunk], embeddings: Sequence[Sequence[float]],
               embedder: str, expected_generation: str | None = ANY_GENERATION,
               carried: Sequence[str] = (), build=None) -> str: ...

    def embeddings(self, generation: str, chunk_ids: list[str]) -> list[list[float]]: ...

    def dense_search(self, generation: str, vector: list[float], k: int,
                     sources: list[str] | None = None) -> list[tuple[str, float]]: ...


def _check_carried(expected_generation: str | None, carried: Sequence[str]) -> None:
    if carried and (expected_generation is None or expected_generation == ANY_GENERATION):
        raise ValueError("carried plans need the generation they are carried from (expected_generation)")


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
        self.generation = _new_generation_name()
        self.staged: dict[str, str] = {}
        self.plans: dict[str, tuple[list[Chunk], np.ndarray]] = {}
        self.closed = False

    def stage(self, record: DocRecord, chunks: list[Chunk], embeddings: Sequence[Sequence[float]]) -> str:
        _check_lengths(chunks, embeddings)
        matrix = _as_matrix(len(chunks), embeddings)
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

    def commit(self, docs: list[DocRecord], chunks: list[Chunk], embeddings: Sequence[Sequence[float]],
               embedder: str, expected_generation: str | None = ANY_GENERATION,
               carried: Sequence[str] = (), build: MemoryBuild | None = None) -> str:
        _check_lengths(chunks, embeddings)
        _check_carried(expected_generation, carried)
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
        generation = _new_generation_name()
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


class UnknownGenerationError(KeyError):
    """The generation is not in the store: collected after its grace, or never switched in."""


@dataclass(frozen=True)
class _Membership:
    """What a generation holds: the stored version of each of its plans, and their chunk count."""

    versions: dict[str, str]  # source -> plan version
    chunks: int

    @cached_property
    def version_set(self) -> frozenset[str]:
        return frozenset(self.versions.values())


def plan_version(record: DocRecord, embedder: str) -> str:
    """Names a plan's chunks *and vectors* in the shared collection: the same parse of a plan
    embedded by another model is another version."""
    return hashlib.sha1(f"{record.key}\n{embedder}".encode()).hexdigest()[:24]


class ChromaStore:
    """Chroma, embedded (PersistentClient in the data dir) or a server (HttpClient).

    Layout 2: one chunk collection (CHUNK_COLLECTION) holds every stored *plan version* — a
    parse of a plan with the vectors of one embedder — each chunk under the record id
    "{version}/{chunk id}" with the version in its metadata. A generation is one membership
    record naming the version of each of its plans. Adding a plan to 2,000 therefore writes that
    plan's chunks, its record and one membership record; the other 1,999 plans are not touched.
    Versions no live generation names are deleted by the collector (after the retire grace).
    An index written by layout 1 (a collection per generation) is moved over once, when opened.
    """

    def __init__(self, client, retire_grace_seconds: float = RETIRE_GRACE_SECONDS,
                 orphan_grace_seconds: float = ORPHAN_GRACE_SECONDS, refresh_seconds: float = 0.5) -> None:
        self.client = client
        self.path: Path | None = None  # the persist directory of an embedded store
        self.retire_grace_seconds = retire_grace_seconds
        self.orphan_grace_seconds = orphan_grace_seconds
        # Checking the pointer costs a round trip; doing it at most every refresh_seconds keeps
        # other processes' re-indexing visible without a query per question.
        self.refresh_seconds = refresh_seconds
        self._meta = client.get_or_create_collection(META_COLLECTION, embedding_function=None)
        self._chunks = client.get_or_create_collection(CHUNK_COLLECTION, metadata={"hnsw:space": "cosine"},
                                                       embedding_function=None)
        self._registers = client.get_or_create_collection(REGISTER_COLLECTION, embedding_function=None)
        # plan version -> its record, for the versions of the last generation loaded
        self._records: dict[str, DocRecord] = {}
        self._records_lock = threading.Lock()
        self._cache: Snapshot | None = None
        self._cache_checked = 0.0
        # Bumped whenever this process installs a snapshot it knows to be current (its own commit,
        # a re-read after a refused commit): a slower refresh that began earlier must not undo it.
        self._cache_version = 0
        self._lock = threading.Lock()  # guards the cached snapshot and its version
        self._refreshing = threading.Lock()  # one thread reloads; the others keep their snapshot
        self._switching = threading.Lock()  # check-and-flip of the pointer within this process
        self._memberships: OrderedDict[str, _Membership] = OrderedDict()
        self._memberships_lock = threading.Lock()
        # plan version -> its chunk ids and vectors, for searches scoped to a few plans
        self._plan_vectors: OrderedDict[str, tuple[list[str], np.ndarray]] = OrderedDict()
        self._plan_vectors_lock = threading.Lock()
        # the pointer update after which this process last ran the collector (see _maybe_collect)
        self._collected_after = 0.0

    @classmethod
    def embedded(cls, path, **options) -> ChromaStore:
        import chromadb
        from chromadb.config import Settings as ChromaSettings

        path.mkdir(parents=True, exist_ok=True)
        store = cls(chromadb.PersistentClient(path=str(path), settings=ChromaSettings(anonymized_telemetry=False)),
                    **options)
        store.path = Path(path)
        return store

    @classmethod
    def server(cls, url: str, *, tenant: str | None = None, database: str | None = None, **options) -> ChromaStore:
        from urllib.parse import urlparse

        import chromadb
        from chromadb.config import DEFAULT_DATABASE, DEFAULT_TENANT
        from chromadb.config import Settings as ChromaSettings

        parsed = urlparse(url)
        return cls(chromadb.HttpClient(
            host=parsed.hostname or "127.0.0.1", port=parsed.port or (443 if parsed.scheme == "https" else 8000),
            ssl=parsed.scheme == "https", settings=ChromaSettings(anonymized_telemetry=False),
            tenant=tenant or DEFAULT_TENANT, database=database or DEFAULT_DATABASE,
        ), **options)

    def storage_problem(self) -> str | None:
        # A removed persist directory goes unnoticed by reads (SQLite keeps the unlinked file open)
        # but every later write would be lost: the service must say it is not ready.
        if self.path is not None and not (self.path / CHROMA_DATABASE).is_file():
            return f"the Chroma persist directory {self.path} (or its {CHROMA_DATABASE}) is missing"
        return None

    # --- reading -----------------------------------------------------------------------------
    def _pointer(self) -> dict | None:
        got = self._meta.get(ids=[POINTER_ID], include=["metadatas"])
        return got["metadatas"][0] if got["ids"] else None

    def snapshot(self) -> Snapshot | None:
        with self._lock:
            held = self._cache
            if held is not None and time.monotonic() - self._cache_checked < self.refresh_seconds:
                return held
        # One thread re-reads the pointer (and loads a new generation) while the others go on
        # answering from the snapshot they hold; a thread that holds none waits for it.
        if not self._refreshing.acquire(blocking=held is None):
            return held
        try:
            with self._lock:
                # The thread this one waited for, or a commit, may have just refreshed it.
                if self._cache is not None and time.monotonic() - self._cache_checked < self.refresh_seconds:
                    return self._cache
                held, version = self._cache, self._cache_version
            try:
                fresh = self._read_current(held)
            except Exception:
                if held is None:
                    raise
                # A hiccup of the Chroma server: keep answering from the consistent snapshot we
                # hold (its generation stays searchable for the retire grace); retry next call.
                log.warning("could not re-read the index pointer; still answering from generation %s",
                            held.generation, exc_info=True)
                return held
            with self._lock:
                if self._cache_version == version:
                    self._cache, self._cache_checked = fresh, time.monotonic()
                return self._cache if self._cache is not None else fresh
        finally:
            self._refreshing.release()

    def _install(self, snap: Snapshot | None) -> None:
        """Make snap the cached snapshot now: this process knows it is the current generation."""
        with self._lock:
            self._cache, self._cache_checked = snap, time.monotonic()
            self._cache_version += 1

    def _read_current(self, held: Snapshot | None) -> Snapshot | None:
        for attempt in range(3):
            pointer = self._pointer()
            if pointer is None:
                return None
            if int(pointer.get("layout") or 1) < LAYOUT:
                self._migrate(pointer)
                continue
            self._maybe_collect(pointer)
            generation = str(pointer["current_generation"])
            if held is not None and held.generation == generation:
                return held
            try:
                return self._load(generation, str(pointer.get("embedder", "")))
            except UnknownGenerationError:
                # Switched and collected between reading the pointer and loading: read it again.
                log.info("generation %s vanished while loading (attempt %d); re-reading the pointer",
                         generation, attempt + 1)
        raise RuntimeError("the index kept changing while it was being read")

    def _membership(self, generation: str) -> _Membership:
        """A generation's plan versions; fixed once written, so cached."""
        with self._memberships_lock:
            held = self._memberships.get(generation)
            if held is not None:
                self._memberships.move_to_end(generation)
                return held
        got = self._meta.get(ids=[f"gen:{generation}"], include=["metadatas"])
        if not got["ids"]:
            raise UnknownGenerationError(generation)
        head = got["metadatas"][0]
        piece_ids = [_members_id(generation, i) for i in range(int(head["pieces"]))]
        versions: dict[str, str] = {}
        for start in range(0, len(piece_ids), _BATCH):
            pieces = self._meta.get(ids=piece_ids[start: start + _BATCH], include=["documents"])
            for raw in pieces["documents"]:
                versions.update(json.loads(_unpacked(raw)))
        if len(versions) != int(head["plans"]):  # dropped while being read
            raise UnknownGenerationError(generation)
        held = _Membership(versions, int(head["chunks"]))
        self._remember(generation, held)
        return held

    def _remember(self, generation: str, membership: _Membership | None) -> None:
        with self._memberships_lock:
            if membership is None:
                self._memberships.pop(generation, None)
                return
            self._memberships[generation] = membership
            while len(self._memberships) > 8:
                self._memberships.popitem(last=False)

    def _load(self, generation: str, embedder: str) -> Snapshot:
        """A generation's snapshot. Only the records of plan versions this process has not read
        yet are fetched: after one plan was added to 2,000, that is one record."""
        membership = self._membership(generation)
        with self._records_lock:
            known = dict(self._records)
        records = {version: known[version] for version in membership.version_set if version in known}
        wanted = [version for version in membership.version_set if version not in known]
        for start in range(0, len(wanted), _BATCH):
            got = self._meta.get(ids=[f"plan:{v}" for v in wanted[start: start + _BATCH]], include=["documents"])
            for record_id, raw in zip(got["ids"], got["documents"], strict=True):
                records[record_id[len("plan:"):]] = DocRecord.from_json(_unpacked(raw))
        if len(records) != len(membership.version_set):  # its plans were collected meanwhile
            raise UnknownGenerationError(generation)
        with self._records_lock:
            self._records = records  # what the next generation most likely shares
        docs = {source: records[version] for source, version in membership.versions.items()}
        return self._snapshot(generation, embedder, docs, membership)

    def _snapshot(self, generation: str, embedder: str, docs: dict[str, DocRecord],
                  membership: _Membership) -> Snapshot:
        versions = membership.versions
        return Snapshot(generation, embedder, docs,
                        fetch_plan=lambda source: self._plan_chunks(versions[source]) if source in versions else [],
                        fetch_ids=lambda ids: self._chunks_by_id(versions, ids),
                        fetch_registers=lambda sources: self._registers_of(versions, sources))

    @staticmethod
    def _pages(collection, where: dict | None, include: list[str]) -> Iterator[dict]:
        """Chroma's `get` of every record matching where, _BATCH records a page: one get of a whole
        large collection fails in Chroma ("too many SQL variables") and holds it all."""
        offset = 0
        while True:
            got = collection.get(where=where, limit=_BATCH, offset=offset, include=include)
            if not got["ids"]:
                return
            yield got
            if len(got["ids"]) < _BATCH:
                return
            offset += len(got["ids"])

    @classmethod
    def _paged(cls, collection, where: dict | None, include: list[str]) -> Iterator[tuple]:
        """(id, document, metadata) of every record matching where, a page at a time."""
        for got in cls._pages(collection, where, include):
            ids = got["ids"]
            documents = got.get("documents") or [None] * len(ids)
            metadatas = got.get("metadatas") or [None] * len(ids)
            yield from zip(ids, documents, metadatas, strict=True)

    def _plan_chunks(self, version: str) -> list[Chunk]:
        return [_unpack_chunk(record_id.split("/", 1)[1], meta)
                for record_id, _, meta in self._paged(self._chunks, {"plan": version}, ["metadatas"])]

    def _registers_of(self, versions: dict[str, str], sources: list[str]) -> dict[str, list[dict]]:
        """The stored register rows of these plans (a plan stored without rows is left out)."""
        wanted = {versions[s]: s for s in sources if s in versions}
        pieces: dict[str, list[tuple[int, list[dict]]]] = {}
        names = list(wanted)
        for start in range(0, len(names), 100):
            group = names[start: start + 100]
            where = {"plan": group[0]} if len(group) == 1 else {"plan": {"$in": group}}
            for _, _, meta in self._paged(self._registers, where, ["metadatas"]):
                # "z": a piece of the plan's compressed rows; "rows": rows as JSON (stored so before)
                piece = meta["z"] if "z" in meta else json.loads(meta["rows"])
                pieces.setdefault(str(meta["plan"]), []).append((int(meta["n"]), piece))
        out: dict[str, list[dict]] = {}
        for version, held in pieces.items():
            parts = [piece for _, piece in sorted(held, key=lambda p: p[0])]
            out[wanted[version]] = (_unpack_rows("".join(parts)) if all(isinstance(p, str) for p in parts)
                                    else [row for rows in parts for row in rows])
        return out

    @staticmethod
    def _record_ids(versions: dict[str, str], chunk_ids: Sequence[str]) -> dict[str, str]:
        """record id -> chunk id, for the chunk ids whose plan (the id's prefix) is a member."""
        out = {}
        for cid in chunk_ids:
            version = versions.get(chunk_source(cid))
            if version is not None:
                out[f"{version}/{cid}"] = cid
        return out

    def _chunks_by_id(self, versions: dict[str, str], chunk_ids: list[str]) -> list[Chunk]:
        wanted = self._record_ids(versions, chunk_ids)
        if not wanted:
            return []
        got = self._chunks.get(ids=list(wanted), include=["metadatas"])
        return [_unpack_chunk(wanted[rid], meta) for rid, meta in zip(got["ids"], got["metadatas"], strict=True)]

    def embeddings(self, generation: str, chunk_ids: list[str]) -> list[list[float]]:
        if not chunk_ids:
            return []
        wanted = self._record_ids(self._membership(generation).versions, chunk_ids)
        record_ids = list(wanted)
        out: dict[str, list[float]] = {}
        for start in range(0, len(record_ids), _BATCH):
            got = self._chunks.get(ids=record_ids[start: start + _BATCH], include=["embeddings"])
            for rid, vector in zip(got["ids"], got["embeddings"], strict=True):
                out[wanted[rid]] = [float(x) for x in vector]
        return [out[cid] for cid in chunk_ids]  # KeyError: not a chunk of this generation

    def dense_search(self, generation: str, vector: list[float], k: int,
                     sources: list[str] | None = None) -> list[tuple[str, float]]:
        if sources is not None and not sources:
            return []
        try:
            membership = self._membership(generation)
        except UnknownGenerationError:
            # Only after the retire grace: answer from the lexical index rather than fail.
            log.warning("generation %s was collected while a reader still searched it", generation)
            return []
        if sources is None:
            return self._member_query(vector, k, membership)
        versions = [membership.versions[s] for s in dict.fromkeys(sources) if s in membership.versions]
        if not versions:
            return []
        if len(versions) <= SCOPED_PLANS_EXACT:
            return self._scoped_search(versions, vector, k)
        return self._filtered_query(vector, k, versions)

    def _member_query(self, vector: list[float], k: int, membership: _Membership) -> list[tuple[str, float]]:
        """The generation's nearest chunks. The collection also holds the versions of generations
        being built or retired (usually a few plans): asking for k + that many nearest and
        dropping theirs is exact and costs what an unfiltered query costs, while a filter naming
        2,000 versions costs time in proportion to the whole collection."""
        if membership.chunks == 0:
            return []
        total = self._chunks.count()
        others = max(total - membership.chunks, 0)
        if others > OTHER_VERSIONS_SKIPPED:  # right after a re-ingestion of most plans
            return self._filtered_query(vector, k, list(membership.version_set))
        got = self._chunks.query(query_embeddings=[vector], n_results=max(min(k + others, total), 1),
                                 include=["distances"])
        hits = []
        for record_id, dist in zip(got["ids"][0], got["distances"][0], strict=True):
            version, _, cid = record_id.partition("/")
            if version in membership.version_set:
                hits.append((cid, 1.0 - float(dist)))
                if len(hits) == k:
                    break
        return hits

    def _filtered_query(self, vector: list[float], k: int, versions: list[str]) -> list[tuple[str, float]]:
        hits: list[tuple[str, float]] = []
        for start in range(0, len(versions), VERSIONS_PER_FILTER):
            group = versions[start: start + VERSIONS_PER_FILTER]
            where = {"plan": group[0]} if len(group) == 1 else {"plan": {"$in": group}}
            got = self._chunks.query(query_embeddings=[vector], n_results=k, where=where, include=["distances"])
            hits.extend((rid.split("/", 1)[1], 1.0 - float(dist))
                        for rid, dist in zip(got["ids"][0], got["distances"][0], strict=True))
        hits.sort(key=lambda hit: -hit[1])
        return hits[:k]

    def _scoped_search(self, versions: list[str], vector: list[float], k: int) -> list[tuple[str, float]]:
        """Exact cosine over the vectors of a few plans: Chroma's filtered query costs time in
        proportion to the whole collection (32 ms against 6 ms unfiltered at 12,000 chunks),
        while a plan's vectors, fetched once and kept, are a few dozen rows."""
        ids: list[str] = []
        rows: list[np.ndarray] = []
        for version in versions:
            plan_ids, matrix = self._vectors_of(version)
            ids.extend(plan_ids)
            rows.append(matrix)
        if not ids:
            return []
        matrix = np.vstack(rows)
        query = np.asarray(vector, dtype=np.float32)
        norms = np.linalg.norm(matrix, axis=1) * (np.linalg.norm(query) or 1.0)
        scores = (matrix @ query) / np.where(norms == 0, 1.0, norms)
        order = np.argsort(-scores, kind="stable")[:k]
        return [(ids[int(i)], float(scores[int(i)])) for i in order]

    def _vectors_of(self, version: str) -> tuple[list[str], np.ndarray]:
        with self._plan_vectors_lock:
            held = self._plan_vectors.get(version)
            if held is not None:
                self._plan_vectors.move_to_end(version)
                return held
        ids: list[str] = []
        vectors: list = []
        for got in self._pages(self._chunks, {"plan": version}, ["embeddings"]):
            ids.extend(rid.split("/", 1)[1] for rid in got["ids"])
            vectors.extend(got["embeddings"])
        held = (ids, _as_matrix(len(ids), vectors))
        with self._plan_vectors_lock:
            self._plan_vectors[version] = held
            while len(self._plan_vectors) > PLAN_VECTORS_KEPT:
                self._plan_vectors.popitem(last=False)
        return held

    # --- writing -----------------------------------------------------------------------------
    def open_build(self, embedder: str) -> ChromaBuild:
        """A new generation to stage plans into, one at a time, before `commit(..., build=)`."""
        return ChromaBuild(self, embedder)

    def commit(self, docs: list[DocRecord], chunks: list[Chunk], embeddings: Sequence[Sequence[float]],
               embedder: str, expected_generation: str | None = ANY_GENERATION,
               carried: Sequence[str] = (), build: ChromaBuild | None = None) -> str:
        """Write a new generation and switch to it; with expected_generation (a generation name,
        or None for "the index is empty"), refuse with StaleIndexError if another writer switched
        the index meanwhile. The carried plans keep the versions expected_generation holds: their
        chunks and vectors are not read or written at all. Plans staged in `build` are members
        with the versions staged; every other record's chunks are among `chunks`."""
        _check_lengths(chunks, embeddings)
        _check_carried(expected_generation, carried)
        build = build or self.open_build(embedder)
        if build.embedder != embedder:
            raise ValueError(f"the build was opened for {build.embedder}, not {embedder}")
        try:
            carried_set = set(carried)
            try:
                base = self._membership(str(expected_generation)).versions if carried else {}
            except UnknownGenerationError:  # collected: the pointer has long moved past it
                self._reload()
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
            return self._switch(build, docs, members, expected_generation)
        except BaseException:
            build.abandon()
            raise

    def _write_versions(self, generation: str, staged: list[tuple[DocRecord, str, list[Chunk], np.ndarray]]) -> None:
        """Write plan versions: a membership piece naming them together with their records (one
        upsert, so the collector never sees the records without the piece: see _collect_versions),
        then their register rows and chunks. Each upsert costs a few ms and more as the meta
        collection grows, so there are as few as can be."""
        now = time.time()
        members = json.dumps({r.meta.source: v for r, v, _, _ in staged}, ensure_ascii=False)
        self._meta.upsert(
            ids=[f"staged:{generation}:{uuid.uuid4().hex[:12]}"] + [f"plan:{version}" for _, version, _, _ in staged],
            documents=[_packed(members)] + [_packed(record.to_json(with_register=False)) for record, _, _, _ in staged],
            metadatas=[{"generation": generation, "kind": "members"}]
            + [{"kind": "plan", "plan": version, "source": record.meta.source, "created": now}
               for record, version, _, _ in staged],
            embeddings=[[1.0]] * (len(staged) + 1))
        self._store_registers([(record, version) for record, version, _, _ in staged])
        chunks = [(version, chunk) for _, version, cs, _ in staged for chunk in cs]
        vectors = [matrix for _, _, cs, matrix in staged if len(cs)]
        if chunks:
            self._chunks.upsert(ids=[f"{version}/{c.chunk_id}" for version, c in chunks],
                                metadatas=[_pack_chunk(version, c) for version, c in chunks],
                                embeddings=np.vstack(vectors))

    def _switch(self, build: ChromaBuild, docs: list[DocRecord], members: dict[str, str],
                expected_generation: str | None) -> str:
        """Write the generation's membership and switch the pointer to it."""
        generation, embedder = build.generation, build.embedder
        membership = _Membership(dict(members), sum(d.n_chunks for d in docs))
        pieces = _pieces(list(membership.versions.items()))
        for start in range(0, len(pieces), _BATCH):
            part = pieces[start: start + _BATCH]
            self._meta.upsert(
                ids=[_members_id(generation, start + i) for i in range(len(part))],
                documents=[_packed(json.dumps(dict(piece), ensure_ascii=False)) for piece in part],
                metadatas=[{"generation": generation, "kind": "members"}] * len(part),
                embeddings=[[1.0]] * len(part))
        self._meta.upsert(ids=[f"gen:{generation}"], embeddings=[[1.0]], documents=[embedder], metadatas=[{
            "generation": generation, "kind": "gen", "chunks": membership.chunks,
            "plans": len(membership.versions), "pieces": len(pieces)}])
        with self._switching:
            pointer = self._pointer()
            previous = str(pointer["current_generation"]) if pointer else None
            if expected_generation != ANY_GENERATION and expected_generation != previous:
                # The caller re-reads the snapshot and re-applies its changes: that snapshot must
                # be the generation just seen here, not a cached one up to refresh_seconds old.
                self._reload()
                raise StaleIndexError(f"index is at {previous}, commit expected {expected_generation}")
            now = time.time()
            if previous:
                # Written before the switch: if we die in between, the old one is still current.
                self._meta.upsert(ids=[f"retired:{previous}"], documents=[""], embeddings=[[1.0]],
                                  metadatas=[{"generation": previous, "kind": "retired", "retired_at": now}])
            # The switch: one upsert of one record. Everything above is invisible until it lands.
            self._meta.upsert(ids=[POINTER_ID], documents=[""], embeddings=[[1.0]], metadatas=[{
                "current_generation": generation, "embedder": embedder, "updated": now,
                "previous": previous or "", "layout": LAYOUT,
            }])
            build.closed = True
            self._remember(generation, membership)
            # as any reader loads it: the register rows are apart from the records
            docs_read = {d.meta.source: replace(d, register=None) if d.register is not None else d for d in docs}
            with self._records_lock:
                self._records = {members[source]: record for source, record in docs_read.items()}
            self._install(self._snapshot(generation, embedder, docs_read, membership))
        log.info("switched the index to generation %s (%d plans, %d chunks, %d plans stored anew; was %s)",
                 generation, len(docs), membership.chunks, len(build.staged), previous or "empty")
        # the build's own records are done with: the membership names its plans now
        self._meta.delete(ids=[f"build:{generation}"])
        staged = [record_id for record_id, _, _ in
                  self._paged(self._meta, {"$and": [{"generation": generation}, {"kind": "members"}]}, [])
                  if record_id.startswith("staged:")]
        if staged:
            self._meta.delete(ids=staged)
        self._collect_garbage(current=generation)
        return generation

    def _store_registers(self, new_versions: list[tuple[DocRecord, str]]) -> None:
        """Each new plan version's register rows, compressed, in pieces (an empty list is stored
        too: it says the plan has no rows, rather than rows never computed)."""
        ids: list[str] = []
        metadatas: list[dict] = []
        for record, version in new_versions:
            if record.register is None:
                continue
            packed = _pack_rows(record.register)
            for n, start in enumerate(range(0, max(len(packed), 1), RECORD_PIECE_CHARS)):
                ids.append(f"{version}/{n:05d}")
                metadatas.append({"plan": version, "n": n, "z": packed[start: start + RECORD_PIECE_CHARS]})
        for start in range(0, len(ids), _BATCH):
            self._registers.upsert(ids=ids[start: start + _BATCH], metadatas=metadatas[start: start + _BATCH],
                                   embeddings=[[1.0]] * len(ids[start: start + _BATCH]))

    def _migrate(self, pointer: dict) -> None:
        """Move an index of layout 1 (a Chroma collection per generation) into the shared layout:
        its current generation's plans are staged once, plan by plan, into a new generation."""
        from chromadb.errors import NotFoundError

        legacy = str(pointer["current_generation"])
        embedder = str(pointer.get("embedder", ""))
        log.warning("the index is in the old layout (a collection per generation); moving generation %s "
                    "to the shared layout once", legacy)
        try:
            collection = self.client.get_collection(LEGACY_CHUNK_COLLECTION_PREFIX + legacy, embedding_function=None)
        except NotFoundError:
            return  # another process migrated it and the old collection is gone: re-read the pointer
        docs = [DocRecord.from_json(raw)
                for record_id, raw, _ in self._paged(self._meta, {"generation": legacy}, ["documents"])
                if record_id.startswith("doc:")]
        build = self.open_build(embedder)
        try:
            for number, record in enumerate(sorted(docs, key=lambda d: d.meta.source), start=1):
                chunks: list[Chunk] = []
                vectors: list = []
                for got in self._pages(collection, {"source": record.meta.source},
                                       ["documents", "metadatas", "embeddings"]):
                    chunks.extend(Chunk.from_metadata(cid, doc, meta) for cid, doc, meta
                                  in zip(got["ids"], got["documents"], got["metadatas"], strict=True))
                    vectors.extend(got["embeddings"])
                build.stage(record, chunks, vectors)
                log.info("moving the index to the shared layout: %d/%d plans", number, len(docs))
            build.flush()
            self._switch(build, docs, dict(build.staged), expected_generation=legacy)
        except StaleIndexError:
            build.abandon()
            log.info("another process moved the index first")
        except BaseException:
            build.abandon()
            raise

    def _reload(self) -> None:
        with self._lock:
            held = self._cache
        try:
            self._install(self._read_current(held))
        except Exception:  # the next snapshot() re-reads it anyway once the cache is stale
            log.warning("could not re-read the index after a refused commit", exc_info=True)
            with self._lock:
                self._cache_checked = float("-inf")

    def _heartbeat(self, generation: str) -> None:
        self._meta.upsert(ids=[f"build:{generation}"], documents=[""], embeddings=[[1.0]], metadatas=[{
            "generation": generation, "kind": "build", "host": socket.gethostname(), "pid": os.getpid(),
            "heartbeat": time.time(),
        }])

    def _abandon(self, generation: str) -> None:
        """Drop a build that will not be switched in; if even that fails, the collector will."""
        try:
            pointer = self._pointer()
            if pointer and str(pointer["current_generation"]) == generation:
                return  # the switch landed although its reply was lost
            self._drop(generation)
            self._collect_versions()
        except Exception:
            log.warning("could not drop the abandoned generation %s", generation, exc_info=True)

    def _drop(self, generation: str) -> None:
        """Forget a generation (its plan versions go with the next _collect_versions)."""
        from chromadb.errors import NotFoundError

        self._meta.delete(where={"generation": generation})
        self._remember(generation, None)
        with contextlib.suppress(NotFoundError, ValueError):  # a generation of layout 1
            self.client.delete_collection(LEGACY_CHUNK_COLLECTION_PREFIX + generation)

    def generations(self) -> list[str]:
        """Every generation present (current, retired, being built; of either layout)."""
        names = {record_id.split(":", 1)[1]
                 for record_id, _, _ in self._paged(self._meta, {"kind": {"$in": ["gen", "build"]}}, [])}
        for collection in self.client.list_collections():
            name = collection if isinstance(collection, str) else collection.name
            if name.startswith(LEGACY_CHUNK_COLLECTION_PREFIX):
                names.add(name[len(LEGACY_CHUNK_COLLECTION_PREFIX):])
        return sorted(names)

    def _maybe_collect(self, pointer: dict) -> None:
        """Readers collect too: the generation a switch retired must not stay in the collection
        (its versions slow every search down) until some process next commits. Once per switch
        and process, after the grace, by the one thread refreshing the snapshot (the others go on
        answering meanwhile); not in a background thread, which the interpreter's exit (or a test's
        teardown) could cut off inside Chroma."""
        updated = float(pointer.get("updated") or 0.0)
        if not pointer.get("previous") or updated <= self._collected_after:
            return
        if time.time() - updated < self.retire_grace_seconds:
            return
        self._collected_after = updated
        try:
            self._collect_garbage(str(pointer["current_generation"]))
        except Exception:  # another process may be collecting the same garbage
            log.debug("collection after a switch failed", exc_info=True)

    def _collect_garbage(self, current: str) -> None:
        """Drop retired generations past their grace and builds whose writer died, then the plan
        versions no generation names any more."""
        now = time.time()
        got = self._meta.get(where={"kind": {"$in": ["build", "retired"]}}, include=["metadatas"])
        builds: dict[str, dict] = {}
        retired: dict[str, float] = {}
        for meta in got["metadatas"]:
            if meta.get("kind") == "retired":
                retired[str(meta["generation"])] = float(meta["retired_at"])
            else:
                builds[str(meta["generation"])] = meta
        for generation in self.generations():
            if generation == current:
                continue
            if generation in retired:
                reclaim = now - retired[generation] >= self.retire_grace_seconds
            elif generation in builds:
                reclaim = self._writer_gone(builds[generation], now)
            else:  # no record at all: a crash between dropping records and the collection
                reclaim = now - _generation_time(generation) >= self.orphan_grace_seconds
            if reclaim:
                try:
                    self._drop(generation)
                    log.info("dropped generation %s", generation)
                except Exception:  # another process may be collecting the same garbage
                    log.debug("could not drop %s", generation, exc_info=True)
        self._collect_versions()

    def _collect_versions(self) -> None:
        """Delete the chunks and records of plan versions that no generation names. Version
        records are listed before memberships: a build writes its membership before its versions,
        so a version seen here whose build is alive is named by a membership read after it."""
        stored = [meta["plan"] for _, _, meta in self._paged(self._meta, {"kind": "plan"}, ["metadatas"])]
        live: set[str] = set()
        for _, raw, _ in self._paged(self._meta, {"kind": "members"}, ["documents"]):
            live.update(json.loads(_unpacked(raw)).values())
        dead = [version for version in stored if version not in live]
        for start in range(0, len(dead), 100):
            group = dead[start: start + 100]
            where = {"plan": group[0]} if len(group) == 1 else {"plan": {"$in": group}}
            self._chunks.delete(where=where)
            self._registers.delete(where=where)
            self._meta.delete(ids=[f"plan:{version}" for version in group])  # after its chunks
        with self._plan_vectors_lock:
            for version in dead:
                self._plan_vectors.pop(version, None)
        if dead:
            log.info("deleted %d plan versions no generation holds", len(dead))

    def _writer_gone(self, build: dict, now: float) -> bool:
        if build.get("host") == socket.gethostname() and not _pid_alive(int(build.get("pid", 0))):
            return True
        return now - float(build.get("heartbeat", 0.0)) >= self.orphan_grace_seconds


class ChromaBuild:
    """A generation being written into a ChromaStore: plans are staged one at a time (their chunks,
    vectors, records and register rows written in batches of about STAGE_CHUNKS chunks, invisible to
    readers until the switch), so an ingestion holds a batch, not every new plan, and the store
    writes while the next plans are read. `ChromaStore.commit(..., build=)` switches to it;
    `abandon()` drops what was staged."""

    def __init__(self, store: ChromaStore, embedder: str) -> None:
        self.store = store
        self.embedder = embedder
        self.generation = _new_generation_name()
        self.staged: dict[str, str] = {}  # source -> plan version written (or pending)
        self.closed = False
        self._pending: list[tuple[DocRecord, str, list[Chunk], np.ndarray]] = []
        self._pending_chunks = 0
        self._written_chunks = 0
        self._beat = time.monotonic()
        store._heartbeat(self.generation)

    def stage(self, record: DocRecord, chunks: list[Chunk], embeddings: Sequence[Sequence[float]]) -> str:
        """Stage one plan version (written with the next batch); returns its version name."""
        if self.closed:
            raise RuntimeError(f"build {self.generation} is already switched or abandoned")
        _check_lengths(chunks, embeddings)
        source = record.meta.source
        if any(c.source != source for c in chunks):
            raise ValueError(f"chunks of another plan staged with {source}")
        version = plan_version(record, self.embedder)
        matrix = _as_matrix(len(chunks), embeddings)
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
            self.store._heartbeat(self.generation)
            self._beat = time.monotonic()

    def abandon(self) -> None:
        """Drop the staged plans (if even that fails, the collector will)."""
        if not self.closed:
            self.closed = True
            self.store._abandon(self.generation)


def _as_matrix(n: int, vectors) -> np.ndarray:
    """n vectors as float32 rows (a list of Python floats per vector costs 8x the memory)."""
    return np.asarray(vectors, dtype=np.float32).reshape(n, -1) if n else np.zeros((0, 1), dtype=np.float32)


def _pack_chunk(version: str, chunk: Chunk) -> dict:
    """A chunk as a record of the shared collection: its plan version (what filters use) and the
    chunk itself in one JSON field. Not a Chroma document: Chroma indexes every document for its
    own full-text search, which planbot never uses (tantivy is the lexical index), and that index
    halved the write speed (870 against 1,700 chunks/s, 1024-dim vectors, one idle core)."""
    return {"plan": version, "chunk": chunk.stored_json}


def _unpack_chunk(chunk_id: str, meta: dict) -> Chunk:
    data = json.loads(meta["chunk"])
    return Chunk.from_metadata(chunk_id, data.pop("text"), data)


def _compressed(text: str) -> str:
    """Text as zlib-compressed base64: ASCII without spaces. Chroma (1.5) writes records of such
    text far faster than records of Vietnamese JSON: an upsert of 8 plan records into a collection
    of 800 took 87 ms with the JSON, 20 ms with it compressed, the cost growing with the records
    already there (the JSON's; bench/bench_chroma_records.py) — and register rows shrink to a
    seventh."""
    return base64.b64encode(zlib.compress(text.encode("utf-8"))).decode("ascii")


def _decompressed(packed: str) -> str:
    return zlib.decompress(base64.b64decode(packed)).decode("utf-8")


_PACKED = "z:"  # a document that starts so is compressed (JSON never does)


def _packed(document: str) -> str:
    """A plan record or membership piece as the meta collection stores it."""
    return _PACKED + _compressed(document)


def _unpacked(document: str) -> str:
    """A stored document as written: compressed, or JSON as stored before."""
    return _decompressed(document[len(_PACKED):]) if document.startswith(_PACKED) else document


def _pack_rows(rows: Sequence[dict]) -> str:
    """A plan's register rows, compressed (about a seventh of their JSON, so of the records)."""
    return _compressed(json.dumps(list(rows), ensure_ascii=False))


def _unpack_rows(packed: str) -> list[dict]:
    return json.loads(_decompressed(packed))


def _members_id(generation: str, piece: int) -> str:
    return f"members:{generation}:{piece:05d}"


def _pieces(items: list) -> list[list]:
    """items cut into consecutive lists of about RECORD_PIECE_CHARS of JSON each."""
    pieces: list[list] = []
    size = RECORD_PIECE_CHARS
    for item in items:
        length = len(json.dumps(item, ensure_ascii=False))
        if size + length > RECORD_PIECE_CHARS and (not pieces or pieces[-1]):
            pieces.append([])
            size = 0
        pieces[-1].append(item)
        size += length
    return pieces


def _check_lengths(chunks: list[Chunk], embeddings: Sequence[Sequence[float]]) -> None:
    if len(chunks) != len(embeddings):
        raise ValueError(f"{len(chunks)} chunks but {len(embeddings)} embeddings")


def _pid_alive(pid: int) -> bool:
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _new_generation_name() -> str:
    return time.strftime("%Y%m%d%H%M%S", time.gmtime()) + "-" + uuid.uuid4().hex[:8]


def _generation_time(generation: str) -> float:
    """When a generation was started, from its name (UTC); 0 for a name that is not ours."""
    try:
        return float(calendar.timegm(time.strptime(generation[:14], "%Y%m%d%H%M%S")))
    except ValueError:
        return 0.0

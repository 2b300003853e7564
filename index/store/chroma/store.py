"""ChromaStore: plans in Chroma, embedded (PersistentClient in the data dir) or a server (HttpClient).

This module opens the store and reads it (the pointer, a generation's membership and records,
chunks and register rows on demand); searching is chroma/search.py, writing chroma/write.py, the
collector chroma/generations.py, the record layout chroma/codec.py."""

from __future__ import annotations

import json
import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from index.models import Chunk
from index.store.chroma import write
from index.store.chroma.codec import (
    CHROMA_DATABASE,
    CHUNK_COLLECTION,
    LAYOUT,
    META_COLLECTION,
    POINTER_ID,
    REGISTER_COLLECTION,
    Membership,
    members_id,
    paged,
    record_ids,
    unpack_chunk,
    unpack_rows,
    unpacked,
)
from index.store.chroma.generations import ORPHAN_GRACE_SECONDS, GenerationCollector
from index.store.chroma.migrate import migrate_layout
from index.store.chroma.search import ChromaSearch
from index.store.protocol import (
    ANY_GENERATION,
    BATCH,
    RETIRE_GRACE_SECONDS,
    DocRecord,
    UnknownGenerationError,
)
from index.store.snapshot import Snapshot

log = logging.getLogger("index.store")


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
        self._memberships: OrderedDict[str, Membership] = OrderedDict()
        self._memberships_lock = threading.Lock()
        self._search = ChromaSearch(self)
        self._collector = GenerationCollector(self)

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
                migrate_layout(self, pointer)
                continue
            self._collector.maybe_collect(pointer)
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

    def _membership(self, generation: str) -> Membership:
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
        piece_ids = [members_id(generation, i) for i in range(int(head["pieces"]))]
        versions: dict[str, str] = {}
        for start in range(0, len(piece_ids), BATCH):
            pieces = self._meta.get(ids=piece_ids[start: start + BATCH], include=["documents"])
            for raw in pieces["documents"]:
                versions.update(json.loads(unpacked(raw)))
        if len(versions) != int(head["plans"]):  # dropped while being read
            raise UnknownGenerationError(generation)
        held = Membership(versions, int(head["chunks"]))
        self._remember(generation, held)
        return held

    def _remember(self, generation: str, membership: Membership | None) -> None:
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
        for start in range(0, len(wanted), BATCH):
            got = self._meta.get(ids=[f"plan:{v}" for v in wanted[start: start + BATCH]], include=["documents"])
            for record_id, raw in zip(got["ids"], got["documents"], strict=True):
                records[record_id[len("plan:"):]] = DocRecord.from_json(unpacked(raw))
        if len(records) != len(membership.version_set):  # its plans were collected meanwhile
            raise UnknownGenerationError(generation)
        with self._records_lock:
            self._records = records  # what the next generation most likely shares
        docs = {source: records[version] for source, version in membership.versions.items()}
        return self._snapshot(generation, embedder, docs, membership)

    def _snapshot(self, generation: str, embedder: str, docs: dict[str, DocRecord],
                  membership: Membership) -> Snapshot:
        versions = membership.versions
        return Snapshot(generation, embedder, docs,
                        fetch_plan=lambda source: self._plan_chunks(versions[source]) if source in versions else [],
                        fetch_ids=lambda ids: self._chunks_by_id(versions, ids),
                        fetch_registers=lambda sources: self._registers_of(versions, sources))

    def _plan_chunks(self, version: str) -> list[Chunk]:
        return [unpack_chunk(record_id.split("/", 1)[1], meta)
                for record_id, _, meta in paged(self._chunks, {"plan": version}, ["metadatas"])]

    def _registers_of(self, versions: dict[str, str], sources: list[str]) -> dict[str, list[dict]]:
        """The stored register rows of these plans (a plan stored without rows is left out)."""
        wanted = {versions[s]: s for s in sources if s in versions}
        pieces: dict[str, list[tuple[int, str | list[dict]]]] = {}
        names = list(wanted)
        for start in range(0, len(names), 100):
            group = names[start: start + 100]
            where = {"plan": group[0]} if len(group) == 1 else {"plan": {"$in": group}}
            for _, _, meta in paged(self._registers, where, ["metadatas"]):
                # "z": a piece of the plan's compressed rows; "rows": rows as JSON (stored so before)
                piece = meta["z"] if "z" in meta else json.loads(meta["rows"])
                pieces.setdefault(str(meta["plan"]), []).append((int(meta["n"]), piece))
        out: dict[str, list[dict]] = {}
        for version, held in pieces.items():
            parts = [piece for _, piece in sorted(held, key=lambda p: p[0])]
            packed = [p for p in parts if isinstance(p, str)]
            out[wanted[version]] = (unpack_rows("".join(packed)) if len(packed) == len(parts)
                                    else [row for rows in parts if not isinstance(rows, str) for row in rows])
        return out

    def _chunks_by_id(self, versions: dict[str, str], chunk_ids: list[str]) -> list[Chunk]:
        wanted = record_ids(versions, chunk_ids)
        if not wanted:
            return []
        got = self._chunks.get(ids=list(wanted), include=["metadatas"])
        return [unpack_chunk(wanted[rid], meta) for rid, meta in zip(got["ids"], got["metadatas"], strict=True)]

    def _reload(self) -> None:
        with self._lock:
            held = self._cache
        try:
            self._install(self._read_current(held))
        except Exception:  # the next snapshot() re-reads it anyway once the cache is stale
            log.warning("could not re-read the index after a refused commit", exc_info=True)
            with self._lock:
                self._cache_checked = float("-inf")

    # --- searching (chroma/search.py) --------------------------------------------------------
    def embeddings(self, generation: str, chunk_ids: list[str]) -> list[list[float]]:
        return self._search.embeddings(generation, chunk_ids)

    def dense_search(self, generation: str, vector: list[float], k: int,
                     sources: list[str] | None = None) -> list[tuple[str, float]]:
        return self._search.dense_search(generation, vector, k, sources)

    # --- writing (chroma/write.py) -----------------------------------------------------------
    def open_build(self, embedder: str) -> write.ChromaBuild:
        """A new generation to stage plans into, one at a time, before `commit(..., build=)`."""
        return write.ChromaBuild(self, embedder)

    def commit(self, docs: list[DocRecord], chunks: list[Chunk], embeddings: Sequence[Sequence[float]] | np.ndarray,
               embedder: str, expected_generation: str | None = ANY_GENERATION,
               carried: Sequence[str] = (), build: write.ChromaBuild | None = None) -> str:
        """Write a new generation and switch to it (see chroma/write.py `commit`)."""
        return write.commit(self, docs, chunks, embeddings, embedder, expected_generation, carried, build)

    def _write_versions(self, generation: str, staged: list[tuple[DocRecord, str, list[Chunk], np.ndarray]]) -> None:
        # a method, so a test can make the disk fail here
        write.write_versions(self, generation, staged)

    # --- collecting (chroma/generations.py) --------------------------------------------------
    def generations(self) -> list[str]:
        """Every generation present (current, retired, being built; of either layout)."""
        return self._collector.generations()

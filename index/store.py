"""The plan store: chunks, vectors and the manifest of indexed plans, switched atomically.

Every ingestion that changes something builds a complete new *generation* (a new Chroma
collection, unchanged plans' vectors copied rather than recomputed) and then flips one pointer.
Readers therefore see the old index or the new one, never a mix and never an empty one, and a
crash (even kill -9) mid-build leaves the pointer on the last complete generation.
The manifest and pointer live in Chroma too, so several API processes sharing one Chroma server
see the same index.
"""

from __future__ import annotations

import json
import logging
import threading
import time
import uuid
from dataclasses import asdict, dataclass, field
from typing import Protocol, runtime_checkable

import numpy as np

from index.models import Chunk, DocumentMeta

log = logging.getLogger(__name__)

CHUNK_COLLECTION_PREFIX = "planbot-chunks-"
META_COLLECTION = "planbot-meta"
POINTER_ID = "current"
_BATCH = 500


@dataclass(frozen=True)
class DocRecord:
    meta: DocumentMeta
    n_chunks: int
    warnings: tuple[str, ...] = ()
    ingested_at: float = 0.0

    def to_json(self) -> str:
        data = asdict(self.meta) | {"n_chunks": self.n_chunks, "warnings": list(self.warnings),
                                    "ingested_at": self.ingested_at}
        return json.dumps(data, ensure_ascii=False)

    @classmethod
    def from_json(cls, raw: str) -> DocRecord:
        data = json.loads(raw)
        meta = DocumentMeta(**{k: data[k] for k in ("source", "title", "province", "year", "number", "sha256")})
        return cls(meta=meta, n_chunks=int(data["n_chunks"]), warnings=tuple(data.get("warnings", [])),
                   ingested_at=float(data.get("ingested_at", 0.0)))


@dataclass
class Snapshot:
    """One consistent generation of the index, as readers see it."""

    generation: str
    embedder: str
    docs: dict[str, DocRecord]
    chunks: list[Chunk]
    by_id: dict[str, Chunk] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.by_id = {c.chunk_id: c for c in self.chunks}

    def chunks_of(self, source: str) -> list[Chunk]:
        return [c for c in self.chunks if c.source == source]


@runtime_checkable
class PlanStore(Protocol):
    """What ingestion and retrieval need from a store; Chroma and the in-memory fake both pass
    the same contract tests (tests/test_store_contract.py)."""

    def snapshot(self) -> Snapshot | None: ...

    def commit(self, docs: list[DocRecord], chunks: list[Chunk], embeddings: list[list[float]],
               embedder: str) -> str: ...

    def embeddings(self, generation: str, chunk_ids: list[str]) -> list[list[float]]: ...

    def dense_search(self, generation: str, vector: list[float], k: int,
                     sources: list[str] | None = None) -> list[tuple[str, float]]: ...


class InMemoryStore:
    """A store in process memory: for tests and throwaway runs."""

    def __init__(self) -> None:
        self._generations: dict[str, tuple[Snapshot, np.ndarray]] = {}
        self._current: str | None = None
        self._lock = threading.Lock()

    def snapshot(self) -> Snapshot | None:
        with self._lock:
            return self._generations[self._current][0] if self._current else None

    def commit(self, docs, chunks, embeddings, embedder):
        generation = _new_generation_name()
        matrix = np.asarray(embeddings, dtype=np.float32).reshape(len(chunks), -1) if chunks else np.zeros((0, 1))
        snap = Snapshot(generation, embedder, {d.meta.source: d for d in docs}, list(chunks))
        with self._lock:
            self._generations[generation] = (snap, matrix)
            previous, self._current = self._current, generation
            for name in list(self._generations):
                if name not in (generation, previous):
                    del self._generations[name]
        return generation

    def embeddings(self, generation, chunk_ids):
        snap, matrix = self._generations[generation]
        index = {c.chunk_id: i for i, c in enumerate(snap.chunks)}
        return [matrix[index[cid]].tolist() for cid in chunk_ids]

    def dense_search(self, generation, vector, k, sources=None):
        snap, matrix = self._generations[generation]
        if not snap.chunks:
            return []
        query = np.asarray(vector, dtype=np.float32)
        norms = np.linalg.norm(matrix, axis=1) * (np.linalg.norm(query) or 1.0)
        scores = (matrix @ query) / np.where(norms == 0, 1.0, norms)
        order = np.argsort(-scores)
        hits = []
        for i in order:
            chunk = snap.chunks[int(i)]
            if sources is None or chunk.source in sources:
                hits.append((chunk.chunk_id, float(scores[int(i)])))
            if len(hits) == k:
                break
        return hits


class ChromaStore:
    """Chroma, embedded (PersistentClient in the data dir) or a server (HttpClient)."""

    def __init__(self, client) -> None:
        self.client = client
        self._meta = client.get_or_create_collection(META_COLLECTION, embedding_function=None)
        self._cache: Snapshot | None = None
        self._cache_checked = 0.0
        self._lock = threading.Lock()

    @classmethod
    def embedded(cls, path) -> ChromaStore:
        import chromadb
        from chromadb.config import Settings as ChromaSettings

        path.mkdir(parents=True, exist_ok=True)
        return cls(chromadb.PersistentClient(path=str(path), settings=ChromaSettings(anonymized_telemetry=False)))

    @classmethod
    def server(cls, url: str) -> ChromaStore:
        from urllib.parse import urlparse

        import chromadb
        from chromadb.config import Settings as ChromaSettings

        parsed = urlparse(url)
        return cls(chromadb.HttpClient(
            host=parsed.hostname or "127.0.0.1", port=parsed.port or (443 if parsed.scheme == "https" else 8000),
            ssl=parsed.scheme == "https", settings=ChromaSettings(anonymized_telemetry=False),
        ))

    def _pointer(self) -> dict | None:
        got = self._meta.get(ids=[POINTER_ID], include=["metadatas"])
        return got["metadatas"][0] if got["ids"] else None

    def snapshot(self) -> Snapshot | None:
        with self._lock:
            now = time.monotonic()
            # Checking the pointer costs ~1 ms; doing it at most every half second keeps
            # other processes' re-indexing visible without a query per question.
            if self._cache is not None and now - self._cache_checked < 0.5:
                return self._cache
            pointer = self._pointer()
            self._cache_checked = now
            if pointer is None:
                self._cache = None
                return None
            generation = str(pointer["current_generation"])
            if self._cache is None or self._cache.generation != generation:
                self._cache = self._load(generation, str(pointer.get("embedder", "")))
            return self._cache

    def _load(self, generation: str, embedder: str) -> Snapshot:
        collection = self.client.get_collection(CHUNK_COLLECTION_PREFIX + generation, embedding_function=None)
        got = collection.get(include=["documents", "metadatas"])
        chunks = [Chunk.from_metadata(cid, doc, meta)
                  for cid, doc, meta in zip(got["ids"], got["documents"], got["metadatas"], strict=True)]
        docs_got = self._meta.get(where={"generation": generation}, include=["documents"])
        docs = {}
        for raw in docs_got["documents"]:
            record = DocRecord.from_json(raw)
            docs[record.meta.source] = record
        chunks.sort(key=lambda c: (c.source, c.start_line, c.chunk_id))
        return Snapshot(generation, embedder, docs, chunks)

    def commit(self, docs, chunks, embeddings, embedder):
        generation = _new_generation_name()
        collection = self.client.create_collection(
            CHUNK_COLLECTION_PREFIX + generation, metadata={"hnsw:space": "cosine"}, embedding_function=None,
        )
        for start in range(0, len(chunks), _BATCH):
            batch = chunks[start : start + _BATCH]
            collection.add(
                ids=[c.chunk_id for c in batch],
                documents=[c.text for c in batch],
                metadatas=[c.metadata() for c in batch],
                embeddings=embeddings[start : start + _BATCH],
            )
        if docs:
            self._meta.upsert(
                ids=[f"doc:{generation}:{d.meta.source}" for d in docs],
                documents=[d.to_json() for d in docs],
                metadatas=[{"generation": generation, "source": d.meta.source} for d in docs],
                embeddings=[[1.0]] * len(docs),
            )
        previous = self._pointer()
        # The switch: one upsert of one record. Everything above is invisible until it lands.
        self._meta.upsert(ids=[POINTER_ID], documents=[""], embeddings=[[1.0]], metadatas=[{
            "current_generation": generation, "embedder": embedder, "updated": time.time(),
            "previous": str(previous["current_generation"]) if previous else "",
        }])
        self._collect_garbage(keep={generation, str(previous["current_generation"]) if previous else ""})
        return generation

    def _collect_garbage(self, keep: set[str]) -> None:
        """Drop generations other than the current and the previous one (readers may still hold
        the previous for a moment), including those a crashed ingestion left half-built."""
        for collection in self.client.list_collections():
            name = collection if isinstance(collection, str) else collection.name
            if name.startswith(CHUNK_COLLECTION_PREFIX) and name[len(CHUNK_COLLECTION_PREFIX):] not in keep:
                try:
                    self.client.delete_collection(name)
                    self._meta.delete(where={"generation": name[len(CHUNK_COLLECTION_PREFIX):]})
                except Exception:  # another process may be collecting the same garbage
                    log.debug("could not drop %s", name, exc_info=True)

    def embeddings(self, generation, chunk_ids):
        if not chunk_ids:
            return []
        collection = self.client.get_collection(CHUNK_COLLECTION_PREFIX + generation, embedding_function=None)
        out: dict[str, list[float]] = {}
        for start in range(0, len(chunk_ids), _BATCH):
            got = collection.get(ids=chunk_ids[start : start + _BATCH], include=["embeddings"])
            for cid, vector in zip(got["ids"], got["embeddings"], strict=True):
                out[cid] = [float(x) for x in vector]
        return [out[cid] for cid in chunk_ids]

    def dense_search(self, generation, vector, k, sources=None):
        collection = self.client.get_collection(CHUNK_COLLECTION_PREFIX + generation, embedding_function=None)
        where = None
        if sources:
            where = {"source": sources[0]} if len(sources) == 1 else {"source": {"$in": list(sources)}}
        count = collection.count()
        if count == 0:
            return []
        got = collection.query(query_embeddings=[vector], n_results=min(k, count), where=where,
                               include=["distances"])
        return [(cid, 1.0 - float(dist)) for cid, dist in zip(got["ids"][0], got["distances"][0], strict=True)]


def _new_generation_name() -> str:
    return time.strftime("%Y%m%d%H%M%S") + "-" + uuid.uuid4().hex[:8]

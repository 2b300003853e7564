"""What a plan store is (PlanStore, PlanBuild), the record it keeps per plan, and its errors."""

from __future__ import annotations

import hashlib
import json
import time
import uuid
from collections.abc import Sequence
from dataclasses import asdict, dataclass, fields
from typing import TYPE_CHECKING, Protocol, runtime_checkable

import numpy as np

from index.models import Chunk, DocumentMeta

if TYPE_CHECKING:  # the snapshot module reads DocRecord from here
    from index.store.snapshot import Snapshot

# A retired generation stays searchable this long: readers refresh their snapshot every half
# second and search it within milliseconds, so two minutes is a wide margin.
RETIRE_GRACE_SECONDS = 120.0
# `expected_generation` default: commit without checking what it replaces.
ANY_GENERATION = "*"
BATCH = 500  # records one get or upsert names (SQLite caps the variables of a statement)


class StaleIndexError(RuntimeError):
    """Another writer switched the index after this commit's base snapshot was read; the commit
    was not applied (re-read the snapshot and apply the changes again)."""


@dataclass(frozen=True)
class DocRecord:
    meta: DocumentMeta
    n_chunks: int
    warnings: tuple[str, ...] = ()
    ingested_at: float = 0.0
    # The plan's obligations register rows (index/obligations/), computed once at ingest and kept
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


def meta_from_dict(data: dict) -> DocumentMeta:
    """A DocumentMeta from its stored JSON; records written before a field existed lack it (and
    old records have one `year` instead of `years`)."""
    names = {f.name for f in fields(DocumentMeta)}
    values = {k: v for k, v in data.items() if k in names}
    years = data.get("years")
    if years is None and data.get("year"):
        years = [data["year"]]  # an old record: its one year was the plan's year
    values["years"] = tuple(int(y) for y in years or ())
    values["quotes"] = tuple((str(f), int(n), str(t)) for f, n, t in data.get("quotes") or ())
    values["reported_years"] = tuple(int(y) for y in data.get("reported_years") or ())
    values["issuers"] = tuple(str(x) for x in data.get("issuers") or ())
    values["numbers"] = tuple(str(x) for x in data.get("numbers") or ())
    values["signers"] = tuple((str(n), None if a is None else str(a)) for n, a in data.get("signers") or ())
    values["short_names"] = tuple((str(a), str(b)) for a, b in data.get("short_names") or ())
    values.setdefault("province", None)
    return DocumentMeta(**values)


class PlanBuild(Protocol):
    """A generation being written: `stage` a plan at a time (stored at once or in batches,
    invisible to readers), then `PlanStore.commit(..., build=)`; `abandon` drops it."""

    generation: str
    embedder: str
    staged: dict[str, str]

    def stage(self, record: DocRecord, chunks: list[Chunk], embeddings: Sequence[Sequence[float]] | np.ndarray) -> str: ...

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

    def commit(self, docs: list[DocRecord], chunks: list[Chunk], embeddings: Sequence[Sequence[float]] | np.ndarray,
               embedder: str, expected_generation: str | None = ANY_GENERATION,
               carried: Sequence[str] = (), build=None) -> str: ...

    def embeddings(self, generation: str, chunk_ids: list[str]) -> list[list[float]]: ...

    def dense_search(self, generation: str, vector: list[float], k: int,
                     sources: list[str] | None = None) -> list[tuple[str, float]]: ...


def check_carried(expected_generation: str | None, carried: Sequence[str]) -> None:
    if carried and (expected_generation is None or expected_generation == ANY_GENERATION):
        raise ValueError("carried plans need the generation they are carried from (expected_generation)")



def check_lengths(chunks: list[Chunk], embeddings: Sequence[Sequence[float]] | np.ndarray) -> None:
    if len(chunks) != len(embeddings):
        raise ValueError(f"{len(chunks)} chunks but {len(embeddings)} embeddings")


class UnknownGenerationError(KeyError):
    """The generation is not in the store: collected after its grace, or never switched in."""


def as_matrix(n: int, vectors) -> np.ndarray:
    """n vectors as float32 rows (a list of Python floats per vector costs 8x the memory)."""
    return np.asarray(vectors, dtype=np.float32).reshape(n, -1) if n else np.zeros((0, 1), dtype=np.float32)


def new_generation_name() -> str:
    return time.strftime("%Y%m%d%H%M%S", time.gmtime()) + "-" + uuid.uuid4().hex[:8]

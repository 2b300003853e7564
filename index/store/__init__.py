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

The package: protocol.py (PlanStore, PlanBuild, DocRecord, errors), snapshot.py (Snapshot),
memory.py (InMemoryStore), chroma/ (ChromaStore: store, search, write, generations, migrate,
codec). Everything is imported from here (`from index.store import ChromaStore`).
"""

from index.store.chroma import (
    CHROMA_DATABASE,
    CHUNK_COLLECTION,
    HEARTBEAT_SECONDS,
    LAYOUT,
    LEGACY_CHUNK_COLLECTION_PREFIX,
    META_COLLECTION,
    ORPHAN_GRACE_SECONDS,
    OTHER_VERSIONS_SKIPPED,
    PLAN_VECTORS_KEPT,
    POINTER_ID,
    RECORD_PIECE_CHARS,
    REGISTER_COLLECTION,
    SCOPED_PLANS_EXACT,
    STAGE_CHUNKS,
    ChromaBuild,
    ChromaStore,
    plan_version,
)
from index.store.memory import InMemoryStore, MemoryBuild
from index.store.protocol import (
    ANY_GENERATION,
    RETIRE_GRACE_SECONDS,
    DocRecord,
    PlanBuild,
    PlanStore,
    StaleIndexError,
    UnknownGenerationError,
    meta_from_dict,
)
from index.store.snapshot import PLAN_CACHE_SIZE, Snapshot

__all__ = ["ANY_GENERATION", "CHROMA_DATABASE", "CHUNK_COLLECTION", "HEARTBEAT_SECONDS", "LAYOUT",
           "LEGACY_CHUNK_COLLECTION_PREFIX", "META_COLLECTION", "ORPHAN_GRACE_SECONDS", "OTHER_VERSIONS_SKIPPED",
           "PLAN_CACHE_SIZE", "PLAN_VECTORS_KEPT", "POINTER_ID", "RECORD_PIECE_CHARS", "REGISTER_COLLECTION",
           "RETIRE_GRACE_SECONDS", "SCOPED_PLANS_EXACT", "STAGE_CHUNKS", "ChromaBuild", "ChromaStore", "DocRecord",
           "InMemoryStore", "MemoryBuild", "PlanBuild", "PlanStore", "Snapshot", "StaleIndexError",
           "UnknownGenerationError", "meta_from_dict", "plan_version"]

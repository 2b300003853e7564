"""ChromaStore and its build (see store.py; the record layout is codec.py)."""

from index.store.chroma.codec import (
    CHROMA_DATABASE,
    CHUNK_COLLECTION,
    LAYOUT,
    LEGACY_CHUNK_COLLECTION_PREFIX,
    META_COLLECTION,
    POINTER_ID,
    RECORD_PIECE_CHARS,
    REGISTER_COLLECTION,
    plan_version,
)
from index.store.chroma.generations import HEARTBEAT_SECONDS, ORPHAN_GRACE_SECONDS
from index.store.chroma.search import OTHER_VERSIONS_SKIPPED, PLAN_VECTORS_KEPT, SCOPED_PLANS_EXACT
from index.store.chroma.store import ChromaStore
from index.store.chroma.write import STAGE_CHUNKS, ChromaBuild

__all__ = ["CHROMA_DATABASE", "CHUNK_COLLECTION", "HEARTBEAT_SECONDS", "LAYOUT", "LEGACY_CHUNK_COLLECTION_PREFIX",
           "META_COLLECTION", "ORPHAN_GRACE_SECONDS", "OTHER_VERSIONS_SKIPPED", "PLAN_VECTORS_KEPT", "POINTER_ID",
           "RECORD_PIECE_CHARS", "REGISTER_COLLECTION", "SCOPED_PLANS_EXACT", "STAGE_CHUNKS", "ChromaBuild",
           "ChromaStore", "plan_version"]

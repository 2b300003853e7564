"""Moving an index of layout 1 (a Chroma collection per generation) into the shared layout, once."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from index.models import Chunk
from index.store.chroma.codec import LEGACY_CHUNK_COLLECTION_PREFIX, paged, pages
from index.store.chroma.write import switch
from index.store.protocol import DocRecord, StaleIndexError

if TYPE_CHECKING:  # the store calls this with itself
    from index.store.chroma.store import ChromaStore

log = logging.getLogger("index.store")


def migrate_layout(store: ChromaStore, pointer: dict) -> None:
    """Move an index of layout 1 (a Chroma collection per generation) into the shared layout:
    its current generation's plans are staged once, plan by plan, into a new generation."""
    from chromadb.errors import NotFoundError

    legacy = str(pointer["current_generation"])
    embedder = str(pointer.get("embedder", ""))
    log.warning("the index is in the old layout (a collection per generation); moving generation %s "
                "to the shared layout once", legacy)
    try:
        collection = store.client.get_collection(LEGACY_CHUNK_COLLECTION_PREFIX + legacy, embedding_function=None)
    except NotFoundError:
        return  # another process migrated it and the old collection is gone: re-read the pointer
    docs = [DocRecord.from_json(raw)
            for record_id, raw, _ in paged(store._meta, {"generation": legacy}, ["documents"])
            if record_id.startswith("doc:")]
    build = store.open_build(embedder)
    try:
        for number, record in enumerate(sorted(docs, key=lambda d: d.meta.source), start=1):
            chunks: list[Chunk] = []
            vectors: list = []
            for got in pages(collection, {"source": record.meta.source},
                                   ["documents", "metadatas", "embeddings"]):
                chunks.extend(Chunk.from_metadata(cid, doc, meta) for cid, doc, meta
                              in zip(got["ids"], got["documents"], got["metadatas"], strict=True))
                vectors.extend(got["embeddings"])
            build.stage(record, chunks, vectors)
            log.info("moving the index to the shared layout: %d/%d plans", number, len(docs))
        build.flush()
        switch(store, build, docs, dict(build.staged), expected_generation=legacy)
    except StaleIndexError:
        build.abandon()
        log.info("another process moved the index first")
    except BaseException:
        build.abandon()
        raise

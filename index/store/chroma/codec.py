"""How ChromaStore lays plans out in Chroma: the collections, record ids, and records packed
(chunks as one JSON field, records and register rows compressed, memberships in pieces)."""

from __future__ import annotations

import base64
import calendar
import hashlib
import json
import time
import zlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cached_property

from index.models import Chunk, chunk_source
from index.store.protocol import BATCH, DocRecord

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


@dataclass(frozen=True)
class Membership:
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


def pack_chunk(version: str, chunk: Chunk) -> dict:
    """A chunk as a record of the shared collection: its plan version (what filters use) and the
    chunk itself in one JSON field. Not a Chroma document: Chroma indexes every document for its
    own full-text search, which planbot never uses (tantivy is the lexical index), and that index
    halved the write speed (870 against 1,700 chunks/s, 1024-dim vectors, one idle core)."""
    return {"plan": version, "chunk": chunk.stored_json}


def unpack_chunk(chunk_id: str, meta: dict) -> Chunk:
    data = json.loads(meta["chunk"])
    return Chunk.from_metadata(chunk_id, data.pop("text"), data)


def compressed(text: str) -> str:
    """Text as zlib-compressed base64: ASCII without spaces. Chroma (1.5) writes records of such
    text far faster than records of Vietnamese JSON: an upsert of 8 plan records into a collection
    of 800 took 87 ms with the JSON, 20 ms with it compressed, the cost growing with the records
    already there (the JSON's; bench/bench_chroma_records.py) — and register rows shrink to a
    seventh."""
    return base64.b64encode(zlib.compress(text.encode("utf-8"))).decode("ascii")


def decompressed(packed: str) -> str:
    return zlib.decompress(base64.b64decode(packed)).decode("utf-8")


_PACKED = "z:"  # a document that starts so is compressed (JSON never does)


def packed(document: str) -> str:
    """A plan record or membership piece as the meta collection stores it."""
    return _PACKED + compressed(document)


def unpacked(document: str) -> str:
    """A stored document as written: compressed, or JSON as stored before."""
    return decompressed(document[len(_PACKED):]) if document.startswith(_PACKED) else document


def pack_rows(rows: Sequence[dict]) -> str:
    """A plan's register rows, compressed (about a seventh of their JSON, so of the records)."""
    return compressed(json.dumps(list(rows), ensure_ascii=False))


def unpack_rows(packed: str) -> list[dict]:
    return json.loads(decompressed(packed))


def members_id(generation: str, piece: int) -> str:
    return f"members:{generation}:{piece:05d}"


def split_pieces(items: list) -> list[list]:
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


def record_ids(versions: dict[str, str], chunk_ids: Sequence[str]) -> dict[str, str]:
    """record id -> chunk id, for the chunk ids whose plan (the id's prefix) is a member."""
    out = {}
    for cid in chunk_ids:
        version = versions.get(chunk_source(cid))
        if version is not None:
            out[f"{version}/{cid}"] = cid
    return out


def pages(collection, where: dict | None, include: list[str]) -> Iterator[dict]:
    """Chroma's `get` of every record matching where, BATCH records a page: one get of a whole
    large collection fails in Chroma ("too many SQL variables") and holds it all."""
    offset = 0
    while True:
        got = collection.get(where=where, limit=BATCH, offset=offset, include=include)
        if not got["ids"]:
            return
        yield got
        if len(got["ids"]) < BATCH:
            return
        offset += len(got["ids"])


def paged(collection, where: dict | None, include: list[str]) -> Iterator[tuple]:
    """(id, document, metadata) of every record matching where, a page at a time."""
    for got in pages(collection, where, include):
        ids = got["ids"]
        documents = got.get("documents") or [None] * len(ids)
        metadatas = got.get("metadatas") or [None] * len(ids)
        yield from zip(ids, documents, metadatas, strict=True)


def generation_time(generation: str) -> float:
    """When a generation was started, from its name (UTC); 0 for a name that is not ours."""
    try:
        return float(calendar.timegm(time.strptime(generation[:14], "%Y%m%d%H%M%S")))
    except ValueError:
        return 0.0

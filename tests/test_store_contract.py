"""One contract, three stores: the in-memory fake, embedded Chroma and a real Chroma server
(`chroma run` on 127.0.0.1) must behave the same for ingestion and retrieval."""

from __future__ import annotations

import base64
import hashlib
import json
import subprocess
import sys
import threading
import time
import uuid
import zlib

import numpy as np
import pytest
from chromadb.errors import NotFoundError

from index.models import Chunk, DocumentMeta
from index.store import (
    CHUNK_COLLECTION,
    LEGACY_CHUNK_COLLECTION_PREFIX,
    META_COLLECTION,
    REGISTER_COLLECTION,
    STAGE_CHUNKS,
    ChromaStore,
    DocRecord,
    InMemoryStore,
    PlanStore,
    StaleIndexError,
)
from tests.fakes import ChromaServer

DIM = 16


def plan(source: str, n: int, version: int = 0) -> tuple[DocRecord, list[Chunk]]:
    """A plan of n chunks; every text and the record's hash carry the version, so a snapshot
    that mixed two versions of a plan is visible."""
    meta = DocumentMeta(source=source, title=f"Kế hoạch {source}", province="Hưng Yên", years=(2026,),
                        number="12/KH-UBND" if n % 2 else None, sha256=f"{source}-v{version}")
    chunks = [
        Chunk(chunk_id=f"{source}#I.{i}#0-{version:08x}", source=source, doc_title=meta.title, section=f"I.{i}",
              section_label=f"Mục I, khoản {i}", section_title=f"Nhiệm vụ {i}", ancestors=("I. NHIỆM VỤ",),
              start_line=10 * i, end_line=10 * i + 5, text=f"Nội dung {i} của {source} (phiên bản {version})",
              province="Hưng Yên" if i % 2 else None, year=2026 if i % 2 else None,
              page=i if i % 3 == 0 else None)
        for i in range(1, n + 1)
    ]
    return DocRecord(meta, n, ("thiếu mục II",) if n > 2 else (), ingested_at=1.5), chunks


def vector(chunk_id: str) -> list[float]:
    v = np.random.default_rng(zlib.crc32(chunk_id.encode())).normal(size=DIM)
    return (v / np.linalg.norm(v)).tolist()


def corpus(sizes: dict[str, int], version: int = 0):
    docs, chunks = [], []
    for source, n in sizes.items():
        doc, cs = plan(source, n, version)
        docs.append(doc)
        chunks.extend(cs)
    return docs, chunks, [vector(c.chunk_id) for c in chunks]


def commit(store: PlanStore, sizes: dict[str, int], version: int = 0, **options) -> str:
    docs, chunks, vectors = corpus(sizes, version)
    return store.commit(docs, chunks, vectors, "test-embedder", **options)


def assert_consistent(snap) -> None:
    """Docs and chunks belong together: no plan without its chunks, no chunk of another version."""
    by_source: dict[str, list[Chunk]] = {}
    for c in snap.iter_chunks():
        by_source.setdefault(c.source, []).append(c)
    assert set(by_source) <= set(snap.docs)
    for source, record in snap.docs.items():
        chunks = by_source.get(source, [])
        assert len(chunks) == record.n_chunks, source
        version = record.meta.sha256.rsplit("-v", 1)[1]
        assert all(c.text.endswith(f"(phiên bản {version})") for c in chunks), source


@pytest.fixture(scope="module")
def chroma_server(tmp_path_factory):
    with ChromaServer(tmp_path_factory.mktemp("chroma-server")) as server:
        yield server


class Backend:
    """Opens stores on one backing index; `open()` twice is two processes sharing it."""

    def __init__(self, kind: str, tmp_path, server: ChromaServer | None) -> None:
        self.kind = kind
        self.path = tmp_path / "chroma"
        self.server = server
        self.database = server.database(f"contract-{uuid.uuid4().hex[:12]}") if server else None
        self._memory: InMemoryStore | None = None

    def open(self, **options) -> PlanStore:
        if self.kind == "memory":
            if self._memory is None:
                self._memory = InMemoryStore(**{k: v for k, v in options.items() if k == "retire_grace_seconds"})
            return self._memory
        if self.kind == "embedded":
            return ChromaStore.embedded(self.path, **options)
        return ChromaStore.server(self.server.url, database=self.database, **options)


@pytest.fixture(params=["memory", "embedded", pytest.param("server", marks=pytest.mark.network)])
def backend(request, tmp_path) -> Backend:
    server = request.getfixturevalue("chroma_server") if request.param == "server" else None
    return Backend(request.param, tmp_path, server)


@pytest.fixture(params=["embedded", pytest.param("server", marks=pytest.mark.network)])
def chroma_backend(request, tmp_path) -> Backend:
    server = request.getfixturevalue("chroma_server") if request.param == "server" else None
    return Backend(request.param, tmp_path, server)


def test_an_empty_store_has_no_snapshot(backend):
    assert backend.open().snapshot() is None


def test_commit_round_trips_docs_chunks_and_vectors(backend):
    store = backend.open()
    docs, chunks, vectors = corpus({"b.txt": 3, "a.txt": 4})
    generation = store.commit(docs, chunks, vectors, "test-embedder")
    snap = store.snapshot()
    assert snap.generation == generation
    assert snap.embedder == "test-embedder"
    assert snap.docs == {d.meta.source: d for d in docs}
    # one order for every store: by plan, then by place in the plan
    assert list(snap.iter_chunks()) == sorted(chunks, key=lambda c: (c.source, c.start_line, c.chunk_id))
    assert snap.chunk("a.txt#I.3#0-00000000").page == 3
    assert snap.chunk("a.txt#I.2#0-00000000").province is None
    ids = [c.chunk_id for c in chunks][::-1]
    np.testing.assert_allclose(store.embeddings(generation, ids), [vector(i) for i in ids], atol=1e-6)
    assert store.embeddings(generation, []) == []
    assert_consistent(snap)


def test_dense_search_ranks_filters_and_limits(backend):
    store = backend.open()
    generation = commit(store, {"a.txt": 6, "b.txt": 6, "c.txt": 6})
    target = "b.txt#I.4#0-00000000"
    hits = store.dense_search(generation, vector(target), 5)
    assert len(hits) == 5
    assert hits[0][0] == target
    assert hits[0][1] == pytest.approx(1.0, abs=1e-4)
    assert [s for _, s in hits] == sorted((s for _, s in hits), reverse=True)
    only_a = store.dense_search(generation, vector(target), 4, sources=["a.txt"])
    assert len(only_a) == 4
    assert {cid.split("#")[0] for cid, _ in only_a} == {"a.txt"}
    two = store.dense_search(generation, vector(target), 20, sources=["a.txt", "b.txt"])
    assert {cid.split("#")[0] for cid, _ in two} == {"a.txt", "b.txt"}
    assert two[0][0] == target
    assert store.dense_search(generation, vector(target), 5, sources=[]) == []
    assert len(store.dense_search(generation, vector(target), 100)) == 18


def test_an_empty_generation_is_searchable(backend):
    store = backend.open()
    generation = store.commit([], [], [], "test-embedder")
    assert store.snapshot().generation == generation
    assert store.snapshot().docs == {}
    assert store.dense_search(generation, vector("x"), 5) == []


def test_mismatched_embeddings_are_refused(backend):
    store = backend.open()
    docs, chunks, vectors = corpus({"a.txt": 3})
    with pytest.raises(ValueError, match="3 chunks but 2 embeddings"):
        store.commit(docs, chunks, vectors[:2], "test-embedder")
    assert store.snapshot() is None


def test_a_switch_is_seen_at_once_and_the_old_generation_stays_searchable(backend):
    store = backend.open()
    old = commit(store, {"a.txt": 3, "b.txt": 2})
    assert store.snapshot().generation == old
    new = commit(store, {"a.txt": 4}, version=1)
    snap = store.snapshot()
    assert snap.generation == new  # no stale cache in the process that committed
    assert set(snap.docs) == {"a.txt"}
    assert_consistent(snap)
    # a reader that took the old snapshot just before the switch can still finish its search
    assert store.dense_search(old, vector("b.txt#I.1#0-00000000"), 1)[0][0] == "b.txt#I.1#0-00000000"
    assert len(store.embeddings(old, ["a.txt#I.1#0-00000000"])[0]) == DIM


def test_stale_commits_are_refused(backend):
    writer_a, writer_b = backend.open(), backend.open()
    with pytest.raises(StaleIndexError):
        commit(writer_a, {"a.txt": 2}, expected_generation="20000101000000-deadbeef")
    first = commit(writer_a, {"a.txt": 2}, expected_generation=None)  # None: "the index is empty"
    base = writer_a.snapshot().generation
    assert base == first
    winner = commit(writer_b, {"a.txt": 2, "b.txt": 2}, version=1, expected_generation=base)
    with pytest.raises(StaleIndexError):
        commit(writer_a, {"a.txt": 3}, version=2, expected_generation=base)
    with pytest.raises(StaleIndexError):
        commit(writer_a, {"a.txt": 3}, version=2, expected_generation=None)
    time.sleep(0.6)  # past the readers' refresh interval
    for store in (writer_a, writer_b, backend.open()):
        assert store.snapshot().generation == winner
    if isinstance(writer_a, ChromaStore):  # the refused builds left nothing behind
        assert set(writer_a.generations()) == {first, winner}


def test_retired_generations_go_after_their_grace(backend):
    store = backend.open(retire_grace_seconds=0)
    generations = [commit(store, {"a.txt": 2}, version=v) for v in range(3)]
    assert store.snapshot().generation == generations[-1]
    with pytest.raises((KeyError, NotFoundError)):
        store.embeddings(generations[0], ["a.txt#I.1#0-00000000"])
    # a search that comes far too late finds nothing rather than failing the question
    assert store.dense_search(generations[0], vector("a.txt#I.1#0-00000000"), 3) == []
    if isinstance(store, ChromaStore):
        assert store.generations() == [generations[-1]]
        meta = store.client.get_collection(META_COLLECTION, embedding_function=None)
        left = meta.get(include=["metadatas"])
        assert {m["generation"] for m in left["metadatas"] if "generation" in m} == {generations[-1]}
    kept = InMemoryStore() if backend.kind == "memory" else backend.open(retire_grace_seconds=3600)
    more = [commit(kept, {"a.txt": 2}, version=v) for v in range(3, 5)]
    assert len(kept.embeddings(more[0], ["a.txt#I.1#0-00000003"])) == 1


def test_other_processes_see_the_switch(chroma_backend):
    reader = chroma_backend.open()
    writer = chroma_backend.open()
    assert reader.snapshot() is None
    generation = commit(writer, {"a.txt": 3})
    deadline = time.monotonic() + 3
    while (reader.snapshot() is None or reader.snapshot().generation != generation) and time.monotonic() < deadline:
        time.sleep(0.05)
    snap = reader.snapshot()
    assert snap.generation == generation
    assert snap.docs == writer.snapshot().docs
    assert list(snap.iter_chunks()) == list(writer.snapshot().iter_chunks())


def dead_pid() -> int:
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


def fake_build(store: ChromaStore, generation: str, host: str, pid: int, heartbeat: float) -> None:
    """What a writer leaves behind when it dies mid-build: a build record, its membership, a
    new plan version's record and half of that version's chunks."""
    meta = store.client.get_collection(META_COLLECTION, embedding_function=None)
    version = f"v{generation[-8:]}"
    meta.upsert(ids=[f"build:{generation}"], documents=[""], embeddings=[[1.0]], metadatas=[{
        "generation": generation, "kind": "build", "host": host, "pid": pid, "heartbeat": heartbeat}])
    meta.upsert(ids=[f"members:{generation}:00000"], documents=[json.dumps({"a.txt": version})],
                embeddings=[[1.0]], metadatas=[{"generation": generation, "kind": "members"}])
    meta.upsert(ids=[f"gen:{generation}"], documents=["test-embedder"], embeddings=[[1.0]],
                metadatas=[{"generation": generation, "kind": "gen", "chunks": 2, "plans": 1, "pieces": 1}])
    doc, _ = plan("a.txt", 2, version=9)
    meta.upsert(ids=[f"plan:{version}"], documents=[doc.to_json()], embeddings=[[1.0]],
                metadatas=[{"kind": "plan", "plan": version, "source": "a.txt", "created": heartbeat}])
    chunks = store.client.get_collection(CHUNK_COLLECTION, embedding_function=None)
    chunks.add(ids=[f"{version}/x"], documents=["x"], embeddings=[vector("x")],
               metadatas=[{"source": "a.txt", "plan": version}])


def stored_versions(store: ChromaStore) -> set[str]:
    chunks = store.client.get_collection(CHUNK_COLLECTION, embedding_function=None)
    return {m["plan"] for m in chunks.get(include=["metadatas"])["metadatas"]}


def test_crashed_builds_are_collected_and_live_ones_kept(chroma_backend):
    import socket

    store = chroma_backend.open()
    commit(store, {"a.txt": 2})
    here = socket.gethostname()
    fake_build(store, "20260101000000-deaddead", here, dead_pid(), time.time())  # killed here
    fake_build(store, "20260101000000-5110e500", "other-host", 1, time.time() - 7200)  # silent for 2 h
    fake_build(store, "20260101000000-a11ea11e", "other-host", 1, time.time())  # building elsewhere
    fake_build(store, "20260101000000-a11e0001", here, 1, time.time())  # pid 1 is alive here
    current = commit(store, {"a.txt": 2}, version=1)
    assert "20260101000000-deaddead" not in store.generations()
    assert "20260101000000-5110e500" not in store.generations()
    assert "20260101000000-a11ea11e" in store.generations()
    assert "20260101000000-a11e0001" in store.generations()
    assert store.snapshot().generation == current
    # the dead builds' plan versions went with them; the live builds' stay
    assert {"vdeaddead", "v5110e500"}.isdisjoint(stored_versions(store))
    assert {"va11ea11e", "va11e0001"} <= stored_versions(store)


def test_readers_never_see_a_mix_or_nothing(backend):
    store = backend.open()
    commit(store, {"a.txt": 5, "b.txt": 3})
    readers = [store] if backend.kind == "memory" else [store, backend.open(refresh_seconds=0.0)]
    errors: list[BaseException] = []
    seen: set[str] = set()
    stop = threading.Event()

    def read(reader: PlanStore) -> None:
        while not stop.is_set():
            try:
                snap = reader.snapshot()
                assert snap is not None and snap.docs
                assert_consistent(snap)
                hits = reader.dense_search(snap.generation, vector("a.txt#I.1#0-00000000"), 5)
                assert hits and len(snap.chunks_by_id([cid for cid, _ in hits])) == len(hits)
                seen.add(snap.generation)
            except BaseException as exc:  # collected and reported below
                errors.append(exc)
                return

    threads = [threading.Thread(target=read, args=(r,)) for r in readers for _ in range(2)]
    for t in threads:
        t.start()
    generations = []
    for version in range(1, 7):  # plans change size, appear and go
        sizes = {"a.txt": 5 + version % 3, "b.txt": 3} if version % 2 else {"a.txt": 4, "c.txt": version}
        generations.append(commit(store, sizes, version=version))
        time.sleep(0.05)
    time.sleep(0.3)
    stop.set()
    for t in threads:
        t.join(timeout=30)
    assert not errors, errors[:3]
    assert len(seen) >= 2  # the readers really read across switches
    assert store.snapshot().generation == generations[-1]


def test_large_generation_round_trips_in_batches(chroma_backend):
    store = chroma_backend.open()
    generation = commit(store, {"big.txt": 1234, "small.txt": 1})
    reader = chroma_backend.open()
    snap = reader.snapshot()
    assert snap.generation == generation
    assert snap.n_chunks == 1235 == sum(1 for _ in snap.iter_chunks())
    assert_consistent(snap)
    ids = [c.chunk_id for c in snap.iter_chunks()]
    assert len(reader.embeddings(generation, ids)) == 1235


def test_a_writer_with_a_cached_snapshot_applies_its_changes_on_top_of_another_process(chroma_backend, sample_texts):
    """Two processes ingest into one index (an upload through one API replica while the ingest
    job runs): the first one's snapshot is cached, hence stale; its commit is refused, it re-reads
    the index at once and re-applies its change. Nothing is lost, nothing fails."""
    from index.embedders import HashingEmbedder
    from index.ingest import Ingestor

    replica = chroma_backend.open(refresh_seconds=3600)  # the cache alone would stay stale an hour
    job = chroma_backend.open()
    first = Ingestor(replica, HashingEmbedder()).ingest_texts(
        {"vinh-phuc-2024.txt": sample_texts["vinh-phuc-2024.txt"]}, progress=False)
    job_report = Ingestor(job, HashingEmbedder()).ingest_texts(
        {"hung-yen-2026.txt": sample_texts["hung-yen-2026.txt"]}, progress=False)
    assert replica.snapshot().generation == first.generation  # cached: it has not looked yet
    report = Ingestor(replica, HashingEmbedder()).ingest_texts(
        {"thua-thien-hue-2024.txt": sample_texts["thua-thien-hue-2024.txt"]}, progress=False)
    assert {r.source: r.status for r in report.results} == {"thua-thien-hue-2024.txt": "added"}
    assert report.generation not in (first.generation, job_report.generation)
    for store in (replica, chroma_backend.open()):
        snap = store.snapshot()
        assert snap.generation == report.generation
        assert set(snap.docs) == {"vinh-phuc-2024.txt", "hung-yen-2026.txt", "thua-thien-hue-2024.txt"}
        assert {c.source for c in snap.iter_chunks()} == set(snap.docs)


@pytest.mark.network
def test_a_reader_keeps_its_snapshot_while_the_server_hiccups(tmp_path, caplog):
    """Re-reading the pointer fails (the Chroma server restarts): questions go on being answered
    from the whole generation the reader holds, and the next refresh after it is back succeeds."""
    server = ChromaServer(tmp_path / "chroma")
    with server:
        store = ChromaStore.server(server.url, refresh_seconds=0.0)
        generation = commit(store, {"a.txt": 3})
        held = store.snapshot()
    with caplog.at_level("WARNING"):
        assert store.snapshot() is held  # the server is down: no error, the same snapshot
    assert f"still answering from generation {generation}" in caplog.text
    with ChromaServer(tmp_path / "chroma", port=server.port):  # back, on the same data
        newer = commit(ChromaStore.server(server.url), {"a.txt": 4}, version=1)
        assert store.snapshot().generation == newer


def test_settings_choose_embedded_chroma_by_default(tmp_path):
    from planbot.factory import build_store
    from tests.conftest import make_settings

    settings = make_settings(tmp_path)
    assert settings.chroma_url == ""
    generation = commit(build_store(settings), {"a.txt": 2})
    assert (settings.chroma_path / "chroma.sqlite3").is_file()  # PersistentClient in the data dir
    assert ChromaStore.embedded(settings.chroma_path).snapshot().generation == generation


@pytest.mark.network
def test_settings_choose_the_chroma_server_when_its_url_is_set(tmp_path, chroma_server):
    import chromadb

    from planbot.factory import build_store
    from tests.conftest import make_settings

    settings = make_settings(tmp_path, chroma_url=chroma_server.url)
    generation = commit(build_store(settings), {"a.txt": 2})
    assert not settings.chroma_path.exists()  # nothing embedded in the data dir
    server = chromadb.HttpClient(host="127.0.0.1", port=chroma_server.port)
    assert CHUNK_COLLECTION in {c.name for c in server.list_collections()}
    meta = server.get_collection(META_COLLECTION)
    assert meta.get(ids=[f"gen:{generation}"])["ids"] == [f"gen:{generation}"]


def test_a_commit_stores_only_the_plans_it_changes(chroma_backend):
    """Adding a plan to an index writes that plan's chunks and one membership record: the other
    plans' chunks are neither copied nor rewritten, and a replaced plan's old version is deleted
    once no generation a reader may hold names it."""
    store = chroma_backend.open(retire_grace_seconds=0)
    chunks = store.client.get_collection(CHUNK_COLLECTION, embedding_function=None)
    first = commit(store, {"a.txt": 3, "b.txt": 4})
    before = chunks.get(include=["metadatas"])
    docs, new_chunks, vectors = corpus({"c.txt": 2})
    kept = [store.snapshot().docs["a.txt"], store.snapshot().docs["b.txt"]]
    second = store.commit(kept + docs, new_chunks, vectors, "test-embedder", expected_generation=first,
                          carried=["a.txt", "b.txt"])
    after = chunks.get(include=["metadatas"])
    assert chunks.count() == 9
    assert set(before["ids"]) < set(after["ids"])  # the carried records are the same records
    snap = store.snapshot()
    assert snap.generation == second and set(snap.docs) == {"a.txt", "b.txt", "c.txt"}
    assert_consistent(snap)
    hits = store.dense_search(second, vector("b.txt#I.2#0-00000000"), 3)
    assert hits[0][0] == "b.txt#I.2#0-00000000"
    # a changed plan is a new version; the old one goes with the generation that held it
    docs, new_chunks, vectors = corpus({"a.txt": 5}, version=1)
    kept = [snap.docs["b.txt"], snap.docs["c.txt"]]
    third = store.commit(kept + docs, new_chunks, vectors, "test-embedder", expected_generation=second,
                         carried=["b.txt", "c.txt"])
    commit(store, {"d.txt": 1}, expected_generation=third)  # collects what the grace let go
    assert chunks.count() == 1
    assert store.snapshot().docs.keys() == {"d.txt"}
    with pytest.raises(ValueError, match="not in generation"):
        store.commit(kept, [], [], "test-embedder", expected_generation=store.snapshot().generation,
                     carried=["b.txt"])


def test_searches_skip_other_generations_versions(chroma_backend):
    """While a retired generation is in its grace its plan versions share the collection: a
    search of either generation returns only its own chunks, k of them."""
    store = chroma_backend.open()
    old = commit(store, {"a.txt": 6, "b.txt": 6})
    new = commit(store, {"a.txt": 6, "b.txt": 6}, version=1)
    for generation, version in ((old, 0), (new, 1)):
        hits = store.dense_search(generation, vector(f"a.txt#I.3#0-{version:08x}"), 5)
        assert len(hits) == 5 and hits[0][0] == f"a.txt#I.3#0-{version:08x}"
        assert all(cid.endswith(f"-{version:08x}") for cid, _ in hits)
        assert len(store.dense_search(generation, vector("x"), 100)) == 12
        scoped = store.dense_search(generation, vector("x"), 100, sources=["b.txt"])
        assert {cid for cid, _ in scoped} == {f"b.txt#I.{i}#0-{version:08x}" for i in range(1, 7)}


def test_readers_collect_a_retired_generation_after_its_grace(chroma_backend):
    # A grace long enough that a loaded machine (a Chroma server commit can take a second) still
    # sees the retired generation inside it.
    writer = chroma_backend.open(retire_grace_seconds=3.0)
    reader = chroma_backend.open(retire_grace_seconds=3.0, refresh_seconds=0.0)
    commit(writer, {"a.txt": 4})
    current = commit(writer, {"a.txt": 4}, version=1)
    writer_chunks = writer.client.get_collection(CHUNK_COLLECTION, embedding_function=None)
    assert writer_chunks.count() == 8  # the retired generation is still in its grace
    time.sleep(3.1)
    deadline = time.monotonic() + 10
    while writer_chunks.count() != 4 and time.monotonic() < deadline:
        assert reader.snapshot().generation == current  # the refresh after the grace collects
        time.sleep(0.05)
    assert writer_chunks.count() == 4
    assert writer.generations() == [current]


def test_an_index_of_the_old_layout_is_moved_over_once(chroma_backend):
    """Layout 1 kept a Chroma collection per generation, with `doc:{generation}:{source}` records:
    opening such an index moves it to the shared collection, same chunks, same vectors, and the
    old collection goes after the grace."""
    store = chroma_backend.open(retire_grace_seconds=0)
    client = store.client
    meta = client.get_collection(META_COLLECTION, embedding_function=None)
    legacy = "20250101000000-01d01d01"
    docs, chunks, vectors = corpus({"a.txt": 3, "b.txt": 2})
    old = client.create_collection(LEGACY_CHUNK_COLLECTION_PREFIX + legacy, metadata={"hnsw:space": "cosine"},
                                   embedding_function=None)
    old.add(ids=[c.chunk_id for c in chunks], documents=[c.text for c in chunks],
            metadatas=[c.metadata() for c in chunks], embeddings=vectors)
    meta.upsert(ids=[f"doc:{legacy}:{d.meta.source}" for d in docs], documents=[d.to_json() for d in docs],
                metadatas=[{"generation": legacy, "kind": "doc", "source": d.meta.source} for d in docs],
                embeddings=[[1.0]] * len(docs))
    meta.upsert(ids=["current"], documents=[""], embeddings=[[1.0]], metadatas=[{
        "current_generation": legacy, "embedder": "test-embedder", "updated": time.time(), "previous": ""}])
    snap = chroma_backend.open().snapshot()
    assert snap.generation != legacy and snap.embedder == "test-embedder"
    assert snap.docs == {d.meta.source: d for d in docs}
    assert list(snap.iter_chunks()) == sorted(chunks, key=lambda c: (c.source, c.start_line, c.chunk_id))
    reader = chroma_backend.open()
    ids = [c.chunk_id for c in chunks]
    np.testing.assert_allclose(reader.embeddings(snap.generation, ids), vectors, atol=1e-6)
    assert reader.snapshot().generation == snap.generation  # moved once, not by every process
    commit(store, {"c.txt": 1})
    assert LEGACY_CHUNK_COLLECTION_PREFIX + legacy not in {c.name for c in client.list_collections()}
    assert not meta.get(where={"generation": legacy})["ids"]


def test_plan_records_and_memberships_stored_as_plain_json_still_read(chroma_backend):
    """Plan records and membership pieces are stored compressed; an index written before that
    (the same records as JSON documents) reads as it did."""
    store = chroma_backend.open()
    generation = commit(store, {"a.txt": 2, "b.txt": 1})
    expected = store.snapshot()
    meta = store.client.get_collection(META_COLLECTION, embedding_function=None)
    got = meta.get(where={"kind": {"$in": ["plan", "members"]}}, include=["documents", "metadatas"])
    assert got["ids"] and all(d.startswith("z:") for d in got["documents"])
    plain = [zlib.decompress(base64.b64decode(d[2:])).decode("utf-8") for d in got["documents"]]
    assert all(json.loads(d) for d in plain)
    meta.upsert(ids=got["ids"], documents=plain, metadatas=got["metadatas"], embeddings=[[1.0]] * len(plain))
    reader = chroma_backend.open()
    snap = reader.snapshot()
    assert snap.generation == generation and snap.docs == expected.docs
    assert [c.chunk_id for c in snap.fetch_plan("a.txt")] == [c.chunk_id for c in expected.fetch_plan("a.txt")]


def test_register_rows_round_trip_in_order(backend):
    """A plan's register rows come back whole and in order, however they are stored (in Chroma,
    apart from its record and in pieces); a plan stored without rows says so (None), one with
    none says that too ([])."""
    from dataclasses import replace

    store = backend.open()
    docs, chunks, vectors = corpus({"a.txt": 2, "b.txt": 1, "c.txt": 1})
    rows = tuple({"kind": "deadline", "section": f"I.{i}", "quote": f"Trước ngày {i} báo cáo về Sở Nội vụ " * 3,
                  "ref": hashlib.sha256(str(i).encode()).hexdigest()}  # what compression cannot shrink
                 for i in range(150))
    docs = [replace(docs[0], register=rows), replace(docs[1], register=()), docs[2]]
    generation = store.commit(docs, chunks, vectors, "test-embedder")
    for reader in (store, backend.open()):
        snap = reader.snapshot()
        assert snap.generation == generation
        stored = snap.registers(["a.txt", "b.txt", "c.txt", "missing.txt"])
        assert stored == {"a.txt": list(rows), "b.txt": [], "c.txt": None}
    if isinstance(store, ChromaStore):  # the record stays small: the rows are apart from it
        meta = store.client.get_collection(META_COLLECTION, embedding_function=None)
        records = meta.get(where={"kind": "plan"}, include=["documents"])["documents"]
        assert max(len(r) for r in records) < 2_000
        # the rows are compressed, in small pieces; rows stored before as JSON pieces still read
        registers = store.client.get_collection(REGISTER_COLLECTION, embedding_function=None)
        version = store._membership(generation).versions["a.txt"]
        pieces = registers.get(where={"plan": version}, include=["metadatas"])
        assert 1 < len(pieces["ids"]) < len(rows) / 10
        assert all(len(m["z"]) <= 2_000 and "rows" not in m for m in pieces["metadatas"])
        registers.delete(ids=pieces["ids"])
        registers.upsert(ids=[f"{version}/00000", f"{version}/00001"], embeddings=[[1.0], [1.0]], metadatas=[
            {"plan": version, "n": n, "rows": json.dumps(part, ensure_ascii=False)}
            for n, part in enumerate((list(rows[:70]), list(rows[70:])))])
        assert backend.open().snapshot().registers(["a.txt"]) == {"a.txt": list(rows)}


def test_plans_staged_one_at_a_time_are_committed_together(backend):
    """An ingestion stages each plan as it is read (written in batches, invisible to readers) and
    commits once; another writer's commit and collection meanwhile take nothing of the build."""
    store = backend.open(retire_grace_seconds=0)
    first = commit(store, {"a.txt": 3})
    build = store.open_build("test-embedder")
    staged = []
    sizes = {"b.txt": STAGE_CHUNKS // 2 + 100, "c.txt": STAGE_CHUNKS // 2 + 200, "d.txt": 2}
    for source, n in sizes.items():  # more than one batch (STAGE_CHUNKS)
        docs, chunks, vectors = corpus({source: n})
        build.stage(docs[0], chunks, vectors)
        staged.append(docs[0])
    assert store.snapshot().generation == first  # nothing visible yet
    other = backend.open(retire_grace_seconds=0)
    second = commit(other, {"a.txt": 3, "e.txt": 1}, version=1, expected_generation=first)  # collects too
    with pytest.raises(StaleIndexError):
        store.commit([store.snapshot().docs["a.txt"], *staged], [], [], "test-embedder",
                     expected_generation=first, carried=["a.txt"], build=build)
    build = store.open_build("test-embedder")
    for record in staged:
        _, chunks, vectors = corpus({record.meta.source: record.n_chunks})
        build.stage(record, chunks, vectors)
    snap = store.snapshot()
    assert snap.generation == second
    third = store.commit([snap.docs["a.txt"], snap.docs["e.txt"], *staged], [], [], "test-embedder",
                         expected_generation=second, carried=["a.txt", "e.txt"], build=build)
    for reader in (store, backend.open()):
        snap = reader.snapshot()
        assert snap.generation == third
        assert {s: d.n_chunks for s, d in snap.docs.items()} == {"a.txt": 3, "e.txt": 1, **sizes}
        assert_consistent(snap)
        hit = reader.dense_search(third, vector("c.txt#I.250#0-00000000"), 1)
        assert hit[0][0] == "c.txt#I.250#0-00000000"
    if isinstance(store, ChromaStore):  # the refused build's staged plans went with it
        commit(store, {"z.txt": 1}, expected_generation=third)
        chunks_left = store.client.get_collection(CHUNK_COLLECTION, embedding_function=None)
        assert chunks_left.count() == 1


def test_an_abandoned_build_leaves_nothing(chroma_backend):
    store = chroma_backend.open()
    first = commit(store, {"a.txt": 2})
    build = store.open_build("test-embedder")
    docs, chunks, vectors = corpus({"b.txt": STAGE_CHUNKS + 100})
    build.stage(docs[0], chunks, vectors)
    chunk_collection = store.client.get_collection(CHUNK_COLLECTION, embedding_function=None)
    assert chunk_collection.count() == STAGE_CHUNKS + 102  # written at once (a full batch), not yet visible
    assert build.generation in store.generations()
    build.abandon()
    assert chunk_collection.count() == 2
    assert store.generations() == [first]
    with pytest.raises(RuntimeError, match="abandoned"):
        build.stage(docs[0], chunks, vectors)

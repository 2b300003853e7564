"""Re-indexing loses nothing: readers see the old index or the new one while it runs, and a
`planbot ingest` killed with SIGKILL mid-switch leaves the old index whole; the next run completes."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest

from index.chunking import chunk_plan
from index.embedders import HashingEmbedder
from index.ingest import Ingestor, parse_file_text
from index.store import ANY_GENERATION, InMemoryStore, PlanStore
from planbot import SAMPLE_PLANS_DIR
from planbot.factory import build_app, build_store
from rag.answer import Assistant
from rag.retrieve import Retriever
from tests.conftest import make_settings
from tests.fakes import ChromaServer, free_port
from tests.test_answer import EXAMPLE

TTH_2024 = "thua-thien-hue-2024.txt"


def expected_index(folder: Path) -> tuple[dict[str, list], list[str]]:
    """What a complete index of the folder holds: each plan's hash and chunk count, every chunk id."""
    docs: dict[str, list] = {}
    ids: list[str] = []
    for path in sorted(folder.glob("*.txt")):
        plan = parse_file_text(path.read_text(encoding="utf-8"), path.name)
        chunks = chunk_plan(plan)
        docs[path.name] = [plan.meta.sha256, len(chunks)]
        ids.extend(c.chunk_id for c in chunks)
    return docs, sorted(ids)


@pytest.fixture(scope="module")
def chroma_server(tmp_path_factory):
    with ChromaServer(tmp_path_factory.mktemp("chroma-server")) as server:
        yield server


@pytest.fixture(params=["embedded", pytest.param("server", marks=pytest.mark.network)])
def settings(request, tmp_path):
    chroma_url = request.getfixturevalue("chroma_server").url if request.param == "server" else ""
    return make_settings(tmp_path, chroma_url=chroma_url)


class ReaderLog:
    """What the reader thread did, shared with the test under one condition variable."""

    def __init__(self) -> None:
        self.changed = threading.Condition()
        self.asks = 0
        self.generations: list[str] = []
        self.errors: list[str] = []
        self.empty: list[str] = []
        self.mixed: list[str] = []

    def wait(self, ready, what: str, timeout: float = 120.0) -> None:
        with self.changed:
            assert self.changed.wait_for(lambda: ready() or bool(self.errors), timeout), f"reader never {what}"


class GatedStore:
    """The store the settings chose, whose commit first lets the reader ask at least once more:
    every re-index is then sure to have a question asked while it runs, before its switch."""

    def __init__(self, inner: PlanStore, reader: ReaderLog) -> None:
        self.inner = inner
        self.reader = reader
        self.gated = False

    def snapshot(self):
        return self.inner.snapshot()

    def storage_problem(self):
        return self.inner.storage_problem()

    def embeddings(self, generation, chunk_ids):
        return self.inner.embeddings(generation, chunk_ids)

    def dense_search(self, generation, vector, k, sources=None):
        return self.inner.dense_search(generation, vector, k, sources)

    def open_build(self, embedder):
        return self.inner.open_build(embedder)

    def commit(self, docs, chunks, embeddings, embedder, expected_generation=ANY_GENERATION, carried=(),
               build=None):
        if self.gated:
            with self.reader.changed:
                target = self.reader.asks + 2  # so one of them began after this re-index did
            self.reader.wait(lambda: self.reader.asks >= target, "asked during the re-index")
        return self.inner.commit(docs, chunks, embeddings, embedder, expected_generation, carried, build)


@pytest.mark.slow
def test_a_reader_asking_during_reindexing_never_fails_or_gets_nothing(settings, tmp_path):
    plans = tmp_path / "plans"
    shutil.copytree(SAMPLE_PLANS_DIR, plans)
    log = ReaderLog()
    store = GatedStore(build_store(settings), log)  # the store the settings choose (embedded or server)
    app = build_app(settings, store=store, generator=None)
    assert not app.ingestor.ingest_paths([plans], prune=True, progress=False).errors
    store.gated = True
    # The reader asks through retrieval without the obligations register: the register is
    # re-extracted for every new generation (seconds each); the store's switching is under test.
    reader = Assistant(app.store, Retriever(app.store, app.embedder), None)
    stop = threading.Event()

    def ask_in_a_loop() -> None:
        while not stop.is_set():
            try:
                snap = app.store.snapshot()
                counts: dict[str, int] = {}
                for chunk in snap.iter_chunks():
                    counts[chunk.source] = counts.get(chunk.source, 0) + 1
                answer = reader.ask(EXAMPLE)
                with log.changed:
                    if counts != {s: d.n_chunks for s, d in snap.docs.items()}:
                        log.mixed.append(snap.generation)
                    if answer.abstained or not answer.citations or answer.citations[0].section != "V.2":
                        log.empty.append(answer.answer)
                    log.generations.append(snap.generation)
                    log.asks += 1
                    log.changed.notify_all()
            except Exception as exc:  # counted, reported below
                with log.changed:
                    log.errors.append(repr(exc))
                    log.changed.notify_all()

    thread = threading.Thread(target=ask_in_a_loop)
    thread.start()
    tth = plans / TTH_2024
    statuses = []
    generations = [app.store.snapshot().generation]

    def reindex() -> None:
        report = app.ingestor.ingest_paths([plans], prune=True, progress=False)
        assert not report.errors
        statuses.append({r.source: r.status for r in report.results if r.status != "unchanged"})
        generations.append(report.generation)
        log.wait(lambda: report.generation in log.generations, "asked on the new generation")

    try:
        tth.write_text(tth.read_text(encoding="utf-8") + "\nGhi chú: bản cập nhật lần 1.\n", encoding="utf-8")
        reindex()  # the asked plan's chunks are replaced
        (plans / "hung-yen-2026.txt").unlink()
        reindex()  # a plan goes
        shutil.copy(SAMPLE_PLANS_DIR / "hung-yen-2026.txt", plans)
        vinh_phuc = plans / "vinh-phuc-2024.txt"
        vinh_phuc.write_text(vinh_phuc.read_text(encoding="utf-8") + "\nPhụ lục.\n", encoding="utf-8")
        reindex()  # it comes back while another changes
        tth.write_text(tth.read_text(encoding="utf-8") + "Ghi chú: bản cập nhật lần 2.\n", encoding="utf-8")
        reindex()
    finally:
        stop.set()
        thread.join(timeout=120)
    assert statuses == [
        {TTH_2024: "updated"},
        {"hung-yen-2026.txt": "removed"},
        {"hung-yen-2026.txt": "added", "vinh-phuc-2024.txt": "updated"},
        {TTH_2024: "updated"},
    ]
    assert log.errors == []
    assert log.empty == []
    assert log.mixed == []
    # the reader asked on every generation, old and new, in order: never on anything else
    assert [g for i, g in enumerate(log.generations) if i == 0 or g != log.generations[i - 1]] == generations
    docs, ids = expected_index(plans)
    snap = app.store.snapshot()
    assert {s: [d.meta.sha256, d.n_chunks] for s, d in snap.docs.items()} == docs
    assert sorted(c.chunk_id for c in snap.iter_chunks()) == ids


# --- kill -9 ------------------------------------------------------------------------------------
ROMAN = ["I", "II", "III", "IV", "V"]


def synthetic_plan(number: int, items: int = 13) -> str:
    """A plan with many numbered points: a few hundred chunks, so that storing a generation
    takes several batches (seconds) and a kill after the first one lands mid-switch."""
    lines = ["ỦY BAN NHÂN DÂN", f"KẾ HOẠCH số {number}/KH-UBND",
             f"Thông tin đối ngoại tỉnh Hưng Yên năm {2000 + number}", ""]
    for part, roman in enumerate(ROMAN, start=1):
        lines.append(f"{roman}. NHIỆM VỤ NHÓM {part}")
        for item in range(1, items + 1):
            lines.append(f"{item}. Sở số {item} nhóm {part} thực hiện nhiệm vụ")
            for letter in "abc":
                lines.append(f"{letter}) Báo cáo việc {letter}{item}{part} của kế hoạch {number} "
                             f"trước ngày {item}/{part}/2026.")
    return "\n".join(lines) + "\n"


# Run in a fresh process, as the next `planbot` after the crash would be.
INDEX_STATE = """
import json, sys
from pathlib import Path
from index.store import META_COLLECTION, ChromaStore
store = ChromaStore.embedded(Path(sys.argv[1]))
snap = store.snapshot()
builds = store.client.get_collection(META_COLLECTION, embedding_function=None).get(where={"kind": "build"})
state = {"generation": None, "docs": {}, "chunks": [], "search": None}
if snap is not None:
    first = next(snap.iter_chunks()).chunk_id
    state = {"generation": snap.generation, "chunks": sorted(c.chunk_id for c in snap.iter_chunks()),
             "docs": {s: [d.meta.sha256, d.n_chunks] for s, d in snap.docs.items()},
             "search": store.dense_search(snap.generation, store.embeddings(snap.generation, [first])[0], 1)[0][0]
             == first}
state["generations"] = store.generations()
state["builds"] = sorted(builds["ids"])
print(json.dumps(state))
"""


def index_state(data_dir: Path, env: dict) -> dict:
    done = subprocess.run([sys.executable, "-c", INDEX_STATE, str(data_dir / "chroma")], env=env,
                          capture_output=True, text=True, timeout=120, cwd=Path(__file__).resolve().parent.parent)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


@pytest.mark.slow
def test_kill_9_during_ingest_then_ingest_again(tmp_path):
    plans = tmp_path / "plans"
    plans.mkdir()
    for number in range(5):
        (plans / f"plan-{number:02d}.txt").write_text(synthetic_plan(number), encoding="utf-8")
    data_dir = tmp_path / "data"
    env = {k: v for k, v in os.environ.items() if not k.startswith("PLANBOT_")}
    env.update(PLANBOT_DATA_DIR=str(data_dir), PLANBOT_LLM="none", HF_HUB_OFFLINE="1", ANONYMIZED_TELEMETRY="False")
    planbot = str(Path(sys.executable).parent / "planbot")

    def ingest() -> dict:
        done = subprocess.run([planbot, "ingest", str(plans), "--prune", "--json"], env=env, cwd=tmp_path,
                              capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stderr
        return json.loads(done.stdout)

    first = ingest()
    before_docs, before_ids = expected_index(plans)
    assert len(before_ids) > 1000  # storing a generation takes at least three batches

    # every plan changes: a generation stores only the plans that changed, and this one must be
    # big enough to be killed halfway through
    for number in range(5):
        (plans / f"plan-{number:02d}.txt").write_text(synthetic_plan(number, items=14), encoding="utf-8")
    victim = subprocess.Popen([planbot, "-v", "ingest", str(plans), "--prune"], env=env, cwd=tmp_path,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    progress = []
    for line in victim.stderr:
        progress.append(line)
        stored = re.search(r"stored (\d+) chunks", line)
        if stored and int(stored[1]) >= 500:  # the new generation is half written (1,500 chunks)
            os.kill(victim.pid, signal.SIGKILL)
            break
    victim.wait(timeout=60)
    victim.stderr.close()
    assert victim.returncode == -signal.SIGKILL, "".join(progress[-5:])

    after_kill = index_state(data_dir, env)
    # readers still get the last complete index, untouched
    assert after_kill["generation"] == first["generation"]
    assert after_kill["docs"] == before_docs
    assert after_kill["chunks"] == before_ids
    assert after_kill["search"] is True
    half_built = [g for g in after_kill["generations"] if g != first["generation"]]
    assert len(half_built) == 1  # the kill really landed mid-switch
    assert after_kill["builds"] == [f"build:{half_built[0]}"]

    again = ingest()
    statuses = {f["source"]: f["status"] for f in again["files"]}
    assert set(statuses.values()) == {"updated"}
    final = index_state(data_dir, env)
    docs, ids = expected_index(plans)
    assert final["generation"] == again["generation"]
    assert final["docs"] == docs  # complete: every plan, each with all of its chunks
    assert final["chunks"] == ids
    assert final["search"] is True
    # the crashed build is gone (its writer's pid is dead); the previous generation stays for its grace
    assert final["generations"] == sorted([again["generation"], first["generation"]])
    assert final["builds"] == []


# --- ingestion never drops what it was not asked to drop ---------------------------------------
def test_concurrent_ingestions_keep_both_changes(sample_texts):
    store = InMemoryStore()
    base = Ingestor(store, HashingEmbedder())
    base.ingest_texts({"vinh-phuc-2024.txt": sample_texts["vinh-phuc-2024.txt"]}, progress=False)
    other = Ingestor(store, HashingEmbedder())
    embedded: list[str] = []

    class SwitchedMeanwhile(HashingEmbedder):
        """While this ingestion embeds, another one switches the index."""

        def embed_documents(self, texts: list[str]) -> list[list[float]]:
            embedded.extend(texts)
            if len(embedded) == len(texts):
                other.ingest_texts({"hung-yen-2026.txt": sample_texts["hung-yen-2026.txt"]}, progress=False)
            return super().embed_documents(texts)

    slow = Ingestor(store, SwitchedMeanwhile())
    report = slow.ingest_texts({TTH_2024: sample_texts[TTH_2024]}, progress=False)
    assert {r.source: r.status for r in report.results} == {TTH_2024: "added"}
    assert set(store.snapshot().docs) == {"vinh-phuc-2024.txt", "hung-yen-2026.txt", TTH_2024}
    assert report.generation == store.snapshot().generation
    assert len(embedded) == len(store.snapshot().chunks_of(TTH_2024))  # the retry embedded nothing again


def test_prune_never_empties_the_index_by_mistake(tmp_path):
    store = InMemoryStore()
    ingestor = Ingestor(store, HashingEmbedder())
    plans = tmp_path / "plans"
    shutil.copytree(SAMPLE_PLANS_DIR, plans)
    ingestor.ingest_paths([plans], progress=False)
    everything = set(store.snapshot().docs)
    empty = tmp_path / "empty"
    empty.mkdir()
    report = ingestor.ingest_paths([empty], prune=True, progress=False)
    assert "bỏ qua --prune" in report.errors[0].message
    assert set(store.snapshot().docs) == everything
    one = tmp_path / "one"
    one.mkdir()
    shutil.copy(SAMPLE_PLANS_DIR / TTH_2024, one)
    report = ingestor.ingest_paths([one, tmp_path / "typo"], prune=True, progress=False)
    assert "không xóa kế hoạch nào" in report.errors[0].message
    assert set(store.snapshot().docs) == everything
    report = ingestor.ingest_paths([one], prune=True, progress=False)  # a deliberate prune still works
    assert set(store.snapshot().docs) == {TTH_2024}


def test_a_present_but_unreadable_file_is_not_pruned(tmp_path):
    store = InMemoryStore()
    ingestor = Ingestor(store, HashingEmbedder())
    plans = tmp_path / "plans"
    shutil.copytree(SAMPLE_PLANS_DIR, plans)
    ingestor.ingest_paths([plans], progress=False)
    before = store.snapshot().docs["vinh-phuc-2024.txt"]
    (plans / "vinh-phuc-2024.txt").write_bytes(b"\x00\x01binary" * 100)  # e.g. a half-copied file
    (plans / "hung-yen-2026.txt").unlink()
    report = ingestor.ingest_paths([plans], prune=True, progress=False)
    statuses = {r.source: r.status for r in report.results}
    assert statuses["vinh-phuc-2024.txt"] == "error"
    assert statuses["hung-yen-2026.txt"] == "removed"
    assert store.snapshot().docs["vinh-phuc-2024.txt"] == before


# --- several API processes on one Chroma server ---------------------------------------------------
def start_replica(url: str, data_dir: Path, env: dict, cwd: Path) -> tuple[subprocess.Popen, str]:
    port = free_port()
    replica_env = env | {"PLANBOT_CHROMA_URL": url, "PLANBOT_DATA_DIR": str(data_dir)}
    process = subprocess.Popen([str(Path(sys.executable).parent / "planbot"), "serve", "--port", str(port)],
                               env=replica_env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    return process, f"http://127.0.0.1:{port}"


def wait_ready(client, base: str, process: subprocess.Popen, timeout: float = 180.0) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"replica {base} exited: {process.stderr.read()[-2000:]}")
        try:
            response = client.get(f"{base}/readyz")
            if response.status_code == 200:
                return response.json()
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    raise AssertionError(f"replica {base} not ready after {timeout} s")


def wait_generation(client, base: str, generation: str, timeout: float = 10.0) -> dict:
    deadline = time.monotonic() + timeout
    while True:
        ready = client.get(f"{base}/readyz").json()
        if ready["generation"] == generation or time.monotonic() > deadline:
            return ready
        time.sleep(0.1)


@pytest.mark.slow
@pytest.mark.network
def test_two_api_processes_share_one_index_in_server_mode(tmp_path):
    """Two `planbot serve` processes (own data dirs) on one `chroma run`: a plan uploaded through
    one is answered by the other, and an ingestion by a third process reaches both."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PLANBOT_")}
    env.update(PLANBOT_LLM="none", PLANBOT_ADMIN_KEYS="admin-key", HF_HUB_OFFLINE="1", ANONYMIZED_TELEMETRY="False")
    headers = {"Authorization": "Bearer admin-key"}
    with ChromaServer(tmp_path / "chroma") as server, httpx.Client(headers=headers, timeout=60) as client:
        ingest_job = build_app(make_settings(tmp_path / "job", chroma_url=server.url), generator=None)
        # one plan: each replica extracts the obligations register of every generation it answers from
        first = ingest_job.ingestor.ingest_paths([SAMPLE_PLANS_DIR / TTH_2024], progress=False)
        replicas = [start_replica(server.url, tmp_path / name, env, tmp_path) for name in ("a", "b")]
        try:
            (_, a), (_, b) = replicas
            for process, base in replicas:
                ready = wait_ready(client, base, process)
                assert ready["generation"] == first.generation  # they found the index, none ingested
                assert ready["documents"] == 1
                answer = client.post(f"{base}/v1/ask", json={"question": EXAMPLE}).json()
                assert answer["citations"][0]["source"] == TTH_2024
                assert answer["citations"][0]["section"] == "V.2"

            uploaded = client.post(f"{a}/v1/documents", files={"file": ("plan-07.txt", synthetic_plan(7).encode())})
            assert uploaded.status_code == 201, uploaded.text
            generation = uploaded.json()["generation"]
            assert wait_generation(client, b, generation)["documents"] == 2  # b sees a's upload
            question = {"question": "Sở số 4 nhóm 2 phải báo cáo việc b42 trước ngày nào?", "sources": ["plan-07.txt"]}
            answer = client.post(f"{b}/v1/ask", json=question).json()
            assert not answer["abstained"]
            assert (answer["citations"][0]["source"], answer["citations"][0]["section"]) == ("plan-07.txt", "II.4.b")

            report = ingest_job.ingestor.ingest_texts({}, remove=["plan-07.txt"], progress=False)
            assert [(r.source, r.status) for r in report.results] == [("plan-07.txt", "removed")]
            for _, base in replicas:
                assert wait_generation(client, base, report.generation)["generation"] == report.generation
                sources = [d["source"] for d in client.get(f"{base}/v1/documents").json()["documents"]]
                assert sources == [TTH_2024]
        finally:
            for process, _ in replicas:
                process.terminate()
                process.wait(timeout=30)
                process.stderr.close()

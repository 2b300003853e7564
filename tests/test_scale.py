"""At scale and under faults: a generation of more chunks than SQLite has variables (one `get()`
of a whole generation used to fail there with "too many SQL variables"), 600 plans ingested and
asked in embedded Chroma and by replicas on a Chroma server, and the lexical index's plan-by-plan
catch-up, atomic switch, crash and corruption recovery."""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import numpy as np
import pytest

from index.embedders import HashingEmbedder
from index.lexical import LAYOUT, LexicalIndex
from index.store import ChromaStore, InMemoryStore
from planbot import PROJECT_ROOT
from planbot.factory import build_app
from tests.conftest import make_settings
from tests.test_store_contract import corpus


def small_plan(number: int) -> str:
    """A short plan whose own numbers ("vùng trồng số N") tell it from the others."""
    return textwrap.dedent(f"""\
        ỦY BAN NHÂN DÂN TỈNH HƯNG YÊN
        Số: {number}/KH-UBND
        KẾ HOẠCH
        Phát triển vùng trồng số {number} năm 2026
        I. MỤC ĐÍCH, YÊU CẦU
        1. Mục đích
        Nâng cao chất lượng vùng trồng số {number} trên địa bàn tỉnh.
        II. NHIỆM VỤ
        1. Sở Nông nghiệp và Môi trường
        a) Chủ trì kiểm tra vùng trồng số {number}, báo cáo UBND tỉnh trước ngày 15/{1 + number % 12}/2026.
        b) Phối hợp với Sở Tài chính bố trí kinh phí cho vùng trồng số {number}.
        2. Sở Tài chính
        Bảo đảm kinh phí thực hiện Kế hoạch.
        III. TỔ CHỨC THỰC HIỆN
        Các cơ quan, đơn vị triển khai thực hiện nghiêm túc Kế hoạch này.
        """)


class _FixedQueryEmbedder:
    """Stored vectors are random here: the dense side only has to run, the lexical side finds."""

    name = "random-8"

    def embed_query(self, text: str) -> list[float]:
        return [1.0] * 8

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return [[1.0] * 8 for _ in texts]


@pytest.mark.slow
def test_a_generation_of_33600_chunks_opens_and_answers(tmp_path):
    """600 plans of 56 chunks: one `get()` of the whole generation failed here with "too many SQL
    variables" (SQLite's limit is 32,766); snapshots, fetches and the lexical catch-up page."""
    from index.models import Chunk, DocumentMeta
    from index.store import DocRecord
    from rag.retrieve import Retriever

    docs, chunks = [], []
    for p in range(600):
        source = f"p{p:04d}.txt"
        docs.append(DocRecord(DocumentMeta(source=source, title=f"Kế hoạch {p}", province=None, number=None,
                                           sha256=str(p)), 56))
        chunks += [Chunk(chunk_id=f"{source}#I.{i}#0-{p:08x}", source=source, doc_title=f"Kế hoạch {p}",
                         section=f"I.{i}", section_label=f"Mục I, khoản {i}", section_title="Nhiệm vụ",
                         ancestors=(), start_line=i + 1, end_line=i + 1, text=f"Vùng trồng số {p} mục {i}.")
                   for i in range(56)]
    vectors = np.random.default_rng(0).normal(size=(len(chunks), 8)).astype(np.float32)
    ChromaStore.embedded(tmp_path / "chroma").commit(docs, chunks, vectors, "random-8")

    store = ChromaStore.embedded(tmp_path / "chroma")  # another process opens the index
    snap = store.snapshot()
    assert len(snap.docs) == 600 and snap.n_chunks == 33600
    assert [c.section for c in snap.chunks_of("p0437.txt")][:3] == ["I.0", "I.1", "I.2"]
    assert snap.chunk("p0437.txt#I.5#0-000001b5").text == "Vùng trồng số 437 mục 5."
    retriever = Retriever(store, _FixedQueryEmbedder(), fusion_weight=0.8, lexical=LexicalIndex(tmp_path / "lexical"))
    hits = retriever.search(snap, "vùng trồng số 437 mục 5", k=5)
    assert hits[0].chunk.chunk_id == "p0437.txt#I.5#0-000001b5"
    scoped = retriever.search(snap, "mục 5", sources=["p0512.txt"], k=3)
    assert scoped[0].chunk.chunk_id == "p0512.txt#I.5#0-00000200"


@pytest.mark.slow
def test_600_plans_in_embedded_chroma_answer_and_a_replica_catches_up(tmp_path):
    settings = make_settings(tmp_path)
    embedder = HashingEmbedder(dim=64)
    app = build_app(settings, embedder=embedder, generator=None)
    texts = {f"vung-trong-{n:04d}.txt": small_plan(n) for n in range(1, 601)}
    report = app.ingestor.ingest_texts(texts, progress=False)
    assert not report.errors and len(app.store.snapshot().docs) == 600

    answer = app.assistant.ask("Cơ quan nào chủ trì kiểm tra vùng trồng số 437?", mode="extractive")
    assert not answer.abstained, answer.answer
    assert answer.citations[0].source == "vung-trong-0437.txt"
    assert "Nông nghiệp" in answer.answer
    deadlines = [r for r in app.register.records() if r.source == "vung-trong-0437.txt" and r.due_date]
    assert [r.due_date for r in deadlines][:1] == ["2026-06-15"]  # rows kept with the plan at ingest

    # one plan more: the 600 others are copied in batches, and only the new plan is indexed again
    added = app.ingestor.ingest_texts({"vung-trong-0601.txt": small_plan(601)}, progress=False)
    assert [r.status for r in added.results] == ["added"]
    answer = app.assistant.ask("Cơ quan nào chủ trì kiểm tra vùng trồng số 601?", mode="extractive")
    assert answer.citations[0].source == "vung-trong-0601.txt"

    # another process on the same Chroma with its own data dir builds its lexical index from Chroma
    replica = build_app(make_settings(tmp_path / "replica", data_dir=tmp_path / "replica-data"),
                        store=ChromaStore.embedded(settings.chroma_path), embedder=embedder, generator=None)
    answer = replica.assistant.ask("vùng trồng số 512 do sở nào chủ trì kiểm tra", mode="extractive")
    assert answer.citations and answer.citations[0].source == "vung-trong-0512.txt"


def test_the_lexical_index_follows_generations_plan_by_plan_and_never_mixes_them(tmp_path):
    store = InMemoryStore()
    docs, chunks, vectors = corpus({"a.txt": 3, "b.txt": 2, "c.txt": 4})
    store.commit(docs, chunks, vectors, "test")
    first = store.snapshot()
    lexical = LexicalIndex(tmp_path / "lexical")
    assert lexical.ensure(first) == 3

    docs2, chunks2, vectors2 = corpus({"a.txt": 3}, version=1)  # a.txt changed
    kept, kept_chunks, kept_vectors = corpus({"b.txt": 2, "d.txt": 1})  # b.txt unchanged, d.txt new, c.txt gone
    kept = [first.docs["b.txt"], *[d for d in kept if d.meta.source == "d.txt"]]
    store.commit(docs2 + kept, chunks2 + kept_chunks, vectors2 + kept_vectors, "test")
    second = store.snapshot()
    assert lexical.ensure(second) == 2  # a.txt's new version and d.txt; b.txt's postings are kept

    def found(snap) -> set[str]:
        return {cid for cid, _ in lexical.view(snap).search(["phien", "ban"], 100)}

    assert found(first) == {c.chunk_id for c in chunks}  # a reader still on the old generation
    assert found(second) == {c.chunk_id for c in chunks2 + kept_chunks}
    assert {cid for cid, _ in lexical.view(second).search(["phien"], 100, sources=["b.txt"])} == {
        "b.txt#I.1#0-00000000", "b.txt#I.2#0-00000000"}
    assert lexical.view(second).contains("phien_ban") and not lexical.view(second).contains("khong_co")

    reopened = LexicalIndex(tmp_path / "lexical")  # the next process on this data dir
    assert reopened.has(first.generation) and reopened.has(second.generation)
    assert reopened.ensure(second) == 0


def test_a_corrupt_lexical_index_is_rebuilt_from_the_store_with_a_log_line(tmp_path, caplog, sample_texts):
    settings = make_settings(tmp_path)
    app = build_app(settings, embedder=HashingEmbedder(dim=64), generator=None)
    app.ingestor.ingest_texts(sample_texts, progress=False)
    question = "Cơ quan nào chủ trì tổ chức họp báo định kỳ của tỉnh Hưng Yên năm 2026?"
    expected = app.assistant.ask(question, mode="extractive").to_contract()

    directory = settings.data_dir / "lexical" / LAYOUT
    for path in directory.iterdir():
        if path.is_file():
            path.write_bytes(b"\x00garbage")
    with caplog.at_level(logging.WARNING):
        fresh = build_app(settings, store=ChromaStore.embedded(settings.chroma_path),
                          embedder=HashingEmbedder(dim=64), generator=None)
        assert fresh.assistant.ask(question, mode="extractive").to_contract() == expected
    assert any("lexical index" in r.getMessage() and "rebuilding" in r.getMessage() for r in caplog.records)


KILLED_MID_UPDATE = """
import sys, time
from pathlib import Path
from index.lexical import LexicalIndex
from index.store import ChromaStore, Snapshot

fetch = Snapshot.fetch_plan
def slow_fetch(self, source):
    print("fetched", source, flush=True)
    time.sleep(0.2)
    return fetch(self, source)
Snapshot.fetch_plan = slow_fetch
store = ChromaStore.embedded(Path(sys.argv[1]))
LexicalIndex(Path(sys.argv[2])).ensure(store.snapshot())
print("done", flush=True)
"""


def test_kill_9_during_a_lexical_update_leaves_the_previous_version_readable(tmp_path):
    store = ChromaStore.embedded(tmp_path / "chroma")
    docs, chunks, vectors = corpus({"a.txt": 3, "b.txt": 2})
    store.commit(docs, chunks, vectors, "test")
    first = store.snapshot()
    lexical = LexicalIndex(tmp_path / "lexical")
    lexical.ensure(first)
    before = lexical.view(first).search(["phien", "ban", "noi_dung"], 100)
    del lexical

    more = {f"p{n:02d}.txt": 2 for n in range(20)}
    docs2, chunks2, vectors2 = corpus(more | {"a.txt": 3, "b.txt": 2})
    store.commit(docs2, chunks2, vectors2, "test")
    second = store.snapshot()
    env = dict(os.environ, PYTHONPATH=str(PROJECT_ROOT))
    child = subprocess.Popen([sys.executable, "-c", KILLED_MID_UPDATE, str(tmp_path / "chroma"),
                              str(tmp_path / "lexical")], stdout=subprocess.PIPE, text=True, env=env)
    fetched = 0
    for line in child.stdout:
        assert not line.startswith("done")
        fetched += line.startswith("fetched")
        if fetched == 5:  # five plans written to the index's heap, nothing committed
            os.kill(child.pid, signal.SIGKILL)
            break
    child.wait(timeout=60)
    child.stdout.close()
    assert child.returncode == -signal.SIGKILL

    after = LexicalIndex(tmp_path / "lexical")
    assert after.has(first.generation) and not after.has(second.generation)
    assert after.view(first).search(["phien", "ban", "noi_dung"], 100) == before
    assert after.ensure(second) == 20  # and the next catch-up completes
    assert len(after.view(second).search(["phien"], 100)) == len(chunks2)


def test_the_lexical_index_lives_in_the_data_dir(tmp_path: Path):
    settings = make_settings(tmp_path)
    app = build_app(settings, embedder=HashingEmbedder(dim=64), generator=None)
    app.ingestor.ingest_texts({"vung-trong-0001.txt": small_plan(1)}, progress=False)
    assert (settings.data_dir / "lexical" / LAYOUT / "meta.json").exists()


def test_two_processes_on_one_data_dir_index_each_plan_once(tmp_path):
    store = InMemoryStore()
    docs, chunks, vectors = corpus({f"p{n}.txt": 3 for n in range(12)})
    store.commit(docs, chunks, vectors, "test")
    snap = store.snapshot()
    first, second = LexicalIndex(tmp_path / "lexical"), LexicalIndex(tmp_path / "lexical")

    added: list[int] = []
    threads = [threading.Thread(target=lambda index=index: added.append(index.ensure(snap)))
               for index in (first, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(added) == [0, 12]  # one indexed the plans, the other found them done
    hits = [cid for cid, _ in second.view(snap).search(["phien"], 100)]
    assert sorted(hits) == sorted(c.chunk_id for c in chunks)  # each chunk once


@pytest.mark.slow
@pytest.mark.network
def test_two_api_processes_on_one_chroma_server_at_500_plans(tmp_path):
    """Two `planbot serve` processes (own data dirs, so own lexical indexes) on one `chroma run`
    holding 500 plans: both build their lexical index from Chroma and answer; a plan added by a
    third process is caught up plan by plan and answered by both."""
    import httpx

    from tests.fakes import ChromaServer
    from tests.test_reindex import start_replica, wait_generation, wait_ready

    env = {k: v for k, v in os.environ.items() if not k.startswith("PLANBOT_")}
    env.update(PLANBOT_LLM="none", PLANBOT_ASK_KEYS="ask-key", HF_HUB_OFFLINE="1", ANONYMIZED_TELEMETRY="False")
    with ChromaServer(tmp_path / "chroma") as server, \
            httpx.Client(headers={"Authorization": "Bearer ask-key"}, timeout=120) as client:
        job = build_app(make_settings(tmp_path / "job", chroma_url=server.url), generator=None)
        report = job.ingestor.ingest_texts({f"vung-trong-{n:04d}.txt": small_plan(n) for n in range(1, 501)},
                                           progress=False)
        assert not report.errors
        replicas = [start_replica(server.url, tmp_path / name, env, tmp_path) for name in ("a", "b")]
        try:
            for process, base in replicas:
                assert wait_ready(client, base, process)["documents"] == 500
                answer = client.post(f"{base}/v1/ask", json={
                    "question": "Cơ quan nào chủ trì kiểm tra vùng trồng số 437?", "mode": "extractive"}).json()
                assert answer["citations"][0]["source"] == "vung-trong-0437.txt", answer

            added = job.ingestor.ingest_texts({"vung-trong-0501.txt": small_plan(501)}, progress=False)
            for _, base in replicas:
                assert wait_generation(client, base, added.generation, timeout=60)["documents"] == 501
                answer = client.post(f"{base}/v1/ask", json={
                    "question": "Cơ quan nào chủ trì kiểm tra vùng trồng số 501?", "mode": "extractive"}).json()
                assert answer["citations"][0]["source"] == "vung-trong-0501.txt", answer
        finally:
            for process, _ in replicas:
                process.terminate()
                process.wait(timeout=30)
                process.stderr.close()


def test_a_refusal_names_a_few_plans_of_a_large_archive():
    from rag.scope import AVAILABLE_SHOWN, available_plans

    docs, _, _ = corpus({f"p{n:02d}.txt": 1 for n in range(40)})
    listed = available_plans(docs)
    assert listed.count(";") == AVAILABLE_SHOWN and listed.endswith(f"và {40 - AVAILABLE_SHOWN} kế hoạch khác")
    assert available_plans(docs[:2]).count(";") == 1


def test_the_mean_idf_walks_every_term_a_prefix_at_a_time(sample_texts):
    """rank-bm25's mean idf is summed over the vocabulary a prefix at a time (the whole vocabulary
    in one list cost hundreds of MB at 2,000 plans): the prefixes must reach every indexed term,
    OCR'd plans' odd characters included, and give the one-walk mean."""
    from index.ingest import Ingestor
    from index.lexical import TERM_PREFIXES

    store = InMemoryStore()
    Ingestor(store, HashingEmbedder()).ingest_texts(dict(sample_texts), progress=False)
    lexical = LexicalIndex()
    snap = store.snapshot()
    view = lexical.view(snap)
    searcher = lexical._index.searcher()
    whole = searcher.terms_with_prefix("terms", "")
    assert sum(len(searcher.terms_with_prefix("terms", p)) for p in TERM_PREFIXES) == len(whole)
    expected = sum(view._raw_idf(df) for _, df in whole if df > 0) / len(whole)
    assert view.average_idf == pytest.approx(expected, rel=1e-12)


@pytest.mark.slow
def test_a_plan_among_copies_is_answered_as_when_alone(tmp_path):
    """Forty plans, the samples and copies of them under other provinces and years: a question that
    names its plan by province and year is answered from the same section as with the four sample
    plans alone. The words that chose the plan (a province named by one plan in forty) must not
    pull the answer to the passages that repeat them (the preamble)."""
    from eval.replicate import replicated_corpus

    questions = [
        "Phương châm triển khai công tác thông tin đối ngoại được nêu trong kế hoạch năm 2024 của tỉnh Vĩnh Phúc là gì?",
        "Theo Kế hoạch thông tin đối ngoại tỉnh Hưng Yên năm 2026, các cơ quan, đơn vị phải báo cáo kết quả "
        "hoạt động trước ngày nào?",
    ]
    sections = {}
    for scale in (1, 10):
        settings = make_settings(tmp_path / f"x{scale}")
        app = build_app(settings, store=InMemoryStore(), embedder=HashingEmbedder(), generator=None)
        app.ingestor.ingest_texts(replicated_corpus(scale), progress=False)
        assert len(app.store.snapshot().docs) == 4 * scale
        sections[scale] = [[(c.source, c.section) for c in app.assistant.ask(q, mode="extractive").citations][:1]
                           for q in questions]
    assert sections[10] == sections[1]
    assert sections[1][0] == [("vinh-phuc-2024.txt", "II.1")]

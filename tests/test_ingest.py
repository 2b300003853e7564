"""Ingestion: bad files get clear messages, good files still go in, the index is never half-written."""

from __future__ import annotations

import shutil
import unicodedata

import pytest

from index.embedders import HashingEmbedder
from index.ingest import IngestError, Ingestor, decode_plan_bytes
from index.store import ChromaStore, InMemoryStore
from lang.normalize import clean_text
from planbot import SAMPLE_PLANS_DIR

PLAN = "KẾ HOẠCH\nThông tin đối ngoại tỉnh Hưng Yên năm 2030\nI. NHIỆM VỤ\n1. Sở Tài chính\n- Bố trí kinh phí.\n"


def to_cp1258(text: str) -> bytes:
    """Windows-1258 keeps â ê ô ơ ư ă đ precomposed and tones as combining marks."""
    clusters: list[list[str]] = []  # [base with its shape marks, tone marks]
    for ch in unicodedata.normalize("NFD", text):
        if clusters and unicodedata.combining(ch):
            if ch in TONES:
                clusters[-1][1] += ch
            else:
                clusters[-1][0] = unicodedata.normalize("NFC", clusters[-1][0] + ch)
        else:
            clusters.append([ch, ""])
    return "".join(base + tones for base, tones in clusters).encode("cp1258")


TONES = "\u0300\u0301\u0303\u0309\u0323"


def test_decodes_utf8_bom_utf16_and_cp1258():
    assert decode_plan_bytes(("\ufeff" + PLAN).encode("utf-8")) == PLAN
    assert decode_plan_bytes(PLAN.encode("utf-16")) == PLAN
    # cp1258 text decodes to the same words once normalised (tones arrive as combining marks)
    assert clean_text(decode_plan_bytes(to_cp1258(PLAN))) == PLAN


@pytest.mark.parametrize(("data", "fragment"), [
    (b"", "rỗng"),
    (b"   \n\n ", "rỗng"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "nhị phân"),
])
def test_bad_bytes_are_refused_in_vietnamese(data, fragment):
    with pytest.raises(IngestError, match=fragment):
        decode_plan_bytes(data, "x.txt")


@pytest.fixture
def mixed_dir(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(SAMPLE_PLANS_DIR / "vinh-phuc-2024.txt", folder)
    (folder / "empty.txt").write_bytes(b"")
    (folder / "image.txt").write_bytes(b"\x00\x01\x02binary\x00" * 100)
    (folder / "old.doc").write_bytes(b"\xd0\xcf\x11\xe0")
    (folder / "cp1258.txt").write_bytes(to_cp1258(PLAN.replace("Hưng Yên", "Nghệ An")))
    big = folder / "huge.txt"
    with big.open("wb") as fh:  # 50 MB, sparse-ish write
        fh.write(b"a" * (50 * 1_048_576))
    return folder


def test_mixed_directory_ingests_good_files_and_reports_each_bad_one(mixed_dir):
    store = InMemoryStore()
    report = Ingestor(store, HashingEmbedder()).ingest_paths([mixed_dir], progress=False)
    status = {r.source: (r.status, r.message) for r in report.results}
    assert status["vinh-phuc-2024.txt"][0] == "added"
    assert status["cp1258.txt"][0] == "added"
    assert "rỗng" in status["empty.txt"][1]
    assert "nhị phân" in status["image.txt"][1]
    assert "DOCX" in status["old.doc"][1]
    assert "quá lớn" in status["huge.txt"][1]
    assert set(store.snapshot().docs) == {"vinh-phuc-2024.txt", "cp1258.txt"}


def test_missing_path_is_reported(tmp_path):
    report = Ingestor(InMemoryStore(), HashingEmbedder()).ingest_paths([tmp_path / "nope"], progress=False)
    assert report.errors
    assert "không tìm thấy" in report.errors[0].message


def test_incremental_reingest_does_no_work_and_changes_replace(tmp_path):
    store = InMemoryStore()
    folder = tmp_path / "plans"
    shutil.copytree(SAMPLE_PLANS_DIR, folder)
    ingestor = Ingestor(store, HashingEmbedder())
    first = ingestor.ingest_paths([folder], progress=False)
    again = ingestor.ingest_paths([folder], progress=False)
    assert again.generation == first.generation
    assert {r.status for r in again.results} == {"unchanged"}
    plan = folder / "vinh-phuc-2024.txt"
    plan.write_text(plan.read_text(encoding="utf-8") + "\nPhụ lục bổ sung.\n", encoding="utf-8")
    changed = ingestor.ingest_paths([folder], progress=False)
    assert {r.source: r.status for r in changed.results}["vinh-phuc-2024.txt"] == "updated"
    assert changed.generation != first.generation
    plan.unlink()
    pruned = ingestor.ingest_paths([folder], prune=True, progress=False)
    assert {r.source: r.status for r in pruned.results}["vinh-phuc-2024.txt"] == "removed"
    assert "vinh-phuc-2024.txt" not in store.snapshot().docs
    assert not [c for c in store.snapshot().iter_chunks() if c.source == "vinh-phuc-2024.txt"]


def test_failed_commit_leaves_the_previous_index(tmp_path):
    store = ChromaStore.embedded(tmp_path / "chroma")
    ingestor = Ingestor(store, HashingEmbedder())
    ingestor.ingest_paths([SAMPLE_PLANS_DIR / "vinh-phuc-2024.txt"], progress=False)
    before = store.snapshot()

    class Exploding(HashingEmbedder):
        def embed_documents(self, texts):
            raise RuntimeError("disk full")

    broken = Ingestor(store, Exploding())
    broken.embedder.name = HashingEmbedder().name
    with pytest.raises(RuntimeError):
        broken.ingest_paths([SAMPLE_PLANS_DIR / "hung-yen-2026.txt"], progress=False)
    after = ChromaStore(store.client).snapshot()
    assert after.generation == before.generation
    assert set(after.docs) == {"vinh-phuc-2024.txt"}


def test_plans_are_stored_as_they_are_read_and_a_failure_leaves_nothing_behind(tmp_path, caplog):
    """Each plan is staged into the store's build as soon as it is read (the store writes while
    the next plans are read; vectors are not all held until the end). A store failing half-way
    leaves the previous index as it was, and the staged plans are dropped."""
    from index.store import CHUNK_COLLECTION

    store = ChromaStore.embedded(tmp_path / "chroma")
    ingestor = Ingestor(store, HashingEmbedder())
    ingestor.ingest_paths([SAMPLE_PLANS_DIR / "vinh-phuc-2024.txt"], progress=False)
    before = store.snapshot()
    chunk_collection = store.client.get_collection(CHUNK_COLLECTION, embedding_function=None)
    stored_before = chunk_collection.count()
    events = []
    real_open = store.open_build

    def open_build(embedder):
        build = real_open(embedder)
        real_stage, real_flush = build.stage, build.flush

        def stage(record, chunks, embeddings):
            events.append(("stage", record.meta.source))
            return real_stage(record, chunks, embeddings)

        def flush():
            events.append(("flush", len(build.staged)))
            if len(build.staged) >= 2:
                raise OSError("disk full")
            real_flush()

        build.stage, build.flush = stage, flush
        return build

    store.open_build = open_build
    with caplog.at_level("INFO"), pytest.raises(OSError, match="disk full"):
        ingestor.ingest_paths([SAMPLE_PLANS_DIR], progress=False)
    assert events[0] == ("stage", "hung-yen-2026.txt")  # staged as read, in the order given
    assert ("stage", "vinh-phuc-2024.txt") not in events  # unchanged: carried, not staged
    after = ChromaStore(store.client).snapshot()
    assert after.generation == before.generation and set(after.docs) == {"vinh-phuc-2024.txt"}
    assert chunk_collection.count() == stored_before  # what was staged went with the build
    del store.open_build
    report = ingestor.ingest_paths([SAMPLE_PLANS_DIR], progress=False)  # and again, it completes
    assert {r.status for r in report.results} == {"added", "unchanged"}
    assert set(store.snapshot().docs) == {p.name for p in SAMPLE_PLANS_DIR.glob("*.txt")}


def test_plans_read_by_an_older_plan_model_are_read_again_on_unchanged_files():
    from dataclasses import replace

    store = InMemoryStore()
    ingestor = Ingestor(store, HashingEmbedder())
    ingestor.ingest_texts({"hy.txt": PLAN}, progress=False)
    snap = store.snapshot()
    old = snap.docs["hy.txt"]
    stale = replace(old, meta=replace(old.meta, years=(), model_version=0))  # as an older release stored it
    chunks = snap.chunks_of("hy.txt")
    store.commit([stale], chunks, store.embeddings(snap.generation, [c.chunk_id for c in chunks]),
                 snap.embedder)
    report = ingestor.ingest_texts({"hy.txt": PLAN}, progress=False)
    assert [r.status for r in report.results] == ["updated"]
    assert store.snapshot().docs["hy.txt"].meta.years == (2030,)
    again = ingestor.ingest_texts({"hy.txt": PLAN}, progress=False)
    assert [r.status for r in again.results] == ["unchanged"]

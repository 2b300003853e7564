"""Incremental, atomic ingestion of plan files into a PlanStore."""

from __future__ import annotations

import hashlib
import logging
import sys
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np

from index.embedders import Embedder, HashingEmbedder
from index.errors import IngestError
from index.lexical import LexicalIndex
from index.models import Chunk, ParsedPlan
from index.parsing import ParseFailure, read_plans, worker_count
from index.readers import IMAGE_SUFFIXES, TesseractOcr, build_readers
from index.readers.ocr import ocr_needed
from index.store import DocRecord, PlanStore, StaleIndexError
from index.structure import PLAN_MODEL_VERSION, parse_plan
from planbot.messages import message
from planbot.scratch import remove_stale_scratch

log = logging.getLogger(__name__)

TEXT_SUFFIXES = {".txt", ".md", ".text"}
# A commit refused because another writer switched the index first is re-applied on top of it.
COMMIT_ATTEMPTS = 3
# Office formats people send that are not read: they are told to save the file as DOCX or PDF.
LEGACY_SUFFIXES = (".doc", ".odt", ".rtf", ".docm", ".dot", ".dotx", ".wpd", ".pages")
# What index/readers reads (the suffixes of build_readers).
READER_SUFFIXES = (".docx", ".pdf", *IMAGE_SUFFIXES)


def decode_plan_bytes(data: bytes, name: str = "tệp") -> str:
    """Decode UTF-8 (with or without BOM), UTF-16 (BOM) or Windows-1258; refuse binary files."""
    if not data.strip():
        raise IngestError(f"{name}: tệp rỗng, không có nội dung để lập chỉ mục")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise IngestError(f"{name}: tệp UTF-16 bị hỏng ({exc.reason})") from exc
    sample = data[:65536]
    if b"\x00" in sample:
        raise IngestError(f"{name}: đây là tệp nhị phân, không phải văn bản kế hoạch")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            # Windows-1258 is the legacy Vietnamese code page of many older Word exports.
            text = data.decode("cp1258")
        except UnicodeDecodeError as exc:
            raise IngestError(
                f"{name}: không đọc được bảng mã của tệp (không phải UTF-8, UTF-16 hay Windows-1258)"
            ) from exc
    controls = sum(1 for ch in text[:65536] if ord(ch) < 32 and ch not in "\n\r\t\f")
    if controls > max(10, len(text[:65536]) // 100):
        raise IngestError(f"{name}: tệp chứa nhiều ký tự điều khiển, có vẻ là tệp nhị phân")
    if not text.strip():
        raise IngestError(f"{name}: tệp rỗng, không có nội dung để lập chỉ mục")
    return text


def read_plan_file(path: Path, max_bytes: int,
                   readers: Mapping[str, Callable[[Path], str]] | None = None) -> str:
    """The plan text of a file: text files decoded here, DOCX/PDF/images through `readers`
    (by default the readers of index/readers with Tesseract's `vie` model)."""
    suffix = path.suffix.lower()
    if suffix in LEGACY_SUFFIXES:
        raise IngestError(message("reader_legacy_format", name=path.name, suffix=suffix))
    if suffix in READER_SUFFIXES and (readers is None or suffix in readers):
        if readers is None:
            readers = build_readers(TesseractOcr(), max_bytes)
        return readers[suffix](path)
    if suffix not in TEXT_SUFFIXES:
        supported = ", ".join(sorted(TEXT_SUFFIXES | set(READER_SUFFIXES)))
        raise IngestError(message("reader_unknown_format", name=path.name, suffix=suffix or "(không có phần mở rộng)",
                                  supported=supported))
    size = path.stat().st_size
    if size > max_bytes:
        raise IngestError(
            f"{path.name}: tệp quá lớn ({size / 1_048_576:.1f} MB, giới hạn {max_bytes / 1_048_576:.0f} MB)"
        )
    return decode_plan_bytes(path.read_bytes(), path.name)


def discover(paths: Iterable[Path]) -> tuple[list[Path], list[tuple[str, str]]]:
    """Files to ingest (folders walked recursively, hidden files skipped) and paths that do not exist."""
    files: list[Path] = []
    missing: list[tuple[str, str]] = []
    for path in paths:
        if path.is_dir():
            files.extend(p for p in sorted(path.rglob("*")) if p.is_file() and not p.name.startswith("."))
        elif path.is_file():
            files.append(path)
        else:
            missing.append((str(path), f"{path}: không tìm thấy tệp hoặc thư mục"))
    return files, missing


@dataclass
class FileResult:
    source: str
    status: str  # added | updated | unchanged | removed | error
    message: str = ""
    chunks: int = 0


@dataclass
class IngestReport:
    results: list[FileResult] = field(default_factory=list)
    generation: str | None = None
    seconds: float = 0.0

    @property
    def errors(self) -> list[FileResult]:
        return [r for r in self.results if r.status == "error"]

    @property
    def changed(self) -> bool:
        return any(r.status in ("added", "updated", "removed") for r in self.results)


def parse_file_text(text: str, source: str) -> ParsedPlan:
    sha = hashlib.sha256(text.encode("utf-8")).hexdigest()
    return parse_plan(text, source, sha)


class Ingestor:
    """Ingests files into a store with one embedder; unchanged files (same content hash) cost nothing."""

    def __init__(self, store: PlanStore, embedder: Embedder, max_file_bytes: int = 20 * 1_048_576,
                 readers: dict[str, Callable[[Path], str]] | None = None, lexical: LexicalIndex | None = None,
                 workers: int = 0) -> None:
        self.store = store
        self.workers = workers  # processes reading plans at once; 0 = one per CPU core (at most 4)
        self.lexical = lexical  # brought up to each generation this ingestor commits
        self.embedder = embedder
        self.max_file_bytes = max_file_bytes
        self.readers = readers  # None: the default readers (Tesseract `vie`) for DOCX, PDF and images
        self._text_readers: dict[str, Callable[[Path], str]] | None = None

    def read(self, path: Path) -> str:
        """A plan file's text, OCR included: what `ingest_paths` indexes."""
        return read_plan_file(path, self.max_file_bytes, self.readers)

    def read_without_ocr(self, path: Path) -> str:
        """Text, DOCX and text-layer PDF files, read now; raises OcrNeeded (index.readers) for an
        image or a PDF with a page that needs OCR, which `read` then reads (slowly)."""
        if self._text_readers is None:
            self._text_readers = build_readers(None, self.max_file_bytes, progress=False)
        return read_plan_file(path, self.max_file_bytes, self._text_readers)

    def require_ocr(self, path: Path) -> None:
        """Raise OcrUnavailable, naming the Debian packages, unless the reader of this file can
        run OCR here (Tesseract with its language data; poppler for a PDF)."""
        suffix = path.suffix.lower()
        if self.readers is None:
            ocr = TesseractOcr()
        else:
            reader = self.readers.get(suffix)
            if reader is None or not hasattr(reader, "ocr"):
                return  # a reader of its own (or none): reading will say what is wrong
            ocr = reader.ocr
        if ocr is None:
            raise ocr_needed(path.name)
        ocr.require(path.name, pdf=suffix == ".pdf")

    def ingest_paths(self, paths: Iterable[Path], prune: bool = False, progress: bool | None = None) -> IngestReport:
        remove_stale_scratch()  # /dev/shm spools and uploads of killed runs would hold RAM for good
        paths = list(paths)
        files, missing = discover(paths)
        if prune and missing:
            # A mistyped folder must not wipe the plans it holds from the index.
            log.warning("not pruning: %d of the given paths do not exist", len(missing))
            missing = [(p, message("prune_skipped_missing", error=msg)) for p, msg in missing]
            prune = False
        report = IngestReport(results=[FileResult(p, "error", msg) for p, msg in missing])
        if prune and not files:
            # An empty folder (an unset bind mount, say) would otherwise remove every plan.
            log.warning("not pruning: no files under %s", ", ".join(map(str, paths)))
            report.results.append(FileResult(", ".join(map(str, paths)), "error",
                                             message("prune_refused_empty", paths=", ".join(map(str, paths)))))
            prune = False
        texts: dict[str, str] = {}
        seen: dict[str, Path] = {}
        for path in files:
            if path.name in seen:
                report.results.append(FileResult(path.name, "error",
                                                 f"{path}: trùng tên tệp với {seen[path.name]}; tên tệp là khóa trích dẫn"))
                continue
            seen[path.name] = path
            try:
                texts[path.name] = self.read(path)
            except IngestError as exc:
                report.results.append(FileResult(path.name, "error", str(exc)))
            except OSError as exc:
                report.results.append(FileResult(path.name, "error", f"{path.name}: không đọc được tệp ({exc.strerror})"))
            except Exception as exc:  # a reader's bug on one odd file must not stop the others
                log.exception("reading %s failed", path)
                report.results.append(FileResult(path.name, "error", message("reader_failed", name=path.name,
                                                                             detail=type(exc).__name__)))
        return self.ingest_texts(texts, prune=prune, progress=progress, report=report)

    def ingest_texts(self, texts: dict[str, str], prune: bool = False, progress: bool | None = None,
                     report: IngestReport | None = None, remove: Iterable[str] = ()) -> IngestReport:
        """Index {source: text}; keep other plans unless prune; drop the sources in remove.

        Plans whose file could not be read this time (errors already in `report`) are kept even
        with prune: a file that is there but unreadable is not a removed file."""
        started = time.perf_counter()
        report = report or IngestReport()
        earlier = list(report.results)
        protected = {r.source for r in earlier if r.status == "error"}
        show = sys.stderr.isatty() if progress is None else progress
        vectors: dict[str, np.ndarray] = {}  # survives a retry: nothing is embedded twice
        for attempt in range(1, COMMIT_ATTEMPTS + 1):
            report.results = list(earlier)
            try:
                self._apply(texts, prune, set(remove), protected, report, show, vectors)
                break
            except StaleIndexError:
                if attempt == COMMIT_ATTEMPTS:
                    raise
                log.warning("another ingestion switched the index meanwhile; applying these changes "
                            "on top of it (attempt %d of %d)", attempt + 1, COMMIT_ATTEMPTS)
        report.seconds = time.perf_counter() - started
        return report

    def _apply(self, texts: dict[str, str], prune: bool, remove: set[str], protected: set[str],
               report: IngestReport, show: bool, vectors: dict[str, np.ndarray]) -> None:
        snap = self.store.snapshot()
        old_docs = dict(snap.docs) if snap else {}
        reembed = snap is not None and snap.embedder != self.embedder.name

        keep: dict[str, DocRecord] = {}
        # per changed plan: its record and its chunks' (id, lexical terms), for the lexical index.
        # The parsed plan itself is dropped at once, its chunks and vectors once the store has
        # them: each plan is staged into the store's build as it is read, so the store writes while
        # the next plans are read.
        new_plans: dict[str, tuple[DocRecord, list[tuple[str, str]] | None]] = {}
        now = time.time()
        build = None
        items = list(texts.items())
        outcomes: list[FileResult | None] = [None] * len(items)  # reported in the order given
        jobs: list[tuple[int, bool]] = []  # (position in items, replaces an older version)
        for position, (source, text) in enumerate(items):
            sha = hashlib.sha256(text.encode("utf-8")).hexdigest()
            old = old_docs.get(source)
            if old is not None and old.meta.sha256 == sha and not reembed and old.meta.model_version == PLAN_MODEL_VERSION:
                keep[source] = old
                outcomes[position] = FileResult(source, "unchanged", chunks=old.n_chunks)
                continue
            jobs.append((position, old is not None))
        workers = worker_count(len(jobs), self.workers)
        bar = None
        if show and len(items) > 1:
            from tqdm import tqdm

            bar = tqdm(total=len(items), initial=len(items) - len(jobs), desc="Phân tích kế hoạch", unit="tệp",
                       file=sys.stderr)
        # the offline embedder embeds each plan as it is read, from the tokens its reading made
        inline = self.embedder if type(self.embedder) is HashingEmbedder else None
        parsed = read_plans(((items[position][0], str(items[position][1])) for position, _ in jobs), workers, inline,
                            terms=self.lexical is not None)
        try:
            for (position, replaces), outcome in zip(jobs, parsed, strict=True):
                source = items[position][0]
                if bar is not None:
                    bar.update()
                if isinstance(outcome, ParseFailure):  # a parser bug must not stop the other files
                    log.error("parsing %s failed\n%s", source, outcome.trace)
                    outcomes[position] = FileResult(source, "error",
                                                    f"{source}: lỗi khi phân tích cấu trúc ({outcome.error})")
                    continue
                if not outcome.has_parts:
                    log.warning("%s: no numbered parts found; indexed as one block", source)
                for flag in outcome.flags:  # a plan is data; text addressed to an AI is worth a human's look
                    log.warning("%s: instruction-like passage (%s) in section %s, line %d: %s", source, flag.kind,
                                flag.section or "-", flag.line, flag.excerpt)
                log.info("parsed %s (%d/%d): %d chunks", source, position + 1, len(items), len(outcome.chunks))
                # what a reader noted about the file (pages read by OCR, by text layer, blank) goes
                # with it; the plan's register rows are computed once, here, and kept with it
                record = DocRecord(outcome.meta, len(outcome.chunks),
                                   tuple(getattr(texts[source], "warnings", ()))
                                   + tuple(flag.warning() for flag in outcome.flags), now, register=outcome.rows)
                plan_vectors = outcome.vectors if outcome.vectors is not None else \
                    self._embed_cached(outcome.chunks, vectors, False)
                build = build or self.store.open_build(self.embedder.name)
                build.stage(record, outcome.chunks, plan_vectors)
                new_plans[source] = (record, None if outcome.terms is None else
                                     [(c.chunk_id, t) for c, t in zip(outcome.chunks, outcome.terms, strict=True)])
                outcomes[position] = FileResult(source, "updated" if replaces else "added", chunks=len(outcome.chunks))
        except BaseException:
            if build is not None:
                build.abandon()
            raise
        finally:
            parsed.close()
            if bar is not None:
                bar.close()
        report.results.extend(outcome for outcome in outcomes if outcome is not None)

        for source, record in old_docs.items():
            if source in keep or source in new_plans:
                continue
            if source in remove or (prune and source not in texts and source not in protected):
                report.results.append(FileResult(source, "removed"))
            else:
                keep[source] = record

        if not new_plans and not any(r.status == "removed" for r in report.results):
            report.generation = snap.generation if snap else None
            return  # nothing changed: no work, no new generation

        carried: list[str] = []
        try:
            if reembed and keep:  # the embedder changed: every vector must come from the new one
                build = build or self.store.open_build(self.embedder.name)
                self._reembed(snap, keep, build, show)
            elif keep:  # unchanged plans keep what the store holds of them: nothing is copied
                carried = sorted(keep)
        except BaseException:
            if build is not None:
                build.abandon()
            raise
        docs = list(keep.values()) + [record for record, _ in new_plans.values()]
        report.generation = self.store.commit(docs, [], [], self.embedder.name,
                                              expected_generation=snap.generation if snap else None,
                                              carried=carried, build=build)
        if self.lexical is not None:
            # the first question after an ingestion finds its plans already indexed
            try:
                fresh = self.store.snapshot()
                if fresh is not None and fresh.generation == report.generation:
                    self.lexical.ensure(fresh, {source: entries for source, (_, entries) in new_plans.items()
                                                if entries is not None})
            except Exception:  # the question path catches up (or rebuilds) on its own
                log.warning("could not bring the lexical index up to generation %s", report.generation,
                            exc_info=True)

    def _reembed(self, snap, keep: dict[str, DocRecord], build, show: bool) -> None:
        """Stage every kept plan again with vectors of this ingestor's embedder (its chunks and
        register rows as stored), a plan at a time."""
        sources = sorted(keep)
        if show and len(sources) > 1:
            from tqdm import tqdm

            sources = tqdm(sources, desc="Tạo lại vector", unit="tệp", file=sys.stderr)
        for source in sources:
            record = keep[source]
            if record.register is None:
                rows = snap.registers([source]).get(source)
                record = replace(record, register=tuple(rows)) if rows is not None else record
            chunks = snap.fetch_plan(source)
            build.stage(record, chunks, self._embed([c.search_text() for c in chunks], False))

    def _embed_missing(self, chunks: list[Chunk], vectors: dict[str, np.ndarray], show: bool) -> None:
        missing = [c for c in chunks if c.chunk_id not in vectors]
        if missing:
            log.info("embedding %d chunks with %s", len(missing), self.embedder.name)
            for chunk, vector in zip(missing, self._embed([c.search_text() for c in missing], show), strict=True):
                vectors[chunk.chunk_id] = vector

    def _embed_cached(self, chunks: list[Chunk], vectors: dict[str, np.ndarray], show: bool) -> np.ndarray:
        self._embed_missing(chunks, vectors, show)
        if not chunks:
            return np.zeros((0, 1), dtype=np.float32)
        return np.vstack([vectors[c.chunk_id] for c in chunks])

    def _embed(self, texts: list[str], show: bool) -> np.ndarray:
        """float32 rows: a Python list of floats per vector would cost 8x the memory at scale."""
        if not texts:
            return np.zeros((0, 1), dtype=np.float32)
        batch = 64
        out: list[np.ndarray] = []
        steps = range(0, len(texts), batch)
        if show and len(texts) > batch:
            from tqdm import tqdm

            steps = tqdm(steps, desc="Tạo vector", unit="lô", file=sys.stderr)
        # the offline embedder gives its float32 rows as they are: no Python lists of floats between
        as_array = _array_embedding(self.embedder)
        for start in steps:
            part = texts[start : start + batch]
            out.append(as_array(part) if as_array is not None
                       else np.asarray(self.embedder.embed_documents(part), dtype=np.float32))
        return np.vstack(out)


def _array_embedding(embedder: Embedder) -> Callable[[list[str]], np.ndarray] | None:
    """The embedder's `embed_array` (float32 rows, as `embed_documents` gives them as lists), unless
    `embed_documents` is overridden below it (a wrapper or a test double): that one is then used."""
    if "embed_documents" in getattr(embedder, "__dict__", {}):
        return None
    owners = {name: next((k for k in type(embedder).__mro__ if name in vars(k)), None)
              for name in ("embed_array", "embed_documents")}
    if owners["embed_array"] is None or owners["embed_documents"] is None:
        return None
    array: Callable[[list[str]], np.ndarray] | None = getattr(embedder, "embed_array", None)  # not in the protocol
    return array if issubclass(owners["embed_array"], owners["embed_documents"]) else None


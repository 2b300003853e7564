"""One plan's text → what ingestion keeps of it (metadata, chunks with facts, register rows,
injection flags), read in this process or, when many plans are ingested, in worker processes.

Reading a plan is pure CPU work in Python, so only processes run plans at once. The workers are
plain `python -c` subprocesses fed through pipes rather than a multiprocessing pool: a spawned
multiprocessing worker first re-imports the parent's main module, which runs the caller's own
code again when its script has no `if __name__ == "__main__"` guard, and forking a process that
runs threads (the API server, Chroma, tantivy) is unsafe. Each worker holds at most IN_FLIGHT
plans, so memory stays bounded; a worker that dies or cannot start is replaced by this process,
which reads the remaining plans itself.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import pickle
import queue
import shutil
import struct
import subprocess
import sys
import tempfile
import threading
import traceback
from collections import deque
from collections.abc import Generator, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, BinaryIO

import numpy as np

from index.chunking import chunk_plan
from index.embedders import HashingEmbedder
from index.injection import Flag, scan_plan
from index.lexical import indexed_terms
from index.models import Chunk, DocumentMeta
from index.obligations import extract_plan
from index.structure import parse_plan
from lang.normalize import text_memo
from planbot.scratch import scratch_dir

log = logging.getLogger(__name__)

# Fewer plans than this are read in this process: a worker costs about 0.3 s to start and warms its
# caches anew. With embedded Chroma on 2 cores, 12 plans were read as fast either way, 40 plans in
# 2.6 s by workers against 3.7 s here, 4 plans in 0.65 s against 0.47 s (bench/bench_ingest_query.py).
MIN_PLANS_FOR_WORKERS = 12
# Plans handed to each worker before its first result is read: enough to keep the workers reading
# through one of the ingesting process's Chroma writes (a batch of 2,000 chunks, index/store/
# STAGE_CHUNKS, is about 33 plans; fewer in flight and the readers ran dry during each write).
IN_FLIGHT = 32
# How much lower the readers run than the ingesting process (os.nice): at 2,000 plans 983 against
# 911 chunks/s, at 400 plans 1,121 against 1,071 (2 cores, bench runs of this change).
READER_NICENESS = 10
# What a worker's input pipe is asked to hold (Linux's limit for an unprivileged process): the
# feeder thread cannot run while the ingesting process is inside a Chroma write (it holds the GIL),
# so the plans a worker reads meanwhile must already be in its pipe.
PIPE_BYTES = 1_048_576
_HEADER = struct.Struct("<Q")  # the length of the pickled message that follows
WORKER_COMMAND = "from index.parsing import serve; serve()"


@dataclass
class ParsedFile:
    """What ingestion keeps of one plan read: the parse tree itself is dropped at once (at a few
    thousand plans the parse trees would not fit in memory)."""

    meta: DocumentMeta
    chunks: list[Chunk]
    rows: tuple[dict, ...]  # register rows (index/obligations/)
    flags: list[Flag]  # instruction-like passages (index/injection.py)
    has_parts: bool
    vectors: np.ndarray | None = None  # the chunks' offline vectors (float32 rows), when asked for
    terms: list[str] | None = None  # each chunk's lexical terms (index/lexical.indexed_terms), when asked for


@dataclass
class ParseFailure:
    """A plan the parser failed on: the other plans go on."""

    error: str
    trace: str


def read_plan(source: str, text: str, embedder: HashingEmbedder | None = None,
              terms: bool = False) -> ParsedFile | ParseFailure:
    """Parse, chunk (with facts), register rows and injection scan of one plan, with the offline
    `embedder` its chunks' vectors, and with `terms` their lexical index terms. A parser error is
    returned; an error of the injection scan is raised."""
    sha = hashlib.sha256(text.encode("utf-8")).hexdigest()
    vectors = lexical_terms = None
    # parsing, facts, the register and the embedding read the same lines again and again: each is
    # folded and tokenized once per plan (the memo goes with the plan)
    with text_memo():
        try:
            plan = parse_plan(text, source, sha)
            chunks = chunk_plan(plan)
            # the plan's register rows, once, at ingest: every reader of the index shares them
            rows = tuple(r.to_dict() for r in extract_plan(chunks, plan.meta.province, plan.meta.year, plan.meta.issuers))
        except Exception as exc:
            return ParseFailure(str(exc), traceback.format_exc())
        if embedder is not None and chunks:
            vectors = embedder.embed_array([c.search_text() for c in chunks])
        if terms:  # here, not in the ingesting process: the search texts' tokens are in the memo
            lexical_terms = [indexed_terms(c) for c in chunks]
    for chunk in chunks:
        chunk.stored_json  # noqa: B018 - made here, it travels with the chunk to the ingesting process
    return ParsedFile(plan.meta, chunks, rows, scan_plan(plan), bool(plan.parts), vectors, lexical_terms)


def worker_count(plans: int, configured: int = 0) -> int:
    """Processes to read `plans` plans with: `configured` (0 = one per CPU core, at most 4), and
    only this one for a few plans, where starting workers would cost more than it saves."""
    if plans < MIN_PLANS_FOR_WORKERS or configured == 1:
        return 1
    try:
        cpus = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cpus = os.cpu_count() or 1
    return max(1, min(configured or min(cpus, 4), plans))


def read_plans(jobs: Iterable[tuple[str, str]], workers: int = 1, embedder: HashingEmbedder | None = None,
               terms: bool = False) -> Generator[ParsedFile | ParseFailure, None, None]:
    """`read_plan` of each (source, text), in the order given; with workers > 1 in that many
    worker processes, up to IN_FLIGHT plans each ahead of the caller. Close the generator to stop
    them early."""
    if workers <= 1:
        for source, text in jobs:
            yield read_plan(source, text, embedder, terms)
        return
    pool = _Workers(workers, embedder.dim if embedder is not None else None, terms)
    try:
        yield from pool.map(jobs)
    finally:
        pool.close()


class _Workers:
    """Worker processes, each given up to IN_FLIGHT plans at a time: plan k goes to worker k mod n,
    so results are read back in the order given.

    The ingesting process spends stretches of a few hundred ms in Chroma writes that hold the GIL;
    meanwhile the workers go on reading the plans they were given. A worker writes each result to
    a file of its own in a spool directory and only its name down the pipe, so no result waits for
    room in a pipe (a plan's result, vectors included, is larger than a pipe holds). Plans are
    written to a worker by a feeder thread, so this process only ever waits on a result, never on
    a write to a worker still busy with earlier plans."""

    def __init__(self, count: int, embed_dim: int | None, terms: bool = False) -> None:
        self.embed_dim = embed_dim  # each worker embeds with its own HashingEmbedder(embed_dim)
        self.terms = terms
        self._local: HashingEmbedder | None = None  # this process's, for a lost worker's plans
        self._finished = False  # every result read: the workers are idle, waiting for input
        self._spool = _spool_directory()
        root = str(Path(__file__).resolve().parent.parent)  # where the `index` package is
        env = dict(os.environ, PYTHONPATH=os.pathsep.join(p for p in (root, os.environ.get("PYTHONPATH")) if p))
        self.processes: list[subprocess.Popen[bytes] | None] = []
        self._feeds: list[queue.SimpleQueue | None] = []
        self._feeders: list[threading.Thread] = []
        for _ in range(count):
            try:
                process = subprocess.Popen([sys.executable, "-c", WORKER_COMMAND],
                                           stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env)
            except OSError as exc:
                log.warning("could not start a plan reader process (%s); reading plans here", exc)
                self.processes.append(None)
                self._feeds.append(None)
                continue
            stdin = process.stdin
            if stdin is None:  # never: stdin=PIPE
                raise RuntimeError("a plan reader process without stdin")
            _widen_pipe(stdin)
            feed: queue.SimpleQueue = queue.SimpleQueue()
            feeder = threading.Thread(target=_feed, args=(stdin, feed), daemon=True,
                                      name="plan-reader-feed")
            feeder.start()
            self.processes.append(process)
            self._feeds.append(feed)
            self._feeders.append(feeder)

    def map(self, jobs: Iterable[tuple[str, str]]) -> Generator[ParsedFile | ParseFailure, None, None]:
        jobs = iter(jobs)
        count = len(self.processes)
        held: list[deque[tuple[str, str]]] = [deque() for _ in range(count)]  # given, oldest first
        for position, job in zip(range(count * IN_FLIGHT), jobs, strict=False):
            held[position % count].append(job)
            self._send(position % count, job)
        slot = 0
        while held[slot]:
            result = self._receive(slot, held[slot].popleft())
            following = next(jobs, None)
            if following is not None:
                held[slot].append(following)
                self._send(slot, following)  # before the caller works on this result
            yield result
            slot = (slot + 1) % count
        self._finished = True

    def _send(self, slot: int, job: tuple[str, str]) -> None:
        feed = self._feeds[slot]
        if feed is not None and self.processes[slot] is not None:
            feed.put((*job, self.embed_dim, self.terms, self._spool))

    def _receive(self, slot: int, job: tuple[str, str]) -> ParsedFile | ParseFailure:
        process = self.processes[slot]
        if process is not None and process.stdout is not None:  # stdout=PIPE: always there
            try:
                answer = _read(process.stdout)
                if answer is not None and answer[0] == "file":  # the result is in the spool
                    answer = _read_spooled(answer[1])
            except (OSError, EOFError, pickle.UnpicklingError):
                answer = None
            if answer is not None:
                kind, value = answer
                if kind == "raise":
                    raise value
                return value
            self._lost(slot)
        if self.embed_dim is not None and self._local is None:
            self._local = HashingEmbedder(self.embed_dim)
        return read_plan(*job, self._local, self.terms)  # this process reads what a lost worker held

    def _lost(self, slot: int) -> None:
        process = self.processes[slot]
        if process is not None:
            log.warning("a plan reader process stopped (exit code %s); reading its plans here", process.poll())
            process.kill()
            process.wait()
        self.processes[slot] = None

    def close(self) -> None:
        if not self._finished:  # stopped early: the workers' results will never be read
            for process in self.processes:
                if process is not None:
                    process.kill()
        for feed in self._feeds:
            if feed is not None:
                feed.put(None)  # end of input: the feeder closes the worker's stdin, and it exits
        for feeder in self._feeders:
            feeder.join(timeout=10)
        for process in self.processes:
            if process is None:
                continue
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
            finally:
                if process.stdout is not None:
                    process.stdout.close()
        self.processes = []
        if self._spool is not None:
            shutil.rmtree(self._spool, ignore_errors=True)  # results of plans stopped early


def _widen_pipe(stream: IO[bytes]) -> None:
    with contextlib.suppress(AttributeError, OSError):  # not Linux, or a lower limit: the default
        import fcntl

        fcntl.fcntl(stream.fileno(), fcntl.F_SETPIPE_SZ, PIPE_BYTES)


def _spool_directory() -> str | None:
    """A private directory for the workers' results: in memory (/dev/shm) where there is one; None
    (results down the pipes) if no directory can be made."""
    shared_memory = Path("/dev/shm")
    memory = shared_memory.is_dir() and os.access(shared_memory, os.W_OK | os.X_OK)
    try:
        return scratch_dir("plans", shared_memory if memory else None)
    except OSError as exc:
        log.warning("no spool directory for the plan readers (%s); their results come down pipes", exc)
        return None


def _read_spooled(path: str) -> tuple[Any, ...]:
    try:
        with open(path, "rb") as spooled:
            return pickle.load(spooled)  # noqa: S301 - our own worker's output, in our own directory
    finally:
        with contextlib.suppress(OSError):
            os.unlink(path)


def _feed(stream: IO[bytes], feed: queue.SimpleQueue) -> None:
    """A feeder thread: write each job given to the worker until None, then close its stdin. A
    worker that died is noticed by the reader (its results end); its jobs are then read there."""
    broken = False
    while (job := feed.get()) is not None:
        if not broken:
            try:
                _write(stream, job)
            except (OSError, ValueError):
                broken = True
    with contextlib.suppress(OSError, ValueError):
        stream.close()


def _write(stream: IO[bytes], value: object) -> None:
    data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(_HEADER.pack(len(data)))
    stream.write(data)
    stream.flush()


def _read(stream: IO[bytes]) -> tuple[Any, ...] | None:
    """The next message (a job or an answer: a tuple), or None at the end of the stream."""
    header = stream.read(_HEADER.size)
    if len(header) < _HEADER.size:
        return None
    (size,) = _HEADER.unpack(header)
    data = stream.read(size)
    if len(data) < size:
        return None
    return pickle.loads(data)  # noqa: S301 - our own worker's output, over a private pipe


def serve() -> None:
    """A worker's loop: (source, text, embedding dimension or None, terms, spool directory) in on
    stdin, ("ok", result) or ("raise", exception) out on stdout (or ("file", path) of a spool file
    that holds it), until stdin ends."""
    requests, answers = sys.stdin.buffer, sys.stdout.buffer
    sys.stdout = sys.stderr  # a stray print must not corrupt the answers
    # the ingesting process is the one everything waits on (it writes the store, and in `planbot
    # serve` answers questions): readers yield the CPU to it and use what it leaves
    with contextlib.suppress(AttributeError, OSError):  # no os.nice (Windows)
        os.nice(READER_NICENESS)
    # Ctrl-C reaches the whole process group: the ingesting process reports it, once
    with contextlib.suppress(KeyboardInterrupt, BrokenPipeError):
        _serve(requests, answers)


def _serve(requests: BinaryIO, answers: BinaryIO) -> None:
    embedders: dict[int, HashingEmbedder] = {}
    while True:
        job = _read(requests)
        if job is None:
            return
        source, text, dim, terms, spool = job
        embedder = None if dim is None else embedders.setdefault(dim, HashingEmbedder(dim))
        try:
            answer: tuple[str, object] = ("ok", read_plan(source, text, embedder, terms))
        except Exception as exc:  # what the caller would have raised reading the plan itself
            raised: Exception = exc
            try:
                pickle.dumps(exc)
            except Exception:
                raised = RuntimeError(f"{type(exc).__name__}: {exc}")
            answer = ("raise", raised)
        _answer(answers, answer, spool)


def _answer(answers: BinaryIO, answer: tuple[str, object], spool: str | None) -> None:
    """The answer in a spool file, its name down the pipe; down the pipe itself if the spool is
    full or gone (a small /dev/shm)."""
    if spool and (path := _spooled(spool, pickle.dumps(answer, protocol=pickle.HIGHEST_PROTOCOL))):
        _write(answers, ("file", path))
    else:
        _write(answers, answer)


def _spooled(spool: str, data: bytes) -> str | None:
    """The path of a new file in spool holding data, or None if it cannot be written."""
    try:
        descriptor, path = tempfile.mkstemp(dir=spool, suffix=".pickle")
    except OSError:
        return None
    try:
        with os.fdopen(descriptor, "wb") as spooled:
            spooled.write(data)
    except OSError:
        with contextlib.suppress(OSError):
            os.unlink(path)
        return None
    return path

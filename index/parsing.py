"""One plan's text → what ingestion keeps of it (metadata, chunks with facts, register rows,
injection flags), read in this process or, when many plans are ingested, in worker processes.

Reading a plan is pure CPU work in Python, so only processes run plans at once. The workers are
plain `python -c` subprocesses fed through pipes rather than a multiprocessing pool: a spawned
multiprocessing worker first re-imports the parent's main module, which runs the caller's own
code again when its script has no `if __name__ == "__main__"` guard, and forking a process that
runs threads (the API server, Chroma, tantivy) is unsafe. Each worker holds one plan at a time, so
memory stays bounded; a worker that dies or cannot start is replaced by this process, which reads
the remaining plans itself.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import pickle
import struct
import subprocess
import sys
import traceback
from collections.abc import Generator, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import numpy as np

from index.chunking import chunk_plan
from index.embedders import HashingEmbedder
from index.injection import Flag, scan_plan
from index.models import Chunk, DocumentMeta
from index.normalize import text_memo
from index.structure import parse_plan

log = logging.getLogger(__name__)

# Fewer plans than this are read in this process: a worker costs about 0.3 s to start and warms its
# caches anew, which 40 plans (a few seconds of reading) did not repay on 2 busy cores.
MIN_PLANS_FOR_WORKERS = 50
_HEADER = struct.Struct("<Q")  # the length of the pickled message that follows
WORKER_COMMAND = "from index.parsing import serve; serve()"


@dataclass
class ParsedFile:
    """What ingestion keeps of one plan read: the parse tree itself is dropped at once (at a few
    thousand plans the parse trees would not fit in memory)."""

    meta: DocumentMeta
    chunks: list[Chunk]
    rows: tuple[dict, ...]  # register rows (index/obligations.py)
    flags: list[Flag]  # instruction-like passages (index/injection.py)
    has_parts: bool
    vectors: np.ndarray | None = None  # the chunks' offline vectors (float32 rows), when asked for


@dataclass
class ParseFailure:
    """A plan the parser failed on: the other plans go on."""

    error: str
    trace: str


def read_plan(source: str, text: str, embedder: HashingEmbedder | None = None) -> ParsedFile | ParseFailure:
    """Parse, chunk (with facts), register rows and injection scan of one plan, and with the
    offline `embedder` its chunks' vectors. A parser error is returned; an error of the injection
    scan is raised."""
    from index.obligations import extract_plan  # it imports the readers, which import index.ingest

    sha = hashlib.sha256(text.encode("utf-8")).hexdigest()
    vectors = None
    # parsing, facts, the register and the embedding read the same lines again and again: each is
    # folded and tokenized once per plan (the memo goes with the plan)
    with text_memo():
        try:
            plan = parse_plan(text, source, sha)
            chunks = chunk_plan(plan)
            # the plan's register rows, once, at ingest: every reader of the index shares them
            rows = tuple(r.to_dict() for r in extract_plan(chunks, plan.meta.province, plan.meta.year))
        except Exception as exc:
            return ParseFailure(str(exc), traceback.format_exc())
        if embedder is not None and chunks:
            vectors = embedder.embed_array([c.search_text() for c in chunks])
    return ParsedFile(plan.meta, chunks, rows, scan_plan(plan), bool(plan.parts), vectors)


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


def read_plans(jobs: Iterable[tuple[str, str]], workers: int = 1,
               embedder: HashingEmbedder | None = None) -> Generator[ParsedFile | ParseFailure, None, None]:
    """`read_plan` of each (source, text), in the order given; with workers > 1 in that many
    worker processes, each a plan ahead of the caller. Close the generator to stop them early."""
    if workers <= 1:
        for source, text in jobs:
            yield read_plan(source, text, embedder)
        return
    pool = _Workers(workers, embedder.dim if embedder is not None else None)
    try:
        yield from pool.map(jobs)
    finally:
        pool.close()


class _Workers:
    """Worker processes, each given one plan at a time, in turn: plan k goes to worker k mod n,
    and its next plan only after its result is read, so no pipe write ever waits on a worker
    that is itself waiting to write."""

    def __init__(self, count: int, embed_dim: int | None) -> None:
        self.embed_dim = embed_dim  # each worker embeds with its own HashingEmbedder(embed_dim)
        self._local: HashingEmbedder | None = None  # this process's, for a lost worker's plans
        root = str(Path(__file__).resolve().parent.parent)  # where the `index` package is
        env = dict(os.environ, PYTHONPATH=os.pathsep.join(p for p in (root, os.environ.get("PYTHONPATH")) if p))
        self.processes: list[subprocess.Popen | None] = []
        for _ in range(count):
            try:
                self.processes.append(subprocess.Popen(
                    [sys.executable, "-c", WORKER_COMMAND],
                    stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env))
            except OSError as exc:
                log.warning("could not start a plan reader process (%s); reading plans here", exc)
                self.processes.append(None)

    def map(self, jobs: Iterable[tuple[str, str]]) -> Generator[ParsedFile | ParseFailure, None, None]:
        jobs = iter(jobs)
        given: list[tuple[str, str] | None] = [None] * len(self.processes)  # the plan each one holds
        for slot in range(len(self.processes)):
            given[slot] = next(jobs, None)
            if given[slot] is not None:
                self._send(slot, given[slot])
        slot = 0
        while given[slot] is not None:
            job = given[slot]
            result = self._receive(slot, job)
            given[slot] = next(jobs, None)
            if given[slot] is not None:
                self._send(slot, given[slot])  # before the caller works on this result
            yield result
            slot = (slot + 1) % len(self.processes)

    def _send(self, slot: int, job: tuple[str, str]) -> None:
        process = self.processes[slot]
        if process is None:
            return
        try:
            _write(process.stdin, (*job, self.embed_dim))
        except (OSError, ValueError):
            self._lost(slot)

    def _receive(self, slot: int, job: tuple[str, str]) -> ParsedFile | ParseFailure:
        process = self.processes[slot]
        if process is not None:
            try:
                answer = _read(process.stdout)
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
        return read_plan(*job, self._local)  # this process reads what a lost worker held

    def _lost(self, slot: int) -> None:
        process = self.processes[slot]
        if process is not None:
            log.warning("a plan reader process stopped (exit code %s); reading its plans here", process.poll())
            process.kill()
            process.wait()
        self.processes[slot] = None

    def close(self) -> None:
        for process in self.processes:
            if process is None:
                continue
            try:
                process.stdin.close()  # end of input: the worker exits
                process.wait(timeout=10)
            except (OSError, subprocess.TimeoutExpired):
                process.kill()
                process.wait()
            finally:
                process.stdout.close()
        self.processes = []


def _write(stream: BinaryIO, value: object) -> None:
    data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(_HEADER.pack(len(data)))
    stream.write(data)
    stream.flush()


def _read(stream: BinaryIO) -> object | None:
    """The next value, or None at the end of the stream."""
    header = stream.read(_HEADER.size)
    if len(header) < _HEADER.size:
        return None
    (size,) = _HEADER.unpack(header)
    data = stream.read(size)
    if len(data) < size:
        return None
    return pickle.loads(data)  # noqa: S301 - our own worker's output, over a private pipe


def serve() -> None:
    """A worker's loop: (source, text, embedding dimension or None) in on stdin, ("ok", result) or
    ("raise", exception) out on stdout, until stdin ends."""
    requests, answers = sys.stdin.buffer, sys.stdout.buffer
    sys.stdout = sys.stderr  # a stray print must not corrupt the answers
    # Ctrl-C reaches the whole process group: the ingesting process reports it, once
    with contextlib.suppress(KeyboardInterrupt, BrokenPipeError):
        _serve(requests, answers)


def _serve(requests: BinaryIO, answers: BinaryIO) -> None:
    embedders: dict[int, HashingEmbedder] = {}
    while True:
        job = _read(requests)
        if job is None:
            return
        source, text, dim = job
        embedder = None if dim is None else embedders.setdefault(dim, HashingEmbedder(dim))
        try:
            answer: tuple[str, object] = ("ok", read_plan(source, text, embedder))
        except Exception as exc:  # what the caller would have raised reading the plan itself
            try:
                pickle.dumps(exc)
            except Exception:
                exc = RuntimeError(f"{type(exc).__name__}: {exc}")
            answer = ("raise", exc)
        _write(answers, answer)

"""Uploads that need OCR run as background jobs: the upload answers 202 at once with a job that
`GET /v1/jobs/{id}` reports on (queued → reading → indexing → done | failed).

In-process and per replica, like conversations: one worker thread (OCR already uses the cores
through its page workers; two OCR jobs at once would only slow each other and the questions), a
bounded history, finished jobs forgotten after `keep_seconds`.
"""

from __future__ import annotations

import logging
import threading
import time
import uuid
from collections import OrderedDict
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Literal

from bot.api.problems import disk_full
from index.errors import IngestError, OcrUnavailable
from planbot.messages import message

log = logging.getLogger("planbot.api.jobs")

JobStatus = Literal["queued", "reading", "indexing", "done", "failed"]


@dataclass
class Job:
    id: str
    source: str
    created: float
    status: JobStatus = "queued"
    updated: float = 0.0
    result: object | None = None  # what the synchronous upload would have returned (IngestOut)
    error: str | None = None
    error_type: str | None = None
    pages_done: int | None = None  # pages read so far (PDFs and images)
    pages_total: int | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @property
    def finished(self) -> bool:
        return self.status in ("done", "failed")


class JobRunner:
    def __init__(self, keep_seconds: float = 3600, max_jobs: int = 500,
                 clock: Callable[[], float] = time.time) -> None:
        self.keep_seconds = keep_seconds
        self.max_jobs = max_jobs
        self.clock = clock
        self._jobs: OrderedDict[str, Job] = OrderedDict()  # oldest first
        self._lock = threading.Lock()
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="upload-job")

    def submit(self, source: str, work: Callable[[Job], object], cleanup: Callable[[], None]) -> Job:
        """Run `work(job)` in the background; it sets `job.status` as it goes and returns the result,
        or raises IngestError (the job fails with its message). `cleanup` runs after it whatever
        happens (the uploaded file's temporary folder)."""
        now = self.clock()
        job = Job(uuid.uuid4().hex, source, created=now, updated=now)
        with self._lock:
            self._forget_old(now)
            self._jobs[job.id] = job
        self._executor.submit(self._run, job, work, cleanup)
        return job

    def get(self, job_id: str) -> Job | None:
        with self._lock:
            self._forget_old(self.clock())
            return self._jobs.get(job_id)

    def set_status(self, job: Job, status: JobStatus) -> None:
        with job._lock:
            job.status, job.updated = status, self.clock()

    def set_pages(self, job: Job, done: int, total: int) -> None:
        with job._lock:
            job.pages_done, job.pages_total, job.updated = done, total, self.clock()

    def _run(self, job: Job, work: Callable[[Job], object], cleanup: Callable[[], None]) -> None:
        try:
            result = work(job)
        except IngestError as exc:  # the file's fault (or missing OCR tools): said as the upload would say it
            slug = "ocr-unavailable" if isinstance(exc, OcrUnavailable) else "unreadable-plan"
            self._fail(job, message("api_upload_failed", reason=str(exc)), slug)
        except Exception as exc:
            log.exception("upload job %s (%s) failed", job.id, job.source)
            if disk_full(exc):
                self._fail(job, message("api_disk_full"), "disk-full")
            else:
                self._fail(job, message("api_internal"), "internal")
        else:
            with job._lock:
                job.result, job.status, job.updated = result, "done", self.clock()
            log.info("upload job %s (%s) done", job.id, job.source)
        finally:
            cleanup()

    def _fail(self, job: Job, detail: str, slug: str) -> None:
        with job._lock:
            job.error, job.error_type, job.status, job.updated = detail, slug, "failed", self.clock()
        log.info("upload job %s (%s) failed: %s", job.id, job.source, slug)

    def _forget_old(self, now: float) -> None:
        for job_id in [j.id for j in self._jobs.values() if j.finished and now - j.updated > self.keep_seconds]:
            del self._jobs[job_id]
        while len(self._jobs) > self.max_jobs:
            finished = next((j.id for j in self._jobs.values() if j.finished), None)
            if finished is None:
                break  # never forget a job still running: its uploader is waiting for it
            del self._jobs[finished]

    def shutdown(self) -> None:
        self._executor.shutdown(wait=True, cancel_futures=True)

"""Heavy work off the request threads: PDFs and bundles are made by a small pool of worker threads, at most
``per_user`` at a time for one account, and kept by what they are made from (the content key: the
submission's sha256, the policy's content hash, the as-of day and the kind), so a second request, by anyone,
gets the same bytes at once.

``gaizao serve`` runs the workers as separate processes (``processes=True``): a PDF renderer holding Python's
interpreter lock in a thread would slow every page of the server; in its own process it cannot. ``make`` is then
a picklable call (``functools.partial`` of a module-level function over plain data: the register's path, the
policy, the submission). Tests use threads (the same code path otherwise, and monkeypatching still applies).

A request for a document that is not ready answers at once with a page saying "正在生成" that reloads itself
every few seconds; when the document is ready, the reload downloads it. The request threads of the server
(waitress) are never held by a PDF: logging in and looking at pages stay quick while documents are made.
"""
from __future__ import annotations

import logging
import os
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from concurrent.futures import Executor, Future, ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import partial
from typing import Any

log = logging.getLogger("gaizao.web.jobs")

Make = Callable[[], tuple[str, bytes]]   # makes one document: (file name, bytes)

# one worker on a 2-core server leaves a core to the pages; more cores, more workers (at most 4)
WORKERS = max(1, min(4, (os.cpu_count() or 2) - 1))
PER_USER = 2                       # documents one account may have queued or being made at once
CACHE_BYTES = 256 * 2**20          # documents kept, least recently used out first
FAILED_KEEP_SECONDS = 60           # a failure is shown to the next reload, then the key may be tried again


@dataclass
class Job:
    key: tuple[Any, ...]
    owner: int | None
    state: str = "queued"          # queued | running | done | failed
    value: tuple[str, bytes] | None = None
    error: BaseException | None = None
    queued_at: float = field(default_factory=time.monotonic)
    ended_at: float | None = None

    @property
    def active(self) -> bool:
        return self.state in ("queued", "running")

    @property
    def size(self) -> int:
        return len(self.value[1]) if self.value else 0


class Busy(Exception):
    """The account already has ``PER_USER`` documents on the way."""

    def __init__(self, active: int):
        super().__init__(active)
        self.active = active


def _call(make: Make) -> tuple[Any, ...]:
    """Run ``make`` (in a worker process or thread): ("ok", value) or ("error", zh, en, location) for a
    GaizaoError, which crosses a process boundary as plain data."""
    from generator.errors import GaizaoError
    try:
        return ("ok", make())
    except GaizaoError as exc:
        return ("error", exc.message, exc.message_en, exc.location)


def _error(zh: str, en: str | None, location: str | None) -> Exception:
    from generator.errors import UsageError
    return UsageError(zh, en, location=location)


class Pool:
    def __init__(self, workers: int = WORKERS, per_user: int = PER_USER, limit: int = CACHE_BYTES,
                 processes: bool = False):
        self.workers, self.per_user, self.limit, self.processes = workers, per_user, limit, processes
        self.executor: Executor
        if processes:
            import multiprocessing
            self.executor = ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn"))
        else:
            self.executor = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="gaizao-job")
        self.lock = threading.Lock()
        self.jobs: OrderedDict[tuple[Any, ...], Job] = OrderedDict()
        self.size = 0

    def active_for(self, owner: int | None) -> int:
        return sum(1 for j in self.jobs.values() if j.owner == owner and j.active)

    def get(self, key: tuple[Any, ...], owner: int | None, make: Make) -> Job:
        """The job of ``key``: done (its bytes), on its way, or started now for ``owner``. Raises Busy when
        ``owner`` already has ``per_user`` documents on the way."""
        with self.lock:
            job = self.jobs.get(key)
            if (job is not None and job.state == "failed" and job.ended_at is not None
                    and time.monotonic() - job.ended_at > FAILED_KEEP_SECONDS):
                self.jobs.pop(key)
                job = None
            if job is not None:
                self.jobs.move_to_end(key)
                return job
            active = self.active_for(owner)
            if active >= self.per_user:
                raise Busy(active)
            job = self.jobs[key] = Job(key, owner)
        if self.processes:
            job.state = "running"          # queued or running in a worker process: not told apart
            future = self.executor.submit(_call, make)
            future.add_done_callback(partial(self._finish, job))
        else:
            self.executor.submit(self._run, job, make)
        return job

    def _finish(self, job: Job, future: Future[tuple[Any, ...]]) -> None:
        try:
            result = future.result()
        except BaseException as exc:        # the process died (memory), or the pool was shut down
            log.exception("making %s failed", job.key)
            result = ("crash", exc)
        if result[0] == "ok":
            self._store(job, result[1])
            return
        error = _error(*result[1:]) if result[0] == "error" else result[1]
        with self.lock:
            job.error, job.state, job.ended_at = error, "failed", time.monotonic()

    def peek(self, key: tuple[Any, ...]) -> Job | None:
        with self.lock:
            return self.jobs.get(key)

    def _run(self, job: Job, make: Make) -> None:
        job.state = "running"
        try:
            value = make()
        except BaseException as exc:        # shown to the user on the next reload (a GaizaoError says what)
            if not _expected(exc):
                log.exception("making %s failed", job.key)
            with self.lock:
                job.error, job.state, job.ended_at = exc, "failed", time.monotonic()
            return
        self._store(job, value)

    def _store(self, job: Job, value: tuple[str, bytes]) -> None:
        with self.lock:
            job.value, job.state, job.ended_at = value, "done", time.monotonic()
            self.size += job.size
            for key in list(self.jobs):
                if self.size <= self.limit:
                    break
                old = self.jobs[key]
                if old.state == "done" and old is not job:
                    self.size -= old.size
                    self.jobs.pop(key)

    def wait(self, key: tuple[Any, ...], timeout: float = 600) -> Job | None:
        """The job once it is no longer on its way (tests, the benchmark); None if it does not exist."""
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            job = self.peek(key)
            if job is None or not job.active:
                return job
            time.sleep(0.05)
        return self.peek(key)

    def shutdown(self) -> None:
        self.executor.shutdown(wait=False, cancel_futures=True)


def _expected(exc: BaseException) -> bool:
    from generator.errors import GaizaoError
    return isinstance(exc, GaizaoError)

"""Worker processes, one set of rules for every pool gaizao starts: the PDF forms (render/forms_pdf.py), the drawn
checklists (render/checklist_pdf.py) and a list of submissions (register/api.py, Register.add_all).

- ``context()``: forked workers start in well under a second and need no importable ``__main__`` (a fork server
  or spawn re-imports it, and a worker that cannot start makes a pool respawn it for ever); spawn only where
  there is no fork.
- ``default_count()``: the CPUs, at most 2 (measured on 2 cores: the parent's share of the work is small).
- ``quiet_worker()``: a worker's initializer, so it ends silently with its parent.
- ``in_order()``: results in the order of their jobs with a few jobs in flight, and close + join at the end,
  never terminate: Pool.imap feeds every job from its own thread, and when a job failed the pool's terminate
  could join that thread while it was blocked sending a large job to workers already killed, a hang (seen once
  in CI's test_checklist_pack_attachment_is_refused_in_the_pdf_workers).
"""
from __future__ import annotations

import multiprocessing
import os
from collections import deque
from typing import Any, Callable, Generator, Iterable


def context():
    return multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn")


def default_count() -> int:
    return max(1, min(2, os.cpu_count() or 1))


def quiet_worker() -> None:
    """A worker ends silently with its parent: Ctrl-C is the parent's to handle, a write to the parent's closed
    pipe ends the worker instead of printing BrokenPipe tracebacks, and on Linux the worker gets SIGTERM (default
    action: end, no output) when the parent dies (SIGTERM, kill)."""
    import signal
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    try:
        import ctypes
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)   # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass
    parent = multiprocessing.parent_process()
    if parent is not None and os.getppid() != parent.pid:     # the parent died before prctl took effect
        os._exit(0)


def in_order(fn: Callable, jobs: Iterable[tuple], processes: int, *, initializer: Callable = quiet_worker,
             initargs: tuple = (), started: Callable[[], Any] | None = None) -> Generator[Any, None, None]:
    """``fn(*job)`` for every job, yielded in the jobs' order, over a Pool of ``processes`` workers with at most
    two jobs a worker in flight; ``started()`` runs in this process once the first jobs are handed over. A job's
    exception is raised here in its place; the workers then finish the jobs in flight and end (close + join)."""
    pool = context().Pool(processes, initializer=initializer, initargs=initargs)
    pending: deque = deque()
    todo = iter(jobs)
    try:
        for job in todo:
            pending.append(pool.apply_async(fn, job))
            if len(pending) >= 2 * processes:
                break
        if started is not None:
            started()
        while pending:
            result = pending.popleft().get()
            for job in todo:                 # one handed over for each one taken
                pending.append(pool.apply_async(fn, job))
                break
            yield result
    finally:
        pool.close()                         # nothing more to send: the workers finish what they hold and exit
        pool.join()

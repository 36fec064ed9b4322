"""Running a build's tasks: here, one after another, or across worker processes; results as they finish.

Workers are forked once per build with the shared settings and each keeps its fonts, catalogs and speech cache
for every task it is given. A worker ignores Ctrl-C (the build decides what an interruption means) and turns
SIGTERM into an ordinary exit, so a file it was writing is removed, never left half-written.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import sys
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from typing import Iterator

from .make import Maker, Result, Settings, Task
from .speech import Engine


def default_jobs() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


def run(tasks: list[Task], settings: Settings, jobs: int, engine: Engine | None = None,
        catch_bugs: bool = True) -> Iterator[Result]:
    """Every task's result, in the order they finish. An injected engine (a test's fake Google) cannot be
    shipped to another process: such a build runs here, as does a build of one task. `catch_bugs=False` lets
    an unexpected exception out where it happened (a build that stops at the first failure)."""
    if jobs <= 1 or len(tasks) <= 1 or engine is not None:
        maker = Maker(settings, engine, catch_bugs)
        for task in tasks:
            yield maker.make(task)
        return
    yield from _pooled(tasks, settings, min(jobs, len(tasks)))


def _pooled(tasks: list[Task], settings: Settings, workers: int) -> Iterator[Result]:
    context = multiprocessing.get_context("fork" if sys.platform.startswith("linux") else None)
    pool = ProcessPoolExecutor(workers, mp_context=context, initializer=_start, initargs=(settings,))
    pending = {pool.submit(_make, task): task for task in tasks}
    try:
        while pending:
            done, _ = wait(pending, return_when=FIRST_COMPLETED)
            for future in done:
                task = pending.pop(future)
                try:
                    yield future.result()
                except BrokenProcessPool:
                    yield Result(task, "failed", reason="a worker process died while making this output")
    finally:
        if pending:
            # an interruption, or a fatal error the build stops for: nothing more is started, and the workers
            # still making something are ended (each removes the temporary file it was writing)
            for future in pending:
                future.cancel()
            for process in list((getattr(pool, "_processes", None) or {}).values()):
                if process.is_alive():
                    process.terminate()
        pool.shutdown(wait=True, cancel_futures=True)


_MAKER: Maker | None = None


def _start(settings: Settings) -> None:
    global _MAKER
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _exit)
    _MAKER = Maker(settings)


def _exit(signum, frame) -> None:
    raise SystemExit(128 + signum)


def _make(task: Task) -> Result:
    return _MAKER.make(task)

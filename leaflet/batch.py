"""Running a build's tasks in worker processes; results as they finish.

Workers are forked once per build with the shared settings and each keeps its fonts, catalogs and speech cache
for every task it is given. Outputs are made in workers even one at a time: the build takes Ctrl-C and SIGTERM as
an exception, and an exception raised inside a C library's call back into Python (espeak-ng's audio,
libsndfile's reads) is swallowed while the library goes on with part of its data: a sentence with a piece missing,
cached and spoken to every patient after. A worker ignores Ctrl-C (the build decides what an interruption means)
and ends at SIGTERM without unwinding, once the file it is writing is whole.
"""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import signal
import sys
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import replace
from typing import Iterator

from .errors import LeafletError
from .fsutil import end_process
from .make import Maker, Result, Settings, Task
from .speech import Engine


def default_jobs() -> int:
    """The cores this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


def workers_for(jobs: int, tasks: int) -> int:
    """The worker processes a build of `tasks` outputs starts when asked for `jobs`: never more than the cores
    (a process more than the cores only waits for one, with its own copy of the engine and the caches' memory),
    nor than the outputs to make."""
    return max(1, min(jobs, tasks, default_jobs()))


def peak_memory() -> int:
    """This process's peak resident memory in bytes: Linux's VmHWM, else getrusage's ru_maxrss (kilobytes on
    Linux, bytes on macOS). getrusage is not used on Linux: a forked process's ru_maxrss starts from its
    parent's peak, not its own."""
    try:
        with open("/proc/self/status", "rb") as status:
            for line in status:
                if line.startswith(b"VmHWM:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    import resource

    return (1 if sys.platform == "darwin" else 1024) * resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def run(tasks: list[Task], settings: Settings, jobs: int, engine: Engine | None = None,
        catch_bugs: bool = True) -> Iterator[Result]:
    """Every task's result, in the order they finish. An injected engine (a test's fake Google) cannot be
    shipped to another process: such a build runs here, and `catch_bugs=False` lets an unexpected exception out
    where it happened (a build that stops at the first failure)."""
    if engine is not None:
        maker = Maker(settings, engine, catch_bugs)
        for task in tasks:
            yield maker.make(task)
    elif tasks:
        workers = workers_for(jobs, len(tasks))
        # the cores are shared out: a guide's steps are made ready on the threads its process has to itself
        yield from _pooled(tasks, replace(settings, threads=max(1, default_jobs() // workers)), workers)


def _pooled(tasks: list[Task], settings: Settings, workers: int) -> Iterator[Result]:
    context = multiprocessing.get_context("fork" if sys.platform.startswith("linux") else None)
    pool = ProcessPoolExecutor(workers, mp_context=context, initializer=_start, initargs=(settings,))
    pending = {}
    try:
        with _signals_held():  # the workers are forked here
            pending.update({pool.submit(_make, task): task for task in tasks})
        while pending:
            done, _ = wait(pending, return_when=FIRST_COMPLETED)
            for future in done:
                pending.pop(future)
                try:
                    result = future.result()
                except BrokenProcessPool:  # every output still to make is lost with it: say so once
                    raise LeafletError("a worker process was ended (killed, or out of memory) while making an output",
                                       hint="what was made is kept: run the same command again to make the rest") from None
                yield result
    finally:
        if pending:
            # an interruption, or a fatal error the build stops for: nothing more is started, and the workers
            # still making something are ended (each once the file it is writing is whole). The pool's own thread
            # cancels what has not started: a future cancelled from here while that thread marked the pool broken
            # made it raise InvalidStateError and print a traceback under the interruption's one line (Python 3.11).
            processes = list((getattr(pool, "_processes", None) or {}).values())
            manager = getattr(pool, "_executor_manager_thread", None)
            pool.shutdown(wait=False, cancel_futures=True)
            for process in processes:
                if process.is_alive():
                    process.terminate()
            for process in processes:
                process.join()
            if manager is not None:
                manager.join()
        pool.shutdown(wait=True, cancel_futures=True)


_SIGNALS = {signal.SIGINT, signal.SIGTERM}
_MAKER: Maker | None = None


@contextmanager
def _signals_held():
    """Ctrl-C and SIGTERM wait while workers are forked: one arriving mid-fork was lost in Python's fork handlers
    (the build went on) and a new worker died of it with a traceback. A worker is born with them held and lets
    them in once it has its own handlers."""
    if not hasattr(signal, "pthread_sigmask"):  # Windows: no fork, no mask
        yield
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, _SIGNALS)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def _start(settings: Settings) -> None:
    global _MAKER
    keep_freed_memory()
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _exit)
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_UNBLOCK, _SIGNALS)
    _MAKER = Maker(settings)


# glibc's mallopt parameters, and the values a worker sets
_M_TRIM_THRESHOLD, _M_MMAP_THRESHOLD = -1, -3
_MMAP_THRESHOLD = 32 << 20  # glibc's largest: a block under it comes from the heap (a step's samples: 2-15 MB)
_TRIM_THRESHOLD = 256 << 20  # free memory the heap keeps for the next step instead of handing it back


def keep_freed_memory() -> bool:
    """Have glibc keep the memory of freed arrays for the next ones. By default each array over 128 KB (a step's
    samples, its copies, its decoded MP3) is mapped from the kernel, page by page, and unmapped when freed: a
    cold build took 280,000 page faults, most of its 1.2-1.6 s of system time. Kept, the same
    pages serve step after step (about 100,000 faults, 0.4 s of system time less; the peak memory of the build
    rises about 40 MB and stays flat). False where there is no glibc (nothing changes)."""
    try:
        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError):
        return False
    mallopt.argtypes, mallopt.restype = [ctypes.c_int, ctypes.c_int], ctypes.c_int
    return bool(mallopt(_M_MMAP_THRESHOLD, _MMAP_THRESHOLD)) and bool(mallopt(_M_TRIM_THRESHOLD, _TRIM_THRESHOLD))


def _exit(signum, frame) -> None:
    end_process(128 + signum)


def _make(task: Task) -> Result:
    result = _MAKER.make(task)
    result.worker, result.peak_rss = os.getpid(), peak_memory()  # the build adds up its workers' peaks
    return result

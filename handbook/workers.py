"""Worker processes that end with the build.

Rendering and reading many files run on every core in forked workers. If
the build is killed (SIGKILL gives it no chance to stop them), Python's
workers would live on, waiting for work that never comes, or finish a page
into a folder the next build is cleaning up. So each asks the kernel to
kill it when the process that started it dies (Linux's PR_SET_PDEATHSIG).
"""

from __future__ import annotations

import concurrent.futures
import concurrent.futures.process
import ctypes
import multiprocessing
import os
import signal
from collections.abc import Iterator

from .files import OutputError

_PR_SET_PDEATHSIG = 1  # linux/prctl.h


def _start(parent: int, setup, args: tuple) -> None:
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # the parent died before the request took effect
        os._exit(1)
    if setup is not None:
        setup(*args)


class WorkerLost(OutputError):
    """A worker process died before it finished (killed from outside: the kernel's out-of-memory
    killer, a signal): the build stops, in one line, instead of waiting for it for ever."""


def fork_pool(processes: int, setup=None, args: tuple = ()) -> concurrent.futures.ProcessPoolExecutor:
    """A pool of forked workers (they inherit what the parent has computed) that die with the parent;
    each runs `setup(*args)` first (the job: passed on by fork, never pickled). A worker that dies
    breaks the pool: its results raise BrokenProcessPool (see `results`), where multiprocessing.Pool
    would wait for the lost task for ever."""
    return concurrent.futures.ProcessPoolExecutor(processes, mp_context=multiprocessing.get_context("fork"),
                                                  initializer=_start, initargs=(os.getpid(), setup, args))


def results(futures) -> Iterator:
    """Each future's result as it completes; WorkerLost if a worker died, with the others stopped."""
    try:
        for future in concurrent.futures.as_completed(futures):
            yield future.result()
    except concurrent.futures.process.BrokenProcessPool:
        raise WorkerLost("a worker process died before it finished (killed from outside, or out of memory); "
                         "run the build again") from None
    finally:  # on any error, what has not started does not start
        for future in futures:
            future.cancel()

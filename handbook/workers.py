"""Worker processes that end with the build.

Rendering and reading many files run on every core in forked workers. If
the build is killed (SIGKILL gives it no chance to stop them), Python's
workers would live on, waiting for work that never comes, or finish a page
into a folder the next build is cleaning up. So each asks the kernel to
kill it when the process that started it dies (Linux's PR_SET_PDEATHSIG).
"""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import signal

_PR_SET_PDEATHSIG = 1  # linux/prctl.h


def _start(parent: int, setup, args: tuple) -> None:
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # the parent died before the request took effect
        os._exit(1)
    if setup is not None:
        setup(*args)


def fork_pool(processes: int, setup=None, args: tuple = ()) -> multiprocessing.pool.Pool:
    """A pool of forked workers (they inherit what the parent has computed) that die with the parent;
    each runs `setup(*args)` first (the job: passed on by fork, never pickled)."""
    return multiprocessing.get_context("fork").Pool(processes, initializer=_start,
                                                    initargs=(os.getpid(), setup, args))

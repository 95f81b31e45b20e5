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


def _die_with_parent(parent: int) -> None:
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # the parent died before the request took effect
        os._exit(1)


def fork_pool(processes: int) -> multiprocessing.pool.Pool:
    """A pool of forked workers (they inherit what the parent has computed) that die with the parent."""
    return multiprocessing.get_context("fork").Pool(processes, initializer=_die_with_parent,
                                                    initargs=(os.getpid(),))

"""Kill the build (SIGKILL: no handler runs) anywhere, many times: the site is never lost.

After every kill, the site in place is byte-identical to the one before (a
killed build changes nothing, or had swapped in a whole new site, which a
reproducible build makes the same bytes), and the next build succeeds and
leaves nothing beside the site but its lock. The kills fall at random times
across a whole build, and at the named points between which a kill does
the most harm: during Pagefind, right after the new site is staged, right
after the one-step swap, and between the two renames of the swap that file
systems without one fall back on.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from handbook.files import leftovers, lock_path
from tests.conftest import ROOT

KILLS = 12  # random ones; each costs a partial and a whole build (about 2 s together here)
# The small handbook of tests/fixture: a kill lands in the same stages as in the real one's build,
# which takes twice as long and would test nothing more.
CONTENT = ROOT / "tests" / "fixture" / "content"

# Runs the real command line, after wrapping one function of the build so that the process kills
# itself (SIGKILL) at the point named by argv[1]; "none" runs it unchanged.
RUNNER = r"""
import os, signal, sys
from pathlib import Path
import handbook.commands.cli as cli, handbook.files as files, handbook.search.pagefind as search, handbook.build.builder as builder

def die():
    os.kill(os.getpid(), signal.SIGKILL)

point = sys.argv[1]
if point == "after-exchange":
    exchange = files._exchange
    files._exchange = lambda a, b: (exchange(a, b), die())
elif point == "between-renames":
    files._exchange = lambda a, b: False
    replace = os.replace
    def replace_then_die(a, b):
        replace(a, b)
        if ".site.old-" in os.fspath(b):
            die()
    os.replace = replace_then_die
elif point == "after-staging":
    stage = builder.stage_tree
    builder.stage_tree = lambda *a: (stage(*a), die())[0]
elif point == "worker-dies":  # a render worker killed from outside (the kernel's out-of-memory killer)
    import handbook.build.parallel as parallel
    render, parent = parallel._render_share, os.getpid()
    def render_or_die(*task):  # by name, not a lambda: the pool sends it to the workers pickled
        if os.getpid() != parent:
            die()
        return render(*task)
    parallel._render_share = render_or_die
elif point == "during-pagefind":
    receive, calls = search._PagefindService._receive, [0]
    def receive_then_die(self):
        calls[0] += 1
        if calls[0] == 10:  # half-way through the fixture's 20 exchanges with Pagefind
            die()
        return receive(self)
    search._PagefindService._receive = receive_then_die
sys.exit(cli.main(sys.argv[2:]))
"""


def start(out: Path, point: str = "none") -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", RUNNER, point, "--content", str(CONTENT), "build",
                             "--out", str(out)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=ROOT)


def snapshot(site: Path) -> dict[str, str]:
    return {p.relative_to(site).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(site.rglob("*")) if p.is_file()}


def wait_for_lock(out: Path, timeout: float = 15) -> None:
    """Until no process holds the build's lock: the killed build's workers die with it."""
    deadline = time.monotonic() + timeout
    handle = os.open(lock_path(out), os.O_RDWR)
    try:
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return
            except BlockingIOError:
                assert time.monotonic() < deadline, "a killed build's processes still hold the lock"
                time.sleep(0.05)
    finally:
        os.close(handle)


def build_completely(out: Path) -> None:
    run = start(out)
    _, err = run.communicate(timeout=300)
    assert run.returncode == 0, err.decode()
    assert leftovers(out) == [], leftovers(out)


@pytest.fixture(scope="module")
def reference(tmp_path_factory) -> tuple[Path, dict[str, str], float]:
    """A site built once, its files' digests, and how long a build takes here."""
    out = tmp_path_factory.mktemp("faults") / "site"
    started = time.monotonic()
    build_completely(out)
    return out, snapshot(out), time.monotonic() - started


def kill_and_check(out: Path, expected: dict[str, str], run: subprocess.Popen, after: float | None) -> str:
    """Kill `run` after `after` seconds (None: it kills itself), then check the site and rebuild."""
    if after is None:
        run.wait(timeout=300)
    else:
        time.sleep(after)
        run.send_signal(signal.SIGKILL)
        run.wait(timeout=60)
    run.stderr.close()
    outcome = "killed" if run.returncode == -signal.SIGKILL else f"finished ({run.returncode})"
    wait_for_lock(out)
    if out.exists():
        assert snapshot(out) == expected, f"{outcome}: the site in place changed"
    else:  # only the two-rename swap can leave this: the old site waits beside its place
        (old,) = [p for p in leftovers(out) if ".old-" in p.name]
        assert snapshot(old) == expected, f"{outcome}: the site moved aside changed"
    build_completely(out)
    assert snapshot(out) == expected
    return outcome


@pytest.mark.parametrize("point", ["after-staging", "during-pagefind", "after-exchange", "between-renames"])
def test_a_kill_at_the_worst_moments_loses_nothing(reference, point):
    out, expected, _ = reference
    assert kill_and_check(out, expected, start(out, point), None) == "killed"


def test_a_worker_killed_from_outside_stops_the_build_in_one_line(reference):
    """multiprocessing.Pool waited for ever for a killed worker's task; the build now ends, says why,
    and leaves the site as it was."""
    out, expected, _ = reference
    run = start(out, "worker-dies")
    _, err = run.communicate(timeout=120)
    lines = err.decode().strip().splitlines()
    assert run.returncode == 1 and "Traceback" not in err.decode(), err.decode()
    assert "worker process died" in lines[0] and lines[1:] == ["build: stopped; the previous site is unchanged"]
    assert snapshot(out) == expected
    wait_for_lock(out)
    assert leftovers(out) == []


def test_kills_at_random_moments_lose_nothing(reference):
    out, expected, duration = reference
    chance = random.Random(20261202)  # the same moments on every run, spread over a whole build
    outcomes = [kill_and_check(out, expected, start(out), chance.uniform(0.05, duration * 1.1))
                for _ in range(KILLS)]
    assert outcomes.count("killed") >= KILLS // 2, outcomes

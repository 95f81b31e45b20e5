#!/usr/bin/env python3
"""Measure how the build scales with the number of measures.

    python bench/run.py [--sizes 57,1000,10000] [--repeat N] [--workdir DIR] [--timeout S] [--keep] [--pdf] [--clean-only] [--record]

For each size: make a handbook of that many measures (57: a copy of the real
content/ and seeds/; otherwise bench/generate.py), then, each in a
subprocess run from the project root, as a maintainer would run them:

- a clean build, `build.py build` under `/usr/bin/time -v`: wall time, the
  build's own stage lines (`check   79 ms  …`), and peak RSS. GNU time
  reports the largest single process of the tree, so three more peaks are
  taken apart: the whole tree's together (TreeMemory: the sum of its
  processes' PSS, sampled every 0.25 s), the main Python process's own (a small wrapper reads
  getrusage(RUSAGE_SELF) as it exits), and Pagefind's (the largest of its
  processes), with its wall time summed over its processes, which run side
  by side, so the sum exceeds the index stage (the build is given, through
  PAGEFIND_BINARY_PATH, a script that runs the real binary under
  `/usr/bin/time -v`), so Pagefind is measured on exactly the input the
  build gives it. With --repeat N, the fastest of N clean
  builds counts (each into an empty OUT/site): on a shared machine the
  fastest is the one least slowed by other work. "outside stages" is the
  wall time the stage lines do not account for (start-up, work between
  stages, swapping the site in);
- a rebuild after a one-measure edit (one topic swapped), twice: with
  `build.py build` again (a new process: whatever a second build costs), and
  in one process the way `build.py serve` rebuilds after an edit (a
  `handbook.build.builder.Builder` kept between builds; "–" if the checkout has
  none);
- the size of site/ and of site/pagefind/.

With --pdf every build is `build.py build --pdf` (docs/pdf.md): the stage
lines gain the `pdf` stage, and the table the number and size of the PDFs.
The PDFs kept beside the site (OUT/.site.cache-pdf) are removed before each
clean build, so it lays every PDF out; the rebuild after the edit keeps
them, so it lays out only the PDFs the edit changed, as a maintainer's does.

Old trees (a previous size's, a previous attempt's site) are put aside and
deleted only at the end: see Trash.

It prints a Markdown table, one row per size; `--record` appends it to
bench/RESULTS.md with the code and machine it ran on. Only standard-library
Python here: the handbook's own code runs in the subprocesses, with .venv's
Python. The machine's load is recorded too: other work on it slows every
stage, and a second `build.py build` (the rebuild column) shows the noise.
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import re
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = ROOT / ".venv" / "bin" / "python"
GNU_TIME = Path("/usr/bin/time")
RESULTS = ROOT / "bench" / "RESULTS.md"
REAL_SIZE = 57  # this size is the real content, not a synthetic copy

# The build prints one line per stage: name, milliseconds, what it did.
STAGE_LINE = re.compile(r"^(\S+)\s+(\d+) ms\s+(.*)$")
PEAK_MARK = "bench-python-maxrss-kb:"
# Runs build.py as __main__ and reports this process's own peak RSS (not its
# children's) on the way out, whatever the exit code.
PEAK_WRAPPER = f"""
import atexit, resource, runpy, sys
atexit.register(lambda: print("{PEAK_MARK}", resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr))
sys.argv = sys.argv[1:]
runpy.run_path(sys.argv[0], run_name="__main__")
"""

EDIT_MARK = "bench-edit-applied"
SECONDS_MARK = "bench-rebuild-seconds:"
NO_BUILDER = 3  # exit code: this checkout has no Builder to keep between builds
# Builds once with a Builder kept in memory, as `serve` does, then replaces one
# measure file (argv: content, out, file, its edited text) and times the rebuild.
SERVE_REBUILD = f"""
import shutil, sys, time
from pathlib import Path
try:
    from handbook.build.builder import Builder
    from handbook.build.progress import Progress
except ImportError:  # a checkout from before the package had subpackages
    try:
        from handbook.builder import Builder
        from handbook.progress import Progress
    except ImportError:
        sys.exit({NO_BUILDER})
try:  # as serve makes it: the search index in bundles
    from handbook.search.shards import PREVIEW_SHARD_SIZE
    options = dict(shard_size=PREVIEW_SHARD_SIZE)
except ImportError:
    try:
        from handbook.search import PREVIEW_SHARD_SIZE
        options = dict(shard_size=PREVIEW_SHARD_SIZE)
    except ImportError:
        options = dict()
content, out, target, edited = map(Path, sys.argv[1:5])
builder = Builder(Path.cwd(), content, out, None, Progress(), **options)
builder.build()
shutil.copyfile(edited, target)
print("{EDIT_MARK}", flush=True)
started = time.perf_counter()
builder.build()
print("{SECONDS_MARK}", time.perf_counter() - started)
"""


class BenchError(Exception):
    """A step failed; the message says which and why."""

    def __init__(self, message: str, returncode: int | None = None):
        super().__init__(message)
        self.returncode = returncode


class TreeMemory(threading.Thread):
    """The peak memory of a process and all its descendants together, sampled every 0.25 s: the sum of
    each one's PSS (proportional set size: a page shared by n processes counts 1/n in each, so forked
    workers are not counted twice), which is what the tree takes from the machine. GNU time's peak is
    the largest single process's only."""

    def __init__(self, pid: int):
        super().__init__(daemon=True)
        self.pid, self.peak_kb, self.stopped = pid, 0, threading.Event()

    def run(self) -> None:
        while not self.stopped.wait(0.25):
            self.peak_kb = max(self.peak_kb, sum(map(_pss_kb, _tree(self.pid))))

    def stop(self) -> int:
        self.stopped.set()
        self.join()
        return self.peak_kb


def _tree(root: int) -> list[int]:
    """root and every process descended from it, from /proc/<pid>/stat."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue  # gone meanwhile
        children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo += children.get(pid, [])
    return found


def _pss_kb(pid: int) -> int:
    try:
        return int(re.search(r"^Pss:\s+(\d+) kB", Path(f"/proc/{pid}/smaps_rollup").read_text(), re.M)[1])
    except (OSError, TypeError):
        return 0


@dataclass
class Build:
    """One `build.py build`, measured."""

    seconds: float
    stages: dict[str, int]  # stage name -> ms, in the order the build printed them
    tree_rss_kb: int  # the largest process of the tree, as GNU time reports it
    python_rss_kb: int | None  # the main Python process alone
    pagefind_s: float | None  # None: the build did not run Pagefind
    pagefind_rss_kb: int | None
    tree_pss_kb: int | None = None  # the whole process tree together, at its peak (TreeMemory)


@dataclass
class Row:
    size: int
    generate_s: float | None = None  # None for the real content
    clean: Build | None = None
    rebuild: Build | None = None
    serve_rebuild_s: float | None = None  # in one process, as `serve` rebuilds; None when unsupported
    serve_rebuild_stages: dict[str, int] = field(default_factory=dict)
    site_bytes: int | None = None
    site_files: int | None = None
    pagefind_bytes: int | None = None
    pdf_bytes: int | None = None  # with --pdf: every edition's pdf/ folder
    pdf_files: int | None = None
    error: str | None = None


def run(command: list[str], timeout: float, what: str, env: dict | None = None,
        memory: list[int] | None = None) -> subprocess.CompletedProcess:
    """Run from the project root in its own process group, so a timeout also ends its children (Pagefind).
    With `memory` (a list), its process tree's peak memory in KB is appended to it."""
    with subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                          env=env, start_new_session=True) as process:
        sampler = TreeMemory(process.pid)
        if memory is not None:
            sampler.start()
        try:
            stdout, stderr = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.communicate()
            raise BenchError(f"{what}: timed out after {timeout:g} s") from None
        finally:
            if memory is not None:
                memory.append(sampler.stop())
    if process.returncode != 0:
        raise BenchError(f"{what}: exit code {process.returncode}\n  command: {shlex.join(command)}\n"
                         f"  {_tail(stderr or stdout)}", process.returncode)
    return subprocess.CompletedProcess(command, process.returncode, stdout, stderr)


def time_report(path: Path) -> list[tuple[float, int]]:
    """(wall seconds, max RSS in KB) of each run a `/usr/bin/time -v -a -o path` report holds."""
    if not path.exists():
        return []
    text = path.read_text()
    walls = re.findall(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): ([\d:.]+)", text)
    peaks = re.findall(r"Maximum resident set size \(kbytes\): (\d+)", text)
    seconds = [sum(float(part) * 60 ** i for i, part in enumerate(reversed(wall.split(":")))) for wall in walls]
    return list(zip(seconds, map(int, peaks)))


def build(out: Path, timeout: float, what: str, pdf: bool = False) -> Build:
    """One `build.py build` of OUT/content into OUT/site (with `pdf`, its PDFs), with its own, Python's and
    Pagefind's numbers."""
    with tempfile.TemporaryDirectory(prefix="bench-") as scratch:
        scratch = Path(scratch)
        # The build's Pagefind, run under GNU time: a script in place of the binary.
        pagefind_report, timed_pagefind = scratch / "pagefind-time.txt", scratch / "pagefind"
        timed_pagefind.write_text(f'#!/bin/sh\nexec {GNU_TIME} -v -a -o {shlex.quote(str(pagefind_report))} '
                                  f'{shlex.quote(str(pagefind_binary()))} "$@"\n')
        timed_pagefind.chmod(0o755)
        report = scratch / "time.txt"  # its own file, so the build's stderr, shown if it fails, is its alone
        command = [str(GNU_TIME), "-v", "-o", str(report), str(PYTHON), "-c", PEAK_WRAPPER, "build.py",
                   "--content", str(out / "content"), "build", "--out", str(out / "site"), *(["--pdf"] if pdf else [])]
        started, memory = time.perf_counter(), []
        result = run(command, timeout, what, env={**os.environ, "PAGEFIND_BINARY_PATH": str(timed_pagefind)},
                     memory=memory)
        seconds = time.perf_counter() - started
        tree = time_report(report)
        pagefind = time_report(pagefind_report)
    stages = stage_lines(result.stdout)
    if not stages:
        raise BenchError(f"{what}: the build printed no stage lines:\n  {_tail(result.stdout)}")
    if not tree:
        raise BenchError(f"{what}: no 'Maximum resident set size' in the report of {GNU_TIME} -v")
    python_peak = re.search(rf"{PEAK_MARK} (\d+)", result.stderr)
    return Build(seconds, stages, tree[0][1], int(python_peak[1]) if python_peak else None,
                 sum(s for s, _ in pagefind) if pagefind else None, max((kb for _, kb in pagefind), default=None),
                 memory[0] if memory else None)


def stage_lines(stdout: str) -> dict[str, int]:
    """Stage name -> milliseconds, from the build's `name  NNN ms  what` lines."""
    return {m[1]: int(m[2]) for line in stdout.splitlines() if (m := STAGE_LINE.match(line.strip()))}


def serve_rebuild(out: Path, target: Path, edited: str, timeout: float) -> tuple[float, dict[str, int]] | None:
    """Seconds and stages of an in-process rebuild after editing `target`; None if the checkout cannot."""
    edited_file = out / "edited.yaml"
    edited_file.write_text(edited, encoding="utf-8")
    command = [str(PYTHON), "-c", SERVE_REBUILD, str(out / "content"), str(out / "site"), str(target),
               str(edited_file)]
    try:
        result = run(command, timeout, "rebuild in one process (as serve does)")
    except BenchError as error:
        if error.returncode == NO_BUILDER:
            return None
        raise
    seconds = re.search(rf"^{SECONDS_MARK} ([0-9.]+)$", result.stdout, re.M)
    if EDIT_MARK not in result.stdout or not seconds:
        raise BenchError(f"rebuild in one process: unexpected output\n  {_tail(result.stdout)}")
    return float(seconds[1]), stage_lines(result.stdout.split(EDIT_MARK, 1)[1])


def pagefind_binary() -> Path:
    """The binary the build uses (handbook/search/pagefind.py looks in the same places)."""
    if os.environ.get("PAGEFIND_BINARY_PATH"):
        return Path(os.environ["PAGEFIND_BINARY_PATH"])
    found = sorted((ROOT / "node_modules" / "@pagefind").glob("*/bin/pagefind_extended"))
    if not found:
        raise BenchError("the Pagefind binary is not installed: run `make setup` (npm ci), "
                         "or set PAGEFIND_BINARY_PATH")
    return found[0]


class Trash:
    """Trees put aside during the run and deleted only at its end.

    On ext4 without a journal (this VM's disk), creating files in the half
    minute after deleting many is slowed by the kernel skipping the recently
    freed inodes (`recently_deleted` in perf): a clean build of 10,000 measures
    right after deleting a site took 50-66 s where it takes 36-39 s otherwise.
    A maintainer's build seldom follows a mass deletion, so the bench's must not.
    """

    def __init__(self, workdir: Path):
        self.folder = workdir / f".trash-{os.getpid()}"
        self.count = 0

    def put(self, tree: Path) -> None:
        if tree.exists():
            self.folder.mkdir(parents=True, exist_ok=True)
            self.count += 1
            tree.rename(self.folder / str(self.count))

    def empty(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)


def prepare(size: int, out: Path, timeout: float) -> float | None:
    """Make OUT/content and OUT/seeds for this size, in a new OUT; the seconds generating took
    (None: the real content)."""
    out.mkdir(parents=True)
    if size == REAL_SIZE:
        shutil.copytree(ROOT / "content", out / "content")
        shutil.copytree(ROOT / "seeds", out / "seeds")
        return None
    started = time.perf_counter()
    run([str(PYTHON), "bench/generate.py", str(size), str(out)], timeout, f"generate {size}")
    return time.perf_counter() - started


def edit_one_measure(content: Path) -> tuple[Path, str]:
    """The first measure file, and its text with the first topic swapped for another valid one.

    A one-line editorial change, the commonest edit; the file is not written here.
    """
    topic_ids = re.findall(r"^\s*-\s+id:\s*(\S+)\s*$", (content / "topics.yaml").read_text(encoding="utf-8"), re.M)
    target = min((content / "measures").glob("*/*.yaml"))
    text = target.read_text(encoding="utf-8")
    match = re.search(r"^topics: \[([^\]\n]*)\]$", text, re.M)
    if not match:
        raise BenchError(f"{target}: no `topics: [...]` line to edit")
    current = [t.strip() for t in match[1].split(",")]
    replacement = next((t for t in topic_ids if t not in current), None)
    if replacement is None:
        raise BenchError(f"{target}: no other topic to swap in")
    line = f"topics: [{', '.join([replacement, *current[1:]])}]"
    return target, text[:match.start()] + line + text[match.end():]


def tree_size(folder: Path) -> tuple[int, int]:
    """(bytes, files) below folder."""
    total = files = 0
    for directory, _, names in os.walk(folder):
        for name in names:
            total += os.lstat(os.path.join(directory, name)).st_size
            files += 1
    return total, files


def measure(size: int, workdir: Path, timeout: float, keep: bool, trash: Trash, repeat: int = 1,
            pdf: bool = False, rebuilds: bool = True) -> Row:
    """Every number of one row (without `rebuilds`, the clean build's); a failing step stops the row and
    is reported in it."""
    row = Row(size)
    out = workdir / f"n{size}"
    step = "prepare"
    try:
        _log(size, f"preparing {out}")
        trash.put(out)  # left by an earlier run with --keep
        row.generate_s = prepare(size, out, timeout)

        step = "clean build"
        for attempt in range(1, repeat + 1):
            _log(size, f"clean build ({attempt} of {repeat})" if repeat > 1 else "clean build")
            trash.put(out / "site")
            trash.put(out / ".site.cache-pdf")  # a clean build with --pdf lays every PDF out
            clean = build(out, timeout, f"clean build of {size}", pdf)
            _log(size, f"  {clean.seconds:.1f} s  {_stages(clean.stages)}")
            if row.clean is None or clean.seconds < row.clean.seconds:
                row.clean = clean
        row.site_bytes, row.site_files = tree_size(out / "site")
        row.pagefind_bytes, _ = tree_size(out / "site" / "pagefind")
        if pdf:
            sizes = [tree_size(folder) for folder in sorted((out / "site").glob("*/pdf"))]
            row.pdf_bytes, row.pdf_files = sum(b for b, _ in sizes), sum(f for _, f in sizes)

        if not rebuilds:
            return row
        step = "rebuild"
        target, edited = edit_one_measure(out / "content")
        target.write_text(edited, encoding="utf-8")
        _log(size, f"build.py build again after editing {target.relative_to(out)}")
        row.rebuild = build(out, timeout, f"rebuild of {size}", pdf)
        _log(size, f"  {row.rebuild.seconds:.1f} s  {_stages(row.rebuild.stages)}")

        step = "rebuild in one process"
        _log(size, "build, edit the same file again, rebuild, in one process (as serve does)")
        target, edited = edit_one_measure(out / "content")
        serve = serve_rebuild(out, target, edited, timeout)
        if serve:
            row.serve_rebuild_s, row.serve_rebuild_stages = serve
            _log(size, f"  rebuild {row.serve_rebuild_s:.1f} s  {_stages(row.serve_rebuild_stages)}")
        else:
            _log(size, "  this checkout has no handbook.build.builder.Builder to keep between builds; skipped")
    except (BenchError, OSError) as error:
        row.error = f"{step}: {error}"
        _log(size, f"FAILED {row.error}")
    finally:
        if not keep:
            trash.put(out)
    return row


def table(rows: list[Row]) -> str:
    """The results as a Markdown table; the stage columns are whatever stages the builds printed."""
    stage_names: list[str] = []
    for row in rows:
        stage_names += [name for name in (row.clean.stages if row.clean else ()) if name not in stage_names]
    header = ["measures", "generate s", "clean build s", *(f"{name} ms" for name in stage_names),
              "outside stages s", "Pagefind s, runs summed", "rebuild after 1 edit s", "rebuild in serve s", "… of which index s",
              "peak memory, whole tree (PSS) MB", "peak RSS largest process MB", "peak RSS Python main MB",
              "peak RSS Pagefind MB",
              "site MB", "site files", "pagefind/ MB"]
    pdf = any(row.pdf_files is not None for row in rows)
    header += ["rebuild after 1 edit: pdf ms", "PDFs", "PDFs MB"] if pdf else []
    lines = ["| " + " | ".join(header) + " |", "|" + "---:|" * len(header)]
    for row in rows:
        clean = row.clean or Build(None, {}, None, None, None, None)  # a failed row: every cell "–"
        serve_index = row.serve_rebuild_stages.get("index")
        cells = [f"{row.size:,}", _num(row.generate_s, 1), _num(clean.seconds, 1),
                 *(_num(clean.stages.get(name), 0, thousands=True) for name in stage_names),
                 _num(row.clean and row.clean.seconds - sum(row.clean.stages.values()) / 1000, 1),
                 _num(clean.pagefind_s, 1), _num(row.rebuild and row.rebuild.seconds, 1),
                 _num(row.serve_rebuild_s, 1), _num(serve_index and serve_index / 1000, 1),
                 _mb(clean.tree_pss_kb, 1024), _mb(clean.tree_rss_kb, 1024), _mb(clean.python_rss_kb, 1024),
                 _mb(clean.pagefind_rss_kb, 1024),
                 _mb(row.site_bytes, 1024 ** 2), _num(row.site_files, 0, thousands=True),
                 _mb(row.pagefind_bytes, 1024 ** 2)]
        if pdf:
            cells += [_num(row.rebuild and row.rebuild.stages.get("pdf"), 0, thousands=True),
                      _num(row.pdf_files, 0, thousands=True), _mb(row.pdf_bytes, 1024 ** 2)]
        lines.append("| " + " | ".join(cells) + " |")
    failures = [f"- {row.size:,} measures failed at {row.error}" for row in rows if row.error]
    return "\n".join(lines + ([""] + failures if failures else []))


def machine() -> str:
    """What the numbers were measured on: the code, the machine, Python and Pagefind."""
    memory = re.search(r"^MemTotal:\s+(\d+) kB", Path("/proc/meminfo").read_text(), re.M)
    python = run([str(PYTHON), "-c", "import platform; print(platform.python_version())"], 60, "python version")
    pagefind = run([str(pagefind_binary()), "--version"], 60, "pagefind version")
    return (f"Code: {commit()}. Machine: {platform.platform()}, {os.cpu_count()} cores, "
            f"{int(memory[1]) / 1024 ** 2:.1f} GB memory; Python {python.stdout.strip()}; "
            f"{pagefind.stdout.strip()} (extended).")


def commit() -> str:
    """The commit measured, marked if the checkout has uncommitted changes (numbers then may not reproduce)."""
    try:
        top = subprocess.run(["git", "rev-parse", "--show-toplevel"], cwd=ROOT, capture_output=True, text=True)
        if top.returncode != 0 or Path(top.stdout.strip()).resolve() != ROOT:
            return "not a git checkout"
        described = subprocess.run(["git", "describe", "--always", "--dirty=, with uncommitted changes"],
                                   cwd=ROOT, capture_output=True, text=True, check=True)
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return f"commit {described.stdout.strip()}"


def record(text: str, pdf: bool = False) -> None:
    today = datetime.date.today().isoformat()
    with RESULTS.open("a", encoding="utf-8") as results:
        results.write(f"\n## Build scaling with the number of measures{', with PDFs' if pdf else ''}, {today}\n\n"
                      f"{text}\n")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python bench/run.py", description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="57,1000,10000",
                        help="comma-separated measure counts; 57 is the real content (default: %(default)s)")
    parser.add_argument("--repeat", type=int, default=1,
                        help="clean builds per size; the fastest counts (default: %(default)s)")
    parser.add_argument("--workdir", type=Path, default=ROOT / "build" / "bench",
                        help="where each size's tree is made (default: build/bench, git-ignored)")
    parser.add_argument("--timeout", type=float, default=1800,
                        help="seconds allowed per command (default: %(default)s)")
    parser.add_argument("--keep", action="store_true", help="keep each size's tree (content, seeds, site) afterwards")
    parser.add_argument("--pdf", action="store_true",
                        help="build with --pdf: the PDF stage, and the PDFs' number and size (docs/pdf.md)")
    parser.add_argument("--clean-only", action="store_true",
                        help="only the clean build, not the two rebuilds (each another clean build's time "
                             "first: at 100,000 measures about an hour together)")
    parser.add_argument("--record", action="store_true", help=f"append the table to {RESULTS.relative_to(ROOT)}")
    args = parser.parse_args(argv)
    try:
        sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
        if not sizes or min(sizes) < 1:
            raise ValueError
    except ValueError:
        parser.error(f"--sizes must be positive whole numbers separated by commas (got {args.sizes!r})")
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")
    for needed, hint in ((PYTHON, "run `make setup` to create .venv"),
                         (GNU_TIME, "install GNU time: apt-get install -y time")):
        if not needed.exists():
            print(f"bench: error: {needed} is missing; {hint}", file=sys.stderr)
            return 2
    try:
        about = machine()
    except BenchError as error:
        print(f"bench: error: {error}", file=sys.stderr)
        return 2

    load_before = os.getloadavg()[0]
    workdir = args.workdir.resolve()
    trash = Trash(workdir)
    try:
        rows = [measure(size, workdir, args.timeout, args.keep, trash, args.repeat, args.pdf, not args.clean_only)
                for size in sizes]
    finally:
        trash.empty()
    about += f" Load average (1 min): {load_before:.1f} at the start, {os.getloadavg()[0]:.1f} at the end."
    if args.repeat > 1:
        about += f" Clean build: the fastest of {args.repeat}."
    text = f"{about}\n\n{table(rows)}"
    print(f"\n{text}")
    if args.record:
        record(text, args.pdf)
        print(f"\nappended to {RESULTS.relative_to(ROOT)}")
    return 1 if any(row.error for row in rows) else 0


def _num(value, digits: int, thousands: bool = False) -> str:
    if value is None:
        return "–"
    return f"{value:,.{digits}f}" if thousands else f"{value:.{digits}f}"


def _mb(value: int | None, unit: int) -> str:
    return "–" if value is None else f"{value / unit:,.1f}"


def _stages(stages: dict[str, int]) -> str:
    return "  ".join(f"{name} {ms} ms" for name, ms in stages.items())


def _tail(text: str, lines: int = 15) -> str:
    return "\n  ".join(text.strip().splitlines()[-lines:])


def _log(size: int, message: str) -> None:
    print(f"[{size:>6}] {message}", file=sys.stderr, flush=True)


if __name__ == "__main__":
    sys.exit(main())

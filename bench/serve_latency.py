"""From saving a file to seeing it: `serve` as a maintainer uses it, timed in a real browser.

    .venv/bin/python bench/serve_latency.py [--sizes 57,10000] [--edits 5] [--record]

For each size: a handbook of that many measures (57: a copy of the real
content/ and seeds/; otherwise bench/generate.py), `build.py serve` on it
in a subprocess, and Debian's Chromium on the first measure's page. Then,
EDITS times, one topic of that measure is swapped (as bench/run.py does)
and saved, and two moments are timed from the save:

- reloaded: the open tab has reloaded by itself (the browser's own
  performance.timing.loadEventEnd, on the same clock as the save) and shows
  the new topic (serve previews a measure edited in place: build/preview.py);
- rebuilt: serve has printed `rebuilt in`: every page is as a clean build
  makes it;
- searchable: serve has printed its `index` line (the pages' bundles are
  re-indexed after the reload).

The median and the slowest of the edits are printed as a table; --record
appends it to bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.run import PYTHON, edit_one_measure, prepare  # noqa: E402
from devtools.browser import launch_browser, wait_until  # noqa: E402


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """`build.py serve` in a subprocess, its output collected line by line."""

    def __init__(self, content: Path, out: Path, port: int):
        self.lines: list[str] = []
        self.process = subprocess.Popen(
            [str(PYTHON), "build.py", "--content", str(content), "serve", "--out", str(out), "--port", str(port)],
            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, bufsize=1)
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        for line in self.process.stdout:
            self.lines.append(line.rstrip("\n"))

    def wait_for(self, pattern: str, after: int, timeout: float) -> float:
        """Seconds (perf_counter) when a line from index `after` on matches `pattern`."""
        deadline = time.perf_counter() + timeout
        while time.perf_counter() < deadline:
            if any(re.search(pattern, line) for line in self.lines[after:]):
                return time.perf_counter()
            if self.process.poll() is not None:
                raise RuntimeError("serve stopped:\n" + "\n".join(self.lines[-20:]))
            time.sleep(0.005)
        raise TimeoutError(f"no line matching {pattern!r} in {timeout} s:\n" + "\n".join(self.lines[-20:]))

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)


def measure(size: int, edits: int, workdir: Path, verbose: bool = False) -> dict:
    tree = workdir / str(size)
    prepare(size, tree, 1800)
    target, edited = edit_one_measure(tree / "content")
    original = target.read_text(encoding="utf-8")
    measure_id = re.search(r"^id: (\S+)$", original, re.M)[1]
    topic = re.search(r"^topics: \[([^,\]]+)", edited, re.M)[1]
    topic_name = re.search(rf"- id: {re.escape(topic)}\n\s+name: (\S+)",
                           (tree / "content" / "topics.yaml").read_text(encoding="utf-8"))[1]
    port = free_port()
    server = Server(tree / "content", tree / "site", port)
    reloaded, rebuilt, searchable = [], [], []
    try:
        server.wait_for(r"^serving at", 0, 1800)
        with launch_browser() as browser:
            page = browser.new_page()
            page.goto(f"http://127.0.0.1:{port}/zh-hans/measures/{measure_id}/")
            for n in range(edits):
                text = edited if n % 2 == 0 else original
                page.evaluate("window.__before_save = true")
                page.wait_for_timeout(300)  # the live-reload stream is open, the server idle
                after = len(server.lines)
                saved, saved_clock = time.perf_counter(), time.time()
                target.write_text(text, encoding="utf-8")
                wait_until(page, "!window.__before_save && performance.timing.loadEventEnd > 0",
                                       timeout=120_000)
                shown = page.inner_text("table.metadata")
                reloaded.append(page.evaluate("performance.timing.loadEventEnd") / 1000 - saved_clock)
                if (topic_name in shown) != (text is edited):
                    raise RuntimeError(f"the reloaded page does not show the edit ({topic_name})")
                rebuilt.append(server.wait_for(r"^rebuilt in", after, 600) - saved)
                searchable.append(server.wait_for(r"^index\s+\d+ ms", after, 600) - saved)
                if verbose:  # serve's own account of the rebuild
                    print(f"[{size}] reloaded {reloaded[-1]:.2f} s:", *server.lines[after:], sep="\n  ", flush=True)
    finally:
        server.stop()
        shutil.rmtree(tree, ignore_errors=True)
    return {"size": size, "reloaded": reloaded, "rebuilt": rebuilt, "searchable": searchable}


def table(rows: list[dict]) -> str:
    lines = ["| measures | edits | save → tab reloaded, median s | slowest s | save → rebuilt, median s | slowest s "
             "| save → searchable, median s | slowest s |",
             "|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for row in rows:
        cells = [f"{statistics.median(row[k]):.2f} | {max(row[k]):.2f}" for k in ("reloaded", "rebuilt", "searchable")]
        lines.append(f"| {row['size']:,} | {len(row['reloaded'])} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def _load(load: tuple[float, float, float]) -> str:
    return "/".join(f"{x:.1f}" for x in load)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="57,10000", help="comma-separated numbers of measures")
    parser.add_argument("--edits", type=int, default=5, help="saves to time at each size")
    parser.add_argument("--record", action="store_true", help="append the table to bench/RESULTS.md")
    parser.add_argument("--verbose", action="store_true", help="print serve's lines after each save")
    args = parser.parse_args()
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory(dir=ROOT / "build" if (ROOT / "build").is_dir() else None) as tmp:
        rows = [measure(int(size), args.edits, Path(tmp), args.verbose) for size in args.sizes.split(",")]
    load_after = os.getloadavg()
    text = table(rows)
    print(text)
    if args.record:
        header = (f"\n## From save to reload in `serve`, {time.strftime('%Y-%m-%d')}\n\n"
                  f"Machine: {platform.machine()}, {platform.system()} {platform.release()}, "
                  f"{os.cpu_count()} cores; Python {platform.python_version()}. Load (1, 5, 15 min) "
                  f"{_load(load_before)} at the start, {_load(load_after)} at the end.\n\n")
        with open(ROOT / "bench" / "RESULTS.md", "a", encoding="utf-8") as out:
            out.write(header + text + "\n")


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Our render time per page beside Hugo's, on the same content, in the same run (issue 18).

    python bench/hugo_baseline.py [--sizes 1000,10000] [--repeat N] [--workdir DIR] [--timeout S] [--record]

Issue 18 asks that rendering take at most 1.5 times Hugo's time per page at
1,000 and 10,000 measures. For each size this:

1. makes OUT/content (bench/generate.py through bench/run.py's prepare; an
   OUT/content left by an earlier run is reused), then a Hugo site of the same
   pages in the same four editions with bench/hugo_site.py (its docstring
   says what is the same and what is not: Hugo does no OpenCC, so the zh-hk
   and zh-tw editions carry the Simplified characters);
2. builds each, clean, N rounds interleaved (Hugo first in odd rounds, ours
   first in even ones), into a tmpfs (/dev/shm) when there is one, so the
   disk is not what is measured: `hugo --quiet` (its wall time: Hugo reads,
   renders and writes in one go) and `build.py --content OUT/content build`
   (its stage lines, read as bench/run.py reads them);
3. reports per size the medians: the pages (HTML files, less Hugo's
   page/1/ redirects) each tool wrote, Hugo's wall time and ms a page, our
   render stage's ms a page, our check + convert + render's, the ratio of
   our render to Hugo per page, the bytes each wrote, and the load average.

Hugo is Debian's package, installed here if missing (apt-get, through sudo
when not root); its version goes into the results. Our build also indexes
for search (Pagefind); that stage is not compared. Only standard-library
Python here, as in bench/run.py, whose functions this imports.
"""

from __future__ import annotations

import argparse
import datetime
import os
import re
import shutil
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # `python bench/hugo_baseline.py` puts bench/, not the root, on the path

from bench import run as bench  # noqa: E402

OURS = ("check", "convert", "render")  # the stages that turn content into pages, as Hugo's one run does
REDIRECT = b'http-equiv="refresh"'  # Hugo writes a list's page/1/ as a redirect to the list


@dataclass
class Output:
    """What one tool wrote: HTML pages (redirects apart), their bytes, and every file's."""

    pages: int = 0
    page_bytes: int = 0
    redirects: int = 0
    bytes: int = 0


@dataclass
class Row:
    size: int
    hugo_s: list[float] = field(default_factory=list)
    render_ms: list[int] = field(default_factory=list)
    ours_ms: list[int] = field(default_factory=list)  # check + convert + render
    hugo: Output | None = None
    ours: Output | None = None
    search_bytes: int = 0  # our site/pagefind/, which Hugo has no counterpart of
    load: tuple[float, float] = (0.0, 0.0)
    error: str | None = None


def ensure_hugo(timeout: float) -> str:
    """`hugo version`, after installing Debian's package if there is no hugo."""
    if shutil.which("hugo") is None:
        sudo = [] if os.geteuid() == 0 else ["sudo"]
        bench._log(0, "installing Debian's hugo")
        bench.run([*sudo, "apt-get", "install", "-y", "-qq", "hugo"], timeout, "apt-get install hugo",
                  env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"})
    return bench.run(["hugo", "version"], 60, "hugo version").stdout.strip()


def written(folder: Path) -> Output:
    """Count the HTML pages below folder (not redirects) and the bytes of everything."""
    out = Output()
    for directory, _, names in os.walk(folder):
        for name in names:
            path = os.path.join(directory, name)
            size = os.lstat(path).st_size
            out.bytes += size
            if name.endswith(".html"):
                with open(path, "rb") as page:
                    if REDIRECT in page.read(512):
                        out.redirects += 1
                        continue
                out.pages += 1
                out.page_bytes += size
    return out


def prepare(size: int, out: Path, timeout: float) -> None:
    """OUT/content for this size (kept from an earlier run if there), and the Hugo site OUT/hugo made from it."""
    if not (out / "content").is_dir():
        if out.exists():
            raise bench.BenchError(f"{out} exists without content/: remove it")
        bench.prepare(size, out, timeout)
    bench.run([str(bench.PYTHON), "bench/hugo_site.py", str(out / "content"), str(out / "hugo")], timeout,
              f"write the Hugo site of {size}")


def hugo_round(site: Path, dest: Path, timeout: float) -> float:
    shutil.rmtree(dest, ignore_errors=True)
    started = time.perf_counter()
    bench.run(["hugo", "--quiet", "--source", str(site), "--destination", str(dest)], timeout, "hugo")
    return time.perf_counter() - started


def our_round(content: Path, dest: Path, timeout: float) -> dict[str, int]:
    shutil.rmtree(dest, ignore_errors=True)
    result = bench.run([str(bench.PYTHON), "build.py", "--content", str(content), "build", "--out", str(dest)],
                       timeout, "build.py build")
    stages = bench.stage_lines(result.stdout)
    missing = [name for name in OURS if name not in stages]
    if missing:
        raise bench.BenchError(f"build.py build printed no {', '.join(missing)} stage line")
    return stages


def measure(size: int, workdir: Path, scratch: Path, repeat: int, timeout: float) -> Row:
    """Every number of one row; a failing step stops the row and is reported in it."""
    row, out = Row(size), workdir / f"n{size}"
    load = os.getloadavg()[0]
    try:
        bench._log(size, f"preparing {out}")
        prepare(size, out, timeout)
        hugo_dest, our_dest = scratch / f"hugo-{size}", scratch / f"ours-{size}"
        for attempt in range(1, repeat + 1):
            for tool in ("hugo", "ours") if attempt % 2 else ("ours", "hugo"):
                if tool == "hugo":
                    row.hugo_s.append(hugo_round(out / "hugo", hugo_dest, timeout))
                    bench._log(size, f"round {attempt}: hugo {row.hugo_s[-1]:.1f} s")
                else:
                    stages = our_round(out / "content", our_dest, timeout)
                    row.render_ms.append(stages["render"])
                    row.ours_ms.append(sum(stages[name] for name in OURS))
                    bench._log(size, f"round {attempt}: ours {bench._stages(stages)}")
        row.hugo, row.ours = written(hugo_dest), written(our_dest)
        row.search_bytes, _ = bench.tree_size(our_dest / "pagefind")
        shutil.rmtree(hugo_dest, ignore_errors=True)
        shutil.rmtree(our_dest, ignore_errors=True)
    except (bench.BenchError, OSError) as error:
        row.error = str(error)
        bench._log(size, f"FAILED {row.error}")
    row.load = (load, os.getloadavg()[0])
    return row


HEADER = ["measures", "pages Hugo", "pages ours", "Hugo s", "Hugo ms/page", "our render ms/page",
          "our check+convert+render ms/page", "render / Hugo, per page", "Hugo MB", "ours MB (pagefind/ apart)",
          "Hugo KB/page", "ours KB/page", "load (1 min) before, after"]


def table(rows: list[Row]) -> str:
    """The medians as a Markdown table, one row per size."""
    lines = ["| " + " | ".join(HEADER) + " |", "|" + "---:|" * len(HEADER)]
    for row in rows:
        if row.error:
            lines.append(f"| {row.size:,} | " + " | ".join(["–"] * (len(HEADER) - 2)) + f" | {row.load[0]:.1f}, {row.load[1]:.1f} |")
            continue
        hugo_ms = statistics.median(row.hugo_s) * 1000 / row.hugo.pages
        render_ms = statistics.median(row.render_ms) / row.ours.pages
        cells = [f"{row.size:,}", f"{row.hugo.pages:,}", f"{row.ours.pages:,}", f"{statistics.median(row.hugo_s):.1f}",
                 f"{hugo_ms:.2f}", f"{render_ms:.2f}", f"{statistics.median(row.ours_ms) / row.ours.pages:.2f}",
                 f"{render_ms / hugo_ms:.2f}", f"{row.hugo.bytes / 1024 ** 2:,.1f}",
                 f"{(row.ours.bytes - row.search_bytes) / 1024 ** 2:,.1f}",
                 f"{row.hugo.page_bytes / row.hugo.pages / 1024:.1f}", f"{row.ours.page_bytes / row.ours.pages / 1024:.1f}",
                 f"{row.load[0]:.1f}, {row.load[1]:.1f}"]
        lines.append("| " + " | ".join(cells) + " |")
    failures = [f"- {row.size:,} measures failed: {row.error}" for row in rows if row.error]
    return "\n".join(lines + ([""] + failures if failures else []))


def record(text: str) -> None:
    with bench.RESULTS.open("a", encoding="utf-8") as results:
        results.write(f"\n## Hugo baseline: render time per page (issue 18), {datetime.date.today().isoformat()}\n\n"
                      f"{text}\n")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python bench/hugo_baseline.py", description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000,10000", help="comma-separated measure counts (default: %(default)s)")
    parser.add_argument("--repeat", type=int, default=3, help="rounds of each tool per size; medians count "
                                                               "(default: %(default)s)")
    parser.add_argument("--workdir", type=Path, default=ROOT / "build" / "hugo-bench",
                        help="where each size's content and Hugo site are kept (default: build/hugo-bench)")
    parser.add_argument("--timeout", type=float, default=1800, help="seconds allowed per command (default: %(default)s)")
    parser.add_argument("--record", action="store_true", help=f"append the table to {bench.RESULTS.relative_to(ROOT)}")
    args = parser.parse_args(argv)
    try:
        sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
        if not sizes or min(sizes) < 1 or args.repeat < 1:
            raise ValueError
    except ValueError:
        parser.error("--sizes must be positive whole numbers separated by commas, --repeat at least 1")
    if not bench.PYTHON.exists():
        print(f"hugo_baseline: error: {bench.PYTHON} is missing; run `make setup`", file=sys.stderr)
        return 2
    try:
        hugo = ensure_hugo(args.timeout)
        about = bench.machine()
    except bench.BenchError as error:
        print(f"hugo_baseline: error: {error}", file=sys.stderr)
        return 2
    shm = Path("/dev/shm")
    tmpfs = shm.is_dir() and os.access(shm, os.W_OK)
    with tempfile.TemporaryDirectory(prefix="hugo-baseline-", dir=shm if tmpfs else None) as scratch:
        rows = [measure(size, args.workdir.resolve(), Path(scratch), args.repeat, args.timeout) for size in sizes]
    about += (f" {hugo}. Both build into {'a tmpfs (/dev/shm)' if tmpfs else 'a temporary folder on disk'}, "
              f"clean, {args.repeat} rounds each, interleaved; medians.")
    text = f"{about}\n\n{table(rows)}"
    print(f"\n{text}")
    if args.record:
        record(text)
        print(f"\nappended to {bench.RESULTS.relative_to(ROOT)}")
    return 1 if any(row.error for row in rows) else 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""Measure what the open data (handbook/opendata/) costs a build, and how large it is.

    python bench/opendata.py [--sizes 57,1000,10000] [--workdir DIR] [--record]

For each size (57: the real content; otherwise bench/generate.py's), in a process of its own: the handbook
checked, the site planned once with no previous plan (a clean build's convert stage) and once more
from that plan with the same converters, the first one's objects frozen as a kept Builder freezes them
(a rebuild in `serve` after no edit: every record's lines are reused), each edition's `open_data` timed inside both; and the bytes of each edition's data/
folder. It prints a Markdown table; `--record` appends it to bench/RESULTS.md with the code and
machine. Run it with `nice` on a shared machine: other work slows every number.
"""

from __future__ import annotations

import argparse
import gc
import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.generate import plan as generated, write  # noqa: E402
from bench.run import RESULTS, machine  # noqa: E402
from handbook.content.checks import check_content  # noqa: E402
from handbook.convert.converter import Converters  # noqa: E402
from handbook.site import plan as planning  # noqa: E402
from handbook.site.strings import load_strings  # noqa: E402


def measure(size: int, workdir: Path) -> dict:
    content = ROOT / "content"
    if size != 57:
        tree = workdir / f"opendata-{size}"
        write(tree, generated(size), force=True)
        content = tree / "content"
    handbook = check_content(content)
    strings = load_strings(ROOT / "templates")
    spent: list[float] = []
    made = planning.open_data

    def timed(*args, **kwargs):
        start = time.perf_counter()
        result = made(*args, **kwargs)
        spent.append(time.perf_counter() - start)
        return result

    planning.open_data = timed
    try:
        converters = Converters()
        first = planning.plan_site(handbook, strings, None, None, converters)
        cold = sum(spent)
        spent.clear()
        gc.collect()
        gc.freeze()  # as a kept Builder does after its first build: the kept objects are never walked again
        planning.plan_site(handbook, strings, None, first, converters)
        warm = sum(spent)
    finally:
        planning.open_data = made
        gc.unfreeze()
    sizes = {p.edition.code: sum(len(data) for data in p.data.files.values()) for p in first.editions}
    return {"size": size, "cold": cold, "warm": warm, "sizes": sizes, "files": len(first.editions[0].data.files)}


def table(rows: list[dict]) -> str:
    codes = list(rows[0]["sizes"])
    lines = ["| measures | files an edition | open data, clean build s (all editions) | open data, rebuild s | "
             + " | ".join(f"{code} MB" for code in codes) + " |",
             "|---:|---:|---:|---:|" + "---:|" * len(codes)]
    for row in rows:
        lines.append(f"| {row['size']:,} | {row['files']} | {row['cold']:.2f} | {row['warm']:.2f} | "
                     + " | ".join(f"{row['sizes'][code] / 1024 ** 2:.2f}" for code in codes) + " |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python bench/opendata.py", description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="57,1000,10000", help="comma-separated measure counts (default: %(default)s)")
    parser.add_argument("--workdir", type=Path, default=ROOT / "build" / "bench",
                        help="where generated content is written (default: build/bench, git-ignored)")
    parser.add_argument("--record", action="store_true", help="append the table to bench/RESULTS.md")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)  # a size, measured in this process: JSON out
    args = parser.parse_args(argv)
    if args.one:
        print(json.dumps(measure(args.one, args.workdir)))
        return 0
    rows = []
    for size in args.sizes.split(","):  # each in a new process, as each build of serve is alone in its own
        done = subprocess.run([sys.executable, __file__, "--one", size, "--workdir", str(args.workdir)],
                              capture_output=True, text=True, check=True)
        rows.append(json.loads(done.stdout))
        shutil.rmtree(args.workdir / f"opendata-{size}", ignore_errors=True)
    text = table(rows)
    print(text)
    if args.record:
        with RESULTS.open("a", encoding="utf-8") as results:
            results.write(f"\n## The open data's cost and size\n\n{machine()}\n\n{text}\n")
        print(f"\nappended to {RESULTS.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

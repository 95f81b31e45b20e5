"""How long a reader waits for search results, in headless Chromium on 127.0.0.1.

- cold: a new browser context (empty cache) opens `/<edition>/search/?q=…`;
  the time from the start of navigation to the first result on the page;
- warm: on a search page that has loaded, the reader submits a query; the time
  from submitting to the first result of that query.

Each is the median of several runs, per query and edition. The queries are
one the text writes (知识产权), one only the termbase finds (智慧財產權 on the
Taiwan edition, 網上 on the Hong Kong one), one of many results (审批) and a
literal one (1+3+4). --site measures a site built elsewhere (an older commit's,
to compare); --record appends the table to bench/RESULTS.md.

    .venv/bin/python bench/search_latency.py [--site DIR] [--runs N] [--record] [--label TEXT]
"""

from __future__ import annotations

import argparse
import platform
import statistics
import sys
import tempfile
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from handbook.build.builder import build  # noqa: E402
from devtools.browser import launch_browser, serve  # noqa: E402

QUERIES = {"zh-hans": ["知识产权", "审批", "1+3+4"], "zh-hk": ["網上", "知識產權"], "zh-tw": ["智慧財產權", "審批"]}

WARM = """async (query) => {
  const list = document.getElementById('search-results');
  list.replaceChildren();
  const input = document.getElementById('q');
  input.value = query;
  const started = performance.now();
  document.getElementById('search-form').requestSubmit();
  while (!list.querySelector('li')) {
    if (performance.now() - started > 5000) return null;  // nothing found
    await new Promise(resolve => requestAnimationFrame(resolve));
  }
  return performance.now() - started;
}"""


def measure(site: Path, runs: int) -> list[tuple[str, str, float | None, float | None]]:
    """(edition, query, cold ms, warm ms): medians over `runs`; None where the query finds nothing."""
    out = []
    with serve(site) as base, launch_browser() as browser:
        warm_up = browser.new_context().new_page()  # the browser's first page pays for starting up: not timed
        warm_up.goto(f"{base}zh-hans/search/?q={quote('营商')}")
        warm_up.wait_for_selector("#search[data-ready]")
        warm_up.context.close()
        for edition, queries in QUERIES.items():
            warm_page = browser.new_context().new_page()
            warm_page.goto(f"{base}{edition}/search/")
            warm_page.wait_for_selector("#search[data-ready]")
            for query in queries:
                cold, warm = [], []
                for _ in range(runs):
                    context = browser.new_context()  # an empty cache
                    page = context.new_page()
                    page.goto(f"{base}{edition}/search/?q={quote(query)}")
                    page.wait_for_selector("#search[data-ready]")
                    if page.locator("#search-results li").count():
                        cold.append(page.evaluate("performance.now()"))
                    context.close()
                    found = warm_page.evaluate(WARM, query)
                    if found is not None:
                        warm.append(found)
                out.append((edition, query, statistics.median(cold) if cold else None,
                            statistics.median(warm) if warm else None))
            warm_page.context.close()
    return out


def table(rows, label: str) -> str:
    lines = [f"| {label}: edition | query | cold: navigation to first result (ms) | warm: submit to first result (ms) |",
             "|---|---|---:|---:|"]
    shown = lambda ms: "nothing found" if ms is None else f"{ms:.0f}"  # noqa: E731
    lines += [f"| {e} | {q} | {shown(cold)} | {shown(warm)} |" for e, q, cold, warm in rows]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python bench/search_latency.py", description=__doc__.split("\n\n")[0])
    parser.add_argument("--site", type=Path, help="a built site to measure (default: build the real content)")
    parser.add_argument("--runs", type=int, default=7, help="runs per query and edition (default 7)")
    parser.add_argument("--label", default="this tree", help="what the table is of, in its header")
    parser.add_argument("--record", action="store_true", help="append the table to bench/RESULTS.md")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        site = args.site
        if site is None:
            site = Path(tmp) / "site"
            build(ROOT, ROOT / "content", site, "http://127.0.0.1/")
        shown = table(measure(site, args.runs), args.label)
    print(shown)
    if args.record:
        with (ROOT / "bench" / "RESULTS.md").open("a", encoding="utf-8") as out:
            out.write(f"\n### Search latency ({platform.machine()}, {args.runs} runs, medians)\n\n{shown}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())

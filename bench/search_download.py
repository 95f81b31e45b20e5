"""What a reader's first search downloads, per edition: JS, WASM, index chunks.

Builds the real site (or takes one already built, such as the benchmark's
10,000-measure site, with --site), serves it on 127.0.0.1, opens each
edition's search page in headless Chromium with an empty cache, runs one
query, and adds up the bytes and the number of responses by kind. Prints a
table; with --record, appends it to bench/RESULTS.md with the machine and
versions.

    .venv/bin/python bench/search_download.py [--site DIR] [--record]
"""

from __future__ import annotations

import argparse
import gzip
import platform
import sys
import tempfile
from collections import Counter
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from handbook.build.builder import build  # noqa: E402
from handbook.search.pagefind import PAGEFIND_VERSION  # noqa: E402
from devtools.browser import launch_browser, serve  # noqa: E402

QUERY = "知识产权"
GZIP = "gzip"  # what a compressing static host sends
REQUESTS = "requests"
KINDS = [("/wasm.", "WASM"), ("pagefind.js", "Pagefind JS"), ("pagefind-worker.js", "Pagefind worker JS"),
         ("pagefind-entry.json", "index metadata"), ("pf_meta", "index metadata"),
         ("pf_index", "index chunks"), ("pf_filter", "filter data"), ("pf_fragment", "result fragments"),
         ("script.json", "query conversion table"), ("terms.json", "search vocabulary (termbase)"),
         ("search.js", "search page JS")]


def kind_of(url: str) -> str | None:
    if "/pagefind/" not in url and not url.endswith(("search.js", "script.json", "terms.json")):
        return None
    return next((label for suffix, label in KINDS if suffix in url), "other")


def measure(built: Path | None = None) -> dict[str, Counter]:
    out = {}
    with tempfile.TemporaryDirectory() as tmp:
        site = built or Path(tmp) / "site"
        if not built:
            build(ROOT, ROOT / "content", site, "http://127.0.0.1/")
        with serve(site) as base, launch_browser() as browser:
            for edition in ("zh-hans", "zh-hk", "zh-tw"):
                context = browser.new_context()  # empty cache
                page = context.new_page()
                sizes: Counter = Counter()

                def count(response):
                    kind = kind_of(response.url)
                    if kind:
                        body = response.body()
                        sizes[kind] += len(body)
                        sizes[GZIP] += len(gzip.compress(body, 6))
                        sizes[REQUESTS] += 1

                context.on("response", count)  # the context also sees the worker's requests
                page.goto(f"{base}{edition}/search/?q={quote(QUERY)}")
                page.wait_for_selector("#search[data-ready] #search-results li")
                page.wait_for_load_state("networkidle")
                out[edition] = sizes
                context.close()
    return out


def table(results: dict[str, Counter]) -> str:
    labels = list(dict.fromkeys(label for _, label in KINDS if any(label in r for r in results.values())))
    lines = ["| what (bytes, uncompressed) | " + " | ".join(results) + " |",
             "|---|" + "---:|" * len(results)]
    for label in labels:
        lines.append(f"| {label} | " + " | ".join(f"{r[label]:,}" for r in results.values()) + " |")
    lines.append("| **total** | " + " | ".join(f"**{sum(r.values()) - r[GZIP] - r[REQUESTS]:,}**"
                                             for r in results.values()) + " |")
    lines.append("| **total, gzip -6** | " + " | ".join(f"**{r[GZIP]:,}**" for r in results.values()) + " |")
    lines.append("| responses | " + " | ".join(f"{r[REQUESTS]:,}" for r in results.values()) + " |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, help="a site already built for http://127.0.0.1:<any port>/ "
                        "(default: build the real content)")
    parser.add_argument("--record", action="store_true", help="append the table to bench/RESULTS.md")
    args = parser.parse_args()
    text = table(measure(args.site))
    print(text)
    if args.record:
        what = f", site {args.site}" if args.site else ""
        header = (f"\n## First search download ({QUERY}{what}), Pagefind {PAGEFIND_VERSION}\n\n"
                  f"Machine: {platform.machine()}, {platform.system()} {platform.release()}, "
                  f"Python {platform.python_version()}, {os_cores()} cores.\n\n")
        with open(ROOT / "bench" / "RESULTS.md", "a", encoding="utf-8") as out:
            out.write(header + text + "\n")


def os_cores() -> int:
    import os

    return os.cpu_count() or 0


if __name__ == "__main__":
    main()

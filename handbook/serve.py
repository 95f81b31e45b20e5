"""Serve a built site on 127.0.0.1, as a static host would.

Under the path of base_url (a site built for /handbook/ is served at
/handbook/), with 404.html for anything missing, no directory listings and
no caching (the site changes under the server while a maintainer edits).
Used by `python build.py serve` and by the browser tests.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import sys
import threading
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

HOST = "127.0.0.1"

# Explicit types, not the machine's /etc/mime.types: a test must not pass on
# one machine and fail on another. Text is UTF-8, as the site writes it.
CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".htm": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".mjs": "text/javascript; charset=utf-8",
    ".json": "application/json",
    ".map": "application/json",
    ".webmanifest": "application/manifest+json",
    ".xml": "application/xml",
    ".txt": "text/plain; charset=utf-8",
    ".svg": "image/svg+xml",
    ".wasm": "application/wasm",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".webp": "image/webp",
    ".ico": "image/x-icon",
    ".woff": "font/woff",
    ".woff2": "font/woff2",
    "": "application/octet-stream",
}


def _normalise_prefix(prefix: str) -> str:
    inner = prefix.strip("/")
    return f"/{inner}/" if inner else "/"


class _Handler(http.server.SimpleHTTPRequestHandler):
    """Serves `directory` under `prefix`; everything else is 404 (with 404.html)."""

    extensions_map = CONTENT_TYPES
    prefix = "/"  # set per server by make_server()
    quiet = True
    _outside = False

    def log_message(self, format, *args):  # noqa: A002 - the base class's name
        if not self.quiet:
            super().log_message(format, *args)

    def end_headers(self):
        # Builds rewrite files between requests: never let a browser reuse one.
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def translate_path(self, path):
        path = urllib.parse.urlsplit(path).path
        bare = self.prefix.rstrip("/")
        if self.prefix == "/":
            rest = path
        elif path == bare:
            rest = "/"  # the directory itself: send_head redirects to prefix
        elif path.startswith(self.prefix):
            rest = "/" + path[len(self.prefix):]
        else:
            self._outside = True
            return self.directory
        self._outside = False
        return super().translate_path(rest)

    def send_head(self):
        self.translate_path(self.path)
        if self._outside:
            self.send_error(404)
            return None
        return super().send_head()

    def list_directory(self, path):
        # A directory without index.html is not listed, as on a static host.
        self.send_error(404)
        return None

    def send_error(self, code, message=None, explain=None):
        page = Path(self.directory, "404.html")
        if code != 404 or not page.is_file():
            return super().send_error(code, message, explain)
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", CONTENT_TYPES[".html"])
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Connection", "close")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False  # a browser may hold a connection open: don't wait for it

    def handle_error(self, request, client_address):
        # A browser dropping a connection is not a test failure; a bug here is.
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


@contextlib.contextmanager
def serve(directory: Path, prefix: str = "/") -> Iterator[str]:
    """Serve `directory` at http://127.0.0.1:<free port><prefix>; yields that base URL.

    prefix "/handbook/" maps /handbook/x.html to directory/x.html; any path
    outside the prefix is 404, answered with directory/404.html when present.
    """
    directory = Path(directory).resolve()
    if not directory.is_dir():
        raise FileNotFoundError(f"serve: no such directory: {directory}")
    prefix = _normalise_prefix(prefix)
    handler = functools.partial(
        type("Handler", (_Handler,), {"prefix": prefix}), directory=str(directory))
    server = _Server(("127.0.0.1", 0), handler)
    thread = threading.Thread(
        target=server.serve_forever, args=(0.05,), name="test-http", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}{prefix}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()



def make_server(directory: Path, prefix: str = "/", port: int = 0, *, quiet: bool = True,
                handler: type = _Handler) -> _Server:
    """A server for `directory` at http://127.0.0.1:<port><prefix> (port 0: any free port)."""
    directory = Path(directory).resolve()
    if not directory.is_dir():
        raise FileNotFoundError(f"serve: no such directory: {directory}")
    handler = functools.partial(
        type("Handler", (handler,), {"prefix": _normalise_prefix(prefix), "quiet": quiet}), directory=str(directory))
    return _Server((HOST, port), handler)


@contextlib.contextmanager
def serving(directory: Path, prefix: str = "/") -> Iterator[str]:
    """Serve `directory` in a background thread; yields the base URL, e.g. http://127.0.0.1:41234/handbook/.

    prefix "/handbook/" maps /handbook/x.html to directory/x.html; any path
    outside the prefix is 404, answered with directory/404.html when present.
    """
    server = make_server(directory, prefix)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), name="site-http", daemon=True)
    thread.start()
    try:
        yield f"http://{HOST}:{server.server_address[1]}{_normalise_prefix(prefix)}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()

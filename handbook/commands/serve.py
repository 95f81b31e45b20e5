"""Serve a built site on 127.0.0.1, as a static host would.

Under the path of base_url (a site built for /handbook/ is served at
/handbook/), with 404.html for anything missing, no directory listings, no
caching (the site changes under the server while a maintainer edits) and the
Content-Security-Policy a host should send. Used by `python3 build.py serve`
(devserver.py extends SiteHandler) and, through devtools/browser.py's
serve(), by the browser tests and the benchmarks.

Only on 127.0.0.1, but a tab, a script or a tester may still send anything:
a request target no browser sends is 400, nothing outside the folder is
served (symlinks included), an error of the file system is an HTTP status,
never a traceback, and slow or idle clients are cut off after `timeout`
seconds, with at most `max_connections` of them at once.
"""

from __future__ import annotations

import errno
import functools
import http.server
import io
import os
import urllib.parse
from pathlib import Path

from .connections import HeadReader, Server
from .targets import BadRequest, normalise_prefix, parse_target

HOST = "127.0.0.1"

# What the site needs to work, and nothing more: the README's "Headers"
# section says why each directive is there. Sent on every response.
CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'none'",
    "script-src 'self' 'wasm-unsafe-eval'",  # static/*.js, Pagefind's module and its WebAssembly
    "style-src 'self'",  # static/style.css; no style attribute, no <style>
    "img-src data:",  # the empty favicon (<link rel="icon" href="data:,">); the site has no images
    "connect-src 'self'",  # search tables, Pagefind's index, serve's live-reload events
    "worker-src 'self'",  # Pagefind searches in its worker
    "base-uri 'none'",
    "form-action 'self'",  # the search boxes
    "frame-ancestors 'none'",
])

# Explicit types, not the machine's /etc/mime.types: a test must not pass on
# one machine and fail on another. Text is UTF-8, as the site writes it.
CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".htm": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".mjs": "text/javascript; charset=utf-8",
    ".json": "application/json",
    ".csv": "text/csv; charset=utf-8",  # the open data (data/): opened by a spreadsheet, not shown as a page
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


# --- errors of the file system ---------------------------------------------------

_MISSING = {errno.ENOENT, errno.ENOTDIR, errno.EISDIR, errno.ELOOP}
_STATUS = {errno.ENAMETOOLONG: 400, errno.EACCES: 403, errno.EPERM: 403}


def _status_of(error: OSError) -> int:
    """The HTTP status for a file system's error: missing is 404, a name no file can have 400."""
    return 404 if error.errno in _MISSING else _STATUS.get(error.errno, 500)


def _not_served(path: str) -> FileNotFoundError:
    """What a path outside the prefix, outside the folder or naming no file raises: a 404."""
    return FileNotFoundError(errno.ENOENT, "not served", path)


class _Redirect(Exception):
    """A directory asked for without its slash: 301 to `location`."""

    def __init__(self, location: str):
        super().__init__(location)
        self.location = location


# --- the handler -------------------------------------------------------------------

class SiteHandler(http.server.SimpleHTTPRequestHandler):
    """Serves `directory` under `prefix`; everything else is 404 (with 404.html).

    The base handler: make_server() uses it unless given another, and the dev
    server's live-reload handler (devserver._LiveHandler) extends it.
    """

    extensions_map = CONTENT_TYPES
    prefix = "/"  # set per server by make_server()
    quiet = True
    policy: str | None = CONTENT_SECURITY_POLICY  # None: no header (make_server(csp=False))
    # Seconds a client has to send its request, and then to take each write.
    timeout = 10
    url_path, query = "/", ""  # of the request, set by parse_request()

    def log_message(self, format, *args):  # noqa: A002 - the base class's name
        if not self.quiet:
            super().log_message(format, *args)

    def setup(self):
        super().setup()
        self.rfile.close()  # the socket's own reader: replaced by one with a deadline
        self.rfile = io.BufferedReader(HeadReader(self.connection, self.timeout))

    def parse_request(self) -> bool:
        if not super().parse_request():
            return False
        self.connection.settimeout(self.timeout)  # the head is in: writes get the full time
        try:
            self.url_path, self.query = parse_target(self.path)
        except BadRequest as error:
            self.send_error(400, explain=str(error))
            return False
        return True

    def end_headers(self):
        # Builds rewrite files between requests: never let a browser reuse one.
        self.send_header("Cache-Control", "no-store")
        if self.policy:
            self.send_header("Content-Security-Policy", self.policy)
        super().end_headers()

    def send_head(self):
        try:
            return self._open(self._file())
        except _Redirect as redirect:
            self._redirect(redirect.location)
        except OSError as error:
            self.send_error(_status_of(error))
        return None

    def _file(self) -> Path:
        """The regular file the request names, its symlinks resolved inside the folder."""
        if self.url_path == self.prefix.rstrip("/"):
            raise _Redirect(self.prefix)
        if not self.url_path.startswith(self.prefix):
            raise _not_served(self.url_path)
        rest = self.url_path[len(self.prefix):]
        target = self._inside(rest)
        if target.is_dir():  # served as its index.html; never listed
            if rest and not rest.endswith("/"):
                raise _Redirect(self.url_path + "/")
            target = self._inside(rest + "index.html")
        elif rest.endswith("/"):  # a file named as a folder: the file system would say ENOTDIR
            raise _not_served(rest)
        if not target.is_file():  # nor a FIFO, which would hang the thread
            raise _not_served(rest)
        return target

    def _inside(self, relative: str) -> Path:
        """directory/relative with every symlink resolved, or a 404 if that leaves the directory."""
        real = Path(os.path.realpath(os.path.join(self.directory, relative)))
        if not real.is_relative_to(self.directory):
            raise _not_served(relative)
        return real

    def _open(self, target: Path):
        """Headers for a file, and the file, which do_GET copies and closes."""
        file = target.open("rb")
        try:
            self._headers(200, self.guess_type(str(target)), os.fstat(file.fileno()).st_size)
        except BaseException:
            file.close()
            raise
        return file

    def _body(self, body: bytes, content_type: str) -> io.BytesIO:
        """Headers for a body made in memory, and the body, for do_GET to send."""
        self._headers(200, content_type, len(body))
        return io.BytesIO(body)

    def _headers(self, status: int, content_type: str, length: int) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(length))
        self.end_headers()

    def _redirect(self, location: str) -> None:
        self.send_response(301)
        self.send_header("Location", urllib.parse.quote(location) + (f"?{self.query}" if self.query else ""))
        self.send_header("Content-Length", "0")
        self.end_headers()

    def send_error(self, code, message=None, explain=None):
        page = self._not_found_page() if code == 404 else None
        if page is None:
            return super().send_error(code, message, explain)
        self.close_connection = True
        self.send_response(404)
        self.send_header("Content-Type", CONTENT_TYPES[".html"])
        self.send_header("Content-Length", str(len(page)))
        self.send_header("Connection", "close")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(page)

    def _not_found_page(self) -> bytes | None:
        """The site's 404.html, if it has one it can read."""
        try:
            return self._inside("404.html").read_bytes()
        except OSError:
            return None


def make_server(directory: Path, prefix: str = "/", port: int = 0, *, quiet: bool = True,
                handler: type = SiteHandler, csp: bool = True) -> Server:
    """A server for `directory` at http://127.0.0.1:<port><prefix> (port 0: any free port).

    csp: send CONTENT_SECURITY_POLICY, so that a preview breaks where the
    published site would under the policy its host should set.
    """
    directory = Path(directory).resolve()
    if not directory.is_dir():
        raise FileNotFoundError(f"serve: no such directory: {directory}")
    settings = {"prefix": normalise_prefix(prefix), "quiet": quiet,
                "policy": CONTENT_SECURITY_POLICY if csp else None}
    return Server((HOST, port), functools.partial(type("Handler", (handler,), settings), directory=str(directory)))

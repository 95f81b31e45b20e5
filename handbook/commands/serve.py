"""Serve a built site on 127.0.0.1, as a static host would.

Under the path of base_url (a site built for /handbook/ is served at
/handbook/), with 404.html for anything missing, no directory listings, no
caching (the site changes under the server while a maintainer edits) and the
Content-Security-Policy a host should send. Used by `python build.py serve`
(devserver.py extends SiteHandler) and, through devtools/browser.py's
serve(), by the browser tests and the benchmarks.

Only on 127.0.0.1, but a tab, a script or a tester may still send anything:
a request target no browser sends is 400, nothing outside the folder is
served (symlinks included), an error of the file system is an HTTP status,
never a traceback, and slow or idle clients are cut off after `timeout`
seconds, with at most `max_connections` of them at once.
"""

from __future__ import annotations

import contextlib
import errno
import functools
import http.server
import io
import os
import re
import socket
import sys
import threading
import time
import urllib.parse
from pathlib import Path

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


def normalise_prefix(prefix: str) -> str:
    inner = prefix.strip("/")
    return f"/{inner}/" if inner else "/"


# --- the request target --------------------------------------------------------

class BadRequest(ValueError):
    """A request target that no browser sends and no file can answer: 400."""


_ABSOLUTE_FORM = re.compile(r"https?://[^/?#]*", re.IGNORECASE)
_BAD_ESCAPE = re.compile(r"%(?![0-9A-Fa-f]{2})")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def parse_target(target: str) -> tuple[str, str]:
    """A request target's decoded, normalised path and its raw query: ("/handbook/措施/", "q=1").

    Decided here, once, before any file is looked at, so that no odd byte
    reaches the file system: raises BadRequest for a target that is not
    printable ASCII, neither a path nor an http(s) URL, holds a broken
    %-escape, is not UTF-8, names a control character, or climbs above "/".
    """
    if not re.fullmatch(r"[!-~]+", target):
        raise BadRequest("the request target is not printable ASCII")
    origin = _ABSOLUTE_FORM.match(target)  # absolute-form, as sent to a proxy
    if origin:
        target = target[origin.end():] or "/"
    if not target.startswith("/"):
        raise BadRequest("the request target is not a path")
    path, _, query = target.partition("#")[0].partition("?")
    if _BAD_ESCAPE.search(path):
        raise BadRequest("the path has a % that is not a %-escape")
    try:
        text = urllib.parse.unquote_to_bytes(path).decode("utf-8")
    except UnicodeDecodeError:
        raise BadRequest("the path is not UTF-8") from None
    if _CONTROL.search(text):
        raise BadRequest("the path names a control character")
    return _without_dot_segments(text), query


def _without_dot_segments(path: str) -> str:
    """"/a/./b/../c/" -> "/a/c/", as a browser resolves a URL; ".." above the root is BadRequest."""
    parts = path.split("/")[1:]
    kept: list[str] = []
    for part in parts:
        if part == "..":
            if not kept:
                raise BadRequest("the path climbs above the root")
            kept.pop()
        elif part not in ("", "."):
            kept.append(part)
    slash = "/" if kept and parts[-1] in ("", ".", "..") else ""
    return "/" + "/".join(kept) + slash


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


# --- slow clients ------------------------------------------------------------------

class _HeadReader(io.RawIOBase):
    """Reads a request from the socket with one deadline for the whole head.

    A per-read timeout alone lets a client that sends a byte every few
    seconds hold its thread for ever (slowloris).
    """

    def __init__(self, connection: socket.socket, seconds: float):
        self.connection, self.deadline = connection, time.monotonic() + seconds

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        left = self.deadline - time.monotonic()
        if left <= 0:
            raise TimeoutError("the request took too long to arrive")
        self.connection.settimeout(left)
        return self.connection.recv_into(buffer)


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
        self.rfile = io.BufferedReader(_HeadReader(self.connection, self.timeout))

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


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False  # a browser may hold a connection open: don't wait for it
    request_queue_size = 64  # a browser opens several connections at once
    max_connections = 32  # each holds a thread: beyond this, 503 at once

    BUSY = (b"HTTP/1.0 503 Service Unavailable\r\nContent-Type: text/plain; charset=utf-8\r\n"
            b"Content-Length: 21\r\nRetry-After: 1\r\nConnection: close\r\n\r\ntoo many connections\n")

    def __init__(self, *args, **kwargs):
        self.slots = threading.BoundedSemaphore(self.max_connections)
        super().__init__(*args, **kwargs)

    def process_request(self, request, client_address):
        if not self.slots.acquire(blocking=False):
            return self._refuse(request)
        try:
            super().process_request(request, client_address)  # starts the connection's thread
        except BaseException:
            self.slots.release()
            raise

    def process_request_thread(self, request, client_address):
        try:
            super().process_request_thread(request, client_address)
        finally:
            self.slots.release()

    def _refuse(self, request: socket.socket) -> None:
        """503 without waiting for anything: the accept loop must never block on a client."""
        request.setblocking(False)
        with contextlib.suppress(OSError):
            request.sendall(self.BUSY)
            request.recv(65536)  # a request already sent is read, so closing sends FIN, not RST
        self.shutdown_request(request)

    def handle_error(self, request, client_address):
        # A browser dropping a connection is not a test failure; a bug here is.
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


def make_server(directory: Path, prefix: str = "/", port: int = 0, *, quiet: bool = True,
                handler: type = SiteHandler, csp: bool = True) -> _Server:
    """A server for `directory` at http://127.0.0.1:<port><prefix> (port 0: any free port).

    csp: send CONTENT_SECURITY_POLICY, so that a preview breaks where the
    published site would under the policy its host should set.
    """
    directory = Path(directory).resolve()
    if not directory.is_dir():
        raise FileNotFoundError(f"serve: no such directory: {directory}")
    settings = {"prefix": normalise_prefix(prefix), "quiet": quiet,
                "policy": CONTENT_SECURITY_POLICY if csp else None}
    return _Server((HOST, port), functools.partial(type("Handler", (handler,), settings), directory=str(directory)))

"""The preview server under abuse: odd request targets, symlinks out of the folder, slow, idle
and too many clients, and live-reload streams among them.

Only on 127.0.0.1, but it must not fall over: every case gets a status (or a
closed connection), never a traceback on stderr, and the server answers a
normal request after it. Raw sockets, since neither http.client nor a
browser sends most of this. The timeout is lowered so that each test is fast.
"""

from __future__ import annotations

import contextlib
import errno
import os
import select
import socket
import threading
import time

import pytest

from devtools.browser import serve
from handbook.commands.devserver import EVENTS, SCRIPT, BuildState, _LiveHandler, live_handler
from handbook.commands.connections import Server
from handbook.commands.serve import HOST, SiteHandler

TIMEOUT = 0.5  # the servers' timeout in these tests, for 10 s
SECRET = b"outside the site"
INDEX = b"<!doctype html><html lang=\"zh-Hans\"><head><title>t</title></head><body><p>index</p></body></html>\n"
NOT_FOUND = b"<!doctype html><html lang=\"zh-Hans\"><head><title>404</title></head><body><p>gone</p></body></html>\n"


@pytest.fixture
def site(tmp_path):
    """A tiny site, and a secret beside it that must never be served."""
    (tmp_path / "secret.txt").write_bytes(SECRET)
    root = tmp_path / "site"
    (root / "sub").mkdir(parents=True)
    (root / "index.html").write_bytes(INDEX)
    (root / "404.html").write_bytes(NOT_FOUND)
    (root / "data.json").write_bytes(b'{"measures": 57}\n')
    (root / "sub" / "index.html").write_bytes(INDEX)
    return root


@pytest.fixture
def port(site, monkeypatch):
    """The site served at /handbook/, timing out after TIMEOUT; yields the server's port."""
    monkeypatch.setattr(SiteHandler, "timeout", TIMEOUT)
    with serve(site, "/handbook/") as base:
        yield int(base.split(":")[2].split("/")[0])


@pytest.fixture
def live(site, monkeypatch):
    """The devserver's handler on the tiny site, at most 2 streams, keep-alives every TIMEOUT / 5.

    Yields (port, state): state.publish() is a build that the streams report.
    """
    monkeypatch.setattr(SiteHandler, "timeout", TIMEOUT)
    monkeypatch.setattr(_LiveHandler, "keepalive", TIMEOUT / 5)
    monkeypatch.setattr(_LiveHandler, "max_streams", 2)
    state = BuildState()
    with serve(site, "/handbook/", handler=live_handler(state)) as base:
        yield int(base.split(":")[2].split("/")[0]), state


# --- raw HTTP --------------------------------------------------------------------

def connect(port: int) -> socket.socket:
    return socket.create_connection((HOST, port), timeout=5)


def read_all(sock: socket.socket) -> bytes:
    """Everything the server sends until it closes (a reset counts as closed)."""
    chunks = []
    with contextlib.suppress(ConnectionResetError):
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks)


def get(port: int, target: bytes) -> tuple[int | None, bytes]:
    """GET a raw request target: the status (None for an empty reply) and the body."""
    with connect(port) as sock:
        sock.sendall(b"GET " + target + b" HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        reply = read_all(sock)
    head, _, body = reply.partition(b"\r\n\r\n")
    return (int(head.split()[1]) if head else None), body


def closed_by_server(sock: socket.socket, wait: float) -> bool:
    """Whether the server has closed the connection (or does within `wait` seconds), unanswered."""
    if not select.select([sock], [], [], wait)[0]:
        return False
    try:
        return sock.recv(65536) == b""
    except ConnectionResetError:
        return True


def no_traceback(capfd) -> None:
    """Nothing reached stderr: the server's handle_error printed no traceback."""
    err = capfd.readouterr().err
    assert err == "", err


def still_serving(port: int) -> None:
    assert get(port, b"/handbook/") == (200, INDEX)


def wait_until(condition, seconds: float = 10) -> bool:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.02)
    return True


# --- request targets -------------------------------------------------------------

BAD_TARGETS = {
    "NUL, %-encoded": b"/handbook/%00",
    "NUL, %-encoded, outside the prefix": b"/%00",
    "NUL, raw": b"/handbook/a\x00b.html",
    "control character, %-encoded": b"/handbook/%01.html",
    "control character, raw": b"/handbook/a\x01b",
    "DEL": b"/handbook/%7f",
    "C1 control character": b"/handbook/%c2%85",
    "escape that is not hex": b"/handbook/%zz",
    "escape cut off": b"/handbook/index.html%4",
    "lone %": b"/handbook/%",
    "not UTF-8": b"/handbook/%ff.html",
    "UTF-8 cut off": b"/handbook/%e6%8e",
    "raw non-ASCII": "/handbook/措施/".encode(),
    "a 60 KB name (ENAMETOOLONG)": b"/handbook/" + b"a" * 60_000,
    "a path longer than PATH_MAX (ENAMETOOLONG)": b"/handbook/" + b"d/" * 3000 + b"x.html",
    "..": b"/handbook/../../secret.txt",
    "..,  %-encoded": b"/handbook/%2e%2e/%2E%2E/secret.txt",
    "..%2f": b"/handbook/..%2f..%2fsecret.txt",
    "absolute-form with ..": b"http://127.0.0.1/../secret.txt",
    "absolute-form, another scheme": b"file:///etc/passwd",
    "not a path": b"handbook/index.html",
    "asterisk-form": b"*",
}


@pytest.mark.parametrize("target", BAD_TARGETS.values(), ids=BAD_TARGETS.keys())
def test_a_target_no_browser_sends_is_400(port, capfd, target):
    status, body = get(port, target)
    assert status == 400
    assert len(body) < 1000 and SECRET not in body
    still_serving(port)
    no_traceback(capfd)


SERVED_TARGETS = {
    "absolute-form": (b"http://127.0.0.1/handbook/index.html", 200, INDEX),
    "absolute-form of another host": (b"http://example.org/handbook/", 200, INDEX),
    ".. inside the folder": (b"/handbook/sub/../index.html", 200, INDEX),
    "%-encoded letters": (b"/handbook/%69ndex.html", 200, INDEX),
    "a query is no path": (b"/handbook/?q=%00%zz", 200, INDEX),
    "a file as a folder": (b"/handbook/index.html/x", 404, NOT_FOUND),
    "a file as a folder, with a slash": (b"/handbook/data.json/", 404, NOT_FOUND),
    ".. out of the prefix": (b"/handbook/%2e%2e/secret.txt", 404, NOT_FOUND),
    "a long name, but one a file may have": (b"/handbook/" + b"a" * 255, 404, NOT_FOUND),
}


@pytest.mark.parametrize("target, status, body", SERVED_TARGETS.values(), ids=SERVED_TARGETS.keys())
def test_odd_but_valid_targets_are_served_from_the_folder(port, capfd, target, status, body):
    assert get(port, target) == (status, body)
    no_traceback(capfd)


def test_at_the_root_too(site, monkeypatch, capfd):
    # `build.py serve` of a site built for http://127.0.0.1:8000/: prefix "/".
    monkeypatch.setattr(SiteHandler, "timeout", TIMEOUT)
    with serve(site, "/") as base:
        port = int(base.split(":")[2].split("/")[0])
        for target in (b"/%00", b"/" + b"a" * 60_000, b"/%2e%2e/secret.txt", b"/sub/../../secret.txt"):
            status, body = get(port, target)
            assert status == 400 and SECRET not in body, target[:40]
        assert get(port, b"/index.html/x") == (404, NOT_FOUND)
        assert get(port, b"/sub/") == (200, INDEX)
    no_traceback(capfd)


# --- the folder's edges ------------------------------------------------------------

def test_symlinks_out_of_the_folder_are_404(site, port, capfd):
    outside = site.parent
    (site / "out.txt").symlink_to(outside / "secret.txt")
    (site / "out").symlink_to(outside, target_is_directory=True)
    (site / "in.html").symlink_to(site / "index.html")
    (site / "loop").symlink_to(site / "loop")
    for target in (b"out.txt", b"out/secret.txt", b"out/", b"out", b"loop", b"loop/x"):
        status, body = get(port, b"/handbook/" + target)
        assert (target, status, body) == (target, 404, NOT_FOUND)
    assert get(port, b"/handbook/in.html") == (200, INDEX)
    (site / "404.html").unlink()  # a 404 page that leads out is not used either
    (site / "404.html").symlink_to(outside / "secret.txt")
    status, body = get(port, b"/handbook/nope")
    assert status == 404 and SECRET not in body
    no_traceback(capfd)


def test_a_fifo_is_404_not_a_hung_thread(site, port, capfd):
    os.mkfifo(site / "pipe.html")
    assert get(port, b"/handbook/pipe.html") == (404, NOT_FOUND)
    no_traceback(capfd)


def test_an_error_of_the_file_system_is_an_http_status(port, monkeypatch, capfd):
    real_fstat = os.fstat

    def failing(fd):  # reading data.json fails, as on a bad disk
        if os.readlink(f"/proc/self/fd/{fd}").endswith("data.json"):
            raise OSError(errno.EIO, os.strerror(errno.EIO))
        return real_fstat(fd)

    monkeypatch.setattr(os, "fstat", failing)
    status, body = get(port, b"/handbook/data.json")
    assert status == 500 and b"57" not in body
    still_serving(port)
    no_traceback(capfd)


# --- slow and idle clients -----------------------------------------------------------

@pytest.mark.parametrize("sent", [b"", b"GET /handbook/ind", b"GET /handbook/ HTTP/1.1\r\nHost: 127.0.0.1\r\n"],
                         ids=["nothing", "half a request line", "headers never ended"])
def test_an_idle_client_is_closed_after_the_timeout(port, capfd, sent):
    with connect(port) as sock:
        sock.sendall(sent)
        started = time.monotonic()
        assert closed_by_server(sock, 10 * TIMEOUT)
        assert time.monotonic() - started < 2 * TIMEOUT
    still_serving(port)
    no_traceback(capfd)


def test_a_request_trickling_in_is_cut_off_at_the_timeout(port, capfd):
    # A byte every TIMEOUT / 5 never trips a timeout per read (slowloris).
    with connect(port) as sock:
        started = time.monotonic()
        sock.sendall(b"GET /handbook/ HTTP/1.1\r\nX-Slow: ")
        while not closed_by_server(sock, TIMEOUT / 5) and time.monotonic() - started < 10 * TIMEOUT:
            with contextlib.suppress(OSError):
                sock.sendall(b"a")
        assert time.monotonic() - started < 2 * TIMEOUT
    still_serving(port)
    no_traceback(capfd)


def test_connections_beyond_the_bound_get_503_at_once(port, monkeypatch, capfd):
    monkeypatch.setattr(SiteHandler, "timeout", 4 * TIMEOUT)  # the idle ones stay while the others knock
    before = threading.active_count()
    limit = Server.max_connections
    idle = [connect(port) for _ in range(limit)]  # accepted in order: the next ones find no place
    started = time.monotonic()
    for _ in range(8):
        with connect(port) as sock:
            reply = read_all(sock)  # sending nothing: the server answers anyway, and closes
        assert reply.startswith(b"HTTP/1.0 503 "), reply
    assert get(port, b"/handbook/")[0] == 503
    assert time.monotonic() - started < TIMEOUT  # not queued behind the idle ones
    assert threading.active_count() <= before + limit
    for sock in idle:  # cut off by the timeout, their threads end
        assert closed_by_server(sock, 10 * TIMEOUT)
        sock.close()
    assert wait_until(lambda: threading.active_count() <= before)
    still_serving(port)
    no_traceback(capfd)


# --- live-reload streams ---------------------------------------------------------------

def open_stream(port: int) -> socket.socket:
    sock = connect(port)
    sock.sendall(f"GET {EVENTS} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode())
    return sock


def read_for(sock: socket.socket, seconds: float) -> bytes:
    """What a stream sends in `seconds`; fails if the server closes it meanwhile."""
    chunks, deadline = [], time.monotonic() + seconds
    while (left := deadline - time.monotonic()) > 0:
        if select.select([sock], [], [], left)[0]:
            chunk = sock.recv(65536)
            assert chunk, "the server closed the stream"
            chunks.append(chunk)
    return b"".join(chunks)


def test_a_healthy_stream_outlives_the_timeout(live, capfd):
    port, state = live
    with open_stream(port) as sock:
        sent = read_for(sock, 4 * TIMEOUT)
        assert sent.startswith(b"HTTP/1.0 200 ") and b"text/event-stream" in sent
        assert b'data: {"version": 0, "ok": true' in sent and sent.count(b": keep-alive") >= 5
        state.publish(True)  # a build: the tab is told to reload
        assert b'data: {"version": 1, "ok": true' in read_for(sock, TIMEOUT)
    no_traceback(capfd)


def stream_status(port: int) -> int:
    """The status a new stream is answered with (then closed by us)."""
    with open_stream(port) as sock:
        return int(sock.recv(64).split()[1])


def test_streams_are_bounded_and_pages_still_load(live, capfd):
    port, state = live
    first, second = open_stream(port), open_stream(port)
    for sock in (first, second):
        assert read_for(sock, TIMEOUT / 2).startswith(b"HTTP/1.0 200 ")
    assert stream_status(port) == 503
    status, body = get(port, b"/handbook/")  # the pages are still served, with the script
    assert status == 200 and f'<script src="{SCRIPT}"></script>'.encode() in body
    first.close()  # a closed tab is noticed at the next keep-alive, and its place freed
    assert wait_until(lambda: stream_status(port) == 200, 5)
    second.close()
    no_traceback(capfd)


def test_a_stream_that_stops_reading_is_freed_when_it_ends(live, monkeypatch, capfd):
    # Its buffers would take hours to fill with keep-alives: streams end
    # after `lifetime` instead, and only a tab that still reads reconnects.
    port, state = live
    monkeypatch.setattr(_LiveHandler, "lifetime", 4 * TIMEOUT)
    stalled, reading = open_stream(port), open_stream(port)
    started = time.monotonic()
    for sock in (stalled, reading):  # answered, so holding its place, yet nothing read
        assert select.select([sock], [], [], 5)[0], "the stream was never answered"
    assert stream_status(port) == 503  # both places taken
    sent = read_all(reading)  # until the server ends it
    assert 3 * TIMEOUT < time.monotonic() - started < 6 * TIMEOUT
    assert sent.count(b"retry: 500\n\n") == 1 and sent.endswith(b": keep-alive\n\n")
    assert wait_until(lambda: stream_status(port) == 200, 2 * TIMEOUT)  # the stalled one's place too
    with stalled:
        assert read_all(stalled).endswith(b": keep-alive\n\n")  # then closed by the server
    no_traceback(capfd)


def test_by_default_clients_time_out_and_connections_are_bounded():
    assert 0 < SiteHandler.timeout <= 10
    assert 0 < _LiveHandler.max_streams < Server.max_connections <= 64
    assert SiteHandler.timeout < _LiveHandler.keepalive < _LiveHandler.lifetime <= 600

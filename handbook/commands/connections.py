"""The preview server's connections: a deadline for each request's head, and a bound on how many at once.

Only on 127.0.0.1, but a slow or idle client (slowloris) must not hold a
thread for ever, and many clients must not exhaust the threads: beyond
Server.max_connections, 503 at once, without waiting for the client.
"""

from __future__ import annotations

import contextlib
import http.server
import io
import socket
import sys
import threading
import time


class HeadReader(io.RawIOBase):
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


class Server(http.server.ThreadingHTTPServer):
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

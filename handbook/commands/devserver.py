"""`serve`: build, serve, watch, rebuild on every change, reload the open tab.

A maintainer edits a file and sees the page change. The server watches
content/, templates/ and static/ (watchfiles: the kernel reports changes, so
a save is seen within milliseconds and an idle server costs nothing, where
polling 10,000 files took 65 ms of every 250; WATCHFILES_FORCE_POLLING=1 for
a file system without inotify), rebuilds with a Builder that redoes only
what the edit changed, and tells the browser over Server-Sent Events: reload after a
good build, or show the diagnostics over the page after a bad one, while
the last good site stays served. The live-reload script is added to HTML
responses by this server only: the built files never contain it.
"""

from __future__ import annotations

import json
import sys
import threading
import time
from pathlib import Path

from watchfiles import DefaultFilter, watch

from ..build.builder import Builder
from ..diagnostics import ContentError, warnings_report
from ..files import OutputError
from ..search.pagefind import SearchIndexError
from .serve import CONTENT_TYPES, SiteHandler, make_server

EVENTS = "/__handbook/events"
SCRIPT = "/__handbook/live.js"
SETTLE_MS = 15  # an editor's save can be several writes: build once they stop
RETRY_MS = 500  # how soon a tab reopens an event stream that ended
MAX_PAGES_TOLD = 1000  # the changed pages an event names; more, and every tab reloads

# The live-reload script, sent at SCRIPT; package data beside this module.
LIVE_JS = Path(__file__).with_name("live.js").read_bytes()


class BuildState:
    """The last build's outcome, and a way to wait for the next one."""

    def __init__(self):
        self.changed = threading.Condition()
        self.version, self.ok, self.errors, self.pages = 0, True, "", None

    def publish(self, ok: bool, errors: str = "", pages: list[str] | None = None) -> None:
        """A build's outcome; `pages`, the addresses it changed (None: any of them), so that only the tabs
        showing one reload (a tab that missed a version reloads anyway: live.js)."""
        with self.changed:
            self.version += 1
            self.ok, self.errors = ok, errors
            self.pages = pages if pages is None or len(pages) <= MAX_PAGES_TOLD else None
            self.changed.notify_all()

    def snapshot(self) -> dict:
        return {"version": self.version, "ok": self.ok, "errors": self.errors, "pages": self.pages}


class _LiveHandler(SiteHandler):
    """The site, with the live-reload script in its pages, and the event stream the script listens to."""

    state: BuildState
    streams: threading.BoundedSemaphore  # open streams: live_handler() makes one per server
    # A stream holds a connection for as long as its tab is open: at most half
    # of the server's max_connections, so that pages still load beside them.
    max_streams = 16
    keepalive = 15  # seconds between writes to a quiet stream: a closed tab is noticed at the next
    # Seconds a stream lasts. Then it ends and the tab's EventSource opens a
    # new one (after RETRY_MS) that starts with the state as it is then, so no
    # build is missed; a tab that stopped reading never does, and its thread
    # is freed (its buffers would take hours to fill with keep-alives).
    lifetime = 300

    def do_GET(self):
        if self.url_path == EVENTS:
            return self._events()
        return super().do_GET()

    def send_head(self):
        if self.url_path == SCRIPT:
            return self._body(LIVE_JS, CONTENT_TYPES[".js"])
        return super().send_head()

    def _open(self, target: Path):
        if target.suffix != ".html":
            return super()._open(target)
        body = target.read_bytes().replace(b"</body>", f'<script src="{SCRIPT}"></script>\n</body>'.encode(), 1)
        return self._body(body, CONTENT_TYPES[".html"])

    def _events(self) -> None:
        if not self.streams.acquire(blocking=False):
            return self.send_error(503, explain="too many live-reload streams are open")
        try:
            self._stream()
        finally:
            self.streams.release()

    def _stream(self) -> None:
        """Every build's outcome, as it comes, for `lifetime` seconds or until the tab goes.

        A healthy tab is only ever written to, so `timeout` never cuts it
        off; a write that it does not take within `timeout` seconds (its
        buffers are full) drops it.
        """
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.end_headers()
        seen, ends = -1, time.monotonic() + self.lifetime
        try:
            self.wfile.write(f"retry: {RETRY_MS}\n\n".encode())
            while time.monotonic() < ends:
                with self.state.changed:
                    self.state.changed.wait_for(lambda: self.state.version != seen, timeout=self.keepalive)
                    snapshot = self.state.snapshot()
                if snapshot["version"] == seen:
                    self.wfile.write(b": keep-alive\n\n")  # notices a closed tab
                else:
                    seen = snapshot["version"]
                    self.wfile.write(f"data: {json.dumps(snapshot)}\n\n".encode())
                self.wfile.flush()
        except OSError:  # the tab is gone (reset, broken pipe) or stopped reading (the write timed out)
            pass
        self.close_connection = True


def live_handler(state: BuildState) -> type[_LiveHandler]:
    """The handler class for one server: its build state, and its own count of open streams."""
    return type("LiveHandler", (_LiveHandler,),
                {"state": state, "streams": threading.BoundedSemaphore(_LiveHandler.max_streams)})


class Watched(DefaultFilter):
    """What a change to is worth a rebuild: not hidden files (editors' swap files, .git) or backups."""

    def __call__(self, change, path: str) -> bool:
        return not Path(path).name.startswith(".") and super().__call__(change, path)


def rebuild(builder: Builder, state: BuildState, out=sys.stdout, paths=(), prefix: str = "/") -> bool:
    """One build after a change to `paths`; its outcome is published to the open tabs. An edit to a measure
    in place is previewed first (build/preview.py): its page is up before the whole handbook is checked."""
    started = time.perf_counter()
    try:
        previewed = builder.preview(paths) if paths else []
    except OutputError:  # the rebuild meets it too, and says so
        previewed = []
    if previewed:
        print(f"previewed the edited measure in {(time.perf_counter() - started) * 1000:.0f} ms; "
              "checking the whole handbook", file=out, flush=True)
        state.publish(True, pages=page_addresses(prefix, previewed))
    try:
        report = builder.build(defer_index=True)
    except ContentError as error:  # (a preview is withdrawn by the builder: the last good site is served)
        print(error.report(), file=out, flush=True)
        print("serve: the last good site is still served", file=out, flush=True)
        state.publish(False, error.report())
        return False
    except (SearchIndexError, OutputError) as error:  # (a full disk, say: the last good site stays)
        print(f"serve: error: {error}", file=out, flush=True)
        state.publish(False, str(error))
        return False
    if report.warnings:
        print(warnings_report(report.warnings), file=out, flush=True)
    print(f"rebuilt in {(time.perf_counter() - started) * 1000:.0f} ms", file=out, flush=True)
    state.publish(True, pages=None if report.changed is None else page_addresses(prefix, report.changed))
    try:  # the pages are up; search catches up a moment later
        builder.index_pending(niceness=10)  # at low priority: the browser is reloading the rebuilt pages
    except (SearchIndexError, OutputError) as error:
        print(f"serve: error: {error}", file=out, flush=True)
    return True


def page_addresses(prefix: str, paths) -> list[str]:
    """The addresses a tab shows for files below the site (a folder's index.html: the folder's)."""
    root = prefix.rstrip("/") + "/"
    return sorted({root + path.removesuffix("index.html") for path in paths})


def serve_and_watch(builder: Builder, root: Path, prefix: str, port: int, out=sys.stdout,
                    stop: threading.Event | None = None) -> None:
    """Build, serve on 127.0.0.1 and rebuild on changes until interrupted (or `stop` is set)."""
    builder.claim()  # another build writing the folder stops serve here, before anything is served
    state = BuildState()
    watched = [builder.content_dir, root / "templates", root / "static"]
    stop = stop or threading.Event()
    changes = watch(*watched, watch_filter=Watched(), debounce=1000, step=SETTLE_MS, stop_event=stop,
                    raise_interrupt=False, rust_timeout=200, yield_on_timeout=True)
    next(changes)  # the watcher runs (this returns within 200 ms): no save during the first build is missed
    if not rebuild(builder, state, out) and not builder.out_dir.is_dir():
        builder.out_dir.mkdir(parents=True)  # nothing good to serve yet: the overlay says why
    server = make_server(builder.out_dir, prefix, port, quiet=True, handler=live_handler(state))
    thread = threading.Thread(target=server.serve_forever, args=(0.1,), daemon=True)
    thread.start()
    print(f"serving at http://127.0.0.1:{server.server_address[1]}{prefix}; watching content/, templates/, "
          "static/ (Ctrl-C stops)", file=out, flush=True)
    try:
        for changed in changes:
            if changed:
                rebuild(builder, state, out, {path for _, path in changed}, prefix)
    except KeyboardInterrupt:
        pass
    finally:
        server.shutdown()
        server.server_close()
        builder.close()

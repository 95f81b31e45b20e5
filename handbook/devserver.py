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
import urllib.parse
from pathlib import Path

from watchfiles import DefaultFilter, watch

from .builder import Builder
from .diagnostics import ContentError, warnings_report
from .search import SearchIndexError
from .serve import _Handler, make_server

EVENTS = "/__handbook/events"
SCRIPT = "/__handbook/live.js"
SETTLE_MS = 15  # an editor's save can be several writes: build once they stop

LIVE_JS = r"""
(function () {
  var overlay = null;
  function show(text) {
    if (!overlay) {
      overlay = document.createElement("div");
      overlay.setAttribute("role", "alert");
      overlay.style.cssText = "position:fixed;inset:0;z-index:99999;overflow:auto;padding:1.5rem;" +
        "background:rgba(20,20,20,.94);color:#fff;font:14px/1.6 ui-monospace,monospace;white-space:pre-wrap";
      document.body.appendChild(overlay);
    }
    overlay.textContent = "Build failed. The last good site is still served.\n\n" + text;
  }
  var source = new EventSource("/__handbook/events");
  var seen = null;
  source.onmessage = function (event) {
    var state = JSON.parse(event.data);
    if (!state.ok) { show(state.errors); return; }
    if (seen !== null && state.version !== seen) { location.reload(); return; }
    if (overlay) { overlay.remove(); overlay = null; }
    seen = state.version;
  };
})();
"""


class BuildState:
    """The last build's outcome, and a way to wait for the next one."""

    def __init__(self):
        self.changed = threading.Condition()
        self.version, self.ok, self.errors = 0, True, ""

    def publish(self, ok: bool, errors: str = "") -> None:
        with self.changed:
            self.version += 1
            self.ok, self.errors = ok, errors
            self.changed.notify_all()

    def snapshot(self) -> dict:
        return {"version": self.version, "ok": self.ok, "errors": self.errors}


class _LiveHandler(_Handler):
    state: BuildState

    def do_GET(self):
        path = urllib.parse.urlsplit(self.path).path
        if path == EVENTS:
            return self._events()
        if path == SCRIPT:
            return self._send(LIVE_JS.encode(), "text/javascript; charset=utf-8")
        target = Path(self.translate_path(self.path))
        if not self._outside and target.is_dir() and path.endswith("/"):
            target = target / "index.html"
        if not self._outside and target.suffix == ".html" and target.is_file():
            body = target.read_bytes().replace(b"</body>", f'<script src="{SCRIPT}"></script>\n</body>'.encode(), 1)
            return self._send(body, "text/html; charset=utf-8")
        return super().do_GET()

    def _send(self, body: bytes, content_type: str) -> None:
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _events(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.end_headers()
        seen = -1
        try:
            while True:
                with self.state.changed:
                    self.state.changed.wait_for(lambda: self.state.version != seen, timeout=15)
                    snapshot = self.state.snapshot()
                if snapshot["version"] == seen:
                    self.wfile.write(b": keep-alive\n\n")  # notices a closed tab
                else:
                    seen = snapshot["version"]
                    self.wfile.write(f"data: {json.dumps(snapshot)}\n\n".encode())
                self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            pass


class Watched(DefaultFilter):
    """What a change to is worth a rebuild: not hidden files (editors' swap files, .git) or backups."""

    def __call__(self, change, path: str) -> bool:
        return not Path(path).name.startswith(".") and super().__call__(change, path)


def rebuild(builder: Builder, state: BuildState, out=sys.stdout) -> bool:
    """One build; its outcome is published to the open tabs."""
    started = time.perf_counter()
    try:
        report = builder.build(defer_index=True)
    except ContentError as error:
        print(error.report(), file=out, flush=True)
        print("serve: the last good site is still served", file=out, flush=True)
        state.publish(False, error.report())
        return False
    except SearchIndexError as error:
        print(f"serve: error: {error}", file=out, flush=True)
        state.publish(False, str(error))
        return False
    if report.warnings:
        print(warnings_report(report.warnings), file=out, flush=True)
    print(f"rebuilt in {(time.perf_counter() - started) * 1000:.0f} ms", file=out, flush=True)
    state.publish(True)
    try:  # the pages are up; search catches up a moment later
        builder.index_pending()
    except SearchIndexError as error:
        print(f"serve: error: {error}", file=out, flush=True)
    return True


def serve_and_watch(builder: Builder, root: Path, prefix: str, port: int, out=sys.stdout,
                    stop: threading.Event | None = None) -> None:
    """Build, serve on 127.0.0.1 and rebuild on changes until interrupted (or `stop` is set)."""
    state = BuildState()
    watched = [builder.content_dir, root / "templates", root / "static"]
    stop = stop or threading.Event()
    changes = watch(*watched, watch_filter=Watched(), debounce=1000, step=SETTLE_MS, stop_event=stop,
                    raise_interrupt=False, rust_timeout=200, yield_on_timeout=True)
    next(changes)  # the watcher runs (this returns within 200 ms): no save during the first build is missed
    if not rebuild(builder, state, out) and not builder.out_dir.is_dir():
        builder.out_dir.mkdir(parents=True)  # nothing good to serve yet: the overlay says why
    handler = type("LiveHandler", (_LiveHandler,), {"state": state})
    server = make_server(builder.out_dir, prefix, port, quiet=True, handler=handler)
    thread = threading.Thread(target=server.serve_forever, args=(0.1,), daemon=True)
    thread.start()
    print(f"serving at http://127.0.0.1:{server.server_address[1]}{prefix}; watching content/, templates/, "
          "static/ (Ctrl-C stops)", file=out, flush=True)
    try:
        for changed in changes:
            if changed:
                rebuild(builder, state, out)
    except KeyboardInterrupt:
        pass
    finally:
        server.shutdown()
        server.server_close()

"""`serve` in a real browser: an edit reloads the open tab; a bad edit shows its errors over the page."""

from __future__ import annotations

import io
import shutil
import socket
import threading

import pytest

from handbook.build.builder import Builder
from handbook.commands.devserver import serve_and_watch
from handbook.search.pagefind import pagefind_binary
from tests.browser import launch_browser, wait_until
from tests.conftest import ROOT

MEASURE = "content/measures/nansha-batch6/07.yaml"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def served(tmp_path, monkeypatch):
    for folder in ("content", "seeds", "templates", "static"):
        shutil.copytree(ROOT / folder, tmp_path / folder)
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(pagefind_binary(ROOT)))
    port, stop, log = free_port(), threading.Event(), io.StringIO()
    builder = Builder(tmp_path, tmp_path / "content", tmp_path / "site", "/handbook/")
    thread = threading.Thread(target=serve_and_watch,
                              args=(builder, tmp_path, "/handbook/", port, log, stop), daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{port}/handbook/"
    for _ in range(200):  # until the first build is served
        if "serving at" in log.getvalue():
            break
        threading.Event().wait(0.05)
    yield tmp_path, base, log
    stop.set()
    thread.join(timeout=10)


def logged(log: io.StringIO, text: str, seconds: float = 15) -> None:
    """Wait until serve has written `text` to its log."""
    for _ in range(int(seconds / 0.05)):
        if text in log.getvalue():
            return
        threading.Event().wait(0.05)
    raise AssertionError(f"serve never said {text!r}:\n{log.getvalue()}")


def edit(path, old, new):
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_edit_reloads_and_errors_show_over_the_page(served):
    project, base, log = served
    with launch_browser() as browser:
        page = browser.new_page()
        page.goto(f"{base}zh-hk/measures/nansha-batch6-07/")
        assert "監管與風險防控" in page.inner_text("table.metadata")
        page.wait_for_timeout(300)  # the event stream is open

        edit(project / MEASURE, "topics: [regulation, digital-government]", "topics: [credit, digital-government]")
        wait_until(page, "document.querySelector('table.metadata')?.innerText.includes('社會信用')", timeout=15000)
        logged(log, "rebuilt in")  # (the measure's page is previewed before the rebuild ends)

        edit(project / MEASURE, "topics: [credit, digital-government]", "topics: [credits]")
        overlay = page.wait_for_selector("[role=alert]", timeout=15000)
        text = overlay.inner_text()
        assert 'content/measures/nansha-batch6/07.yaml:9:10: error: topics[0]: "credits" is not a topic' in text
        assert "is not a topic" in log.getvalue()
        # the last good site is still served
        assert "社會信用" in page.inner_text("table.metadata")

        edit(project / MEASURE, "topics: [credits]", "topics: [regulation, digital-government]")
        wait_until(page, "!document.querySelector('[role=alert]') && "
                               "document.querySelector('table.metadata')?.innerText.includes('監管與風險防控')",
                               timeout=15000)


def test_built_files_never_carry_the_reload_script(served):
    project, base, log = served
    for page in (project / "site").rglob("*.html"):
        assert "__handbook" not in page.read_text(encoding="utf-8")


def test_an_edit_in_place_reloads_only_the_tabs_it_changed(served):
    """A topic edit is previewed (its measure page first), then rebuilt: the tab on the measure and the
    tab on the topic it joined reload; a tab on a page the edit does not touch stays as it was."""
    project, base, log = served
    with launch_browser() as browser:
        tabs = {}
        for name, path in (("measure", "zh-hk/measures/nansha-batch6-07/"), ("topic", "zh-hk/topics/credit/"),
                           ("other", "zh-hk/measures/gzdd-2022-01/")):
            tabs[name] = browser.new_page()
            tabs[name].goto(base + path)
            tabs[name].evaluate("window.kept = true")  # gone when the tab reloads
        linked = "document.querySelectorAll('main a[href*=\"nansha-batch6-07/\"]').length"
        assert tabs["topic"].evaluate(linked) == 0
        tabs["other"].wait_for_timeout(300)  # the event streams are open

        edit(project / MEASURE, "topics: [regulation, digital-government]", "topics: [credit, digital-government]")
        wait_until(tabs["measure"], "document.querySelector('table.metadata')?.innerText.includes('社會信用')",
                   timeout=15000)
        wait_until(tabs["topic"], "!window.kept", timeout=15000)
        logged(log, "rebuilt in")
        tabs["other"].wait_for_timeout(500)  # the rebuild's event has reached it

        assert "previewed the edited measure" in log.getvalue()
        assert tabs["other"].evaluate("window.kept === true")
        assert tabs["topic"].evaluate(linked) > 0

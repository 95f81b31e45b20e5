"""Shared fixtures: the project root, and a scratch copy of the real content."""

from __future__ import annotations

import fcntl
import hashlib
import os
import shutil
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@cache
def real_handbook():
    """content/ checked once a session, when a test first asks (not while the tests are collected)."""
    from handbook.content.checks import check_content
    return check_content(ROOT / "content")


READ_ONLY_BASE = "http://127.0.0.1/handbook/"  # the base URL of the real site the browser tests share


@pytest.fixture(scope="session")
def real_site(tmp_path_factory):
    """The real content built once a run for each base URL asked for, shared by the test workers
    (pytest-xdist): for tests that only read the site (they must not change it)."""
    scratch = tmp_path_factory.getbasetemp()
    shared = scratch.parent if os.environ.get("PYTEST_XDIST_WORKER") else scratch  # the workers' common folder

    def site(base_url: str = READ_ONLY_BASE) -> Path:
        folder = shared / f"real-site-{hashlib.sha256(base_url.encode()).hexdigest()[:12]}"
        with open(f"{folder}.lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)  # the first worker to ask builds; the others wait for it
            if not (folder / "site").is_dir():  # a build that failed left none: the next asks again
                from handbook.build.builder import build
                folder.mkdir(exist_ok=True)
                build(ROOT, ROOT / "content", folder / "site", base_url)
        return folder / "site"
    return site


def pytest_addoption(parser):
    parser.addoption("--update-expected", action="store_true",
                     help="rewrite the expected.txt of tests/invalid/* from the current output (review the diff!)")


@pytest.fixture
def project(tmp_path, monkeypatch) -> Path:
    """A copy of content/ and seeds/ in a scratch folder, which is also the working directory."""
    for folder in ("content", "seeds"):
        shutil.copytree(ROOT / folder, tmp_path / folder)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def pytest_collection_modifyitems(items):
    """Tests that drive Chromium are marked `browser`: `make test-fast` runs the others (-m "not browser")."""
    for item in items:
        names = getattr(item, "fixturenames", ())
        source = getattr(getattr(item, "function", None), "__code__", None)
        if "browser" in names or "search_page" in names or (source and "launch_browser" in source.co_names):
            item.add_marker(pytest.mark.browser)

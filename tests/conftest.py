"""Shared fixtures: the project root, and a scratch copy of the real content."""

from __future__ import annotations

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
    """The real content built once a session for each base URL asked for: for tests that only read
    the site (they must not change it)."""
    built: dict[str, Path] = {}

    def site(base_url: str = READ_ONLY_BASE) -> Path:
        if base_url not in built:
            from handbook.build.builder import build
            built[base_url] = tmp_path_factory.mktemp("real-site") / "site"
            build(ROOT, ROOT / "content", built[base_url], base_url)
        return built[base_url]
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

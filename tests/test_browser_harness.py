"""The browser harness (tests/browser.py, devtools/browser.py) itself: the server, Chromium, axe and vnu.

Each check has a page that must fail it next to one that must pass, so a
harness that always says "fine" is caught here before the site's tests
rely on it.
"""

from __future__ import annotations

import http.client
import subprocess
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.browser import (
    CHROMIUM, axe_violations, format_violations, launch_browser, serve, vnu_errors, wait_until)

CLEAN_PAGE = """<!doctype html>
<html lang="zh-Hans">
<head><meta charset="utf-8"><title>测试页</title></head>
<body><main><h1>改革措施</h1><p>创新实施跨境电商出口退货试点。</p></main></body>
</html>
"""

# No lang on <html>, an image without alt: two WCAG 2.0 level A failures.
INACCESSIBLE_PAGE = """<!doctype html>
<html>
<head><meta charset="utf-8"><title>Broken</title></head>
<body><main><h1>Broken</h1><img src="chart.png"></main></body>
</html>
"""

SITE_PAGE = """<!doctype html>
<html lang="zh-Hans">
<head><meta charset="utf-8"><title>首页</title>
<link rel="stylesheet" href="style.css"><script src="app.js" defer></script></head>
<body><main><h1>广州营商环境改革措施</h1><p id="js">no script</p></main></body>
</html>
"""

NOT_FOUND_PAGE = """<!doctype html>
<html lang="zh-Hans"><head><meta charset="utf-8"><title>找不到</title></head>
<body><main><h1>页面不存在</h1></main></body></html>
"""

# The smallest valid WebAssembly module: magic number and version.
EMPTY_WASM = b"\x00asm\x01\x00\x00\x00"


@pytest.fixture(scope="module")
def browser():
    with launch_browser() as browser:
        yield browser


@pytest.fixture
def page(browser):
    context = browser.new_context()
    yield context.new_page()
    context.close()


@pytest.fixture
def site(tmp_path) -> Path:
    """A tiny built site, and a file beside it that must never be served."""
    (tmp_path / "secret.txt").write_text("outside the site", encoding="utf-8")
    root = tmp_path / "site"
    root.mkdir()
    (root / "index.html").write_text(SITE_PAGE, encoding="utf-8")
    (root / "404.html").write_text(NOT_FOUND_PAGE, encoding="utf-8")
    (root / "style.css").write_text("h1 { color: rgb(1, 2, 3); }\n", encoding="utf-8")
    (root / "app.js").write_text(
        "document.getElementById('js').textContent = 'script ran';\n", encoding="utf-8")
    (root / "data.json").write_text('{"measures": 57}\n', encoding="utf-8")
    (root / "feed.xml").write_text('<?xml version="1.0"?><feed/>\n', encoding="utf-8")
    (root / "icon.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"/>\n', encoding="utf-8")
    (root / "m.wasm").write_bytes(EMPTY_WASM)
    (root / "sub").mkdir()
    (root / "sub" / "index.html").write_text(CLEAN_PAGE, encoding="utf-8")
    (root / "empty").mkdir()
    return root


def fetch(url: str) -> tuple[int, http.client.HTTPMessage, bytes]:
    """GET without following redirects: status, headers (any case), body."""
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    try:
        connection.request("GET", parts.path + (f"?{parts.query}" if parts.query else ""))
        response = connection.getresponse()
        return response.status, response.headers, response.read()
    finally:
        connection.close()


# --- the server --------------------------------------------------------------

@pytest.mark.parametrize("prefix", ["/", "/handbook/"])
def test_page_loads_with_its_css_js_and_wasm(site, page, prefix):
    with serve(site, prefix) as base:
        assert base.startswith("http://127.0.0.1:") and base.endswith(prefix)
        response = page.goto(base)
        assert response.status == 200
        assert response.headers["content-type"] == "text/html; charset=utf-8"
        assert page.inner_text("h1") == "广州营商环境改革措施"
        # Chromium applies a stylesheet and runs a script only when served
        # with the right type, and streams WebAssembly only as application/wasm.
        wait_until(page, "document.getElementById('js').textContent === 'script ran'")
        assert page.eval_on_selector("h1", "h => getComputedStyle(h).color") == "rgb(1, 2, 3)"
        assert page.evaluate(
            "async () => { await WebAssembly.instantiateStreaming(fetch('m.wasm')); return 'ok'; }"
        ) == "ok"


@pytest.mark.parametrize("name, content_type", [
    ("index.html", "text/html; charset=utf-8"),
    ("style.css", "text/css; charset=utf-8"),
    ("app.js", "text/javascript; charset=utf-8"),
    ("data.json", "application/json"),
    ("feed.xml", "application/xml"),
    ("icon.svg", "image/svg+xml"),
    ("m.wasm", "application/wasm"),
])
def test_content_types(site, name, content_type):
    with serve(site, "/handbook/") as base:
        status, headers, body = fetch(base + name)
    assert (status, headers["Content-Type"]) == (200, content_type)
    assert body == (site / name).read_bytes()


@pytest.mark.parametrize("prefix", ["/", "/handbook/"])
def test_missing_file_is_404_with_the_sites_404_page(site, page, prefix):
    with serve(site, prefix) as base:
        status, headers, body = fetch(base + "measures/nope/")
        assert status == 404
        assert headers["Content-Type"] == "text/html; charset=utf-8"
        assert body == NOT_FOUND_PAGE.encode()
        response = page.goto(base + "nope.html")
        assert response.status == 404
        assert page.inner_text("h1") == "页面不存在"


def test_outside_the_prefix_is_404(site):
    with serve(site, "/handbook/") as base:
        origin = base.removesuffix("/handbook/")
        for path in ("/", "/index.html", "/handbookx/index.html", "/other/handbook/index.html"):
            status, _, body = fetch(origin + path)
            assert (path, status) == (path, 404)
            assert body == NOT_FOUND_PAGE.encode()
        assert fetch(origin + "/handbook/index.html")[0] == 200


def test_404_without_a_404_page(site):
    (site / "404.html").unlink()
    with serve(site, "/handbook/") as base:
        status, _, body = fetch(base + "nope.html")
    assert status == 404
    assert b"404" in body


def test_directories_redirect_to_slash_and_are_never_listed(site):
    with serve(site, "/handbook/") as base:
        origin = base.removesuffix("/handbook/")
        status, headers, _ = fetch(origin + "/handbook")
        assert (status, headers["Location"]) == (301, "/handbook/")
        status, headers, _ = fetch(base + "sub")
        assert (status, headers["Location"]) == (301, "/handbook/sub/")
        assert fetch(base + "sub/")[0] == 200
        status, _, body = fetch(base + "empty/")
        assert status == 404 and body == NOT_FOUND_PAGE.encode()


def test_nothing_outside_the_directory_is_served(site):
    with serve(site, "/handbook/") as base:
        for path in ("../secret.txt", "%2e%2e/secret.txt", "sub/../../secret.txt"):
            status, _, body = fetch(base + path)
            assert status == 404 and b"outside the site" not in body, path


def test_server_is_quiet(site, capfd):
    with serve(site, "/handbook/") as base:
        fetch(base + "index.html")
        fetch(base + "nope.html")
        with pytest.raises(urllib.error.HTTPError):
            urllib.request.urlopen(base + "../x", timeout=10)
    out, err = capfd.readouterr()
    assert (out, err) == ("", "")


def test_serve_refuses_a_missing_directory(tmp_path):
    with pytest.raises(FileNotFoundError):
        with serve(tmp_path / "nope"):
            pass


# --- the browser -------------------------------------------------------------

def test_the_browser_is_debians_chromium(browser):
    version = subprocess.run([CHROMIUM, "--version"], capture_output=True, text=True,
                             check=True).stdout  # "Chromium 156.0.8078.79 built on Debian ..."
    assert browser.version in version, (browser.version, version)


# --- axe -----------------------------------------------------------------------

def test_axe_finds_missing_lang_and_alt(tmp_path, page):
    (tmp_path / "index.html").write_text(INACCESSIBLE_PAGE, encoding="utf-8")
    with serve(tmp_path) as base:
        page.goto(base)
        violations = axe_violations(page)
    found = {violation["id"] for violation in violations}
    assert {"html-has-lang", "image-alt"} <= found, format_violations(violations)
    report = format_violations(violations)
    assert "html-has-lang" in report and "image-alt" in report and '<img src="chart.png">' in report


def test_axe_passes_a_clean_page(tmp_path, page):
    (tmp_path / "index.html").write_text(CLEAN_PAGE, encoding="utf-8")
    with serve(tmp_path, "/handbook/") as base:
        page.goto(base)
        violations = axe_violations(page)
    assert violations == [], format_violations(violations)
    assert format_violations(violations) == "no axe violations"


def test_axe_rules_can_be_disabled_and_work_after_navigation(tmp_path, page):
    (tmp_path / "bad.html").write_text(INACCESSIBLE_PAGE, encoding="utf-8")
    (tmp_path / "good.html").write_text(CLEAN_PAGE, encoding="utf-8")
    with serve(tmp_path) as base:
        page.goto(base + "good.html")
        assert axe_violations(page) == []
        page.goto(base + "bad.html")  # a new document: axe must be injected again
        found = {violation["id"] for violation in axe_violations(page, disable=["image-alt"])}
    assert "html-has-lang" in found and "image-alt" not in found


# --- vnu -----------------------------------------------------------------------

def test_vnu_reports_errors_with_path_line_and_column(tmp_path):
    valid = tmp_path / "ok.html"
    valid.write_text(CLEAN_PAGE, encoding="utf-8")
    invalid = tmp_path / "bad.html"
    invalid.write_text('<!doctype html>\n<html lang="en">\n<head><meta charset="utf-8"></head>\n'
                       "<body><span><div>x</div></span></body>\n</html>\n", encoding="utf-8")
    errors = vnu_errors([valid, invalid])  # nothing about the valid one
    assert len(errors) == 2, errors
    assert errors[0].startswith(f"{invalid}:3:") and "“title”" in errors[0], errors
    assert errors[1].startswith(f"{invalid}:4:"), errors
    assert "“div” not allowed as child of element “span”" in errors[1], errors


def test_vnu_checks_many_files_in_one_run(tmp_path):
    files = []
    for number in range(300):
        path = tmp_path / f"measure-{number:03}" / "index.html"
        path.parent.mkdir()
        path.write_text(CLEAN_PAGE, encoding="utf-8")
        files.append(path)
    files[150].write_text(CLEAN_PAGE.replace("<title>测试页</title>", ""), encoding="utf-8")
    # A non-ASCII file name: in a C locale vnu would skip it without a word.
    odd = tmp_path / "措施 一.html"
    odd.write_text(CLEAN_PAGE.replace('lang="zh-Hans"', 'lang="zh-Hans" lang="en"'), encoding="utf-8")
    errors = vnu_errors(files + [odd])
    assert [error.split(":")[0] for error in errors] == [str(files[150]), str(odd)], errors


def test_vnu_refuses_a_missing_file(tmp_path):
    assert vnu_errors([]) == []
    with pytest.raises(FileNotFoundError):
        vnu_errors([tmp_path / "nope.html"])

"""The handbook under its Content-Security-Policy, in Chromium: every page, search, the language switch.

The server sends handbook.serve.CONTENT_SECURITY_POLICY, the policy a host
should set; a page that needs more than it allows (an inline script, a style
attribute, a worker or a fetch it does not name) reports a violation, and
these tests fail on any. The checker itself is shown to catch them on pages
made to break the policy.
"""

from __future__ import annotations

from urllib.parse import quote

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from handbook.commands.serve import CONTENT_SECURITY_POLICY
from handbook.editions import EDITIONS
from tests.browser import serve, watch_csp
from tests.conftest import ROOT
from tests.sitecheck import html_pages
from tests.test_site_in_browser import base, browser, site  # noqa: F401 - the same fixtures

QUERY = "search/?q=%E4%BA%BA%E6%89%8D"  # 人才: results in every edition


@pytest.fixture
def context(browser):
    # en-US: the root page has no Chinese preference to follow, and stays.
    context = browser.new_context(locale="en-US")
    yield context
    context.close()


@pytest.fixture
def page(context):
    return context.new_page()


def settled(page, violations: list[str]) -> list[str]:
    """The violations, once Chromium's last messages have reached Python."""
    page.evaluate("() => new Promise(resolve => setTimeout(resolve, 50))")
    return violations


def page_url(base: str, site, path) -> str:
    relative = path.relative_to(site).as_posix()
    return base + (relative.removesuffix("index.html") if relative.endswith("index.html") else relative)


def test_every_page_works_under_the_policy(site, base, context):
    """Every page, loaded in full (the load event), in four tabs at a time: a page's loading overlaps
    the others' instead of waiting for them."""
    tabs = [context.new_page() for _ in range(4)]
    violations = [watch_csp(tab) for tab in tabs]
    pages = html_pages(site)
    assert len(pages) > 300
    for at in range(0, len(pages), len(tabs)):
        loading = [(tab, path, tab.goto(page_url(base, site, path), wait_until="commit"))
                   for tab, path in zip(tabs, pages[at:at + len(tabs)])]
        for tab, path, response in loading:
            tab.wait_for_load_state("load")
            assert response.status == 200, path
            assert response.headers["content-security-policy"] == CONTENT_SECURITY_POLICY
    found = [v for tab, seen in zip(tabs, violations) for v in settled(tab, seen)]
    assert found == [], "\n".join(found[:20])


def test_json_ld_is_a_data_block_not_a_script(base, page):
    violations = watch_csp(page)
    page.goto(f"{base}zh-hk/measures/gzdd-2022-39/")
    assert '"@type": "Legislation"' in page.inner_text("script[type='application/ld+json']")
    assert settled(page, violations) == []


@pytest.mark.parametrize("edition", [v.code for v in EDITIONS])
def test_search_finds_measures_in_its_worker(base, page, edition):
    violations = watch_csp(page)
    workers = []
    page.on("worker", lambda worker: workers.append(worker.url))
    page.goto(f"{base}{edition}/")
    query = "talent" if edition == "en" else "人才"
    page.fill("#home-search", query)  # the home page's search box: a form sent to the search page
    page.press("#home-search", "Enter")
    page.wait_for_url(f"{base}{edition}/search/?q={quote(query)}")
    try:
        page.wait_for_selector("#search[data-ready] #search-results li", timeout=10_000)
    except PlaywrightTimeout:
        pytest.fail("no results; the policy's violations: " + "\n".join(settled(page, violations)))
    # Pagefind answers in its worker; blocked, it would fall back to the page quietly.
    assert [url for url in workers if url.endswith("/pagefind-worker.js")], workers
    assert settled(page, violations) == [], "\n".join(violations)


def test_the_language_switch_works(base, page):
    violations = watch_csp(page)
    page.goto(f"{base}zh-hans/measures/nansha-batch6-07/")
    page.click("nav.variants a[hreflang='zh-Hant-TW']")
    page.wait_for_url(f"{base}zh-tw/measures/nansha-batch6-07/")
    assert page.evaluate("document.documentElement.lang") == "zh-Hant-TW"
    page.goto(base)  # static/variant.js remembered the choice, and the root page follows it
    page.wait_for_url(f"{base}zh-tw/")
    assert settled(page, violations) == []


# --- the checker catches what the policy forbids ---------------------------------

BREAKING = {
    "inline-script.html": ('<script>document.title = "ran";</script>', "script-src-elem blocked inline"),
    "style-attribute.html": ('<p style="color: red">red</p>', "style-src-attr blocked inline"),
    "style-element.html": ("<style>p { color: red; }</style>", "style-src-elem blocked inline"),
    "image.html": ('<img alt="" src="https://example.org/x.png">', "img-src blocked https://example.org/x.png"),
    "worker.html": ('<script src="start-worker.js"></script>', "Connecting to 'https://example.org/' violates"),
}


def fixture_page(body: str) -> str:
    return (f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>fixture</title></head>'
            f"<body>{body}</body></html>\n")


@pytest.fixture
def breaking_site(tmp_path):
    """Pages that each need one thing the policy forbids, and one that needs nothing."""
    for name, (body, _) in BREAKING.items():
        (tmp_path / name).write_text(fixture_page(body), encoding="utf-8")
    (tmp_path / "clean.html").write_text(fixture_page('<p>clean</p><script src="clean.js"></script>'), encoding="utf-8")
    (tmp_path / "clean.js").write_text("document.title = 'clean';\n", encoding="utf-8")
    (tmp_path / "start-worker.js").write_text("new Worker('worker.js');\n", encoding="utf-8")
    # A violation in a worker: its events never reach the page, only the console.
    (tmp_path / "worker.js").write_text("fetch('https://example.org/').catch(() => {});\n", encoding="utf-8")
    return tmp_path


@pytest.mark.parametrize("name", BREAKING)
def test_the_checker_catches_what_the_policy_forbids(breaking_site, page, name):
    expected = BREAKING[name][1]
    violations = watch_csp(page)
    with serve(breaking_site) as base:
        page.goto(base + name)
        if name == "worker.html":
            page.wait_for_timeout(300)  # the worker starts, fetches, is refused
        found = list(settled(page, violations))
        assert any(v.startswith(expected) for v in found), found
        assert page.title() == "fixture"  # the inline script did not run

        page.goto(base + "clean.html")
        assert page.title() == "clean"
    assert settled(page, violations) == found  # nothing more from the clean page


def test_the_publishing_docs_give_hosts_the_policy_the_server_sends():
    readme = (ROOT / "docs" / "publishing.md").read_text(encoding="utf-8")
    assert f"\nContent-Security-Policy: {CONTENT_SECURITY_POLICY}\n" in readme

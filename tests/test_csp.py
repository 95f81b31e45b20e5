"""The handbook under its Content-Security-Policy: every page's markup, and in Chromium search, the language switch.

The server sends handbook.serve.CONTENT_SECURITY_POLICY, the policy a host
should set; a page that needs more than it allows (an inline script, a style
attribute, a worker or a fetch it does not name) reports a violation, and
these tests fail on any. Every page's markup is read for what the policy
refuses (tests/policy.py, a second for all of them); Chromium loads one page
of each kind in every edition, where the same scripts run as on the others
(loading all 662 took over a minute of the suite). Both checkers are shown
to catch what the policy forbids on pages made to break it.
"""

from __future__ import annotations

from urllib.parse import quote, urlsplit

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from handbook.commands.serve import CONTENT_SECURITY_POLICY
from handbook.editions import EDITIONS
from tests.browser import serve, watch_csp
from tests.conftest import READ_ONLY_BASE, ROOT
from tests.policy import policy_breaches
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


def page_kinds(site) -> list:
    """One page of each kind in each edition (a measure, a parallel page, a topic, a topic's second page,
    the search page...): the largest, as the one with the most in it."""
    kinds: dict[tuple, list] = {}
    for path in html_pages(site):
        parts = path.relative_to(site).parts
        kind = parts if len(parts) <= 2 else (parts[0], parts[1], len(parts), "page" in parts)
        kinds.setdefault(kind, []).append(path)
    return sorted(max(paths, key=lambda p: (p.stat().st_size, p)) for paths in kinds.values())


def test_every_page_is_written_within_the_policy(site):
    """Every page's markup: nothing the policy refuses (tests/policy.py), in any of the pages."""
    origin = "{0.scheme}://{0.netloc}".format(urlsplit(READ_ONLY_BASE))
    pages = html_pages(site)
    assert len(pages) > 600
    found = [f"{path.relative_to(site)}:{breach}" for path in pages
             for breach in policy_breaches(path.read_text(encoding="utf-8"), origin)]
    assert found == [], "\n".join(found[:20])


def test_one_page_of_every_kind_works_under_the_policy(site, base, page):
    """In Chromium, with its scripts running: one page of each kind in every edition, loaded in full."""
    violations = watch_csp(page)
    pages = page_kinds(site)
    assert {p.relative_to(site).parts[0] for p in pages} >= {v.code for v in EDITIONS}
    assert len(pages) > 50
    for path in pages:
        response = page.goto(page_url(base, site, path))
        assert response.status == 200, path
        assert response.headers["content-security-policy"] == CONTENT_SECURITY_POLICY
    found = settled(page, violations)
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


# What the markup check (tests/policy.py) must refuse, beside the pages above; the worker's fetch is the
# browser's alone to see.
MARKUP_BREACHES = {
    **{name: body for name, (body, _) in BREAKING.items() if name != "worker.html"},
    "handler": '<button onclick="go()">go</button>',
    "javascript-url": '<a href=" JavaScript:alert(1)">x</a>',
    "module-script": '<script type="module">import "./x.js";</script>',
    "other-site-script": '<script src="https://example.org/x.js"></script>',
    "protocol-relative-script": '<script src="//example.org/x.js"></script>',
    "other-site-stylesheet": '<link rel="stylesheet" href="https://example.org/x.css">',
    "icon-file": '<link rel="icon" href="/favicon.ico">',
    "frame": '<iframe src="/handbook/"></iframe>',
    "base": '<base href="https://example.org/">',
    "form-elsewhere": '<form action="https://example.org/search"><input name="q"></form>',
}


@pytest.mark.parametrize("name", MARKUP_BREACHES)
def test_the_markup_check_refuses_what_the_policy_refuses(name):
    html = fixture_page(MARKUP_BREACHES[name])
    assert len(policy_breaches(html, "http://127.0.0.1")) == 1, policy_breaches(html, "http://127.0.0.1")


def test_the_markup_check_allows_what_the_pages_need():
    html = fixture_page('<link rel="stylesheet" href="/handbook/static/style.css"><link rel="icon" href="data:,">'
                        '<script src="/handbook/static/variant.js" defer></script>'
                        '<script src="http://127.0.0.1/handbook/static/x.js"></script>'
                        '<script type="application/ld+json">{"@type": "Legislation"}</script>'
                        '<form action="/handbook/zh-hk/search/"><input name="q"></form>'
                        '<a href="https://www.gz.gov.cn/">gz.gov.cn</a><p>onclick= is text here</p>')
    assert policy_breaches(html, "http://127.0.0.1") == []


def test_the_publishing_docs_give_hosts_the_policy_the_server_sends():
    readme = (ROOT / "docs" / "publishing.md").read_text(encoding="utf-8")
    assert f"\nContent-Security-Policy: {CONTENT_SECURITY_POLICY}\n" in readme

"""The built handbook in a real headless Chromium, and every page through the Nu checker."""

from __future__ import annotations

import pytest

from handbook.editions import EDITIONS
from tests.browser import axe_context, axe_violations, format_violations, launch_browser, serve, vnu_errors
from tests.conftest import ROOT
from tests.sitecheck import html_pages

PAGE_TYPES = {
    "home": "", "source": "sources/nansha-batch6/", "topic": "topics/finance/",
    "category": "categories/rule-of-law-environment/", "unit": "units/human-resources-social-security/",
    "measure": "measures/gzdd-2022-39/", "about": "about/", "search": "search/?q=%E4%BA%BA%E6%89%8D",
    "measure with terms": "measures/gzdd-2022-16/", "glossary": "glossary/",
    "side by side": "parallel/nansha-batch6-07/", "all measures": "measures/", "sources": "sources/",
    "topics": "topics/", "categories": "categories/", "units": "units/", "open data": "data/",
}


@pytest.fixture(scope="module")
def site(real_site):
    return real_site()


@pytest.fixture(scope="module")
def base(site):
    with serve(site, "/handbook/") as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    with launch_browser() as browser:
        yield browser


@pytest.fixture
def page(browser):
    # locale en-US: the root page then has no Chinese preference to follow.
    context = browser.new_context(locale="en-US")
    yield context.new_page()
    context.close()


@pytest.fixture(scope="module")
def checked(browser):
    """One page for the accessibility checks, with axe-core loaded into every page it opens."""
    context = axe_context(browser, locale="en-US")
    yield context.new_page()
    context.close()


def test_every_page_is_valid_html(site):
    pages = html_pages(site)
    assert len(pages) > 300
    errors = vnu_errors(pages)
    assert errors == [], "\n".join(errors[:30])


@pytest.mark.parametrize("edition", [v.code for v in EDITIONS])
@pytest.mark.parametrize("kind", list(PAGE_TYPES))
def test_no_accessibility_violations(checked, base, edition, kind):
    page = checked
    path = PAGE_TYPES[kind].replace("%E4%BA%BA%E6%89%8D", "talent") if edition == "en" else PAGE_TYPES[kind]
    response = page.goto(f"{base}{edition}/{path}")
    assert response.status == 200
    if kind == "search":  # results, facets and their counts drawn in
        page.wait_for_selector("#search[data-ready] #search-results li")
    assert page.evaluate("document.documentElement.lang") == next(v.lang for v in EDITIONS if v.code == edition)
    violations = axe_violations(page)
    assert violations == [], format_violations(violations)


@pytest.mark.parametrize("path, status", [("", 200), ("no/such/page/", 404)])
def test_root_and_404_pages_are_accessible(checked, base, path, status):
    page = checked
    assert page.goto(base + path).status == status
    violations = axe_violations(page)
    assert violations == [], format_violations(violations)


def test_dark_mode_keeps_contrast(browser, base):
    context = browser.new_context(color_scheme="dark")
    page = context.new_page()
    page.goto(f"{base}zh-hk/measures/gzdd-2022-39/")
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") == "rgb(22, 22, 22)"
    violations = axe_violations(page)
    context.close()
    assert violations == [], format_violations(violations)


def test_variant_choice_is_remembered_and_root_follows_languages(browser, base):
    context = browser.new_context(locale="en-US")
    page = context.new_page()
    page.goto(f"{base}zh-hans/measures/nansha-batch6-07/")
    page.click("nav.variants a[hreflang='zh-Hant-TW']")
    page.wait_for_url(f"{base}zh-tw/measures/nansha-batch6-07/")
    assert page.evaluate("document.documentElement.lang") == "zh-Hant-TW"
    page.goto(base)
    page.wait_for_url(f"{base}zh-tw/")
    context.close()

    for languages, expected in (("zh-HK", "zh-hk"), ("zh-TW", "zh-tw"), ("zh-CN", "zh-hans"), ("en-GB", "en")):
        context = browser.new_context(locale=languages)
        page = context.new_page()
        page.goto(base)
        page.wait_for_url(f"{base}{expected}/")
        context.close()


def test_pages_read_without_javascript(browser, base):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{base}zh-tw/measures/nansha-batch6-16/")
    assert "行政復議" in page.inner_text("main")
    page.goto(f"{base}en/measures/nansha-batch6-16/")  # the English page and its caveat, as plain text
    assert "administrative reconsideration" in page.inner_text("main").lower()
    assert "unofficial english translation" in page.inner_text("main .notice.translation").lower()
    page.goto(base)  # the root page offers the four editions as plain links
    assert page.locator(".choices a").count() == len(EDITIONS)
    context.close()


def test_phone_width_needs_no_sideways_scrolling(browser, base):
    context = browser.new_context(viewport={"width": 360, "height": 740})
    page = context.new_page()
    for kind, path in PAGE_TYPES.items():
        page.goto(f"{base}zh-hans/{path}")
        assert page.evaluate("document.scrollingElement.scrollWidth") <= 360, kind
    context.close()


def test_skip_link_and_visible_focus(page, base):
    page.goto(f"{base}zh-hans/measures/nansha-batch6-01/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip"
    box = page.locator("a.skip").bounding_box()
    assert box and box["x"] >= 0 and box["y"] >= 0
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline == "solid"


def test_print_shows_the_measure_its_citation_and_what_it_is(page, base):
    page.goto(f"{base}zh-hk/measures/nansha-batch6-01/")
    page.emulate_media(media="print")
    hidden = page.evaluate("""() => ['.site-nav', '.pager', '.related', '.footer-links', '.breadcrumb']
        .map(s => getComputedStyle(document.querySelector(s)).display)""")
    assert hidden == ["none"] * 5
    assert page.locator(".citation").is_visible() and page.locator(".official").is_visible()
    assert "http://127.0.0.1/handbook/zh-hk/measures/nansha-batch6-01/" in page.inner_text(".citation")
    # On paper the reader still sees which edition this is, that the source prevails, and when it was revised.
    assert page.locator(".variants [aria-current]").inner_text() == "繁體中文（香港）"
    assert page.locator(".variants li:visible").count() == 1
    footer = page.inner_text(".site-footer")
    assert "以來源文件為準" in footer and "最後修訂於" in footer and "繁體中文（香港）" in footer
    assert "簡體原文" in page.inner_text(".official .converted")


@pytest.mark.parametrize("code, expected", [("zh-hans", "justify"), ("zh-hk", "justify"), ("en", "start")])
def test_chinese_text_is_justified_and_english_is_not(page, base, code, expected):
    """Justified English on a phone opens wide gaps between words; Chinese fills its lines evenly."""
    page.set_viewport_size({"width": 390, "height": 800})
    page.goto(f"{base}{code}/measures/gzdd-2022-05/")
    assert page.evaluate("getComputedStyle(document.querySelector('.official p')).textAlign") == expected

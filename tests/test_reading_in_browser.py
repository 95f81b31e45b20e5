"""Finding and reading a measure, measured in headless Chromium at a phone's and a desktop's width:
the header, the edition switch, metadata labels, headings, the search page's stability and the 404 page."""

from __future__ import annotations

import json
import re
from urllib.parse import parse_qs, urlsplit

import pytest

from handbook.editions import EDITIONS
from tests.browser import launch_browser, serve, wait_until

CODES = [e.code for e in EDITIONS]
WIDTHS = [390, 1280]


@pytest.fixture(scope="module")
def base(real_site):
    with serve(real_site(), "/handbook/") as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    with launch_browser() as browser:
        yield browser


def open_page(browser, url: str, width: int, **options):
    context = browser.new_context(viewport={"width": width, "height": 800}, locale="en-US", **options)
    page = context.new_page()
    page.goto(url)
    return context, page


def at_widths(page, widths):
    """The loaded page at each width in turn, as a reader turning a phone or widening the window sees it
    (the layout is done again; loading the page again at each width measured the same, three times slower)."""
    for width in widths:
        page.set_viewport_size({"width": width, "height": 800})
        yield width


@pytest.mark.parametrize("edition", CODES)
def test_header_is_compact_and_the_edition_switch_is_one_labelled_tap_away(browser, base, edition):
    context, page = open_page(browser, f"{base}{edition}/measures/nansha-batch6-05/", WIDTHS[0])
    for width in at_widths(page, WIDTHS):
        header = page.locator(".site-header").bounding_box()
        limit = 150 if edition == "en" and width < 500 else 130  # the English title takes two lines on a phone
        assert header["height"] <= limit, (width, header)
        assert page.locator("h1").bounding_box()["y"] < 400  # the measure's title is in the first screen
        label = page.locator("#variants-label")
        assert label.is_visible() and label.inner_text().strip()
        links = page.locator(".variants a[data-variant]")
        assert links.count() == len(EDITIONS)
        for i in range(links.count()):
            box = links.nth(i).bounding_box()
            assert box["height"] >= 44 and box["width"] >= 24, (width, i, box)
        tops = {round(page.locator(".site-nav li").nth(i).bounding_box()["y"]) for i in range(page.locator(".site-nav li").count())}
        assert len(tops) == 1, "the sections fit on one row"
        assert page.locator("input[type=search]").count() == 0  # the search box belongs to the search page
    context.close()


BROKEN_LABELS = """() => [...document.querySelectorAll('.metadata th')].filter(th => {
            const words = th.lang?.startsWith('en') || document.documentElement.lang === 'en'
                ? th.textContent.trim().split(/\\s+/) : [th.textContent.trim()];
            let at = 0;
            const text = th.firstChild;
            return words.some(word => {
                const start = th.textContent.indexOf(word, at); at = start + word.length;
                const range = document.createRange();
                range.setStart(text, start); range.setEnd(text, start + word.length);
                const tops = new Set([...range.getClientRects()].map(r => Math.round(r.top)));
                return tops.size > 1;
            });
        }).map(th => th.textContent)"""


@pytest.mark.parametrize("edition", CODES)
def test_metadata_labels_never_break_inside_a_word(browser, base, edition):
    context = browser.new_context(locale="en-US")
    page = context.new_page()
    for path in ("measures/nansha-batch6-05/", "sources/gzdd-2022/"):
        page.goto(f"{base}{edition}/{path}")
        for width in at_widths(page, [320, 390, 1280]):
            broken = page.evaluate(BROKEN_LABELS)
            assert broken == [], (path, width, broken)
    context.close()


HEADING_LINES = """() => [...document.querySelectorAll('main h1, main h2, main h3')].map(h => {
    const walker = document.createTreeWalker(h, NodeFilter.SHOW_TEXT);
    const tops = [];
    for (let node; (node = walker.nextNode());) {
        for (let i = 0; i < node.length; i++) {
            if (!node.data[i].trim()) continue;
            const range = document.createRange();
            range.setStart(node, i); range.setEnd(node, i + 1);
            const rect = range.getBoundingClientRect();
            if (rect.height) tops.push(Math.round(rect.top));
        }
    }
    const last = Math.max(...tops);
    return [h.textContent.trim(), new Set(tops).size, tops.filter(t => t === last).length];
})"""


# Titles that, wrapped greedily at 390 px in Noto Sans CJK, leave one character alone (营商环境社会联动共商共建共治机/制).
ORPHANING = ("measures/gzdd-2022-04/", "measures/nansha-batch6-06/", "measures/nansha-batch6-09/",
             "measures/nansha-batch6-15/", "parallel/nansha-batch6-09/")


def orphans(page) -> list[str]:
    return [text for text, lines, last in page.evaluate(HEADING_LINES) if lines > 1 and last == 1]


@pytest.mark.parametrize("edition", CODES)
def test_no_heading_leaves_one_character_alone_on_its_last_line(browser, base, edition):
    context = browser.new_context(locale="en-US")
    page = context.new_page()
    for path in ("", *ORPHANING, "measures/gzdd-2022-16/", "sources/nansha-batch6/", "topics/"):
        page.goto(f"{base}{edition}/{path}")
        assert page.locator("main h1").count() == 1, path
        for width in at_widths(page, [320, *WIDTHS]):
            alone = orphans(page)
            assert alone == [], (path, width, alone)
    context.close()


def test_the_orphan_measure_finds_what_greedy_wrapping_leaves(browser, base):
    """Without the stylesheet's balancing, the same measurement finds the single characters: it can fail.
    The pages are loaded wide and then narrowed, as the heading test does.
    (It needs a CJK font, as readers have: make test-deps installs Noto CJK.)"""
    found, wide = [], []
    context, page = open_page(browser, f"{base}zh-hans/", 1280)
    for path in ORPHANING:
        page.goto(f"{base}zh-hans/{path}")
        page.evaluate("document.querySelectorAll('h1, h2, h3').forEach(h => { h.style.textWrap = 'wrap'; })")
        wide += orphans(page)
        for _ in at_widths(page, [390]):
            found += orphans(page)
    context.close()
    assert len(found) >= 3, found
    assert found != wide, "narrowing the page laid its headings out again"


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("edition", CODES)
def test_search_results_arrive_without_shifting_the_page(browser, base, edition, width):
    context = browser.new_context(viewport={"width": width, "height": 800})
    page = context.new_page()
    page.add_init_script("""window.shifts = 0; new PerformanceObserver(list => { for (const e of list.getEntries())
        if (!e.hadRecentInput) window.shifts += e.value; }).observe({type: 'layout-shift', buffered: true});""")
    page.goto(f"{base}{edition}/search/?q=" + ("customs" if edition == "en" else "%E8%90%A5%E5%95%86%E7%8E%AF%E5%A2%83"))
    page.wait_for_selector("#search[data-ready] #search-results li")
    page.wait_for_timeout(500)
    shifts = page.evaluate("window.shifts")
    context.close()
    assert shifts < 0.05


@pytest.mark.parametrize("target", ["zh-hk", "zh-tw", "en"])
def test_edition_switch_keeps_the_query_and_the_filters(browser, base, target):
    context, page = open_page(browser, f"{base}zh-hans/search/?q=%E8%90%A5%E5%95%86%E7%8E%AF%E5%A2%83", 1280)
    page.wait_for_selector("#search[data-ready] #search-results li")
    if page.locator("#facets").get_attribute("open") is None:
        page.locator("#facets summary").click()
    page.check("#facets input[name=topic][value='数字政府']")
    # The address changes when the filtered run starts; the count is read once it has ended.
    wait_until(page, "new URLSearchParams(location.search).get('topic') === 'digital-government' && "
                     "!document.getElementById('search-results').hasAttribute('aria-busy')")
    found = page.inner_text("#search-status")
    assert re.search(r"\d", found), found
    page.click(f".variants a[data-variant='{target}']")
    page.wait_for_selector("#search[data-ready] #search-results li")
    query = parse_qs(urlsplit(page.url).query)
    assert query == {"q": ["营商环境"], "topic": ["digital-government"]}
    assert page.input_value("#q") == "营商环境"
    checked = page.locator("#facets input[name=topic]:checked").evaluate_all("boxes => boxes.map(b => b.value)")
    assert checked == [json.loads(page.get_attribute("#search", "data-facet-ids"))["topic"]["digital-government"]]
    if target != "en":  # the same measures; English searches its own text, so it may find others
        assert re.sub(r"\D", "", page.inner_text("#search-status")) == re.sub(r"\D", "", found)
    context.close()


@pytest.mark.parametrize("edition", CODES)
def test_404_says_it_once_in_the_readers_edition_with_a_search_box(browser, base, edition):
    context, page = open_page(browser, f"{base}{edition}/no/such/page/", 390)
    shown = page.locator("section[data-edition]:visible")
    assert shown.count() == 1 and shown.get_attribute("data-edition") == edition
    assert page.locator("h1:visible").count() == 1
    assert page.evaluate("document.documentElement.lang") == next(e.lang for e in EDITIONS if e.code == edition)
    form = shown.locator("form[role=search]")
    assert urlsplit(form.get_attribute("action")).path == f"/handbook/{edition}/search/"
    assert page.locator(".choices a").count() == len(EDITIONS)  # and a way into every edition
    context.close()


def test_traditional_editions_say_their_text_is_converted_from_the_simplified(browser, base):
    for edition in CODES:
        context, page = open_page(browser, f"{base}{edition}/measures/gzdd-2022-05/", 390)
        note = page.locator(".official .converted")
        if edition in ("zh-hk", "zh-tw"):
            assert note.is_visible()
            assert urlsplit(note.locator("a").get_attribute("href")).path == "/handbook/zh-hans/measures/gzdd-2022-05/"
        else:
            assert note.count() == 0
        context.close()


SENTENCE_NAME = "el => getComputedStyle(el.querySelector(':scope > .ref'), '::before').content"
NAMES = {"zh-hans": "第25项 第{s}句", "zh-hk": "第25項 第{s}句", "zh-tw": "第25項 第{s}句", "en": "Item 25, sentence {s}"}


@pytest.mark.parametrize("edition", CODES)
def test_a_sentence_shows_its_name_on_hover_focus_and_when_linked_without_javascript(browser, base, edition):
    """第25项 第3句: named above the sentence when a pointer rests on it, when the keyboard reaches its link and
    when an address names it, with scripts off; never pushing a phone's page sideways, whichever sentence."""
    context = browser.new_context(viewport={"width": 1280, "height": 800}, java_script_enabled=False)
    page = context.new_page()
    url = f"{base}{edition}/measures/gzdd-2022-25/"  # eight sentences, translated one by one
    page.goto(url)
    sentences = page.locator(".official .s")
    assert sentences.count() >= 3
    third = sentences.nth(2)
    assert third.evaluate(SENTENCE_NAME) == "none"  # hidden until asked for
    third.hover()
    assert third.evaluate(SENTENCE_NAME) == f'"{NAMES[edition].format(s=3)}"'
    page.mouse.move(0, 0)
    page.locator(".official .s > .ref").first.focus()
    page.keyboard.press("Tab")  # from the first sentence's link to the second's
    second = sentences.nth(1)
    assert second.evaluate(SENTENCE_NAME) == f'"{NAMES[edition].format(s=2)}"'
    assert second.evaluate("el => el.contains(document.activeElement)")
    page.set_viewport_size({"width": 360, "height": 800})
    for s in range(1, sentences.count() + 1):
        page.goto(f"{url}#p1-s{s}")
        target = page.locator(":target")
        assert target.get_attribute("id") == f"p1-s{s}"
        assert target.evaluate(SENTENCE_NAME) == f'"{NAMES[edition].format(s=s)}"'
        assert page.evaluate("document.scrollingElement.scrollWidth") <= 360, f"p1-s{s}"
    context.close()

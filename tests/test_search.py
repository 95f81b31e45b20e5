"""Search in a real browser: recall and precision, in every edition, whichever script is typed.

The truth for each query is computed from the content by plain substring
search over what a measure page shows and the index holds (title, source
title and number, date, category, topics, units, 推广范围, official text),
in the page's edition. Each query is typed in the page's own script and in
the other two; the other scripts must find what the right one finds.
"""

from __future__ import annotations

import json
import statistics
from contextlib import contextmanager
from urllib.parse import parse_qs, quote, urlsplit

import pytest

from handbook.build.builder import Builder
from handbook.convert.converter import Converter, convert_content
from handbook.site.index import Index
from handbook.editions import BY_CODE, EDITIONS
from tests.browser import launch_browser, serve, wait_until
from tests.conftest import ROOT, real_handbook

# Two-character words, longer terms, names of units and programmes, all from the content.
QUERIES = """
营商 审批 信用 人才 港澳 海关 融资 专利 商标 登记 调解 社保 公证 供水 用电 跨境 退货 仲裁 发票 土地 职称 上市
知识产权 营商环境 一站式 区块链 行政复议 信用修复 特种设备 电子发票 工程建设 跨境电商 法律服务 金融服务 人工智能
市司法局 黄埔海关 市商务局 广州市税务局 市人力资源社会保障局 市场监管
金镶玉 政务雷达 秒批 图书馆之城 跨境通 气候支行 苗圃贷 吐槽大会 一门式 无费区 湾创之星 社会危险性 观察员 税链
""".split()

CHINESE = tuple(e for e in EDITIONS if not e.translated)  # the English edition has its own queries (test_search_en)
RECALL, PRECISION = 1.0, 1.0  # exact strings: what was typed is what is found, and only that


def page_text(ref) -> str:
    m, s = ref.measure, ref.source
    parts = [m.title, s.title, s.number or "", f"{s.date.year}年{s.date.month}月{s.date.day}日", str(m.number),
             ref.category.name if ref.category else "", *(t.name for t in ref.topics),
             *(u.name for u in ref.units), m.scope or "", m.text]
    return "\n".join(parts)


def truth() -> dict[str, dict[str, set[str]]]:
    """edition code -> Simplified query -> ids of the measures whose page contains it (in that script)."""
    out = {}
    for edition in CHINESE:
        convert = Converter(edition, real_handbook().conversion)
        index = Index(convert_content(real_handbook().content, convert))
        texts = {ref.measure.id: page_text(ref) for ref in index.refs}
        out[edition.code] = {q: {i for i, text in texts.items() if convert(q) in text} for q in QUERIES}
    return out


TRUTH = truth()


def typed(query: str, script: str) -> str:
    return Converter(BY_CODE[script], real_handbook().conversion)(query)


@pytest.fixture(scope="module")
def browser():
    with launch_browser() as chromium:
        yield chromium


@contextmanager
def searching(out, browser):
    """search(edition, query) -> measure ids found, in a real browser on the site in `out`."""
    with serve(out, "/handbook/") as base:
        page = browser.new_page()

        def search(edition: str, query: str) -> list[str]:
            """The first query on an edition's search page comes in its address, as from a link; the next
            ones are typed into its box, as a reader does (a page load costs ten times a search)."""
            url = urlsplit(page.url)
            if url.path != urlsplit(f"{base}{edition}/search/").path or set(parse_qs(url.query)) - {"q"}:
                page.goto(f"{base}{edition}/search/?q={quote(query)}")
                page.wait_for_selector("#search[data-ready]")
            else:
                page.fill("#q", query)
                page.press("#q", "Enter")
            wait_until(page, "!document.getElementById('search-results').hasAttribute('aria-busy') && "
                             f"new URLSearchParams(location.search).get('q') === {json.dumps(query.strip())}")
            while page.is_visible("#more-results"):
                count = page.locator("#search-results li").count()
                page.click("#more-results")
                wait_until(page, f"document.querySelectorAll('#search-results li').length > {count}")
            hrefs = page.eval_on_selector_all("#search-results li > a", "links => links.map(a => a.pathname)")
            return [h.rstrip("/").rsplit("/", 1)[-1] for h in hrefs]

        search.page, search.base = page, base
        yield search


@pytest.fixture(scope="module")
def search_page(real_site, browser):
    with searching(real_site(), browser) as search:
        yield search


def test_queries_come_from_the_content():
    assert len(QUERIES) >= 40 and len(set(QUERIES)) == len(QUERIES)
    for query in QUERIES:
        assert TRUTH["zh-hans"][query], f"{query} occurs in no measure"


def measure(search, edition: str, script: str) -> tuple[float, float, list[str]]:
    recalls, precisions, misses = [], [], []
    for query in QUERIES:
        expected = TRUTH[edition][query]
        found = search(edition, typed(query, script))
        recalls.append(len(expected & set(found)) / len(expected))
        top = found[:10]
        precisions.append(len(expected & set(top)) / len(top) if top else 0.0)
        if recalls[-1] < 1 or precisions[-1] < 1:
            misses.append(f"{typed(query, script)}: recall {recalls[-1]:.2f}, P@10 {precisions[-1]:.2f}")
    return statistics.mean(recalls), statistics.mean(precisions), misses


@pytest.mark.parametrize("edition", [v.code for v in CHINESE])
def test_recall_and_precision_in_every_script(search_page, edition):
    lines = []
    for script in [edition] + [v.code for v in CHINESE if v.code != edition]:
        recall, precision, misses = measure(search_page, edition, script)
        mode = "same script" if script == edition else f"typed in {script}"
        lines.append(f"{edition} pages, {mode}: recall {recall:.3f}, P@10 {precision:.3f} ({len(QUERIES)} queries)")
        print(lines[-1], *("   " + m for m in misses), sep="\n")
        assert recall >= RECALL and precision >= PRECISION, "\n".join(lines + misses)


def test_facets_return_exactly_the_measures_with_that_value(search_page):
    page, base = search_page.page, search_page.base
    content = convert_content(real_handbook().content, Converter(BY_CODE["zh-hk"], real_handbook().conversion))
    index = Index(content)
    finance = next(t for t in content.topics if t.id == "finance")
    tax = next(u for u in content.units if u.id == "tax")
    cases = [
        ({"topic": [finance.name]}, {r.measure.id for r in index.by_topic["finance"]}),
        ({"unit": [tax.name]}, {r.measure.id for r in index.by_unit["tax"]}),
        ({"topic": [finance.name], "source": [content.sources[1].short_title]},
         {r.measure.id for r in index.by_topic["finance"] if r.measure.source == "nansha-batch6"}),
    ]
    for filters, expected in cases:
        query = "&".join(f"{k}={quote(v)}" for k, values in filters.items() for v in values)
        page.goto(f"{base}zh-hk/search/?{query}")
        page.wait_for_selector("#search[data-ready]")
        while page.is_visible("#more-results"):
            page.click("#more-results")
        found = {h.rstrip("/").rsplit("/", 1)[-1] for h in
                 page.eval_on_selector_all("#search-results li > a", "links => links.map(a => a.pathname)")}
        assert found == expected, filters
        for facet, values in filters.items():  # the boxes show what the URL says
            for value in values:
                assert page.is_checked(f"input[name={facet}][value='{value}']")
    # Facet labels and counts are in the page's script.
    label = page.inner_text("fieldset[data-facet=topic]")
    assert "金融服務" in label and "金融服务" not in label


def test_box_on_the_home_page_lands_on_search_results(search_page):
    page, base = search_page.page, search_page.base
    page.goto(f"{base}zh-tw/measures/nansha-batch6-07/")
    page.click(".site-nav a[href$='/zh-tw/search/']")  # every page links the search page from its header
    page.wait_for_url(f"{base}zh-tw/search/")
    page.goto(f"{base}zh-tw/")
    page.fill("#home-search", "知识产权")  # typed in Simplified on a Taiwan page
    page.press("#home-search", "Enter")
    page.wait_for_url(f"{base}zh-tw/search/?q=*")
    page.wait_for_selector("#search[data-ready]")
    assert page.locator("#search-results li").count() > 0
    assert "知識產權" in page.inner_text("#search-results")
    status = page.locator("#search-status")
    assert status.get_attribute("role") == "status" and "項措施" in status.inner_text()


def test_query_is_kept_in_the_url_and_back_works(search_page):
    page, base = search_page.page, search_page.base
    page.goto(f"{base}zh-hans/search/")
    page.wait_for_selector("#search[data-ready]")
    for query in ("区块链", "气候支行"):
        page.fill("#q", query)
        page.press("#q", "Enter")
        page.wait_for_url(f"**/search/?q={quote(query)}")
    page.go_back()
    page.wait_for_url(f"**/search/?q={quote('区块链')}")
    wait_until(page, "document.getElementById('q').value === '区块链'")
    wait_until(page, "document.getElementById('search-status').textContent.includes('4')")


def test_a_later_query_is_not_overwritten_by_an_earlier_one(search_page, browser):
    """A slow search that a newer one overtook must not put its results on the page."""
    page = browser.new_page()
    held = []  # the first query's excerpts are held back until the second query has been answered

    def hold(route):
        if held is None:
            route.continue_()
        else:
            held.append(route)

    page.route("**/pagefind/**/fragment/**", hold)
    page.goto(f"{search_page.base}zh-hans/search/")
    page.wait_for_selector("#search[data-ready]")
    page.fill("#q", "企业")  # many results: their excerpts are fetched
    with page.expect_request("**/pagefind/**/fragment/**"):
        page.press("#q", "Enter")
    assert page.get_attribute("#search-results", "aria-busy") == "true"  # the list says it is not done
    page.fill("#q", "xyzzy")  # no results: nothing to fetch
    page.press("#q", "Enter")
    wait_until(page, "document.getElementById('search-status').textContent.includes('没有找到')")
    wait_until(page, "!document.getElementById('search-results').hasAttribute('aria-busy')")  # the newer run is done
    released, held = held, None
    for route in released:
        route.continue_()
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(200)  # any stale run has had its turn
    assert "没有找到" in page.inner_text("#search-status")
    assert page.locator("#search-results li").count() == 0
    page.close()


def test_nothing_found_says_so(search_page):
    page, base = search_page.page, search_page.base
    page.goto(f"{base}zh-hans/search/?q={quote('量子计算机')}")
    page.wait_for_selector("#search[data-ready]")
    assert "没有找到" in page.inner_text("#search-status")


def test_an_index_in_bundles_finds_what_one_index_finds(search_page, browser, tmp_path):
    """A large handbook's index comes in bundles merged in the browser: the same results, the same facets."""
    out = tmp_path / "site"
    Builder(ROOT, ROOT / "content", out, "http://127.0.0.1/handbook/", keep_state=False, shard_size=10).build()
    bundles = {p.relative_to(out / "pagefind").as_posix() for p in (out / "pagefind").glob("*/*")}
    assert bundles == {f"{v.code}/{n}" for v in EDITIONS for n in range(6)}  # 57 measures, 10 a bundle
    assert not list((out / "pagefind").glob("*/*/pagefind-ui.js"))  # only what the search page loads
    assert not list((out / "pagefind").glob("*/[1-9]/pagefind.js"))  # merged bundles bring no code
    one = search_page.page
    with searching(out, browser) as search:
        for edition in CHINESE:
            for query in QUERIES[::5]:
                expected = search_page(edition.code, query)
                assert expected and sorted(search(edition.code, query)) == sorted(expected), (edition.code, query)
            search.page.goto(f"{search.base}{edition.code}/search/")
            search.page.wait_for_selector("#search[data-ready]")
            one.goto(f"{search_page.base}{edition.code}/search/")
            one.wait_for_selector("#search[data-ready]")
            assert search.page.inner_text("#facets") == one.inner_text("#facets")  # counts added up

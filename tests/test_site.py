"""The real build: every page in every edition, links, switches, conversion, atomicity."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from handbook.build.builder import build
from handbook.diagnostics import ContentError
from handbook.files import leftovers
from handbook.search.pagefind import pagefind_binary
from handbook.editions import EDITIONS
from tests.conftest import READ_ONLY_BASE, ROOT
from tests.sitecheck import html_pages, nested_marks, read_page, target_file, tree

ROOT_BASE = "http://127.0.0.1:8000/"  # content/site.yaml's base_url
BASES = {"root": ROOT_BASE, "subpath": READ_ONLY_BASE}


@pytest.fixture(scope="module", params=list(BASES))
def site(request, real_site) -> tuple[Path, str]:
    """The real site under / and under /handbook/: the session's builds, which other files share."""
    prefix = "/" if request.param == "root" else "/handbook/"
    return real_site(BASES[request.param]), prefix


@pytest.fixture(scope="module")
def root_site(real_site) -> Path:
    return real_site(ROOT_BASE)


def test_every_page_exists_in_every_variant(root_site):
    measure_ids = sorted(p.stem for p in (ROOT / "content/measures").rglob("*.yaml"))
    assert len(measure_ids) == 57
    for edition in EDITIONS:
        base = root_site / edition.code
        assert len(list((base / "measures").glob("*/index.html"))) == 57
        for page in ("index.html", "about/index.html", "feed.xml", "sources/gzdd-2022/index.html",
                     "sources/nansha-batch6/index.html", "topics/finance/index.html", "units/tax/index.html",
                     "categories/government-functions/index.html"):
            assert (base / page).is_file(), f"{edition.code}/{page}"
    for name in ("index.html", "404.html", "sitemap.xml", "robots.txt", "static/style.css"):
        assert (root_site / name).is_file()
    # The same set of pages in each edition.
    shapes = {v.code: sorted(p.relative_to(root_site / v.code).as_posix() for p in (root_site / v.code).rglob("*"))
              for v in EDITIONS}
    assert shapes["zh-hans"] == shapes["zh-hk"] == shapes["zh-tw"]


def test_every_internal_link_and_asset_resolves(site):
    out, prefix = site
    checked = 0
    for page in html_pages(out):
        for tag, url, attributes in read_page(page).links:
            if url.startswith(("#", "mailto:", "data:")):
                continue
            if "external" in (attributes.get("rel") or "").split():  # the licence's own page, a document's original
                assert url.startswith("https://"), f"{page.relative_to(out)}: {url}"
                continue
            target = target_file(out, prefix, url)
            if target is None:  # schema.org in JSON-LD is not a link; nothing else may leave the site
                pytest.fail(f"{page.relative_to(out)} links outside the site: {url}")
            assert target.is_file(), f"{page.relative_to(out)}: {tag} {url} -> missing {target.relative_to(out)}"
            checked += 1
    assert checked > 9_000  # the crawl really read the pages


def test_variant_switch_points_at_the_same_page(site):
    out, prefix = site
    for edition in EDITIONS:
        for page in html_pages(out / edition.code):
            relative = page.relative_to(out / edition.code).as_posix().removesuffix("index.html")
            facts = read_page(page)
            assert facts.lang == edition.lang, page
            same = [f"{prefix}{v.code}/{relative}" for v in EDITIONS]
            if relative.startswith("changes/"):  # each edition has its own revisions: where another edition
                # has no such page (its changes fill fewer pages), the switch goes to its nearest page
                nearest = [s if (out / s.removeprefix(prefix) / "index.html").is_file()
                           else re.sub(r"(changes/)(page/\d+/|[^/]+/)$", r"\1", s) for s in same]
                if relative.count("/") == 2 and not relative.startswith("changes/page/"):  # a measure's history
                    nearest = [s if (out / s.removeprefix(prefix) / "index.html").is_file()
                               else s.replace("/changes/", "/measures/") for s in same]
                assert facts.variant_links == nearest, page
            else:
                assert facts.variant_links == same, page


def test_pages_need_no_third_party_requests(root_site):
    for page in html_pages(root_site):
        for tag, url, attributes in read_page(page).links:
            if tag in ("script", "img", "iframe") or attributes.get("rel") == "stylesheet":
                assert url.startswith("/"), f"{page}: {url}"


def test_conversions_taken_from_the_real_content(root_site):
    def text(edition, measure):
        return " ".join(read_page(root_site / edition / "measures" / measure / "index.html").text)

    for edition in ("zh-hk", "zh-tw"):
        assert "發展" in text(edition, "nansha-batch6-06") and "发展" not in text(edition, "nansha-batch6-06")
        assert "範圍" in text(edition, "nansha-batch6-01")  # 推广范围
        assert "後續" in text(edition, "nansha-batch6-04")  # 后续管理
        assert "行政復議" in text(edition, "nansha-batch6-16")  # a reviewed override (content/conversion.yaml)
    assert "電子臺賬" in text("zh-tw", "nansha-batch6-05") and "電子台賬" in text("zh-hk", "nansha-batch6-05")
    assert "发展" in text("zh-hans", "nansha-batch6-06")


def test_traditional_pages_use_corner_brackets(root_site):
    for edition in ("zh-hk", "zh-tw"):
        for page in html_pages(root_site / edition):
            # the English beside the Chinese on a parallel page keeps its own marks
            body = re.sub(r'<(div|p) lang="en">.*?</\1>', "", page.read_text(encoding="utf-8"), flags=re.S)
            assert "“" not in body and "”" not in body and "‘" not in body and "’" not in body, page
        # Measure 27 closes a quote it never opened (水平”。): the lone mark converts too.
        assert "服務水平」。" in (root_site / edition / "measures/gzdd-2022-27/index.html").read_text(encoding="utf-8")
        assert "「交易所直通車」" in (root_site / edition / "measures/gzdd-2022-27/index.html").read_text(encoding="utf-8")
    assert "“交易所直通车”" in (root_site / "zh-hans/measures/gzdd-2022-27/index.html").read_text(encoding="utf-8")


def page_text(site: Path, path: str) -> str:
    return "".join(read_page(site / path).text)


def test_no_page_nests_quotation_marks_of_the_same_shape(root_site):
    """「…『…』…」 and “…‘…’…”, never 「…「…」…」; no （…（…）…） either (the 404 page had one)."""
    pages = html_pages(root_site)
    assert len(pages) > 300
    for page in pages:
        assert not nested_marks("".join(read_page(page).text)), page


def test_a_quoted_title_is_nested_in_the_citation(root_site):
    """Measure 2's title has quotation marks of its own (21 measures do)."""
    cite = {code: page_text(root_site, f"{code}/measures/gzdd-2022-02/index.html") for code in ("zh-hans", "zh-hk", "zh-tw")}
    assert "第2项“率先实行工业项目‘一个部门、一枚印章管审批’”，" in cite["zh-hans"]
    assert "第2項「率先實行工業項目『一個部門、一枚印章管審批』」，" in cite["zh-hk"]
    assert "第2項「率先實行工業項目『一個部門、一枚印章管審批』」，" in cite["zh-tw"]
    assert re.search(r"<h1[^>]*>率先實行工業項目「一個部門、一枚印章管審批」</h1>",
                     (root_site / "zh-tw/measures/gzdd-2022-02/index.html").read_text(encoding="utf-8"))  # the title keeps 「」


def test_each_edition_writes_its_regions_character_forms(root_site):
    hk, tw = (page_text(root_site, f"{code}/units/tax/index.html") for code in ("zh-hk", "zh-tw"))
    assert "廣州市稅務局" in hk and "廣州市税務局" not in hk and "廣州市稅務局" in tw
    hk, tw = (page_text(root_site, f"{code}/measures/nansha-batch6-07/index.html") for code in ("zh-hk", "zh-tw"))
    assert "稅" in hk and "税" not in hk
    for code in ("zh-hk", "zh-tw"):
        source = page_text(root_site, f"{code}/sources/gzdd-2022/index.html")
        assert "發布日期" in source and "發佈" not in source
        about = page_text(root_site, f"{code}/about/index.html")
        assert "「发」對應繁體「發」或「髮」" in about  # the example of a one-to-many character, not converted
    assert "身分認證" in page_text(root_site, "zh-tw/measures/gzdd-2022-12/index.html")  # 身份认证
    assert "身份認證" in page_text(root_site, "zh-hk/measures/gzdd-2022-12/index.html")


def test_the_taiwan_edition_writes_taiwan_one_way(root_site):
    for page in html_pages(root_site / "zh-tw"):
        assert "台灣" not in "".join(read_page(page).text), page
    assert "繁體中文（臺灣）" in page_text(root_site, "zh-hk/index.html")  # each edition named in its own usage


def test_measure_pages_list_the_terms_their_region_says_otherwise(root_site):
    def terms(code, measure):
        page = (root_site / code / "measures" / measure / "index.html").read_text(encoding="utf-8")
        section = re.search(r'<section aria-labelledby="terms" class="terms">(.*?)</section>', page, re.S)
        rows = re.findall(r"<tr><td><a href=\"[^\"]*#([\w-]+)\">(.*?)</a></td><td>(.*?)</td></tr>", section.group(1)) if section else []
        return [(written, term, regional) for term, written, regional in rows]  # the link is on the text's word

    tw = terms("zh-tw", "gzdd-2022-16")  # 知识产权证券化
    assert ("知識產權", "intellectual-property", "智慧財產權") in tw
    assert all(written != regional for written, _, regional in tw)
    assert ("在線辦理", "online-handling", "網上辦理") in terms("zh-hk", "gzdd-2022-11")
    assert not any(row[1] == "intellectual-property" for row in terms("zh-hk", "gzdd-2022-16"))  # 知識產權 in HK too
    assert terms("zh-hans", "gzdd-2022-16") == []
    page = (root_site / "zh-tw/measures/gzdd-2022-16/index.html").read_text(encoding="utf-8")
    official = re.search(r'<section aria-labelledby="text" class="official">(.*?)</section>', page, re.S).group(1)
    assert "知識產權" in official and "智慧財產權" not in official  # the official text keeps its words
    assert page.index('class="terms"') > page.index("</article>")  # outside what search indexes as the text


def test_every_edition_has_a_glossary_of_every_term(root_site):
    from handbook.content.checks import check_content

    terms = check_content(ROOT / "content").content.terms
    for edition in EDITIONS:
        page = (root_site / edition.code / "glossary/index.html").read_text(encoding="utf-8")
        rows = re.findall(r'<tr id="([\w-]+)">', page)
        assert sorted(rows) == sorted(t.id for t in terms)
        assert '<tr id="intellectual-property">' in page
    tw = (root_site / "zh-tw/glossary/index.html").read_text(encoding="utf-8")
    row = tw[tw.index('<tr id="intellectual-property">'):]
    row = row[:row.index("</tr>")]
    assert "知识产权" in row and "知識產權" in row and "智慧財產權" in row and "/zh-tw/measures/gzdd-2022-16/" in row


def test_truncated_measure_says_so(root_site):
    for edition, words in (("zh-hans", "原文不完整"), ("zh-hk", "原文不完整"), ("zh-tw", "原文不完整")):
        page = (root_site / edition / "measures/gzdd-2022-39/index.html").read_text(encoding="utf-8")
        assert words in page and 'role="note"' in page
        assert words not in (root_site / edition / "measures/gzdd-2022-38/index.html").read_text(encoding="utf-8")


def test_measure_page_metadata_citation_and_json_ld(root_site):
    page = (root_site / "zh-hans/measures/nansha-batch6-09/index.html").read_text(encoding="utf-8")
    for expected in ("穗府函〔2022〕183号", "2022年8月9日", "贸易便利化", "市商务局", "黄埔海关", "市有关行政区",
                     'rel="prev" href="/zh-hans/measures/nansha-batch6-08/"',
                     'rel="next" href="/zh-hans/measures/nansha-batch6-10/"'):
        assert expected in page
    assert ("《广州市人民政府关于推广实施中国（广东）自由贸易试验区广州南沙新区片区第六批改革创新经验的通知》"
            "（穗府函〔2022〕183号，2022年8月9日）第9项“打造跨境电商出口退货集散复销中心”，"
            "http://127.0.0.1:8000/zh-hans/measures/nansha-batch6-09/") in page
    data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S).group(1))
    assert data["@type"] == "Legislation" and data["inLanguage"] == "zh-Hans"
    assert data["legislationIdentifier"] == "穗府函〔2022〕183号" and data["legislationDate"] == "2022-08-09"
    assert "datePublished" not in data  # the notice gives the day it was signed, not the day it was put online
    assert data["legislationPassedBy"]["name"] == "广州市人民政府"
    for label, value in (("发文机关", "广州市人民政府"), ("发文字号", '<data value="穗府函〔2022〕183号">穗府函〔2022〕183号</data>'),
                         ("成文日期", '<time datetime="2022-08-09">2022年8月9日</time>'), ("序号", "第9项 / 共18项")):
        assert f'<th scope="row">{label}</th><td>{value}</td>' in page
    assert '<link rel="canonical" href="http://127.0.0.1:8000/zh-hans/measures/nansha-batch6-09/">' in page
    assert '<meta property="og:title" content="打造跨境电商出口退货集散复销中心">' in page


def test_a_document_without_a_number_is_cited_by_its_title_and_published_by_its_publisher(root_site):
    page = (root_site / "zh-hans/measures/gzdd-2022-05/index.html").read_text(encoding="utf-8")
    data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S).group(1))
    assert data["legislationIdentifier"] == "《广州开发区营商环境改革创新经验做法清单》 第5项"
    assert data["datePublished"] == "2022-01-25" and "legislationDate" not in data
    assert data["publisher"]["name"] == "广东省发展和改革委员会" and "legislationPassedBy" not in data
    assert "gzdd-2022" not in data["legislationIdentifier"] + data["identifier"]  # never the project's slug
    assert '<th scope="row">发布机构</th><td>广东省发展和改革委员会</td>' in page
    assert '<th scope="row">发文机关</th>' not in page  # the page does not say who issued it


def test_a_converted_edition_shows_the_number_converted_and_keeps_it_as_issued(root_site):
    page = (root_site / "zh-hk/measures/nansha-batch6-09/index.html").read_text(encoding="utf-8")
    assert '<data value="穗府函〔2022〕183号">穗府函〔2022〕183號</data>' in page
    data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S).group(1))
    assert data["legislationIdentifier"] == data["isPartOf"]["legislationIdentifier"] == "穗府函〔2022〕183号"
    assert data["identifier"] == "穗府函〔2022〕183號 第9項"  # as the page writes it


def test_sitemap_and_feeds_are_well_formed(site):
    out, prefix = site
    sitemap = ET.parse(out / "sitemap.xml").getroot()
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
    urls = sitemap.findall("s:url", ns)
    pages = [p for p in html_pages(out) if p.parent != out]
    assert len(urls) == len(pages) + 1  # and the root chooser: the home pages' x-default
    defaults = set()
    for url in urls:
        links = {link.get("hreflang"): link.get("href") for link in url.findall("x:link", ns)}
        loc = url.find("s:loc", ns).text
        assert target_file(out, prefix, loc).is_file()
        # Every edition that has the page (all of them, but for a page of changes only some have), no other.
        having = {e.lang for e in EDITIONS if urlsplit(loc).path == prefix or
                  target_file(out, prefix, re.sub(r"/(zh-hans|zh-hk|zh-tw|en)/", f"/{e.code}/", loc, count=1)).is_file()}
        assert set(links) == having | {"x-default"}, loc
        defaults.add(links["x-default"])
        # The page named x-default names the same pages back (hreflang is only kept when reciprocated).
        named = target_file(out, prefix, links["x-default"]).read_text(encoding="utf-8")
        for lang, href in links.items():
            assert f'<link rel="alternate" hreflang="{lang}" href="{href}">' in named
    assert any(urlsplit(d).path == prefix for d in defaults)  # the root chooser, for the home pages
    atom = "{http://www.w3.org/2005/Atom}"
    for edition in EDITIONS:
        feed = ET.parse(out / edition.code / "feed.xml").getroot()
        entries = feed.findall(f"{atom}entry")
        assert feed.get("{http://www.w3.org/XML/1998/namespace}lang") == edition.lang
        if (out / edition.code / "changes").is_dir():  # built from a clone: what changed, newest first
            updated = [e.findtext(f"{atom}updated") for e in entries]
            assert 0 < len(entries) <= 50 and updated == sorted(updated, key=datetime.fromisoformat, reverse=True)
            assert all("/changes/" in e.findtext(f"{atom}id") for e in entries)
        else:  # from a copy without git: the newest measures, all 18 of 穗府函〔2022〕183号 first
            assert len(entries) == 50
            assert entries[0].findtext(f"{atom}id").endswith("/measures/nansha-batch6-18/")


def test_two_builds_are_byte_identical(root_site, tmp_path):
    build(ROOT, ROOT / "content", tmp_path / "again")
    assert tree(tmp_path / "again") == tree(root_site)


TEMPLATE_MISTAKES = {
    # found while rendering, half way through the pages
    "unknown field": ("{{ m.title | zh }}", "{{ m.no_such_field | zh }}", None),
    # found when the templates are compiled, before any page
    "unclosed block": ("{{ m.title | zh }}", "{% if m.title %}{{ m.title | zh }}", "block that needs to be closed is 'if'"),
}


@pytest.mark.parametrize("mistake", list(TEMPLATE_MISTAKES))
def test_a_template_error_names_the_template_and_leaves_the_previous_site(tmp_path, monkeypatch, mistake):
    import shutil

    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(pagefind_binary(ROOT)))
    for folder in ("tests/fixture/content", "tests/fixture/seeds", "templates", "static"):
        shutil.copytree(ROOT / folder, tmp_path / Path(folder).name)
    out = tmp_path / "site"
    build(tmp_path, tmp_path / "content", out)
    before = tree(out)

    old, new, said = TEMPLATE_MISTAKES[mistake]
    measure = tmp_path / "templates/measure.html"
    template = measure.read_text(encoding="utf-8")
    assert old in template
    measure.write_text(template.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(ContentError) as raised:
        build(tmp_path, tmp_path / "content", out)
    error = raised.value.diagnostics[0]
    assert error.path.endswith("measure.html") and error.line > 0, error
    assert said is None or said in error.message, error.message
    assert tree(out) == before
    assert leftovers(out) == []


def test_long_lists_are_paginated(tmp_path, monkeypatch):
    monkeypatch.setattr("handbook.site.pages.PAGE_SIZE", 5)
    out = tmp_path / "site"
    build(ROOT, ROOT / "content", out, "https://example.org/handbook/")
    source = out / "zh-hk/sources/gzdd-2022"
    pages = [source / "index.html"] + [source / f"page/{n}/index.html" for n in range(2, 9)]
    assert all(p.is_file() for p in pages) and not (source / "page/9").exists()  # 39 measures, 5 a page
    listed = [url for p in pages for tag, url, _ in read_page(p).links if "/measures/" in url
              and "related" not in url and not url.endswith("/measures/")]  # not the header's link to measures/
    assert len(listed) == len(set(listed)) == 39
    second = read_page(source / "page/2/index.html")
    assert second.variant_links == [f"/handbook/{v.code}/sources/gzdd-2022/page/2/" for v in EDITIONS]
    text = " ".join(second.text)
    assert "第6至10項，共39項" in text
    for page in html_pages(out):  # and every link still resolves
        for _, url, attributes in read_page(page).links:
            if not url.startswith(("#", "data:")) and "external" not in (attributes.get("rel") or "").split():
                assert target_file(out, "/handbook/", url).is_file(), (page, url)


def _between(page: str, start: str, end: str) -> str:
    at = page.index(start)
    return page[at:page.index(end, at)]


def test_every_measure_is_listed_once_on_the_pages_of_measures(root_site):
    first = (root_site / "zh-hk/measures/index.html").read_text(encoding="utf-8")
    second = (root_site / "zh-hk/measures/page/2/index.html").read_text(encoding="utf-8")
    assert not (root_site / "zh-hk/measures/page/3").exists()  # 57 measures, 50 a page
    listed = [m for page in (first, second)
              for m in re.findall(r'<a href="/zh-hk/measures/([a-z0-9-]+)/">', _between(page, '<ol class="measures"', "</ol>"))]
    expected = sorted(p.parent.name + "-" + p.stem for p in (ROOT / "content/measures").rglob("*.yaml"))
    assert sorted(listed) == expected and len(listed) == 57
    assert '<ol class="measures" start="51">' in second  # the second page counts on from the first
    # The filter box is links to the lists, so it works without a script: every source, topic, category and unit.
    filters = _between(first, '<details class="filters">', "</details>")
    for folder in ("sources", "topics", "categories", "units"):
        ids = {p.name for p in (root_site / "zh-hk" / folder).iterdir() if p.is_dir() and p.name != "page"}
        assert {m for m in re.findall(rf'href="/zh-hk/{folder}/([a-z0-9-]+)/"', filters)} == ids, folder


def test_index_pages_list_every_topic_category_unit_and_source_with_counts(root_site):
    topics = (root_site / "zh-hans/topics/index.html").read_text(encoding="utf-8")
    names = re.findall(r'<a href="/zh-hans/topics/([a-z0-9-]+)/">', _between(topics, '<ul class="counted">', "</ul>"))
    assert len(names) == len(set(names)) == 16
    units = (root_site / "zh-hans/units/index.html").read_text(encoding="utf-8")
    assert "只有南沙新区片区第六批改革创新经验的18项措施列有责任单位，其余39项措施的来源文件没有列出。" in units
    assert "各项数字相加多于18项" in units  # 25 unit entries for 18 measures
    english = (root_site / "en/categories/index.html").read_text(encoding="utf-8")
    assert "Only the 18 measures of" in english and "the other 39 measures come from documents that do not" in english
    sources = (root_site / "zh-tw/sources/index.html").read_text(encoding="utf-8")
    listed = re.findall(r'<a href="/zh-tw/sources/([a-z0-9-]+)/">', _between(sources, '<ul class="sources">', "</ul>"))
    assert listed == ["gzdd-2022", "nansha-batch6"]


@pytest.mark.parametrize("path, trail", [
    ("zh-hans/measures/nansha-batch6-05/", ["首页", "来源文件", "南沙新区片区第六批改革创新经验", "第5项"]),
    ("zh-hk/topics/finance/", ["首頁", "主題", None]),
    ("zh-tw/units/commerce/", ["首頁", "責任單位", None]),
    ("en/categories/government-functions/", ["Home", "Categories", "Transformation of government functions"]),
    ("zh-hans/sources/gzdd-2022/", ["首页", "来源文件", "广州开发区营商环境改革创新经验做法"]),
    ("zh-hk/parallel/nansha-batch6-07/", ["首頁", "來源文件", "南沙新區片區第六批改革創新經驗", "第7項", "中英對照"]),
    ("zh-hans/glossary/", ["首页", "用语对照表"]),
    ("en/measures/", ["Home", "All measures"]),
])
def test_every_page_has_its_whole_breadcrumb(root_site, path, trail):
    page = (root_site / path / "index.html").read_text(encoding="utf-8")
    crumbs = re.findall(r"<li>(?:<a href=\"([^\"]+)\">|<span aria-current=\"page\">)([^<]+)<",
                        _between(page, '<nav class="breadcrumb"', "</nav>"))
    assert len(crumbs) == len(trail)
    for (href, label), expected in zip(crumbs, trail):
        assert expected is None or label == expected
    for href, _ in crumbs[:-1]:  # every step but the page itself links to a page that exists
        assert (root_site / href.lstrip("/") / "index.html").is_file(), href
    assert crumbs[-1][0] == ""


def test_other_lists_leave_out_the_page_itself(root_site):
    for path in ("zh-hans/topics/finance/", "zh-hk/units/commerce/", "en/categories/government-functions/"):
        page = (root_site / path / "index.html").read_text(encoding="utf-8")
        others = _between(page, '<section aria-labelledby="siblings">', "</section>")
        assert f'href="/{path}"' not in others and others.count("<li>") >= 1


def test_measure_pages_link_their_file_for_editing_only_when_repo_url_is_set(root_site, tmp_path):
    import shutil

    assert 'class="edit-link"' not in (root_site / "zh-hans/measures/nansha-batch6-07/index.html").read_text(
        encoding="utf-8")  # content/site.yaml names no repository
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    shutil.copytree(ROOT / "seeds", tmp_path / "seeds")  # seeds are found beside content/
    site = content / "site.yaml"
    site.write_text(site.read_text(encoding="utf-8").replace(
        "revised:", "repo_url: https://gitlab.example.org/team/handbook/\nedit_uri: -/edit/main/\nrevised:"),
        encoding="utf-8")
    build(ROOT, content, tmp_path / "site")
    for edition in ("zh-hans", "zh-tw", "en"):
        page = (tmp_path / "site" / edition / "measures/nansha-batch6-07/index.html").read_text(encoding="utf-8")
        assert ('<a class="edit-link" href="https://gitlab.example.org/team/handbook/-/edit/main/content/measures/'
                'nansha-batch6/07.yaml" rel="external">') in page

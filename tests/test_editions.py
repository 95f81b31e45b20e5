"""Editions are declared once (handbook/editions.py): a fourth one is one more declaration, and the build
gives it every page, link, feed, sitemap entry and search file the others have."""

from __future__ import annotations

import re
import tokenize
from pathlib import Path

import opencc
import pytest

from handbook.build.builder import Builder
from handbook.editions import EDITIONS, Conversion, Edition, SourceText
from tests.conftest import ROOT

FIXTURE = ROOT / "tests/fixture"
# Macau writes Traditional characters as Hong Kong does; OpenCC has no Macau table of its own.
MACAU = Edition("zh-mo", "zh-Hant-MO", "繁體中文（澳門）", "澳門繁體", "zh_MO", Conversion("s2hk"))


@pytest.fixture(scope="module")
def four(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("editions") / "site"
    Builder(ROOT, FIXTURE / "content", out, keep_state=False, editions=EDITIONS + (MACAU,)).build()
    return out


def pages(site: Path, code: str) -> set[str]:
    return {p.relative_to(site / code).as_posix() for p in (site / code).rglob("*") if p.is_file()}


def test_a_fourth_edition_has_every_page_the_source_has(four):
    assert pages(four, "zh-mo") == pages(four, "zh-hans")
    measure = (four / "zh-mo/measures").iterdir().__next__() / "index.html"
    html = measure.read_text(encoding="utf-8")
    assert '<html lang="zh-Hant-MO"' in html
    assert '<meta property="og:locale" content="zh_MO">' in html
    assert re.search(r'<article.*[\u4e00-\u9fff]', html, re.S)


def test_every_edition_links_the_fourth_and_the_fourth_links_them(four):
    for edition in (*EDITIONS, MACAU):
        home = (four / edition.code / "index.html").read_text(encoding="utf-8")
        for other in (*EDITIONS, MACAU):
            assert f'hreflang="{other.lang}"' in home, (edition.code, other.code)
    assert 'hreflang="zh-Hant-MO"' in (four / "index.html").read_text(encoding="utf-8")  # the chooser
    sitemap = (four / "sitemap.xml").read_text(encoding="utf-8")
    assert sitemap.count('hreflang="zh-Hant-MO"') == sitemap.count('hreflang="zh-Hans"') > 0


def test_the_fourth_edition_is_searchable(four):
    assert (four / "zh-mo/search/script.json").is_file() and (four / "zh-mo/search/terms.json").is_file()
    assert (four / "pagefind/zh-mo/0/pagefind-entry.json").is_file()
    feed = (four / "zh-mo/feed.xml").read_text(encoding="utf-8")  # its measures' changes (or, without git, them)
    assert feed.count("<entry") >= 3
    for link in re.findall(r'<link rel="alternate" type="text/html" href="https://example.org/handbook/([^"#]+)', feed):
        assert (four / link / "index.html").is_file() or (four / link).is_file(), link


def test_the_declared_editions_hold_to_the_rules():
    """The first is the source; codes are unique; every conversion names a configuration OpenCC has."""
    assert isinstance(EDITIONS[0].text, SourceText)
    assert not any(isinstance(e.text, SourceText) for e in EDITIONS[1:])
    assert len({e.code for e in EDITIONS}) == len({e.lang for e in EDITIONS}) == len(EDITIONS)
    for edition in EDITIONS:
        if edition.converted:
            opencc.OpenCC(f"{edition.opencc}.json").convert("测试")
        assert re.fullmatch(r"[a-z]{2}_[A-Z]{2}", edition.locale)


def test_no_code_outside_editions_py_names_an_edition():
    """A string literal naming an edition's code outside editions.py would be a second list of editions."""
    codes = {f'"{e.code}"' for e in EDITIONS[1:]} | {f"'{e.code}'" for e in EDITIONS[1:]}
    found = []
    for path in sorted((ROOT / "handbook").rglob("*.py")):
        if path.name == "editions.py":
            continue
        with tokenize.open(path) as f:
            found += [f"{path.relative_to(ROOT)}:{t.start[0]}" for t in tokenize.generate_tokens(f.readline)
                      if t.type == tokenize.STRING and t.string in codes]
    for path in sorted((ROOT / "templates").glob("*.*ml")):
        text = path.read_text(encoding="utf-8")
        found += [f"{path.relative_to(ROOT)}: {code}" for code in codes if code in text]
    assert found == []

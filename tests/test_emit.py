"""The emitter: Pagefind's attributes go into the index document and stay out of the page readers get."""

from __future__ import annotations

from pathlib import Path

import pytest

from handbook.build.emit import Emitter
from handbook.search.pagefind import without_index_hints
from handbook.search.shards import Shard

SHARD = Shard("zh-hans", 0)
PATH = "zh-hans/measures/m-01/index.html"


def measure_page(weight: int = 10, text: str = "实施智慧模型管票。") -> bytes:
    return (f'<!doctype html><html lang="zh-Hans"><body><nav>导航</nav>'
            f'<article data-pagefind-body data-pagefind-meta="source:一号文件">'
            f'<h1 data-pagefind-meta="title" data-pagefind-weight="{weight}">标题</h1>'
            f'<table class="metadata" data-pagefind-meta="number:1"><caption data-pagefind-ignore>关于</caption>'
            f'<tr><th scope="row" data-pagefind-ignore>主题</th><td><a href="/t/" data-pagefind-filter="topic">税务</a></td></tr>'
            f'</table><div class="text" data-pagefind-meta="text" lang="zh-Hans"><p>{text}</p></div></article>'
            f'</body></html>').encode()


def emitter(out: Path, on_disk=None) -> Emitter:
    return Emitter(out / "site", out / "documents", {"zh-hans": "zh-Hans"}, on_disk)


def test_readers_get_the_page_without_pagefinds_attributes_and_pagefind_gets_them(tmp_path):
    emitter(tmp_path).emit(PATH, measure_page(), SHARD)
    page = (tmp_path / "site" / PATH).read_text(encoding="utf-8")
    document = (tmp_path / "documents" / SHARD.folder / PATH).read_text(encoding="utf-8")
    assert "data-pagefind" not in page
    assert '<h1>标题</h1>' in page and '<div class="text" lang="zh-Hans">' in page and '<th scope="row">主题</th>' in page
    for hint in ('data-pagefind-body', 'data-pagefind-meta="source:一号文件"', 'data-pagefind-weight="10"',
                 'data-pagefind-filter="topic"', '<caption data-pagefind-ignore>', 'data-pagefind-meta="text"'):
        assert hint in document, hint
    assert "<nav>" not in document  # the article alone


@pytest.mark.parametrize("html", [
    b"<p>Mark a block with data-pagefind-ignore to keep it out of search.</p>",
    b'<p>&lt;h1 data-pagefind-meta="title"&gt; is how a title is marked</p>',
    b'<script type="application/ld+json">{"text": "\\u003ch1 data-pagefind-ignore\\u003e"}</script>',
    b'<a href="/x/" title="data-pagefind-weight">x</a>',
    b"<p>x</p> data-pagefind-weight=\"5\" <br>",
    b"data-pagefind-ignore at the very start, <b>and</b> data-pagefind-ignore at the end: data-pagefind-",
])
def test_text_that_mentions_the_attributes_is_left_alone(html):
    assert without_index_hints(html) == html


def test_every_attribute_of_a_tag_goes_and_the_others_stay():
    html = b'<td class="a" data-pagefind-weight="5" lang="en" data-pagefind-ignore data-pagefind-filter="source:A &amp; B">x</td>'
    assert without_index_hints(html) == b'<td class="a" lang="en">x</td>'
    html = b'<a title="see data-pagefind-weight=1" data-pagefind-ignore href=\'/x/\'>x</a><br data-pagefind-ignore/>'
    assert without_index_hints(html) == b'<a title="see data-pagefind-weight=1" href=\'/x/\'>x</a><br/>'


def test_a_change_to_pagefinds_attributes_alone_reindexes_without_rewriting_the_page(tmp_path):
    first = emitter(tmp_path)
    first.emit(PATH, measure_page(weight=10), SHARD)
    page = (tmp_path / "site" / PATH).stat().st_mtime_ns
    second = emitter(tmp_path, first.on_disk)
    second.emit(PATH, measure_page(weight=5), SHARD)
    assert second.written == 0 and (tmp_path / "site" / PATH).stat().st_mtime_ns == page
    assert second.stale == {SHARD}
    assert 'data-pagefind-weight="5"' in (tmp_path / "documents" / SHARD.folder / PATH).read_text(encoding="utf-8")
    third = emitter(tmp_path, second.on_disk)
    third.emit(PATH, measure_page(weight=5), SHARD)
    assert third.written == 0 and not third.stale  # nothing changed: nothing to do


def test_no_published_page_carries_pagefinds_attributes(real_site):
    site = real_site()
    pages = list(site.rglob("*.html"))
    assert len(pages) > 500
    carrying = [p for p in pages if b"data-pagefind-" in p.read_bytes()]
    assert not carrying, carrying[:5]

"""The sitemap past what one file may hold: an index of parts, every page in exactly one part.

sitemaps.org allows 50,000 URLs and 50 MB a file; 10,000 measures already
make 83,225 URLs (56 MB). The limits are made small here so that the 57
measures cross them.
"""

from __future__ import annotations

import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

import handbook.site.render as render
from handbook.build.builder import Builder
from handbook.search.pagefind import pagefind_binary
from tests.conftest import READ_ONLY_BASE, ROOT

NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}


def urls(path: Path) -> list[tuple[str, tuple]]:
    """Each <url>'s address and its alternates, in order."""
    return [(url.findtext("s:loc", namespaces=NS),
             tuple((link.get("hreflang"), link.get("href")) for link in url.findall("x:link", NS)))
            for url in ET.parse(path).getroot().findall("s:url", NS)]


def parts(site: Path) -> list[Path]:
    """The files the sitemap index names, checked to be its parts at the root of the site."""
    root = ET.parse(site / "sitemap.xml").getroot()
    assert root.tag == "{%s}sitemapindex" % NS["s"]
    named = [s.findtext("s:loc", namespaces=NS) for s in root.findall("s:sitemap", NS)]
    assert named == [f"{READ_ONLY_BASE}sitemap-{n}.xml" for n in range(1, len(named) + 1)]
    return [site / f"sitemap-{n}.xml" for n in range(1, len(named) + 1)]


@pytest.fixture
def project(tmp_path, monkeypatch):
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(pagefind_binary(ROOT)))
    for folder in ("content", "seeds", "templates", "static"):
        shutil.copytree(ROOT / folder, tmp_path / folder)
    return tmp_path


def test_a_small_site_has_one_sitemap(real_site):
    site = real_site()
    assert ET.parse(site / "sitemap.xml").getroot().tag == "{%s}urlset" % NS["s"]
    assert not list(site.glob("sitemap-*.xml"))


@pytest.mark.parametrize("limit", [("SITEMAP_URLS", 200), ("SITEMAP_BYTES", 150_000)])
def test_past_the_limits_the_sitemap_is_an_index_of_parts_that_list_every_page_once(project, monkeypatch, limit):
    site = project / "site"
    Builder(project, project / "content", site, READ_ONLY_BASE, keep_state=False).build()
    whole = urls(site / "sitemap.xml")
    assert len(whole) > 600
    monkeypatch.setattr(render, *limit)
    builder = Builder(project, project / "content", site, READ_ONLY_BASE)
    builder.build()
    files = parts(site)
    assert len(files) >= 4
    listed = [url for part in files for url in urls(part)]
    assert listed == whole  # the same entries, in the same order, each once
    assert all(len(urls(part)) <= render.SITEMAP_URLS and part.stat().st_size <= render.SITEMAP_BYTES
               for part in files)
    assert (site / "robots.txt").read_text(encoding="utf-8").endswith(f"Sitemap: {READ_ONLY_BASE}sitemap.xml\n")

    # A rebuild in which no page comes or goes leaves the parts as they are.
    before = {part.name: part.read_bytes() for part in files}
    measure = project / "content/measures/nansha-batch6/07.yaml"
    measure.write_text(measure.read_text(encoding="utf-8").replace("units: [tax]", "units: [tax, commerce]"),
                       encoding="utf-8")
    builder.build()
    assert {part.name: part.read_bytes() for part in parts(site)} == before
    builder.close()


def test_parts_a_smaller_site_no_longer_needs_are_removed(project, monkeypatch):
    monkeypatch.setattr(render, "SITEMAP_URLS", 400)
    builder = Builder(project, project / "content", project / "site", READ_ONLY_BASE)
    builder.build()
    many = len(parts(project / "site"))
    monkeypatch.setattr(render, "SITEMAP_URLS", 100_000)
    topics = project / "content/topics.yaml"  # a new topic: its page comes in every edition
    topics.write_text(topics.read_text(encoding="utf-8") + TOPIC, encoding="utf-8")
    builder.build()
    site = project / "site"
    assert many > 1 and ET.parse(site / "sitemap.xml").getroot().tag == "{%s}urlset" % NS["s"]
    assert not list(site.glob("sitemap-*.xml"))
    assert any(loc.endswith("/zh-hans/topics/sitemap-test/") for loc, _ in urls(site / "sitemap.xml"))
    builder.close()


TOPIC = """- id: sitemap-test
  name: 测试主题
  description: 只为测试而设的主题。
  en:
    name: A test topic
    description: A topic made for a test.
"""

"""A measure's validity (status, effective, expires, superseded_by): said where it is declared, nothing
where it is not; lists and search filter on it.

The real content declares none of it, so the fixture handbook does: in tests/fixture, 01 is in force,
02 superseded by 03 (the golden files show those pages); here a copy of it where 01 has expired."""

from __future__ import annotations

import csv
import json
import re
import shutil
from pathlib import Path
from urllib.parse import quote

import frictionless
import pytest

from handbook.build.builder import build
from handbook.editions import EDITIONS
from tests.browser import launch_browser, serve
from tests.conftest import ROOT

FIXTURE = ROOT / "tests/fixture"
CODES = [e.code for e in EDITIONS]
EXPIRED = {"zh-hans": "本措施已失效。失效日期：2099年6月30日。", "zh-hk": "本措施已失效。失效日期：2099年6月30日。",
           "zh-tw": "本措施已失效。失效日期：2099年6月30日。",
           "en": "This measure is no longer in force. It ceased to have effect on 30 June 2099."}
SUPERSEDED = {"zh-hans": "本措施已被取代。", "zh-hk": "本措施已被取代。", "zh-tw": "本措施已被取代。",
              "en": "This measure has been superseded."}


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    """The fixture handbook with its first measure expired."""
    folder = tmp_path_factory.mktemp("validity")
    shutil.copytree(FIXTURE, folder, dirs_exist_ok=True)
    first = folder / "content/measures/fixture-batch1/01.yaml"
    first.write_text(first.read_text(encoding="utf-8").replace(
        "status: in-force\neffective: 2099-01-02", "status: expired\neffective: 2099-01-02\nexpires: 2099-06-30"),
        encoding="utf-8")
    build(ROOT, folder / "content", folder / "site")
    return folder / "site"


def page(site: Path, code: str, path: str) -> str:
    return (site / code / path / "index.html").read_text(encoding="utf-8")


def text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", html))


def main(html: str) -> str:
    return html.split('<main id="main"', 1)[1].split("</main>", 1)[0]


@pytest.mark.parametrize("code", CODES)
def test_a_superseded_measure_says_so_above_its_text_and_links_its_successor(site, code):
    html = main(page(site, code, "measures/fixture-batch1-02"))
    notice = html.index('class="notice validity"')
    assert notice < html.index('class="official"')
    assert SUPERSEDED[code] in text(html[notice:html.index("</div>", notice)])
    successor = f'href="/handbook/{code}/measures/fixture-batch1-03/"'
    assert html.index(successor, notice) < html.index("</div>", notice)  # the notice links it
    assert html.count(successor) >= 3  # notice, the 取代它的措施 row, the next-measure link
    assert f'href="/handbook/{code}/status/superseded/"' in html.split('class="metadata"')[1].split("</table>")[0]
    back = main(page(site, code, "measures/fixture-batch1-03"))
    assert 'href="/handbook/%s/measures/fixture-batch1-02/"' % code in back.split('class="metadata"')[1].split("</table>")[0]
    assert "notice validity" not in back and "/status/" not in back  # 03 declares nothing


@pytest.mark.parametrize("code", CODES)
def test_an_expired_measure_says_since_when(site, code):
    html = main(page(site, code, "measures/fixture-batch1-01"))
    assert EXPIRED[code] in text(html)
    assert '<time datetime="2099-01-02">' in html and '<time datetime="2099-06-30">' in html


@pytest.mark.parametrize("code", CODES)
def test_lists_mark_and_filter_by_status(site, code):
    folders = sorted(p.name for p in (site / code / "status").iterdir())
    assert folders == ["expired", "superseded"]  # only what some measure declares: no in-force list here
    for status, ids in (("expired", ["fixture-batch1-01"]), ("superseded", ["fixture-batch1-02"])):
        listed = re.findall(r'<li>\s*<a href="/handbook/[^/]+/measures/([^/]+)/"', page(site, code, f"status/{status}"))
        assert listed == ids
    source = page(site, code, "sources/fixture-batch1")
    assert source.count('<span class="status">') == 2  # expired and superseded are marked; 03 is not
    every = page(site, code, "measures")
    assert f'href="/handbook/{code}/status/expired/"' in every.split('class="filters"')[1].split("</details>")[0]


def test_absent_validity_shows_nothing(real_site):
    site = real_site()
    for edition in EDITIONS:
        assert not (site / edition.code / "status").exists()
        every = page(site, edition.code, "measures")
        assert "filter-status" not in every and 'class="status"' not in every
    for path in (site / "zh-hans" / "measures").glob("*/index.html"):
        html = path.read_text(encoding="utf-8")
        assert "notice validity" not in html and "/status/" not in html, path
        assert "时效性" not in html and "生效日期" not in html


def test_search_filters_on_status(site):
    with serve(site, "/handbook/") as base, launch_browser() as browser:
        tab = browser.new_page()
        for code, status, expected in (("zh-tw", "expired", {"fixture-batch1-01"}),
                                       ("en", "superseded", {"fixture-batch1-02"})):
            tab.goto(f"{base}{code}/search/?{status and 'status=' + quote(status)}")
            tab.wait_for_selector("#search[data-ready]")
            found = {h.rstrip("/").rsplit("/", 1)[-1] for h in
                     tab.eval_on_selector_all("#search-results li > a", "links => links.map(a => a.pathname)")}
            assert found == expected, (code, status)
            group = tab.inner_text("fieldset[data-facet=status]")
            assert ("時效性" if code == "zh-tw" else "Status") in group
            assert tab.locator("fieldset[data-facet=status] input:checked").count() == 1


@pytest.mark.parametrize("code", CODES)
def test_the_open_data_says_what_the_pages_say(site, code):
    """measures.csv holds each measure's validity as its page shows it, and the package stays valid:
    superseded_by is a foreign key into the same table."""
    report = frictionless.validate(str(site / code / "data" / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    with open(site / code / "data" / "measures.csv", encoding="utf-8-sig", newline="") as file:
        rows = {row["id"]: row for row in csv.DictReader(file)}
    assert [rows[f"fixture-batch1-0{n}"]["status"] for n in (1, 2, 3)] == ["expired", "superseded", ""]
    assert rows["fixture-batch1-02"]["superseded_by"] == "fixture-batch1-03"
    assert (rows["fixture-batch1-01"]["effective"], rows["fixture-batch1-01"]["expires"]) == ("2099-01-02", "2099-06-30")
    by_id = {m["id"]: m for m in json.loads((site / code / "data" / "measures.json").read_text(encoding="utf-8"))}
    assert by_id["fixture-batch1-02"]["superseded_by"] == "fixture-batch1-03" and by_id["fixture-batch1-03"]["status"] is None

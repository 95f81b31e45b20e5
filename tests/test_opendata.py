"""Each edition's open data (data/): valid as a Frictionless Data Package, JSON as its JSON Schemas say,
and holding exactly what the pages of the real site show, in the edition's script."""

from __future__ import annotations

import csv
import html
import json
import re
from functools import cache
from pathlib import Path

import frictionless
import pytest
from jsonschema import Draft202012Validator, FormatChecker

from handbook.editions import EDITIONS
from tests.conftest import READ_ONLY_BASE, ROOT, real_handbook
from tests.sitecheck import read_page, target_file

CODES = [e.code for e in EDITIONS]
PREFIX = "/handbook/"  # READ_ONLY_BASE's path


@pytest.fixture(scope="module")
def site(real_site) -> Path:
    return real_site()


@cache
def _rows(path: Path) -> tuple[dict, ...]:
    with path.open(encoding="utf-8-sig", newline="") as f:
        return tuple(csv.DictReader(f))


def rows(site: Path, code: str, name: str) -> tuple[dict, ...]:
    return _rows(site / code / "data" / f"{name}.csv")


def records(site: Path, code: str, name: str) -> list[dict]:
    return json.loads((site / code / "data" / f"{name}.json").read_text(encoding="utf-8"))


def text(fragment: str) -> str:
    """An HTML fragment's text: tags dropped, entities read, white space gone (Chinese has none to keep)."""
    return re.sub(r"\s+", "", html.unescape(re.sub(r"<[^>]+>", "", fragment)))


def page(site: Path, code: str, path: str) -> str:
    return (site / code / path / "index.html").read_text(encoding="utf-8")


def row_cell(page_html: str, label: str) -> str | None:
    """The cell of a metadata row headed `label` (a measure's or a document's facts), or None."""
    found = re.search(rf'<th scope="row"[^>]*>{re.escape(html.escape(label, quote=False))}</th><td[^>]*>(.*?)</td></tr>',
                      page_html, re.S)
    return found.group(1) if found else None


def linked_ids(fragment: str, folder: str) -> list[str]:
    return re.findall(rf'href="{PREFIX}[\w-]+/{folder}/([\w-]+)/"', fragment)


@cache
def strings(code: str) -> dict[str, str]:
    """The edition's interface strings, as its pages have them."""
    from handbook.convert.converter import edition_converter
    from handbook.site.strings import edition_strings, load_strings

    handbook = real_handbook()
    edition = handbook.edition(code)
    return edition_strings(load_strings(ROOT / "templates"), edition, edition_converter(edition, handbook.conversion),
                           handbook.source_edition)


# Valid: Frictionless, JSON Schema

@pytest.mark.parametrize("code", CODES)
def test_every_edition_is_a_valid_data_package(site, code):
    """What `frictionless validate datapackage.json` checks: the descriptor, every file's size and SHA-256,
    every CSV against its Table Schema (types, constraints, primary keys) and the foreign keys between them."""
    report = frictionless.validate(str(site / code / "data" / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    assert {task.name for task in report.tasks} >= {"measures", "measure_topics", "sources", "terms", "measures-json"}
    assert sum(task.stats["rows"] or 0 for task in report.tasks if task.type == "table") > 57 * 4  # they read the rows


def test_the_validation_can_fail(site, tmp_path):
    """A measure whose topic is not in topics.csv breaks a foreign key, and a file edited after the build its hash."""
    folder = tmp_path / "data"
    folder.mkdir()
    for file in (site / "zh-hans" / "data").iterdir():
        (folder / file.name).write_bytes(file.read_bytes())
    topics = (folder / "measure_topics.csv").read_bytes().replace(b",regulation,", b",regulations,", 1)
    (folder / "measure_topics.csv").write_bytes(topics)
    descriptor = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    for resource in descriptor["resources"]:
        if resource["name"] == "measure_topics":
            resource["bytes"], resource["hash"] = len(topics), "sha256:" + __import__("hashlib").sha256(topics).hexdigest()
    (folder / "datapackage.json").write_text(json.dumps(descriptor, ensure_ascii=False), encoding="utf-8")
    report = frictionless.validate(str(folder / "datapackage.json"))
    assert not report.valid and "foreign-key" in {e[2] for e in report.flatten(["rowNumber", "fieldName", "type"])}
    (folder / "topics.csv").write_bytes((folder / "topics.csv").read_bytes() + b"x")
    report = frictionless.validate(str(folder / "datapackage.json"))
    assert {"hash-count", "byte-count"} & {e[0] for e in report.flatten(["type"])}


@pytest.mark.parametrize("code", CODES)
def test_json_files_are_what_their_json_schemas_say(site, code):
    folder = site / code / "data"
    descriptor = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    named = [r for r in descriptor["resources"] if r["format"] == "json"]
    assert len(named) == 6
    for resource in named:
        schema = json.loads((folder / resource["jsonSchema"]).read_text(encoding="utf-8"))
        Draft202012Validator.check_schema(schema)
        assert schema["$id"] == f"{READ_ONLY_BASE}{code}/data/{resource['jsonSchema']}"
        data = json.loads((folder / resource["path"]).read_text(encoding="utf-8"))
        errors = list(Draft202012Validator(schema, format_checker=FormatChecker()).iter_errors(data))
        assert not errors, [e.message for e in errors[:5]]
        broken = [dict(data[0], id="Not An Id")] + data[1:]
        assert list(Draft202012Validator(schema).iter_errors(broken))  # the schema can refuse


@pytest.mark.parametrize("code", CODES)
def test_csv_and_json_hold_the_same_records(site, code):
    descriptor = json.loads((site / code / "data" / "datapackage.json").read_text(encoding="utf-8"))
    tables = {r["name"]: r for r in descriptor["resources"] if r.get("type") == "table"}
    for name in ("measures", "sources", "categories", "units", "topics", "terms"):
        fields = {f["name"]: f["type"] for f in tables[name]["schema"]["fields"]}
        as_json = records(site, code, name)
        as_csv = [{k: _typed(v, fields[k]) for k, v in row.items()} for row in rows(site, code, name)]
        assert [{k: r[k] for k in fields} for r in as_json] == as_csv
        for link in (r for r in tables.values() if r["name"].startswith(name.rstrip("s") + "_")):
            owner, member = (f["name"] for f in link["schema"]["fields"][:2])
            array = {"measure_topics": "topics", "measure_units": "units", "measure_terms": "terms",
                     "source_notes": "notes"}[link["name"]]
            listed = [(r["id"], m, str(i)) for r in as_json for i, m in enumerate(r[array], 1)]
            assert listed == [(row[owner], row[member], row["position"]) for row in rows(site, code, link["name"])]


def _typed(value: str, kind: str):
    if value == "":
        return None
    return {"integer": int, "boolean": lambda v: v == "true"}.get(kind, str)(value)


# What the pages show

@pytest.mark.parametrize("code", CODES)
def test_measures_are_what_their_pages_show(site, code):
    t = strings(code)
    topics = {}
    for row in rows(site, code, "measure_topics"):
        topics.setdefault(row["measure"], []).append(row["topic"])
    units = {}
    for row in rows(site, code, "measure_units"):
        units.setdefault(row["measure"], []).append(row["unit"])
    measures = rows(site, code, "measures")
    assert len(measures) == 57
    for m in measures:
        shown = page(site, code, f"measures/{m['id']}")
        assert m["url"] == f"{READ_ONLY_BASE}{code}/measures/{m['id']}/"
        assert f'<link rel="canonical" href="{m["url"]}">' in shown
        assert text(re.search(r"<h1[^>]*>(.*?)</h1>", shown, re.S).group(1)) == text(html.escape(m["title"]))
        body = re.search(r'<div class="text"[^>]*>(.*?)</div>', shown, re.S).group(1)
        assert text(body) == text(html.escape(m["text"]).replace("\\", "")), m["id"]
        assert linked_ids(row_cell(shown, t["source"]), "sources") == [m["source"]]
        category = row_cell(shown, t["category"])
        assert linked_ids(category or "", "categories") == ([m["category"]] if m["category"] else [])
        assert linked_ids(row_cell(shown, t["topics"]), "topics") == topics[m["id"]]
        assert linked_ids(row_cell(shown, t["units"]) or "", "units") == units.get(m["id"], [])
        scope = row_cell(shown, t["scope"])
        assert (text(scope) if scope else "") == text(html.escape(m["scope"]))
        assert (t["truncated_title"] in shown) == (m["truncated"] == "true")
        if code == "en":
            notice = {"missing": t["translation_missing"], "stale": t["translation_stale"]}
            for state, words in notice.items():
                assert (html.escape(words, quote=False) in shown) == (m["translation"] == state), (m["id"], state)
        else:
            assert "translation" not in m


@pytest.mark.parametrize("code", CODES)
def test_sources_categories_topics_and_units_are_what_their_pages_show(site, code):
    t = strings(code)
    for s in rows(site, code, "sources"):
        shown = page(site, code, f"sources/{s['id']}")
        assert text(re.search(r"<h1>(.*?)</h1>", shown, re.S).group(1)) == text(html.escape(s["title"]))
        for field, label in (("issuer", "issuer"), ("publisher", "publisher"), ("kind", "kind")):
            cell = row_cell(shown, t[label])
            assert (text(cell) if cell else "") == text(html.escape(s[field])), (s["id"], field)
        number = row_cell(shown, t["doc_number"]) or ""
        assert text(number) == s["number"] and re.findall(r'<data value="(.*?)">', number) == (
            [s["number_as_issued"]] if s["number"] else [])
        for field in ("written", "published"):
            cell = row_cell(shown, t[field])
            assert (re.search(r'datetime="([\d-]+)"', cell).group(1) if cell else "") == s[field]
        lead = re.search(r'<p class="lead">(.*?)</p>', shown, re.S)
        assert (text(lead.group(1)) if lead else "") == text(html.escape(s["description"]))
        assert f"{READ_ONLY_BASE}{code}/sources/{s['id']}/" == s["url"]
        notes = [r["note"] for r in rows(site, code, "source_notes") if r["source"] == s["id"]]
        listed = re.search(r'class="notes">(.*?)</section>', shown, re.S)
        assert [text(n) for n in re.findall(r"<li>(.*?)</li>", listed.group(1) if listed else "")] == \
            [text(html.escape(n)) for n in notes]
    for c in rows(site, code, "categories"):
        assert text(re.search(r"<h1>(.*?)</h1>", page(site, code, f"categories/{c['id']}")).group(1)) == text(c["name"])
        heading = re.search(rf'<h3 id="{c["id"]}">(.*?)</h3>', page(site, code, f"sources/{c['source']}")).group(1)
        assert text(html.escape(c["name"])) in text(heading) and re.search(rf"(?<!\d){c['count']}(?!\d)", text(heading))
    for topic in rows(site, code, "topics"):
        shown = page(site, code, f"topics/{topic['id']}")
        assert text(re.search(r"<h1>(.*?)</h1>", shown).group(1)) == text(html.escape(topic["name"]))
        assert text(re.search(r'<p class="lead">(.*?)</p>', shown).group(1)) == text(html.escape(topic["description"]))
    for unit in rows(site, code, "units"):
        assert text(re.search(r"<h1>(.*?)</h1>", page(site, code, f"units/{unit['id']}")).group(1)) \
            == text(html.escape(unit["name"]))


@pytest.mark.parametrize("code", CODES)
def test_the_termbase_is_what_the_glossary_shows(site, code):
    glossary = page(site, code, "glossary")
    terms = rows(site, code, "terms")
    regions = [name for name in terms[0] if name not in ("id", "written", "zh_hans", "note")]
    assert regions == ["zh_hk", "zh_tw", "en"]
    writing = {}
    for row in rows(site, code, "measure_terms"):
        writing.setdefault(row["term"], []).append(row["measure"])
    for term in terms:
        row = re.search(rf'<tr id="{term["id"]}">(.*?)</tr>', glossary, re.S).group(1)
        cells = re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
        assert [text(c) for c in cells[:1 + len(regions)]] == [text(term[k]) for k in ("zh_hans", *regions)]
        note = re.search(r'<p class="note"[^>]*>(.*?)</p>', row, re.S)
        assert (html.unescape(note.group(1)) if note else "") == term["note"]
        linked = re.findall(rf'href="{PREFIX}{code}/measures/([\w-]+)/"', row)
        more = re.search(r"(\d+)", text(re.search(r'<p class="uses"><a href="[^"]*search[^"]*">(.*?)</a>', row).group(1))) \
            if "search/?q=" in row else None
        assert linked == writing.get(term["id"], [])[:len(linked)]
        assert len(linked) + (int(more.group(1)) if more else 0) == len(writing.get(term["id"], []))


def test_measure_pages_list_the_terms_the_data_says_they_write(site):
    """The Taiwan pages list a measure's terms whose Taiwan word differs: each is in measure_terms.csv."""
    pairs = {(r["measure"], r["term"]) for r in rows(site, "zh-tw", "measure_terms")}
    listed = 0
    for m in rows(site, "zh-tw", "measures"):
        section = re.search(r'class="terms">(.*?)</section>', page(site, "zh-tw", f"measures/{m['id']}"), re.S)
        for term in re.findall(r'glossary/#([\w-]+)"', section.group(1) if section else ""):
            assert (m["id"], term) in pairs
            listed += 1
    assert listed > 50


# The same ids in every edition, each edition's script

def test_ids_numbers_dates_and_addresses_are_the_same_in_every_edition(site):
    kept = {"measures": ("id", "source", "number", "category", "truncated"), "measure_topics": ("measure", "topic", "position"),
            "measure_units": ("measure", "unit", "position"), "measure_terms": ("measure", "term", "position"),
            "sources": ("id", "number_as_issued", "written", "published", "original"),
            "source_notes": ("source", "position"), "categories": ("id", "source", "position", "count"),
            "units": ("id",), "topics": ("id",), "terms": ("id", "zh_hans", "zh_hk", "zh_tw", "en")}
    for name, fields in kept.items():
        first = [tuple(r[f] for f in fields) for r in rows(site, CODES[0], name)]
        assert first
        for code in CODES[1:]:
            assert [tuple(r[f] for f in fields) for r in rows(site, code, name)] == first, (code, name)
            assert [r["url"].replace(f"/{code}/", f"/{CODES[0]}/") for r in rows(site, code, name) if "url" in r] \
                == [r["url"] for r in rows(site, CODES[0], name) if "url" in r]
    assert {r["number_as_issued"] for r in rows(site, "zh-tw", "sources")} == {"", "穗府函〔2022〕183号"}


def test_each_edition_writes_its_own_script(site):
    def written(code, name="measures", fields=("title", "text", "scope")):
        return "".join(r[f] for r in rows(site, code, name) for f in fields)

    assert "发" in written("zh-hans") and "發" not in written("zh-hans")
    for code in ("zh-hk", "zh-tw"):
        assert "發" in written(code) and "发" not in written(code)
        assert "「" in written(code) and "“" not in written(code)
        assert "發" in written(code, "terms", ("written",)) and "发" not in written(code, "terms", ("written", "note"))
    assert "稅" in written("zh-hk") and "税" not in written("zh-hk")  # the form Hong Kong's government writes
    assert [r["number"] for r in rows(site, "zh-tw", "sources")] == ["", "穗府函〔2022〕183號"]
    assert [r["number"] for r in rows(site, "zh-hans", "sources")] == ["", "穗府函〔2022〕183号"]
    assert [r["name"] for code in CODES for r in rows(site, code, "units") if r["id"] == "tax"] == \
        ["广州市税务局", "廣州市稅務局", "廣州市稅務局", "Guangzhou Municipal Tax Service, State Taxation Administration"]
    english = rows(site, "en", "measures")
    assert [r["translation"] for r in english] == ["current"] * 57
    assert not re.search(r"[\u4e00-\u9fff]", "".join(r["title"] for r in english))


# The data page and the about page

@pytest.mark.parametrize("code", CODES)
def test_the_data_page_links_every_file_with_its_size(site, code):
    folder = site / code / "data"
    shown = page(site, code, "data")
    files = {p.name for p in folder.iterdir()} - {"index.html"}
    linked = {}
    for tag, url, _ in read_page(folder / "index.html").links:
        target = target_file(site, PREFIX, url) if url.startswith(PREFIX) else None
        if target is not None and target.parent == folder and target.name != "index.html":
            assert target.is_file(), url
            linked[target.name] = url
    assert set(linked) == files
    for name in files:
        size = re.search(rf'>{re.escape(name)}</a> <span class="meta"><data value="(\d+)">', shown).group(1)
        assert int(size) == (folder / name).stat().st_size, name
    assert len(re.findall(r'<h3 id="([\w_]+)">', shown)) == len([n for n in files if n.endswith(".csv")])


@pytest.mark.parametrize("code", CODES)
def test_the_about_page_states_the_licence(site, code):
    t = strings(code)
    about = page(site, code, "about")
    section = re.search(r'<section aria-labelledby="licence">(.*?)</section>', about, re.S).group(1)
    assert text(html.escape(t["licence_official"])) in text(section)
    assert '<a href="https://creativecommons.org/licenses/by/4.0/" rel="license external">' in section
    assert f'href="{PREFIX}{code}/data/"' in section
    assert f'href="{PREFIX}{code}/data/"' in page(site, code, "")  # the footer of every page
    licences = json.loads((site / code / "data" / "datapackage.json").read_text(encoding="utf-8"))["licenses"]
    assert [licence.get("name") for licence in licences] == ["CC-BY-4.0", None]
    assert licences[1]["path"] == f"{READ_ONLY_BASE}{code}/about/#licence"


def test_docs_describe_every_file_and_column(site):
    """docs/data.md has a section for each CSV file (its heading names the file) listing every column."""
    page = (ROOT / "docs/data.md").read_text(encoding="utf-8")
    sections = re.split(r"^### ", page, flags=re.M)[1:]
    descriptor = json.loads((site / "en" / "data" / "datapackage.json").read_text(encoding="utf-8"))
    for resource in descriptor["resources"]:
        assert f"`{resource['path']}`" in page, resource["path"]
        if resource.get("type") == "table":
            assert f"| `{resource['path']}` |" in page  # a row of the table of files
            section = next(s for s in sections if f"`{resource['path']}`" in s.splitlines()[0])
            missing = [f["name"] for f in resource["schema"]["fields"] if f"`{f['name']}`" not in section]
            assert not missing, (resource["path"], missing)

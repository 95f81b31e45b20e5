"""docs/content.md and the JSON Schemas describe the same fields."""

from __future__ import annotations

import re

import pytest

from handbook.content import schema
from tests.conftest import ROOT

SECTIONS = {"measure": "Measure files", "source": "Source files", "units": "Responsible units", "topics": "Topics",
            "site": "Site settings", "conversion": "Conversion overrides", "terms": "Termbase",
            "review": "Conversion review", "translation": "Translations"}


def schema_fields(node: dict, prefix: str = "") -> dict[str, bool]:
    """Field path -> required, walking nested objects and lists of objects."""
    fields = {}
    for name, field in node.get("properties", {}).items():
        fields[prefix + name] = name in node.get("required", [])
        items = field.get("items", {})
        if items.get("type") == "object":
            fields.update(schema_fields(items, f"{prefix}{name}[]."))
        elif field.get("type") == "object":
            fields.update(schema_fields(field, f"{prefix}{name}."))
    return fields


def documented_fields(title: str) -> dict[str, bool]:
    page = (ROOT / "docs/content.md").read_text(encoding="utf-8")
    section = page.split(f"## {title}", 1)[1].split("\n## ", 1)[0]
    rows = re.findall(r"^\| `([^`]+)` \| (yes)? ?\| (.+?) \| (.*?) \|$", section, flags=re.M)
    assert all(meaning.strip() for _, _, meaning, _ in rows)
    return {name: required == "yes" for name, required, _, _ in rows}


@pytest.mark.parametrize("kind", schema.KINDS)
def test_docs_list_exactly_the_schema_fields(kind):
    assert documented_fields(SECTIONS[kind]) == schema_fields(schema.schema(kind))


def test_regional_usage_page_lists_exactly_the_regional_forms():
    """docs/regional-usage.md shows the table of content/conversion.yaml (docs/measure_regional.py --write)."""
    from handbook.content.checks import check_content

    page = (ROOT / "docs/regional-usage.md").read_text(encoding="utf-8")
    shown = re.findall(r"^\| `(zh-\w\w)` \| (\S+) \| (\S+) \| (\S+) \|", page, flags=re.M)
    rules = check_content(ROOT / "content").conversion
    assert shown == [(f.edition, f.opencc, f.writes, f.example) for f in rules.regional]


def markdown_links(path) -> list[str]:
    text = path.read_text(encoding="utf-8")
    text = re.sub(r"```.*?```", "", text, flags=re.S)  # examples, not links
    return re.findall(r"\]\(([^)\s]+)\)", text)


DOCUMENTS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md")), ROOT / "bench" / "RESULTS.md"]


@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_every_link_between_the_documents_leads_somewhere(document):
    """The README sends readers into docs/: a page moved or renamed must not leave a dead link."""
    dead = []
    for link in markdown_links(document):
        if re.match(r"[a-z]+:", link) or link.startswith("#"):
            continue
        target = (document.parent / link.split("#", 1)[0]).resolve()
        if not target.exists() or ROOT not in target.parents:
            dead.append(link)
    assert not dead, f"{document.relative_to(ROOT)} links to what is not in the repository: {dead}"


def test_the_link_check_can_fail(tmp_path):
    page = tmp_path / "page.md"
    page.write_text("[a](docs/nowhere.md) and ```\n[b](x.md)\n``` [c](https://example.org/)\n", encoding="utf-8")
    assert markdown_links(page) == ["docs/nowhere.md", "https://example.org/"]


def test_the_readme_sends_maintainers_to_every_page_of_docs():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for page in sorted((ROOT / "docs").glob("*.md")):
        assert f"(docs/{page.name})" in readme, f"README.md does not link docs/{page.name}"

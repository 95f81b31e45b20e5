"""`check` on the real content, the provenance rule, and the schemas themselves."""

from __future__ import annotations

import json

import pytest
from jsonschema import Draft202012Validator

from handbook.content import schema
from handbook.content.checks import check_content
from handbook.commands.cli import main
from handbook.diagnostics import ContentError
from tests.conftest import ROOT


def test_real_content_is_valid_and_complete(capsys):
    assert main(["--content", str(ROOT / "content"), "check"]) == 0
    out = capsys.readouterr().out
    first, second = out.splitlines()
    assert first.startswith("check: 57 measures, 2 sources, 17 units, 16 topics: all valid (")
    assert second == "check: en: 57 of 57 measures translated, 0 untranslated, 0 out of date, 0 translation warnings"

    content = check_content(ROOT / "content").content
    assert [m.source for m in content.measures].count("gzdd-2022") == 39
    assert [m.source for m in content.measures].count("nansha-batch6") == 18
    assert all(1 <= len(m.topics) <= 3 for m in content.measures)
    assert 10 <= len(content.topics) <= 16
    used = {t for m in content.measures for t in m.topics}
    assert used == {t.id for t in content.topics}, "every topic should lead somewhere"


@pytest.mark.parametrize("relative, offset", [
    ("measures/gzdd-2022/01.yaml", 0),
    ("measures/gzdd-2022/27.yaml", 100),
    ("measures/nansha-batch6/16.yaml", 57),
    ("measures/nansha-batch6/18.yaml", 20),
])
def test_one_changed_character_is_found_where_it_is(project, relative, offset):
    path = project / "content" / relative
    lines = path.read_text(encoding="utf-8").split("\n")
    body = lines.index("text: |") + 1  # 0-based index of the text's first line
    original = lines[body][2 + offset]
    lines[body] = lines[body][: 2 + offset] + "X" + lines[body][3 + offset:]
    path.write_text("\n".join(lines), encoding="utf-8")

    with pytest.raises(ContentError) as raised:
        check_content(project / "content")

    [problem] = raised.value.diagnostics
    assert (problem.path, problem.line, problem.col, problem.field) == (f"content/{relative}", body + 1, 3 + offset, "text")
    assert f"at character {offset + 1}:" in problem.message and "X" in problem.message and original in problem.message


def test_editorial_fields_are_not_checked_against_the_seeds(project):
    path = project / "content/measures/nansha-batch6/07.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("topics: [regulation, digital-government]",
                                                             "topics: [credit]"), encoding="utf-8")
    assert len(check_content(project / "content").content.measures) == 57


@pytest.mark.parametrize("kind", schema.KINDS)
def test_schemas_are_valid_json_schemas_with_described_fields(kind):
    document = json.loads(schema.schema_path(kind).read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(document)

    def fields(node):
        for name, field in node.get("properties", {}).items():
            yield name, field
            yield from fields(field.get("items", field))
    for name, field in fields(document):
        assert field.get("description") or "items" in field, f"{kind}.{name} needs a description for editors"

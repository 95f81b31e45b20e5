"""handbook/site/wording.py: interface strings' {name} placeholders filled in, and dates written in Chinese."""

from __future__ import annotations

import datetime
import re

import jinja2
import pytest
from jinja2 import nodes

from handbook.content.yamlfile import parse_yaml
from handbook.site.wording import cndate, fill, written_date
from tests.conftest import ROOT

TEMPLATES = ROOT / "templates"
PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")


def interface_strings() -> dict[str, list[str]]:
    """Every key of templates/strings.yaml with its texts (the Simplified one, and each edition's own)."""
    document, problems = parse_yaml((TEMPLATES / "strings.yaml").read_bytes(), "templates/strings.yaml")
    assert not problems
    return {key: list(value.values()) if isinstance(value, dict) else [value] for key, value in document.value.items()}


def placeholders(texts: list[str]) -> set[str]:
    return {name for text in texts for name in PLACEHOLDER.findall(text)}


# fill

def test_each_placeholder_is_replaced_by_its_value_as_text():
    assert fill("第{n}项", n=3) == "第3项"
    assert fill("第{first}至{last}项，共{total}项", first=21, last=40, total=45) == "第21至40项，共45项"
    assert fill("{n}项措施，另{n}项", n=2) == "2项措施，另2项"  # every occurrence


def test_text_without_placeholders_comes_back_unchanged():
    assert fill("搜索本手册") == "搜索本手册"
    assert fill("搜索本手册", n=1) == "搜索本手册"
    assert fill("") == ""
    assert fill("{} { n } {1} {n-1} {{n}}x", n=5) == "{} { n } {1} {n-1} {5}x"  # only {name} is a placeholder


def test_a_placeholder_not_given_stays_as_written():
    assert fill("没有找到与“{q}”相符的{n}项措施", n=0) == "没有找到与“{q}”相符的0项措施"
    assert fill("第{n}项") == "第{n}项"


def test_what_a_value_brings_in_is_not_filled_again():
    """One pass: a title that contains {n} keeps it, where chained replaces would have put the number in."""
    assert fill("{title}第{n}项", title="《关于{n}的通知》", n=3) == "《关于{n}的通知》第3项"
    assert fill("{n}", n="{n}") == "{n}"
    assert fill("{a}{b}", a="{b}", b="{a}") == "{b}{a}"


def test_values_are_not_escaped_or_changed():
    assert fill("{url}", url="https://example.org/a?b=1&c=<2>") == "https://example.org/a?b=1&c=<2>"
    assert fill("{number}", number="") == ""
    assert fill("{x}", x=None) == "None"  # str(value), as the replace filter did


def test_a_placeholder_may_be_named_pattern():
    assert fill("{pattern}", pattern="P") == "P"


def test_on_every_interface_string_it_gives_what_the_chained_replaces_gave():
    """The templates and citation.py used replace('{name}', value) once per placeholder, in turn; with
    values that bring in no placeholder (numbers, titles, dates, addresses) one pass gives the same."""
    for key, texts in interface_strings().items():
        for text in texts:
            values = {name: f"〈{key}.{name}〉" for name in PLACEHOLDER.findall(text)}
            chained = text
            for name, value in values.items():
                chained = chained.replace("{" + name + "}", value)
            assert fill(text, **values) == chained, key


def test_as_a_filter_its_output_is_escaped_like_the_replace_filter_it_replaces():
    env = jinja2.Environment(autoescape=True)
    env.filters["fill"] = fill
    values = {"s": "<b>第{n}项</b> & {first}", "v": "<i>&</i>", "w": 7}
    filled = env.from_string("{{ s | fill(n=v, first=w) }}").render(values)
    replaced = env.from_string("{{ s | replace('{n}', v) | replace('{first}', w) }}").render(values)
    assert filled == replaced == "&lt;b&gt;第&lt;i&gt;&amp;&lt;/i&gt;项&lt;/b&gt; &amp; 7"


# cndate

@pytest.mark.parametrize("date, written", [
    (datetime.date(2022, 3, 9), "2022年3月9日"),
    (datetime.date(2021, 12, 31), "2021年12月31日"),
    (datetime.date(2000, 1, 1), "2000年1月1日"),
])
def test_a_date_is_written_year_month_day_without_leading_zeros(date, written):
    assert cndate(date) == written


# the filters in the site's templates

def test_the_site_environment_has_the_fill_and_written_date_filters():
    from handbook.site.render import environment

    env = environment(TEMPLATES)
    assert env.filters["fill"] is fill and env.filters["written_date"] is written_date
    template = env.from_string("{{ d | written_date(lang) }} {{ '第{n}项' | fill(n=2) }}")
    assert template.render(d=datetime.date(2022, 3, 9), lang="zh-Hant-HK") == "2022年3月9日 第2项"
    assert template.render(d=datetime.date(2022, 3, 9), lang="en") == "9 March 2022 第2项"


def uses_of_strings(node: nodes.Node, parent: nodes.Node | None = None, before: nodes.Node | None = None):
    """(key, the node around t.key, the node written just before it) for every t.key in a template."""
    if isinstance(node, nodes.Getattr) and isinstance(node.node, nodes.Name) and node.node.name == "t":
        yield node.attr, parent, before
    children = list(node.iter_child_nodes())
    for i, child in enumerate(children):
        yield from uses_of_strings(child, node, children[i - 1] if i else None)


def test_every_placeholder_a_template_shows_is_filled():
    """Where a template shows a string with placeholders, it fills all of them, or hands the string to
    search.js in a data- attribute (the script fills it); the citation is filled in citation.py, the PDFs'
    page number by the PDF engine."""
    wanted = {key: names for key, texts in interface_strings().items() if (names := placeholders(texts))}
    env = jinja2.Environment(trim_blocks=True, lstrip_blocks=True)
    shown = set()
    for path in sorted(TEMPLATES.glob("*.*")):
        if path.suffix not in (".html", ".xml"):
            continue
        for key, around, before in uses_of_strings(env.parse(path.read_text(encoding="utf-8"))):
            if key not in wanted:
                continue
            shown.add(key)
            where = f"t.{key} in templates/{path.name}"
            if isinstance(around, nodes.Filter) and around.name == "fill":
                assert {kw.key for kw in around.kwargs} >= wanted[key], f"{where} leaves placeholders unfilled"
            else:
                handed = isinstance(around, nodes.Output) and isinstance(before, nodes.TemplateData) \
                    and re.search(r'\sdata-[a-z-]+="$', before.data)
                assert handed, f"{where} is shown without | fill(...) of {sorted(wanted[key])}"
    in_python = {"citation": "site/citation.py", "measure_count": "site/render.py", "parallel_title": "site/pages.py",
                 "sentence_ref": "site/render.py", "paragraph_sentence_ref": "site/render.py",
                 "paragraph_ref": "site/render.py", "history_title": "site/history.py",
                 "data_licence_editorial": "opendata/publish.py"}
    for key, module in in_python.items():  # filled in Python: t["key"] or strings["key"] handed to fill(...)
        code = (ROOT / "handbook" / module).read_text(encoding="utf-8")
        call = re.search(r'fill\((?:[^()\n]*?)\["%s"\](.*?)\)\n' % key, code, re.S)
        assert call and set(re.findall(r"(\w+)=", call.group(1))) >= wanted[key], f"{key} in {module}"
    # The open data's field descriptions (opendata/tables.py names them) are filled by package.field_of.
    code = (ROOT / "handbook/opendata/package.py").read_text(encoding="utf-8")
    filled = set(re.findall(r"(\w+)=", re.search(r"description = fill\((.*?)\)\n", code).group(1)))
    tables = (ROOT / "handbook/opendata/tables.py").read_text(encoding="utf-8")
    described = {key for key in set(wanted) - shown - set(in_python) if f'"{key}"' in tables}
    assert described and all(wanted[key] <= filled for key in described), (described, filled)
    # The PDFs' page number: cut around its two numbers (pdf/documents.py), which the PDF engine fills on each page.
    assert wanted["pdf_page"] == {"n", "total"}
    assert re.search(r'partition\("\{n\}"\).*partition\("\{total\}"\)',
                     (ROOT / "handbook/pdf/documents.py").read_text(encoding="utf-8"), re.S)
    assert set(wanted) - shown == set(in_python) | described | {"pdf_page"}

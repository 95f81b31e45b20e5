"""Rebuilds after one edit: only what depends on it is redone, and the bytes equal a clean build.

The edits of one kind after another go to one kept Builder (fixture `editing`), as saves in serve do;
the tests that need the handbook as it is start their own.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from handbook.build.builder import Builder, build
from handbook.content.checks import check_content
from handbook.diagnostics import ContentError
from handbook.editions import EDITIONS
from handbook.search.pagefind import pagefind_binary
from handbook.search.shards import shard_modulus, shard_number
from tests.conftest import ROOT
from tests.sitecheck import tree

MEASURE = "content/measures/nansha-batch6/07.yaml"
SEED = "seeds/nansha-batch6-suifuhan-2022-183.txt"


def replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


EDITS = {
    # official text and title change with their seed, as a real correction would
    "official text": lambda p: (replace(p / MEASURE, "实施智慧模型管票", "实施智能模型管票"),
                                replace(p / SEED, "实施智慧模型管票", "实施智能模型管票")),
    "title": lambda p: (replace(p / MEASURE, "title: 税企涉税风险智慧共控新机制", "title: 税企涉税风险智慧共控机制"),
                        replace(p / SEED, "| 税企涉税风险智慧共控新机制 |", "| 税企涉税风险智慧共控机制 |")),
    "topic": lambda p: replace(p / MEASURE, "topics: [regulation, digital-government]", "topics: [regulation, credit]"),
    "unit": lambda p: replace(p / MEASURE, "units: [tax]", "units: [tax, commerce]"),
    "template": lambda p: replace(p / "templates/measure.html", "<h1 data-pagefind-meta", "<h1 class=\"t\" data-pagefind-meta"),
    "stylesheet": lambda p: replace(p / "static/style.css", "--accent: #8a1c1c;", "--accent: #7a1c1c;"),
}
# Pages each edit must leave alone (a sample): proof that not everything is redone.
UNTOUCHED = "zh-hans/measures/gzdd-2022-01/index.html"


def copy_project(into: Path) -> Path:
    for folder in ("content", "seeds", "templates", "static"):
        shutil.copytree(ROOT / folder, into / folder)
    return into


@pytest.fixture
def project(tmp_path, monkeypatch):
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(pagefind_binary(ROOT)))
    return copy_project(tmp_path)


@pytest.fixture(scope="module")
def editing(tmp_path_factory):
    """A project and its kept Builder (one for each bundle size asked for), which the tests below edit one
    after another as a maintainer's saves in serve do: each rebuild starts from the site the one before
    left, and the first build is made once for all of them."""
    kept: dict[int | None, tuple[Path, Builder]] = {}

    def project_and_builder(shard_size: int | None = None) -> tuple[Path, Builder]:
        if shard_size not in kept:
            project = copy_project(tmp_path_factory.mktemp("editing"))
            builder = Builder(project, project / "content", project / "site", shard_size=shard_size)
            assert builder.build().rendered > 300
            kept[shard_size] = project, builder
        return kept[shard_size]

    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("PAGEFIND_BINARY_PATH", str(pagefind_binary(ROOT)))
        yield project_and_builder
    for _, builder in kept.values():
        builder.close()


@pytest.mark.parametrize("kind", list(EDITS))
def test_rebuild_after_one_edit_equals_a_clean_build(editing, kind):
    project, builder = editing()
    EDITS[kind](project)

    report = builder.build()

    clean = project / f"clean-{list(EDITS).index(kind)}"
    build(project, project / "content", clean)
    assert tree(project / "site") == tree(clean)
    if kind in ("template",):
        assert report.rendered > 100  # every measure page uses it
    elif kind == "stylesheet":
        assert report.rendered == 0 and report.written == 1
    else:
        assert 0 < report.rendered < 100, report.rendered
        assert report.written < 120


# Edits that lay every page out again (layout.py), each of which changes what the open data holds.
LAID_OUT_WHOLE = {
    "topic name": lambda p: replace(p / "content/topics.yaml", "  name: 知识产权\n", "  name: 知识产权保护\n"),
    "translation": lambda p: replace(p / "content/translations/en/nansha-batch6/07.yaml", "title: A new mechanism",
                                     "title: A novel mechanism"),
    "licence": lambda p: replace(p / "content/site.yaml", "attribution: 广州营商环境改革创新经验手册编者",
                                 "attribution: 本手册编者"),
}


@pytest.mark.parametrize("kind", list(LAID_OUT_WHOLE))
def test_the_open_data_after_an_edit_equals_a_clean_build(editing, kind):
    """The data folders are written anew by the kept Builder, byte for byte as a clean build writes them."""
    project, builder = editing()
    data = lambda site: {path: b for path, b in tree(site).items() if "/data/" in path}  # noqa: E731
    before = data(project / "site")
    LAID_OUT_WHOLE[kind](project)

    builder.build()

    clean = project / f"clean-{kind.replace(' ', '-')}"
    build(project, project / "content", clean)
    assert tree(project / "site") == tree(clean)
    assert data(project / "site") != before


def test_an_edit_rerenders_only_the_pages_that_show_it(project):
    builder = Builder(project, project / "content", project / "site")
    builder.build()
    before = (project / "site" / UNTOUCHED).stat().st_mtime_ns
    EDITS["topic"](project)
    report = builder.build()
    # Per edition, 21 of 111 (listed one by one and read): the measure's page and its parallel page
    # (laid out again whenever its measure changed); the lists that show it with its topics (topics
    # regulation, credit and digital-government, its category, unit and source; the page of measures/
    # it is on); the home page and topics/ (topic counts); 9 measures whose related list changed; and
    # the open data page (the sizes of measure_topics.csv, measures.json and datapackage.json changed).
    assert report.rendered == len(EDITIONS) * 21
    assert (project / "site" / UNTOUCHED).stat().st_mtime_ns == before
    assert "社會信用" in (project / "site/zh-hk/measures/nansha-batch6-07/index.html").read_text(encoding="utf-8")


def test_an_edit_lays_out_and_reads_again_only_what_it_touched(project, monkeypatch):
    """In a copy without git (a tarball, the bench's handbooks), as in a clone: the edition's layout is
    updated in place, only the edited measure's terms are looked for again, and the sitemap's pages are
    the last build's. Each done whole costs a rebuild time in proportion to the handbook (9 s at 10,000
    measures), not to the edit."""
    import handbook.site.plan as plan

    assert not (project / ".git").exists()
    builder = Builder(project, project / "content", project / "site")
    builder.build()
    calls = {"full_layout": 0, "term_ids": 0, "_sitemap_keys": 0}
    for name in calls:
        def counted(*args, _name=name, _real=getattr(plan, name)):
            calls[_name] += 1
            return _real(*args)
        monkeypatch.setattr(plan, name, counted)
    EDITS["topic"](project)
    builder.build()
    assert calls == {"full_layout": 0, "term_ids": 1, "_sitemap_keys": 0}  # no page came or went
    builder.close()


def test_a_failed_rebuild_keeps_the_last_good_site(project):
    from handbook.diagnostics import ContentError

    builder = Builder(project, project / "content", project / "site")
    builder.build()
    before = tree(project / "site")
    replace(project / MEASURE, "topics: [regulation, digital-government]", "topics: [regulations]")
    with pytest.raises(ContentError):
        builder.build()
    assert tree(project / "site") == before
    replace(project / MEASURE, "topics: [regulations]", "topics: [regulation, digital-government]")
    builder.build()
    assert tree(project / "site") == before


def test_a_list_that_loses_a_page_loses_its_file(project, monkeypatch):
    """Short lists: a measure leaves a topic whose last page held one measure; that page is removed."""
    content = check_content(project / "content").content
    counts = {t.id: sum(t.id in m.topics for m in content.measures) for t in content.topics}
    size, measure, topic = next((size, m, t) for size in range(3, 11) for m in content.measures
                                if len(m.topics) > 1 for t in m.topics if counts[t] % size == 1 < counts[t] // size)
    monkeypatch.setattr("handbook.site.pages.PAGE_SIZE", size)
    builder = Builder(project, project / "content", project / "site")
    builder.build()
    last = project / "site" / f"zh-tw/topics/{topic}/page/{counts[topic] // size + 1}/index.html"
    assert last.is_file()
    path = project / "content/measures" / measure.source / f"{measure.number:02d}.yaml"
    kept = ", ".join(t for t in measure.topics if t != topic)
    replace(path, f"topics: [{', '.join(measure.topics)}]", f"topics: [{kept}]")

    builder.build()

    assert not last.exists()
    build(project, project / "content", project / "clean")
    assert tree(project / "site") == tree(project / "clean")


def test_a_rebuild_checks_unchanged_measures_against_changed_topics(project):
    """A kept check reuses what it found for unchanged measures, but not once the topics they name change."""
    from handbook.diagnostics import ContentError

    builder = Builder(project, project / "content", project / "site")
    builder.build()
    replace(project / "content/topics.yaml", "- id: regulation\n", "- id: regulations\n")
    with pytest.raises(ContentError) as error:
        builder.build()
    fresh = error.value.diagnostics
    with pytest.raises(ContentError) as clean:
        check_content(project / "content")
    assert fresh == clean.value.diagnostics
    assert any(d.path.endswith("nansha-batch6/07.yaml") and '"regulation" is not a topic' in d.message for d in fresh)


@pytest.mark.parametrize("edit", ["topic", "official text"])
def test_an_edit_reindexes_only_its_bundle(editing, edit):
    """With the index in bundles (10 measures each here), an edit re-indexes the one holding the measure."""
    project, builder = editing(shard_size=10)
    EDITS[edit](project)

    report = builder.build()

    # The edited measure's bundle in each edition, and every measure that hashes to the same bundle.
    content = check_content(project / "content").content
    number = shard_number("nansha-batch6-07", shard_modulus(len(content.measures), 10))
    together = [m.id for m in content.measures if shard_number(m.id, 6) == number]
    assert shard_modulus(len(content.measures), 10) == 6 and "nansha-batch6-07" in together
    index = [summary for name, _, summary in report.stages if name == "index"]
    assert index == [f"{len(EDITIONS) * len(together)} pages in {len(EDITIONS)} bundles indexed again"]
    clean = project / f"clean-{edit}"
    Builder(project, project / "content", clean, keep_state=False, shard_size=10).build()
    assert tree(project / "site") == tree(clean)


def test_a_translation_that_writes_a_termbase_word_is_searched_as_written(editing):
    """The English vocabulary lists the aliases the English text writes: an edit of a translation alone
    (no Chinese, no termbase) changes that list, in a rebuild as in a clean build."""
    project, builder = editing()
    written = lambda site: json.loads((site / "en/search/terms.json").read_text(encoding="utf-8"))["written"]  # noqa: E731
    assert "judicialreview" not in written(project / "site")
    replace(project / "content/translations/en/nansha-batch6/07.yaml", "Relevant districts of the city",
            "Relevant districts of the city, open to judicial review")

    builder.build()

    assert "judicialreview" in written(project / "site")
    build(project, project / "content", project / "clean-judicial-review")
    assert tree(project / "site") == tree(project / "clean-judicial-review")


def test_a_rebuild_warns_as_a_fresh_check_does(editing):
    """The check's memos (references, translations, the conversion review) give a rebuild the warnings a
    check from nothing gives: here a translation edited to hold Chinese, its measure unchanged."""
    project, builder = editing()
    replace(project / "content/translations/en/nansha-batch6/07.yaml", "Smart model-based", "Smart 模型 model-based")

    report = builder.build()

    assert report.warnings == check_content(project / "content").warnings
    assert any("模型" in d.message and d.path.endswith("en/nansha-batch6/07.yaml") for d in report.warnings)


def test_a_seed_edited_alone_is_found_by_a_rebuild(editing):
    """The check remembers each measure's comparison with its seed: a seed that changes, its measures not,
    is compared again."""
    project, builder = editing()
    text = (project / SEED).read_text(encoding="utf-8")
    replace(project / SEED, "依托大数据", "依靠大数据")  # (other tests edit this measure's text with its seed)

    with pytest.raises(ContentError) as error:
        builder.build()
    assert "differs from" in error.value.report()

    (project / SEED).write_text(text, encoding="utf-8")
    builder.build()

"""serve's preview (build/preview.py): a measure edited in place has its pages written before the whole
rebuild, exactly as the rebuild writes them; any other edit is left to the rebuild; a failed rebuild
takes the preview back.
"""

from __future__ import annotations

import pytest

from handbook.build.builder import Builder, build
from handbook.diagnostics import ContentError
from handbook.editions import EDITIONS
from tests.sitecheck import tree
from tests.test_incremental import MEASURE, SEED, copy_project, replace

PAGES = [f"{e.code}/measures/nansha-batch6-07/index.html" for e in EDITIONS]
PARALLEL = [f"{e.code}/parallel/nansha-batch6-07/index.html" for e in EDITIONS]
TRANSLATION = "content/translations/en/nansha-batch6/07.yaml"

IN_PLACE = {  # edits a preview shows, and the pages it writes for them
    "topic swapped": (lambda p: replace(p / MEASURE, "topics: [regulation, digital-government]",
                                        "topics: [regulation, credit]"), PAGES),
    "topic added": (lambda p: replace(p / MEASURE, "topics: [regulation, digital-government]",
                                      "topics: [regulation, digital-government, credit]"), PAGES),
    "topics reordered": (lambda p: replace(p / MEASURE, "topics: [regulation, digital-government]",
                                           "topics: [digital-government, regulation]"), PAGES),
    "unit added": (lambda p: replace(p / MEASURE, "units: [tax]", "units: [tax, commerce]"), PAGES),
    # the English page, and the parallel page of every edition (it shows the English beside the Chinese)
    "translation's text": (lambda p: replace(p / TRANSLATION, "Smart model-based", "Model-based"),
                           [PAGES[-1], *PARALLEL]),
    "translation's title": (lambda p: replace(p / TRANSLATION, "title: A new mechanism", "title: A novel mechanism"),
                            [PAGES[-1], *PARALLEL]),
    "translation and topic": (lambda p: (replace(p / TRANSLATION, "Smart model-based", "Model-based"),
                                         replace(p / MEASURE, "units: [tax]", "units: [tax, commerce]")),
                              [*PAGES, *PARALLEL]),
}

LEFT_TO_THE_REBUILD = {  # edits a preview does not show: each changes more than the measure's own pages
    "official text": lambda p: (replace(p / MEASURE, "实施智慧模型管票", "实施智能模型管票"),
                                replace(p / SEED, "实施智慧模型管票", "实施智能模型管票")),
    "number": lambda p: replace(p / MEASURE, "number: 7", "number: 70"),
    "unknown topic": lambda p: replace(p / MEASURE, "topics: [regulation, digital-government]",
                                       "topics: [regulation, no-such-topic]"),
    "broken YAML": lambda p: replace(p / MEASURE, "topics: [regulation, digital-government]", "topics: [regulation"),
    "topic name": lambda p: replace(p / "content/topics.yaml", "  name: 知识产权\n", "  name: 知识产权保护\n"),
    "translation of another measure": lambda p: replace(p / TRANSLATION, "measure: nansha-batch6-07",
                                                        "measure: nansha-batch6-08"),
}


@pytest.fixture
def served(tmp_path, monkeypatch):
    """A project and its kept Builder after the first build, as serve has them."""
    from handbook.search.pagefind import pagefind_binary
    from tests.conftest import ROOT
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(pagefind_binary(ROOT)))
    project = copy_project(tmp_path / "project")
    builder = Builder(project, project / "content", project / "site")
    builder.build()
    yield project, builder
    builder.close()


def pages(project, paths=PAGES) -> dict[str, bytes]:
    return {path: (project / "site" / path).read_bytes() for path in paths}


@pytest.mark.parametrize("kind", list(IN_PLACE))
def test_the_preview_writes_the_pages_the_rebuild_would(served, kind):
    project, builder = served
    edit, expected = IN_PLACE[kind]
    before = pages(project, expected)
    edit(project)

    written = builder.preview([project / MEASURE, project / TRANSLATION])

    assert sorted(written) == sorted(expected)  # the measure's own pages, and nothing else
    previewed = pages(project, expected)
    assert all(previewed[path] != before[path] for path in expected)
    report = builder.build()
    assert not set(expected) & set(report.changed)  # the rebuild found them as it renders them
    assert pages(project, expected) == previewed
    build(project, project / "content", project / "clean")
    assert tree(project / "site") == tree(project / "clean")


@pytest.mark.parametrize("kind", list(LEFT_TO_THE_REBUILD))
def test_other_edits_are_left_to_the_rebuild(served, kind):
    project, builder = served
    site = tree(project / "site")
    LEFT_TO_THE_REBUILD[kind](project)
    changed = [project / MEASURE, project / TRANSLATION] + ([project / "content/topics.yaml"]
                                                            if kind == "topic name" else [])

    assert builder.preview(changed) == []
    assert tree(project / "site") == site


def test_paths_outside_the_measures_are_left_to_the_rebuild(served):
    project, builder = served
    IN_PLACE["topic swapped"][0](project)
    assert builder.preview([project / MEASURE, project / "templates/measure.html"]) == []
    assert builder.preview([project / "content/measures/nansha-batch6/99.yaml"]) == []  # not a file it read
    assert builder.preview([project / "content"]) == []


def test_an_unchanged_file_previews_nothing(served):
    project, builder = served
    assert builder.preview([project / MEASURE]) == []


def test_a_failed_rebuild_takes_the_preview_back(served):
    project, builder = served
    before = pages(project)
    IN_PLACE["topic swapped"][0](project)
    assert builder.preview([project / MEASURE])
    (project / "content/units.yaml").write_text("units: [\n", encoding="utf-8")  # saved with it, broken

    with pytest.raises(ContentError):
        builder.build()

    assert pages(project) == before


def test_a_file_saved_again_before_the_rebuild_is_rendered_as_it_is_then(served):
    """The preview read one save; the rebuild reads the next, which puts the file back as it was: the
    rebuild's plan has nothing to redo there, and the page must still not keep the preview."""
    project, builder = served
    before, text = pages(project), (project / MEASURE).read_text(encoding="utf-8")
    IN_PLACE["topic swapped"][0](project)
    assert builder.preview([project / MEASURE])
    (project / MEASURE).write_text(text + "\n", encoding="utf-8")  # a size of its own: read again

    builder.build()

    assert pages(project) == before


def test_many_files_at_once_are_left_to_the_rebuild(served):
    """A checkout or a script changes many files: the rebuild, which does them all anyway, shows them."""
    from handbook.build.preview import AT_MOST
    project, builder = served
    measures = [path for path in sorted((project / "content/measures").glob("*/*.yaml"))
                if "credit" not in path.read_text(encoding="utf-8")][:AT_MOST + 1]
    assert len(measures) == AT_MOST + 1
    for path in measures:
        replace(path, "topics: [", "topics: [credit, ")
    assert builder.preview(measures) == []
    assert builder.preview(measures[:2])  # two of them are an edit


def test_a_temporary_file_that_came_and_went_does_not_stop_the_preview(served):
    """`sed -i` and many editors write a file beside the one saved and rename it over it: the watcher
    reports both paths, the first gone by the time the preview looks."""
    project, builder = served
    IN_PLACE["topic swapped"][0](project)
    gone = project / "content/measures/nansha-batch6/sedX1b2c3"
    assert sorted(builder.preview([project / MEASURE, gone])) == sorted(PAGES)

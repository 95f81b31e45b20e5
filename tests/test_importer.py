"""The importer on the real seeds: counts, spot checks, idempotence, no lost edit."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from handbook.seeds.importer import ImportFailure, import_seeds
from tests.conftest import ROOT


@pytest.fixture
def imported(tmp_path) -> Path:
    shutil.copytree(ROOT / "seeds", tmp_path / "seeds")
    result = import_seeds(tmp_path, tmp_path / "content")
    assert result.refused == () and len(result.written) == 60
    return tmp_path / "content"


def read(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def test_imports_all_57_measures(imported):
    assert len(list((imported / "measures/gzdd-2022").glob("*.yaml"))) == 39
    assert len(list((imported / "measures/nansha-batch6").glob("*.yaml"))) == 18
    assert sorted(p.name for p in (imported / "sources").iterdir()) == ["gzdd-2022.yaml", "nansha-batch6.yaml"]
    assert not (imported / "topics.yaml").exists()  # editorial, never imported


def test_categories_with_the_counts_the_notice_states(imported):
    source = read(imported / "sources/nansha-batch6.yaml")
    assert [(c["name"], c["count"]) for c in source["categories"]] == [
        ("政府职能转变", 7), ("投资便利化", 1), ("贸易便利化", 1), ("金融开放创新", 2), ("法治环境建设", 5), ("深化港澳合作", 2)]
    measures = [read(p) for p in sorted((imported / "measures/nansha-batch6").glob("*.yaml"))]
    counted = {}
    for measure in measures:
        counted[measure["category"]] = counted.get(measure["category"], 0) + 1
    assert counted == {c["id"]: c["count"] for c in source["categories"]}
    # Rows 2, 3, 5 and 7 have an empty 分类 cell: they inherit from the row above.
    assert [m["category"] for m in measures[:7]] == ["government-functions"] * 7
    assert any("金融改革创新" in note and "金融开放创新" in note for note in source["notes"])


def test_source_metadata(imported):
    nansha = read(imported / "sources/nansha-batch6.yaml")
    assert nansha["number"] == "穗府函〔2022〕183号"
    assert str(nansha["written"]) == "2022-08-09" and "published" not in nansha  # the notice's signature date
    assert nansha["issuer"] == "广州市人民政府"
    assert nansha["title"].startswith("广州市人民政府关于推广实施中国（广东）自由贸易试验区")
    gzdd = read(imported / "sources/gzdd-2022.yaml")
    assert gzdd["title"] == "广州开发区营商环境改革创新经验做法清单"
    assert str(gzdd["published"]) == "2022-01-25" and "written" not in gzdd  # the web page's time stamp
    assert gzdd["publisher"] == "广东省发展和改革委员会" and "issuer" not in gzdd
    assert "number" not in gzdd and "categories" not in gzdd


def test_spot_checks_of_measures(imported):
    first = read(imported / "measures/gzdd-2022/01.yaml")
    assert first["title"] == "建立信任筹建工作机制"
    assert first["text"].startswith("推行信任进场，实施“用地清单制”，土储部门在土地出让前")
    assert "units" not in first and "category" not in first and "truncated" not in first

    nine = read(imported / "measures/nansha-batch6/09.yaml")
    assert nine["units"] == ["commerce", "tax", "guangzhou-customs", "huangpu-customs"]
    eighteen = read(imported / "measures/nansha-batch6/18.yaml")
    assert eighteen["units"] == ["human-resources-social-security", "education", "finance", "health",
                                 "government-services-data"]
    assert eighteen["title"] == "粤港澳大湾区职称和职业资格业务一站式服务平台"
    # "市有关 行政区" in the seed: the stray space is gone.
    assert read(imported / "measures/nansha-batch6/01.yaml")["scope"] == "市有关行政区"
    assert read(imported / "measures/nansha-batch6/03.yaml")["scope"] == "条件成熟的相关行政区"
    units = read(imported / "units.yaml")["units"]
    assert len(units) == 17 and {"id": "court", "name": "市法院"} in units


def test_only_measure_39_is_truncated_and_nothing_is_invented(imported):
    flagged = [p.name for p in sorted(imported.glob("measures/*/*.yaml")) if read(p).get("truncated")]
    assert flagged == ["39.yaml"]
    assert read(imported / "measures/gzdd-2022/39.yaml")["text"].endswith("均纳入部门年度绩效考核的重要内容和指\n")


def test_second_run_writes_nothing(imported):
    before = {p: p.read_bytes() for p in imported.rglob("*.yaml")}
    result = import_seeds(imported.parent, imported)
    assert result.written == () and len(result.unchanged) == 60
    assert {p: p.read_bytes() for p in imported.rglob("*.yaml")} == before


def test_an_edited_file_is_not_overwritten_without_force(imported):
    edited = imported / "measures/nansha-batch6/07.yaml"
    edited.write_text(edited.read_text(encoding="utf-8").replace("scope: 市有关行政区", "scope: 全市"), encoding="utf-8")
    (imported / "units.yaml").unlink()
    snapshot = edited.read_bytes()

    result = import_seeds(imported.parent, imported)

    assert result.refused == ("measures/nansha-batch6/07.yaml",) and result.written == ()
    assert edited.read_bytes() == snapshot and not (imported / "units.yaml").exists()  # nothing at all written

    result = import_seeds(imported.parent, imported, force=True)
    assert set(result.written) == {"measures/nansha-batch6/07.yaml", "units.yaml"}
    assert read(edited)["scope"] == "市有关行政区"


def test_editorial_topics_survive_a_forced_import(imported):
    path = imported / "measures/nansha-batch6/07.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("topics: []", "topics: [tax, credit]")
                    .replace("scope: 市有关行政区", "scope: 全市"), encoding="utf-8")
    import_seeds(imported.parent, imported, force=True)
    assert read(path)["topics"] == ["tax", "credit"] and read(path)["scope"] == "市有关行政区"


def test_reimport_over_the_real_content_changes_nothing(project):
    result = import_seeds(project, project / "content")
    assert result.refused == () and result.written == () and len(result.unchanged) == 60


def test_category_counts_that_disagree_stop_the_import(tmp_path):
    shutil.copytree(ROOT / "seeds", tmp_path / "seeds")
    seed = tmp_path / "seeds/nansha-batch6-suifuhan-2022-183.txt"
    seed.write_text(seed.read_text(encoding="utf-8").replace("(五)法治环境建设领域(5项)", "(五)法治环境建设领域(6项)"),
                    encoding="utf-8")
    with pytest.raises(ImportFailure, match="section 一 states categories"):
        import_seeds(tmp_path, tmp_path / "content")
    assert not (tmp_path / "content").exists()

"""The conversion review: places, decisions, digests, the report and the sign-off round trip."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from handbook.content.checks import check_content
from handbook.commands.cli import main
from handbook.content.load import load
from handbook.convert.converter import Converter
from handbook.model import ConversionRules, SignOff
from handbook.convert.review import LISTED, OPENCC, OVERRIDE, REGIONAL, Reviewer, text_places, unreviewed_warnings
from handbook.editions import BY_CODE
from tests.conftest import ROOT, real_handbook



def places_of(text: str, code: str = "zh-hk", rules=real_handbook().conversion):
    return {p.offset: p for p in text_places(text, Converter(BY_CODE[code], rules))}


def test_every_one_to_many_character_is_a_place_and_says_what_decided_it():
    text = "设立人才引导基金发挥政府投资作用，广州市税务局发布"
    hk = places_of(text)
    assert hk[text.index("发挥")].decided_by == OVERRIDE and hk[text.index("发挥")].chosen == "發"
    assert hk[text.index("税")].decided_by == REGIONAL and hk[text.index("税")].chosen == "稅"
    assert hk[text.index("发布")].decided_by == OPENCC  # 发 → 發: OpenCC; 布 is the regional form's
    assert hk[text.index("发布") + 1].decided_by == REGIONAL and hk[text.index("发布") + 1].rule == "發佈→發布"
    assert hk[text.index("税")].counterparts == ("稅", "税")
    assert set(places_of("设立人才")) == {3} and places_of("设立人才")[3].char == "才"  # 才: 才 or 纔


def test_a_decision_is_the_character_in_its_word():
    """Same word, same digest wherever it stands; another word, or another conversion, another digest."""
    first = places_of("推进开发区建设")[3]
    again = places_of("完善开发区管理")[3]
    other = places_of("加快开发新产品")[3]
    assert first.context == "开[发]区" and first.digest == again.digest
    assert other.digest != first.digest
    assert places_of("推进开发区建设", "zh-tw")[3].digest != first.digest  # another edition
    without = places_of("人才引导基金发挥作用", rules=ConversionRules(real_handbook().conversion.regional, ()))[6]
    assert without.chosen == "髮" and without.digest != places_of("人才引导基金发挥作用")[6].digest


def test_an_edit_in_the_word_brings_a_place_back_for_review(project: Path, capsys):
    assert main(["--content", "content", "review", "--out", "report"]) == 0
    before = list(csv.DictReader(io.StringIO((project / "report" / "zh-hk.csv").read_text(encoding="utf-8"))))
    assert before and all(r["reviewed"] == "yes" for r in before), "the committed review covers the content"
    # A new document says 复制 where measure 9 said 复销 (seed and measure agree, as after a real edit).
    for path in (project / "content/measures/nansha-batch6/09.yaml", next((project / "seeds").glob("nansha*"))):
        path.write_text(path.read_text(encoding="utf-8").replace("集散复销中心", "集散复制中心"), encoding="utf-8")
    capsys.readouterr()
    assert main(["--content", "content", "check"]) == 0
    err = capsys.readouterr().err
    assert "09.yaml:5:" in err and "warning: zh-hk: 复→複 in [复]制" in err and "warning: zh-hk: 制→製 in 复[制]" in err
    assert main(["--content", "content", "review", "--out", "report"]) == 0
    after = list(csv.DictReader(io.StringIO((project / "report" / "zh-hk.csv").read_text(encoding="utf-8"))))
    unreviewed = sorted(r["word"] for r in after if r["reviewed"] != "yes")
    assert unreviewed == ["[复]制", "复[制]"]
    assert all("09.yaml" in r["first_place"] for r in after if r["reviewed"] != "yes")


def test_sign_off_from_a_filled_in_csv(project: Path, capsys):
    (project / "content/review.yaml").write_text(
        "# yaml-language-server: $schema=../handbook/schemas/review.schema.json\nsign_offs: []\n", encoding="utf-8")
    assert main(["--content", "content", "review", "--out", "report"]) == 0
    text = (project / "report" / "zh-tw.csv").read_text(encoding="utf-8")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert rows and not any(r["reviewed"] for r in rows)
    for r in rows[:5]:
        r["sign_off"] = "yes"
    rows[0]["note"] = "checked against the Ministry of Education's list"
    rows[5]["sign_off"] = "no"
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    (project / "filled.csv").write_text(out.getvalue(), encoding="utf-8")
    capsys.readouterr()
    assert main(["--content", "content", "review", "--out", "report", "--sign-off", "filled.csv", "--by", "Reviewer A"]) == 0
    assert "5 decision(s) signed off" in capsys.readouterr().out
    handbook = check_content(project / "content")
    summary = dict(handbook.reviewed)["zh-tw"]
    assert summary.reviewed == 5 and summary.decisions == len(rows)
    signed = handbook.review[0]
    assert (signed.edition, signed.by) == ("zh-tw", "Reviewer A")
    assert signed.reviewed[0].endswith("— checked against the Ministry of Education's list")
    # signing the same rows again adds nothing
    assert main(["--content", "content", "review", "--out", "report", "--sign-off", "filled.csv", "--by", "Reviewer A"]) == 0
    assert "0 decision(s) signed off" in capsys.readouterr().out


def test_sign_off_refuses_a_csv_that_is_not_a_review(project: Path, capsys):
    (project / "other.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    assert main(["--content", "content", "review", "--out", "report", "--sign-off", "other.csv", "--by", "x"]) == 1
    assert "not a review CSV" in capsys.readouterr().err
    assert main(["--content", "content", "review", "--sign-off", "other.csv"]) == 2


def test_check_names_a_few_unreviewed_decisions_and_counts_the_rest():
    loaded = load(ROOT / "content")
    converters = {c: Converter(BY_CODE[c], loaded.conversion) for c in ("zh-hk", "zh-tw")}
    found = Reviewer().decisions(loaded, converters, ())
    warnings = unreviewed_warnings(found, "content/review.yaml")
    per_edition = {c: sum(1 for d in found if d.first.edition == c) for c in converters}
    assert len(warnings) == 2 * LISTED + 2
    assert warnings[-1].message == f"zh-tw: {per_edition['zh-tw'] - LISTED} more conversion decisions are not reviewed"
    assert all(w.severity == "warning" for w in warnings)
    first = warnings[0]
    assert first.path.startswith("content/") and first.line > 0 and "is not reviewed" in first.message
    signed = SignOff("zh-hk", "x", "2026-12-02", tuple(d.entry for d in found if d.first.edition == "zh-hk"))
    assert {w.message.split(":")[0] for w in unreviewed_warnings(Reviewer().decisions(loaded, converters, (signed,)),
                                                                  "content/review.yaml")} == {"zh-tw"}


def test_the_report_groups_by_character_and_choice(project: Path):
    assert main(["--content", "content", "review", "--out", "report"]) == 0
    html = (project / "report" / "index.html").read_text(encoding="utf-8")
    assert '<h3 id="zh-hk-发">发' in html and "发 → 髮" not in html  # no 髮 left after the reviewed fix
    assert "override (金发挥)" in html and "regional form (税→稅)" in html
    first = (project / "report" / "zh-hk.csv").read_text(encoding="utf-8")
    assert main(["--content", "content", "review", "--out", "report"]) == 0
    assert (project / "report" / "zh-hk.csv").read_text(encoding="utf-8") == first  # deterministic


def test_a_sign_off_takes_nothing_from_the_csv_but_the_note(project: Path, capsys):
    """A hostile or mangled CSV cannot break content/review.yaml: lines come from the decisions."""
    (project / "content/review.yaml").write_text(
        "# yaml-language-server: $schema=../handbook/schemas/review.schema.json\nsign_offs: []\n", encoding="utf-8")
    assert main(["--content", "content", "review", "--out", "report"]) == 0
    rows = list(csv.DictReader(io.StringIO((project / "report" / "zh-hk.csv").read_text(encoding="utf-8"))))
    expected = f"{rows[0]['digest']} {rows[0]['character']}→{rows[0]['choice']} {rows[0]['word']} — line one line \"two\""
    rows[0].update(sign_off="yes", word='"]\nsign_offs: evil', note='line one\nline "two"')
    rows[1].update(sign_off="yes", digest="0000000000")  # names no decision
    rows[2].update(sign_off="yes", edition="zh-hans")
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows[:3])
    (project / "filled.csv").write_text(out.getvalue(), encoding="utf-8")
    capsys.readouterr()
    assert main(["--content", "content", "review", "--out", "report", "--sign-off", "filled.csv",
                 "--by", 'A "reviewer"\nwith a newline']) == 0
    captured = capsys.readouterr()
    assert "1 decision(s) signed off" in captured.out and "name no decision" in captured.err
    handbook = check_content(project / "content")
    (signed,) = handbook.review
    assert signed.by == 'A "reviewer" with a newline'
    assert signed.reviewed == (expected,)

"""Conversion to Traditional: OpenCC, the reviewed overrides, quotation marks, ids untouched."""

from __future__ import annotations


import opencc
import pytest
from hypothesis import given, strategies as st

from handbook.checks import check_content
from handbook.convert import Converter, convert_content
from handbook.variants import BY_CODE, VARIANTS
from tests.conftest import ROOT

HANDBOOK = check_content(ROOT / "content")
OVERRIDES = HANDBOOK.overrides
CASES = [(o, code, target) for o in OVERRIDES for code, target in o.targets]


@pytest.mark.parametrize("override, code, target", CASES, ids=[f"{o.simplified}-{c}" for o, c, _ in CASES])
def test_each_override_fixes_what_opencc_gets_wrong(override, code, target):
    variant = BY_CODE[code]
    assert opencc.OpenCC(variant.opencc).convert(override.simplified) != target, "the override is not needed"
    convert = Converter(variant, OVERRIDES)
    assert convert(override.simplified) == target
    # ...and in the real text it comes from.
    hits = [m for m in HANDBOOK.content.measures if override.simplified in m.text + m.title]
    for measure in hits:
        assert target in convert(measure.title + measure.text)


def test_override_examples_read_by_eye():
    hk, tw = (Converter(BY_CODE[c], OVERRIDES) for c in ("zh-hk", "zh-tw"))
    assert hk("设立黄埔人才引导基金发挥政府投资杠杆作用") == "設立黃埔人才引導基金發揮政府投資槓桿作用"
    assert tw("行政复议") == "行政復議"
    assert hk("户表") == "户錶" and tw("户表") == "戶表"


def test_quotation_marks_become_corner_brackets():
    tw = Converter(BY_CODE["zh-tw"], ())
    assert tw("推出“苗圃贷”和‘金穗’") == "推出「苗圃貸」和『金穗』"
    assert tw("服务水平”。") == "服務水平」。"  # unbalanced, as in measure 27
    assert Converter(BY_CODE["zh-hans"], ())("“苗圃贷”") == "“苗圃贷”"


def test_s2tw_keeps_vocabulary():
    tw = Converter(BY_CODE["zh-tw"], ())
    assert tw("支持信息软件") == "支持信息軟件"  # s2twp would give 支援資訊軟體


def test_ids_dates_and_numbers_never_pass_through_opencc():
    for variant in VARIANTS[1:]:
        converted = convert_content(HANDBOOK.content, Converter(variant, OVERRIDES))
        for before, after in zip(HANDBOOK.content.measures, converted.measures):
            assert (after.id, after.source, after.number, after.category, after.units, after.topics) == \
                   (before.id, before.source, before.number, before.category, before.units, before.topics)
            assert after.text != before.text
        for before, after in zip(HANDBOOK.content.sources, converted.sources):
            assert (after.id, after.date, after.seed) == (before.id, before.date, before.seed)
            assert [c.id for c in after.categories] == [c.id for c in before.categories]


@given(st.text(alphabet="发展范围后续参与制造“”‘’金发挥基户表行政复议abc 12。，"))
def test_conversion_keeps_length(text):
    for variant in VARIANTS:
        assert len(Converter(variant, OVERRIDES)(text)) == len(text)

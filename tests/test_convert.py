"""Conversion to Traditional: OpenCC, the regional forms, the reviewed overrides, quotation marks.

Every rule of content/conversion.yaml is tested on its own examples and
contexts, and the class of mistake the word guard exists for (a fix firing
inside other words, 准营 in 高标准营造) on texts of our own that no entry lists.
"""

from __future__ import annotations

import dataclasses

import opencc
import pytest
from hypothesis import given, strategies as st

from handbook.convert.converter import Converter, convert_content, placement
from handbook.model import ConversionRules, Override
from handbook.convert.opencc_data import dictionary
from handbook.editions import BY_CODE, EDITIONS
from tests.conftest import real_handbook

REGIONAL_ONLY = ConversionRules(real_handbook().conversion.regional, ())
CASES = [(o, code, target) for o in real_handbook().conversion.overrides for code, target in o.targets]
IDS = [f"{o.simplified}-{c}" for o, c, _ in CASES]


def converters(rules=real_handbook().conversion):
    return {code: Converter(BY_CODE[code], rules) for code in ("zh-hk", "zh-tw")}


@pytest.mark.parametrize("override, code, target", CASES, ids=IDS)
def test_each_override_fixes_what_opencc_gets_wrong_where_it_occurs(override, code, target):
    with_fix, without = Converter(BY_CODE[code], real_handbook().conversion), Converter(BY_CODE[code], REGIONAL_ONLY)
    texts = [t for m in real_handbook().content.measures for t in (m.title, m.text) if override.simplified in t]
    texts += [t.name for t in real_handbook().content.topics if override.simplified in t.name]
    assert texts, "the phrase occurs nowhere"
    needed = False
    for text in texts:
        fixed = with_fix(text)
        for at in range(len(text)):
            if text.startswith(override.simplified, at):
                assert fixed[at:at + len(target)] == target, (text, fixed)
                needed |= without(text)[at:at + len(target)] != target
    assert needed, "OpenCC (with the regional forms) already writes this everywhere: the override is not needed"


@pytest.mark.parametrize("override, code, target", CASES, ids=IDS)
def test_each_override_applies_in_its_contexts_and_never_in_its_exclusions(override, code, target):
    with_fix, without = Converter(BY_CODE[code], real_handbook().conversion), Converter(BY_CODE[code], REGIONAL_ONLY)
    for context in override.applies_in:
        at = context.index(override.simplified)
        assert with_fix(context)[at:at + len(target)] == target
    for context in override.not_in:
        assert with_fix(context) == without(context), context


# Texts of our own, listed in no entry: a fix's phrase made of pieces of other words. Each must convert
# exactly as OpenCC (with the regional forms) alone converts it.
PIECES_OF_OTHER_WORDS = [
    "坚持高标准营造一流环境", "开展精准营销活动", "以高水准营运管理", "经批准营业的单位", "标准营养餐",
    "用户表示满意", "客户表格已提交", "请住户表达意见", "用户表单", "开户表明身份",
    "书面答复议员提问", "及时回复议题", "经反复议定", "予以答复议会",
    "新配制度数较高的白酒", "厂内制度量衡器具", "一位金发挥手致意", "成败不系统帅一人",
]


@pytest.mark.parametrize("text", PIECES_OF_OTHER_WORDS)
def test_a_fix_never_fires_inside_other_words(text):
    for code, convert in converters().items():
        assert convert(text) == Converter(BY_CODE[code], REGIONAL_ONLY)(text), (code, text)


# And texts where the phrase is whole words, also listed nowhere: the fix applies.
WHOLE_WORDS = [("推进企业准营便利化", "准营", "准營"), ("申请复议的期限", "复议", "復議"),
               ("打通食品准营堵点", "准营", "准營"), ("数据不系统", "不系统", "不系統")]


@pytest.mark.parametrize("text, phrase, target", WHOLE_WORDS)
def test_a_fix_applies_where_its_phrase_is_whole_words(text, phrase, target):
    at = text.index(phrase)
    for convert in converters().values():
        assert convert(text)[at:at + len(target)] == target


def test_a_listed_exclusion_wins_over_the_word_guard():
    override = Override("准营", (("zh-tw", "准營"),), "test", not_in=("食品准营",))
    assert placement(override, "食品准营", 2) == "not_in"
    assert placement(dataclasses.replace(override, not_in=()), "食品准营", 2) == "words"
    assert Converter(BY_CODE["zh-tw"], ConversionRules((), (override,)))("食品准营") == "食品準營"


def test_overlapping_fixes_the_longer_wins():
    long, short = Override("行政复议", (("zh-tw", "行政覆議"),), "test"), Override("复议", (("zh-tw", "復議"),), "test")
    assert Converter(BY_CODE["zh-tw"], ConversionRules((), (short, long)))("申请行政复议") == "申請行政覆議"


REGIONAL_CASES = [(f.edition, f) for f in real_handbook().conversion.regional]


@pytest.mark.parametrize("code, form", REGIONAL_CASES, ids=[f"{f.edition}-{f.opencc}" for _, f in REGIONAL_CASES])
def test_each_regional_form_replaces_opencc_in_its_example(code, form):
    edition = BY_CODE[code]
    written = opencc.OpenCC(edition.opencc).convert(form.example)
    assert form.opencc in written, "OpenCC does not write this form for the example"
    converted = Converter(edition, real_handbook().conversion)(form.example)
    at = written.index(form.opencc)
    assert converted[at:at + len(form.writes)] == form.writes
    other = "zh-tw" if code == "zh-hk" else "zh-hk"
    if not any(f.edition == other and f.opencc == form.opencc for f in real_handbook().conversion.regional):
        assert Converter(BY_CODE[other], real_handbook().conversion)(form.example) == \
            Converter(BY_CODE[other], ConversionRules())(form.example), "a form leaked into the other edition"


def test_regional_forms_read_by_eye():
    hk, tw = converters().values()
    assert hk("广州市税务局") == "廣州市稅務局" and tw("广州市税务局") == "廣州市稅務局"
    assert hk("卫生健康委") == "衞生健康委" and tw("卫生健康委") == "衛生健康委"
    assert hk("信息平台") == "信息平台" and tw("信息平台") == "信息平臺"
    assert hk("暂不发布其失信信息") == "暫不發布其失信信息" == tw("暂不发布其失信信息")
    assert hk("每周至少") == "每周至少" and tw("每周至少") == "每週至少"
    assert hk("一户式") == "一戶式" and hk("政策兑现") == "政策兌現" and hk("说明") == "說明"


def test_override_examples_read_by_eye():
    hk, tw = converters().values()
    assert hk("设立黄埔人才引导基金发挥政府投资杠杆作用") == "設立黃埔人才引導基金發揮政府投資槓桿作用"
    assert tw("行政复议") == "行政復議" and tw("推动复议当事人") == "推動復議當事人"
    assert hk("户表改造") == "戶錶改造" and tw("户表改造") == "戶表改造"
    assert tw("高标准营造") == "高標準營造" and tw("食品准营") == "食品准營"


def test_quotation_marks_become_corner_brackets():
    tw = Converter(BY_CODE["zh-tw"])
    assert tw("推出“苗圃贷”和‘金穗’") == "推出「苗圃貸」和『金穗』"
    assert tw("服务水平”。") == "服務水平」。"  # unbalanced, as in measure 27
    assert Converter(BY_CODE["zh-hans"])("“苗圃贷”") == "“苗圃贷”"


def test_s2tw_keeps_vocabulary():
    tw = Converter(BY_CODE["zh-tw"], real_handbook().conversion)
    assert tw("支持信息软件") == "支持信息軟件"  # s2twp would give 支援資訊軟體


def test_ids_dates_and_numbers_never_pass_through_opencc():
    for edition in [e for e in EDITIONS if e.converted]:
        converted = convert_content(real_handbook().content, Converter(edition, real_handbook().conversion))
        for before, after in zip(real_handbook().content.measures, converted.measures):
            assert (after.id, after.source, after.number, after.category, after.units, after.topics) == \
                   (before.id, before.source, before.number, before.category, before.units, before.topics)
            assert after.text != before.text
        for before, after in zip(real_handbook().content.sources, converted.sources):
            assert (after.id, after.date, after.seed) == (before.id, before.date, before.seed)
            assert [c.id for c in after.categories] == [c.id for c in before.categories]


@pytest.mark.parametrize("name", ["STCharacters", "STPhrases", "STPhrases_GeneratedFromRegionalPhrases",
                                  "HKVariants", "HKVariantsPhrases", "TWVariants", "TWVariantsPhrases"])
def test_opencc_dictionaries_keep_the_length(name):
    """The converter places rules by position: every OpenCC entry s2hk and s2tw use keeps its length."""
    entries = dictionary(name)
    assert len(entries) > 10
    assert all(len(value) == len(key) for key, values in entries.items() for value in values)


@given(st.text(alphabet="发展范围后续参与制造“”‘’金发挥基户表行政复议准营高标税说台布abc 12。，"))
def test_conversion_keeps_length(text):
    for edition in EDITIONS:
        assert len(Converter(edition, real_handbook().conversion)(text)) == len(text)


@given(st.lists(st.sampled_from(["高标准", "营造", "准营", "食品", "用户", "表示", "户表", "改造", "行政",
                                 "复议", "答复", "议员", "基金", "发挥", "金发", "挥手", "不", "系统", "。"]),
                max_size=8).map("".join))
def test_fixes_change_only_whole_words_or_listed_contexts(text):
    """Wherever the output differs from OpenCC's (with the regional forms), an override decided it,
    at a place where its phrase is whole words or in one of its listed contexts."""
    for code, convert in converters().items():
        plain = Converter(BY_CODE[code], REGIONAL_ONLY)(text)
        converted, decisions = convert.convert(text)
        fixes = [d for d in decisions if isinstance(d.rule, Override)]
        for at, (a, b) in enumerate(zip(converted, plain)):
            if a != b:
                assert any(d.start <= at < d.end for d in fixes), (code, text)
        for d in fixes:
            assert placement(d.rule, text, d.start) in ("words", "applies_in"), (code, text)

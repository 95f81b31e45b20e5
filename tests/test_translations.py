"""Translations: each rule of the translation check fails on a broken translation, a change of the Chinese
makes its translation out of date (located, with what changed), and the translated edition's pages say
what they are: a translation, one that predates the Chinese, or the Chinese for want of one."""

from __future__ import annotations

import re
import shutil
import subprocess
from html.parser import HTMLParser

import pytest

from handbook.build.builder import build
from handbook.commands.cli import main
from handbook.content.checks import check_content
from handbook.content.translations import (chinese_numbers, chinese_outside_quotes, english_numbers,
                                           missing_numbers, missing_terms, paragraphs)
from handbook.diagnostics import ContentError
from handbook.model import Term
from tests.conftest import ROOT

FIXTURE = ROOT / "tests/fixture"
FIRST = "content/translations/en/fixture-batch1/01.yaml"


@pytest.fixture
def fixture(tmp_path, monkeypatch):
    """The fixture handbook in a scratch folder, which is the working directory."""
    for folder in ("content", "seeds"):
        shutil.copytree(FIXTURE / folder, tmp_path / folder)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def translation_warnings(project) -> list:
    handbook = check_content(project / "content")
    return [d for d in handbook.warnings if "/translations/" in d.path]


def edit(path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


# --- the rules, one by one --------------------------------------------------------------------------

@pytest.mark.parametrize("chinese, english", [
    ("110个工作日", "110 working days"),
    ("1万平方米", "10,000 square metres"),
    ("10.9亿元", "1.09 billion yuan"),
    ("4000万元", "RMB 40 million"),
    ("10.69万户", "106,900 households"),
    ("1610亿", "161 billion"),
    ("100%", "100%"),
    ("2022年8月9日", "9 August 2022"),
    ("从1年半压缩至3个月", "from 1.5 years to 3 months"),
    ("从1年半压缩至3个月", "from 1 and a half years to 3 months"),
])
def test_a_number_converted_is_found(chinese, english):
    assert missing_numbers(chinese, english) == []


@pytest.mark.parametrize("chinese, english, missing", [
    ("110个工作日", "working days", ["110"]),
    ("1万平方米", "1 square metres", ["1万"]),  # 万 skipped, not converted
    ("10.9亿元", "10.9 yuan", ["10.9亿"]),
    ("10.9亿元", "10.9 billion yuan", ["10.9亿"]),  # converted wrongly
    ("从312项精简到119项", "from 312 items to 19", ["119"]),
    ("从1年半压缩至3个月", "from 1 year to 3 months", ["1年半"]),  # the half left out
    ("1.5万平方米", "1.5 square metres", ["1.5万"]),
])
def test_a_number_omitted_or_not_converted_is_named(chinese, english, missing):
    assert missing_numbers(chinese, english) == missing


def test_numbers_are_read_as_values():
    assert [v for _, v in chinese_numbers("36万，2.76亿，1万亿")] == [360000.0, 276000000.0, 1e12]
    assert english_numbers("360,000 and 276 million, 1 trillion in March") >= {360000.0, 276000000.0, 1e12, 3.0}


TERM = Term("business-licence", "营业执照", (("en", "business licence"),))


@pytest.mark.parametrize("english", ["a business licence", "Business Licences are", "the business-licence's"])
def test_the_termbase_rendering_is_found_in_any_form(english):
    assert missing_terms((TERM,), "en", "申领营业执照", english) == []


def test_a_term_rendered_otherwise_is_named():
    assert missing_terms((TERM,), "en", "申领营业执照", "a trading permit") == [(TERM, "business licence")]
    assert missing_terms((TERM,), "en", "不涉及执照", "a trading permit") == []  # the Chinese lacks the term


def test_chinese_outside_quotation_marks_is_found():
    assert chinese_outside_quotes("the “穗好办” app") == []
    assert chinese_outside_quotes("the 穗好办 app, and “一网通办”") == [(4, "穗好办")]
    assert chinese_outside_quotes("full-width，comma") == [(10, "，")]


def test_paragraphs_are_counted_between_blank_lines():
    assert paragraphs("one\n\ntwo\nstill two\n\n\nthree\n") == 3


# --- the rules in check, located ------------------------------------------------------------------

def test_the_fixture_translations_pass_and_the_summary_counts(fixture, capsys):
    assert translation_warnings(fixture) == []
    assert main(["--content", str(fixture / "content"), "check"]) == 0
    out = capsys.readouterr().out
    assert "check: en: 2 of 3 measures translated, 1 untranslated, 0 out of date, 0 translation warnings" in out


@pytest.mark.parametrize("old, new, message", [
    ("covering 1+3+4 areas", "covering several areas", 'lacks the number "1"'),
    ("developing digital government", "developing e-government", "lacks its rendering \"digital government\""),
    ("Promoting online handling", "Promoting 线上 handling", 'Chinese characters "线上" outside quotation marks'),
    ("Promoting online handling, achieving", "Promoting online handling.\n\n  Achieving", "has 2 paragraph(s)"),
])
def test_each_broken_rule_is_a_located_warning(fixture, old, new, message):
    edit(fixture / FIRST, old, new)
    [warning] = [w for w in translation_warnings(fixture) if message in w.message]
    assert warning.path == FIRST and warning.line >= 5 and warning.severity == "warning"
    assert warning.hint


def test_chinese_characters_are_located_to_the_character(fixture):
    edit(fixture / FIRST, "Promoting online handling", "Promoting 线上 handling")
    [warning] = [w for w in translation_warnings(fixture) if "outside quotation" in w.message]
    line = (fixture / FIRST).read_text(encoding="utf-8").split("\n")[warning.line - 1]
    assert line[warning.col - 1:].startswith("线上")


def test_a_translation_of_no_measure_or_in_no_edition_is_an_error(fixture):
    wrong = fixture / "content/translations/fr/fixture-batch1/01.yaml"
    wrong.parent.mkdir(parents=True)
    shutil.copy(fixture / FIRST, wrong)
    edit(fixture / FIRST, "measure: fixture-batch1-01", "measure: fixture-batch1-09")
    with pytest.raises(ContentError) as raised:
        check_content(fixture / "content")
    messages = [d.message for d in raised.value.diagnostics if d.is_error]
    assert any('"fixture-batch1-09" is no measure' in m for m in messages)
    assert any('"fr" is no translated edition' in m for m in messages)


def test_untranslated_metadata_is_named(fixture):
    edit(fixture / "content/units.yaml", "  en:\n    name: Guangzhou Municipal Justice Bureau\n    official: true\n"
         "    evidence: the fixture's own, as content/units.yaml records a real one\n", "")
    warnings = check_content(fixture / "content").warnings
    assert any(w.path == "content/units.yaml" and "has no en name" in w.message for w in warnings)


# --- kept in step -----------------------------------------------------------------------------------

def git(folder, *args):
    subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.org", *args], cwd=folder, check=True,
                   capture_output=True)


def change_the_chinese(project):
    """Measure 3's text changed in its seed and its content file together, as a corrected seed would."""
    edit(project / "seeds/fixture-notice.txt", "提供线上服务。", "提供线上和线下服务。")
    edit(project / "content/measures/fixture-batch1/03.yaml", "提供线上服务。", "提供线上和线下服务。")


def test_a_changed_chinese_text_makes_its_translation_out_of_date(fixture, capsys):
    git(fixture, "init", "-q")
    git(fixture, "add", ".")
    git(fixture, "commit", "-q", "-m", "translated")
    change_the_chinese(fixture)

    [stale] = [w for w in translation_warnings(fixture) if "out of date" in w.message]
    assert stale.path == "content/translations/en/fixture-batch1/03.yaml" and stale.field == "translated_from"
    assert stale.line == 3
    assert "…议制度，提供线上{+和线下+}服务。…" in stale.message  # what changed in the Chinese, from git
    assert "python3 build.py translated fixture-batch1-03" in stale.hint
    assert main(["--content", str(fixture / "content"), "check"]) == 0
    assert "1 out of date" in capsys.readouterr().out

    site = fixture / "site"
    build(ROOT, fixture / "content", site)
    page = (site / "en/measures/fixture-batch1-03/index.html").read_text(encoding="utf-8")
    assert "earlier version of the Chinese text" in page  # strings-en.yaml: translation_stale

    # Updated (here: left as it is) and recorded: in step again.
    assert main(["--content", str(fixture / "content"), "translated", "fixture-batch1-03"]) == 0
    assert [w for w in translation_warnings(fixture) if "out of date" in w.message] == []


def test_without_history_the_warning_says_so(fixture):
    change_the_chinese(fixture)  # no git repository here
    [stale] = [w for w in translation_warnings(fixture) if "out of date" in w.message]
    assert "not in this repository's history" in stale.message


def test_translated_refuses_an_unknown_measure_and_writes_nothing(fixture, capsys):
    before = (fixture / FIRST).read_bytes()
    assert main(["--content", str(fixture / "content"), "translated", "fixture-batch1-01", "no-such-measure"]) == 1
    assert '"no-such-measure" is no measure' in capsys.readouterr().err
    assert (fixture / FIRST).read_bytes() == before


# --- the pages --------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def site(tmp_path_factory):
    out = tmp_path_factory.mktemp("translated") / "site"
    build(ROOT, FIXTURE / "content", out)
    return out


def read(site, path: str) -> str:
    return (site / path).read_text(encoding="utf-8")


def test_a_translated_page_says_it_is_unofficial_and_links_the_chinese(site):
    html = read(site, "en/measures/fixture-batch1-01/index.html")
    assert '<html lang="en"' in html
    notice = html.index('class="notice translation"')
    assert notice < html.index('id="text"')  # above the text
    assert 'href="/handbook/zh-hans/measures/fixture-batch1-01/" hreflang="zh-Hans"' in html[notice:]
    assert "Optimising the “One Network for All Services” service" in html
    assert '“<span lang="zh-Hans">一网通办</span>”' in html  # a name kept in Chinese, marked
    assert '"translationOfWork"' in html and '"inLanguage": "en"' in html


def test_an_untranslated_measure_shows_the_chinese_with_a_notice(site):
    html = read(site, "en/measures/fixture-batch1-02/index.html")
    assert "has not been translated yet" in html
    assert re.search(r'<div class="text" lang="zh-Hans"><p id="p1"><span class="s" id="p1-s1">'
                     r'<a [^>]*aria-label="Item 2, sentence 1"[^>]*></a>建立后续监管机制', html)
    assert '"inLanguage": "zh-Hans"' in html and "translationOfWork" not in html


@pytest.mark.parametrize("code", ["zh-hans", "zh-hk", "zh-tw", "en"])
def test_the_parallel_page_pairs_paragraphs_in_every_edition(site, code):
    html = read(site, f"{code}/parallel/fixture-batch1-03/index.html")
    chinese = {"zh-hans": "完善行政复议制度", "zh-hk": "完善行政復議制度", "zh-tw": "完善行政復議制度", "en": "完善行政复议制度"}
    pair = html.index('<div class="pair">')
    assert html.index(chinese[code], pair) < html.index("Improving the administrative reconsideration system", pair)
    assert 'lang="en"><p>Improving' in html
    measure = read(site, f"{code}/measures/fixture-batch1-03/index.html")
    assert f'href="/handbook/{code}/parallel/fixture-batch1-03/"' in measure


def test_the_english_parallel_page_offers_each_chinese_script(site):
    html = read(site, "en/parallel/fixture-batch1-03/index.html")
    for code in ("zh-hans", "zh-hk", "zh-tw"):
        assert f'href="/handbook/{code}/parallel/fixture-batch1-03/"' in html


def test_english_pages_write_dates_citations_and_lists_in_english(site):
    html = read(site, "en/measures/fixture-batch1-03/index.html")
    assert '<time datetime="2099-01-02">2 January 2099</time>' in html
    assert "年" not in html.split('<section aria-labelledby="cite"')[1].split("</section>")[0]
    feed = read(site, "en/feed.xml")
    assert 'xml:lang="en"' in feed or "<title>Test Handbook" in feed


def test_the_chooser_and_every_page_link_the_english_edition(site):
    chooser = read(site, "index.html")
    assert 'hreflang="en"' in chooser and 'data-variant="en"' in chooser
    for code in ("zh-hans", "zh-hk", "zh-tw"):
        html = read(site, f"{code}/topics/regulation/index.html")
        assert '<link rel="alternate" hreflang="en" href="https://example.org/handbook/en/topics/regulation/">' in html


def test_a_term_written_only_inside_a_longer_one_is_the_longer_ones_concern():
    bay = Term("greater-bay-area", "粤港澳大湾区", (("en", "Guangdong-Hong Kong-Macao Greater Bay Area"),))
    hk = Term("hong-kong-macao", "港澳", (("en", "Hong Kong and Macao"),))
    english = "in the Guangdong-Hong Kong-Macao Greater Bay Area"
    assert missing_terms((bay, hk), "en", "粤港澳大湾区建设", english) == []
    assert missing_terms((bay, hk), "en", "粤港澳大湾区和港澳", english) == [(hk, "Hong Kong and Macao")]


@pytest.mark.parametrize("rendering, english", [("listing", "listed companies"), ("property", "properties"),
                                                ("approval", "approvals"), ("processing", "processed"),
                                                ("site survey", "joint site surveys"), ("apply", "applied")])
def test_an_inflected_rendering_counts(rendering, english):
    term = Term("t", "词", (("en", rendering),))
    assert missing_terms((term,), "en", "词", english) == []


@pytest.mark.parametrize("rendering, english", [("survey", "surveillance"), ("property", "propel"),
                                                ("site survey", "site and survey")])
def test_another_word_is_not_an_inflection(rendering, english):
    term = Term("t", "词", (("en", rendering),))
    assert missing_terms((term,), "en", "词", english) == [(term, rendering)]


def test_a_term_inside_a_word_that_is_not_it_needs_no_rendering():
    """调解 (mediation) in 协调解决 (coordinate and resolve) is no mediation: the term's not_in says so, for the
    translation check and for the measure pages' term lists alike."""
    mediation = Term("mediation", "调解", (("en", "mediation"),), not_in=("协调解决",))
    english = "the problem is coordinated and resolved"
    assert missing_terms((mediation,), "en", "现场协调解决问题", english) == []
    assert missing_terms((mediation,), "en", "协调解决问题，再行调解", english) == [(mediation, "mediation")]
    assert mediation.spans("协调解决问题，再行调解") == [(9, 11)]


def test_a_text_also_word_holds_the_shorter_terms_inside_it():
    """粤港澳大湾区 is the Greater Bay Area's other word: 港澳 inside it needs no "Hong Kong and Macao"."""
    bay = Term("greater-bay-area", "大湾区", (("en", "Greater Bay Area"),), text_also=("粤港澳大湾区",))
    hk = Term("hong-kong-macao", "港澳", (("en", "Hong Kong and Macao"),))
    assert missing_terms((bay, hk), "en", "粤港澳大湾区建设", "Guangdong-Hong Kong-Macao Greater Bay Area") == []


def test_a_translation_without_its_digest_is_a_warning_until_recorded(fixture):
    path = fixture / FIRST
    path.write_text("\n".join(l for l in path.read_text(encoding="utf-8").split("\n")
                              if not l.startswith("translated_from")), encoding="utf-8")
    [warning] = [w for w in translation_warnings(fixture) if "records no translated_from" in w.message]
    assert warning.path == FIRST and "python3 build.py translated fixture-batch1-01" in warning.hint
    assert main(["--content", str(fixture / "content"), "translated", "fixture-batch1-01"]) == 0
    assert 'translated_from: "' in path.read_text(encoding="utf-8").split("\n")[2]
    assert translation_warnings(fixture) == []


class _EnglishText(HTMLParser):
    """The text of a page that stands in English: outside any element marked lang="zh-…"."""

    VOID = {"meta", "link", "br", "img", "input", "hr", "source", "wbr"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack, self.english = [("", "en")], []

    def handle_starttag(self, tag, attrs):
        if tag not in self.VOID:
            self.stack.append((tag, dict(attrs).get("lang") or self.stack[-1][1]))

    def handle_endtag(self, tag):
        while len(self.stack) > 1 and self.stack.pop()[0] != tag:
            pass

    def handle_data(self, data):
        if self.stack[-1][1] == "en" and self.stack[-1][0] not in ("script", "style"):
            self.english.append(data)


def test_english_text_has_no_chinese_punctuation(site):
    """A template's ：, 、 or （ in English text (Source document：) shows as Chinese typography."""
    pages = sorted((site / "en").rglob("*.html"))
    assert len(pages) > 15
    for page in pages:
        reader = _EnglishText()
        reader.feed(page.read_text(encoding="utf-8"))
        text = "".join(reader.english)
        assert not re.search(r"[：，、。（）《》；]", text), (page, re.findall(r".{0,20}[：，、。（）《》；].{0,5}", text))

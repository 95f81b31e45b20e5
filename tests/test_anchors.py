"""Paragraph and sentence anchors: how sentences are counted, that the text is untouched, that every
edition carries the same anchors, and that an anchor stays on its sentence when another one changes."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from hypothesis import given, strategies as st
from markdown_it import MarkdownIt

from handbook.editions import EDITIONS
from handbook.site.anchors import Labels, anchors_plugin, paragraph_sentence_counts, sentences
from tests.conftest import real_handbook

MD = MarkdownIt("commonmark", {"html": False}).use(anchors_plugin)
LABELS = Labels(lambda p, s: f"第5项 第{s}句", lambda p: f"第5项 第{p}段")
TWO_PARAGRAPHS = Labels(lambda p, s: f"第5项 第{p}段 第{s}句", lambda p: f"第5项 第{p}段")


@pytest.mark.parametrize("text, expected", [
    ("推行信任进场。推行信任审批。", ["推行信任进场。", "推行信任审批。"]),
    ("实现“引进即筹建”。推行信任审批", ["实现“引进即筹建”。", "推行信任审批"]),  # the last may run on
    ("他说：“先办。”然后再批。", ["他说：“先办。”", "然后再批。"]),  # a quote that ends a sentence
    ("称为“先办。”；其余照旧。", ["称为“先办。”；其余照旧。"]),  # 。”； ends the quote, not the sentence
    ("可以吗？可以！好。", ["可以吗？", "可以！", "好。"]),
    ("配套深化「中介服务超市」改革。加强建设。", ["配套深化「中介服务超市」改革。", "加强建设。"]),
    ("（见附件。）下一句。", ["（见附件。）", "下一句。"]),
    ("……等等。", ["……等等。"]),  # an ellipsis does not end a sentence
    ("Costs fell, e.g. by half. Then 100% of files. “Quoted.” Next", ["Costs fell, e.g. by half.",
                                                                     "Then 100% of files.", "“Quoted.”", "Next"]),
    ("Section 3.2 applies. No. 5 too.", ["Section 3.2 applies.", "No.", "5 too."]),  # digits start sentences
])
def test_sentences_are_counted_where_a_reader_counts_them(text, expected):
    assert sentences(text) == expected


class _Anchors(HTMLParser):
    """The ids of a rendered text in order, each sentence's text, and the text with the anchors' links."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.ids, self.texts, self.labels, self.open, self.all_text = [], {}, {}, [], []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "a" and "ref" in (a.get("class") or ""):
            if "para" not in a["class"]:  # a sentence's link leads its span and points at it
                assert a["href"] == f"#{self.open[-1]}"
            self.labels[a["href"][1:]] = (a["aria-label"], a["data-ref"])
        if a.get("id"):
            self.ids.append(a["id"])
        if tag == "span" and a.get("id"):
            self.open.append(a["id"])
            self.texts[a["id"]] = ""

    def handle_endtag(self, tag):
        if tag == "span" and self.open:
            self.open.pop()

    def handle_data(self, data):
        self.all_text.append(data)
        for anchor in self.open:
            self.texts[anchor] += data


def anchors_of(html: str) -> _Anchors:
    reader = _Anchors()
    reader.feed(html)
    return reader


def test_each_paragraph_and_sentence_gets_its_anchor_and_name():
    html = MD.render("第一句。第二句，**重点。仍在强调**之内。\n\n另一段。", {"anchors": TWO_PARAGRAPHS})
    found = anchors_of(html)
    assert found.ids == ["p1", "p1-s1", "p1-s2", "p2", "p2-s1"]  # an end inside emphasis does not split
    assert found.texts == {"p1-s1": "第一句。", "p1-s2": "第二句，重点。仍在强调之内。", "p2-s1": "另一段。"}
    assert found.labels["p1-s2"] == ("第5项 第1段 第2句", "第5项 第1段 第2句")
    assert found.labels["p2"] == ("第5项 第2段",) * 2


def test_without_labels_markdown_renders_as_before():
    assert MD.render("第一句。第二句。") == "<p>第一句。第二句。</p>\n"


def test_a_name_is_escaped():
    html = MD.render("一句。", {"anchors": Labels(lambda p, s: f'<b>"{s}', str)})
    assert '<b>' not in html and 'aria-label="&lt;b&gt;&quot;1"' in html


def test_a_translation_that_does_not_follow_sentence_by_sentence_keeps_the_chinese_anchors():
    labels = Labels(lambda p, s: f"Item 2, sentence {s}", lambda p: f"Item 2, paragraph {p}", chinese_counts=(3,))
    html = MD.render("One. Two.", {"anchors": labels})
    found = anchors_of(html)
    assert found.ids == ["p1", "p1-s1", "p1-s2", "p1-s3"]  # every Chinese anchor lands on the paragraph
    assert found.texts == {"p1-s1": "", "p1-s2": "", "p1-s3": ""}
    aligned = anchors_of(MD.render("One. Two. Three.", {"anchors": labels}))
    assert aligned.texts == {"p1-s1": "One.", "p1-s2": "Two.", "p1-s3": "Three."}


SENTENCE = st.builds(lambda first, rest, end: first + rest + end, st.sampled_from("改革审批企业服务推行"),
                     st.text(st.sampled_from("改革审批企业服务，、“”《》abc 12"), max_size=12),
                     st.sampled_from(["。", "！", "？", "。”"]))  # a sentence as the measures write one


@given(st.lists(SENTENCE, min_size=2, max_size=8), st.data())
def test_an_anchor_stays_on_its_sentence_when_another_sentence_changes(parts, data):
    parts = [p for p in parts if sentences(p) == [p]]  # each a sentence of its own
    if len(parts) < 2:
        return
    changed = data.draw(st.integers(0, len(parts) - 1))
    edited = list(parts)
    edited[changed] = data.draw(SENTENCE.filter(lambda s: sentences(s) == [s]))
    before = anchors_of(MD.render("".join(parts), {"anchors": LABELS})).texts
    after = anchors_of(MD.render("".join(edited), {"anchors": LABELS})).texts
    assert set(before) == set(after) == {f"p1-s{i + 1}" for i in range(len(parts))}
    for i in range(len(parts)):
        if i != changed:
            assert before[f"p1-s{i + 1}"] == after[f"p1-s{i + 1}"]


def _text_div(page: str) -> str:
    return page.split('<div class="text"', 1)[1].split(">", 1)[1].split("</div>", 1)[0]


def _ids(html: str) -> list[str]:
    return re.findall(r'\sid="(p\d+(?:-s\d+)?)"', html)


@pytest.fixture(scope="module")
def site(real_site):
    return real_site()


def test_every_edition_carries_the_same_anchors_and_the_text_unchanged(site):
    handbook = real_handbook()
    plain = MarkdownIt("commonmark", {"html": False})
    chinese = [e for e in EDITIONS if e.lang.startswith("zh")]
    for measure in handbook.content.measures:
        counts = paragraph_sentence_counts(plain, measure.text)
        expected = [i for p, n in enumerate(counts, 1) for i in [f"p{p}"] + [f"p{p}-s{s}" for s in range(1, n + 1)]]
        for edition in EDITIONS:
            page = (site / edition.code / "measures" / measure.id / "index.html").read_text(encoding="utf-8")
            found = anchors_of(_text_div(page))
            assert found.ids == expected, (edition.code, measure.id)
            if edition == EDITIONS[0]:  # the sentences put back together are the text: nothing lost or added
                assert "".join(found.all_text) == "".join(anchors_of(plain.render(measure.text)).all_text)
            if edition in chinese:
                assert all(found.texts.values()), (edition.code, measure.id)  # each sentence its own words
    assert sum(len(sentences(m.text)) for m in handbook.content.measures) > 3 * len(handbook.content.measures)


def test_the_converted_editions_split_where_the_source_does(site):
    for measure in real_handbook().content.measures:
        texts = {}
        for code in ("zh-hans", "zh-hk", "zh-tw"):
            page = (site / code / "measures" / measure.id / "index.html").read_text(encoding="utf-8")
            texts[code] = anchors_of(_text_div(page)).texts
        for anchor, text in texts["zh-hans"].items():  # the same sentence: as long, ending with the same mark
            for code in ("zh-hk", "zh-tw"):
                assert len(texts[code][anchor]) == len(text) and texts[code][anchor][-1] == text[-1], \
                    (code, measure.id, anchor)

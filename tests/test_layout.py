"""Laying out again only what an edit touched (layout.py) gives what laying out everything gives."""

from __future__ import annotations

import datetime
import random
from dataclasses import replace

import pytest

from handbook.convert.converter import Converters
from handbook.site.layout import changed_in_place, full_layout, updated_layout, updated_related
from handbook.model import Content
from handbook.site.index import Index, related_ids, term_ids
from handbook.site.pages import Across
from handbook.site.plan import plan_site
from handbook.site.strings import load_strings
from tests.conftest import ROOT, real_handbook

STRINGS = {"about_title": "关于", "search_title": "搜索", "glossary_title": "用语", "glossary_intro": "同一概念", "sources": "来源",
           "topics": "主题", "categories": "分类", "units": "单位", "all_measures": "全部"}
BUNDLES = ("/pagefind/zh-hans/0/",)
PAGE_SIZE = 3  # short lists: an edit moves measures across pages


def laid_out(content: Content):
    index = Index(content)
    related = related_ids(index)
    return full_layout(index, STRINGS, across(content, related), PAGE_SIZE), related


def across(content: Content, related) -> Across:
    return Across(related, {m.id: term_ids(m, content.terms) for m in content.measures}, BUNDLES)


def edited(content: Content, rng: random.Random) -> Content:
    """One to three measures changed in place: topics, units, category, title or text."""
    topics, units = [t.id for t in content.topics], [u.id for u in content.units]
    sources = {s.id: s for s in content.sources}
    measures = list(content.measures)
    for i in rng.sample(range(len(measures)), rng.randint(1, 3)):
        m = measures[i]
        field = rng.choice(["topics", "units", "category", "title", "text", "expires"])
        if field == "topics":
            m = replace(m, topics=tuple(rng.sample(topics, rng.randint(1, 3))))
        elif field == "units":
            m = replace(m, units=tuple(rng.sample(units, rng.randint(0, 2))))
        elif field == "category":
            m = replace(m, category=rng.choice([None, *(c.id for c in sources[m.source].categories)]))
        elif field == "expires":  # validity dates change in place (a status or successor does not)
            m = replace(m, expires=rng.choice([None, datetime.date(2030, 1, 1), datetime.date(2031, 6, 30)]))
        elif field == "title":
            m = replace(m, title=m.title + "（修订）")
        else:  # the text now writes a term it did not (the glossary and the measure's terms change)
            m = replace(m, text=m.text + rng.choice(["加强知识产权保护。", "推行线上办理。", "优化营商环境。"]))
        measures[i] = m
    return replace(content, measures=tuple(measures))


def with_validity(content: Content) -> Content:
    """Every fifth measure superseded by the one three after it (not a neighbour, whose page is laid out again
    anyway), every seventh expired: the pages that name a successor or the measures it replaces show their
    titles, which edits in place change."""
    measures = list(content.measures)
    for i in range(0, len(measures) - 3, 5):
        measures[i] = replace(measures[i], status="superseded", superseded_by=measures[i + 3].id)
    for i in range(3, len(measures), 7):
        measures[i] = replace(measures[i], status="expired", expires=datetime.date(2024, 1, 1))
    return replace(content, measures=tuple(measures))


@pytest.mark.parametrize("seed", range(8))
def test_edits_laid_out_again_equal_a_full_layout(seed):
    rng = random.Random(seed)
    content = real_handbook().content if seed % 2 else with_validity(real_handbook().content)
    layout, related = laid_out(content)
    for _ in range(15):
        new = edited(content, rng)
        changed = changed_in_place(content, new)
        assert changed, "the edit kept the handbook's shape"
        index = layout.index.updated(new, changed)
        related, differ = updated_related(related, layout.index, index, changed)
        again, fresh = updated_layout(layout, index, STRINGS, across(new, related), differ, changed, PAGE_SIZE)

        full, full_related = laid_out(new)
        assert related == full_related
        assert again.sections == full.sections
        assert again.feed == full.feed
        # What was not laid out again is the very page of the old layout: unchanged, not rendered again.
        fresh_ids = {id(page) for page in fresh}
        old_pages = {id(page) for page in layout.pages}
        assert all(id(page) in fresh_ids or id(page) in old_pages for page in again.pages)
        # The lists the measures are or were on, whole, the fixed pages, and measure pages near them, not the
        # whole handbook: with lists of 3 a page, three measures in two documents moved 93 of 169 pages.
        assert len(fresh) < len(list(full.pages)) * 0.6
        content, layout = new, again


def test_a_change_of_shape_is_laid_out_whole():
    content = real_handbook().content
    measures = content.measures
    assert changed_in_place(content, replace(content, measures=measures[:-1])) is None  # one removed
    renumbered = replace(measures[0], number=measures[0].number + 100)
    assert changed_in_place(content, replace(content, measures=(renumbered, *measures[1:]))) is None
    topic = replace(content.topics[0], description="改")
    assert changed_in_place(content, replace(content, topics=(topic, *content.topics[1:]))) is None
    assert changed_in_place(content, replace(content)) == []


def test_a_rebuild_lays_out_only_what_an_edit_touched():
    """The plan keeps each edition's layout and, after a topic edit, lays out a few pages again,
    and only those are rendered again."""
    handbook = real_handbook()
    strings, converters = load_strings(ROOT / "templates"), Converters()
    before = plan_site(handbook, strings, None, None, converters)
    m = handbook.content.measures[10]
    edit = replace(handbook, content=replace(handbook.content, measures=tuple(
        replace(x, topics=("credit",)) if x is m else x for x in handbook.content.measures)))
    again = plan_site(edit, strings, None, before, converters)
    whole = plan_site(edit, strings, None, None, converters)
    for b, p, w in zip(before.editions, again.editions, whole.editions):
        assert p.layout.sections == w.layout.sections and p.pages == w.pages and p.files == w.files
        assert 0 < len(p.redo) < 30 < len(w.redo) == len(w.pages)
        differ = {key for key, page in w.pages.items() if b.pages.get(key) != page}
        assert differ and differ <= {page.key for page in p.redo}  # every page that differs is rendered again
    assert plan_site(handbook, strings, None, before, converters).editions[0].redo == ()  # nothing changed


def test_related_in_place_is_what_the_updated_index_relates():
    """serve's preview finds an edited measure's related measures in the last build's index, without the
    copy Index.updated makes: the same measures, for any change of topics (random, over every measure)."""
    content = real_handbook().content
    index, topics = Index(content), [t.id for t in content.topics]
    pick = random.Random(18)
    for at, m in enumerate(content.measures):
        for _ in range(3):
            edited = replace(m, topics=tuple(pick.sample(topics, pick.randint(1, 4))))
            measures = content.measures[:at] + (edited,) + content.measures[at + 1:]
            updated = index.updated(replace(content, measures=measures), [at])
            expected = [r.measure.id for r in updated.related(updated.refs[at])]
            assert [r.measure.id for r in index.related_in_place(index.ref_of(edited))] == expected, (m.id, edited.topics)

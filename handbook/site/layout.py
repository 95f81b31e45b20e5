"""An edition's pages kept between builds, and laid out again only where an edit touched them.

pages.edition_sections lays out every page of an edition: at 10,000
measures that is about 0.1 s an edition, work proportional to N after a
one-file edit. Most edits change measures in place (a topic, a unit, a
corrected text): the handbook keeps its shape (the same measures in the
same order, the same documents, topics and units). Then only these change:

- the lists the measure is or was on (its source document, topics,
  category, units), laid out again whole: a list's pages shift when a
  measure joins or leaves it; of measures/ (every measure), only the
  page it is on;
- the pages that are not lists (home and the indexes of topics, units,
  categories: counts, the first measure; the glossary: which measures
  write each term; about: how many conversions are reviewed);
- the pages of the measure, of its neighbours in its document (they link
  to it), and of the measures whose related measures changed or include it;
  its parallel page (its Chinese beside its translation);
- its history page, and the list of changes (they show its title);
- the feed (the same measures or revisions, some of them changed).

Anything else (a measure added, removed, moved or renumbered; a document,
topic, unit or translation edited) lays out everything again: a translation
shows on the parallel pages of every edition. tests/test_layout.py
checks the result against a full layout after edits of every kind.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from ..model import Content, same_objects
from .index import RELATED_LIMIT, Index, memberships
from .history import history_pages
from .pages import (Across, all_measures_pages, changes_list, edition_sections, feed_entries, fixed_pages, list_pages,
                    measure_page, parallel_page)
from .views import ALL, CHANGES, FIXED, MeasureRef, Page, Revision, Section


@dataclass(frozen=True)
class Layout:
    """One edition's pages, by section (pages.edition_sections), and its feed."""

    index: Index
    sections: dict[Section, tuple[Page, ...]]
    feed: tuple[tuple[Revision | None, MeasureRef], ...]

    @property
    def pages(self):
        return (page for pages in self.sections.values() for page in pages)


def full_layout(index: Index, strings: dict[str, str], across: Across, page_size: int | None = None) -> Layout:
    return Layout(index, edition_sections(index, strings, across, page_size), feed_entries(index, across))


def changed_in_place(old: Content, new: Content) -> list[int] | None:
    """Positions of the measures that changed in place; None if the handbook's shape changed."""
    if (len(old.measures) != len(new.measures) or not same_objects(old.sources, new.sources)
            or not same_objects(old.topics, new.topics) or not same_objects(old.units, new.units)
            or not same_objects(old.terms, new.terms) or not same_objects(old.translations, new.translations)):
        return None
    changed = [i for i, (a, b) in enumerate(zip(old.measures, new.measures)) if a is not b]
    for i in changed:
        a, b = old.measures[i], new.measures[i]
        if (a.id, a.source, a.number, a.status, a.superseded_by) != (b.id, b.source, b.number, b.status,
                                                                      b.superseded_by):
            return None  # a status shows in the lists' filters and the search page's, a successor on two pages
    return changed


def same_pages(old: Layout, new: Layout) -> bool:
    """True when both layouts have the same pages (by key): sections laid out again are compared."""
    if old.sections.keys() != new.sections.keys():
        return False
    return all(pages is old.sections[key] or [p.key for p in pages] == [p.key for p in old.sections[key]]
               for key, pages in new.sections.items())


def updated_related(related: dict[str, tuple[str, ...]], old: Index, new: Index,
                    changed: list[int]) -> tuple[dict[str, tuple[str, ...]], set[str]]:
    """Related measures after changes in place, and the measures whose related measures changed.

    A measure's related ones come from its RELATED_LIMIT neighbours on each
    side in each of its topics' lists, so only measures that near a
    measure that joined or left a list can see a difference.
    """
    moved = [i for i in changed if old.refs[i].measure.topics != new.refs[i].measure.topics]
    if not moved:
        return related, set()
    near: set[str] = set()
    for i in moved:
        for index in (old, new):
            m = index.refs[i].measure
            near.add(m.id)
            for topic in m.topics:
                at = index.position[(topic, m.id)]
                members = index.by_topic[topic][max(0, at - RELATED_LIMIT - 1): at + RELATED_LIMIT + 2]
                near.update(ref.measure.id for ref in members)
    out = dict(related)
    differ = set()
    for id in near:
        out[id] = tuple(other.measure.id for other in new.related(new.by_id[id]))
        if out[id] != related[id]:
            differ.add(id)
    return out, differ


def _showing(index: Index, ids: set[str], related: dict[str, tuple[str, ...]]) -> set[str]:
    """Measures whose related measures include one of `ids` (they are near it in a topic list)."""
    out = set()
    for id in ids:
        for topic in index.by_id[id].measure.topics:
            at = index.position[(topic, id)]
            for ref in index.by_topic[topic][max(0, at - RELATED_LIMIT): at + RELATED_LIMIT + 1]:
                if id in related[ref.measure.id]:
                    out.add(ref.measure.id)
    return out


def updated_layout(old: Layout, index: Index, strings: dict[str, str], across: Across, related_changed: set[str],
                   changed: list[int], page_size: int | None = None) -> tuple[Layout, list[Page]]:
    """`old` laid out again where measures at `changed` (changed in place) show; returns the new layout
    and the pages laid out again (the others are the very objects of `old`)."""
    ids = {index.refs[i].measure.id for i in changed}
    sections = dict(old.sections)
    fresh: list[Page] = []
    sections[FIXED] = fixed_pages(index, strings, across)  # home and glossary show measures; about, the review
    fresh.extend(sections[FIXED])
    lists = {s for i in changed for s in memberships(old.index.refs[i].measure) + memberships(index.refs[i].measure)}
    for section in lists:
        sections[section] = list_pages(index, section, page_size)
        fresh.extend(sections[section])
    pages = list(sections[ALL])  # measures/ keeps its order: only the pages the measures are on
    for page in all_measures_pages(index, strings, page_size, changed):
        pages[page.key.page - 1] = page
        fresh.append(page)
    sections[ALL] = tuple(pages)
    again = set(ids) | related_changed | _showing(index, ids, across.related)
    by_source: dict[str, list[str]] = defaultdict(list)
    for id in ids:  # its neighbours link to it, and so do its successor and the measures it supersedes
        refs = index.by_source[index.by_id[id].measure.source]
        at = _place(refs, id)
        again.update(refs[j].measure.id for j in (at - 1, at + 1) if 0 <= j < len(refs))
        again.update(index.supersedes.get(id, ()))
        if index.by_id[id].measure.superseded_by:
            again.add(index.by_id[id].measure.superseded_by)
    for id in again:
        by_source[index.by_id[id].measure.source].append(id)
    for source, members in by_source.items():
        refs, pages = index.by_source[source], list(sections[Section("measures", source)])
        for id in members:
            at = _place(refs, id)
            pages[at] = measure_page(index, refs, at, across)
            fresh.append(pages[at])
        sections[Section("measures", source)] = tuple(pages)
    if CHANGES in sections:  # the list of changes shows every measure's title; a history page, its own
        sections[CHANGES] = changes_list(index, strings, across)
        fresh.extend(sections[CHANGES])
        for id in ids:
            section = Section("history", index.by_id[id].measure.source)
            pages = list(sections[section])
            for at, page in enumerate(pages):
                if page.key.id == id:
                    pages[at], = history_pages([index.by_id[id]], across.histories, strings)
                    fresh.append(pages[at])
            sections[section] = tuple(pages)
    if across.translation is not None:  # a parallel page shows only its own measure
        for id in ids:
            source = index.by_id[id].measure.source
            refs, pages = index.by_source[source], list(sections[Section("parallel", source)])
            at = _place(refs, id)
            pages[at] = parallel_page(refs[at], strings, across)
            fresh.append(pages[at])
            sections[Section("parallel", source)] = tuple(pages)
    return Layout(index, sections, feed_entries(index, across)), fresh


def _place(refs: list[MeasureRef], id: str) -> int:
    return next(i for i, ref in enumerate(refs) if ref.measure.id == id)

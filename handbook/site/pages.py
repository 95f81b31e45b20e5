"""Which pages an edition has: every page's key, template, title and view, laid out in sections.

A pure function of one edition's (already converted) content and its
Index. layout.py keeps the sections between builds and lays out again only
those an edit touched.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache

import re
from itertools import zip_longest

from ..editions import Edition
from ..model import STATUSES, History, Measure, Source
from ..urls import PageKey
from .history import changes_pages, history_pages, measure_history, newest_revisions
from .index import Index
from .views import (AboutView, AllMeasuresView, Counted, DataView, Named, GlossaryEntry, GlossaryView, HomeView, IndexView,
                    ListingView, MeasureHistory, MeasureRef, MeasureView, Page, Pagination, ParallelView, Revision,
                    SearchView, Section, SourceView, ALL, CHANGES, FIXED)
from .wording import fill

PAGE_SIZE = 50  # measures per page of a list: no page lists all measures of a large handbook
FEED_SIZE = 50
GLOSSARY_LINKS = 12  # measures the glossary links for each term; search finds the rest


@dataclass(frozen=True)
class Across:
    """What an edition's pages need that is worked out once, for every edition: ids, never records."""

    related: dict[str, tuple[str, ...]]  # measure id -> its related measures' ids (related_ids)
    terms: dict[str, tuple[str, ...]] = field(default_factory=dict)  # measure id -> term_ids
    bundles: tuple[str, ...] = ()  # the search page's index bundles (urls.search_bundle), the first first
    reviewed: tuple = ()  # (edition code, review.Summary): what the about page says of the review
    editions: tuple[Edition, ...] = ()
    translation: Translated | None = None  # the measures' translation, for parallel pages and translated editions
    translated: tuple = ()  # (edition code, translations.TranslationSummary): what the about page says
    histories: dict[str, MeasureHistory] = field(default_factory=dict)  # measure id -> its revisions here
    history: History = History()  # the content's history: its state, and the order of its commits
    data: DataView | None = None  # this edition's open data page (opendata.publish): its files and their sizes


@dataclass(frozen=True)
class Translated:
    """The source's measures and the (first) translated edition's, by id: a parallel page shows both."""

    originals: dict[str, Measure]
    english: dict[str, Measure]  # as the translated edition shows them (Measure.translation says how)
    chinese_lang: str  # the source edition's
    english_lang: str


def status_names(strings: dict[str, str]) -> dict[str, str]:
    """What the edition calls each status (model.STATUSES): 现行有效, 已被取代, 已失效."""
    return {status: strings[f"status_{status.replace('-', '_')}"] for status in STATUSES}


def paginated(refs, page_size: int):
    """(Pagination, slice) for each page of a list; one empty page for an empty list."""
    for number in range(1, _page_count(refs, page_size) + 1):
        yield _page_of(refs, number, page_size)


def _page_count(refs, page_size: int) -> int:
    return max(1, -(-len(refs) // page_size))


def _page_of(refs, number: int, page_size: int):
    """(Pagination, slice) of page `number` of a list."""
    start = (number - 1) * page_size
    chunk = tuple(refs[start:start + page_size])
    return Pagination(number, _page_count(refs, page_size), len(refs), start + 1, len(chunk)), chunk


def _grouped(refs: tuple[MeasureRef, ...]) -> tuple:
    """Consecutive measures of one category together, for a source page."""
    groups: list = []
    for ref in refs:
        if groups and groups[-1][0] == ref.category:
            groups[-1][1].append(ref)
        else:
            groups.append((ref.category, [ref]))
    return tuple((category, tuple(items)) for category, items in groups)


def edition_sections(index: Index, strings: dict[str, str], across: Across,
                     page_size: int | None = None) -> dict[Section, tuple[Page, ...]]:
    """Every page of one edition, in sections, in a fixed order. layout.py lays out again only the
    sections an edit touched."""
    content = index.content
    sections: dict[Section, tuple[Page, ...]] = {FIXED: fixed_pages(index, strings, across)}
    keys = [Section("source", s.id) for s in content.sources] + [Section("topic", t.id) for t in content.topics]
    keys += [Section("category", c_id) for c_id in index.categories] + [Section("unit", u.id) for u in content.units]
    keys += [Section("status", c.key.id) for c in index.counted("status")]
    for key in keys:
        sections[key] = list_pages(index, key, page_size)
    sections[ALL] = all_measures_pages(index, strings, page_size)
    for source_id, refs in index.by_source.items():
        sections[Section("measures", source_id)] = tuple(measure_page(index, refs, i, across) for i in range(len(refs)))
    if across.translation is not None:
        for source_id, refs in index.by_source.items():
            sections[Section("parallel", source_id)] = tuple(parallel_page(ref, strings, across) for ref in refs)
    if across.history.state != "none":
        for source_id, refs in index.by_source.items():
            sections[Section("history", source_id)] = history_pages(refs, across.histories, strings)
        sections[CHANGES] = changes_list(index, strings, across)
    return sections


def changes_list(index: Index, strings: dict[str, str], across: Across) -> tuple[Page, ...]:
    return changes_pages(newest_revisions(index, across.histories, across.history), across.history,
                         strings["changes_title"], paginated)


def fixed_pages(index: Index, strings: dict[str, str], across: Across) -> tuple[Page, ...]:
    """The pages that are not lists of measures: home, about, search, the glossary, the open data, and the
    index of each kind of list (they only count measures, so laying them out again after an edit is cheap)."""
    data = (Page(PageKey("data"), "data.html", strings["data"], across.data, strings["data_intro"]),) \
        if across.data else ()
    return (home_page(index), *index_pages(index, strings),
            Page(PageKey("about"), "about.html", strings["about_title"], AboutView(index.content.sources,
                                                                                    across.reviewed, across.translated)),
            Page(PageKey("search"), "search.html", strings["search_title"], SearchView(across.bundles, facet_ids(index))),
            Page(PageKey("glossary"), "glossary.html", strings["glossary_title"], glossary(index, across),
                 strings["glossary_intro"]), *data)


def facet_ids(index: Index) -> dict[str, dict[str, str]]:
    """Each search facet's values by id, as this edition names them (the index filters by name)."""
    out = {"source": {s.id: s.short_title for s in index.content.sources}}
    out.update({kind: {c.key.id: c.name for c in index.counted(kind)} for kind in ("category", "topic", "unit", "status")})
    return out


def glossary(index: Index, across: Across) -> GlossaryView:
    """Every term with the measures that write it, in handbook order; sorted by the Simplified form."""
    using: dict[str, list[MeasureRef]] = defaultdict(list)
    for ref in index.refs:
        for term in across.terms.get(ref.measure.id, ()):
            using[term].append(ref)
    terms = sorted(index.content.terms, key=lambda t: t.simplified)
    regions = tuple(e for e in across.editions if any(t.form(e.code) for t in terms))
    return GlossaryView(tuple(GlossaryEntry(t, _by_source(using[t.id][:GLOSSARY_LINKS]), len(using[t.id]))
                              for t in terms), regions)


def _by_source(refs: list[MeasureRef]) -> tuple[tuple[str, tuple[tuple[str, int], ...]], ...]:
    groups: dict[str, list[MeasureRef]] = {}
    for ref in refs:
        groups.setdefault(ref.source.id, []).append(ref)
    return tuple((members[0].source.short_title, tuple((r.measure.id, r.measure.number) for r in members))
                 for members in groups.values())


def home_page(index: Index) -> Page:
    content = index.content
    return Page(PageKey("home"), "home.html", "", HomeView(
        _sources_counted(index), index.counted("topic"), index.counted("category"), index.counted("unit"),
        index.refs[0], {kind: index.coverage(kind) for kind in ("topic", "category", "unit")}))


def _sources_counted(index: Index) -> tuple:
    return tuple((s, len(index.by_source[s.id])) for s in index.content.sources)


INDEX_TITLES = {"source": "sources", "topic": "topics", "category": "categories", "unit": "units"}  # strings keys


def index_pages(index: Index, strings: dict[str, str]) -> tuple[Page, ...]:
    """sources/, topics/, categories/ and units/: every list of the kind, with its count."""
    topics = tuple(Counted(c.key, c.name, c.count, index.topics[c.key.id].description) for c in index.counted("topic"))
    views = (IndexView("source", (), None, _sources_counted(index)),
             IndexView("topic", topics, index.coverage("topic")),
             IndexView("category", index.counted("category"), index.coverage("category")),
             IndexView("unit", index.counted("unit"), index.coverage("unit")))
    return tuple(Page(PageKey(INDEX_TITLES[v.kind]), "index.html", strings[INDEX_TITLES[v.kind]], v) for v in views)


def all_measures_pages(index: Index, strings: dict[str, str], page_size: int | None = None,
                       showing: list[int] | None = None) -> tuple[Page, ...]:
    """measures/: every measure in handbook order, paginated; with `showing` (positions of measures in
    index.refs), only the pages they are on."""
    page_size = page_size or PAGE_SIZE
    facets = (("source", tuple(Named(PageKey("source", s.id), s.short_title) for s in index.content.sources)),
              *((kind, index.named(kind)) for kind in ("topic", "category", "unit", "status")))
    pages = paginated(index.refs, page_size) if showing is None else (  # an edit: only its pages, not all N
        _page_of(index.refs, number, page_size) for number in sorted({i // page_size + 1 for i in showing}))
    return tuple(Page(PageKey("measures", "", pagination.number), "all.html", strings["all_measures"],
                      AllMeasuresView(chunk, pagination, facets)) for pagination, chunk in pages)


def list_pages(index: Index, section: Section, page_size: int | None = None) -> tuple[Page, ...]:
    """The pages of one source document's list, or of one topic's, category's or unit's."""
    page_size = page_size or PAGE_SIZE
    kind, id = section.kind, section.id
    if kind == "source":
        source = index.sources[id]
        refs = in_source_order(index, source)
        return tuple(Page(PageKey("source", id, pagination.number), "source.html", source.short_title,
                          SourceView(source, _grouped(chunk), pagination), source.description or source.title)
                     for pagination, chunk in paginated(refs, page_size))
    source = None
    if kind == "topic":
        topic = index.topics[id]
        name, description, refs = topic.name, topic.description, index.by_topic[id]
    elif kind == "category":
        source, category = index.categories[id]
        name, description, refs = category.name, "", index.by_category[id]
    elif kind == "status":
        name, description, refs = index.status_names[id], "", index.by_status[id]
    else:
        name, description, refs = index.units[id].name, "", index.by_unit[id]
    return tuple(Page(PageKey(kind, id, pagination.number), "listing.html", name, ListingView(
        kind, name, description, chunk, index.named(kind), pagination, source), description)
        for pagination, chunk in paginated(refs, page_size))


def in_source_order(index: Index, source: Source) -> list[MeasureRef]:
    """A source document's measures as its page lists them: by category, in the document's order, then number."""
    order = {c.id: i for i, c in enumerate(source.categories)}
    return sorted(index.by_source[source.id], key=lambda r: (order.get(r.measure.category, -1), r.measure.number))


def measure_page(index: Index, refs: list[MeasureRef], i: int, across: Across) -> Page:
    """The page of refs[i], one of a source document's measures in order (`refs`)."""
    ref = refs[i]
    original = across.translation.originals[ref.measure.id] if ref.measure.translation else None
    m = ref.measure
    view = MeasureView(ref, refs[i - 1] if i else None, refs[i + 1] if i + 1 < len(refs) else None,
                       tuple(index.by_id[other] for other in across.related[m.id]),
                       tuple(index.terms[term] for term in across.terms.get(m.id, ())), original, len(refs),
                       index.by_id[m.superseded_by] if m.superseded_by else None,
                       tuple(index.by_id[other] for other in index.supersedes.get(m.id, ())),
                       measure_history(across.histories, across.history, m.id))
    return Page(ref.key, "measure.html", ref.measure.title, view, summary(ref.measure.text))


def parallel_page(ref: MeasureRef, strings: dict[str, str], across: Across) -> Page:
    """A measure's Chinese (the edition's script; the source's in a translated edition) beside its translation."""
    shown, translation = ref.measure, across.translation
    if shown.translation:  # a translated edition
        chinese, english = translation.originals[shown.id], shown if shown.translation != "missing" else None
    else:
        chinese, english = shown, translation.english.get(shown.id)
        english = english if english is not None and english.translation != "missing" else None
    pairs = tuple(zip_longest(paragraph_texts(chinese.text), paragraph_texts(english.text) if english else (),
                              fillvalue=""))
    view = ParallelView(ref, chinese, translation.chinese_lang if shown.translation else "", english,
                        translation.english_lang, pairs)
    return Page(PageKey("parallel", shown.id), "parallel.html", fill(strings["parallel_title"], title=shown.title),
                view, summary(shown.text))


def paragraph_texts(text: str) -> tuple[str, ...]:
    """A Markdown text's paragraphs (blocks between blank lines)."""
    return tuple(p.strip() for p in re.split(r"\n\s*\n", text) if p.strip())


def feed_entries(index: Index, across: Across) -> tuple[tuple[Revision | None, MeasureRef], ...]:
    """What changed, newest first (history.py); without a history, the newest measures by document date
    (then number), each as (None, its ref)."""
    if across.history.state != "none":
        return newest_revisions(index, across.histories, across.history)[:FEED_SIZE]
    newest = sorted(index.refs, key=lambda r: (r.source.date, r.source.id, r.measure.number), reverse=True)
    return tuple((None, ref) for ref in newest[:FEED_SIZE])


@lru_cache(maxsize=1 << 16)  # a rebuild asks again for every measure's
def summary(text: str, limit: int = 100) -> str:
    """The start of a text, for descriptions: whole sentences where they fit."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = max(text.rfind(mark, 0, limit) for mark in "。；")
    return text[: cut + 1] if cut > limit // 2 else text[:limit] + "……"

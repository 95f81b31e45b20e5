"""Which pages a variant has, and what each shows: typed contexts for templates.

A pure function of one variant's (already converted) content. Templates get
a `Page` whose `view` is one of the dataclasses below, never loose dicts, so
what a template may use is written down here.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache

from ..model import Category, Content, Measure, Source, Term, Topic, Unit
from ..urls import PageKey

RELATED_LIMIT = 6
PAGE_SIZE = 50  # measures per page of a list: no page lists all measures of a large handbook
FEED_SIZE = 50
GLOSSARY_LINKS = 12  # measures the glossary links for each term; search finds the rest


@dataclass(frozen=True)
class MeasureRef:
    """A measure with everything it points to, resolved."""

    measure: Measure
    source: Source
    category: Category | None
    topics: tuple[Topic, ...]
    units: tuple[Unit, ...]

    @property
    def key(self) -> PageKey:
        return PageKey("measure", self.measure.id)


@dataclass(frozen=True)
class Named:
    """A link to a list by name, without its count: a count that changes would re-render every page
    that links to the list (every page of every list of that kind)."""

    key: PageKey
    name: str
    detail: str = ""  # e.g. the source of a category


@dataclass(frozen=True)
class Counted:
    key: PageKey
    name: str
    count: int
    detail: str = ""  # e.g. the source of a category


@dataclass(frozen=True)
class HomeView:
    sources: tuple[tuple[Source, int], ...]
    topics: tuple[Counted, ...]
    categories: tuple[Counted, ...]
    units: tuple[Counted, ...]
    first_measure: MeasureRef


@dataclass(frozen=True)
class Pagination:
    number: int  # 1-based
    count: int
    total: int  # measures in the whole list
    first: int  # 1-based position of this page's first measure in the list

    size: int  # measures on this page

    @property
    def last(self) -> int:
        return self.first + self.size - 1

    @property
    def window(self) -> tuple[int | None, ...]:
        """Page numbers to link: first, last and two on each side of this one; None marks a gap."""
        shown = sorted({1, self.count} | set(range(max(1, self.number - 2), min(self.count, self.number + 2) + 1)))
        out: list[int | None] = []
        for n in shown:
            if out and n - out[-1] > 1:
                out.append(None)
            out.append(n)
        return tuple(out)


@dataclass(frozen=True)
class SourceView:
    source: Source
    groups: tuple[tuple[Category | None, tuple[MeasureRef, ...]], ...]  # this page's measures
    pagination: Pagination


@dataclass(frozen=True)
class ListingView:
    """The measures under one topic, category or unit, and links to its siblings."""

    kind: str
    name: str
    description: str
    measures: tuple[MeasureRef, ...]  # this page's measures
    siblings: tuple[Named, ...]
    pagination: Pagination
    source: Source | None = None  # for a category: the document it belongs to


@dataclass(frozen=True)
class MeasureView:
    ref: MeasureRef
    previous: MeasureRef | None
    next: MeasureRef | None
    related: tuple[MeasureRef, ...]
    terms: tuple[Term, ...] = ()  # the termbase's concepts the measure writes, in reading order

    def regional_terms(self, variant_code: str) -> tuple[tuple[Term, str], ...]:
        """(term, the region's word) for the measure's terms whose word in the edition's region differs
        from the text's (知識產權 on the Taiwan edition, where readers say 智慧財產權); none in Simplified."""
        return tuple((t, form) for t in self.terms if (form := t.form(variant_code)) and form != t.written)


@dataclass(frozen=True)
class AboutView:
    sources: tuple[Source, ...]
    reviewed: tuple = ()  # (variant code, review.Summary) of the Traditional editions


@dataclass(frozen=True)
class GlossaryEntry:
    """A term, and links to the measures that write it: by number only, so that editing a measure's
    topics or title does not lay the glossary out again."""

    term: Term
    measures: tuple[tuple[str, tuple[tuple[str, int], ...]], ...]  # (source short title, ((measure id, number), …))
    count: int  # how many measures write it; the first GLOSSARY_LINKS are linked

    @property
    def more(self) -> int:
        return self.count - sum(len(numbers) for _, numbers in self.measures)


@dataclass(frozen=True)
class GlossaryView:
    entries: tuple[GlossaryEntry, ...]


@dataclass(frozen=True)
class SearchView:
    """The search page: results and facets come from the index, in the browser."""

    bundles: tuple[str, ...]  # the index bundles it loads (urls.search_bundle), the first one first


@dataclass(frozen=True)
class Page:
    key: PageKey
    template: str
    title: str
    view: object
    description: str = ""


class Index:
    """Lookups over one variant's content, built once: no page scans all measures."""

    def __init__(self, content: Content, known: dict[str, MeasureRef] | None = None):
        """`known` (measure id -> ref) is kept by a rebuild: an unchanged measure keeps its ref object."""
        self.content = content
        self.sources = {s.id: s for s in content.sources}
        self.topics = {t.id: t for t in content.topics}
        self.units = {u.id: u for u in content.units}
        self.terms = {t.id: t for t in content.terms}
        self.categories = {c.id: (s, c) for s in content.sources for c in s.categories}
        self.known = {} if known is None else known
        self.refs = tuple(self._ref(m) for m in content.measures)
        self.by_id = {r.measure.id: r for r in self.refs}
        self.order = {r.measure.id: i for i, r in enumerate(self.refs)}
        self._counted: dict[str, tuple[Counted, ...]] = {}
        self._named: dict[str, tuple[Named, ...]] = {}
        self.by_source, self.by_topic, self.by_unit, self.by_category = (defaultdict(list) for _ in range(4))
        self.position: dict[tuple[str, str], int] = {}  # (topic, measure id) -> place in by_topic
        for ref in self.refs:
            m = ref.measure
            self.by_source[m.source].append(ref)
            for t in m.topics:
                self.position[(t, m.id)] = len(self.by_topic[t])
                self.by_topic[t].append(ref)
            for u in m.units:
                self.by_unit[u].append(ref)
            if m.category:
                self.by_category[m.category].append(ref)

    def _ref(self, m: Measure) -> MeasureRef:
        source = self.sources[m.source]
        owner, category = self.categories.get(m.category, (None, None))
        category = category if owner is source else None
        topics, units = tuple(self.topics[t] for t in m.topics), tuple(self.units[u] for u in m.units)
        ref = self.known.get(m.id)
        if not (ref and ref.measure is m and ref.source is source and ref.category is category
                and ref.topics == topics and ref.units == units):
            ref = self.known[m.id] = MeasureRef(m, source, category, topics, units)
        return ref

    def counted(self, kind: str) -> tuple[Counted, ...]:
        """Each topic, unit or category with its number of measures (computed once per kind)."""
        if kind not in self._counted:
            if kind == "topic":
                items = (Counted(PageKey("topic", t.id), t.name, len(self.by_topic[t.id])) for t in self.content.topics)
            elif kind == "unit":
                items = (Counted(PageKey("unit", u.id), u.name, len(self.by_unit[u.id])) for u in self.content.units)
            else:
                items = (Counted(PageKey("category", c.id), c.name, len(self.by_category[c.id]), s.short_title)
                         for s in self.content.sources for c in s.categories)
            self._counted[kind] = tuple(items)
        return self._counted[kind]

    def named(self, kind: str) -> tuple[Named, ...]:
        """Each topic, unit or category by name (worked out once per kind)."""
        if kind not in self._named:
            self._named[kind] = tuple(Named(c.key, c.name, c.detail) for c in self.counted(kind))
        return self._named[kind]

    def related(self, ref: MeasureRef) -> tuple[MeasureRef, ...]:
        """Measures sharing the most topics with this one, nearest in handbook order first.

        Candidates are the RELATED_LIMIT measures on each side of this one in
        each of its topics' lists, so the work per measure does not grow
        with the size of the handbook.
        """
        shared: dict[str, int] = defaultdict(int)
        found = {}
        for topic in ref.measure.topics:
            members = self.by_topic[topic]
            at = self.position[(topic, ref.measure.id)]
            for other in members[max(0, at - RELATED_LIMIT): at + RELATED_LIMIT + 1]:
                if other.measure.id != ref.measure.id:
                    shared[other.measure.id] += 1
                    found[other.measure.id] = other
        here = self.order[ref.measure.id]
        ranked = sorted(found, key=lambda i: (-shared[i], abs(self.order[i] - here), self.order[i]))
        return tuple(found[i] for i in ranked[:RELATED_LIMIT])


def term_ids(measure: Measure, terms: tuple[Term, ...]) -> tuple[str, ...]:
    """The ids of the terms a measure writes (title or text), in the order it first writes them."""
    text = f"{measure.title}\n{measure.text}"
    found = sorted((at, term.id) for term in terms if (at := text.find(term.simplified)) >= 0)
    return tuple(term for _, term in found)


@dataclass(frozen=True)
class Across:
    """What a variant's pages need that is worked out once, for every variant: ids, never records."""

    related: dict[str, tuple[str, ...]]  # measure id -> its related measures' ids (related_ids)
    terms: dict[str, tuple[str, ...]] = field(default_factory=dict)  # measure id -> term_ids
    bundles: tuple[str, ...] = ()  # the search page's index bundles (urls.search_bundle), the first first
    reviewed: tuple = ()  # (variant code, review.Summary): what the about page says of the review


def related_ids(index: Index) -> dict[str, tuple[str, ...]]:
    """Each measure's related measures, by id: the same in every variant, so worked out once."""
    return {ref.measure.id: tuple(other.measure.id for other in index.related(ref)) for ref in index.refs}


def paginated(refs, page_size: int):
    """(Pagination, slice) for each page of a list; one empty page for an empty list."""
    count = max(1, -(-len(refs) // page_size))
    for number in range(1, count + 1):
        start = (number - 1) * page_size
        chunk = tuple(refs[start:start + page_size])
        yield Pagination(number, count, len(refs), start + 1, len(chunk)), chunk


def _grouped(refs: tuple[MeasureRef, ...]) -> tuple:
    """Consecutive measures of one category together, for a source page."""
    groups: list = []
    for ref in refs:
        if groups and groups[-1][0] == ref.category:
            groups[-1][1].append(ref)
        else:
            groups.append((ref.category, [ref]))
    return tuple((category, tuple(items)) for category, items in groups)


Section = tuple  # a run of pages laid out together: FIXED, (list kind, id) or ("measures", source id)
FIXED = ("fixed",)  # home, about, search, glossary


def variant_sections(index: Index, strings: dict[str, str], across: Across,
                     page_size: int | None = None) -> dict[Section, tuple[Page, ...]]:
    """Every page of one variant, in sections, in a fixed order. layout.py lays out again only the
    sections an edit touched."""
    content = index.content
    sections: dict[Section, tuple[Page, ...]] = {FIXED: fixed_pages(index, strings, across)}
    keys = [("source", s.id) for s in content.sources] + [("topic", t.id) for t in content.topics]
    keys += [("category", c_id) for c_id in index.categories] + [("unit", u.id) for u in content.units]
    for key in keys:
        sections[key] = list_pages(index, key, page_size)
    for source_id, refs in index.by_source.items():
        sections[("measures", source_id)] = tuple(measure_page(index, refs, i, across) for i in range(len(refs)))
    return sections


def variant_pages(index: Index, strings: dict[str, str], across: Across, page_size: int | None = None) -> list[Page]:
    """Every page of one variant, in a fixed order (variant_sections, one after the other)."""
    return [page for pages in variant_sections(index, strings, across, page_size).values() for page in pages]


def fixed_pages(index: Index, strings: dict[str, str], across: Across) -> tuple[Page, ...]:
    """The pages that are not lists of measures: home, about, search and the glossary."""
    return (home_page(index),
            Page(PageKey("about"), "about.html", strings["about_title"], AboutView(index.content.sources,
                                                                                    across.reviewed)),
            Page(PageKey("search"), "search.html", strings["search_title"], SearchView(across.bundles)),
            Page(PageKey("glossary"), "glossary.html", strings["glossary_title"], glossary(index, across),
                 strings["glossary_intro"]))


def glossary(index: Index, across: Across) -> GlossaryView:
    """Every term with the measures that write it, in handbook order; sorted by the Simplified form."""
    using: dict[str, list[MeasureRef]] = defaultdict(list)
    for ref in index.refs:
        for term in across.terms.get(ref.measure.id, ()):
            using[term].append(ref)
    terms = sorted(index.content.terms, key=lambda t: t.simplified)
    return GlossaryView(tuple(GlossaryEntry(t, _by_source(using[t.id][:GLOSSARY_LINKS]), len(using[t.id]))
                              for t in terms))


def _by_source(refs: list[MeasureRef]) -> tuple[tuple[str, tuple[tuple[str, int], ...]], ...]:
    groups: dict[str, list[MeasureRef]] = {}
    for ref in refs:
        groups.setdefault(ref.source.id, []).append(ref)
    return tuple((members[0].source.short_title, tuple((r.measure.id, r.measure.number) for r in members))
                 for members in groups.values())


def home_page(index: Index) -> Page:
    content = index.content
    return Page(PageKey("home"), "home.html", "", HomeView(
        tuple((s, len(index.by_source[s.id])) for s in content.sources),
        index.counted("topic"), index.counted("category"), index.counted("unit"), index.refs[0]))


def list_pages(index: Index, section: Section, page_size: int | None = None) -> tuple[Page, ...]:
    """The pages of one source document's list, or of one topic's, category's or unit's."""
    page_size = page_size or PAGE_SIZE
    kind, id = section
    if kind == "source":
        source = index.sources[id]
        order = {c.id: i for i, c in enumerate(source.categories)}
        refs = sorted(index.by_source[id], key=lambda r: (order.get(r.measure.category, -1), r.measure.number))
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
    else:
        name, description, refs = index.units[id].name, "", index.by_unit[id]
    return tuple(Page(PageKey(kind, id, pagination.number), "listing.html", name, ListingView(
        kind, name, description, chunk, index.named(kind), pagination, source), description)
        for pagination, chunk in paginated(refs, page_size))


def measure_page(index: Index, refs: list[MeasureRef], i: int, across: Across) -> Page:
    """The page of refs[i], one of a source document's measures in order (`refs`)."""
    ref = refs[i]
    view = MeasureView(ref, refs[i - 1] if i else None, refs[i + 1] if i + 1 < len(refs) else None,
                       tuple(index.by_id[other] for other in across.related[ref.measure.id]),
                       tuple(index.terms[term] for term in across.terms.get(ref.measure.id, ())))
    return Page(ref.key, "measure.html", ref.measure.title, view, summary(ref.measure.text))


def feed_entries(index: Index) -> tuple[MeasureRef, ...]:
    """The newest measures: by document date, then number, newest first."""
    newest = sorted(index.refs, key=lambda r: (r.source.date, r.source.id, r.measure.number), reverse=True)
    return tuple(newest[:FEED_SIZE])


@lru_cache(maxsize=1 << 16)  # a rebuild asks again for every measure's
def summary(text: str, limit: int = 100) -> str:
    """The start of a text, for descriptions: whole sentences where they fit."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = max(text.rfind(mark, 0, limit) for mark in "。；")
    return text[: cut + 1] if cut > limit // 2 else text[:limit] + "……"

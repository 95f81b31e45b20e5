"""Which pages a variant has, and what each shows: typed contexts for templates.

A pure function of one variant's (already converted) content. Templates get
a `Page` whose `view` is one of the dataclasses below, never loose dicts, so
what a template may use is written down here.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from .model import Category, Content, Measure, Source, Topic, Unit
from .urls import PageKey

RELATED_LIMIT = 6


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
class SourceView:
    source: Source
    groups: tuple[tuple[Category | None, tuple[MeasureRef, ...]], ...]


@dataclass(frozen=True)
class ListingView:
    """The measures under one topic, category or unit, and its siblings."""

    kind: str
    name: str
    description: str
    measures: tuple[MeasureRef, ...]
    siblings: tuple[Counted, ...]
    source: Source | None = None  # for a category: the document it belongs to


@dataclass(frozen=True)
class MeasureView:
    ref: MeasureRef
    previous: MeasureRef | None
    next: MeasureRef | None
    related: tuple[MeasureRef, ...]


@dataclass(frozen=True)
class AboutView:
    sources: tuple[Source, ...]


@dataclass(frozen=True)
class SearchView:
    """The search page: its facets come from the index, in the browser."""

    facets: tuple[str, ...] = ("source", "category", "topic", "unit")


@dataclass(frozen=True)
class Page:
    key: PageKey
    template: str
    title: str
    view: object
    description: str = ""


class Index:
    """Lookups over one variant's content, built once: no page scans all measures."""

    def __init__(self, content: Content):
        self.content = content
        self.sources = {s.id: s for s in content.sources}
        self.topics = {t.id: t for t in content.topics}
        self.units = {u.id: u for u in content.units}
        self.categories = {c.id: (s, c) for s in content.sources for c in s.categories}
        self.refs = tuple(self._ref(m) for m in content.measures)
        self.by_source, self.by_topic, self.by_unit, self.by_category = (defaultdict(list) for _ in range(4))
        for ref in self.refs:
            m = ref.measure
            self.by_source[m.source].append(ref)
            for t in m.topics:
                self.by_topic[t].append(ref)
            for u in m.units:
                self.by_unit[u].append(ref)
            if m.category:
                self.by_category[m.category].append(ref)

    def _ref(self, m: Measure) -> MeasureRef:
        source = self.sources[m.source]
        category = next((c for c in source.categories if c.id == m.category), None)
        return MeasureRef(m, source, category, tuple(self.topics[t] for t in m.topics),
                          tuple(self.units[u] for u in m.units))

    def counted(self, kind: str) -> tuple[Counted, ...]:
        if kind == "topic":
            return tuple(Counted(PageKey("topic", t.id), t.name, len(self.by_topic[t.id])) for t in self.content.topics)
        if kind == "unit":
            return tuple(Counted(PageKey("unit", u.id), u.name, len(self.by_unit[u.id])) for u in self.content.units)
        return tuple(Counted(PageKey("category", c.id), c.name, len(self.by_category[c.id]), s.short_title)
                     for s in self.content.sources for c in s.categories)

    def related(self, ref: MeasureRef) -> tuple[MeasureRef, ...]:
        """Measures sharing the most topics with this one, then in handbook order."""
        shared: dict[str, int] = defaultdict(int)
        order = {r.measure.id: i for i, r in enumerate(self.refs)}
        found = {}
        for topic in ref.measure.topics:
            for other in self.by_topic[topic]:
                if other.measure.id != ref.measure.id:
                    shared[other.measure.id] += 1
                    found[other.measure.id] = other
        ranked = sorted(found, key=lambda i: (-shared[i], order[i]))
        return tuple(found[i] for i in ranked[:RELATED_LIMIT])


def variant_pages(content: Content, strings: dict[str, str]) -> list[Page]:
    """Every page of one variant, in a fixed order."""
    index = Index(content)
    pages = [
        Page(PageKey("home"), "home.html", "", HomeView(
            tuple((s, len(index.by_source[s.id])) for s in content.sources),
            index.counted("topic"), index.counted("category"), index.counted("unit"), index.refs[0])),
        Page(PageKey("about"), "about.html", strings["about_title"], AboutView(content.sources)),
        Page(PageKey("search"), "search.html", strings["search_title"], SearchView()),
    ]
    for source in content.sources:
        refs = index.by_source[source.id]
        groups = [(c, tuple(r for r in refs if r.measure.category == c.id)) for c in source.categories]
        groups = tuple(groups) if groups else ((None, tuple(refs)),)
        pages.append(Page(PageKey("source", source.id), "source.html", source.short_title,
                          SourceView(source, groups), source.description or source.title))
    for topic in content.topics:
        pages.append(Page(PageKey("topic", topic.id), "listing.html", topic.name, ListingView(
            "topic", topic.name, topic.description, tuple(index.by_topic[topic.id]), index.counted("topic")),
            topic.description))
    for category_id, (source, category) in index.categories.items():
        pages.append(Page(PageKey("category", category_id), "listing.html", category.name, ListingView(
            "category", category.name, "", tuple(index.by_category[category_id]), index.counted("category"), source)))
    for unit in content.units:
        pages.append(Page(PageKey("unit", unit.id), "listing.html", unit.name, ListingView(
            "unit", unit.name, "", tuple(index.by_unit[unit.id]), index.counted("unit"))))
    for source_id, refs in index.by_source.items():
        for i, ref in enumerate(refs):
            view = MeasureView(ref, refs[i - 1] if i else None, refs[i + 1] if i + 1 < len(refs) else None,
                               index.related(ref))
            pages.append(Page(ref.key, "measure.html", ref.measure.title, view, summary(ref.measure.text)))
    return pages


def summary(text: str, limit: int = 100) -> str:
    """The start of a text, for descriptions: whole sentences where they fit."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = max(text.rfind(mark, 0, limit) for mark in "。；")
    return text[: cut + 1] if cut > limit // 2 else text[:limit] + "……"

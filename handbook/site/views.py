"""What each page shows: typed contexts for templates.

Templates get a `Page` whose `view` is one of these dataclasses, never
loose dicts, so what a template may use is written down here.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from ..editions import Edition
from ..model import Category, Measure, Source, Term, Topic, Unit
from ..urls import PageKey


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
class Coverage:
    """How many measures a kind of list covers, so a page can say what its counts mean: categories and
    units come only from the documents that give them, and a measure can be on several lists."""

    covered: int  # measures on at least one list of the kind
    total: int  # measures in the handbook
    sources: tuple[Source, ...]  # the documents whose measures are covered
    several: bool  # a measure is on more than one list, so the counts add up to more than `covered`

    @property
    def partial(self) -> bool:
        return self.covered < self.total


@dataclass(frozen=True)
class HomeView:
    sources: tuple[tuple[Source, int], ...]
    topics: tuple[Counted, ...]
    categories: tuple[Counted, ...]
    units: tuple[Counted, ...]
    first_measure: MeasureRef
    coverage: dict[str, Coverage]  # by list kind (topic, category, unit)


@dataclass(frozen=True)
class IndexView:
    """A folder's own page: every source document, topic, category or unit, with its count."""

    kind: str  # the kind of list: source, topic, category or unit
    items: tuple[Counted, ...]
    coverage: Coverage | None = None
    sources: tuple[tuple[Source, int], ...] = ()  # for the sources index


@dataclass(frozen=True)
class AllMeasuresView:
    """Every measure in handbook order, a page at a time, with the lists to narrow it down."""

    measures: tuple[MeasureRef, ...]  # this page's
    pagination: Pagination
    facets: tuple[tuple[str, tuple[Named, ...]], ...]  # (list kind, its lists): links, so no script is needed


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
class Diff:
    """Two versions of a measure's title and text, side by side (handbook/site/diff.py marks what differs)."""

    kind: str  # text, translation or conversion (model.CHANGE_KINDS)
    before: tuple[str, str]  # (title, text) as the edition shows them
    after: tuple[str, str]
    lang: str = ""  # their language where it is not the page's: the Chinese text on an English page


@dataclass(frozen=True)
class Revision:
    """One commit's changes to one measure, as an edition shows them (history.py)."""

    commit: str
    when: datetime.datetime
    measure: str  # its id
    kinds: tuple[str, ...]  # model.CHANGE_KINDS, in that order
    diffs: tuple[Diff, ...] = ()

    @property
    def anchor(self) -> str:
        """Its id on the measure's history page: the commit's short hash."""
        return f"c{self.commit[:12]}"


@dataclass(frozen=True)
class MeasureHistory:
    """What the repository's history says of one measure in one edition."""

    revisions: tuple[Revision, ...]  # newest first
    state: str = "none"  # model.History.state
    since: datetime.date | None = None  # a shallow history's first day

    @property
    def recent(self) -> tuple[Revision, ...]:
        """The revisions a measure's page lists (its history page has them all)."""
        return self.revisions[:5]

    @property
    def official(self) -> Revision | None:
        """The newest revision that changed the official text a reader sees (added, reworded, converted)."""
        return self._last(("added", "text", "conversion"))

    @property
    def editorial(self) -> Revision | None:
        """The newest revision of its editorial additions (topics, translation)."""
        return self._last(("topics", "translation"))

    def _last(self, kinds: tuple[str, ...]) -> Revision | None:
        return next((r for r in self.revisions if set(r.kinds) & set(kinds)), None)


@dataclass(frozen=True)
class MeasureView:
    ref: MeasureRef
    previous: MeasureRef | None
    next: MeasureRef | None
    related: tuple[MeasureRef, ...]
    terms: tuple[Term, ...] = ()  # the termbase's concepts the measure writes, in reading order
    original: Measure | None = None  # in a translated edition: the Chinese it translates (the source's)
    of: int = 0  # how many measures its source document has (第5项 / 共39项)
    successor: MeasureRef | None = None  # the measure that supersedes it (its superseded_by)
    supersedes: tuple[MeasureRef, ...] = ()  # the measures it replaces
    history: MeasureHistory = MeasureHistory(())

    def regional_terms(self, edition_code: str) -> tuple[tuple[Term, str], ...]:
        """(term, the region's word) for the measure's terms whose word in the edition's region differs
        from the text's (知識產權 on the Taiwan edition, where readers say 智慧財產權); none in Simplified."""
        return tuple((t, form) for t in self.terms if (form := t.form(edition_code)) and form != t.written)


@dataclass(frozen=True)
class ParallelView:
    """A measure's Chinese and its translation side by side, paragraph by paragraph."""

    ref: MeasureRef
    chinese: Measure  # as the edition's script writes it (the source's, in a translated edition)
    chinese_lang: str
    english: Measure | None  # the translation; None while there is none
    english_lang: str
    pairs: tuple[tuple[str, str], ...]  # (Chinese paragraph, its translation), Markdown


@dataclass(frozen=True)
class HistoryView:
    """One measure's revisions, each official-text, translation and conversion change side by side."""

    ref: MeasureRef
    history: MeasureHistory


@dataclass(frozen=True)
class ChangesView:
    """Every measure's revisions, newest first, a page at a time."""

    entries: tuple[tuple[Revision, MeasureRef], ...]  # this page's
    pagination: Pagination
    state: str = "none"
    since: datetime.date | None = None


@dataclass(frozen=True)
class AboutView:
    sources: tuple[Source, ...]
    reviewed: tuple = ()  # (edition code, review.Summary) of the Traditional editions
    translated: tuple = ()  # (edition code, translations.TranslationSummary) of the translated editions


@dataclass(frozen=True)
class DataView:
    """The open data page: each CSV file and its fields (opendata.package), every file's size in bytes."""

    sheets: tuple  # opendata.package.Sheet: what each CSV file holds, in the edition's words
    sizes: dict[str, int]  # file name in the data folder -> bytes
    package: str  # the descriptor's file name: datapackage.json


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
    regions: tuple[Edition, ...] = ()  # the editions the termbase gives its own words for: a column each


@dataclass(frozen=True)
class SearchView:
    """The search page: results and facets come from the index, in the browser."""

    bundles: tuple[str, ...]  # the index bundles it loads (urls.search_bundle), the first one first
    facet_ids: dict = None  # facet -> {id: name in this edition}: filters are written in the address by id


@dataclass(frozen=True, order=True)
class Section:
    """A run of pages laid out together: the fixed pages, one list, or one source document's measure pages."""

    kind: str  # "fixed", a list's kind (source, topic, category, unit), or "measures"
    id: str = ""  # the list's or source document's id


FIXED = Section("fixed")  # home, about, search, glossary, and the indexes of topics, categories, units, sources
ALL = Section("all")  # measures/: every measure
CHANGES = Section("changes")  # changes/: every measure's revisions, newest first


@dataclass(frozen=True)
class Page:
    key: PageKey
    template: str
    title: str
    view: object
    description: str = ""

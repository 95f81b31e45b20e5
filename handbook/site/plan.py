"""Planning a build: each edition converted and laid out, and which of its pages to render again.

`plan_site(handbook, strings, base_url, previous)` is a pure function of the
handbook and the previous build's plan (its memos, the converters, only save
work): a page is rendered again when its view or what its edition's pages
share differs from the previous plan's, or there is no previous plan (a clean
build, or changed templates). The builder keeps the plan of the site on disk.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from ..convert.converter import Converter, convert_content, edition_converter
from ..editions import Edition
from ..model import Content, Handbook, History, Measure, SiteSettings, Term
from ..opendata.publish import OpenData, open_data
from ..search.shards import Shard, shard_modulus, shard_number
from ..urls import PageKey, Urls, file_path, page_path
from .index import Index, related_ids, term_ids
from .layout import Layout, changed_in_place, full_layout, same_pages, updated_layout, updated_related
from .pages import Across, Translated, status_names
from .history import edition_revisions
from .views import DataView, MeasureRef, Page, Revision
from .strings import edition_strings


@dataclass(frozen=True)
class Shared:
    """What every page of an edition depends on besides its own view."""

    site: SiteSettings  # converted
    strings: tuple[tuple[str, str], ...]  # the edition's interface strings
    urls: Urls
    pdf: bool = False  # the build makes PDFs (`build --pdf`), which pages link


@dataclass(frozen=True)
class EditionPlan:
    """One edition, converted and laid out: what its templates need, and what to render again."""

    edition: Edition
    content: Content  # converted
    t: dict[str, str]  # interface strings
    shared: Shared
    bundles: tuple[str, ...]  # the search page's index bundles (urls.search_bundle), the first first
    layout: Layout
    pages: dict[PageKey, Page]  # every page, by key
    files: frozenset[str]  # its page files
    redo: tuple[Page, ...]  # the pages whose inputs differ from the previous plan's
    feed_again: bool
    data: OpenData  # its open data files (opendata.publish), by path below the site root
    history: History = History()  # what it was laid out with: another history lays it out again

    @property
    def site(self) -> SiteSettings:
        return self.shared.site

    @property
    def feed(self) -> tuple[tuple[Revision | None, MeasureRef], ...]:  # what changed, newest first
        return self.layout.feed

    def nearest(self, key: PageKey) -> PageKey:
        """The page itself if the edition has it, else its nearest: the first page of its list, the measure
        it is about, the home page (the edition's own revisions fill its history pages and changes/)."""
        for candidate in (key, PageKey(key.kind, key.id), PageKey("measure", key.id)):
            if candidate in self.pages:
                return candidate
        return PageKey("home")


@dataclass(frozen=True)
class Relations:
    """Related measures by id: the same in every edition, so worked out once a build."""

    key: tuple[tuple[str, tuple[str, ...]], ...]  # (measure id, topics) of every measure, in order
    related: dict[str, tuple[str, ...]]  # measure id -> its related measures' ids


@dataclass(frozen=True)
class TermsOf:
    """The termbase's terms a measure writes (index.term_ids), kept while measure and termbase are the same."""

    measure: Measure
    terms: tuple[Term, ...]
    ids: tuple[str, ...]


@dataclass(frozen=True)
class Plan:
    """The whole site planned: every edition, and what the root files need."""

    editions: tuple[EditionPlan, ...]  # in the handbook's order: the source first
    urls: Urls
    modulus: int  # index bundles per edition (search.shards)
    shard_numbers: tuple[int, ...]  # the bundles with at least one measure
    relations: Relations
    terms: dict[str, TermsOf]  # measure id -> its terms
    sitemap: tuple  # ((page key, codes of the editions that have it), …), urls: changes when pages come or go
    sitemap_again: bool
    handbook: Handbook  # what it was planned from (serve's preview lays out an edit from it: build/preview.py)

    @cached_property
    def declared(self) -> tuple[Edition, ...]:
        return tuple(p.edition for p in self.editions)

    @cached_property
    def by_code(self) -> dict[str, Edition]:
        return {e.code: e for e in self.declared}

    def having(self, key: PageKey) -> tuple[Edition, ...]:
        """The editions that have this page (the home page: all of them)."""
        return tuple(p.edition for p in self.editions if key in p.pages or key.kind == "home")

    def shards(self) -> list[Shard]:
        """Every index bundle the site has: those with at least one measure, in each edition."""
        return [Shard(p.edition.code, n) for p in self.editions for n in self.shard_numbers]

    def shard_of(self, edition: Edition, page: Page) -> Shard | None:
        """The index bundle a measure page belongs to; None for the pages search does not index."""
        return Shard(edition.code, shard_number(page.key.id, self.modulus)) if page.key.kind == "measure" else None

    def files(self) -> set[str]:
        """Every file of the site's pages and feeds, in every edition (urls.ROOT_FILES besides)."""
        out: set[str] = set()
        for p in self.editions:
            out |= p.files
            out.add(page_path(p.edition.code, PageKey("feed")))
        return out

    def term_ids(self) -> dict[str, tuple[str, ...]]:
        return {id: kept.ids for id, kept in self.terms.items()}

    def data_files(self) -> dict[str, bytes]:
        """Every edition's open data files, by path below the site root."""
        return {path: data for p in self.editions for path, data in p.data.files.items()}

    def drop_data_files(self) -> None:
        """Let go of the open data's bytes once they are written, in a build that keeps no plan: the pages
        need only their sizes (the data page's view), and at 100,000 measures they are a gigabyte."""
        for p in self.editions:
            p.data.files.clear()


def plan_site(handbook: Handbook, strings: dict, base_url: str | None, previous: Plan | None,
              converter=edition_converter, shard_size: int | None = None, pdf: bool = False) -> Plan:
    """The site's plan; with `previous`, each edition is laid out again only where an edit touched it;
    with `pdf`, its pages link the edition's PDFs."""
    urls = Urls(base_url or handbook.settings.base_url)
    measures = handbook.content.measures
    modulus = shard_modulus(len(measures), shard_size)
    numbers = tuple(sorted({shard_number(m.id, modulus) for m in measures}))
    terms = _terms_of(handbook.content, previous.terms if previous else {})
    ids = {id: kept.ids for id, kept in terms.items()}
    relate = _Relate(handbook, previous.relations if previous else None)
    translation = _translation(handbook, converter)
    editions = []
    for edition in handbook.editions:
        before = next((p for p in previous.editions if p.edition == edition), None) if previous else None
        convert = converter(edition, handbook.conversion)
        bundles = tuple(urls.search_bundle(Shard(edition.code, n).folder) for n in numbers)
        editions.append(_plan_edition(handbook, edition, convert, strings, urls, bundles, ids, relate, before,
                                      translation, pdf))
    # An edition that kept its pages (same_pages) keeps its files' set: with every edition so, the sitemap's
    # keys are the last build's, not worked out again over every page.
    kept = previous is not None and len(previous.editions) == len(editions) and all(
        p.files is b.files for p, b in zip(editions, previous.editions))
    sitemap = (previous.sitemap[0] if kept else _sitemap_keys(editions), urls)
    return Plan(tuple(editions), urls, modulus, numbers, relate.done[0], terms, sitemap,
                previous is None or previous.sitemap != sitemap, handbook)


def _sitemap_keys(editions: list[EditionPlan]) -> tuple[tuple[PageKey, tuple[str, ...]], ...]:
    """Every page of the site, in the first edition's order (then those only later editions have), with the
    editions that have it: most pages are in all of them; a page of changes may be in some."""
    keys = list(dict.fromkeys(page.key for p in editions for page in p.layout.pages))
    return tuple((key, tuple(p.edition.code for p in editions if key in p.pages)) for key in keys)


def _translation(handbook: Handbook, converter) -> Translated | None:
    """The measures in the source and in the first translated edition, for parallel pages; None without one."""
    edition = next((e for e in handbook.editions if e.translated), None)
    if edition is None:
        return None
    english = convert_content(handbook.content, converter(edition, handbook.conversion)).measures
    return Translated({m.id: m for m in handbook.content.measures}, {m.id: m for m in english},
                      handbook.source_edition.lang, edition.lang)


def _terms_of(content: Content, kept: dict[str, TermsOf]) -> dict[str, TermsOf]:
    """Each measure's terms, worked out again only for measures (or a termbase) that changed."""
    out = {}
    for m in content.measures:
        hit = kept.get(m.id)
        if hit is None or hit.measure is not m or hit.terms != content.terms:  # a new tuple of the same terms
            hit = TermsOf(m, content.terms, term_ids(m, content.terms))
        out[m.id] = hit
    return out


def _plan_edition(handbook: Handbook, edition: Edition, convert: Converter, strings: dict, urls: Urls,
                  bundles: tuple[str, ...], terms: dict, relate: _Relate, before: EditionPlan | None,
                  translation: Translated | None = None, pdf: bool = False) -> EditionPlan:
    """One edition converted and laid out: again where measures changed in place since `before`
    (layout.py), else whole; and the pages to render again."""
    content = convert_content(handbook.content, convert)
    t = edition_strings(strings, edition, convert, handbook.source_edition)
    shared = Shared(convert.record(handbook.settings), tuple(t.items()), urls, pdf)
    histories = edition_revisions(handbook.history, edition, convert, handbook.source_edition.lang)
    data = open_data(content, edition, handbook.editions, t, urls, terms, shared.site, before.data if before else None)
    changed = None
    if before and before.shared == shared and before.bundles == bundles and before.history is handbook.history:
        changed = changed_in_place(before.layout.index.content, content)
    if changed is None:
        index = Index(content, before.layout.index.by_id if before else None, status_names(t))
        relations, _ = relate(index, None, None)
        layout = full_layout(index, t, _across(handbook, relations, terms, bundles, translation, histories, data.view))
        dirty = tuple(layout.pages)
    else:
        index = before.layout.index.updated(content, changed)
        relations, differ = relate(index, before.layout, changed)
        across = _across(handbook, relations, terms, bundles, translation, histories, data.view)
        layout, fresh = updated_layout(before.layout, index, t, across, differ, changed)
        dirty = tuple(fresh)
    kept = before is not None and same_pages(before.layout, layout)  # no page came or went
    if kept and changed is not None:
        pages = dict(before.pages)
        pages.update((page.key, page) for page in dirty)
    else:
        pages = {page.key: page for page in layout.pages}
    files = before.files if kept else frozenset(file_path(page_path(edition.code, key)) for key in pages)
    redo = tuple(page for page in dirty
                 if before is None or before.shared != shared or before.pages.get(page.key) != page)
    feed_again = before is None or before.shared != shared or before.feed != layout.feed
    return EditionPlan(edition, content, t, shared, bundles, layout, pages, files, redo, feed_again, data,
                       handbook.history)


def _across(handbook: Handbook, relations: Relations, terms: dict, bundles: tuple[str, ...],
            translation: Translated | None, histories: dict, data: DataView) -> Across:
    return Across(relations.related, terms, bundles, handbook.reviewed, handbook.editions, translation,
                  handbook.translated, histories, handbook.history, data)


class _Relate:
    """Related measures: worked out by the first edition laid out (they are the same in every edition),
    reused by the others."""

    def __init__(self, handbook: Handbook, previous: Relations | None):
        self.key = tuple((m.id, m.topics) for m in handbook.content.measures)
        self.previous, self.done = previous, None

    def __call__(self, index: Index, kept: Layout | None, changed: list[int] | None) -> tuple[Relations, set | None]:
        """The relations, and after changes in place the measures whose related measures changed
        (None: laid out whole)."""
        if self.done is None:
            if self.previous is not None and self.previous.key == self.key:
                self.done = (self.previous, set())
            elif changed is not None:
                related, differ = updated_related(self.previous.related, kept.index, index, changed)
                self.done = (Relations(self.key, related), differ)
            else:
                self.done = (Relations(self.key, related_ids(index)), None)
        relations, differ = self.done
        if differ is None and changed is not None:  # an earlier edition was laid out whole
            differ = {id for id, ids in relations.related.items() if self.previous.related.get(id) != ids}
        return relations, differ

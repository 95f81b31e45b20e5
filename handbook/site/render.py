"""Render pages to bytes with Jinja2 templates (and markdown-it-py for text).

Pure: content in, {site path: bytes} out. Every template gets the same
helpers (url, static, t for interface strings, alternates for the variant
switch); what a page shows comes from its typed view (pages.py).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from pathlib import Path

import jinja2
from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markupsafe import Markup

from ..content import schema
from .citation import citation, jsonld
from ..convert.converter import Converter, convert_content, convert_record
from ..diagnostics import ContentError, display_path, refusal
from ..files import UnreadableFile, read_regular
from ..model import Handbook
from .layout import (Layout, changed_in_place, full_layout, same_pages, updated_index, updated_layout,
                     updated_related)
from .pages import Across, Index, MeasureRef, MeasureView, Page, related_ids, term_ids
from ..search.pagefind import Shard, shard_modulus, shard_number
from ..urls import PageKey, Urls, file_path, page_path
from ..variants import BY_CODE, SIMPLIFIED, VARIANTS, Variant
from ..content.yamlfile import MAX_BYTES, parse_yaml



def _image_as_text(renderer, tokens, index, options, env) -> str:
    """An image written in content shows as its alt text: the site loads no image from anywhere
    (its Content-Security-Policy allows none), and raw HTML stays text ("html": False)."""
    return escapeHtml(renderer.renderInlineAsText(tokens[index].children or [], options, env))


_markdown = MarkdownIt("commonmark", {"html": False})
_markdown.add_render_rule("image", _image_as_text)
FEED = PageKey("feed")
SITEMAP = ("", PageKey("sitemap"))  # its key in RenderCache.pages


@dataclass(frozen=True)
class Alternate:
    variant: Variant
    href: str
    absolute: str


def environment(templates: Path) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(templates),
        autoescape=jinja2.select_autoescape(["html", "xml"]),
        undefined=jinja2.StrictUndefined,  # a typo in a template fails the build
        trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
        auto_reload=False,  # RenderCache makes a new environment when a template file changes
    )
    env.filters["markdown"] = lambda text: Markup(_markdown.render(text))
    env.filters["cndate"] = lambda d: f"{d.year}年{d.month}月{d.day}日"
    return env


def load_strings(templates: Path) -> dict:
    """templates/strings.yaml, read and checked like a content file: a broken one is ContentError, located."""
    path = templates / "strings.yaml"
    try:
        data = read_regular(path, MAX_BYTES)
    except UnreadableFile as error:
        raise ContentError([refusal(error.refused)]) from None
    document, problems = parse_yaml(data, display_path(path))
    problems = problems or schema.validate(document, "strings")
    if problems:
        raise ContentError(problems)
    return document.value


def variant_strings(strings: dict, variant: Variant, convert: Converter) -> dict[str, str]:
    """Interface strings for a variant: its own wording where given, else the converted Simplified."""
    out = {}
    for key, value in strings.items():
        if isinstance(value, dict):
            out[key] = value.get(variant.code) or convert(value["zh-hans"])
        else:
            out[key] = convert(value)
    return out


@dataclass
class RenderCache:
    """What earlier builds made, so a rebuild renders only pages whose inputs changed.

    A page's inputs are its typed view, the variant's site settings and
    interface strings and the base URL; if all are
    equal to last time, and the templates are the same files, its bytes are
    too. `python build.py serve` keeps one across rebuilds.
    """

    templates: tuple = ()
    env: jinja2.Environment | None = None  # compiled templates, kept while the files are unchanged
    pages: dict = field(default_factory=dict)  # (variant code, PageKey) -> inputs of the page on disk
    layouts: dict = field(default_factory=dict)  # variant code -> Kept: the pages on disk, laid out
    converters: dict = field(default_factory=dict)  # (variant code, conversion rules) -> Converter
    refs: dict = field(default_factory=dict)  # variant code -> {measure id: MeasureRef} (pages.Index)
    related: tuple = (None, {})  # (measures' ids and topics in order, pages.related_ids of them)
    terms: dict = field(default_factory=dict)  # id(measure) -> (measure, the terms, pages.term_ids)

    def converter(self, variant: Variant, rules) -> Converter:
        key = (variant.code, rules)
        if key not in self.converters:
            self.converters[key] = Converter(variant, rules)
        return self.converters[key]

    def forget_pages(self) -> None:
        """Every page is to be rendered again (new templates, or a build into an empty folder)."""
        self.pages, self.layouts = {}, {}


def template_signature(templates: Path) -> tuple:
    return tuple((p.name, p.stat().st_mtime_ns, p.stat().st_size) for p in sorted(templates.iterdir()) if p.is_file())


def page_count(handbook: Handbook) -> int:
    """Roughly how many pages a build renders (for progress bars)."""
    return 3 * (len(handbook.content.measures) + 65)


@dataclass(frozen=True)
class Kept:
    """A variant's layout and what every page of it shares: a rebuild lays out only what an edit touched
    when these are the same."""

    layout: Layout
    shared: tuple  # Prepared.shared
    bundles: tuple[str, ...]
    paths: frozenset[str] | None  # the variant's page files, if a rebuild asked (Renderer.paths)


@dataclass(frozen=True)
class Prepared:
    """One variant, converted, with its pages worked out: what its templates need."""

    variant: Variant
    content: object
    site: object
    t: dict
    layout: Layout
    dirty: tuple[Page, ...]  # the pages that may differ from the cache's: all, or those laid out again
    shared: tuple  # every page's inputs besides its view: site settings, strings, base URL
    bundles: tuple[str, ...]

    @property
    def feed(self) -> tuple[MeasureRef, ...]:  # the newest measures
        return self.layout.feed


class Renderer:
    """Renders the pages of a site; `emit(path, bytes, shard)` receives each file.

    `shard` is set for measure pages, the ones the search index reads: the
    index bundle the page belongs to. Pages whose inputs equal the cache's
    are not rendered or emitted again.
    """

    def __init__(self, handbook: Handbook, templates: Path, base_url: str | None, cache: RenderCache,
                 shard_size: int | None = None):
        self.handbook, self.cache = handbook, cache
        self.modulus = shard_modulus(len(handbook.content.measures), shard_size)
        self.shard_numbers = tuple(sorted({shard_number(m.id, self.modulus) for m in handbook.content.measures}))
        signature = template_signature(templates)
        if signature != cache.templates or cache.env is None:
            cache.forget_pages()
            cache.templates, cache.env = signature, environment(templates)
        self.env = cache.env
        self.urls = Urls(base_url or handbook.settings.base_url)
        self.strings = load_strings(templates)
        self._prepared: dict[str, Prepared] = {}
        self._relations: tuple | None = None  # (key, related ids, ids whose related changed or None)
        self._term_ids: dict[str, tuple[str, ...]] | None = None  # measure id -> pages.term_ids
        self._paths: dict[str, frozenset[str]] = {}  # variant code -> its page files
        self.pending: dict = {}  # inputs of pages rendered now: the cache learns them once they are written

    def commit(self) -> None:
        """The pages rendered are on disk: remember their inputs, and the layouts they came from."""
        self.cache.pages.update(self.pending)
        self.pending = {}
        self._keep_layouts()

    def remember_all(self) -> None:
        """Record every page's inputs as on disk (after a build rendered them elsewhere, in workers)."""
        for variant in VARIANTS:
            p = self.prepared(variant)
            self.cache.pages.update({(variant.code, page.key): (page, p.shared) for page in p.layout.pages})
            self.cache.pages[(variant.code, FEED)] = (p.feed, p.shared)
            self._page_files(variant)  # kept too: the first rebuild need not list them again
        self.cache.pages[SITEMAP] = self._sitemap_inputs()
        self._keep_layouts()

    def _keep_layouts(self) -> None:
        for code, p in self._prepared.items():
            self.cache.layouts[code] = Kept(p.layout, p.shared, p.bundles, self._paths.get(code))
        if self._relations:
            self.cache.related = self._relations[:2]

    def shards(self) -> list[Shard]:
        """Every index bundle the site has: those with at least one measure, in each variant."""
        return [Shard(v.code, n) for v in VARIANTS for n in self.shard_numbers]

    def paths(self) -> set[str]:
        """Every file this renderer's site has (pages, feeds, root files)."""
        out = {"index.html", "404.html", "sitemap.xml", "robots.txt"}
        for variant in VARIANTS:
            out |= self._page_files(variant)
            out.add(page_path(variant.code, PageKey("feed")))
        return out

    def _page_files(self, variant: Variant) -> frozenset[str]:
        """The variant's page files: the kept layout's, unless pages came or went."""
        if variant.code not in self._paths:
            p, kept = self.prepared(variant), self.cache.layouts.get(variant.code)
            if kept and kept.paths is not None and same_pages(kept.layout, p.layout):
                self._paths[variant.code] = kept.paths
            else:
                self._paths[variant.code] = frozenset(file_path(page_path(variant.code, page.key))
                                                      for page in p.layout.pages)
        return self._paths[variant.code]

    def _relations_for(self, index: Index, kept: Kept | None, changed: list[int] | None) -> tuple[dict, set | None]:
        """Related measures by id (the same in every variant, so worked out once) and, after changes in
        place, the measures whose related measures changed."""
        kept_key, kept_related = self.cache.related
        if self._relations is None:
            key = tuple((m.id, m.topics) for m in self.handbook.content.measures)
            if key == kept_key:
                self._relations = (key, kept_related, set())
            elif changed is not None:
                self._relations = (key, *updated_related(kept_related, kept.layout.index, index, changed))
            else:
                self._relations = (key, related_ids(index), None)
        _, related, differ = self._relations
        if differ is None and changed is not None:  # an earlier variant was laid out whole
            differ = {id for id, ids in related.items() if kept_related.get(id) != ids}
        return related, differ

    def term_ids(self) -> dict[str, tuple[str, ...]]:
        """Each measure's terms (the same in every variant, so worked out once), kept per measure."""
        if self._term_ids is None:
            terms, kept, out = self.handbook.content.terms, {}, {}
            for m in self.handbook.content.measures:
                hit = self.cache.terms.get(id(m))
                if hit is None or hit[0] is not m or hit[1] is not terms:
                    hit = (m, terms, term_ids(m, terms))
                kept[id(m)] = hit
                out[m.id] = hit[2]
            self.cache.terms, self._term_ids = kept, out
        return self._term_ids

    def prepared(self, variant: Variant) -> Prepared:
        """The variant converted and laid out: again where measures changed in place since the kept
        layout (layout.py), else whole."""
        if variant.code not in self._prepared:
            convert = self.cache.converter(variant, self.handbook.conversion)
            content = convert_content(self.handbook.content, convert)
            t = variant_strings(self.strings, variant, convert)
            site = convert.record(self.handbook.settings)
            shared = (site, tuple(t.items()), self.urls)
            bundles = tuple(self.urls.search_bundle(Shard(variant.code, n).folder) for n in self.shard_numbers)
            kept = self.cache.layouts.get(variant.code)
            changed = None
            if kept and kept.shared == shared and kept.bundles == bundles:
                changed = changed_in_place(kept.layout.index.content, content)
            if changed is None:
                index = Index(content, self.cache.refs.setdefault(variant.code, {}))
                related, _ = self._relations_for(index, None, None)
                layout = full_layout(index, t, self._across(related, bundles))
                dirty = tuple(layout.pages)
            else:
                index = updated_index(kept.layout.index, content, changed)
                related, differ = self._relations_for(index, kept, changed)
                layout, fresh = updated_layout(kept.layout, index, t, self._across(related, bundles), differ, changed)
                dirty = tuple(fresh)
            self._prepared[variant.code] = Prepared(variant, content, site, t, layout, dirty, shared, bundles)
        return self._prepared[variant.code]

    def _across(self, related: dict, bundles: tuple[str, ...]) -> Across:
        return Across(related, self.term_ids(), bundles, self.handbook.reviewed)

    def variant(self, variant: Variant, emit, part: int = 0, parts: int = 1) -> int:
        """Render one variant's pages (every `parts`-th one from `part`); returns how many were rendered."""
        p = self.prepared(variant)
        shared = p.shared
        rendered = 0
        for page in p.dirty[part::parts]:
            inputs = (page, shared)
            if self.cache.pages.get((variant.code, page.key)) == inputs:
                continue
            html = _render_page(self.env, self.urls, variant, p.site, p.t, p.content, page).encode()
            shard = Shard(variant.code, shard_number(page.key.id, self.modulus)) if page.key.kind == "measure" else None
            emit(file_path(page_path(variant.code, page.key)), html, shard)
            self.pending[(variant.code, page.key)] = inputs
            rendered += 1
        if part == 0 and self.cache.pages.get((variant.code, FEED)) != (p.feed, shared):
            feed = _render_feed(self.env, self.urls, variant, p.site, p.t, p.content, p.feed).encode()
            emit(page_path(variant.code, FEED), feed, None)
            self.pending[(variant.code, FEED)] = (p.feed, shared)
        return rendered

    def _sitemap_inputs(self) -> tuple:
        return (tuple(page.key for page in self.prepared(SIMPLIFIED).layout.pages), self.urls)

    def shared(self, emit) -> None:
        """The files at the root of the site: chooser, 404, sitemap, robots.txt.

        They need each variant's title and strings, not its pages: only the
        Simplified pages are worked out here (for the sitemap), so a parallel
        build's parent does not convert and lay out what its workers did.
        """
        chrome = {}
        for v in VARIANTS:
            convert = self.cache.converter(v, self.handbook.conversion)
            chrome[v.code] = (convert_record(self.handbook.settings, convert), variant_strings(self.strings, v, convert))
        context = _shared_context(self.urls, chrome)
        emit("index.html", self.env.get_template("chooser.html").render(**context).encode(), None)
        emit("404.html", self.env.get_template("404.html").render(**context).encode(), None)
        sitemap = self._sitemap_inputs()
        if self.cache.pages.get(SITEMAP) != sitemap:  # 3 entries a page: only when pages come or go
            emit("sitemap.xml", _render_sitemap(self.env, self.urls, self.prepared(SIMPLIFIED).layout.pages).encode(), None)
            self.pending[SITEMAP] = sitemap
        emit("robots.txt", f"User-agent: *\nAllow: /\nSitemap: {self.urls.absolute('sitemap.xml')}\n".encode(), None)


def _shared_context(urls: Urls, chrome: dict[str, tuple]) -> dict:
    """Context of the root pages, from each variant's (site settings, strings)."""
    return {
        "site": chrome[SIMPLIFIED.code][0],
        "alternates": _alternates(urls, PageKey("home")),
        "absolute_root": urls.absolute(""),
        "static": urls.static,
        "titles": {code: site.title for code, (site, _) in chrome.items()},
        "strings": {code: t for code, (_, t) in chrome.items()},
    }


def _alternates(urls: Urls, key: PageKey) -> list[Alternate]:
    return [Alternate(v, urls.page(v.code, key), urls.absolute(page_path(v.code, key))) for v in VARIANTS]


def _helpers(urls: Urls, variant: Variant, site, t, content) -> dict:
    return {
        "v": variant, "site": site, "t": t,
        "url": lambda kind, id="", page=1: urls.page(variant.code, PageKey(kind, id, page)),
        "absolute": lambda kind, id="": urls.absolute(page_path(variant.code, PageKey(kind, id))),
        "key": PageKey, "static": urls.static, "absolute_root": urls.absolute(""), "site_root": urls.href(""),
        "editions": BY_CODE,
    }


def _render_page(env, urls: Urls, variant: Variant, site, t, content, page: Page) -> str:
    context = _helpers(urls, variant, site, t, content)
    canonical = urls.absolute(page_path(variant.code, page.key))
    context.update(page=page, view=page.view, canonical=canonical, alternates=_alternates(urls, page.key),
                   jsonld=None, citation=None)
    if isinstance(page.view, MeasureView):
        context["citation"] = citation(page.view, t, canonical)
        context["jsonld"] = jsonld(page.view, variant, canonical)
    return env.get_template(page.template).render(**context)


def _render_feed(env, urls: Urls, variant: Variant, site, t, content, entries: tuple[MeasureRef, ...]) -> str:
    updated = max(s.date for s in content.sources) if content.sources else datetime.date(2000, 1, 1)
    context = _helpers(urls, variant, site, t, content)
    context.update(entries=entries, updated=f"{updated.isoformat()}T00:00:00Z")
    return env.get_template("feed.xml").render(**context)


def _render_sitemap(env, urls: Urls, pages) -> str:
    entries = []
    for key in (page.key for page in pages):
        alternates = [(v.lang, urls.absolute(page_path(v.code, key))) for v in VARIANTS]
        for v in VARIANTS:
            entries.append({"loc": urls.absolute(page_path(v.code, key)), "alternates": alternates})
    return env.get_template("sitemap.xml").render(entries=entries)

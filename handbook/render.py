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
import yaml
from markdown_it import MarkdownIt
from markupsafe import Markup

from .citation import citation, jsonld
from .convert import Converter, convert_content, convert_record
from .model import Handbook
from .pages import Index, MeasureRef, MeasureView, Page, feed_entries, related_ids, variant_pages
from .search import Shard, shard_modulus, shard_number
from .urls import PageKey, Urls, file_path, page_path
from .variants import SIMPLIFIED, VARIANTS, Variant

_markdown = MarkdownIt("commonmark", {"html": False})
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
    return yaml.safe_load((templates / "strings.yaml").read_text(encoding="utf-8"))


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
    converters: dict = field(default_factory=dict)  # (variant code, overrides) -> Converter
    refs: dict = field(default_factory=dict)  # variant code -> {measure id: MeasureRef} (pages.Index)
    related: tuple = (None, None)  # (measures' ids and topics in order, pages.related_ids of them)

    def converter(self, variant: Variant, overrides) -> Converter:
        key = (variant.code, overrides)
        if key not in self.converters:
            self.converters[key] = Converter(variant, overrides)
        return self.converters[key]


def template_signature(templates: Path) -> tuple:
    return tuple((p.name, p.stat().st_mtime_ns, p.stat().st_size) for p in sorted(templates.iterdir()) if p.is_file())


def page_count(handbook: Handbook) -> int:
    """Roughly how many pages a build renders (for progress bars)."""
    return 3 * (len(handbook.content.measures) + 64)


@dataclass(frozen=True)
class Prepared:
    """One variant, converted, with its pages worked out: what its templates need."""

    variant: Variant
    content: object
    site: object
    t: dict
    pages: tuple[Page, ...]
    feed: tuple[MeasureRef, ...]  # the newest measures


def prepare(handbook: Handbook, variant: Variant, strings: dict, cache: RenderCache, related,
            bundles: tuple[str, ...]) -> Prepared:
    """`related(index)`: each measure's related measures by id (worked out from the first variant's
    index); `bundles`: the search index bundles of the variant's search page."""
    convert = cache.converter(variant, handbook.overrides)
    content = convert_content(handbook.content, convert)
    t = variant_strings(strings, variant, convert)
    index = Index(content, cache.refs.setdefault(variant.code, {}))
    return Prepared(variant, content, convert.record(handbook.settings), t,
                    tuple(variant_pages(index, t, related(index), bundles)), feed_entries(index))


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
            cache.templates, cache.pages, cache.env = signature, {}, environment(templates)
        self.env = cache.env
        self.urls = Urls(base_url or handbook.settings.base_url)
        self.strings = load_strings(templates)
        self._prepared: dict[str, Prepared] = {}
        self._related: dict[str, tuple[str, ...]] | None = None
        self.pending: dict = {}  # inputs of pages rendered now: the cache learns them once they are written

    def commit(self) -> None:
        self.cache.pages.update(self.pending)
        self.pending = {}

    def remember_all(self) -> None:
        """Record every page's inputs as on disk (after a build rendered them elsewhere, in workers)."""
        for variant in VARIANTS:
            p = self.prepared(variant)
            shared = self._shared_inputs(p)
            self.cache.pages.update({(variant.code, page.key): (page, shared) for page in p.pages})
            self.cache.pages[(variant.code, FEED)] = (p.feed, shared)
        self.cache.pages[SITEMAP] = self._sitemap_inputs()

    def shards(self) -> list[Shard]:
        """Every index bundle the site has: those with at least one measure, in each variant."""
        return [Shard(v.code, n) for v in VARIANTS for n in self.shard_numbers]

    def paths(self) -> set[str]:
        """Every file this renderer's site has (pages, feeds, root files)."""
        out = {"index.html", "404.html", "sitemap.xml", "robots.txt"}
        for variant in VARIANTS:
            out |= {file_path(page_path(variant.code, page.key)) for page in self.prepared(variant).pages}
            out.add(page_path(variant.code, PageKey("feed")))
        return out

    def _shared_inputs(self, p: Prepared) -> tuple:
        return (p.site, tuple(p.t.items()), self.urls)

    def _related_ids(self, index: Index) -> dict[str, tuple[str, ...]]:
        """Related measures by id: the same in every variant, and again unless topics or order changed."""
        if self._related is None:
            key = tuple((m.id, m.topics) for m in self.handbook.content.measures)
            if self.cache.related[0] != key:
                self.cache.related = (key, related_ids(index))
            self._related = self.cache.related[1]
        return self._related

    def prepared(self, variant: Variant) -> Prepared:
        if variant.code not in self._prepared:
            bundles = tuple(self.urls.search_bundle(Shard(variant.code, n).folder) for n in self.shard_numbers)
            self._prepared[variant.code] = prepare(self.handbook, variant, self.strings, self.cache,
                                                   self._related_ids, bundles)
        return self._prepared[variant.code]

    def variant(self, variant: Variant, emit, part: int = 0, parts: int = 1) -> int:
        """Render one variant's pages (every `parts`-th one from `part`); returns how many were rendered."""
        p = self.prepared(variant)
        shared = self._shared_inputs(p)
        rendered = 0
        for page in p.pages[part::parts]:
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
        return (tuple(page.key for page in self.prepared(SIMPLIFIED).pages), self.urls)

    def shared(self, emit) -> None:
        """The files at the root of the site: chooser, 404, sitemap, robots.txt.

        They need each variant's title and strings, not its pages: only the
        Simplified pages are worked out here (for the sitemap), so a parallel
        build's parent does not convert and lay out what its workers did.
        """
        chrome = {}
        for v in VARIANTS:
            convert = self.cache.converter(v, self.handbook.overrides)
            chrome[v.code] = (convert_record(self.handbook.settings, convert), variant_strings(self.strings, v, convert))
        context = _shared_context(self.urls, chrome)
        emit("index.html", self.env.get_template("chooser.html").render(**context).encode(), None)
        emit("404.html", self.env.get_template("404.html").render(**context).encode(), None)
        sitemap = self._sitemap_inputs()
        if self.cache.pages.get(SITEMAP) != sitemap:  # 3 entries a page: only when pages come or go
            emit("sitemap.xml", _render_sitemap(self.env, self.urls, self.prepared(SIMPLIFIED).pages).encode(), None)
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

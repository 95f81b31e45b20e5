"""Render pages to bytes with Jinja2 templates (and markdown-it-py for text).

Pure: a page of a plan (plan.py) in, its bytes out. Every template gets the
same helpers (url, static, t for interface strings, alternates for the
edition switch); what a page shows comes from its typed view (views.py).
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import jinja2
from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markupsafe import Markup, escape

from ..editions import CJK_CHARACTERS, Edition
from ..urls import (SITEMAP_BYTES, SITEMAP_URLS, PageKey, Urls, data_path, edit_url, file_path, page_path, root_file,
                    sitemap_part)
from . import wording
from .anchors import Labels, anchors_plugin, paragraph_sentence_counts
from .citation import citation, jsonld, nested
from .diff import side_by_side
from .pages import status_names
from .plan import EditionPlan, Plan
from .strings import load_strings
from .views import MeasureView, Page


def _image_as_text(renderer, tokens, index, options, env) -> str:
    """An image written in content shows as its alt text: the site loads no image from anywhere
    (its Content-Security-Policy allows none), and raw HTML stays text ("html": False)."""
    return escapeHtml(renderer.renderInlineAsText(tokens[index].children or [], options, env))


_markdown = MarkdownIt("commonmark", {"html": False})
_markdown.add_render_rule("image", _image_as_text)
_markdown.use(anchors_plugin)
FEED = PageKey("feed")


@dataclass(frozen=True)
class Alternate:
    """The same page in another edition, for the edition switch and hreflang links. An edition without
    that page (a page of changes only the English edition has) is linked at its nearest one instead, and
    left out of hreflang (`same` is false)."""

    edition: Edition
    href: str
    absolute: str
    same: bool = True


@dataclass(frozen=True)
class Templates:
    """The templates, compiled, and the interface strings: kept while their files are unchanged."""

    signature: tuple  # name, mtime and size of each file of templates/
    env: jinja2.Environment
    strings: dict


class _CompiledTemplates(jinja2.BytecodeCache):
    """Each template source compiled once a process: a fresh environment (a template edited in serve, the
    next build of a test) compiles only the templates whose source changed."""

    def __init__(self) -> None:
        self.code: dict[tuple[str, str], object] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        bucket.code = self.code.get((bucket.key, bucket.checksum))

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.code[(bucket.key, bucket.checksum)] = bucket.code


_compiled = _CompiledTemplates()


def environment(templates: Path) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(templates),
        bytecode_cache=_compiled,
        autoescape=jinja2.select_autoescape(["html", "xml"]),
        undefined=jinja2.StrictUndefined,  # a typo in a template fails the build
        trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
        auto_reload=False,  # load_templates makes a new environment when a template file changes
    )
    env.filters["markdown"] = lambda text: Markup(_markdown.render(text))
    env.filters["anchored"] = _anchored
    env.filters["written_date"] = wording.written_date
    env.filters["file_size"] = wording.file_size
    env.filters["fill"] = wording.fill
    env.filters["zh"] = _chinese_marked
    env.filters["host"] = lambda address: urlsplit(address).netloc  # a link's text: whose site it is
    env.filters["measure_count"] = _measure_count
    env.filters["nested"] = nested  # a title inside quotation marks: 第2项“率先实行工业项目‘一个部门……’”
    env.globals["side_by_side"] = side_by_side
    return env


_CHINESE_RUN = re.compile(f"[{CJK_CHARACTERS}](?:[{CJK_CHARACTERS}0-9 ]*[{CJK_CHARACTERS}])?")  # 穗府函〔2022〕183号: one run
_TAG = re.compile(r"(<[^>]*>)")


@jinja2.pass_context
def _chinese_marked(context, value) -> Markup:
    """Chinese inside a page of another language, marked with the source's `lang` (a name kept in Chinese in
    an English text, a 文号, a measure not yet translated), so it is read, hyphenated and shown as Chinese.
    On a Chinese page, the value as it is. Text is escaped first; Markup (rendered Markdown) is marked
    between its tags only."""
    if context["edition"].lang.startswith("zh"):
        return value
    html = str(value if isinstance(value, Markup) else escape(value))
    lang = context["chinese"].lang
    parts = _TAG.split(html)
    marked = (part if part.startswith("<") else _CHINESE_RUN.sub(lambda m: f'<span lang="{lang}">{m.group()}</span>',
                                                                   part) for part in parts)
    return Markup("".join(marked))


@jinja2.pass_context
def _anchored(context, measure) -> Markup:
    """A measure's text with an anchor on each paragraph and sentence (anchors.py), named in the edition's
    words; a translation carries the anchors of the Chinese it translates (MeasureView.original)."""
    t, original = context["t"], getattr(context["view"], "original", None)
    chinese = paragraph_sentence_counts(_markdown, original.text) \
        if original is not None and measure.translation in ("current", "stale") else None
    paragraphs = len(chinese if chinese is not None else paragraph_sentence_counts(_markdown, measure.text))
    n = measure.number

    def sentence(p: int, s: int) -> str:  # with one paragraph, a reader cites 第5项 第3句
        if paragraphs > 1:
            return wording.fill(t["paragraph_sentence_ref"], n=n, p=p, s=s)
        return wording.fill(t["sentence_ref"], n=n, s=s)

    labels = Labels(sentence, lambda p: wording.fill(t["paragraph_ref"], n=n, p=p), chinese)
    return Markup(_markdown.render(measure.text, {"anchors": labels}))


@jinja2.pass_context
def _measure_count(context, n: int) -> str:
    """"{n} measures", or the edition's wording for one (1 measure, not 1 measures)."""
    t = context["t"]
    return wording.fill(t["measure_count_one"] if n == 1 else t["measure_count"], n=n)


def load_templates(folder: Path, previous: Templates | None = None) -> Templates:
    """The templates of `folder`, compiled again only if a file changed since `previous`."""
    signature = tuple((p.name, p.stat().st_mtime_ns, p.stat().st_size) for p in sorted(folder.iterdir()) if p.is_file())
    if previous is not None and previous.signature == signature:
        return previous
    env = environment(folder)
    for name in env.list_templates(extensions=["html", "xml"]):  # here, not in each render worker:
        # they fork with every template compiled
        env.get_template(name)
    return Templates(signature, env, load_strings(folder))


def render_edition(env: jinja2.Environment, plan: Plan, edition: EditionPlan, emit, part: int = 0,
                   parts: int = 1) -> int:
    """Render the edition's pages to do (every `parts`-th one from `part`, and with part 0 its feed),
    each to `emit(path, bytes, shard)`; returns how many pages were rendered."""
    redo, code = edition.redo[part::parts], edition.edition.code
    helpers = _helpers(plan, edition, env)  # once an edition: what every page has, and the listed measures
    for page in redo:
        emit(file_path(page_path(code, page.key)), render_page(env, plan, edition, page, helpers),
             plan.shard_of(edition.edition, page))
    if part == 0 and edition.feed_again:
        emit(page_path(code, FEED), render_feed(env, plan, edition), None)
    return len(redo)


def render_page(env: jinja2.Environment, plan: Plan, edition: EditionPlan, page: Page,
                helpers: dict | None = None) -> bytes:
    """One page; `helpers`: the edition's (_helpers), when rendering many of its pages."""
    urls, code = edition.shared.urls, edition.edition.code
    context = dict(helpers or _helpers(plan, edition, env))
    canonical = urls.absolute(page_path(code, page.key))
    context.update(page=page, view=page.view, canonical=canonical, jsonld=None, citation=None,
                   alternates=_alternates(urls, plan, page.key), x_default=_x_default(urls, plan, page.key))
    if isinstance(page.view, MeasureView):
        context["citation"] = citation(page.view, edition.t, canonical, edition.edition)
        original = urls.absolute(page_path(plan.declared[0].code, page.key))
        context["jsonld"] = jsonld(page.view, edition.edition, canonical, edition.t, plan.declared[0], original)
    return env.get_template(page.template).render(**context).encode()


def render_pdf_html(env: jinja2.Environment, plan: Plan, edition: EditionPlan, view) -> str:
    """The HTML a PDF is laid out from (pdf/documents.py: its view): templates/pdf.html, with the helpers
    every page has."""
    context = _helpers(plan, edition, env)
    context["view"] = view
    return env.get_template("pdf.html").render(**context)


def render_feed(env: jinja2.Environment, plan: Plan, edition: EditionPlan) -> bytes:
    """The edition's changes (history.py), newest first; without a history, its newest measures."""
    entries, sources = edition.feed, edition.content.sources
    if entries and entries[0][0] is not None:
        updated = max(rev.when for rev, _ in entries).isoformat()
    else:
        updated = f"{max(s.date for s in sources) if sources else datetime.date(2000, 1, 1)}T00:00:00Z"
    context = _helpers(plan, edition, env)
    context.update(entries=entries, updated=updated)
    return env.get_template("feed.xml").render(**context).encode()


def root_files(env: jinja2.Environment, plan: Plan) -> dict[str, bytes]:
    """The files at the root of the site: chooser, 404, robots.txt, and the sitemap when pages came or went.

    They show each edition's title and strings, which the plan has already converted."""
    urls = plan.urls
    context = {
        "site": plan.editions[0].site,
        "alternates": _alternates(urls, plan, PageKey("home")),
        "absolute_root": urls.absolute(""), "x_default": urls.absolute(""),
        "static": urls.static,
        "titles": {p.edition.code: p.site.title for p in plan.editions},
        "strings": {p.edition.code: p.t for p in plan.editions},
        "searches": {e.code: urls.page(e.code, PageKey("search")) for e in plan.declared},
    }
    files = {root_file("chooser"): env.get_template("chooser.html").render(**context).encode(),
             root_file("404"): env.get_template("404.html").render(**context).encode(),
             root_file("robots"): f"User-agent: *\nAllow: /\nSitemap: {urls.absolute(root_file('sitemap'))}\n".encode()}
    if plan.sitemap_again:  # an entry per page and edition: written only when pages come or go
        files.update(_render_sitemap(env, plan))
    return files


def _x_default(urls: Urls, plan: Plan, key: PageKey) -> str:
    """The page for a reader of no edition's language: the root chooser for the home pages (it names
    them all back), else the page in the first edition that has it, the source's as a rule (each edition
    that has the page names it)."""
    return urls.absolute("") if key.kind == "home" else urls.absolute(page_path(plan.having(key)[0].code, key))


def _alternates(urls: Urls, plan: Plan, key: PageKey) -> list[Alternate]:
    out = []
    for p in plan.editions:
        shown = p.nearest(key)
        out.append(Alternate(p.edition, urls.page(p.edition.code, shown), urls.absolute(page_path(p.edition.code, shown)),
                             shown == key))
    return out


def _helpers(plan: Plan, edition: EditionPlan, env: jinja2.Environment) -> dict:
    """What the templates of every page of the edition call."""
    urls, code = edition.shared.urls, edition.edition.code
    helpers = {
        "edition": edition.edition, "site": edition.site, "t": edition.t,
        "url": lambda kind, id="", page=1: urls.page(code, PageKey(kind, id, page)),
        "absolute": lambda kind, id="": urls.absolute(page_path(code, PageKey(kind, id))),
        "key": PageKey, "static": urls.static, "absolute_root": urls.absolute(""), "site_root": urls.href(""),
        "data_file": lambda name: urls.href(data_path(code, name)),
        "editions": plan.by_code, "chinese": plan.declared[0],
        "edit_url": lambda measure: (edit_url(edition.site.repo_url, edition.site.edit_uri, measure.file)
                                     if edition.site.repo_url and measure.file else None),
        "document_names": lambda sources: _names(edition, [s.short_title for s in sources]),
        "status_name": lambda status: status_names(edition.t)[status],
        "has_history": edition.history.state != "none",  # changes/ exists
        # a page links its PDF only when the build makes them (`build --pdf`)
        "pdf": (lambda kind, id="": urls.pdf(code, kind, id)) if edition.shared.pdf else None,
    }
    helpers["listed"] = _listed(env, helpers)
    return helpers


def _listed(env: jinja2.Environment, helpers: dict):
    """macros.html's measure_item, rendered once a measure (and show_source) for the edition: a measure
    is listed on many pages (its document, category, topics, units, the list of all, others' related
    measures), always the same way."""
    items: dict[tuple[str, bool], Markup] = {}
    macros = None  # made by the first item: a page that lists none needs none

    def listed(ref, show_source: bool) -> Markup:
        nonlocal macros
        key = (ref.measure.id, show_source)
        if key not in items:
            macros = macros or env.get_template("macros.html").make_module(helpers)
            items[key] = macros.measure_item(ref, show_source)
        return items[key]
    return listed


def _names(edition: EditionPlan, names: list[str]) -> str:
    """Names in a sentence: 甲、乙 in Chinese, A and B in English."""
    if edition.edition.lang.startswith("zh") or len(names) < 2:
        return edition.t["list_separator"].join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def _render_sitemap(env: jinja2.Environment, plan: Plan) -> dict[str, bytes]:
    """sitemap.xml: every page with its alternates; past what one file may hold (sitemaps.org: 50,000
    URLs, 50 MB), an index of parts (sitemap-1.xml, …), each of at most that."""
    urls, keys = plan.urls, plan.sitemap[0]
    entries = []
    for key, codes in keys:
        having = [plan.by_code[code] for code in codes]
        alternates = [(e.lang, urls.absolute(page_path(e.code, key))) for e in having]
        alternates.append(("x-default", _x_default(urls, plan, key)))
        locations = [urls.absolute(page_path(e.code, key)) for e in having]
        if key.kind == "home":
            locations.insert(0, urls.absolute(""))  # the root chooser: x-default of the home pages
        entries.extend({"loc": loc, "alternates": alternates} for loc in locations)
    template = env.get_template("sitemap.xml")

    def cut(size: int) -> list[bytes]:
        return [template.render(entries=entries[i:i + size]).encode() for i in range(0, len(entries), size)]

    parts = cut(SITEMAP_URLS) or [template.render(entries=[]).encode()]
    while any(len(part) > SITEMAP_BYTES for part in parts):  # long addresses: halve the parts until they fit
        parts = cut(-(-len(entries) // (2 * len(parts))))
    if len(parts) == 1:
        return {root_file("sitemap"): parts[0]}
    names = [sitemap_part(n) for n in range(1, len(parts) + 1)]
    index = env.get_template("sitemap-index.xml").render(parts=[urls.absolute(name) for name in names]).encode()
    return {root_file("sitemap"): index, **dict(zip(names, parts))}

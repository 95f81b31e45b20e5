"""Render pages to bytes with Jinja2 templates (and markdown-it-py for text).

Pure: content in, {site path: bytes} out. Every template gets the same
helpers (url, static, t for interface strings, alternates for the variant
switch); what a page shows comes from its typed view (pages.py).
"""

from __future__ import annotations

import datetime
import json
from dataclasses import dataclass, field
from pathlib import Path

import jinja2
import yaml
from markdown_it import MarkdownIt
from markupsafe import Markup

from .convert import Converter, convert_content, convert_record
from .model import Handbook
from .pages import Index, MeasureView, Page, feed_entries, variant_pages
from .urls import PageKey, Urls, file_path, page_path
from .variants import VARIANTS, Variant

_markdown = MarkdownIt("commonmark", {"html": False})


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
    interface strings, the header's source list and the base URL; if all are
    equal to last time, and the templates are the same files, its bytes are
    too. `python build.py serve` keeps one across rebuilds.
    """

    templates: tuple = ()
    pages: dict = field(default_factory=dict)  # (variant code, PageKey) -> (inputs, bytes)
    converters: dict = field(default_factory=dict)  # (variant code, overrides) -> Converter
    rendered: int = 0  # pages rendered by the last build; the others were reused

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


def render_site(handbook: Handbook, templates: Path, base_url: str | None = None,
                cache: RenderCache | None = None, on_page=lambda path: None) -> dict[str, bytes]:
    """Every file of the site except static assets, as site path -> bytes."""
    cache = cache or RenderCache()
    signature = template_signature(templates)
    if signature != cache.templates:
        cache.templates, cache.pages = signature, {}
    cache.rendered = 0
    env = environment(templates)
    urls = Urls(base_url or handbook.settings.base_url)
    strings = load_strings(templates)
    files: dict[str, bytes] = {}
    per_variant = {}
    for variant in VARIANTS:
        convert = cache.converter(variant, handbook.overrides)
        content = convert_content(handbook.content, convert)
        site = convert_record(handbook.settings, convert)
        t = variant_strings(strings, variant, convert)
        pages = variant_pages(content, t)
        per_variant[variant.code] = (site, t, pages)
        shared = (site, tuple(t.items()), tuple((s.id, s.short_title) for s in content.sources), urls)
        for page in pages:
            path = file_path(page_path(variant.code, page.key))
            inputs = (page, shared)
            known = cache.pages.get((variant.code, page.key))
            if known and known[0] == inputs:
                files[path] = known[1]
            else:
                files[path] = _render_page(env, urls, variant, site, t, content, page).encode()
                cache.pages[(variant.code, page.key)] = (inputs, files[path])
                cache.rendered += 1
            on_page(path)
        files[page_path(variant.code, PageKey("feed"))] = _render_feed(env, urls, variant, site, t, content).encode()

    shared = _shared_context(urls, per_variant)
    files["index.html"] = env.get_template("chooser.html").render(**shared).encode()
    files["404.html"] = env.get_template("404.html").render(**shared).encode()
    files["sitemap.xml"] = _render_sitemap(env, urls, per_variant).encode()
    files["robots.txt"] = f"User-agent: *\nAllow: /\nSitemap: {urls.absolute('sitemap.xml')}\n".encode()
    return files


def _shared_context(urls: Urls, per_variant: dict) -> dict:
    return {
        "site": per_variant["zh-hans"][0],
        "alternates": _alternates(urls, PageKey("home")),
        "absolute_root": urls.absolute(""),
        "static": urls.static,
        "titles": {code: site.title for code, (site, _, _) in per_variant.items()},
        "strings": {code: t for code, (_, t, _) in per_variant.items()},
    }


def _alternates(urls: Urls, key: PageKey) -> list[Alternate]:
    return [Alternate(v, urls.page(v.code, key), urls.absolute(page_path(v.code, key))) for v in VARIANTS]


def _helpers(urls: Urls, variant: Variant, site, t, content) -> dict:
    return {
        "v": variant, "site": site, "t": t, "all_sources": content.sources,
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
        context["citation"] = _citation(page.view, t, canonical)
        context["jsonld"] = _jsonld(page.view, variant, canonical)
    return env.get_template(page.template).render(**context)


def _citation(view: MeasureView, t: dict, url: str) -> str:
    source, measure = view.ref.source, view.ref.measure
    number = f"{source.number}，" if source.number else ""
    date = f"{source.date.year}年{source.date.month}月{source.date.day}日"
    return (t["citation"].replace("{title}", f"《{source.title}》").replace("{number}", number)
            .replace("{date}", date).replace("{n}", str(measure.number)).replace("{measure}", measure.title)
            .replace("{url}", url))


def _jsonld(view: MeasureView, variant: Variant, url: str) -> Markup:
    source, measure = view.ref.source, view.ref.measure
    data = {
        "@context": "https://schema.org",
        "@type": "Legislation",
        "name": measure.title,
        "identifier": f"{source.number or source.id} #{measure.number}",
        "legislationIdentifier": source.number or source.id,
        "datePublished": source.date.isoformat(),
        "legislationDate": source.date.isoformat(),
        "inLanguage": variant.lang,
        "url": url,
        "isPartOf": {"@type": "Legislation", "name": source.title,
                     **({"legislationIdentifier": source.number} if source.number else {})},
        "legislationPassedBy": {"@type": "GovernmentOrganization", "name": source.issuer},
        "publisher": {"@type": "GovernmentOrganization", "name": source.issuer},
    }
    text = json.dumps(data, ensure_ascii=False, sort_keys=True)
    return Markup(text.replace("</", "<\\/"))


def _render_feed(env, urls: Urls, variant: Variant, site, t, content) -> str:
    entries = feed_entries(Index(content))
    updated = max(s.date for s in content.sources) if content.sources else datetime.date(2000, 1, 1)
    context = _helpers(urls, variant, site, t, content)
    context.update(entries=entries, updated=f"{updated.isoformat()}T00:00:00Z")
    return env.get_template("feed.xml").render(**context)


def _render_sitemap(env, urls: Urls, per_variant: dict) -> str:
    entries = []
    keys = [page.key for page in per_variant["zh-hans"][2]]
    for key in keys:
        alternates = [(v.lang, urls.absolute(page_path(v.code, key))) for v in VARIANTS]
        for v in VARIANTS:
            entries.append({"loc": urls.absolute(page_path(v.code, key)), "alternates": alternates})
    return env.get_template("sitemap.xml").render(entries=entries)

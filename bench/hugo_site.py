#!/usr/bin/env python3
"""Write a Hugo site equivalent to the handbook's build of a content folder, for bench/hugo_baseline.py.

    python bench/hugo_site.py CONTENT OUT

Issue 18 compares our render time per page with Hugo's on the same content,
so this writes the pages our build makes for measures, their parallel
(Chinese and English) pages, source documents, categories, topics, units
and the list of all measures, in the same four editions, paginated 50 a
page as ours are, at the same addresses (/zh-hk/measures/<id>/, …/page/2/):

- hugo.json: one language per edition (its own contentDir), the taxonomies
  source, category, topic and unit (Hugo's term pages are our list pages);
- the related measures each measure page lists, in its front matter: our
  build works them out before the render stage (handbook/site/index.py),
  so Hugo is given them too (its `.Related` scores every page sharing a
  topic with every other: 349 s for Hugo at 10,000 measures, not 119);
- i18n/<edition>.json: every interface string of templates/strings.yaml,
  as that edition words it;
- content/<edition>/: a file per measure and per parallel page (JSON front
  matter, the Markdown text that Hugo's Goldmark renders) and an _index.md
  per list, naming it;
- layouts/: copied from bench/hugo/layouts (the base layout with header,
  language switcher, breadcrumb and footer; the measure page with its
  metadata table; the list pages).

What differs, on purpose: Hugo has no OpenCC, so the zh-hk and zh-tw
editions carry the Simplified text (same characters, same size); the English
edition shows the Chinese text, as ours does for a measure without a
translation (the synthetic content has none); no sentence anchors, glossary
terms, version history or search index. The point is the same pages in
the same editions, with comparable HTML; hugo_baseline.py reports the bytes
per page of each.

It needs the handbook's code (the content loader) and runs with .venv's Python.
"""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # `python bench/hugo_site.py` puts bench/, not the root, on the path

from handbook.content.load import load  # noqa: E402
from handbook.editions import EDITIONS, Edition, source_edition  # noqa: E402
from handbook.site.index import Index, related_ids  # noqa: E402
from handbook.site.pages import PAGE_SIZE, summary  # noqa: E402
from handbook.site.strings import load_strings  # noqa: E402

LAYOUTS = ROOT / "bench" / "hugo" / "layouts"
TAXONOMIES = {"source": "sources", "category": "categories", "topic": "topics", "unit": "units"}


class SiteError(Exception):
    """The content does not load, so there is no site to write."""


def own(record, code: str, name: str):
    """A record's field as an edition words it: its regional wording there, else the source's."""
    return next((value for c, f, value in getattr(record, "regional", ()) if c == code and f == name),
                getattr(record, name))


def interface_strings(edition: Edition, strings: dict) -> dict[str, dict[str, str]]:
    """i18n/<code>.json: every string as the edition words it (the source's, where it has none of its own)."""
    source = source_edition(EDITIONS).code
    out = {}
    for key, value in strings.items():
        if isinstance(value, dict):
            value = value.get(edition.code, value.get(source))
        if isinstance(value, str):
            out[key] = {"other": value}
    return out


def config(settings, base_url: str) -> dict:
    """hugo.json: a language per edition, the taxonomies, 50 a page."""
    languages = {}
    for weight, edition in enumerate(EDITIONS, 1):
        languages[edition.code] = {
            "languageCode": edition.lang, "languageName": edition.name, "weight": weight,
            "contentDir": f"content/{edition.code}", "title": own(settings, edition.code, "title"),
            "params": {"lang": edition.lang, "short": edition.short, "locale": edition.locale, "converted": edition.converted,
                       "description": own(settings, edition.code, "description")}}
    return {
        "baseURL": base_url, "defaultContentLanguage": EDITIONS[0].code, "defaultContentLanguageInSubdir": True,
        "disableKinds": ["RSS", "sitemap", "robotsTXT", "404"], "paginate": PAGE_SIZE,
        "taxonomies": TAXONOMIES, "languages": languages, "enableGitInfo": False,
        "markup": {"goldmark": {"renderer": {"unsafe": False}}},
    }


def page(front: dict, body: str = "") -> str:
    """A content file: JSON front matter (Hugo reads a file that starts with `{` as such), then Markdown."""
    return json.dumps(front, ensure_ascii=False, indent=1, sort_keys=True) + "\n" + body


def edition_files(content, edition: Edition, related: dict[str, tuple[str, ...]]) -> dict[str, str]:
    """content/<code>/: the measures, their parallel pages, and an _index.md naming each list."""
    code, files = edition.code, {}
    sources = {s.id: s for s in content.sources}
    totals = {s.id: sum(1 for m in content.measures if m.source == s.id) for s in content.sources}
    categories = {c.id: c for s in content.sources for c in s.categories}
    base = f"content/{code}"
    for weight, m in enumerate(content.measures, 1):
        s = sources[m.source]
        front = {"title": m.title, "weight": weight, "number": m.number, "total": totals[s.id],
                 "sources": [s.id], "topics": list(m.topics), "units": list(m.units),
                 "source_title": own(s, code, "title"), "source_short": own(s, code, "short_title"),
                 "issuer": own(s, code, "issuer") or "", "description": summary(m.text),
                 "issued": s.published.isoformat() if s.published else "",  # Hugo takes `published` for its own date
                 "measure_id": m.id, "related": list(related[m.id])}
        if m.category:
            front["categories"] = [m.category]
        if m.scope:
            front["scope"] = m.scope
        files[f"{base}/measures/{m.id}.md"] = page(front, m.text + "\n")
        files[f"{base}/parallel/{m.id}.md"] = page(
            {"title": m.title, "weight": weight, "measure_id": m.id, "source": s.id, "number": m.number,
             "source_short": own(s, code, "short_title"), "description": summary(m.text)}, m.text + "\n")
    files[f"{base}/measures/_index.md"] = page({"title": "all_measures"})
    files[f"{base}/parallel/_index.md"] = page({"title": "parallel", "_build": {"render": "never"}})  # ours has no such list
    for kind, plural in TAXONOMIES.items():
        files[f"{base}/{plural}/_index.md"] = page({"title": plural})
    for s in content.sources:
        files[f"{base}/sources/{s.id}/_index.md"] = page({"title": own(s, code, "short_title"),
                                                         "description": own(s, code, "description") or ""})
    for c in categories.values():
        files[f"{base}/categories/{c.id}/_index.md"] = page({"title": own(c, code, "name")})
    for t in content.topics:
        files[f"{base}/topics/{t.id}/_index.md"] = page({"title": own(t, code, "name"),
                                                        "description": own(t, code, "description")})
    for u in content.units:
        files[f"{base}/units/{u.id}/_index.md"] = page({"title": own(u, code, "name")})
    files[f"{base}/_index.md"] = page({"title": ""})
    return files


def site_files(content_dir: Path, templates: Path = ROOT / "templates") -> dict[str, str]:
    """Every file of the Hugo site but its layouts, as path relative to OUT -> text."""
    loaded = load(content_dir)
    errors = [d for d in loaded.diagnostics if d.is_error]
    if errors or not loaded.content.measures or loaded.settings is None:
        first = errors[0].format() if errors else "no measures, or no site.yaml"
        raise SiteError(f"{content_dir} does not load cleanly ({first}): run `build.py --content {content_dir} check`")
    strings = load_strings(templates)
    related = related_ids(Index(loaded.content))  # as our plan works them out, before rendering
    files = {"hugo.json": json.dumps(config(loaded.settings, loaded.settings.base_url), ensure_ascii=False,
                                     indent=1, sort_keys=True) + "\n"}
    for edition in EDITIONS:
        files[f"i18n/{edition.code}.json"] = json.dumps(interface_strings(edition, strings), ensure_ascii=False,
                                                        indent=1, sort_keys=True) + "\n"
        files.update(edition_files(loaded.content, edition, related))
    return files


def write(out: Path, files: dict[str, str]) -> None:
    """Replace OUT with the site: these files and bench/hugo/layouts."""
    shutil.rmtree(out, ignore_errors=True)
    shutil.copytree(LAYOUTS, out / "layouts")
    for relative, text in files.items():
        path = out / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 2:
        print(__doc__.split("\n\n")[1], file=sys.stderr)
        return 2
    try:
        files = site_files(Path(args[0]))
    except SiteError as error:
        print(f"hugo_site: error: {error}", file=sys.stderr)
        return 1
    write(Path(args[1]), files)
    print(f"hugo_site: {len(files)} files in {args[1]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

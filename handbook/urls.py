"""Every URL of the site, and the path of every file the build writes into it, comes from here.

A page is named by a PageKey (kind and id), the same in every edition; its
path is `<edition>/<kind-folder>/<id>/`. Links are written with the path of
base_url in front, so the site works under a sub-path (/handbook/); canonical
links, the sitemap and the feeds use base_url whole.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property
from urllib.parse import urlsplit

FOLDERS = {"source": "sources", "measure": "measures", "topic": "topics", "category": "categories", "unit": "units",
           "status": "status", "parallel": "parallel", "history": "changes"}
# parallel: a measure's Chinese and its translation, paragraph by paragraph; history: a measure's revisions
# A folder's own page lists what the folder holds: measures/ lists every measure (paginated), topics/ every topic.
INDEXES = {"measures": "measure", "sources": "source", "topics": "topic", "categories": "category", "units": "unit",
           "changes": "history"}  # changes/: every measure's revisions, newest first
SINGLE_PAGES = {"home": "", "about": "about/", "search": "search/", "glossary": "glossary/", "feed": "feed.xml",
                "data": "data/"}  # data: the open data page, and its files beside it (data_path)
ROOT_FILES = {"chooser": "", "404": "404.html", "sitemap": "sitemap.xml", "robots": "robots.txt"}
# What one sitemap file may hold (sitemaps.org): past it, sitemap.xml is an index of parts, sitemap-1.xml, ….
SITEMAP_URLS = 50_000
SITEMAP_BYTES = 50 * 1024 * 1024
_SITEMAP_PART = re.compile(r"sitemap-[1-9][0-9]*\.xml")
SEARCH_INDEX = "pagefind"  # Pagefind's bundles: pagefind/<edition>/<bundle>/
# `build --pdf`: an edition's PDFs in one folder of their own (docs/pdf.md), a measure's and a source
# document's named by id, the whole handbook's handbook.pdf: <edition>/pdf/measures/<id>.pdf, …
PDF_FOLDER = "pdf"
PDF_KINDS = {"measure": "measures/", "source": "sources/", "handbook": ""}
STATIC = "static"  # static/ of the project, copied as it is


# The address a site is published at: http(s), a host, and a path of non-empty segments ending in /.
# Not "//host/" (it would name another host), no query, fragment, space or empty segment (a link to
# "//x/…" leaves the site). The same pattern is in site.schema.json (a test keeps them equal), where
# editors use it as JavaScript does.
_PATH = r"/(?:[A-Za-z0-9._~!$&'()*+,;=:@%-]+/)*"
ABSOLUTE_BASE = re.compile(r"^https?://(?:\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*)(?::[0-9]{1,5})?"
                           + _PATH + "$")
PATH_BASE = re.compile("^" + _PATH + "$")


def base_url_problem(url: str, path_allowed: bool = False) -> str | None:
    """Why `url` cannot be a base URL, or None. A bare path (/handbook/) only where `path_allowed`."""
    if ABSOLUTE_BASE.fullmatch(url) or (path_allowed and PATH_BASE.fullmatch(url)):
        return None
    form = "an absolute http(s) address" + (" or a path" if path_allowed else "")
    return (f"must be {form} ending in /, such as https://example.org/handbook/"
            + (" or /handbook/" if path_allowed else ""))


@dataclass(frozen=True, order=True)
class PageKey:
    kind: str
    id: str = ""
    page: int = 1  # pages of a long list: 2, 3, … live under page/<n>/


def page_path(edition_code: str, key: PageKey) -> str:
    """Path of a page below the site root, e.g. zh-hk/measures/nansha-batch6-07/."""
    if key.kind in SINGLE_PAGES:
        return f"{edition_code}/{SINGLE_PAGES[key.kind]}"
    more = f"page/{key.page}/" if key.page > 1 else ""
    if key.kind in INDEXES:
        return f"{edition_code}/{FOLDERS[INDEXES[key.kind]]}/{more}"
    return f"{edition_code}/{FOLDERS[key.kind]}/{key.id}/{more}"


def file_path(path: str) -> str:
    """The file that serves a path: directories get index.html."""
    return path + "index.html" if path.endswith("/") or not path else path


def root_file(name: str) -> str:
    """A file at the root of the site (ROOT_FILES: the edition chooser, 404, sitemap, robots.txt)."""
    return file_path(ROOT_FILES[name])


def sitemap_part(number: int) -> str:
    """The file of the sitemap's part `number` (from 1), at the root of the site."""
    return f"sitemap-{number}.xml"


def is_sitemap_part(path: str) -> bool:
    return _SITEMAP_PART.fullmatch(path) is not None


def pdf_path(edition_code: str, kind: str, id: str = "") -> str:
    """A PDF of an edition (PDF_KINDS): zh-hk/pdf/measures/gzdd-2022-05.pdf, zh-hk/pdf/handbook.pdf."""
    return f"{edition_code}/{PDF_FOLDER}/{PDF_KINDS[kind]}{id or 'handbook'}.pdf"


def static_path(name: str) -> str:
    """A file of static/, as the site has it: static/search.js."""
    return f"{STATIC}/{name}"


def bundle_path(folder: str) -> str:
    """A bundle of the search index (search.shards.Shard.folder): pagefind/zh-hk/0/."""
    return f"{SEARCH_INDEX}/{folder}/"


def search_data_path(edition_code: str, name: str) -> str:
    """A file the search page loads besides the index: zh-hk/search/script.json, …/terms.json."""
    return f"{page_path(edition_code, PageKey('search'))}{name}"


def data_path(edition_code: str, name: str) -> str:
    """A file of an edition's open data, beside the page that explains them: zh-hk/data/measures.csv."""
    return f"{page_path(edition_code, PageKey('data'))}{name}"


@dataclass(frozen=True)
class Urls:
    base_url: str  # e.g. https://example.github.io/handbook/ or /handbook/

    @cached_property  # asked for by every link of every page
    def origin(self) -> str:
        parts = urlsplit(self.base_url)
        return f"{parts.scheme}://{parts.netloc}" if parts.netloc else ""

    @cached_property
    def prefix(self) -> str:
        path = urlsplit(self.base_url).path or "/"
        return path if path.endswith("/") else path + "/"

    def href(self, path: str) -> str:
        """Link to a path below the site root, as written in pages."""
        return self.prefix + path

    def absolute(self, path: str) -> str:
        return self.origin + self.prefix + path

    def page(self, edition_code: str, key: PageKey) -> str:
        return self.href(page_path(edition_code, key))

    def root(self, name: str) -> str:
        return self.href(ROOT_FILES[name])

    def search_bundle(self, folder: str) -> str:
        """A Pagefind bundle of the search index, e.g. pagefind/zh-hk/0/."""
        return self.href(bundle_path(folder))

    def static(self, name: str) -> str:
        return self.href(static_path(name))

    def pdf(self, edition_code: str, kind: str, id: str = "") -> str:
        return self.href(pdf_path(edition_code, kind, id))


def edit_url(repo_url: str, edit_uri: str, file: str) -> str:
    """The forge's page that edits a content file: repo_url + edit_uri + content/<file>, as MkDocs does."""
    return f"{repo_url.rstrip('/')}/{edit_uri.lstrip('/')}content/{file}"

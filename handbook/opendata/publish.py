"""One edition's open data: its files, by path below the site root, and the data page's view of them.

Made in the plan (site/plan.py) from the edition's converted content, the same values its pages show,
so the data page can give every file's size and a rebuild rewrites only the files an edit changed
(the builder writes what differs, like any page).
"""

from __future__ import annotations

from dataclasses import dataclass

from ..editions import Edition
from ..model import Content, SiteSettings
from ..site.views import DataView
from ..site.wording import fill
from ..urls import PageKey, Urls, data_path, page_path
from .encode import Encoder
from .package import Sheet, descriptor, encoded, json_schema, table_sheets
from .tables import Context, edition_tables

PACKAGE = "datapackage.json"


@dataclass(frozen=True)
class OpenData:
    files: dict[str, bytes]  # path below the site root -> bytes
    view: DataView
    encoder: Encoder  # each record's lines, for the next build's


def open_data(content: Content, edition: Edition, editions: tuple[Edition, ...], t: dict[str, str], urls: Urls,
              terms: dict[str, tuple[str, ...]], site: SiteSettings, before: OpenData | None = None) -> OpenData:
    """Every file of the edition's data folder; `content` and `site` as the edition shows them (converted),
    `t` its interface strings, `terms`: measure id -> the ids of the terms it writes; `before`: the
    previous build's, whose encoded records are reused where they are the same."""
    context, absolute = Context(edition, urls, terms), bool(urls.origin)
    encoder = before.encoder if before and before.encoder.key == (edition, urls.base_url) else Encoder(edition,
                                                                                                       urls.base_url)
    tables = edition_tables(editions, content.terms)
    files = encoder.files(tables, content, context)
    sheets: list[Sheet] = []
    for table in tables:
        described = table_sheets(table, edition, t)
        sheets.extend(described)
        schema = json_schema(described[0], list(described[1:]), urls.absolute(_path(edition, f"{table.name}.schema.json")),
                             absolute)
        files[f"{table.name}.schema.json"] = encoded(schema)
    files[PACKAGE] = encoded(descriptor(_head(edition, t, urls, content, site), tuple(sheets), files, absolute))
    view = DataView(tuple(sheets), {name: len(data) for name, data in files.items()}, PACKAGE)
    return OpenData({_path(edition, name): data for name, data in files.items()}, view, encoder)


def _path(edition: Edition, name: str) -> str:
    return data_path(edition.code, name)


def _head(edition: Edition, t: dict[str, str], urls: Urls, content: Content, site: SiteSettings) -> dict:
    """What the descriptor says of the package as a whole, in the edition's words."""
    page = lambda kind: urls.absolute(page_path(edition.code, PageKey(kind)))  # noqa: E731
    licences = [{"path": page("about") + "#licence", "title": t["data_licence_official"]}]
    if site.licence:
        licences.insert(0, {"name": site.licence, "path": site.licence_url,
                            "title": fill(t["data_licence_editorial"], licence=site.licence_name)})
    head = {"name": f"handbook-{edition.code}", "id": urls.absolute(_path(edition, PACKAGE)), "title": site.title,
            "description": t["data_package_about"], "homepage": page("data"), "licenses": licences,
            "sources": [{"title": s.title, **({"path": s.url} if s.url else {})} for s in content.sources]}
    if site.attribution:
        head["contributors"] = [{"title": site.attribution, "path": page("home"), "roles": ["creator"]}]
    return head

"""The tables of the open data: what each holds, one declaration a column.

Every edition publishes the same tables, filled from its content as its pages show it (the plan's
converted content: converted once, for the pages and the data alike; never converted here). A
column is one line: its name, its Table Schema type, where its value comes from, and the
templates/strings.yaml keys of its title and description, which the data page and the
Frictionless descriptor both show. A later column (a measure's status, the day its text last
changed) is one more line in its table. A list a record holds (a measure's topics) is a `Link`:
in CSV a table of its own, a row a member with its position; in JSON an array in the record.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Iterable

from ..editions import Edition
from ..model import STATUSES, Content, Term
from ..urls import PageKey, Urls, page_path

ID_PATTERN = "^[a-z0-9]+(-[a-z0-9]+)*$"  # the content schemas' ids (docs/content.md)
TRANSLATION_STATES = ("current", "stale", "missing")


@dataclass(frozen=True)
class Context:
    """What rows need besides their record: the edition, the site's addresses, each measure's terms."""

    edition: Edition
    urls: Urls
    terms: dict[str, tuple[str, ...]]  # measure id -> the ids of the terms it writes (site.index.term_ids)

    def page(self, kind: str, id: str) -> str:
        """A page's address in this edition: absolute, from base_url."""
        return self.urls.absolute(page_path(self.edition.code, PageKey(kind, id)))


@dataclass(frozen=True)
class Column:
    name: str
    type: str  # Table Schema: string, integer, boolean, date
    value: Callable  # (record, Context) -> the value; None for none
    title: str  # strings key of its title
    about: str  # strings key of its description ({region}: the strings key in `region`)
    required: bool = True
    unique: bool = False
    refers: str = ""  # the table whose id it holds: a foreign key
    pattern: str = ""
    enum: tuple[str, ...] = ()
    minimum: int | None = None
    uri: bool = False  # an address (Table Schema format "uri" where base_url is absolute)
    only: Callable[[Edition], bool] | None = None  # the editions that have it; None: every edition
    region: str = ""  # strings key filled into the description as {region}


@dataclass(frozen=True)
class Link:
    """A list a record holds: a CSV table `table` (owner, member, position), an array `name` in JSON."""

    name: str
    table: str
    member: Column
    values: Callable  # (record, Context) -> tuple
    title: str  # strings key of the link table's title
    about: str  # strings key of its description
    order: str  # strings key of the description of its position column


@dataclass(frozen=True)
class Table:
    name: str  # the file's name without .csv / .json
    title: str  # strings key
    about: str  # strings key
    records: Callable[[Content], Iterable]
    columns: tuple[Column, ...]
    owner: tuple[str, str] = ("", "")  # a link table's column of this one's id: its name, strings key of its title
    links: tuple[Link, ...] = ()

    def columns_of(self, edition: Edition) -> tuple[Column, ...]:
        return tuple(c for c in self.columns if c.only is None or c.only(edition))


@dataclass(frozen=True)
class Placed:
    """A category with its document and place in it: a categories row."""

    source: str
    position: int
    category: object


def _id() -> Column:
    return Column("id", "string", lambda r, c: r.id, "data_id", "data_id_about", unique=True, pattern=ID_PATTERN)


def _page(kind: str) -> Column:
    return Column("url", "string", lambda r, c: c.page(kind, r.id), "data_url", "data_url_about", unique=True, uri=True)


def _ref(name: str, table: str, value: Callable, title: str, about: str = "data_ref_about",
         required: bool = True) -> Column:
    return Column(name, "string", value, title, about, required=required, refers=table, pattern=ID_PATTERN)


def _text(name: str, value: Callable, title: str, about: str, required: bool = True) -> Column:
    return Column(name, "string", value, title, about, required=required)


def _translated(edition: Edition) -> bool:
    return edition.translated


MEASURES = Table("measures", "data_measures", "data_measures_about", lambda content: content.measures, (
    _id(),
    _ref("source", "sources", lambda m, c: m.source, "source"),
    Column("number", "integer", lambda m, c: m.number, "number", "data_measures_number", minimum=1),
    _text("title", lambda m, c: m.title, "data_title", "data_measures_title"),
    _text("text", lambda m, c: m.text, "data_text", "data_measures_text"),
    _ref("category", "categories", lambda m, c: m.category, "category", "data_measures_category", required=False),
    _text("scope", lambda m, c: m.scope, "scope", "data_measures_scope", required=False),
    Column("truncated", "boolean", lambda m, c: m.truncated, "truncated_title", "data_measures_truncated"),
    Column("status", "string", lambda m, c: m.status, "status", "data_measures_status", required=False,
           enum=STATUSES),
    Column("effective", "date", lambda m, c: m.effective, "effective", "data_measures_effective", required=False),
    Column("expires", "date", lambda m, c: m.expires, "expires", "data_measures_expires", required=False),
    _ref("superseded_by", "measures", lambda m, c: m.superseded_by, "superseded_by", "data_measures_superseded_by",
         required=False),
    Column("translation", "string", lambda m, c: m.translation, "data_translation", "data_measures_translation",
           enum=TRANSLATION_STATES, only=_translated),
    _page("measure"),
), owner=("measure", "data_measure"), links=(
    Link("topics", "measure_topics", _ref("topic", "topics", None, "data_topic"), lambda m, c: m.topics,
         "data_measure_topics", "data_measure_topics_about", "data_measure_topics_position"),
    Link("units", "measure_units", _ref("unit", "units", None, "data_unit"), lambda m, c: m.units,
         "data_measure_units", "data_measure_units_about", "data_measure_units_position"),
    Link("terms", "measure_terms", _ref("term", "terms", None, "data_term"), lambda m, c: c.terms.get(m.id, ()),
         "data_measure_terms", "data_measure_terms_about", "data_measure_terms_position"),
))

SOURCES = Table("sources", "data_sources", "data_sources_about", lambda content: content.sources, (
    _id(),
    _text("title", lambda s, c: s.title, "data_title", "data_sources_title"),
    _text("short_title", lambda s, c: s.short_title, "data_short_title", "data_sources_short_title"),
    _text("kind", lambda s, c: s.kind, "kind", "data_sources_kind"),
    _text("issuer", lambda s, c: s.issuer, "issuer", "data_sources_issuer", required=False),
    _text("publisher", lambda s, c: s.publisher, "publisher", "data_sources_publisher", required=False),
    _text("number", lambda s, c: s.number, "doc_number", "data_sources_number", required=False),
    _text("number_as_issued", lambda s, c: s.identifier, "data_as_issued", "data_sources_as_issued", required=False),
    Column("written", "date", lambda s, c: s.written, "written", "data_sources_written", required=False),
    Column("published", "date", lambda s, c: s.published, "published", "data_sources_published", required=False),
    Column("original", "string", lambda s, c: s.url, "link", "data_sources_original", required=False, uri=True),
    _text("description", lambda s, c: s.description, "data_description", "data_sources_description", required=False),
    _page("source"),
), owner=("source", "source"), links=(
    Link("notes", "source_notes", _text("note", None, "data_note", "data_source_notes_note"), lambda s, c: s.notes,
         "data_source_notes", "data_source_notes_about", "data_source_notes_position"),
))

CATEGORIES = Table("categories", "data_categories", "data_categories_about",
                   lambda content: (Placed(s.id, i, cat) for s in content.sources
                                    for i, cat in enumerate(s.categories, 1)), (
    Column("id", "string", lambda p, c: p.category.id, "data_id", "data_id_about", unique=True, pattern=ID_PATTERN),
    _ref("source", "sources", lambda p, c: p.source, "source"),
    Column("position", "integer", lambda p, c: p.position, "data_position", "data_categories_position", minimum=1),
    _text("name", lambda p, c: p.category.name, "data_name", "data_categories_name"),
    Column("count", "integer", lambda p, c: p.category.count, "data_count", "data_categories_count", minimum=0),
    Column("url", "string", lambda p, c: c.page("category", p.category.id), "data_url", "data_url_about",
           unique=True, uri=True),
))

UNITS = Table("units", "data_units", "data_units_about", lambda content: content.units, (
    _id(),
    _text("name", lambda u, c: u.name, "data_name", "data_units_name"),
    _page("unit"),
))

TOPICS = Table("topics", "data_topics", "data_topics_about", lambda content: content.topics, (
    _id(),
    _text("name", lambda t, c: t.name, "data_name", "data_topics_name"),
    _text("description", lambda t, c: t.description, "data_description", "data_topics_description"),
    _page("topic"),
))


def _form(code: str) -> Callable:
    return lambda term, c: term.form(code) or None


def terms_table(editions: tuple[Edition, ...], terms: tuple[Term, ...]) -> Table:
    """The termbase: a column for each edition whose readers' words it gives, as the glossary has."""
    regions = tuple(e for e in editions if any(t.form(e.code) for t in terms))
    forms = tuple(Column(e.code.replace("-", "_"), "string", _form(e.code), f"glossary_{e.code}", "data_terms_form",
                         required=False, region=f"glossary_{e.code}") for e in regions)
    return Table("terms", "data_terms", "data_terms_about", lambda content: content.terms, (
        _id(),
        _text("written", lambda t, c: t.written, "terms_text", "data_terms_written"),
        _text("zh_hans", lambda t, c: t.simplified, "glossary_mainland", "data_terms_simplified"),
        *forms,
        _text("note", lambda t, c: t.note or None, "data_note", "data_terms_note", required=False),
    ))


def edition_tables(editions: tuple[Edition, ...], terms: tuple[Term, ...]) -> tuple[Table, ...]:
    """Every table, in the order the data page and the descriptor list them."""
    return MEASURES, SOURCES, CATEGORIES, UNITS, TOPICS, terms_table(editions, terms)

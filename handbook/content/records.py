"""Content files' values into the data model's records.

Each kind of content file has its constructor here: what its checked value
(plain data that passed the file's schema, so every required field is there)
becomes in model.py, where each record stands in its file (`placed`), and
which of its fields are text to convert, under which key (`record_texts`).
load.py reads and checks the files; keeping the mapping apart means a new
field is added in one place, with the record it fills.
"""

from __future__ import annotations

import datetime

from ..model import (TEXT_FIELDS, Category, Content, ConversionRules, Measure, MeasureTranslation, Override,
                     RegionalForm, SeedRef, SignOff, SiteSettings, Source, Term, Topic, Unit)


def build(kind: str, value: dict):
    """The model value of a checked file: a record, or a tuple of records for the list files."""
    if kind == "measure":
        return build_measure(value)
    if kind == "source":
        return build_source(value)
    if kind == "site":
        return SiteSettings(value["title"], value["description"], value["base_url"], _date(value.get("compiled")),
                            _date(value.get("revised")), value.get("repo_url"), value.get("edit_uri", SiteSettings.edit_uri),
                            _wording(value, SITE_FIELDS), *(value.get(name) for name in LICENCE_FIELDS))
    if kind == "translation":
        return build_translation(value)
    if kind == "conversion":
        return ConversionRules(tuple(RegionalForm(**item) for item in value.get("regional", ())),
                               tuple(build_override(item) for item in value["overrides"]))
    if kind == "review":
        return tuple(SignOff(item["edition"], item["by"], item["date"], tuple(item["reviewed"]))
                     for item in value["sign_offs"])
    if kind == "terms":
        return tuple(Term(item["id"], item["zh-hans"], tuple((code, word) for code, word in _edition_keys(item, TERM_FIELDS)
                                                             if word), tuple(item.get("also", ())),
                          item.get("note", ""), item["zh-hans"], tuple(item.get("text_also", ())),
                          tuple(item.get("not_in", ())))
                     for item in value["terms"])
    if kind == "topics":
        return tuple(Topic(item["id"], item["name"], item["description"], _wording(item, TOPIC_FIELDS))
                     for item in value["topics"])
    return tuple(Unit(item["id"], item["name"], _wording(item, UNIT_FIELDS)) for item in value[kind])


def placed(kind: str, value) -> list[tuple[object, tuple]]:
    """(record, the path of its fields in the file) of each record in a file's model value."""
    if kind in ("measure", "source", "site", "translation"):
        return [(value, ())]
    if kind == "conversion":
        return [(item, (name, i)) for name in ("regional", "overrides") for i, item in enumerate(getattr(value, name))]
    name = "sign_offs" if kind == "review" else kind
    return [(item, (name, i)) for i, item in enumerate(value)]


def record_texts(content: Content, settings: SiteSettings | None):
    """(record, field, text) of every text that is converted, in a fixed order. A field is its key in
    the file, or a path such as ("notes", 0)."""
    records = [*content.measures, *content.sources, *content.units, *content.topics, *content.terms]
    for record in records + ([settings] if settings else []):
        for name in TEXT_FIELDS[type(record)]:
            value, field = getattr(record, name), FILE_KEYS.get(name, name)
            if isinstance(value, tuple):
                yield from ((record, (field, i), item) for i, item in enumerate(value))
            elif value:
                yield record, field, value
        for i, c in enumerate(getattr(record, "categories", ())):
            yield from ((record, ("categories", i, name), getattr(c, name)) for name in TEXT_FIELDS[type(c)])


FILE_KEYS = {"written": "zh-hans"}  # a record's field whose key in its file is another
# A record's own keys; the others of a term, topic or override are edition codes (the schemas list them).
TERM_FIELDS = frozenset({"id", "zh-hans", "also", "note", "text_also", "not_in"})
TOPIC_FIELDS = frozenset({"id", "name", "description"})
UNIT_FIELDS = frozenset({"id", "name"})
LICENCE_FIELDS = ("licence", "licence_name", "licence_url", "attribution")  # in SiteSettings' order
SITE_FIELDS = frozenset({"title", "description", "base_url", "compiled", "revised", "repo_url", "edit_uri",
                         *LICENCE_FIELDS})
SOURCE_FIELDS = frozenset({"id", "title", "short_title", "issuer", "publisher", "number", "written", "published",
                           "url", "kind", "description", "seed", "categories", "notes"})
CATEGORY_FIELDS = frozenset({"id", "name", "count"})
NOT_WORDING = frozenset({"official", "evidence"})  # a unit's English block: is its name the body's own, and where found
OVERRIDE_FIELDS = frozenset({"simplified", "why", "applies_in", "not_in"})


def _edition_keys(value: dict, own: frozenset[str]) -> tuple[tuple[str, object], ...]:
    """(edition code, value) for each key of `value` that names an edition: what is not the record's own."""
    return tuple((key, item) for key, item in value.items() if key not in own)


def _wording(value: dict, own: frozenset[str]) -> tuple[tuple[str, str, object], ...]:
    """(edition code, field, text) of an edition's own wording of a record (`<code>: {field: text}`);
    a list of texts (a source's notes) becomes a tuple."""
    return tuple((code, name, tuple(text) if isinstance(text, list) else text)
                 for code, wording in _edition_keys(value, own) for name, text in wording.items()
                 if name not in NOT_WORDING)


def build_translation(value: dict) -> MeasureTranslation:
    """The edition code is set by load.py, from the file's folder."""
    return MeasureTranslation("", value["measure"], value.get("translated_from", ""), value["title"],
                              value["text"].rstrip("\n"), value.get("scope"))


def build_measure(value: dict) -> Measure:
    return Measure(
        id=value["id"], source=value["source"], number=value["number"], title=value["title"],
        text=value["text"].rstrip("\n"), topics=tuple(value["topics"]), category=value.get("category"),
        units=tuple(value.get("units", ())), scope=value.get("scope"), truncated=value.get("truncated", False),
        status=value.get("status"), effective=_date(value.get("effective")), expires=_date(value.get("expires")),
        superseded_by=value.get("superseded_by"),
    )


def build_source(value: dict) -> Source:
    return Source(
        id=value["id"], title=value["title"], short_title=value["short_title"], kind=value["kind"],
        seed=SeedRef(**value["seed"]), issuer=value.get("issuer"), publisher=value.get("publisher"),
        written=_date(value.get("written")), published=_date(value.get("published")),
        number=value.get("number"), url=value.get("url"), description=value.get("description"),
        categories=tuple(Category(c["id"], c["name"], c["count"], _wording(c, CATEGORY_FIELDS))
                         for c in value.get("categories", ())),
        notes=tuple(value.get("notes", ())), regional=_wording(value, SOURCE_FIELDS),
    )


def _date(value: str | None) -> datetime.date | None:
    return datetime.date.fromisoformat(value) if value else None


def build_override(value: dict) -> Override:
    targets = _edition_keys(value, OVERRIDE_FIELDS)
    return Override(value["simplified"], targets, value["why"], tuple(value.get("applies_in", ())),
                    tuple(value.get("not_in", ())))

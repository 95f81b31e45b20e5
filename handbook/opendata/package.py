"""The open data described: each CSV file and its fields in the edition's words, datapackage.json, the JSON Schemas.

A sheet is one table's CSV file, or one link table's (a measure's topics: measure_topics.csv). The
data page lists the sheets and the descriptor's Table Schemas are written from the very same values,
so the page and datapackage.json never say different things.

The descriptor follows Data Package 2.0 (Frictionless Data): a resource for each CSV file with its
Table Schema (typed fields with titles and descriptions, constraints, the primary key, foreign keys
between the tables), one for each JSON file naming its JSON Schema (draft 2020-12, published beside
it), the licences, the source documents and whom to credit. Every resource gives its size and
SHA-256, so a reader (and frictionless validate) can tell a file from another build's.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

from ..editions import Edition
from ..site.wording import fill
from .tables import Column, Table

DATA_PACKAGE = "https://datapackage.org/profiles/2.0/datapackage.json"
JSON_SCHEMA = "https://json-schema.org/draft/2020-12/schema"
DATE = "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"


@dataclass(frozen=True)
class Field:
    name: str
    type: str  # Table Schema type
    title: str
    description: str
    required: bool
    unique: bool = False
    refers: str = ""  # the table whose id it holds
    pattern: str = ""
    enum: tuple[str, ...] = ()
    minimum: int | None = None
    uri: bool = False


@dataclass(frozen=True)
class Sheet:
    """One CSV file, described: a table's, or a link table's (`within`: its owner's JSON file and array)."""

    name: str  # the file's name without .csv; the resource's name in datapackage.json
    title: str
    description: str
    fields: tuple[Field, ...]
    key: tuple[str, ...]  # the primary key
    json: bool = False  # a JSON file of its own (name.json, with its JSON Schema name.schema.json)
    within: tuple[str, str] = ("", "")  # a link table: (the table whose JSON holds it, the array's name)

    @property
    def foreign(self) -> tuple[Field, ...]:
        return tuple(f for f in self.fields if f.refers)


def field_of(column: Column, t: dict[str, str]) -> Field:
    description = fill(t[column.about], file=f"{column.refers}.csv", region=t[column.region] if column.region else "")
    return Field(column.name, column.type, t[column.title], description, column.required, column.unique,
                 column.refers, column.pattern, column.enum, column.minimum, column.uri)


def table_sheets(table: Table, edition: Edition, t: dict[str, str]) -> tuple[Sheet, ...]:
    """The table's sheet, then one for each of its links."""
    fields = tuple(field_of(c, t) for c in table.columns_of(edition))
    out = [Sheet(table.name, t[table.title], t[table.about], fields, (fields[0].name,), json=True)]
    owner = fields[0]
    for link in table.links:
        member = field_of(link.member, t)
        position = Field("position", "integer", t["data_position"], t[link.order], True, minimum=1)
        owned = Field(table.owner[0], "string", t[table.owner[1]], fill(t["data_ref_about"], file=f"{table.name}.csv"),
                      True, refers=table.name, pattern=owner.pattern)
        key = (owned.name, member.name) if member.refers else (owned.name, position.name)
        out.append(Sheet(link.table, t[link.title], t[link.about], (owned, member, position), key,
                         within=(table.name, link.name)))
    return tuple(out)


def encoded(value: dict) -> bytes:
    return (json.dumps(value, ensure_ascii=False, indent=2) + "\n").encode()


def table_schema(sheet: Sheet, absolute: bool) -> dict:
    """A Table Schema: `absolute` says whether addresses are absolute (base_url with a host) and so URIs."""
    schema = {"fields": [_field(f, absolute) for f in sheet.fields], "missingValues": [""],
              "primaryKey": list(sheet.key)}
    foreign = [{"fields": [f.name], "reference": {"resource": f.refers, "fields": ["id"]}} for f in sheet.foreign]
    return schema | ({"foreignKeys": foreign} if foreign else {})


def _limits(f: Field) -> dict:
    """What a value may be, in the words Table Schema's constraints and JSON Schema share."""
    limits = {"pattern": f.pattern, "enum": list(f.enum), "minimum": f.minimum}
    return {key: value for key, value in limits.items() if value not in ("", [], None)}


def _field(f: Field, absolute: bool) -> dict:
    out = {"name": f.name, "type": f.type, "title": f.title, "description": f.description}
    if f.uri and absolute:
        out["format"] = "uri"
    return out | {"constraints": {"required": f.required, **({"unique": True} if f.unique else {}), **_limits(f)}}


def _property(f: Field, absolute: bool) -> dict:
    kind = {"string": "string", "date": "string", "integer": "integer", "boolean": "boolean"}[f.type]
    out = {"title": f.title, "description": f.description, "type": kind if f.required else [kind, "null"]}
    if f.type == "date":
        out |= {"format": "date", "pattern": DATE}
    if f.uri and absolute:
        out["format"] = "uri"
    out |= _limits(f)
    if "enum" in out and not f.required:  # JSON writes an empty value null, which the list must allow
        out["enum"] = [*out["enum"], None]
    if f.type == "string" and f.required:
        out["minLength"] = 1
    return out


def json_schema(sheet: Sheet, links: list[Sheet], schema_id: str, absolute: bool) -> dict:
    """The JSON Schema of a table's JSON file: an array of objects, its links as arrays of their members."""
    properties = {f.name: _property(f, absolute) for f in sheet.fields}
    for link in links:
        member = link.fields[1]
        items = {k: v for k, v in _property(member, absolute).items() if k not in ("title", "description")}
        properties[link.within[1]] = {"title": link.title, "description": link.description, "type": "array",
                                      "items": items, "uniqueItems": bool(member.refers)}
    return {"$schema": JSON_SCHEMA, "$id": schema_id, "title": sheet.title, "description": sheet.description,
            "type": "array", "items": {"type": "object", "additionalProperties": False,
                                       "required": list(properties), "properties": properties}}


def _stats(data: bytes) -> dict:
    return {"bytes": len(data), "hash": "sha256:" + hashlib.sha256(data).hexdigest()}


def descriptor(head: dict, sheets: tuple[Sheet, ...], files: dict[str, bytes], absolute: bool) -> dict:
    """datapackage.json: `head` (name, id, title, description, homepage, licenses, sources, contributors)
    and a resource for each CSV file, then each JSON file; `files`: every file's bytes, by name."""
    resources = []
    for sheet in sheets:
        name = f"{sheet.name}.csv"
        resources.append({"name": sheet.name, "type": "table", "path": name, "title": sheet.title,
                          "description": sheet.description, "format": "csv", "mediatype": "text/csv",
                          "encoding": "utf-8", **_stats(files[name]), "schema": table_schema(sheet, absolute)})
    for sheet in sheets:
        if sheet.json:
            name = f"{sheet.name}.json"
            resources.append({"name": f"{sheet.name}-json", "path": name, "title": sheet.title,
                              "description": sheet.description, "format": "json", "mediatype": "application/json",
                              "encoding": "utf-8", **_stats(files[name]), "jsonSchema": f"{sheet.name}.schema.json"})
    return {"$schema": DATA_PACKAGE, **head, "resources": resources}

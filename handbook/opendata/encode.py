"""The bytes of the open data's CSV and JSON files, a record at a time, remembered between builds.

CSV as RFC 4180 writes it (CRLF, quotes only where needed) in UTF-8 with a byte order mark, for Excel
(docs/data.md says why); JSON as an array of objects, one a line, every key in every object. A kept
`Encoder` remembers each record's lines by the record itself (content/ hands a rebuild the very
objects of unchanged files, and the converters the very objects they converted), so a rebuild
encodes again only what an edit changed: at 10,000 measures, encoding every record is about 0.6 s an
edition, a rebuild that keeps them 0.1 s. The bytes are the same either way: rows in content order,
keys in column order, no clock.
"""

from __future__ import annotations

import csv
import datetime
import io
import json
from dataclasses import dataclass

from ..editions import Edition
from .tables import Column, Context, Table

BOM = "\ufeff"


def cell(value) -> str:
    """A value as a CSV cell: empty for none, true/false, dates as YYYY-MM-DD."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def csv_lines(rows) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows([cell(value) for value in row] for row in rows)
    return out.getvalue()


def json_line(record: dict) -> str:
    plain = {key: value.isoformat() if isinstance(value, datetime.date) else value for key, value in record.items()}
    return json.dumps(plain, ensure_ascii=False, separators=(",", ":"))


@dataclass(frozen=True)
class Lines:
    """One record encoded: its row of the table's CSV, its rows of each link table, its JSON object."""

    record: object
    lists: tuple[tuple, ...]  # the members of each of its links, as encoded
    row: str
    linked: tuple[str, ...]
    json: str


class Encoder:
    """Encodes records, remembering each one's Lines; one an edition and site address (Context)."""

    def __init__(self, edition: Edition, base_url: str):
        self.key = (edition, base_url)
        self.kept: dict[tuple, Lines] = {}

    def files(self, tables: tuple[Table, ...], content, context: Context) -> dict[str, bytes]:
        """Every table's CSV file, its link tables' and its JSON file, by file name."""
        kept, self.kept, files = self.kept, {}, {}
        for table in tables:
            columns = table.columns_of(context.edition)
            names = tuple(c.name for c in columns)
            lines = []
            for record in table.records(content):
                lists = tuple(tuple(link.values(record, context)) for link in table.links)
                key = (table.name, names, id(record))
                hit = kept.get(key)
                if hit is None or hit.record is not record or hit.lists != lists:
                    hit = _encode(table, columns, record, lists, context)
                self.kept[key] = hit
                lines.append(hit)
            files[f"{table.name}.csv"] = _csv(names, (hit.row for hit in lines))
            for i, link in enumerate(table.links):
                files[f"{link.table}.csv"] = _csv((table.owner[0], link.member.name, "position"),
                                                  (hit.linked[i] for hit in lines))
            files[f"{table.name}.json"] = ("[\n" + ",\n".join(hit.json for hit in lines) + "\n]\n").encode() \
                if lines else b"[]\n"
        return files


def _encode(table: Table, columns: tuple[Column, ...], record, lists: tuple[tuple, ...], context: Context) -> Lines:
    values = tuple(c.value(record, context) for c in columns)
    linked = tuple(csv_lines((values[0], member, i) for i, member in enumerate(members, 1)) for members in lists)
    obj = dict(zip((c.name for c in columns), values)) | {link.name: list(members)
                                                          for link, members in zip(table.links, lists)}
    return Lines(record, lists, csv_lines([values]), linked, json_line(obj))


def _csv(header, rows) -> bytes:
    return (BOM + csv_lines([header]) + "".join(rows)).encode()

"""Convert the data model, never the HTML, from Simplified to each variant.

OpenCC does the characters; content/conversion.yaml holds reviewed fixes for
the phrases OpenCC gets wrong (one-to-many characters at word boundaries),
applied before OpenCC sees the text; quotation marks become 「」『』 in the
Traditional variants. Ids, slugs, dates and URLs are never converted: only
the fields listed in TEXT_FIELDS pass through here.
"""

from __future__ import annotations

import re
from dataclasses import fields, replace
from functools import cache

import opencc

from .model import Category, Content, Measure, Override, SiteSettings, Source, Topic, Unit
from .variants import Variant

QUOTES = str.maketrans({"“": "「", "”": "」", "‘": "『", "’": "』"})

TEXT_FIELDS = {
    Source: ("title", "short_title", "issuer", "number", "kind", "description", "notes"),
    Category: ("name",),
    Measure: ("title", "text", "scope"),
    Unit: ("name",),
    Topic: ("name", "description"),
    SiteSettings: ("title", "description"),
}


@cache
def _opencc(config: str) -> opencc.OpenCC:
    return opencc.OpenCC(config)


class Converter:
    """Text converter for one variant: overrides first, then OpenCC, then quotation marks."""

    def __init__(self, variant: Variant, overrides: tuple[Override, ...] = ()):
        self.variant = variant
        self.fixes = {o.simplified: o.target(variant.code) for o in overrides if o.target(variant.code)}
        phrases = sorted(self.fixes, key=len, reverse=True)  # the longest phrase wins
        self.pattern = re.compile("|".join(map(re.escape, phrases))) if phrases else None
        self.memo: dict[str, str] = {}  # a rebuild converts only the text that changed
        self.records: dict[int, tuple] = {}  # id(record) -> (record, converted): unchanged records, same objects

    def __call__(self, text: str) -> str:
        if not self.variant.traditional or not text:
            return text
        if text not in self.memo:
            self.memo[text] = self._convert(text)
        return self.memo[text]

    def record(self, record):
        """convert_record, remembered: a record seen before gives the very object it gave then."""
        hit = self.records.get(id(record))
        if hit is None or hit[0] is not record:
            hit = self.records[id(record)] = (record, convert_record(record, self))
        return hit[1]

    def _convert(self, text: str) -> str:
        engine = _opencc(self.variant.opencc)
        if self.pattern is None:
            return engine.convert(text).translate(QUOTES)
        out, start = [], 0
        for match in self.pattern.finditer(text):
            out += [engine.convert(text[start:match.start()]), self.fixes[match.group()]]
            start = match.end()
        out.append(engine.convert(text[start:]))
        return "".join(out).translate(QUOTES)


def convert_record(record, convert: Converter):
    """A copy of a model record with its text fields converted (recursively for categories)."""
    changes = {}
    for name in TEXT_FIELDS.get(type(record), ()):
        value = getattr(record, name)
        if isinstance(value, str):
            changes[name] = convert(value)
        elif isinstance(value, tuple):
            changes[name] = tuple(convert(v) for v in value)
    if isinstance(record, Source):
        changes["categories"] = tuple(convert_record(c, convert) for c in record.categories)
    return replace(record, **changes)


def convert_content(content: Content, convert: Converter) -> Content:
    if not convert.variant.traditional:
        return content
    return Content(**{f.name: tuple(map(convert.record, getattr(content, f.name)))
                      for f in fields(Content)})

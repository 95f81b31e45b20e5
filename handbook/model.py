"""The handbook's data model: immutable values, built once from content/.

Later stages (conversion to Traditional script, rendering) take these and
return new values; nothing mutates them.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass


@dataclass(frozen=True)
class Category:
    id: str
    name: str
    count: int  # the number of measures the source document says it has


@dataclass(frozen=True)
class SeedRef:
    file: str  # relative to the project root, e.g. seeds/xxx.txt
    format: str  # a key of handbook.seeds.PARSERS


@dataclass(frozen=True)
class Source:
    id: str
    title: str
    short_title: str
    issuer: str
    date: datetime.date
    kind: str
    seed: SeedRef
    number: str | None = None
    description: str | None = None
    categories: tuple[Category, ...] = ()
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Unit:
    id: str
    name: str


@dataclass(frozen=True)
class Topic:
    id: str
    name: str
    description: str


@dataclass(frozen=True)
class Measure:
    id: str
    source: str
    number: int
    title: str  # official
    text: str  # official, Markdown
    topics: tuple[str, ...]  # editorial
    category: str | None = None
    units: tuple[str, ...] = ()
    scope: str | None = None
    truncated: bool = False


@dataclass(frozen=True)
class Content:
    sources: tuple[Source, ...]
    measures: tuple[Measure, ...]  # in source order, then number
    units: tuple[Unit, ...]
    topics: tuple[Topic, ...]


@dataclass(frozen=True)
class SiteSettings:
    title: str
    description: str
    base_url: str  # ends in /; may be a bare path such as /handbook/


@dataclass(frozen=True)
class Override:
    """A reviewed conversion fix: this Simplified phrase becomes these words, per variant code."""

    simplified: str
    targets: tuple[tuple[str, str], ...]  # (variant code, converted phrase)
    why: str

    def target(self, variant_code: str) -> str | None:
        return dict(self.targets).get(variant_code)


@dataclass(frozen=True)
class Handbook:
    """Everything the build needs from content/, validated."""

    content: Content
    settings: SiteSettings
    overrides: tuple[Override, ...]

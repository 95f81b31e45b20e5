"""The handbook's data model: immutable values, built once from content/.

Later stages (conversion to Traditional script, rendering) take these and
return new values; nothing mutates them.
"""

from __future__ import annotations

import datetime
import hashlib
import json
from dataclasses import dataclass

from .editions import EDITIONS, Edition


@dataclass(frozen=True)
class Category:
    id: str
    name: str
    count: int  # the number of measures the source document says it has
    regional: tuple[tuple[str, str, object], ...] = ()  # (edition code, field, its own wording there): editorial


@dataclass(frozen=True)
class SeedRef:
    file: str  # relative to the project root, e.g. seeds/xxx.txt
    format: str  # a key of handbook.seeds.PARSERS


@dataclass(frozen=True)
class Source:
    """An official document. Policy libraries name who issued it (发文机关) apart from who published it
    (发布机构), and the date it was written (成文日期) apart from the date it was published (发布日期):
    a document gives at least one of each, and only what it says is recorded."""

    id: str
    title: str
    short_title: str
    kind: str
    seed: SeedRef
    issuer: str | None = None  # 发文机关: the body whose document it is
    publisher: str | None = None  # 发布机构: where it was published, when that is all the page says
    written: datetime.date | None = None  # 成文日期: the date the document bears
    published: datetime.date | None = None  # 发布日期: the date it was put online
    number: str | None = None  # 发文字号, in the edition's script
    number_as_issued: str | None = None  # in a converted edition: the 发文字号 as issued, for machines and citation
    url: str | None = None  # the original publication
    description: str | None = None
    categories: tuple[Category, ...] = ()
    notes: tuple[str, ...] = ()
    regional: tuple[tuple[str, str, object], ...] = ()  # (edition code, field, its own wording there): editorial

    @property
    def date(self) -> datetime.date:
        """The document's date for citing and ordering: the date it bears, else the day it was published."""
        return self.written or self.published

    @property
    def body(self) -> str:
        """Who a citation names: the issuer, else the publisher."""
        return self.issuer or self.publisher

    @property
    def identifier(self) -> str | None:
        """The 发文字号 as issued: what a reader cites and a machine matches, in any edition."""
        return self.number_as_issued or self.number


@dataclass(frozen=True)
class Unit:
    id: str
    name: str
    regional: tuple[tuple[str, str, object], ...] = ()  # (edition code, field, its own wording there): editorial


@dataclass(frozen=True)
class Topic:
    id: str
    name: str
    description: str
    regional: tuple[tuple[str, str, str], ...] = ()  # (edition code, field, its own wording there): editorial


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
    # Validity, as the maintainer declares it (never worked out from the clock): all optional.
    status: str | None = None  # a STATUSES id
    effective: datetime.date | None = None  # 生效日期
    expires: datetime.date | None = None  # 失效日期
    superseded_by: str | None = None  # the id of the measure that replaces it (with status "superseded")
    # In a translated edition: "current", "stale" (made from an earlier Chinese text) or "missing" (the
    # Chinese is shown); "" in the Chinese editions.
    translation: str = ""
    file: str = ""  # its file below content/ (measures/nansha-batch6/07.yaml): the edit link's target


STATUSES = ("in-force", "superseded", "expired")  # a measure's validity: 现行有效, 已被取代, 已失效


def text_digest(measure: Measure) -> str:
    """What a translation records of the Chinese it was made from: a digest of its title, text and scope."""
    data = json.dumps([measure.title, measure.text, measure.scope], ensure_ascii=False)
    return hashlib.sha256(data.encode()).hexdigest()[:16]


@dataclass(frozen=True)
class MeasureTranslation:
    """content/translations/<edition>/<source>/<NN>.yaml: a measure in another language, editorial."""

    edition: str  # the code of the translated edition
    measure: str  # the measure's id
    translated_from: str  # translations.digest of the Chinese it was made from
    title: str
    text: str
    scope: str | None = None


def _finds(text: str, word: str) -> list[int]:
    """Every position of `word` in `text`, overlapping ones too."""
    out, at = [], text.find(word)
    while at >= 0:
        out.append(at)
        at = text.find(word, at + 1)
    return out


@dataclass(frozen=True)
class Term:
    """A concept of the measures in each region's words (content/terms.yaml): editorial."""

    id: str
    simplified: str  # as the measures write it
    forms: tuple[tuple[str, str], ...]  # (edition code, the word its readers write), e.g. ("zh-tw", "智慧財產權")
    also: tuple[str, ...] = ()  # what else readers type for it, in any script
    note: str = ""  # editorial, in Simplified (converted like the content)
    written: str = ""  # `simplified` as the edition's text writes it: converted with the content
    text_also: tuple[str, ...] = ()  # other words the measures use for the same concept
    not_in: tuple[str, ...] = ()  # words of the measures holding its characters that are not it (调解 in 协调解决)

    def spans(self, text: str) -> list[tuple[int, int]]:
        """Where `text` writes the term (its own word or a text_also), outside its not_in words."""
        others = [(a, a + len(word)) for word in self.not_in for a in _finds(text, word)]
        return [(a, a + len(word)) for word in (self.simplified, *self.text_also) for a in _finds(text, word)
                if not any(x <= a and a + len(word) <= y for x, y in others)]

    def form(self, edition_code: str) -> str:
        """What the edition's readers write for it ("" for the Simplified edition: the text's own words)."""
        return next((word for code, word in self.forms if code == edition_code), "")


@dataclass(frozen=True)
class Content:
    sources: tuple[Source, ...]
    measures: tuple[Measure, ...]  # in source order, then number
    units: tuple[Unit, ...]
    topics: tuple[Topic, ...]
    terms: tuple[Term, ...] = ()  # sorted by id
    translations: tuple[MeasureTranslation, ...] = ()  # in path order


@dataclass(frozen=True)
class SiteSettings:
    title: str
    description: str
    base_url: str  # ends in /; may be a bare path such as /handbook/
    compiled: datetime.date | None = None  # when the handbook was first compiled
    revised: datetime.date | None = None  # when its content was last revised (never the build's clock)
    repo_url: str | None = None  # the repository on a forge: measure pages link their file for editing
    edit_uri: str = "edit/main/"  # below repo_url, the path that edits a file (GitHub's; GitLab: -/edit/main/)
    regional: tuple[tuple[str, str, object], ...] = ()  # (edition code, field, its own wording there): editorial
    # The licence of the editorial additions (the official text is the state organs' published documents):
    licence: str | None = None  # its SPDX identifier, e.g. CC-BY-4.0
    licence_name: str | None = None  # its name, in each edition's words
    licence_url: str | None = None
    attribution: str | None = None  # whom a reuser credits


@dataclass(frozen=True)
class Override:
    """A reviewed conversion fix: this Simplified phrase becomes these words, per edition code.

    It applies where the phrase is whole words of the text (words.py), or in one of the contexts
    of `applies_in`; never in a context of `not_in`.
    """

    simplified: str
    targets: tuple[tuple[str, str], ...]  # (edition code, converted phrase)
    why: str
    applies_in: tuple[str, ...] = ()  # contexts where it must apply (each holds the phrase)
    not_in: tuple[str, ...] = ()  # contexts where the phrase is part of other words: OpenCC decides

    def target(self, edition_code: str) -> str | None:
        return dict(self.targets).get(edition_code)


@dataclass(frozen=True)
class RegionalForm:
    """A character form a region's own government writes where OpenCC's regional configuration
    writes another (税 -> 稅 in Hong Kong): docs/regional-usage.md has the evidence."""

    edition: str  # edition code
    opencc: str  # what OpenCC writes, one character or a word
    writes: str  # what the region writes instead, as long
    example: str  # a Simplified text it applies to (tested)
    why: str


@dataclass(frozen=True)
class ConversionRules:
    """content/conversion.yaml: regional forms, then reviewed fixes, on top of OpenCC."""

    regional: tuple[RegionalForm, ...] = ()
    overrides: tuple[Override, ...] = ()


@dataclass(frozen=True)
class SignOff:
    """content/review.yaml: conversion decisions one reviewer checked for one edition (review.py)."""

    edition: str
    by: str
    date: str
    reviewed: tuple[str, ...]  # "<digest> <choice> <context>[ — <note>]": the digest is what counts


# What changed in a measure, from the repository's history (handbook/history/): the first version,
# its official title or text, its other facts from the document (category, units, scope, validity),
# its topics (editorial), its translation (editorial, shown in the translated edition), and its
# conversion into one Traditional edition (content/conversion.yaml changed what that edition shows).
CHANGE_KINDS = ("added", "text", "details", "topics", "translation", "conversion")


@dataclass(frozen=True)
class Change:
    """One commit's change of one kind to one measure."""

    commit: str  # its full hash
    when: datetime.datetime  # when it landed (the committer's date, with its offset)
    measure: str  # the measure's id
    kind: str  # a CHANGE_KINDS kind
    edition: str = ""  # the edition it shows in (a translation's, a conversion's); "" for every edition
    before: tuple[str, str] = ()  # (title, text) before it, for text, translation and conversion
    after: tuple[str, str] = ()  # and after: Simplified for text, as the edition shows it for the others


@dataclass(frozen=True)
class History:
    """The content's history as git has it: every change to every measure, newest first."""

    changes: tuple[Change, ...] = ()
    state: str = "none"  # "none" (no git: a tarball), "complete", or "shallow" (a shallow clone)
    since: datetime.date | None = None  # shallow: the day of the oldest commit there is
    head: str = ""  # the commit it was read at


@dataclass(frozen=True)
class Handbook:
    """Everything the build needs from content/, validated."""

    content: Content
    settings: SiteSettings
    conversion: ConversionRules
    review: tuple[SignOff, ...] = ()
    warnings: tuple = ()  # diagnostics.Diagnostic: shown, but they do not stop the build
    reviewed: tuple = ()  # (edition code, review.Summary): how many conversion decisions are signed off
    editions: tuple[Edition, ...] = EDITIONS  # the first is the source (editions.py)
    translated: tuple = ()  # (edition code, translations.TranslationSummary) of each translated edition
    history: History = History()  # from git, read by the build (history/): none without a repository

    @property
    def source_edition(self) -> Edition:
        return self.editions[0]

    def edition(self, code: str) -> Edition:
        return next(e for e in self.editions if e.code == code)


def same_objects(old: tuple, new: tuple) -> bool:
    """The very same records, one by one: how a rebuild knows a part of content is unchanged (loading
    keeps the record of every file that did not change), without comparing their values."""
    return len(old) == len(new) and all(a is b for a, b in zip(old, new))


# The fields of each record that are text a reader reads: converted for each edition (convert.py), checked
# for what may not be in text (content.load's texts()). Ids, slugs, numbers, dates and URLs are not text.
TEXT_FIELDS = {
    Source: ("title", "short_title", "issuer", "publisher", "number", "kind", "description", "notes"),
    Category: ("name",),
    Measure: ("title", "text", "scope"),
    Unit: ("name",),
    Topic: ("name", "description"),
    Term: ("written", "note"),
    SiteSettings: ("title", "description", "licence_name", "attribution"),
}
# Of those, what the search index or its facets hold (search.queries: the query conversion tables).
SEARCHED_FIELDS = {
    Measure: ("title", "text", "scope"),
    Source: ("title", "short_title", "number"),
    Category: ("name",),
    Unit: ("name",),
    Topic: ("name",),
}

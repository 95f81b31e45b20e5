"""Convert the data model, never the HTML, from Simplified to each edition.

Three layers, each character for character (the text keeps its length, so
every position of the Traditional text is the same position of the
Simplified one):

1. OpenCC converts the whole text (s2hk, s2tw), exactly as OpenCC alone would;
2. the regional forms of content/conversion.yaml put back the character forms
   the region's own government writes (税 -> 稅 for Hong Kong);
3. the reviewed fixes (overrides) replace OpenCC's choice where it is wrong
   (基金发挥: 發揮, not 髮揮), only where their phrase is whole words of the
   text or in a context they list (words.py), never inside other words.

Quotation marks then become 「」『』. Ids, slugs, dates and URLs are never
converted: only the fields listed in TEXT_FIELDS pass through here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, fields, replace
from functools import cache

import opencc

from ..model import TEXT_FIELDS, Content, ConversionRules, Measure, MeasureTranslation, Override, RegionalForm, Source, text_digest
from ..editions import Edition, SourceText, Translation
from .words import standing

QUOTES = str.maketrans({"“": "「", "”": "」", "‘": "『", "’": "』"})



@cache
def opencc_engine(config: str) -> opencc.OpenCC:
    return opencc.OpenCC(config)


@dataclass(frozen=True)
class Decision:
    """A span of a text whose conversion a rule of content/conversion.yaml decided, not OpenCC."""

    start: int
    end: int
    rule: RegionalForm | Override
    opencc: str  # what OpenCC alone wrote there


APPLIES = ("applies_in", "words")


def placement(override: Override, text: str, start: int) -> str:
    """How the override's phrase stands at text[start:]: in a context it lists ("applies_in",
    "not_in"), else as words.standing says ("words", "part", "inside"). It applies for APPLIES."""
    end = start + len(override.simplified)
    for name in ("not_in", "applies_in"):  # a context where it must not apply wins
        for context in getattr(override, name):
            at = context.find(override.simplified)
            while at >= 0:
                if start >= at and text.startswith(context, start - at):
                    return name
                at = context.find(override.simplified, at + 1)
    return standing(text, start, end)


def occurrences(pattern: re.Pattern, text: str):
    """(start, phrase) of every occurrence of the pattern's phrases, overlapping ones too."""
    return ((m.start(), m.group(1)) for m in pattern.finditer(text))


def phrase_pattern(phrases) -> re.Pattern | None:
    """Finds each phrase wherever it starts, longest first (a lookahead, so they may overlap)."""
    ordered = sorted(set(phrases), key=lambda p: (-len(p), p))
    return re.compile("(?=(" + "|".join(map(re.escape, ordered)) + "))") if ordered else None


class Converter:
    """Text converter for one edition: OpenCC, then regional forms, then overrides, then quotation marks."""

    def __init__(self, edition: Edition, rules: ConversionRules = ConversionRules()):
        self.edition, self.rules = edition, rules
        forms = [f for f in rules.regional if f.edition == edition.code]
        self.characters = {f.opencc: f for f in forms if len(f.opencc) == 1}
        self.words = {f.opencc: f for f in forms if len(f.opencc) > 1}
        self.word_pattern = re.compile("|".join(map(re.escape, sorted(self.words, key=lambda w: (-len(w), w))))) \
            if self.words else None
        self.fixes = {o.simplified: o for o in rules.overrides if o.target(edition.code)}
        self.fix_pattern = phrase_pattern(self.fixes)
        self.memo: dict[str, tuple] = {}  # text -> convert(text): a rebuild converts only the text that changed
        self.records: dict[int, tuple] = {}  # id(record) -> (record, converted): unchanged records, same objects

    def __call__(self, text: str) -> str:
        if not self.edition.converted or not text:
            return text
        return self.convert(text)[0]

    def record(self, record):
        """convert_record, remembered: a record seen before gives the very object it gave then."""
        hit = self.records.get(id(record))
        if hit is None or hit[0] is not record:
            hit = self.records[id(record)] = (record, convert_record(record, self))
        return hit[1]

    def convert(self, text: str) -> tuple[str, list[Decision]]:
        """The converted text, and the spans the rules decided (review.py reports them); remembered."""
        if not self.edition.converted:
            return text, []
        if text not in self.memo:
            self.memo[text] = self._convert(text)
        return self.memo[text]

    def _convert(self, text: str) -> tuple[str, list[Decision]]:
        written = opencc_engine(self.edition.opencc).convert(text)
        if len(written) != len(text):  # OpenCC 1.4's dictionaries are length-preserving (tests/test_convert.py)
            raise ValueError(f"OpenCC {self.edition.opencc} changed the length of: {text[:40]}")
        out, decisions = list(written), []
        if self.word_pattern:
            for match in self.word_pattern.finditer(written):
                form = self.words[match.group()]
                out[match.start():match.end()] = form.writes
                decisions.append(Decision(match.start(), match.end(), form, match.group()))
        if self.characters:
            for at, char in enumerate(written):
                form = self.characters.get(char)
                if form and out[at] == char:
                    out[at] = form.writes
                    decisions.append(Decision(at, at + 1, form, char))
        for start, override in self._placed_fixes(text):
            end = start + len(override.simplified)
            decisions = [d for d in decisions if d.end <= start or d.start >= end]
            out[start:end] = override.target(self.edition.code)
            decisions.append(Decision(start, end, override, written[start:end]))
        decisions.sort(key=lambda d: d.start)
        return "".join(out).translate(QUOTES), decisions

    def _placed_fixes(self, text: str) -> list[tuple[int, Override]]:
        """The overrides that apply, by position: where two overlap, the longer (then the first) wins."""
        if self.fix_pattern is None:
            return []
        found = [(start, self.fixes[phrase]) for start, phrase in occurrences(self.fix_pattern, text)]
        found = [(start, o) for start, o in found if placement(o, text, start) in APPLIES]
        taken: list[tuple[int, Override]] = []
        for start, override in sorted(found, key=lambda f: (-len(f[1].simplified), f[0])):
            end = start + len(override.simplified)
            if all(end <= s or start >= s + len(o.simplified) for s, o in taken):
                taken.append((start, override))
        return sorted(taken, key=lambda f: f[0])


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
        changes["number_as_issued"] = record.number  # an identifier: shown converted, cited as issued
    for code, name, text in getattr(record, "regional", ()):  # an edition's own wording, as written
        if code == convert.edition.code:
            changes[name] = text
    return replace(record, **changes)


def convert_content(content: Content, convert: Converter | Translator) -> Content:
    """The content as the edition shows it: the source's own, converted, or translated."""
    if isinstance(convert.edition.text, SourceText):
        return content
    if isinstance(convert, Translator):
        return convert.content(content)
    return Content(**{f.name: tuple(map(convert.record, getattr(content, f.name)))
                      for f in fields(Content)})


class Translator:
    """A translated edition's content: each measure's translation, the edition's own wording of the other
    records (`<code>:` blocks, the termbase's renderings); the Chinese wherever there is none, marked
    (Measure.translation), so a page is never empty. Called like a Converter, it leaves text as it is."""

    def __init__(self, edition: Edition):
        self.edition = edition
        self.records: dict[int, tuple] = {}  # id(record) -> (record, its edition's record), as Converter.record
        self.measures: dict[str, tuple] = {}  # measure id -> (measure, translation, translated measure)

    def __call__(self, text: str) -> str:
        return text

    def convert(self, text: str) -> tuple[str, list]:
        return text, []

    def record(self, record):
        hit = self.records.get(id(record))
        if hit is None or hit[0] is not record:
            hit = self.records[id(record)] = (record, convert_record(record, self))
        return hit[1]

    def measure(self, measure: Measure, translation: MeasureTranslation | None) -> Measure:
        """The measure as the edition shows it: translated ("current" or "stale"), or the Chinese ("missing")."""
        hit = self.measures.get(measure.id)
        if hit is None or hit[0] is not measure or hit[1] is not translation:
            if translation is None:
                shown = replace(measure, translation="missing")
            else:
                state = "current" if translation.translated_from == text_digest(measure) else "stale"
                shown = replace(measure, title=translation.title, text=translation.text,
                                scope=translation.scope if measure.scope else None, translation=state)
            hit = self.measures[measure.id] = (measure, translation, shown)
        return hit[2]

    def content(self, content: Content) -> Content:
        mine = {t.measure: t for t in content.translations if t.edition == self.edition.code}
        return Content(tuple(map(self.record, content.sources)),
                       tuple(self.measure(m, mine.get(m.id)) for m in content.measures),
                       tuple(map(self.record, content.units)), tuple(map(self.record, content.topics)),
                       tuple(map(self.record, content.terms)), content.translations)


def edition_converter(edition: Edition, rules: ConversionRules = ConversionRules()) -> Converter | Translator:
    """What gives an edition its text: a Translator for a translated edition, else a Converter."""
    if isinstance(edition.text, Translation):
        return Translator(edition)
    return Converter(edition, rules)


class Converters:
    """One Converter per edition and set of rules, kept between builds: each remembers what it converted,
    so a rebuild converts only the text an edit changed. Called like Converter."""

    def __init__(self):
        self.kept: dict[tuple[str, ConversionRules], Converter] = {}

    def __call__(self, edition: Edition, rules: ConversionRules) -> Converter:
        key = (edition.code, rules)
        if key not in self.kept:
            self.kept[key] = edition_converter(edition, rules)
        return self.kept[key]

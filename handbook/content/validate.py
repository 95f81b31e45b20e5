"""Rules across files: ids unique, references resolve, counts agree.

Per-file rules (types, required and unknown fields) are the schemas' job;
this module sees the whole handbook at once. Each rule reports at the line
of the field that breaks it, with a hint that names the fix.
"""

from __future__ import annotations

import difflib
import os
from collections import Counter
from dataclasses import replace
from pathlib import Path

from .load import MEASURES_DIR, SOURCES_DIR, Loaded
from ..diagnostics import Diagnostic
from ..editions import EDITIONS, Edition
from ..model import same_objects


class ReferenceMemo:
    """Each measure's own reference problems, kept while it, and the documents, units and topics it
    was checked against, are the very same objects: a rebuild checks again only what changed."""

    def __init__(self):
        self.context: tuple = ((), (), (), frozenset())
        self.measures: dict[int, tuple] = {}  # id(measure) -> (measure, problems before, after its number)


def check_references(loaded: Loaded, memo: ReferenceMemo | None = None,
                     editions: tuple[Edition, ...] = EDITIONS) -> list[Diagnostic]:
    content = loaded.content
    problems: list[Diagnostic] = []
    problems += _unique(loaded, content.sources, "id", "source")
    problems += _unique(loaded, content.measures, "id", "measure")
    problems += _unique(loaded, content.units, "id", "unit")
    problems += _unique(loaded, content.units, "name", "unit")
    problems += _unique(loaded, content.topics, "id", "topic")
    problems += _unique(loaded, content.topics, "name", "topic")
    problems += _unique(loaded, content.terms, "id", "term")
    problems += _unique(loaded, content.terms, "simplified", "term", field="zh-hans")
    for source in content.sources:
        problems += _unique(loaded, source.categories, "id", "category", owner=source)
        stem = Path(loaded.document(source).path).stem
        if stem != source.id:
            problems.append(loaded.at(source, ("id",), f'does not match the file name "{stem}.yaml"',
                                      f"rename the file to {SOURCES_DIR}/{source.id}.yaml, or set id: {stem}"))

    memo = memo or ReferenceMemo()
    context = (content.sources, content.units, content.topics, frozenset(loaded.unreadable))
    if not (all(same_objects(a, b) for a, b in zip(memo.context[:3], context[:3])) and memo.context[3] == context[3]):
        memo.context, memo.measures = context, {}
    sources = {s.id: s for s in content.sources}
    units = {u.id: u for u in content.units}
    topics = {t.id: t for t in content.topics}
    numbers: dict[tuple[str, int], object] = {}
    kept = {}
    for measure in content.measures:
        hit = memo.measures.get(id(measure))
        if hit is None or hit[0] is not measure:
            hit = (measure, *_measure_problems(loaded, measure, sources, units, topics))
        kept[id(measure)] = hit
        problems += hit[1]
        first = numbers.setdefault((measure.source, measure.number), measure)
        if first is not measure:
            problems.append(loaded.at(measure, ("number",), f"{measure.number} is already used by "
                                      f"{loaded.document(first).path}", "give each measure of a source its own number"))
        problems += hit[2]
    memo.measures = kept
    problems += _category_counts(loaded)
    by_code = {e.code: e for e in editions}
    conversion = _conversion(loaded, by_code)
    problems += conversion + _terms(loaded, by_code, forms=not any(d.is_error for d in conversion))
    return problems


def _measure_problems(loaded: Loaded, measure, sources: dict, units: dict, topics: dict) -> tuple[list, list]:
    """One measure's references: (its folder, source and category; its units and topics)."""
    before, after = [], []
    folder = os.path.basename(os.path.dirname(loaded.document(measure).path))  # no Path: 10,000 of them
    if measure.source != folder:
        before.append(loaded.at(measure, ("source",), f'"{measure.source}" differs from the folder the file is in',
                                f"measure files live in {MEASURES_DIR}/<source-id>/: set source: {folder} "
                                "or move the file"))
    source = sources.get(measure.source)
    if source is None and not loaded.incomplete("source", measure.source):
        before.append(_unknown(loaded, measure, ("source",), measure.source, "source document", sources,
                               f"{SOURCES_DIR}/<id>.yaml"))
    elif source is not None:
        before += _category(loaded, measure, source)
    for i, unit in enumerate(measure.units):
        if unit not in units and not loaded.incomplete("units"):
            by_name = next((u for u in loaded.content.units if u.name == unit), None)
            if by_name:
                after.append(loaded.at(measure, ("units", i), f'"{unit}" is a unit name, not an id',
                                       f"write its id: {by_name.id}"))
            else:
                after.append(_unknown(loaded, measure, ("units", i), unit, "unit", units, "units.yaml"))
    for i, topic in enumerate(measure.topics):
        if topic not in topics and not loaded.incomplete("topics"):
            after.append(_unknown(loaded, measure, ("topics", i), topic, "topic", topics, "topics.yaml"))
    return before, after


def _conversion(loaded: Loaded, editions: dict[str, Edition]) -> list[Diagnostic]:
    """Regional forms and overrides keep the length of what they replace; an override applies
    somewhere, and its contexts hold its phrase. Where its phrase is not whole words (准营 in
    高标准营造) it is skipped, with a warning until the context is listed in applies_in or not_in."""
    from ..convert.converter import occurrences, opencc_engine, phrase_pattern, placement
    from ..convert.words import words_around

    rules, problems = loaded.conversion, []
    seen: dict[tuple[str, str], object] = {}
    for form in rules.regional:
        if len(form.writes) != len(form.opencc):
            problems.append(loaded.at(form, ("writes",), f'"{form.writes}" has {len(form.writes)} characters, '
                                      f'"{form.opencc}" has {len(form.opencc)}',
                                      "a regional form changes characters, never words: keep the same length"))
        first = seen.setdefault((form.edition, form.opencc), form)
        if first is not form:
            problems.append(loaded.at(form, ("opencc",), f'{form.edition} has a form for "{form.opencc}" already',
                                      "keep one entry per character or word and edition"))
        edition = editions.get(form.edition)
        converted = opencc_engine(edition.opencc).convert(form.example) if edition and edition.converted else ""
        if edition and form.opencc not in converted:
            problems.append(loaded.at(form, ("example",), f'OpenCC writes "{converted}" for it, without "{form.opencc}"',
                                      f'give a Simplified text that OpenCC converts to a text with "{form.opencc}"'))
    texts = list(loaded.texts())
    corpus = "\n".join(text for _, _, text in texts)
    for override in rules.overrides:
        if not override.targets:
            problems.append(loaded.at(override, (), "gives no edition its words",
                                      "add the edition(s) OpenCC gets wrong, or delete the entry"))
        if not loaded.incomplete("measure") and override.simplified not in corpus:
            problems.append(loaded.at(override, ("simplified",), f'"{override.simplified}" occurs nowhere in the content',
                                      "delete the entry, or fix the phrase to match the Simplified text"))
        for code, target in override.targets:
            if len(target) != len(override.simplified):
                problems.append(loaded.at(override, (code,), f'"{target}" has {len(target)} characters, '
                                          f'"{override.simplified}" has {len(override.simplified)}',
                                          "a fix changes characters, never words: keep the same length"))
        for name in ("applies_in", "not_in"):
            for i, context in enumerate(getattr(override, name)):
                if override.simplified not in context:
                    problems.append(loaded.at(override, (name, i), f'"{context}" does not contain "{override.simplified}"',
                                              f'list a longer text that holds "{override.simplified}", as the content writes it'))
    pattern = phrase_pattern(o.simplified for o in rules.overrides)
    if pattern is None:
        return problems
    by_phrase = {o.simplified: o for o in rules.overrides}
    unsure: dict[int, dict[tuple[str, str], str]] = {}  # id(override) -> {(standing, words around): where}
    for record, name, text in texts:
        for start, phrase in occurrences(pattern, text):
            override = by_phrase[phrase]
            how = placement(override, text, start)
            if how in ("part", "inside"):
                words = words_around(text, start, start + len(phrase))
                unsure.setdefault(id(override), {}).setdefault((how, words), loaded.where(record, name, start))
    for override in rules.overrides:
        for (how, words), where in unsure.get(id(override), {}).items():
            context = words.replace("|", "")
            if how == "inside":
                message = (f'"{override.simplified}" is pieces of other words in {words} ({where}): '
                           "not applied there, OpenCC's conversion stands")
                hint = (f'if that is right, add "{context}" to not_in; if the fix is wanted there, '
                        f'add "{context}" to applies_in')
            else:
                message = (f'"{override.simplified}" is part of a longer word in {words} ({where}): '
                           "not applied there, OpenCC's conversion stands")
                hint = (f'if the fix is wanted there, add "{context}" to applies_in; if not, add it to not_in')
            problems.append(replace(loaded.at(override, ("simplified",), message, hint), severity="warning"))
    return problems
    by_phrase = {o.simplified: o for o in rules.overrides}
    skipped: dict[int, dict[str, str]] = {}  # id(override) -> {words around: where}
    for record, name, text in texts:
        for start, phrase in occurrences(pattern, text):
            override = by_phrase[phrase]
            if placement(override, text, start) == "inside":
                words = words_around(text, start, start + len(phrase))
                skipped.setdefault(id(override), {}).setdefault(words, loaded.where(record, name, start))
    for override in rules.overrides:
        for words, where in skipped.get(id(override), {}).items():
            context = words.replace("|", "")
            problems.append(replace(loaded.at(
                override, ("simplified",), f'"{override.simplified}" is part of other words in {words} ({where}): '
                "not applied there, OpenCC's conversion stands",
                f'if that is right, add "{context}" to not_in; if the fix is wanted there too, '
                f'add "{context}" to applies_in'), severity="warning"))
    return problems


def _terms(loaded: Loaded, editions: dict[str, Edition], forms: bool = True) -> list[Diagnostic]:
    """A term names a concept the measures write; its regional forms are in the edition's characters.

    The second is a warning: zh-tw written 台灣 where the Taiwan edition writes 臺灣 (or a Simplified
    character typed by mistake) is found by converting the form to Simplified and back; only with
    `forms`, when the conversion rules themselves are valid."""
    from ..convert.converter import Converter, opencc_engine

    problems = []
    if not loaded.incomplete("measure"):
        official = "\n".join(f"{m.title}\n{m.text}" for m in loaded.content.measures)
        for term in loaded.content.terms:
            if term.simplified not in official:
                problems.append(loaded.at(term, ("zh-hans",), f'"{term.simplified}" occurs in no measure',
                                          "write the concept as a measure's title or text writes it, or delete the entry"))
            for i, word in enumerate(term.text_also):
                if word not in official:
                    problems.append(loaded.at(term, ("text_also", i), f'"{word}" occurs in no measure',
                                              "list only words a measure's title or text writes for this concept"))
    if not forms:
        return problems
    converters = {e.code: Converter(e, loaded.conversion) for e in editions.values() if e.converted}
    simplified = opencc_engine("t2s")
    for term in loaded.content.terms:
        for code, convert in converters.items():
            form = term.form(code)
            expected = convert(simplified.convert(form))
            if expected != form:
                problems.append(replace(loaded.at(term, (code,), f'"{form}" is not in the characters the {code} '
                                                  f'edition writes: "{expected}"', f"write {expected}, or add a "
                                                  "regional form to content/conversion.yaml if the edition should "
                                                  "write it your way"), severity="warning"))
    return problems


def _category(loaded: Loaded, measure, source) -> list[Diagnostic]:
    ids = [c.id for c in source.categories]
    if measure.category is None:
        if ids:
            return [loaded.at(measure, (), "category: required field is missing",
                              f"{source.id} puts every measure in a category; add category: one of {', '.join(ids)}")]
        return []
    if measure.category in ids:
        return []
    if not ids:
        return [loaded.at(measure, ("category",), f'source {source.id} has no categories',
                          "remove the category line")]
    return [_unknown(loaded, measure, ("category",), measure.category, f"category of source {source.id}",
                     {c.id: c for c in source.categories}, f"{SOURCES_DIR}/{source.id}.yaml")]


def _category_counts(loaded: Loaded) -> list[Diagnostic]:
    problems = []
    counts = Counter((m.source, m.category) for m in loaded.content.measures)
    for source in loaded.content.sources:
        if loaded.incomplete("measure", source.id):
            continue
        for i, category in enumerate(source.categories):
            found = counts[(source.id, category.id)]
            if found != category.count:
                problems.append(loaded.at(source, ("categories", i, "count"),
                                          f"the document states {category.count} measures in {category.name}, "
                                          f"content has {found}",
                                          f"check the category of the measures of {source.id}"))
    return problems


def _unique(loaded: Loaded, items, attribute: str, what: str, owner=None, field: str = "") -> list[Diagnostic]:
    """Each item's `attribute` differs from the others' (`field`: its name in the file, if not the same)."""
    field = field or attribute
    if len({getattr(item, attribute) for item in items}) == len(items):  # the usual case, quickly
        return []
    seen: dict[str, object] = {}
    problems = []
    for i, item in enumerate(items):
        value = getattr(item, attribute)
        first = seen.setdefault(value, item)
        if first is not item:
            holder, path = (owner, ("categories", i, field)) if owner else (item, (field,))
            where = loaded.document(owner or first).path
            problems.append(loaded.at(holder, path, f'{what} {field} "{value}" is used twice (also in {where})',
                                      f"each {what} needs its own {field}"))
    return problems


def _unknown(loaded: Loaded, obj, path: tuple, value: str, what: str, known: dict, where: str) -> Diagnostic:
    close = difflib.get_close_matches(value, list(known), n=1, cutoff=0.5)
    hint = f'did you mean "{close[0]}"?' if close else f"known: {', '.join(sorted(known)) or 'none'}"
    return loaded.at(obj, path, f'"{value}" is not a {what}', f"{hint} (see content/{where})")


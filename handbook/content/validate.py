"""Rules across files: ids unique, references resolve, counts agree.

Per-file rules (types, required and unknown fields) are the schemas' job;
this module sees the whole handbook at once. Each rule reports at the line
of the field that breaks it, with a hint that names the fix.
"""

from __future__ import annotations

import difflib
import os
from collections import Counter
from pathlib import Path

from .conversion_rules import check_conversion, check_terms
from .validity import check_validity
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
                                      f"{loaded.document(first).path}", _own_number(loaded, measure, first)))
        problems += hit[2]
    memo.measures = kept
    problems += check_validity(loaded, {m.id: m for m in content.measures})
    problems += _category_counts(loaded)
    by_code = {e.code: e for e in editions}
    conversion = check_conversion(loaded, by_code)
    problems += conversion + check_terms(loaded, by_code, forms=not any(d.is_error for d in conversion))
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
            after.append(_unknown(loaded, measure, ("units", i), unit, "unit", units, "units.yaml"))
    for i, topic in enumerate(measure.topics):
        if topic not in topics and not loaded.incomplete("topics"):
            after.append(_unknown(loaded, measure, ("topics", i), topic, "topic", topics, "topics.yaml"))
    return before, after


def _own_number(loaded: Loaded, measure, first) -> str:
    """The fix for a number used twice: delete a copy; else the number the file's name gives."""
    if measure.id == first.id:
        return f"it repeats {loaded.document(first).path}: delete the copy"
    named = file_number(loaded.document(measure).path)
    if named is not None and named != measure.number:
        return f"this file is {named:02d}.yaml: write number: {named}"
    return "give each measure of a source its own number, and name its file after it (07.yaml for 7)"


def file_number(path: str) -> int | None:
    """The number a measure file's name gives (content/measures/<source>/08.yaml: 8), or None."""
    stem = path.rsplit("/", 1)[-1].removesuffix(".yaml")
    return int(stem) if stem.isdigit() else None


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
    """A reference to no such id. A maintainer often types the name instead (税务局 for tax): it is
    matched to the ids whose names hold it, and every id is listed with its name."""
    names = {id: _name(item) for id, item in known.items()}
    exact = [id for id, name in names.items() if name == value]
    if exact:
        return loaded.at(obj, path, f'"{value}" is the name of the {what} {exact[0]}, not its id',
                         f"write its id: {exact[0]} (see content/{where})")
    holding = [id for id, name in names.items() if len(value) > 1 and name and (value in name or name in value)]
    if not holding:  # a name half remembered: 市场监督 for 市市场监管局
        by_name = {name: id for id, name in names.items() if name}
        holding = [by_name[name] for name in difflib.get_close_matches(value, list(by_name), n=2, cutoff=0.5)]
    close = difflib.get_close_matches(value, list(known), n=1, cutoff=0.5)
    if 0 < len(holding) <= 3:
        hint = "did you mean " + " or ".join(f'{id} ({names[id]})' for id in holding) + "? write the id"
    elif close:
        hint = f'did you mean "{close[0]}"?'
    else:
        hint = "known: " + (", ".join(f"{id} ({names[id]})" if names[id] else id for id in sorted(known)) or "none")
    return loaded.at(obj, path, f'"{value}" is not a {what}', f"{hint} (see content/{where})")


def _name(item) -> str:
    """What a unit, topic, category or source document is called."""
    return getattr(item, "name", None) or getattr(item, "short_title", "") or ""


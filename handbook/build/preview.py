"""serve's first answer to an edit: the edited measure's own page, before the whole rebuild.

A rebuild checks the whole handbook again (its rules run across files) and
lays out every list the edit touches: about 2.5 s at 10,000 measures, ten
times that at 100,000. The commonest edit, a measure's topics or units,
changes one page the maintainer is looking at and many list pages nobody
is. So when every changed file is a measure file edited in place (it reads
and passes its schema, keeps its id, place, status and official text, and
names only topics and units the handbook has), its measure page is laid out
in every edition from the last build's plan and written at once, and the
open tab reloads. The full rebuild follows and renders it again with
everything else: the same bytes, or the right ones. If the rebuild fails,
the builder puts the previewed pages back as the last good build had them
(Builder.withdraw_preview).

The preview never changes the builder's plan: it is the rebuild's plan
that the site is left in, as after any rebuild.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from pathlib import Path

from ..content import load
from ..convert.converter import Translator
from ..model import Handbook, Measure
from ..site.index import term_ids
from ..site.pages import Across, Translated, measure_page
from ..site.plan import EditionPlan, Plan
from ..site.views import Page
from ..urls import PageKey

# What an in-place edit may change for a preview; any other field shows on other pages or is checked
# against other files (official text against the seeds, status and successor against other measures).
EDITORIAL = ("topics", "units")
AT_MOST = 20  # files: more is a checkout or a script, not an edit, and the rebuild shows them as soon


@dataclass(frozen=True)
class Preview:
    """The edited measures' pages, laid out from the edit, in every edition: (edition's plan, page)."""

    pages: tuple[tuple[EditionPlan, Page], ...]


def preview(content_dir: Path, files_read: dict, converters, handbook: Handbook, plan: Plan, paths
            ) -> Preview | None:
    """The pages of the measures edited in place at `paths`, or None when the edit is not one (another kind
    of file, a measure added, removed or renamed, a problem in the file, an official field changed):
    the full rebuild then does it all, and reports any problem where it is.

    `files_read` (load's cache) gets the files read, so that the rebuild does not read them again and
    finds the same Measure objects; `converters` are the builder's (convert.converter.Converters).
    """
    paths = set(paths)
    if len(paths) > AT_MOST:
        return None
    edited = _edited_measures(content_dir, files_read, paths)
    if not edited:
        return None
    source_index = plan.editions[0].layout.index
    for old, new in edited:
        if (replace(new, **{name: getattr(old, name) for name in EDITORIAL}) != old
                or any(t not in source_index.topics for t in new.topics)
                or any(u not in source_index.units for u in new.units)):
            return None
    measures = list(handbook.content.measures)
    changed = []
    for old, new in edited:
        at = source_index.order[old.id]
        if measures[at] is not old:  # the plan is not of the content this file was read into
            return None
        measures[at] = new
        changed.append(at)
    content = replace(handbook.content, measures=tuple(measures))
    pages = []
    for edition in plan.editions:
        convert = converters(edition.edition, handbook.conversion)
        pages += _edition_pages(edition, _shown(edition, convert, content, changed), content, handbook, changed)
    return Preview(tuple(pages))


def _edited_measures(content_dir: Path, files_read: dict, paths) -> list[tuple[Measure, Measure]] | None:
    """(as last built, as now) of each measure file at `paths` that changed; None for any other change."""
    here, root = os.getcwd(), os.path.abspath(content_dir)
    edited = []
    for path in sorted(paths):
        relative = os.path.relpath(os.path.abspath(path), root)
        if load._kind_of(tuple(relative.split(os.sep))) != "measure":
            return None
        key = os.path.join(os.fspath(content_dir), relative)  # as content_files lists it
        kept = files_read.get(key)
        signature = load._signature(key, here)
        if kept is None or kept[2] is None or signature is None:  # new, broken last time, or gone
            return None
        if kept[0] == signature:
            continue
        result = load._read_one(("measure", key, relative))
        (_, problems), new, _ = result
        if problems:
            return None
        files_read[key] = (signature, *result)
        edited.append((kept[2], new))
    return edited


def _edition_pages(edition: EditionPlan, shown: tuple[Measure, ...], content, handbook: Handbook,
                   changed: list[int]) -> list:
    """The measure pages at `changed` in one edition (`shown`: its measures), where they differ from the
    last build's."""
    before = edition.layout.index
    index = before.updated(replace(before.content, measures=shown), changed)
    out = []
    for at in changed:
        ref = index.refs[at]
        id = ref.measure.id
        old = edition.pages[PageKey("measure", id)]
        source = index.by_source[ref.measure.source]
        terms = term_ids(content.measures[at], content.terms)  # the source's, as plan.py has them
        translation = (Translated({id: content.measures[at]}, {}, handbook.source_edition.lang, edition.edition.lang)
                       if ref.measure.translation else None)
        across = Across({id: tuple(other.measure.id for other in index.related(ref))}, {id: terms},
                        translation=translation, histories={id: old.view.history}, history=handbook.history)
        page = measure_page(index, source, next(i for i, r in enumerate(source) if r is ref), across)
        if page != old:
            out.append((edition, page))
    return out


def _shown(edition: EditionPlan, convert, content, changed: list[int]) -> tuple[Measure, ...]:
    """The edition's measures with those at `changed` as it shows them now (converted or translated)."""
    measures = list(edition.layout.index.content.measures)
    for at in changed:
        m = content.measures[at]
        if isinstance(convert, Translator):
            mine = next((t for t in content.translations if t.edition == edition.edition.code and t.measure == m.id),
                        None)
            measures[at] = convert.measure(m, mine)
        elif edition.edition.converted:
            measures[at] = convert.record(m)
        else:
            measures[at] = m
    return tuple(measures)

"""serve's first answer to an edit: the edited measure's own pages, before the whole rebuild.

A rebuild checks the whole handbook again (its rules run across files) and
lays out every list the edit touches: about 2 s at 10,000 measures, ten
times that at 100,000. The commonest edits, a measure's topics or units and
a measure's translation, change the pages the maintainer is looking at and
many list pages nobody is. So when every changed file is edited in place, a
measure file that reads and passes its schema, keeps its id, place, status
and official text and names only topics and units the handbook has, or a
translation file that reads and passes its schema and translates the same
measure, the measure's page and its parallel page are laid out in every
edition from the last build's plan and written at once, and the open tab
reloads. The full rebuild follows and renders them again with everything
else: the same bytes, or the right ones. If the rebuild fails, the builder
puts the previewed pages back as the last good build had them (Builder.build).

The preview never changes the builder's plan: it is the rebuild's plan
that the site is left in, as after any rebuild.
"""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path

from ..content import load
from ..convert.converter import Translator
from ..model import Handbook, Measure
from ..site.index import term_ids
from ..site.pages import Across, Translated, measure_page, parallel_page
from ..site.plan import EditionPlan, Plan
from ..site.views import Page
from ..urls import PageKey

# What an in-place edit of a measure may change for a preview; any other field shows on other pages or is
# checked against other files (official text against the seeds, status and successor against other measures).
EDITORIAL = ("topics", "units")
AT_MOST = 20  # files: more is a checkout or a script, not an edit, and the rebuild shows them as soon


def preview(content_dir: Path, files_read: dict, converters, handbook: Handbook, plan: Plan, paths
            ) -> tuple[tuple[EditionPlan, Page], ...] | None:
    """(edition's plan, page) of the pages of the measures edited in place at `paths` (their files, or their translations'), or None
    when the edit is not one (another kind of file, a file added, removed or moved, a problem in it, a
    field other files depend on changed): the full rebuild then does it all, and reports any problem.

    `files_read` (load's cache) gets the files read, so that the rebuild does not read them again and
    finds the same objects; `converters` are the builder's (convert.converter.Converters).
    """
    paths = set(paths)
    if len(paths) > AT_MOST:
        return None
    edited = _edited_files(content_dir, files_read, paths)
    if not edited:
        return None
    source_index, content = plan.editions[0].layout.index, handbook.content
    measures, translations = list(content.measures), list(content.translations)
    changed = set()
    for kind, old, new in edited:
        if not _in_place(kind, old, new, source_index):
            return None
        records = measures if kind == "measure" else translations
        at = next((i for i, record in enumerate(records) if record is old), None)
        if at is None:  # the plan is not of the content this file was read into
            return None
        records[at] = new
        changed.add(source_index.order[new.id if kind == "measure" else new.measure])
    content, order = replace(content, measures=tuple(measures), translations=tuple(translations)), sorted(changed)
    mine = {(t.edition, t.measure): t for t in content.translations}
    shown = {p.edition.code: _shown(p, converters(p.edition, handbook.conversion), content, mine, order)
             for p in plan.editions}
    translated = next((p.edition for p in plan.editions if p.edition.translated), None)
    english = shown[translated.code] if translated else None  # parallel pages show its measures
    pages = []
    for edition in plan.editions:
        pages += _edition_pages(edition, shown[edition.edition.code], english, translated, content, handbook)
    return tuple(pages)


def _in_place(kind: str, old, new, index) -> bool:
    """Whether the edit of one file changes only what its measure's own pages show."""
    if kind == "translation":  # the same measure's translation in the same edition
        return (new.measure, new.edition) == (old.measure, old.edition)
    return (replace(new, **{name: getattr(old, name) for name in EDITORIAL}) == old
            and all(t in index.topics for t in new.topics) and all(u in index.units for u in new.units))


def _edited_files(content_dir: Path, files_read: dict, paths) -> list[tuple[str, object, object]] | None:
    """(kind, as last built, as now) of each measure or translation file at `paths` that changed; None for
    any other change."""
    here, root = os.getcwd(), os.path.abspath(content_dir)
    edited = []
    for path in sorted(paths):
        relative = os.path.relpath(os.path.abspath(path), root)
        key = os.path.join(os.fspath(content_dir), relative)  # as content_files lists it
        if key not in files_read and not os.path.lexists(key):
            continue  # came and went since the last build: an editor's or a tool's temporary file (sed -i)
        kind = load._kind_of(tuple(relative.split(os.sep)))
        if kind not in ("measure", "translation"):
            return None
        kept = files_read.get(key)
        signature = load._signature(key, here)
        if kept is None or kept[2] is None or signature is None:  # new, broken last time, or gone
            return None
        if kept[0] == signature:
            continue
        result = load._read_one((kind, key, relative))
        (_, problems), new, _ = result
        if problems:
            return None
        files_read[key] = (signature, *result)
        edited.append((kind, kept[2], new))
    return edited


def _edition_pages(edition: EditionPlan, shown: dict[int, Measure], english: dict[int, Measure] | None,
                   translated, content, handbook: Handbook) -> list:
    """The pages of the measures at the positions of `shown` (as this edition shows them now; `english`: as
    the `translated` edition does) in one edition, their measure page and their parallel page, where they
    differ from the last build's. Laid out from the last build's index, which is not copied: every other
    measure is as it was, and related_in_place finds the edited one's related measures."""
    index = edition.layout.index
    out = []
    for at, measure in shown.items():
        id = measure.id
        ref = index.refs[at] if measure is index.refs[at].measure else index.ref_of(measure)
        source = list(index.by_source[measure.source])
        place = next(i for i, r in enumerate(source) if r.measure.id == id)
        source[place] = ref
        translation = (Translated({id: content.measures[at]}, {id: english[at]}, handbook.source_edition.lang,
                                  translated.lang) if translated else None)
        old = edition.pages[PageKey("measure", id)]
        across = Across({id: tuple(other.measure.id for other in index.related_in_place(ref))},
                        {id: term_ids(content.measures[at], content.terms)},  # the source's, as plan.py has them
                        translation=translation, histories={id: old.view.history}, history=handbook.history)
        fresh = [measure_page(index, source, place, across)]
        if PageKey("parallel", id) in edition.pages:
            fresh.append(parallel_page(ref, edition.t, across))
        out += [(edition, page) for page in fresh if page != edition.pages[page.key]]
    return out


def _shown(edition: EditionPlan, convert, content, translations: dict, changed: list[int]) -> dict[int, Measure]:
    """The measures at `changed` as the edition shows them now (converted or translated), by position;
    `translations`: (edition code, measure id) -> its translation."""
    out = {}
    for at in changed:
        m = content.measures[at]
        if isinstance(convert, Translator):
            out[at] = convert.measure(m, translations.get((edition.edition.code, m.id)))
        elif edition.edition.converted:
            out[at] = convert.record(m)
        else:
            out[at] = m
    return out

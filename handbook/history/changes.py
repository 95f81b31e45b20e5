"""What each commit changed in each measure, worked out from two versions of its files.

Pure: a measure's version before and after a commit (parsed from its file),
its translation's, or the conversion rules', in; Change records out. The
kinds are model.CHANGE_KINDS: a file that only changed its comments or
layout changes nothing a reader sees, and gives none.
"""

from __future__ import annotations

from ..convert.converter import Converters
from ..editions import Edition
from ..model import Change, ConversionRules, Measure, MeasureTranslation
from .git import Commit

OFFICIAL = ("title", "text")
DETAILS = ("scope", "category", "units", "truncated", "status", "effective", "expires", "superseded_by")


def measure_changes(commit: Commit, before: Measure | None, after: Measure) -> list[Change]:
    """A measure's changes between two versions of its file (`before` None: it first appears)."""
    if before is None:
        return [Change(commit.hash, commit.when, after.id, "added")]
    out = []
    if _differ(before, after, OFFICIAL):
        out.append(Change(commit.hash, commit.when, after.id, "text", "", (before.title, before.text),
                          (after.title, after.text)))
    if _differ(before, after, DETAILS):
        out.append(Change(commit.hash, commit.when, after.id, "details"))
    if before.topics != after.topics:
        out.append(Change(commit.hash, commit.when, after.id, "topics"))
    return out


def translation_changes(commit: Commit, before: MeasureTranslation | None,
                        after: MeasureTranslation) -> list[Change]:
    """A translation's change, shown in its edition only; a first translation is one too (with nothing
    to set beside it)."""
    if before is None:
        return [Change(commit.hash, commit.when, after.measure, "translation", after.edition)]
    if not _differ(before, after, ("title", "text", "scope")):
        return []
    return [Change(commit.hash, commit.when, after.measure, "translation", after.edition,
                   (before.title, before.text), (after.title, after.text))]


def conversion_changes(commit: Commit, old: ConversionRules, new: ConversionRules, measures: list[Measure],
                       editions: tuple[Edition, ...], converters: Converters) -> list[Change]:
    """The measures whose text a converted edition shows differently under the new rules (the measures as
    they stand at that commit), each with the two renderings."""
    out = []
    for edition in editions:
        if not edition.converted:
            continue
        before, after = converters(edition, old), converters(edition, new)
        for m in measures:
            shown = (before(m.title), before(m.text)), (after(m.title), after(m.text))
            if shown[0] != shown[1]:
                out.append(Change(commit.hash, commit.when, m.id, "conversion", edition.code, *shown))
    return out


def _differ(a, b, names: tuple[str, ...]) -> bool:
    return any(getattr(a, name) != getattr(b, name) for name in names)

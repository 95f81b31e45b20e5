"""What changed in a measure's Chinese since a translation was made from it, found in git.

A translation records only a digest of the Chinese it was made from; the
text itself is in the repository's history. The newest commit whose version
of the measure file has that digest is the text the translator saw; the
difference from today's text is what the translation must catch up with.
Without git (a tarball), or when no commit has that text, it says so.
"""

from __future__ import annotations

import difflib
from pathlib import Path

from ..content.records import build_measure
from . import git
from .read import parsed_version

COMMITS = 200  # versions of a file looked at, newest first
CONTEXT = 8  # characters shown on each side of a change
CHANGES = 5  # changes shown; the rest are counted


def _git(folder: Path, *args: str) -> str | None:
    out = git.run(folder, *args)
    return None if out is None else out.decode("utf-8", "replace")


def earlier_version(measure_file: Path, wanted: str, digest) -> object | None:
    """The measure as the newest commit that has `digest(measure) == wanted` wrote it, or None."""
    folder, name = measure_file.parent, measure_file.name
    commits = _git(folder, "log", f"-n{COMMITS}", "--format=%H", "--", name)
    for commit in (commits or "").split():
        measure = parsed_version(_git(folder, "show", f"{commit}:./{name}"), build_measure)
        if measure is not None and digest(measure) == wanted:  # a version that does not parse is not the one
            return measure
    return None


def chinese_change(measure_file: Path, wanted: str, digest, current) -> str:
    """What changed in the measure's Chinese (`current`) since its version with digest `wanted`, in one line."""
    old = earlier_version(measure_file.absolute(), wanted, digest)
    if old is None:
        return "the text it was made from is not in this repository's history (compare it with the Chinese by hand)"
    changes = []
    for name in ("title", "text", "scope"):
        before, after = getattr(old, name) or "", getattr(current, name) or ""
        if before != after:
            changes += [f"{name}: {snippet}" for snippet in differences(before, after)]
    shown = changes[:CHANGES] + ([f"and {len(changes) - CHANGES} more"] if len(changes) > CHANGES else [])
    return "changed in the Chinese: " + "; ".join(shown or ["nothing but the digest"])


def differences(before: str, after: str) -> list[str]:
    """Each change as `…context[-removed-]{+added+}context…`."""
    out = []
    matcher = difflib.SequenceMatcher(None, before, after, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            continue
        left, right = before[max(0, a1 - CONTEXT):a1], before[a2:a2 + CONTEXT]
        removed = f"[-{before[a1:a2]}-]" if a2 > a1 else ""
        added = f"{{+{after[b1:b2]}+}}" if b2 > b1 else ""
        out.append(f"…{left}{removed}{added}{right}…")
    return out

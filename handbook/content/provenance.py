"""Official text is sacred: every measure's title and text must equal its seed.

The comparison is with the seed after the punctuation repair, the one
documented change. A difference is reported at the exact line and column of
the first changed character, with both texts around it, so an accidental
edit is found at once. Editorial fields (topics, summaries) are not checked.
"""

from __future__ import annotations

import os
from collections import Counter, defaultdict

from .load import Loaded
from .validate import file_number
from ..seeds.punctuation import FULL_WIDTH
from ..diagnostics import Diagnostic
from ..seeds.documents import SeedError, UnreadableSeed, load_seed

CONTEXT = 12  # characters shown on each side of a difference


def check_provenance(loaded: Loaded, memo: dict | None = None) -> list[Diagnostic]:
    """Every measure against its seed; `memo` (kept by a rebuild: id(measure) -> (measure, its seed's
    measure, seed file, problems)) spares comparing again the measures and seeds that did not change."""
    problems: list[Diagnostic] = []
    kept, fresh = (memo if memo is not None else {}), {}
    by_source = defaultdict(list)
    for measure in loaded.content.measures:
        by_source[measure.source].append(measure)
    for source in loaded.content.sources:
        seed_path = loaded.root / source.seed.file
        if not os.path.lexists(seed_path):  # (a link is there, though it is not read)
            problems.append(loaded.at(source, ("seed", "file"), f"{source.seed.file} does not exist",
                                      "seed documents are kept in seeds/; restore the file from version control"))
            continue
        try:
            seed = _seed(seed_path, source.seed.format)
        except UnreadableSeed as error:
            problems.append(loaded.at(source, ("seed", "file"), f"{source.seed.file} {error.message}", error.hint))
            continue
        except (SeedError, UnicodeDecodeError) as error:
            problems.append(loaded.at(source, ("seed", "format"), f"{source.seed.file} cannot be read as "
                                      f"{source.seed.format}: {error}",
                                      "seeds are never edited: restore it from version control"))
            continue
        expected = {m.number: m for m in seed.measures}
        seen = set()
        measures = by_source.get(source.id, ())
        twice = {n for n, count in Counter(m.number for m in measures).items() if count > 1}
        for measure in measures:
            named = file_number(loaded.document(measure).path)
            if measure.number in twice and named is not None and named != measure.number:
                seen.add(named)  # its number is wrong, not its text: validate says so, once
                continue
            original = expected.get(measure.number)
            if original is None:
                problems.append(loaded.at(measure, ("number",), f"{source.seed.file} has no measure {measure.number}",
                                          "every measure of a source with a seed must come from that seed"))
                continue
            seen.add(measure.number)
            hit = kept.get(id(measure))
            if hit is None or hit[0] is not measure or hit[1] is not original or hit[2] != source.seed.file:
                hit = (measure, original, source.seed.file, _compared(loaded, measure, original, source.seed.file))
            fresh[id(measure)] = hit
            problems += hit[3]
        for number in sorted(set(expected) - seen) if not loaded.incomplete("measure", source.id) else ():
            problems.append(loaded.at(source, ("seed", "file"), f"measure {number} of {source.seed.file} has no "
                                      f"content file", f"add content/measures/{source.id}/{number:02d}.yaml "
                                      "(python3 build.py import-seeds writes missing files)"))
    if memo is not None:
        memo.clear()
        memo.update(fresh)
    return problems


def _compared(loaded: Loaded, measure, original, seed_file: str) -> list[Diagnostic]:
    """A measure's official text and title against its seed's."""
    problems = []
    for field in ("title", "text"):
        problem = _difference(loaded, measure, field, getattr(measure, field), getattr(original, field), seed_file)
        if problem:
            problems.append(problem)
    if measure.truncated != original.truncated:
        problems.append(loaded.at(
            measure, ("truncated",) if measure.truncated else ("text",),
            "the seed document's text of this measure is complete" if measure.truncated else
            "the seed document breaks off in the middle of this text",
            "remove truncated: true" if measure.truncated else
            "add truncated: true so the site tells readers the text is incomplete"))
    return problems


_seeds: dict = {}


def _seed(path, layout: str):
    """A parsed seed, read again only when the file changes (or is replaced by a link or a pipe)."""
    try:
        stat = os.lstat(path)
    except OSError:
        return load_seed(path, layout)  # gone since it was looked at: load_seed says why it cannot be read
    key = (path, layout, stat.st_mode, stat.st_size, stat.st_mtime_ns)
    if key not in _seeds:
        _seeds[key] = load_seed(path, layout)
    return _seeds[key]


def _difference(loaded: Loaded, measure, field: str, actual: str, expected: str, seed_file: str) -> Diagnostic | None:
    if actual == expected:
        return None
    at = next((i for i, (a, b) in enumerate(zip(actual, expected)) if a != b), min(len(actual), len(expected)))
    spot = loaded.document(measure).char_spot((field,), at)
    document = loaded.document(measure)
    message = (f"differs from {seed_file} at character {at + 1}: "
               f"here “{_around(actual, at)}”, seed “{_around(expected, at)}”")
    return Diagnostic(document.path, spot.line, spot.col, field, message + _what_differs(actual, expected, at),
                      _hint(actual, expected, at))


_PAIRS = {**FULL_WIDTH, **{wide: ascii for ascii, wide in FULL_WIDTH.items()}}  # , ↔ ，, …


def _what_differs(actual: str, expected: str, at: int) -> str:
    """The difference in words, where it is one a reader cannot see: a mark's width, a space or line break."""
    here, there = actual[at:at + 1], expected[at:at + 1]
    if here and _PAIRS.get(here) == there:
        width = "an ASCII" if here in FULL_WIDTH else "a full-width"
        return f"; here {width} “{here}” where the seed has “{there}”"
    if "".join(actual.split()) == "".join(expected.split()):
        return "; only spaces or line breaks differ"
    return ""


def _hint(actual: str, expected: str, at: int) -> str:
    here, there = actual[at:at + 1], expected[at:at + 1]
    if here and _PAIRS.get(here) == there:
        return (f"write “{there}”: the official text keeps the seed's marks after the punctuation repair "
                "(beside Chinese characters , ; : ( ) are full-width; README: The punctuation repair)")
    if "".join(actual.split()) == "".join(expected.split()):
        return ("write each paragraph on one line, as the seed has it (an editor may have wrapped it), under "
                "`text: |`; without the | YAML joins lines with a space")
    return ("official text must match the seed after the punctuation repair; editorial additions go in their "
            "own fields (topics) or in the translations (content/translations/)")


def _around(text: str, at: int) -> str:
    start, end = max(0, at - CONTEXT), min(len(text), at + CONTEXT)
    return ("…" if start else "") + text[start:end] + ("…" if end < len(text) else "")

"""`check`: the whole of content validation, in the order that makes sense.

Per-file problems (syntax, schema) come first; rules across files and the
comparison with the seeds run on whatever loaded, so one run reports every
problem in every file. Content without errors is then converted, to list
the conversion decisions no reviewer has signed off (warnings: review.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .load import REVIEW_FILE, load
from ..convert.converter import Converter
from ..diagnostics import ContentError, Diagnostic, display_path
from ..model import Handbook
from .provenance import check_provenance
from ..convert.review import Reviewer, summaries, unreviewed_warnings
from .translations import TranslationMemo, check_translations
from .validate import ReferenceMemo, check_references
from ..editions import EDITIONS, Edition


@dataclass
class CheckMemos:
    """What a check keeps for the next one (a rebuild): each judgement is kept while what it was made from
    is the very same objects, so a rebuild judges again only what an edit changed."""

    references: ReferenceMemo = field(default_factory=ReferenceMemo)  # each measure's references
    translations: TranslationMemo = field(default_factory=TranslationMemo)  # each measure's translations
    reviewer: Reviewer = field(default_factory=Reviewer)  # each text's conversion decisions
    provenance: dict = field(default_factory=dict)  # each measure against its seed (provenance.py)
    diagnostics: tuple = ([], ())  # (the diagnostics as found, sorted without repeats): sorted again if they differ

    def sorted(self, diagnostics: list[Diagnostic]) -> tuple[Diagnostic, ...]:
        """The diagnostics in order, once each (at 10,000 measures they are 10,000 warnings to sort)."""
        if diagnostics != self.diagnostics[0]:
            self.diagnostics = (diagnostics, tuple(sorted(set(diagnostics))))
        return self.diagnostics[1]


def check_content(content_dir: Path, cache: dict | None = None, on_file=lambda path: None,
                  workers: int = 1, memos: CheckMemos | None = None, converter=Converter,
                  editions: tuple[Edition, ...] = EDITIONS) -> Handbook:
    """The validated handbook, or ContentError with every diagnostic (files read on `workers` processes).

    A rebuild passes what the last check kept: `cache` (content.load), `memos`, and
    `converter(edition, rules)`, which may hand out remembered Converters.
    """
    memos = memos or CheckMemos()
    loaded = load(content_dir, cache, on_file, workers)
    diagnostics = (loaded.diagnostics + check_references(loaded, memos.references, editions)
                   + check_provenance(loaded, memos.provenance))
    if not any(d.is_error for d in diagnostics):  # a translation is judged against measures that loaded
        problems, translated = check_translations(loaded, editions, memos.translations)
        diagnostics += problems
    if any(d.is_error for d in diagnostics):
        raise ContentError(diagnostics)
    converters = {v.code: converter(v, loaded.conversion) for v in editions if v.converted}
    found = memos.reviewer.decisions(loaded, converters, loaded.review)
    diagnostics += unreviewed_warnings(found, display_path(Path(content_dir) / REVIEW_FILE))
    return Handbook(loaded.content, loaded.settings, loaded.conversion, loaded.review, memos.sorted(diagnostics),
                    tuple(sorted(summaries(found).items())), editions, tuple(sorted(translated.items())))

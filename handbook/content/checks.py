"""`check`: the whole of content validation, in the order that makes sense.

Per-file problems (syntax, schema) come first; rules across files and the
comparison with the seeds run on whatever loaded, so one run reports every
problem in every file. Content without errors is then converted, to list
the conversion decisions no reviewer has signed off (warnings: review.py).
"""

from __future__ import annotations

from pathlib import Path

from .load import REVIEW_FILE, load
from ..convert.converter import Converter
from ..diagnostics import ContentError, display_path
from ..model import Handbook
from .provenance import check_provenance
from ..convert.review import Reviewer, summaries, unreviewed_warnings
from .translations import TranslationMemo, check_translations
from .validate import ReferenceMemo, check_references
from ..editions import EDITIONS, Edition


def check_content(content_dir: Path, cache: dict | None = None, on_file=lambda path: None,
                  workers: int = 1, memo: ReferenceMemo | None = None, converter=Converter,
                  reviewer: Reviewer | None = None, editions: tuple[Edition, ...] = EDITIONS,
                  translation_memo: TranslationMemo | None = None) -> Handbook:
    """The validated handbook, or ContentError with every diagnostic (files read on `workers` processes).

    A rebuild passes what the last check kept: `cache` (content.load), `memo` (validate.ReferenceMemo),
    `reviewer` (review.Reviewer), `translation_memo` (translations.TranslationMemo), and
    `converter(edition, rules)`, which may hand out remembered Converters.
    """
    loaded = load(content_dir, cache, on_file, workers)
    diagnostics = loaded.diagnostics + check_references(loaded, memo, editions) + check_provenance(loaded)
    if not any(d.is_error for d in diagnostics):  # a translation is judged against measures that loaded
        problems, translated = check_translations(loaded, editions, translation_memo)
        diagnostics += problems
    if any(d.is_error for d in diagnostics):
        raise ContentError(diagnostics)
    converters = {v.code: converter(v, loaded.conversion) for v in editions if v.converted}
    found = (reviewer or Reviewer()).decisions(loaded, converters, loaded.review)
    diagnostics += unreviewed_warnings(found, display_path(Path(content_dir) / REVIEW_FILE))
    return Handbook(loaded.content, loaded.settings, loaded.conversion, loaded.review,
                    tuple(sorted(set(diagnostics))), tuple(sorted(summaries(found).items())), editions,
                    tuple(sorted(translated.items())))

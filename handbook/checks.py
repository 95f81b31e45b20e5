"""`check`: the whole of content validation, in the order that makes sense.

Per-file problems (syntax, schema) come first; rules across files and the
comparison with the seeds run on whatever loaded, so one run reports every
problem in every file.
"""

from __future__ import annotations

from pathlib import Path

from .content import load
from .diagnostics import ContentError
from .model import Handbook
from .provenance import check_provenance
from .validate import ReferenceMemo, check_references


def check_content(content_dir: Path, cache: dict | None = None, on_file=lambda path: None,
                  workers: int = 1, memo: ReferenceMemo | None = None) -> Handbook:
    """The validated handbook, or ContentError with every diagnostic (files read on `workers` processes).

    A rebuild passes what the last check kept: `cache` (content.load) and `memo` (validate.ReferenceMemo).
    """
    loaded = load(content_dir, cache, on_file, workers)
    diagnostics = loaded.diagnostics + check_references(loaded, memo) + check_provenance(loaded)
    if any(d.is_error for d in diagnostics):
        raise ContentError(diagnostics)
    return Handbook(loaded.content, loaded.settings, loaded.conversion, tuple(sorted(set(diagnostics))))

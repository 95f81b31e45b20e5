"""Diagnostics: what is wrong with a content file, said the way compilers say it.

Every stage that reads files reports problems as `Diagnostic` values instead
of raising on the first one, so a maintainer sees every problem in one run:

    content/measures/nansha-batch6/07.yaml:14:3: error: category: "金融改革" is not ...
      hint: ...

An error stops the build; a warning (a conversion nobody has reviewed yet, a
fix that is skipped somewhere) is shown and the build goes on.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, order=True)
class Diagnostic:
    path: str
    line: int  # 1-based; 0 when the problem concerns the whole file
    col: int  # 1-based
    field: str  # dotted path of the field, or "" for the file itself
    message: str
    hint: str = ""
    severity: str = "error"  # or "warning"

    @property
    def is_error(self) -> bool:
        return self.severity == "error"

    def format(self) -> str:
        where = f"{self.path}:{self.line}:{self.col}" if self.line else self.path
        what = f"{self.field}: {self.message}" if self.field else self.message
        text = f"{where}: {self.severity}: {what}"
        return text + (f"\n  hint: {self.hint}" if self.hint else "")


def counted(diagnostics) -> str:
    """"2 errors and 1 warning in 2 files": the last line of a report."""
    errors = sum(d.is_error for d in diagnostics)
    warnings = len(diagnostics) - errors
    parts = [f"{n} {word}{'s' * (n != 1)}" for n, word in ((errors, "error"), (warnings, "warning")) if n]
    files = len({d.path for d in diagnostics})
    return f"{' and '.join(parts) or 'no problems'} in {files} file{'s' * (files != 1)}"


def warnings_report(warnings) -> str:
    """The warnings of a check that passed, as `check`, `build` and `serve` print them ("" for none)."""
    return "\n".join([d.format() for d in warnings] + [counted(warnings)]) if warnings else ""


class ContentError(Exception):
    """Raised with every diagnostic found (warnings too) when content cannot be used."""

    def __init__(self, diagnostics: list[Diagnostic]):
        self.diagnostics = sorted(set(diagnostics))
        super().__init__(f"{sum(d.is_error for d in self.diagnostics)} content error(s)")

    def __reduce__(self):  # crosses from a build's worker processes intact
        return (ContentError, (self.diagnostics,))

    def report(self) -> str:
        return "\n".join([d.format() for d in self.diagnostics] + [counted(self.diagnostics)])


def display_path(path: Path) -> str:
    """The path as a maintainer would type it: relative to the working directory when inside it."""
    absolute = os.path.abspath(path)
    here = os.getcwd()
    return os.path.relpath(absolute, here) if absolute.startswith(here + os.sep) else str(path)


def line_col(text: str, offset: int) -> tuple[int, int]:
    """1-based line and column of a character offset in text."""
    line = text.count("\n", 0, offset) + 1
    col = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return line, col

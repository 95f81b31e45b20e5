"""Diagnostics: what is wrong with a content file, said the way compilers say it.

Every stage that reads files reports problems as `Diagnostic` values instead
of raising on the first one, so a maintainer sees every problem in one run:

    content/measures/nansha-batch6/07.yaml:14:3: error: category: "金融改革" is not ...
      hint: ...
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

    def format(self) -> str:
        where = f"{self.path}:{self.line}:{self.col}" if self.line else self.path
        what = f"{self.field}: {self.message}" if self.field else self.message
        text = f"{where}: error: {what}"
        return text + (f"\n  hint: {self.hint}" if self.hint else "")


class ContentError(Exception):
    """Raised with every diagnostic found when content cannot be used."""

    def __init__(self, diagnostics: list[Diagnostic]):
        self.diagnostics = sorted(set(diagnostics))
        super().__init__(f"{len(self.diagnostics)} content error(s)")

    def __reduce__(self):  # crosses from a build's worker processes intact
        return (ContentError, (self.diagnostics,))

    def report(self) -> str:
        files = {d.path for d in self.diagnostics}
        lines = [d.format() for d in self.diagnostics]
        count = len(self.diagnostics)
        lines.append(
            f"{count} error{'s' * (count != 1)} in {len(files)} file{'s' * (len(files) != 1)}"
        )
        return "\n".join(lines)


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

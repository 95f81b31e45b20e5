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
import re
from dataclasses import dataclass
from pathlib import Path

# Characters no content may hold and no report prints as they are: C0 and C1 controls (tab, CR, ESC,
# DEL, NEL…), line and paragraph separators, the bidirectional marks, embeddings, overrides and
# isolates (they reorder what a reader sees), zero-width space, the byte order mark, lone
# surrogates, and U+FFFE and U+FFFF (not allowed in XML).
UNSAFE_CHARACTERS = ("\x00-\x1f\x7f-\x9f\u061c\u200b\u200e\u200f\u2028-\u202e\u2066-\u2069"
                     "\ud800-\udfff\ufeff\ufffe\uffff")
UNSAFE = re.compile(f"[{UNSAFE_CHARACTERS}]")
_SHORT_ESCAPES = {"\n": "\\n", "\t": "\\t", "\r": "\\r"}


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
        """The diagnostic as printed; what it quotes from a file is escaped, so no file can write
        escape sequences (colours, a cleared screen, a forged line) into a terminal or a CI log."""
        path, field, message, hint = map(escaped, (self.path, self.field, self.message, self.hint))
        where = f"{path}:{self.line}:{self.col}" if self.line else path
        what = f"{field}: {message}" if field else message
        text = f"{where}: {self.severity}: {what}"
        return text + (f"\n  hint: {hint}" if hint else "")


def escaped(text: str) -> str:
    """Text with every UNSAFE character written as an escape (\\n, \\x1b, \\u202e): safe to print."""
    return UNSAFE.sub(lambda found: escape(found[0]), text)


def escape(char: str) -> str:
    code = ord(char)
    return _SHORT_ESCAPES.get(char) or (f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")


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


def refusal(refused) -> Diagnostic:
    """A path the build will not read (a files.Refused: a link, a pipe, a file it may not read)."""
    return Diagnostic(display_path(refused.path), 0, 0, "", refused.reason, refused.hint)


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

"""A content file's text: its bytes decoded, and the characters it may not hold found and named.

What people type or paste, before YAML reads it: bytes that are not UTF-8, a
byte order mark, CR line endings, tabs and invisible or control characters,
typed or written as escapes. yamlfile asks here, so that its own work is
YAML's structure and where each value stands. A problem is a tuple
(line, col, message, hint), which yamlfile turns into a Diagnostic.
"""

from __future__ import annotations

import re
import unicodedata

from yaml.nodes import ScalarNode

from ..diagnostics import UNSAFE, UNSAFE_CHARACTERS, escape, line_col

BOM = b"\xef\xbb\xbf"
# Typed into the file, every unsafe character is refused where it stands (tabs have their own check).
_TYPED = re.compile(f"(?![\t\n])[{UNSAFE_CHARACTERS}]")
# Of those, what libyaml refuses or counts as a line break (U+0085, U+2028, U+2029): it never sees them.
NOT_FOR_LIBYAML = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufffe\uffff]")
_NAMES = {0x00: "null", 0x07: "bell", 0x08: "backspace", 0x09: "tab", 0x0A: "line break", 0x0B: "vertical tab",
          0x0C: "form feed", 0x0D: "carriage return", 0x1B: "escape", 0x7F: "delete", 0x85: "next line",
          0xFEFF: "byte order mark", 0xFFFE: "noncharacter", 0xFFFF: "noncharacter"}
INVISIBLE_HINT = "delete the invisible character (retype the text around it)"
_TAB = ("tab character", "indent with spaces, never tabs")


def decoded(data: bytes, max_bytes: int) -> tuple[str | None, list[tuple]]:
    """The text of a file, with LF line endings; None when it has none to parse."""
    if len(data) > max_bytes:
        return None, [(0, 0, f"file is larger than {max_bytes // 1024} KB, the most a content file may hold",
                       "is this the right file? Split long text or remove pasted binary data")]
    problems = []
    if data.startswith(BOM):
        problems.append((1, 1, "file starts with a byte order mark (BOM)", "save the file as UTF-8 without BOM"))
        data = data[len(BOM):]
    try:
        text = _lf(data.decode("utf-8"))
    except UnicodeDecodeError as error:
        prefix = _lf(data[: error.start].decode("utf-8", "replace"))
        return None, problems + [(*line_col(prefix, len(prefix)), f"file is not valid UTF-8 (byte "
                                  f"0x{data[error.start]:02X})", "save the file as UTF-8; it may have been saved "
                                  "as GBK or GB18030")]
    if not text.strip():
        return None, problems + [(0, 0, "file is empty", "see docs/content.md for what a content file holds")]
    return text, problems


def _lf(text: str) -> str:
    """CRLF and CR line endings as LF, before anything counts lines: a file saved on Windows reads the same."""
    return text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text


def tabs(text: str) -> list[tuple]:
    """A problem for the first tab on each line."""
    if "\t" not in text:
        return []
    return [(number, line.index("\t") + 1, *_TAB) for number, line in enumerate(text.split("\n"), 1) if "\t" in line]


def typed(text: str) -> list[tuple]:
    """A problem for the first unsafe character (other than a tab) typed on each line."""
    if not _TYPED.search(text):
        return []
    problems = []
    for number, line in enumerate(text.split("\n"), 1):
        found = _TYPED.findall(line)
        if found:
            more = f" (and {len(found) - 1} more on this line)" if len(found) > 1 else ""
            problems.append((number, line.index(found[0]) + 1,
                             f"character {character_name(found[0])} is not allowed{more}", INVISIBLE_HINT))
    return problems


def character_name(char: str) -> str:
    """"U+000C (form feed)": the code point, and a name a maintainer can search for."""
    code = ord(char)
    name = _NAMES.get(code) or unicodedata.name(char, "").lower() or (
        "lone surrogate" if 0xD800 <= code <= 0xDFFF else "control character")
    return f"U+{code:04X} ({name})"


def text_problem(node: ScalarNode, path: tuple, text: str, key: bool = False) -> tuple[str, str] | None:
    """(message, hint) for a scalar holding an unsafe character, or a line break outside block text
    (`|`, `>`); None when it holds neither.

    What was typed in the file is reported where it stands (by `typed`). The rest was written as
    an escape ("\\f") or made by folding lines, so its column in the file is not its offset in the
    value: the message says which character of the value it is.
    """
    found = _unusable(node, text, key)
    if found is None:
        return None
    number, char = found
    part = "the key" if key else "a one-line value" if char == "\n" else "the value"
    name = path[-1] if path and isinstance(path[-1], str) and not key else "field"
    if char == "\n":
        message = f"line break (U+000A) at character {number} of {part} is not allowed"
        hint = "remove the line break" if key else (
            f"remove the line break (text of several lines is written as a block: `{name}: |`, then the "
            "lines below it, indented)")
    else:
        message = f"{character_name(char)} at character {number} of {part} is not allowed"
        hint = (f"delete the escape that writes it, such as {escape(char)}, from the \"double-quoted\" text"
                if node.style == '"' else INVISIBLE_HINT)
    return message, hint


def _unusable(node: ScalarNode, text: str, key: bool) -> tuple[int, str] | None:
    """(1-based position, character) of the first character of the scalar to refuse here, or None."""
    for found in UNSAFE.finditer(node.value):
        char = found[0]
        if char == "\n":
            if key or node.style not in ("|", ">"):
                return found.start() + 1, char
        elif char not in text[node.start_mark.index:node.end_mark.index]:  # else typed, and reported
            return found.start() + 1, char
    return None

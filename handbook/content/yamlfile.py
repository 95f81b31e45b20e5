"""Read a YAML content file safely, keeping where every value stands.

Content files come from people, so nothing in them may crash the build:
bytes that are not UTF-8, a byte order mark, tabs, invisible and control
characters (typed, or written as escapes such as "\\x00"), line breaks in
one-line values, YAML tags that would construct Python objects, anchors and
aliases (the "billion laughs" bomb), duplicate keys, nesting deep enough to
overflow libyaml's C stack and oversized files all become `Diagnostic`s.
CRLF and CR line endings read as LF. Only plain data comes out: dicts,
lists, strings, numbers, booleans and None. Dates stay strings; the schema
checks their form.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

import yaml
from yaml.constructor import SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from ..diagnostics import UNSAFE, UNSAFE_CHARACTERS, Diagnostic, escape, line_col

MAX_BYTES = 512 * 1024
# Levels of lists and mappings. Content nests at most four; libyaml's composer recurses on the C
# stack and crashes Python (a segfault, no traceback) somewhere past ten thousand.
MAX_DEPTH = 64
_INDICATORS = "[{-:?"  # every list or mapping owns at least one of these characters
_OPEN, _CLOSE = (yaml.SequenceStartEvent, yaml.MappingStartEvent), (yaml.SequenceEndEvent, yaml.MappingEndEvent)
# Typed into the file, every unsafe character is refused where it stands (tabs have their own check).
_TYPED = re.compile(f"(?![\t\n])[{UNSAFE_CHARACTERS}]")
# Of those, what libyaml refuses or counts as a line break (U+0085, U+2028, U+2029): it never sees them.
_NOT_FOR_LIBYAML = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufffe\uffff]")
_NAMES = {0x00: "null", 0x07: "bell", 0x08: "backspace", 0x09: "tab", 0x0A: "line break", 0x0B: "vertical tab",
          0x0C: "form feed", 0x0D: "carriage return", 0x1B: "escape", 0x7F: "delete", 0x85: "next line",
          0xFEFF: "byte order mark", 0xFFFE: "noncharacter", 0xFFFF: "noncharacter"}
_INVISIBLE_HINT = "delete the invisible character (retype the text around it)"
# libyaml's parser when PyYAML has it (its wheels do): ten times faster on 10,000 files.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
BOM = b"\xef\xbb\xbf"

_TAG = "tag:yaml.org,2002:"
_SCALAR_TAGS = {_TAG + t for t in ("str", "int", "float", "bool", "null")}
_TIMESTAMP = _TAG + "timestamp"

Path_ = tuple  # a field path such as ("units", 0)


@dataclass(frozen=True)
class Spot:
    """Where a value's node starts (1-based), and its scalar style."""

    line: int
    col: int
    style: str | None = None


@dataclass
class YamlDocument:
    """Parsed file: plain data, plus the position of every key and value."""

    path: str
    text: str
    value: object
    values: dict[Path_, Spot] = field(default_factory=dict)
    keys: dict[Path_, Spot] = field(default_factory=dict)

    def spot(self, path: Path_, *, key: bool = False) -> Spot:
        """Position of a field, or of its nearest ancestor that has one."""
        path = tuple(path)
        while path:
            found = (self.keys if key else self.values).get(path) or self.values.get(path)
            if found:
                return found
            path = path[:-1]
        return Spot(1, 1)

    def char_spot(self, path: Path_, offset: int) -> Spot:
        """Position in the file of character `offset` of a string field."""
        spot = self.spot(path)
        lines = self.text.split("\n")
        if spot.style in ("|", ">"):
            first = spot.line  # content starts on the line after the indicator
            body = lines[first:]
            indent = len(body[0]) - len(body[0].lstrip(" ")) if body else 0
            value = self.value
            for part in path:
                value = value[part]
            line, col = line_col(value, offset)
            return Spot(first + line, indent + col)
        quote = 1 if spot.style in ("'", '"') else 0
        return Spot(spot.line, spot.col + quote + offset)


class _Invalid(Exception):
    def __init__(self, node: Node, message: str, hint: str = "", field: str = ""):
        self.node, self.message, self.hint, self.field = node, message, hint, field


def parse_yaml(data: bytes, path: str) -> tuple[YamlDocument | None, list[Diagnostic]]:
    """Parse bytes into a YamlDocument, or explain why not."""
    text, problems = _decoded(data)
    if text is None:
        return None, _located(path, problems)
    tabs = _tabs(text)
    problems += tabs + _typed(text)
    if problems and _NOT_FOR_LIBYAML.search(text):
        return None, _located(path, problems)
    deep = _too_deep(text)
    if deep:
        problems.append((deep.line + 1, deep.column + 1, f"nesting is too deep: more than {MAX_DEPTH} levels of "
                         "lists and mappings", "content files nest a few levels at most: look for an unclosed "
                         "[ or {, or pasted data"))
        return None, _located(path, problems)
    root, problem = _compose(text)
    if problem and problem[0] not in {line for line, *_ in tabs}:  # else a tab is the cause, and said already
        problems.append(problem)
    if root is None:
        if not problem:
            problems.append((0, 0, "file holds no data (only comments)", "see docs/content.md"))
        return None, _located(path, problems)
    document = YamlDocument(path, text, None)
    refused: list[_Invalid] = []
    try:
        document.value = _plain(root, (), document, set(), refused)
    except _Invalid as invalid:
        refused.append(invalid)
    except RecursionError:
        refused.append(_Invalid(root, *_TOO_DEEP))
    for invalid in refused:
        mark = invalid.node.start_mark
        problems.append((mark.line + 1, mark.column + 1, invalid.message, invalid.hint, invalid.field))
    return (None if problems else document), _located(path, problems)


_TAB = ("tab character", "indent with spaces, never tabs")
_TOO_DEEP = ("nesting is too deep", "content files nest at most a few levels")


def _located(path: str, problems: list[tuple]) -> list[Diagnostic]:
    """(line, col, message, hint[, field]) as diagnostics of the file."""
    return [Diagnostic(path, line, col, field[0] if field else "", message, hint)
            for line, col, message, hint, *field in problems]


def _decoded(data: bytes) -> tuple[str | None, list[tuple]]:
    """The text of a file, with LF line endings; None when it has none to parse."""
    if len(data) > MAX_BYTES:
        return None, [(0, 0, f"file is larger than {MAX_BYTES // 1024} KB, the most a content file may hold",
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


def _tabs(text: str) -> list[tuple]:
    """A problem for the first tab on each line."""
    if "\t" not in text:
        return []
    return [(number, line.index("\t") + 1, *_TAB) for number, line in enumerate(text.split("\n"), 1) if "\t" in line]


def _typed(text: str) -> list[tuple]:
    """A problem for the first unsafe character (other than a tab) typed on each line."""
    if not _TYPED.search(text):
        return []
    problems = []
    for number, line in enumerate(text.split("\n"), 1):
        found = _TYPED.findall(line)
        if found:
            more = f" (and {len(found) - 1} more on this line)" if len(found) > 1 else ""
            problems.append((number, line.index(found[0]) + 1,
                             f"character {character_name(found[0])} is not allowed{more}", _INVISIBLE_HINT))
    return problems


def _compose(text: str) -> tuple[Node | None, tuple | None]:
    """The root node of the text (None for comments only), or None and why it is not YAML."""
    try:
        return yaml.compose(text, Loader=_LOADER), None
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        message = str(error.problem)
        if error.context and error.context_mark and error.context_mark.line + 1 != line:
            message += f" ({error.context} that starts on line {error.context_mark.line + 1})"
        elif error.context:
            message = f"{error.context}: {message}"
        return None, (line, col, f"not valid YAML: {message}",
                      "check the indentation and quoting on this line and the one above")
    except yaml.reader.ReaderError as error:
        # libyaml counts bytes, not characters: find the character itself
        found = text.find(chr(error.character)) if isinstance(error.character, int) else -1
        line, col = line_col(text, found if found >= 0 else 0)
        return None, (line, col, f"character U+{error.character:04X} is not allowed in a YAML file", _INVISIBLE_HINT)
    except yaml.YAMLError as error:
        return None, (1, 1, f"not valid YAML: {error}", "")
    except RecursionError:
        return None, (1, 1, *_TOO_DEEP)


def character_name(char: str) -> str:
    """"U+000C (form feed)": the code point, and a name a maintainer can search for."""
    code = ord(char)
    name = _NAMES.get(code) or unicodedata.name(char, "").lower() or (
        "lone surrogate" if 0xD800 <= code <= 0xDFFF else "control character")
    return f"U+{code:04X} ({name})"


def _too_deep(text: str):
    """The mark where lists and mappings first nest deeper than MAX_DEPTH, or None.

    Counting indicator characters bounds the depth from above at almost no cost, so only a file
    that could be too deep is parsed to events (iterative, unlike composing) to measure it.
    """
    if sum(map(text.count, _INDICATORS)) < MAX_DEPTH:
        return None
    depth = 0
    try:
        for event in yaml.parse(text, Loader=_LOADER):
            if isinstance(event, _OPEN):
                depth += 1
                if depth > MAX_DEPTH:
                    return event.start_mark
            elif isinstance(event, _CLOSE):
                depth -= 1
    except yaml.YAMLError:
        pass  # composing finds the same error, no deeper than measured so far, and reports it
    return None


def _spot(node: Node) -> Spot:
    style = node.style if isinstance(node, ScalarNode) else None
    return Spot(node.start_mark.line + 1, node.start_mark.column + 1, style)


def _plain(node: Node, path: Path_, document: YamlDocument, seen: set[int], refused: list) -> object:
    """Turn a composed node into plain data, refusing what is not plain data.

    Text that may not be used is collected in `refused`, so that one run names all of it.
    """
    if id(node) in seen:
        raise _Invalid(node, "anchors and aliases (&name, *name) are not allowed",
                       "write the value out in full")
    seen.add(id(node))
    document.values[path] = _spot(node)
    if isinstance(node, ScalarNode):
        _check_text(node, path, document.text, refused)
        if node.tag == _TIMESTAMP:
            return node.value
        if node.tag not in _SCALAR_TAGS:
            raise _Invalid(node, f"YAML tag {node.tag.replace(_TAG, '!!')} is not allowed",
                           "remove the tag; write plain text, numbers, lists and keys")
        return SafeConstructor().construct_object(node)
    if isinstance(node, SequenceNode) and node.tag == _TAG + "seq":
        return [_plain(item, path + (i,), document, seen, refused) for i, item in enumerate(node.value)]
    if isinstance(node, MappingNode) and node.tag == _TAG + "map":
        result: dict[str, object] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, ScalarNode) or key_node.tag != _TAG + "str":
                raise _Invalid(key_node, "a key must be a plain name", "write the key as `name:`")
            key = key_node.value
            if key in result:
                raise _Invalid(key_node, f'key "{key}" appears twice', "keep one of the two")
            _check_text(key_node, path + (key,), document.text, refused, key=True)
            document.keys[path + (key,)] = _spot(key_node)
            result[key] = _plain(value_node, path + (key,), document, seen, refused)
        return result
    raise _Invalid(node, f"YAML tag {node.tag.replace(_TAG, '!!')} is not allowed",
                   "remove the tag; write plain text, numbers, lists and keys")


def _check_text(node: ScalarNode, path: Path_, text: str, refused: list, key: bool = False) -> None:
    """Refuse a scalar holding an unsafe character, or a line break outside block text (`|`, `>`).

    What was typed in the file is reported where it stands (by parse_yaml). The rest was written as
    an escape ("\\f") or made by folding lines, so its column in the file is not its offset in the
    value: the value's start is given, and which character of the value it is.
    """
    found = _unusable(node, text, key)
    if found is None:
        return
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
                if node.style == '"' else _INVISIBLE_HINT)
    refused.append(_Invalid(node, message, hint, field_name(path)))


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


def field_name(path: Path_) -> str:
    """("units", 1) -> "units[1]"; ("seed", "file") -> "seed.file"."""
    name = ""
    for part in path:
        name += f"[{part}]" if isinstance(part, int) else (f".{part}" if name else str(part))
    return name


class _Dumper(yaml.SafeDumper):
    """Writes content files the way a person would: block text, flow id lists."""


class FlowList(list):
    """A short list written on one line: `topics: [tax, credit]`."""


_Dumper.add_representer(
    str, lambda d, s: d.represent_scalar(_TAG + "str", s, style="|" if "\n" in s else None))
_Dumper.add_representer(FlowList, lambda d, seq: d.represent_sequence(_TAG + "seq", seq, flow_style=True))


def dump_yaml(schema_line: str, mapping: dict) -> str:
    """A content file: the editor schema line, then the fields in the given order.

    Multi-line strings become literal blocks (`text: |`), so official text
    reads in the file exactly as it will on the page.
    """
    body = yaml.dump(mapping, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=1_000_000)
    return f"{schema_line}\n{body}"

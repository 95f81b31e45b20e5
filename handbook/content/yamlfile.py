"""Read a YAML content file safely, keeping where every value stands.

Content files come from people, so nothing in them may crash the build:
bytes that are not UTF-8, a byte order mark, tabs, invisible and control
characters (typed, or written as escapes such as "\\x00"), line breaks in
one-line values, YAML tags that would construct Python objects, anchors and
aliases (the "billion laughs" bomb), duplicate keys, nesting deep enough to
overflow libyaml's C stack and oversized files all become `Diagnostic`s.
CRLF and CR line endings read as LF. Only plain data comes out: dicts,
lists, strings, numbers, booleans and None. Dates stay strings; the schema
checks their form. The text's own checks (decoding, the characters it may
not hold) are in yamltext; writing content files is yamlwrite's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import yaml
from yaml.constructor import SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from ..diagnostics import Diagnostic, line_col
from .yamltext import INVISIBLE_HINT, NOT_FOR_LIBYAML, decoded, tabs, text_problem, typed

MAX_BYTES = 512 * 1024
# Levels of lists and mappings. Content nests at most four; libyaml's composer recurses on the C
# stack and crashes Python (a segfault, no traceback) somewhere past ten thousand.
MAX_DEPTH = 64
_INDICATORS = "[{-:?"  # every list or mapping owns at least one of these characters
_OPEN, _CLOSE = (yaml.SequenceStartEvent, yaml.MappingStartEvent), (yaml.SequenceEndEvent, yaml.MappingEndEvent)
# libyaml's parser when PyYAML has it (its wheels do): ten times faster on 10,000 files.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

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
    text, problems = decoded(data, MAX_BYTES)
    if text is None:
        return None, _located(path, problems)
    tab_problems = tabs(text)
    problems += tab_problems + typed(text)
    if problems and NOT_FOR_LIBYAML.search(text):
        return None, _located(path, problems)
    deep = _too_deep(text)
    if deep:
        problems.append((deep.line + 1, deep.column + 1, f"nesting is too deep: more than {MAX_DEPTH} levels of "
                         "lists and mappings", "content files nest a few levels at most: look for an unclosed "
                         "[ or {, or pasted data"))
        return None, _located(path, problems)
    root, problem = _compose(text)
    if problem and problem[0] not in {line for line, *_ in tab_problems}:  # else a tab is the cause, and said already
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


_TOO_DEEP = ("nesting is too deep", "content files nest at most a few levels")


def _located(path: str, problems: list[tuple]) -> list[Diagnostic]:
    """(line, col, message, hint[, field]) as diagnostics of the file."""
    return [Diagnostic(path, line, col, field[0] if field else "", message, hint)
            for line, col, message, hint, *field in problems]


# A field name followed by a full-width mark: what a Chinese input method types for "title:".
_FULL_WIDTH_KEY = re.compile(r"^([ \t]*(?:- )?)([A-Za-z_][\w-]*)[ \t]*([：；，])")
_ASCII = {"：": ":", "；": ";", "，": ","}


def _full_width_key(text: str, line: int) -> tuple | None:
    """(line, col, message, hint) for a field name on or just above `line` that is followed by a
    full-width colon (or semicolon, comma) instead of YAML's ASCII colon; None if there is none."""
    lines = text.split("\n")
    for number in range(max(1, line - 2), min(line, len(lines)) + 1):
        if match := _FULL_WIDTH_KEY.match(lines[number - 1]):
            key, mark = match[2], match[3]
            return (number, match.end(), f'"{key}{mark}" has a full-width "{mark}" after the field name, '
                    f'where YAML needs the ASCII colon ":"',
                    f'write it as "{key}: " (switch the input method to half-width, or type the colon in English mode)')
    return None


def _compose(text: str) -> tuple[Node | None, tuple | None]:
    """The root node of the text (None for comments only), or None and why it is not YAML."""
    try:
        return yaml.compose(text, Loader=_LOADER), None
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        if found := _full_width_key(text, line):
            return None, found
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
        return None, (line, col, f"character U+{error.character:04X} is not allowed in a YAML file", INVISIBLE_HINT)
    except yaml.YAMLError as error:
        return None, (1, 1, f"not valid YAML: {error}", "")
    except RecursionError:
        return None, (1, 1, *_TOO_DEEP)


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
    """Refuse a scalar holding an unsafe character, or a line break outside block text (yamltext.text_problem)."""
    problem = text_problem(node, path, text, key)
    if problem:
        refused.append(_Invalid(node, *problem, field_name(path)))


def field_name(path: Path_) -> str:
    """("units", 1) -> "units[1]"; ("seed", "file") -> "seed.file"."""
    name = ""
    for part in path:
        name += f"[{part}]" if isinstance(part, int) else (f".{part}" if name else str(part))
    return name


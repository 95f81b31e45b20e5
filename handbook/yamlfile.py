"""Read a YAML content file safely, keeping where every value stands.

Content files come from people, so nothing in them may crash the build:
bytes that are not UTF-8, a byte order mark, tabs, YAML tags that would
construct Python objects, anchors and aliases (the "billion laughs" bomb),
duplicate keys and oversized files all become `Diagnostic`s. Only plain
data comes out: dicts, lists, strings, numbers, booleans and None. Dates
stay strings; the schema checks their form.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import yaml
from yaml.constructor import SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from .diagnostics import Diagnostic, line_col

MAX_BYTES = 512 * 1024
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
    def __init__(self, node: Node, message: str, hint: str = ""):
        self.node, self.message, self.hint = node, message, hint


def parse_yaml(data: bytes, path: str) -> tuple[YamlDocument | None, list[Diagnostic]]:
    """Parse bytes into a YamlDocument, or explain why not."""
    problems: list[Diagnostic] = []

    def problem(line: int, col: int, message: str, hint: str = "") -> None:
        problems.append(Diagnostic(path, line, col, "", message, hint))

    if len(data) > MAX_BYTES:
        problem(0, 0, f"file is {len(data) / 1e6:.1f} MB; a content file may be at most {MAX_BYTES // 1024} KB",
                "is this the right file? Split long text or remove pasted binary data")
        return None, problems
    if data.startswith(BOM):
        problem(1, 1, "file starts with a byte order mark (BOM)",
                "save the file as UTF-8 without BOM")
        data = data[len(BOM):]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        prefix = data[: error.start].decode("utf-8", "replace")
        line, col = line_col(prefix, len(prefix))
        problem(line, col, f"file is not valid UTF-8 (byte 0x{data[error.start]:02X})",
                "save the file as UTF-8; it may have been saved as GBK or GB18030")
        return None, problems
    if not text.strip():
        problem(0, 0, "file is empty", "see docs/content.md for what a content file holds")
        return None, problems

    tab_lines = set()
    for number, line in enumerate(text.split("\n"), 1):
        if "\t" in line:
            tab_lines.add(number)
            problem(number, line.index("\t") + 1, "tab character", "indent with spaces, never tabs")

    try:
        root = yaml.compose(text, Loader=_LOADER)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        if line not in tab_lines:
            message = str(error.problem)
            if error.context and error.context_mark and error.context_mark.line + 1 != line:
                message += f" ({error.context} that starts on line {error.context_mark.line + 1})"
            elif error.context:
                message = f"{error.context}: {message}"
            problem(line, col, f"not valid YAML: {message}",
                    "check the indentation and quoting on this line and the one above")
        return None, problems
    except yaml.reader.ReaderError as error:
        # libyaml counts bytes, not characters: find the character itself
        found = text.find(chr(error.character)) if isinstance(error.character, int) else -1
        line, col = line_col(text, found if found >= 0 else 0)
        problem(line, col, f"character U+{error.character:04X} is not allowed in a YAML file",
                "delete the invisible character (retype the text around it)")
        return None, problems
    except yaml.YAMLError as error:
        problem(1, 1, f"not valid YAML: {error}")
        return None, problems
    except RecursionError:
        problem(1, 1, "nesting is too deep", "content files nest at most a few levels")
        return None, problems

    if root is None:
        problem(0, 0, "file holds no data (only comments)", "see docs/content.md")
        return None, problems
    document = YamlDocument(path, text, None)
    try:
        document.value = _plain(root, (), document, set())
    except _Invalid as invalid:
        mark = invalid.node.start_mark
        problem(mark.line + 1, mark.column + 1, invalid.message, invalid.hint)
        return None, problems
    except RecursionError:
        problem(1, 1, "nesting is too deep", "content files nest at most a few levels")
        return None, problems
    return (None if problems else document), problems


def _spot(node: Node) -> Spot:
    style = node.style if isinstance(node, ScalarNode) else None
    return Spot(node.start_mark.line + 1, node.start_mark.column + 1, style)


def _plain(node: Node, path: Path_, document: YamlDocument, seen: set[int]) -> object:
    """Turn a composed node into plain data, refusing what is not plain data."""
    if id(node) in seen:
        raise _Invalid(node, "anchors and aliases (&name, *name) are not allowed",
                       "write the value out in full")
    seen.add(id(node))
    document.values[path] = _spot(node)
    if isinstance(node, ScalarNode):
        if node.tag == _TIMESTAMP:
            return node.value
        if node.tag not in _SCALAR_TAGS:
            raise _Invalid(node, f"YAML tag {node.tag.replace(_TAG, '!!')} is not allowed",
                           "remove the tag; write plain text, numbers, lists and keys")
        return SafeConstructor().construct_object(node)
    if isinstance(node, SequenceNode) and node.tag == _TAG + "seq":
        return [_plain(item, path + (i,), document, seen) for i, item in enumerate(node.value)]
    if isinstance(node, MappingNode) and node.tag == _TAG + "map":
        result: dict[str, object] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, ScalarNode) or key_node.tag != _TAG + "str":
                raise _Invalid(key_node, "a key must be a plain name", "write the key as `name:`")
            key = key_node.value
            if key in result:
                raise _Invalid(key_node, f'key "{key}" appears twice', "keep one of the two")
            document.keys[path + (key,)] = _spot(key_node)
            result[key] = _plain(value_node, path + (key,), document, seen)
        return result
    raise _Invalid(node, f"YAML tag {node.tag.replace(_TAG, '!!')} is not allowed",
                   "remove the tag; write plain text, numbers, lists and keys")


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

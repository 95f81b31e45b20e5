"""Whatever a file contains, reading it gives a measure or diagnostics, never a crash.

And what gets through is clean: no control or invisible character, no line
break outside block text, no nesting libyaml cannot take. Whatever a content
folder holds (links, pipes, folders in the place of files), the load names
each odd entry, never follows or opens it, and never hangs.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings, strategies as st

from handbook.content.load import load, read_file
from handbook.content.records import build_measure
from handbook.diagnostics import UNSAFE
from tests.conftest import ROOT

VALID = (ROOT / "content/measures/nansha-batch6/09.yaml").read_bytes()
RELATIVE = "measures/nansha-batch6/09.yaml"
YAML_BITS = [b":", b"-", b" ", b"\n", b"\t", b"[", b"]", b"{", b"}", b"&a", b"*a", b"!!python/object:os.system",
             b"|", b">", b"'", b'"', b"#", b"\xef\xbb\xbf", b"\xff", b"\x00", b"~", b"null", b"7", b"1e9", b"true",
             b"2022-02-30", "中".encode(), b"\r", b"%YAML 1.2\n", b"---\n", b"...\n", b"? ", b"<<: *a\n",
             # control and invisible characters, typed and as escapes (in double quotes they are read)
             b"\x1b[2J", b"\x0c", b"\x7f", "\u202e".encode(), "\u2028".encode(), "\u200b".encode(),
             "\ufeff".encode(), b'"\\x00"', b'"\\e[31m"', b'"\\u202e"', b'"\\x85"', b'"a\\nb"', b'"\\uFFFE"',
             b"\r\n",
             # nesting, well past the bound (MAX_DEPTH) in every form YAML has
             b"[" * 100, b"{a: " * 100, b"- " * 100, b"? " * 100, b"[" * 5000]


@st.composite
def mutated(draw):
    data = bytearray(VALID)
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(data)))
        action = draw(st.sampled_from(["insert", "delete", "replace"]))
        piece = draw(st.sampled_from(YAML_BITS) | st.binary(max_size=4))
        if action == "insert":
            data[at:at] = piece
        elif action == "delete":
            del data[at:at + draw(st.integers(1, 40))]
        else:
            data[at:at + len(piece)] = piece
    return bytes(data)


def read(data: bytes):
    document, problems = read_file("measure", data, "m.yaml", RELATIVE)
    if problems:
        for problem in problems:
            assert problem.path == "m.yaml" and problem.message and problem.format().startswith("m.yaml")
        return None
    assert_clean(document.value)
    return build_measure(document.value)


def assert_clean(value, block_text: bool = True) -> None:
    """No unsafe character anywhere in what was read; a line break only inside text values."""
    if isinstance(value, dict):
        for key, item in value.items():
            assert not UNSAFE.search(key), key
            assert_clean(item)
    elif isinstance(value, list):
        for item in value:
            assert_clean(item)
    elif isinstance(value, str):
        assert not UNSAFE.search(value.replace("\n", "")), value


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(mutated())
def test_mutated_measure_file(data):
    read(data)


UNSAFE_SAMPLE = "\x00\x07\t\n\r\x0c\x1b\x7f\x85\x9f\u061c\u200b\u200e\u202e\u2028\u2029\u2066\ufeff\ufffe\uffff"
FIELD_TEXT = st.text(st.sampled_from(UNSAFE_SAMPLE) | st.characters(codec="utf-8"), min_size=1, max_size=12)


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(["title", "scope"]), FIELD_TEXT, st.sampled_from(["double", "plain"]))
def test_a_field_holding_any_character_is_clean_or_refused(field, text, style):
    """The measure with one field written as YAML escapes ("\\x1b") or typed: refused, or clean."""
    if style == "double":
        value = '"' + "".join(f"\\u{ord(c):04x}" if not c.isalnum() else c for c in text) + '"'
    else:
        value = text
    lines = VALID.decode().split("\n")
    at = next(i for i, line in enumerate(lines) if line.startswith(f"{field}: "))
    lines[at] = f"{field}: {value}"
    data = "\n".join(lines).encode("utf-8", "surrogatepass")
    document, problems = read_file("measure", data, "m.yaml", RELATIVE)
    typed = text if style == "double" else text.replace("\r", "\n").replace("\n", "")  # a typed one ends the line
    if UNSAFE.search(typed):
        assert problems, (field, text)
    if not problems:
        assert_clean(document.value)
        assert "\n" not in document.value[field]


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=300) | st.text(max_size=300).map(str.encode))
def test_arbitrary_bytes(data):
    read(data)


def test_the_unmutated_file_reads():
    assert read(VALID).id == "nansha-batch6-09"


# --- odd entries in a content folder -------------------------------------------------------------

ENTRY_PLACES = ["measures/nansha-batch6/07.yaml", "measures/nansha-batch6/70.yaml", "measures/gzdd-2022",
                "measures/extra", "sources/nansha-batch6.yaml", "topics.yaml", "units.yaml", "site.yaml",
                "notes.yaml"]
ENTRY_KINDS = ["link to a file outside", "link to a folder outside", "dangling link", "named pipe",
               "folder in a file's place"]


def make_entry(content: Path, outside: Path, place: str, kind: str) -> None:
    path = content / place
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path)
    elif os.path.lexists(path):
        path.unlink()
    path.parent.mkdir(parents=True, exist_ok=True)
    if kind == "link to a file outside":
        path.symlink_to(outside / "secret.yaml")
    elif kind == "link to a folder outside":
        path.symlink_to(outside)
    elif kind == "dangling link":
        path.symlink_to(outside / "nowhere.yaml")
    elif kind == "named pipe":
        os.mkfifo(path)
    else:
        path.mkdir()
        (path / "inside.yaml").write_text("id: x\n", encoding="utf-8")


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(st.sampled_from(ENTRY_PLACES), st.sampled_from(ENTRY_KINDS), min_size=1, max_size=4))
def test_odd_entries_in_content_are_named_never_followed(entries):
    folder = Path(tempfile.mkdtemp(prefix="odd-"))
    try:
        content, outside = folder / "content", folder / "outside"
        shutil.copytree(ROOT / "content", content)
        outside.mkdir()
        (outside / "secret.yaml").write_text("# secret: not for the log\nid: secret\n", encoding="utf-8")
        for place, kind in entries.items():
            make_entry(content, outside, place, kind)
        loaded = load(content)  # a pipe opened for reading would block here for ever
        report = "\n".join(d.format() for d in loaded.diagnostics)
        assert "secret" not in report
        for place, kind in entries.items():
            if kind == "folder in a file's place":
                continue  # its files are strays or measures of their own, said in their own words
            assert any(d.path.endswith(place) and d.severity == "error" for d in loaded.diagnostics), (place, report)
    finally:
        shutil.rmtree(folder)

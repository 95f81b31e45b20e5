"""Whatever a file contains, reading it gives a measure or diagnostics, never a crash."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings, strategies as st

from handbook.content import build_measure, read_file
from tests.conftest import ROOT

VALID = (ROOT / "content/measures/nansha-batch6/09.yaml").read_bytes()
RELATIVE = "measures/nansha-batch6/09.yaml"
YAML_BITS = [b":", b"-", b" ", b"\n", b"\t", b"[", b"]", b"{", b"}", b"&a", b"*a", b"!!python/object:os.system",
             b"|", b">", b"'", b'"', b"#", b"\xef\xbb\xbf", b"\xff", b"\x00", b"~", b"null", b"7", b"1e9", b"true",
             b"2022-02-30", "中".encode(), b"\r", b"%YAML 1.2\n", b"---\n", b"...\n", b"? ", b"<<: *a\n"]


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
    return build_measure(document.value)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(mutated())
def test_mutated_measure_file(data):
    read(data)


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=300) | st.text(max_size=300).map(str.encode))
def test_arbitrary_bytes(data):
    read(data)


def test_the_unmutated_file_reads():
    assert read(VALID).id == "nansha-batch6-09"

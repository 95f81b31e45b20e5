"""OpenCC's own dictionaries, read from the installed package: which characters are one-to-many.

The review report (review.py) lists every place where a Simplified character
with more than one Traditional counterpart was converted. OpenCC keeps its
dictionaries as binary .ocd2 files; the `opencc_dict` program shipped in the
same wheel turns one into text. Read once per process, in a few milliseconds.
"""

from __future__ import annotations

import subprocess
import tempfile
from functools import cache
from pathlib import Path

import opencc

PACKAGE = Path(opencc.__file__).parent / "clib"
DICTIONARIES = PACKAGE / "share" / "opencc"
TOOL = PACKAGE / "bin" / "opencc_dict"


@cache
def dictionary(name: str) -> dict[str, tuple[str, ...]]:
    """An OpenCC dictionary by name (e.g. STCharacters): key -> its candidates, the default first."""
    with tempfile.TemporaryDirectory() as scratch:
        text = Path(scratch) / f"{name}.txt"
        subprocess.run([str(TOOL), "-i", str(DICTIONARIES / f"{name}.ocd2"), "-o", str(text),
                        "-f", "ocd2", "-t", "text"], check=True, capture_output=True)
        entries = {}
        for line in text.read_text(encoding="utf-8").splitlines():
            key, _, values = line.partition("\t")
            entries[key] = tuple(values.split(" "))
    return entries


@cache
def one_to_many() -> dict[str, tuple[str, ...]]:
    """Simplified characters with more than one Traditional counterpart (发: 發 髮), from STCharacters."""
    return {key: values for key, values in dictionary("STCharacters").items() if len(values) > 1}

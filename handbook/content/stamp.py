"""`translated`: record that a translation now matches its measure's Chinese (the digest it was made from).

A translator updates the English, then runs `python3 build.py translated <measure-id>`: the translation
file's `translated_from` becomes the digest of today's Chinese, and check stops warning that it is out
of date. Only that one line of the file changes; the rest is as the translator wrote it.
"""

from __future__ import annotations

import re
from pathlib import Path

from ..editions import Edition
from ..files import write_atomic
from ..model import text_digest
from .load import MEASURES_DIR, TRANSLATIONS_DIR, load

_LINE = re.compile(r"^translated_from:.*$", re.M)
_MEASURE = re.compile(r"^measure:.*$", re.M)


class StampError(Exception):
    pass


def stamped(text: str, digest: str) -> str:
    """The file's text with `translated_from` set to the digest (quoted: a digest of digits is text)."""
    line = f'translated_from: "{digest}"'
    if _LINE.search(text):
        return _LINE.sub(line, text, count=1)
    found = _MEASURE.search(text)
    if not found:
        raise StampError("has no `measure:` line to put translated_from after")
    return text[:found.end()] + "\n" + line + text[found.end():]


def stamp(content_dir: Path, ids: list[str], editions: tuple[Edition, ...]) -> list[Path]:
    """Stamp the translations of the measures `ids` in every translated edition; the files written."""
    loaded = load(content_dir)
    measures = {m.id: m for m in loaded.content.measures}
    todo = []
    for id in ids:  # every id is checked before any file is written
        measure = measures.get(id)
        if measure is None:
            raise StampError(f'"{id}" is no measure of {content_dir} (or its file does not load: run check)')
        relative = "/".join(Path(loaded.document(measure).path).parts[-2:])  # <source>/<NN>.yaml
        found = [content_dir / TRANSLATIONS_DIR / e.code / relative for e in editions if e.translated]
        found = [path for path in found if path.is_file()]
        if not found:
            raise StampError(f"{id} has no translation ({TRANSLATIONS_DIR}/<edition>/{relative}); "
                             f"translate {MEASURES_DIR}/{relative} first")
        todo += [(path, measure) for path in found]
    written = []
    for path, measure in todo:
        text = path.read_text(encoding="utf-8")
        try:
            new = stamped(text, text_digest(measure))
        except StampError as error:
            raise StampError(f"{path}: {error}") from None
        if new != text:
            write_atomic(path, new.encode())
        written.append(path)
    return written

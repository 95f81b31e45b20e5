"""`new <source-id>`: a skeleton file for the next measure of a source document.

The skeleton passes the schema (so the editor shows no red at once), names
its schema on the first line, and says in comments what each field wants
and which ids are allowed, so a maintainer fills it in without a manual.
"""

from __future__ import annotations

from pathlib import Path

from ..content.load import MEASURES_DIR, SOURCES_DIR, TOPICS_FILE, UNITS_FILE, schema_comment
from ..files import write_atomic
from ..content.yamlfile import parse_yaml


class ScaffoldError(Exception):
    """The skeleton cannot be written; the message says why and what to do."""


def _read(path: Path) -> dict:
    document, problems = parse_yaml(path.read_bytes(), str(path)) if path.is_file() else (None, [])
    if document is None or not isinstance(document.value, dict):
        reason = problems[0].format() if problems else f"{path} does not exist"
        raise ScaffoldError(f"cannot read {path}: {reason}\nhint: fix it first (python3 build.py check)")
    return document.value


def _ids(path: Path, key: str) -> list[str]:
    items = _read(path).get(key) or []
    return [item["id"] for item in items if isinstance(item, dict) and isinstance(item.get("id"), str)]


def next_number(folder: Path) -> int:
    numbers = []
    for path in folder.glob("*.yaml"):
        document, _ = parse_yaml(path.read_bytes(), str(path))
        if document is not None and isinstance(document.value, dict) and isinstance(document.value.get("number"), int):
            numbers.append(document.value["number"])
        elif path.stem.isdigit():  # a broken file still holds its number
            numbers.append(int(path.stem))
    return max(numbers, default=0) + 1


def skeleton(source_id: str, number: int, relative: str, categories: list[str], topics: list[str],
             units: list[str], seed: str | None) -> str:
    lines = [
        schema_comment("measure", relative),
        f"# New measure {number} of {source_id}. Fill in every field, then run `make check`.",
        f"# Title and text must be exactly as in the source document ({seed or 'seeds/'}).",
        f"id: {source_id}-{number:02d}",
        f"source: {source_id}",
        f"number: {number}",
        "title: 待填写措施名称",
    ]
    if categories:
        lines += [f"# category: one of {', '.join(categories)}", f"category: {categories[0]}"]
    lines += [f"# units (optional): ids from content/{UNITS_FILE}, e.g. [{', '.join(units[:2])}]",
              "# scope (optional): 推广范围, e.g. 市有关行政区",
              f"# topics: 1 to 3 of {', '.join(topics)}",
              f"topics: [{topics[0]}]",
              "text: |",
              "  待填写措施原文。",
              ""]
    return "\n".join(lines)


def new_measure(content_dir: Path, source_id: str) -> Path:
    """Write the skeleton of the next measure of `source_id`; returns its path."""
    source_file = content_dir / SOURCES_DIR / f"{source_id}.yaml"
    if not source_file.is_file():
        known = sorted(p.stem for p in (content_dir / SOURCES_DIR).glob("*.yaml"))
        raise ScaffoldError(f'no source document "{source_id}" (no {source_file})\n'
                            f"hint: one of: {', '.join(known) or 'none yet: add content/sources/<id>.yaml first'}")
    source = _read(source_file)
    categories = [c["id"] for c in source.get("categories") or [] if isinstance(c, dict) and "id" in c]
    topics = _ids(content_dir / TOPICS_FILE, "topics")
    if not topics:
        raise ScaffoldError(f"content/{TOPICS_FILE} lists no topics\nhint: add at least one topic first")
    folder = content_dir / MEASURES_DIR / source_id
    number = next_number(folder)
    relative = f"{MEASURES_DIR}/{source_id}/{number:02d}.yaml"
    path = content_dir / relative
    if path.exists():
        raise ScaffoldError(f"{path} already exists\nhint: give the existing file its number, then run new again")
    seed = (source.get("seed") or {}).get("file") if isinstance(source.get("seed"), dict) else None
    write_atomic(path, skeleton(source_id, number, relative, categories, topics,
                                _ids(content_dir / UNITS_FILE, "units"), seed).encode())
    return path

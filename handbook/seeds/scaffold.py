"""`new <source-id>`: a skeleton file for the next measure of a source document.

The skeleton names its schema on the first line and says in comments what
each field wants and which ids are allowed, so a maintainer fills it in
without a manual. What only the maintainer can know (its topics; its
category, where the seed does not say) is written FILL_IN: check fails on
it with "fill in …" until it is done, so a forgotten field never publishes
a measure under a wrong topic. The official text comes from the seed: a
number the seed does not have is refused.
"""

from __future__ import annotations

from pathlib import Path

from ..content.load import MEASURES_DIR, SOURCES_DIR, TOPICS_FILE, UNITS_FILE, schema_comment
from ..content.schema import FILL_IN
from ..files import write_atomic
from ..content.yamlfile import parse_yaml
from .documents import SeedError, SeedMeasure, UnreadableSeed, load_seed


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


def skeleton(source_id: str, number: int, relative: str, categories: dict[str, str], topics: list[str],
             units: dict[str, str], seed: str | None, measure: SeedMeasure | None = None) -> str:
    """The file's text. `categories` and `units`: id by name, to write the seed's names as ids."""
    lines = [
        schema_comment("measure", relative),
        f"# New measure {number} of {source_id}. Fill in every {FILL_IN}, then run `make check`.",
        f"# Title and text must be exactly as in the source document ({seed or 'seeds/'}).",
        f"id: {source_id}-{number:02d}",
        f"source: {source_id}",
        f"number: {number}",
        f"title: {measure.title if measure else FILL_IN + '：措施名称'}",
    ]
    if categories:
        known = measure and categories.get(measure.category or "")
        lines += [f"# category: one of {', '.join(categories.values())}", f"category: {known or FILL_IN}"]
    named = [units[name] for name in (measure.units if measure else ()) if name in units]
    lines += [f"# units (optional): ids from content/{UNITS_FILE}, e.g. [{', '.join(list(units.values())[:2])}]"]
    lines += [f"units: [{', '.join(named)}]"] if named else []
    lines += [f"scope: {measure.scope}"] if measure and measure.scope else ["# scope (optional): 推广范围, e.g. 市有关行政区"]
    lines += [f"# topics: 1 to 3 of {', '.join(topics)}",
              f"topics: [{FILL_IN}]"]
    lines += ["truncated: true"] if measure and measure.truncated else []
    text = measure.text if measure else FILL_IN + "：措施原文"
    lines += ["text: |", *("  " + line if line else "" for line in text.split("\n")), ""]
    return "\n".join(lines)


def _seed_measure(root: Path, seed: dict | None, number: int) -> SeedMeasure | None:
    """Measure `number` of the source's seed; ScaffoldError when the seed does not have it."""
    if not seed or not isinstance(seed.get("file"), str):
        return None
    try:
        measures = {m.number: m for m in load_seed(root / seed["file"], seed.get("format", "")).measures}
    except (UnreadableSeed, SeedError, UnicodeDecodeError, OSError) as error:
        raise ScaffoldError(f"cannot read {seed['file']}: {error}\nhint: python3 build.py check says more")
    if number not in measures:
        have = f"measures 1 to {max(measures)}" if measures else "no measures"
        raise ScaffoldError(f"{seed['file']} has no measure {number}: it has {have}, and content/ has them all\n"
                            "hint: a new measure comes with its official document: add the document to seeds/ and "
                            "content/sources/ (docs/seeds.md), then run make new SOURCE=<its id>")
    return measures[number]


def new_measure(content_dir: Path, source_id: str) -> Path:
    """Write the skeleton of the next measure of `source_id`; returns its path."""
    source_file = content_dir / SOURCES_DIR / f"{source_id}.yaml"
    if not source_file.is_file():
        known = sorted(p.stem for p in (content_dir / SOURCES_DIR).glob("*.yaml"))
        raise ScaffoldError(f'no source document "{source_id}" (no {source_file})\n'
                            f"hint: one of: {', '.join(known) or 'none yet: add content/sources/<id>.yaml first'}")
    source = _read(source_file)
    categories = {c.get("name", c["id"]): c["id"] for c in source.get("categories") or []
                  if isinstance(c, dict) and "id" in c}
    topics = _ids(content_dir / TOPICS_FILE, "topics")
    if not topics:
        raise ScaffoldError(f"content/{TOPICS_FILE} lists no topics\nhint: add at least one topic first")
    folder = content_dir / MEASURES_DIR / source_id
    number = next_number(folder)
    relative = f"{MEASURES_DIR}/{source_id}/{number:02d}.yaml"
    path = content_dir / relative
    if path.exists():
        raise ScaffoldError(f"{path} already exists\nhint: give the existing file its number, then run new again")
    seed = source.get("seed") if isinstance(source.get("seed"), dict) else None
    measure = _seed_measure(content_dir.parent, seed, number)
    units = {u.get("name"): u["id"] for u in _read(content_dir / UNITS_FILE).get("units") or []
             if isinstance(u, dict) and isinstance(u.get("id"), str)}
    write_atomic(path, skeleton(source_id, number, relative, categories, topics, units,
                                seed.get("file") if seed else None, measure).encode())
    return path

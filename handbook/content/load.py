"""Load content/ into the data model, collecting every per-file problem.

Layout (docs/content.md explains each field):

    content/sources/<source-id>.yaml         one per source document
    content/measures/<source-id>/<NN>.yaml   one per measure
    content/units.yaml                       registry of responsible units
    content/topics.yaml                      editorial topic vocabulary
    content/site.yaml                        site settings (title, base_url)
    content/conversion.yaml                  regional forms and reviewed fixes to OpenCC's conversion
    content/terms.yaml                       the termbase: each concept in each region's words
    content/review.yaml                      conversion decisions signed off by a reviewer

Only regular files are read (files.regular_files, files.read_regular): a
link, a named pipe or a file that cannot be read is a located error, never
followed, opened or waited on. Each file is parsed safely (yamlfile),
checked against its JSON Schema (schema), and only then turned into model
values. Cross-file rules live in
validate.py; agreement with the seed documents in provenance.py.
"""

from __future__ import annotations

import datetime
import os
from dataclasses import dataclass, field
from pathlib import Path

from . import schema
from ..diagnostics import Diagnostic, display_path, refusal
from ..files import Refused, UnreadableFile, read_regular, regular_files
from ..model import (TEXT_FIELDS, Category, Content, ConversionRules, Measure, Override, RegionalForm, SeedRef, SignOff,
                    SiteSettings, Source, Term, Topic, Unit)
from ..workers import fork_pool
from .yamlfile import MAX_BYTES, YamlDocument, parse_yaml

SOURCES_DIR = "sources"
MEASURES_DIR = "measures"
UNITS_FILE = "units.yaml"
TOPICS_FILE = "topics.yaml"
SITE_FILE = "site.yaml"
CONVERSION_FILE = "conversion.yaml"
TERMS_FILE = "terms.yaml"
REVIEW_FILE = "review.yaml"
SINGLE_FILES = {UNITS_FILE: "units", TOPICS_FILE: "topics", SITE_FILE: "site", CONVERSION_FILE: "conversion",
                TERMS_FILE: "terms", REVIEW_FILE: "review"}


def schema_comment(kind: str, relative_file: str) -> str:
    """The first line of a content file, pointing editors at its schema."""
    depth = len(Path(relative_file).parts)  # content/ itself is one level down from the root
    target = "../" * depth + f"handbook/schemas/{kind}.schema.json"
    return f"# yaml-language-server: $schema={target}"


@dataclass
class Loaded:
    """Content plus where each value came from, for diagnostics."""

    root: Path  # the project root (content/ and seeds/ are inside)
    content: Content
    diagnostics: list[Diagnostic]
    origins: dict[int, tuple[YamlDocument, tuple]] = field(default_factory=dict)
    # Files that exist but could not be loaded. Cross-file rules skip what they
    # cannot judge without them, so one broken file gives one set of errors.
    unreadable: set[Path] = field(default_factory=set)  # relative to content/
    settings: SiteSettings | None = None
    conversion: ConversionRules = ConversionRules()
    review: tuple[SignOff, ...] = ()

    def incomplete(self, kind: str, name: str = "") -> bool:
        """True when a file of this kind (for sources and measures: of this source id) failed to load."""
        for path in self.unreadable:  # (a folder of measures that is refused counts for its source)
            found = _kind_of(path.parts) or ("measure" if path.parts[:1] == (MEASURES_DIR,) else None)
            if found == kind and (not name or name in (path.stem, path.parent.name)):
                return True
        return False

    def at(self, obj, field_path: tuple, message: str, hint: str = "", *, key: bool = False) -> Diagnostic:
        document, prefix = self.origins[id(obj)]
        spot = document.spot(prefix + field_path, key=key)
        return Diagnostic(document.path, spot.line, spot.col, schema.field_name(prefix + field_path), message, hint)

    def document(self, obj) -> YamlDocument:
        return self.origins[id(obj)][0]

    def texts(self):
        """(record, field, text) of every text that is converted, in a fixed order: where the
        conversion rules apply. A field is a name, or a path such as ("notes", 0)."""
        content = self.content
        records = [*content.measures, *content.sources, *content.units, *content.topics, *content.terms]
        for record in records + ([self.settings] if self.settings else []):
            for name in TEXT_FIELDS[type(record)]:
                value, field = getattr(record, name), FILE_KEYS.get(name, name)
                if isinstance(value, tuple):
                    yield from ((record, (field, i), item) for i, item in enumerate(value))
                elif value:
                    yield record, field, value
            for i, c in enumerate(getattr(record, "categories", ())):
                yield from ((record, ("categories", i, name), getattr(c, name)) for name in TEXT_FIELDS[type(c)])

    def where(self, record, field, offset: int) -> str:
        """path:line:col of character `offset` of a record's field (as texts() names it)."""
        document, prefix = self.origins[id(record)]
        spot = document.char_spot(prefix + (field if isinstance(field, tuple) else (field,)), offset)
        return f"{document.path}:{spot.line}:{spot.col}"


def content_files(content_dir: Path) -> tuple[list[tuple[str, str]], list[Path], list[Refused]]:
    """(kind, path) of every content file, sorted; the files that fit no kind; and what is not a file.

    The paths are strings: 10,000 Path objects cost a rebuild more than reading its one changed file.
    """
    files, strays = [], []
    if not os.path.isdir(content_dir):
        return files, strays, []  # every required file is missing, and said so
    paths, refused = regular_files(content_dir)
    prefix = len(os.path.join(content_dir, ""))  # the paths begin with it
    for path in paths:
        kind = _kind_of(tuple(path[prefix:].split(os.sep)))
        if kind:
            files.append((kind, path))
        else:
            strays.append(Path(path))
    return files, strays, refused


def _kind_of(parts: tuple[str, ...]) -> str | None:
    """The kind of a content file from its path's parts below content/."""
    if len(parts) == 1 and parts[0] in SINGLE_FILES:
        return SINGLE_FILES[parts[0]]
    if len(parts) == 2 and parts[0] == SOURCES_DIR and parts[1].endswith(".yaml"):
        return "source"
    if len(parts) == 3 and parts[0] == MEASURES_DIR and parts[2].endswith(".yaml"):
        return "measure"
    return None


def load(content_dir: Path, cache: dict | None = None, on_file=lambda path: None, workers: int = 1) -> Loaded:
    """Read and check every file of content/; model values for the files that pass.

    `cache` (path -> (size and mtime, result)) lets a rebuild skip parsing
    and schema-checking the files that did not change. With `workers` > 1,
    many files to read are read by that many processes.
    """
    cache = {} if cache is None else cache
    content_dir = Path(content_dir)
    sources, measures, units, topics, terms = [], [], [], [], []
    loaded = Loaded(content_dir.resolve().parent, Content((), (), (), ()), [])
    files, strays, refused = content_files(content_dir)
    for stray in strays:
        loaded.diagnostics.append(Diagnostic(
            display_path(stray), 0, 0, "", "not a content file",
            "content files are sources/<id>.yaml, measures/<source-id>/<NN>.yaml, "
            f"{', '.join(SINGLE_FILES)} (note the .yaml ending); move or delete this file"))
    for item in refused:
        loaded.diagnostics.append(refusal(item))
        loaded.unreadable.add(item.path.relative_to(content_dir))
    found = {kind for kind, _ in files}
    for required, kind in SINGLE_FILES.items():
        if kind not in found and Path(required) not in loaded.unreadable:
            loaded.diagnostics.append(Diagnostic(display_path(content_dir / required), 0, 0, "",
                                                 "file is missing", "restore it from version control"))

    here = os.getcwd()  # paths are shown relative to it
    stale = []
    for kind, path in files:
        signature = _signature(path, here)
        if signature is None or cache.get(path, (None,))[0] != signature:
            stale.append((kind, path, signature))
    # The model value is kept too: an unchanged file gives the same objects, which later
    # stages recognise by identity and do not convert or lay out again.
    for (kind, path, signature), result in zip(stale, _read_all(content_dir, stale, workers)):
        cache[path] = (signature, *result)

    for kind, path in files:
        _, (document, problems), value, shown = cache[path]
        on_file(shown)
        loaded.diagnostics.extend(problems)
        if problems:
            loaded.unreadable.add(Path(path).relative_to(content_dir))
            continue
        if kind in ("measure", "source"):
            (measures if kind == "measure" else sources).append(value)
            loaded.origins[id(value)] = (document, ())
        elif kind == "site":
            loaded.settings = value
            loaded.origins[id(value)] = (document, ())
        elif kind == "conversion":
            loaded.conversion = value
            for name in ("regional", "overrides"):
                for i, item in enumerate(getattr(value, name)):
                    loaded.origins[id(item)] = (document, (name, i))
        elif kind == "review":
            loaded.review = value
            for i, item in enumerate(value):
                loaded.origins[id(item)] = (document, ("sign_offs", i))
        else:
            {"units": units, "topics": topics, "terms": terms}[kind].extend(value)
            for i, item in enumerate(value):
                loaded.origins[id(item)] = (document, (kind, i))

    measures.sort(key=lambda m: (m.source, m.number))
    loaded.content = Content(tuple(sources), tuple(measures), tuple(units), tuple(topics), tuple(terms))
    return loaded


PARALLEL_FROM = 1000  # files: fewer are read faster by one process than sent between two


def _read_all(content_dir: Path, stale: list, workers: int) -> list[tuple]:
    """(parsed document and problems, model value, path as shown) of each file, on `workers` processes."""
    jobs = [(kind, path, os.path.relpath(path, content_dir)) for kind, path, _ in stale]
    if workers < 2 or len(jobs) < PARALLEL_FROM:
        return [_read_one(job) for job in jobs]
    with fork_pool(workers) as pool:
        return pool.map(_read_one, jobs, chunksize=max(1, len(jobs) // (8 * workers)))


def _signature(path: str, here: str) -> tuple | None:
    """What tells a changed file from the one read last time (None: it has gone since it was listed)."""
    try:
        info = os.lstat(path)
    except OSError:
        return None
    return info.st_size, info.st_mtime_ns, here


def _read_one(job: tuple[str, str, str]) -> tuple:
    kind, path, relative = job
    shown = display_path(Path(path))
    try:
        data = read_regular(Path(path), MAX_BYTES)  # one byte more than allowed tells a file that is too long
    except UnreadableFile as error:
        return (None, [refusal(error.refused)]), None, shown
    document, problems = read_file(kind, data, shown, relative)
    return (document, problems), None if problems else build(kind, document.value), shown


def read_file(kind: str, data: bytes, shown: str, relative: str) -> tuple[YamlDocument | None, list[Diagnostic]]:
    """Parse one file's bytes and check it against its schema: a pure function of its input."""
    document, problems = parse_yaml(data, shown)
    if document is None:
        return None, problems
    problems = schema.validate(document, kind)
    expected = schema_comment(kind, relative)
    if not document.text.startswith(expected + "\n"):
        problems.append(Diagnostic(shown, 1, 1, "", "first line must name the file's schema",
                                   f"make the first line: {expected}"))
    return document, problems


def build(kind: str, value: dict):
    """The model value of a checked file: a record, or a tuple of records for the list files."""
    if kind == "measure":
        return build_measure(value)
    if kind == "source":
        return build_source(value)
    if kind == "site":
        return SiteSettings(**value)
    if kind == "conversion":
        return ConversionRules(tuple(RegionalForm(**item) for item in value.get("regional", ())),
                               tuple(build_override(item) for item in value["overrides"]))
    if kind == "review":
        return tuple(SignOff(item["edition"], item["by"], item["date"], tuple(item["reviewed"]))
                     for item in value["sign_offs"])
    if kind == "terms":
        return tuple(Term(item["id"], item["zh-hans"], _edition_keys(item, TERM_FIELDS), tuple(item.get("also", ())),
                          item.get("note", ""), item.get("en", ""), item["zh-hans"], tuple(item.get("text_also", ())))
                     for item in value["terms"])
    if kind == "topics":
        return tuple(Topic(item["id"], item["name"], item["description"],
                           tuple((code, name, text) for code, wording in _edition_keys(item, TOPIC_FIELDS)
                                 for name, text in wording.items())) for item in value["topics"])
    return tuple(Unit(**item) for item in value[kind])


FILE_KEYS = {"written": "zh-hans"}  # a record's field whose key in its file is another
# A record's own keys; the others of a term, topic or override are edition codes (the schemas list them).
TERM_FIELDS = frozenset({"id", "zh-hans", "also", "note", "en", "text_also"})
TOPIC_FIELDS = frozenset({"id", "name", "description"})
OVERRIDE_FIELDS = frozenset({"simplified", "why", "applies_in", "not_in"})


def _edition_keys(value: dict, own: frozenset[str]) -> tuple[tuple[str, object], ...]:
    """(edition code, value) for each key of `value` that names an edition: what is not the record's own."""
    return tuple((key, item) for key, item in value.items() if key not in own)


def build_measure(value: dict) -> Measure:
    return Measure(
        id=value["id"], source=value["source"], number=value["number"], title=value["title"],
        text=value["text"].rstrip("\n"), topics=tuple(value["topics"]), category=value.get("category"),
        units=tuple(value.get("units", ())), scope=value.get("scope"), truncated=value.get("truncated", False),
    )


def build_source(value: dict) -> Source:
    return Source(
        id=value["id"], title=value["title"], short_title=value["short_title"], issuer=value["issuer"],
        date=datetime.date.fromisoformat(value["date"]), kind=value["kind"],
        seed=SeedRef(**value["seed"]), number=value.get("number"), description=value.get("description"),
        categories=tuple(Category(**c) for c in value.get("categories", ())),
        notes=tuple(value.get("notes", ())),
    )


def build_override(value: dict) -> Override:
    targets = _edition_keys(value, OVERRIDE_FIELDS)
    return Override(value["simplified"], targets, value["why"], tuple(value.get("applies_in", ())),
                    tuple(value.get("not_in", ())))

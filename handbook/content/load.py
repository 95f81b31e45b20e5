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
    content/translations/<edition>/<source-id>/<NN>.yaml
                                             a measure translated, for a translated edition (editorial)

Only regular files are read (reading.regular_files, reading.read_regular): a
link, a named pipe or a file that cannot be read is a located error, never
followed, opened or waited on. Each file is parsed safely (yamlfile),
checked against its JSON Schema (schema), and only then turned into model
values (records). Cross-file rules live in validate.py; agreement with the
seed documents in provenance.py.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path

from . import schema
from ..diagnostics import Diagnostic, display_path, refusal
from ..reading import Refused, UnreadableFile, read_regular, regular_files
from ..model import Content, ConversionRules, SignOff, SiteSettings
from ..workers import fork_pool, results
from .records import build, placed, record_texts
from .yamlfile import MAX_BYTES, YamlDocument, parse_yaml

SOURCES_DIR = "sources"
MEASURES_DIR = "measures"
TRANSLATIONS_DIR = "translations"
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
        return record_texts(self.content, self.settings)

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
    if len(parts) == 4 and parts[0] == TRANSLATIONS_DIR and parts[3].endswith(".yaml"):
        return "translation"
    return None


def load(content_dir: Path, cache: dict | None = None, on_file=lambda path: None, workers: int = 1) -> Loaded:
    """Read and check every file of content/; model values for the files that pass.

    `cache` (path -> (size and mtime, result)) lets a rebuild skip parsing
    and schema-checking the files that did not change. With `workers` > 1,
    many files to read are read by that many processes.
    """
    cache = {} if cache is None else cache
    content_dir = Path(content_dir)
    loaded = Loaded(content_dir.resolve().parent, Content((), (), (), ()), [])
    files, strays, refused = content_files(content_dir)
    _report_layout(loaded, content_dir, files, strays, refused)
    _read_changed(content_dir, files, cache, workers)
    records: dict[str, list] = {"source": [], "measure": [], "units": [], "topics": [], "terms": [],
                                "translation": []}  # as in Content
    for kind, path in files:
        _, (document, problems), value, shown = cache[path]
        on_file(shown)
        loaded.diagnostics.extend(problems)
        if problems:
            loaded.unreadable.add(Path(path).relative_to(content_dir))
        else:
            _take(loaded, records, kind, document, value)
    records["measure"].sort(key=lambda m: (m.source, m.number))
    loaded.content = Content(*map(tuple, records.values()))
    return loaded


def _report_layout(loaded: Loaded, content_dir: Path, files: list, strays: list[Path], refused: list[Refused]):
    """The problems of content/ as a whole: files that fit no kind, what is not a file, files missing."""
    for stray in strays:
        loaded.diagnostics.append(Diagnostic(
            display_path(stray), 0, 0, "", "not a content file",
            "content files are sources/<id>.yaml, measures/<source-id>/<NN>.yaml, "
            "translations/<edition>/<source-id>/<NN>.yaml, "
            f"{', '.join(SINGLE_FILES)} (note the .yaml ending); move or delete this file"))
    for item in refused:
        loaded.diagnostics.append(refusal(item))
        loaded.unreadable.add(item.path.relative_to(content_dir))
    found = {kind for kind, _ in files}
    for required, kind in SINGLE_FILES.items():
        if kind not in found and Path(required) not in loaded.unreadable:
            loaded.diagnostics.append(Diagnostic(display_path(content_dir / required), 0, 0, "",
                                                 "file is missing", "restore it from version control"))


def _read_changed(content_dir: Path, files: list[tuple[str, str]], cache: dict, workers: int) -> None:
    """Read into `cache` every file that is not there, or changed since it was read."""
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


def _take(loaded: Loaded, records: dict[str, list], kind: str, document: YamlDocument, value) -> None:
    """File a checked file's model value, and remember where in the document each record stands."""
    for record, prefix in placed(kind, value):
        loaded.origins[id(record)] = (document, prefix)
    if kind == "site":
        loaded.settings = value
    elif kind == "conversion":
        loaded.conversion = value
    elif kind == "review":
        loaded.review = value
    elif kind in ("measure", "source", "translation"):
        records[kind].append(value)
    else:
        records[kind].extend(value)


PARALLEL_FROM = 1000  # files: fewer are read faster by one process than sent between two


def _read_all(content_dir: Path, stale: list, workers: int) -> list[tuple]:
    """(parsed document and problems, model value, path as shown) of each file, on `workers` processes."""
    jobs = [(kind, path, os.path.relpath(path, content_dir)) for kind, path, _ in stale]
    if workers < 2 or len(jobs) < PARALLEL_FROM:
        return [_read_one(job) for job in jobs]
    size = max(1, len(jobs) // (8 * workers))
    chunks = [jobs[i:i + size] for i in range(0, len(jobs), size)]
    with fork_pool(workers) as pool:
        done = dict(results({pool.submit(_read_chunk, at, chunk): at for at, chunk in enumerate(chunks)}))
    return [result for at in range(len(chunks)) for result in done[at]]


def _read_chunk(at: int, jobs: list) -> tuple[int, list]:
    return at, [_read_one(job) for job in jobs]


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
    if problems:
        return (document, problems), None, shown
    value = build(kind, document.value)
    if kind == "translation":  # translations/<edition>/…: the edition it belongs to is its folder
        value = replace(value, edition=Path(relative).parts[1])
    elif kind == "measure":  # where it is, for the page's edit link
        value = replace(value, file=Path(relative).as_posix())
    return (document, problems), value, shown


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

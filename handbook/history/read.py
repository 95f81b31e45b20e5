"""The content's history: every commit that changed a measure, its translation or the conversion rules,
replayed oldest first into Change records.

Each commit's versions of the files it changed are parsed as the check
parses content (records.py), without the check: a version that does not
parse, or no longer fits the model, is passed over (the next that does is
compared with the last that did). A file is known by the measure id it
holds, so a file moved or renumbered keeps its measure's history. A
conversion-rule change is replayed with today's converter on the measures
as they stood then. The result depends only on the commits: the same
commits give the same history, whatever the clock or the working tree.
"""

from __future__ import annotations

from pathlib import Path

from ..content.records import build, build_measure, build_translation
from ..content.yamlfile import parse_yaml
from ..convert.converter import Converters
from ..editions import Edition
from ..model import Change, ConversionRules, History, Measure, MeasureTranslation
from . import git
from .changes import conversion_changes, measure_changes, translation_changes

MEASURES, TRANSLATIONS, CONVERSION = "measures/", "translations/", "conversion.yaml"
KIND_ORDER = {"added": 0, "text": 1, "details": 2, "topics": 3, "translation": 4, "conversion": 5}


def read_history(content_dir: Path, editions: tuple[Edition, ...]) -> History:
    """The history of `content_dir` as its repository has it; History() when there is none."""
    repo = git.repository(Path(content_dir))
    if repo is None:
        return History()
    commits = git.commits(repo, [MEASURES, TRANSLATIONS, CONVERSION])
    if not commits:  # content/ is not tracked (copied into some other repository)
        return History()
    texts = git.texts(repo, [(c.hash, path) for c in commits for path in c.changed])
    replay = _Replay(editions)
    for i, commit in enumerate(commits):
        boundary = repo.shallow and i == 0  # a shallow clone's first commit did not add what it holds
        # Files deleted last: a measure moved to another file is still there when its old file goes.
        for path in sorted(commit.changed, key=lambda path: texts.get((commit.hash, path)) is None):
            replay.file(commit, path.removeprefix(repo.prefix), texts.get((commit.hash, path)), boundary)
    order = {c.hash: i for i, c in enumerate(commits)}
    changes = sorted(replay.changes, key=lambda c: (-order[c.commit], c.measure, KIND_ORDER[c.kind], c.edition))
    since = commits[0].when.date() if repo.shallow else None
    return History(tuple(changes), "shallow" if repo.shallow else "complete", since, git.head(repo) or "")


class _Replay:
    """The measures, translations and rules as the commits so far left them, and the changes found."""

    def __init__(self, editions: tuple[Edition, ...]):
        self.editions = editions
        self.measures: dict[str, Measure] = {}  # measure id -> its version
        self.paths: dict[str, str] = {}  # file -> the measure id it last held
        self.translations: dict[tuple[str, str], MeasureTranslation] = {}  # (edition, measure id) -> version
        self.rules = ConversionRules()
        self.converters = Converters()
        self.changes: list[Change] = []

    def file(self, commit: git.Commit, path: str, text: str | None, boundary: bool) -> None:
        if path.startswith(MEASURES) and path.endswith(".yaml"):
            self._measure(commit, path, text, boundary)
        elif path.startswith(TRANSLATIONS) and path.endswith(".yaml"):
            self._translation(commit, path, text, boundary)
        elif path == CONVERSION:
            self._rules(commit, text, boundary)

    def _measure(self, commit, path: str, text: str | None, boundary: bool) -> None:
        measure = parsed_version(text, build_measure)
        if measure is None:
            gone = self.paths.pop(path, None) if text is None else None
            if gone is not None and gone not in self.paths.values():  # deleted, not moved to another file
                self.measures.pop(gone, None)
            return
        before = self.measures.get(measure.id)
        self.measures[measure.id], self.paths[path] = measure, measure.id
        if not (boundary and before is None):
            self.changes += measure_changes(commit, before, measure)

    def _translation(self, commit, path: str, text: str | None, boundary: bool) -> None:
        translation = parsed_version(text, build_translation)
        edition = path.split("/")[1]
        if translation is None or edition not in {e.code for e in self.editions}:
            return
        translation = MeasureTranslation(edition, *_fields(translation))
        before = self.translations.get((edition, translation.measure))
        self.translations[(edition, translation.measure)] = translation
        if not (boundary and before is None):
            self.changes += translation_changes(commit, before, translation)

    def _rules(self, commit, text: str | None, boundary: bool) -> None:
        rules = ConversionRules() if text is None else parsed_version(text, lambda value: build("conversion", value))
        if rules is None or rules == self.rules:
            return
        old, self.rules = self.rules, rules
        if not boundary:
            self.changes += conversion_changes(commit, old, rules, list(self.measures.values()), self.editions,
                                               self.converters)


def _fields(translation: MeasureTranslation) -> tuple:
    return (translation.measure, translation.translated_from, translation.title, translation.text, translation.scope)


def parsed_version(text: str | None, make):
    """The record a version of a file gives, or None: deleted, refused (read as content files are read:
    plain data, dates as text), or not what the model needs now."""
    if text is None:
        return None
    document, problems = parse_yaml(text.encode("utf-8"), "")
    if document is None or any(p.is_error for p in problems):
        return None
    try:
        return make(document.value)
    except Exception:  # an old layout: passed over
        return None

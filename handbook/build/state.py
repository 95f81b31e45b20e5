"""What a build reports, and what a kept Builder remembers between builds so the next does only what changed."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..content.checks import CheckMemos
from ..convert.converter import Converters
from ..history import git
from ..history.read import read_history
from ..model import Handbook, History
from ..search.queries import query_table_files, searched_values
from ..search.shards import Shard
from ..search.vocabulary import WrittenWords, edition_words, term_topics, vocabulary_json
from ..site.plan import Plan
from ..site.render import Templates
from .emit import Emitted


@dataclass
class BuildReport:
    """What a build did, for the command line and serve: its stages and counts."""

    base_url: str
    stages: list[tuple[str, float, str]]
    rendered: int  # pages rendered (the rest were unchanged and reused)
    written: int  # files written (the rest were unchanged on disk)
    warnings: tuple = ()  # the check's warnings (diagnostics.Diagnostic): shown, the build went on
    pdfs_laid_out: tuple[str, ...] = ()  # `build --pdf`: the PDFs laid out (the others came from the cache)
    changed: tuple[str, ...] | None = None  # a rebuild's files written or removed; None: a clean build's, all


@dataclass
class SiteState:
    """What a kept Builder remembers between builds: the site on disk, and what made it."""

    files_read: dict = field(default_factory=dict)  # content files already parsed and checked (content.load)
    checks: CheckMemos = field(default_factory=CheckMemos)  # what the check judged (content.checks)
    converters: Converters = field(default_factory=Converters)  # each remembers what it converted
    written_words: WrittenWords = field(default_factory=WrittenWords)  # termbase words each measure writes
    templates: Templates | None = None
    tables: tuple = (None, {})  # (what they were made from, the search page's conversion tables)
    # ((what they were made from, each edition's words), (…, the terms' topics), the search page's files)
    vocabulary: tuple = ((None, None), (None, None), None)
    plan: Plan | None = None  # the plan of the site on disk: None until a build succeeded
    on_disk: Emitted | None = None  # every file on disk, and every index document
    stale: set[Shard] = field(default_factory=set)  # bundles whose documents changed since they were indexed
    history: tuple = (None, History())  # (the commit and editions it was read at, the content's history)

    def content_history(self, content_dir: Path, editions: tuple) -> History:
        """The content's history (history/read.py), read again only when the repository's HEAD moved: the
        same object otherwise, so the plan knows nothing changed."""
        repo = git.repository(content_dir)
        key = (git.head(repo) if repo else None, editions)
        if self.history[0] != key:  # no repository: read once, an empty history that stays the same object
            self.history = (key, read_history(content_dir, editions))
        return self.history[1]

    def query_tables(self, handbook: Handbook) -> dict[str, bytes]:
        """The search page's conversion tables, made again only when the searchable text changed."""
        key = (searched_values(handbook.content), handbook.conversion, handbook.editions)
        if self.tables[0] != key:
            self.tables = (key, query_table_files(handbook, self.converters))
        return self.tables[1]

    def search_vocabulary(self, handbook: Handbook, plan: Plan) -> dict[str, bytes]:
        """The search page's vocabulary (vocabulary.py), made again only when what it depends on changed:
        its words when the termbase, the conversion or the searched text did (translations too); the
        terms' topics when which measures write which term, or their topics, did."""
        terms, c = plan.term_ids(), handbook.content
        words_key = (c.terms, handbook.conversion, plan.urls, handbook.editions, searched_values(c), c.translations,
                     c.sources, c.units, c.topics)  # (the records too: an edition's own wording of them)
        topics_key = (c.terms, c.topics, tuple((m.topics, terms[m.id]) for m in c.measures))
        (words_before, words), (topics_before, topics), files = self.vocabulary
        if words_key != words_before:
            words = edition_words(handbook, plan.urls, self.converters, self.written_words)
        if topics_key != topics_before:
            topics = term_topics(c, terms)
        if files is None or words_key != words_before or topics_key != topics_before:
            files = vocabulary_json(words, topics)
        self.vocabulary = ((words_key, words), (topics_key, topics), files)
        return files

"""`build`: content/ to a complete static site in site/, one timed stage at a time.

    check -> render (convert, pages, templates; per variant, on every core) -> index (Pagefind) -> swap in

A clean build writes into a fresh folder beside site/ and swaps it in at
the end, so a content, template or index error leaves the previous site
exactly as it was. A `Builder` kept between builds (`python build.py
serve`) remembers what it read, converted, rendered and wrote, and redoes
only what an edit changed: the result is the same bytes a clean build gives.

Pagefind reads index documents, not the pages: a copy of each measure's
article under the page's path, kept in a folder of its own
(`.site.search/<variant>/<shard>/` beside site/), so a rebuild re-indexes
without copying the site and Pagefind parses no navigation. The index is
cut into bundles (search.Shard) that Pagefind builds side by side, and a
rebuild re-indexes only the bundles whose documents changed.
"""

from __future__ import annotations

import gc
import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

import jinja2

from ..content.checks import check_content
from ..convert.review import Reviewer
from ..content.validate import ReferenceMemo
from ..diagnostics import ContentError, Diagnostic, display_path, refusal
from ..files import (OutputError, OutputLock, UnreadableFile, discard, read_regular, recover, regular_files,
                    scratch_folder, stage_tree, swap_in, write_atomic)
from .progress import Progress
from ..site.render import RenderCache, Renderer, page_count
from ..search.pagefind import (Shard, index_document, index_shards, pagefind_binary, query_table_files,
                     searchable_texts)
from ..variants import BY_CODE, VARIANTS
from ..search.vocabulary import WrittenWords, vocabulary_files
from ..workers import fork_pool


@dataclass
class BuildReport:
    base_url: str
    stages: list[tuple[str, float, str]]
    rendered: int  # pages rendered (the rest were unchanged and reused)
    written: int  # files written (the rest were unchanged on disk)
    warnings: tuple = ()  # the check's warnings (diagnostics.Diagnostic): shown, the build went on


def static_files(static_dir: Path) -> dict[str, bytes]:
    """What static/ holds, as the site's static/ files: regular files only, never a link's target."""
    paths, refused = regular_files(static_dir)
    files, problems = {}, [refusal(r) for r in refused]
    for path in paths:
        try:
            files[f"static/{Path(path).relative_to(static_dir).as_posix()}"] = read_regular(Path(path))
        except UnreadableFile as error:
            problems.append(refusal(error.refused))
    if problems:
        raise ContentError(problems)
    return files


def check_templates(templates: Path) -> None:
    """Templates are read by Jinja2, which would follow a link: refuse anything but regular files."""
    _, refused = regular_files(templates)
    if refused:
        raise ContentError([refusal(r) for r in refused])


def digest(data: bytes) -> bytes:
    return hashlib.blake2b(data, digest_size=16).digest()


class Builder:
    """Builds the site; kept between builds (keep_state), it rebuilds only what changed."""

    def __init__(self, root: Path, content_dir: Path, out_dir: Path, base_url: str | None = None,
                 progress: Progress | None = None, *, keep_state: bool = True, workers: int | None = None,
                 shard_size: int | None = None):
        """`shard_size`: measures per index bundle (serve: search.PREVIEW_SHARD_SIZE); None: one a variant."""
        self.root, self.content_dir, self.out_dir, self.base_url = root, content_dir, Path(out_dir), base_url
        self.progress = progress or Progress(quiet=True)
        self.keep_state = keep_state
        self.workers = workers or os.cpu_count() or 1
        self.shard_size = shard_size
        self.files_read: dict = {}  # content files already parsed and checked (content.load)
        self.references = ReferenceMemo()  # measures whose cross-file references were checked
        self.reviewer = Reviewer()  # each text's conversion decisions (review.py)
        self.written_words = WrittenWords()  # which termbase words each measure writes (vocabulary.py)
        self.renders = RenderCache()
        self.on_disk: dict[str, bytes] | None = None  # digest of every file the last build left in out_dir
        self.indexed: dict[str, tuple[Shard, bytes]] = {}  # measure page -> its index bundle, document digest
        self.modulus = 0  # the shard modulus of the index on disk
        self.stale: set[Shard] = set()  # bundles whose documents changed since they were indexed
        self.shards: set[Shard] = set()  # the bundles the last build's site has
        self.binary: Path | None = None  # Pagefind
        self.documents = self.out_dir.parent / f".{self.out_dir.name}.search"  # Pagefind's input
        self.lock = OutputLock(self.out_dir)  # held from the first build until close() when keep_state

    def build(self, defer_index: bool = False) -> BuildReport:
        """Build; with defer_index, a rebuild leaves re-indexing to index_pending() (serve reloads first).

        Only one build at a time writes an output folder (OutputLock), and the first build of
        a Builder first repairs what a killed build left (files.recover). A full or read-only
        disk is an OutputError that names the folder; the previous site stays as it was.
        """
        self.claim()
        try:
            return self._build(defer_index)
        except OSError as error:
            raise OutputError.from_os(error, self.out_dir) from None
        finally:
            if not self.keep_state:
                self.lock.release()

    def claim(self) -> None:
        """Take the output folder (once): check it is not an input, lock it, repair what a killed build left."""
        if self.lock.handle is not None:
            return
        self._guard_inputs()
        self.lock.acquire()
        try:
            recover(self.out_dir)
        except OSError as error:
            self.lock.release()
            raise OutputError.from_os(error, self.out_dir) from None

    def close(self) -> None:
        """Let other builds write the output folder again (a kept Builder holds it between builds)."""
        self.lock.release()

    def _guard_inputs(self) -> None:
        """The output folder is replaced whole: it must not hold, or be inside, what the build reads."""
        out = self.out_dir.resolve()
        for folder in (self.content_dir, self.content_dir.parent / "seeds", self.root / "templates",
                       self.root / "static"):
            folder = folder.resolve()
            if out == folder or folder.is_relative_to(out) or out.is_relative_to(folder):
                raise OutputError(f"cannot build into {display_path(self.out_dir)}/: it would replace or grow "
                                  f"{display_path(folder)}/, which the build reads; choose another --out")

    def _build(self, defer_index: bool) -> BuildReport:
        self.defer_index = defer_index
        self.progress.stages = []
        with self.progress.stage("check") as stage:
            handbook = check_content(self.content_dir, self.files_read if self.keep_state else {}, stage.item,
                                     self.workers, self.references if self.keep_state else None,
                                     self.renders.converter, self.reviewer)
            c = handbook.content
            stage.summary = (f"{len(c.measures)} measures, {len(c.sources)} sources, {len(c.units)} units, "
                             f"{len(c.topics)} topics")
        check_templates(self.root / "templates")
        renderer = Renderer(handbook, self.root / "templates", self.base_url, self.renders, self.shard_size)
        with self.progress.stage("convert") as stage:  # before the workers fork: they inherit the conversions
            extra = {**static_files(self.root / "static"), **self._query_tables(handbook),
                     **self._vocabulary(handbook, renderer)}
            stage.summary = "text converted to zh-hk and zh-tw; search conversion tables and vocabulary"
        # what index_pending needs after the build: Pagefind, and the bundles the site has now
        self.binary, self.shards = pagefind_binary(self.root), set(renderer.shards())
        try:
            if (self.on_disk is None or not self.out_dir.is_dir() or not self.documents.is_dir()
                    or renderer.modulus != self.modulus):  # every measure in another bundle: start again
                rendered, written = self._clean(handbook, renderer, extra)
            else:
                rendered, written = self._update(renderer, extra)
        except jinja2.TemplateError as error:
            raise ContentError([template_diagnostic(error, self.root / "templates")]) from None
        return BuildReport(self.base_url or handbook.settings.base_url, list(self.progress.stages), rendered, written,
                           handbook.warnings)

    def _query_tables(self, handbook) -> dict[str, bytes]:
        """The search page's conversion tables, made again only when the searchable text changed."""
        key = (tuple(searchable_texts(handbook.content)), handbook.conversion)
        if getattr(self, "_tables", (None,))[0] != key:
            self._tables = (key, query_table_files(handbook, self.renders.converter))
        return self._tables[1]

    def _vocabulary(self, handbook, renderer: Renderer) -> dict[str, bytes]:
        """The search page's vocabulary (vocabulary.py), made again only when what it depends on changed:
        the termbase, the conversion, the topics and which measures write which term."""
        terms_of = renderer.term_ids()
        key = (handbook.content.terms, handbook.conversion, handbook.content.topics, renderer.urls,
               tuple((m.id, m.topics, m.title, m.text, terms_of[m.id]) for m in handbook.content.measures))
        if getattr(self, "_words", (None,))[0] != key:
            self._words = (key, vocabulary_files(handbook, renderer.urls, terms_of, self.renders.converter,
                                                 self.written_words))
        return self._words[1]

    def _clean(self, handbook, renderer: Renderer, extra: dict[str, bytes]) -> tuple[int, int]:
        """Everything into a fresh folder, indexed, then swapped in."""
        self.renders.forget_pages()  # every page is written afresh, whatever an earlier build left
        fresh = stage_tree(self.out_dir, extra)
        documents = scratch_folder(self.out_dir, "search")
        try:
            with self.progress.stage("render", page_count(handbook)) as stage:
                rendered, digests, indexed = self._render_all(renderer, fresh, documents, stage)
                digests.update({path: digest(data) for path, data in extra.items()})
                stage.summary = f"{rendered} pages, {len(digests)} files in 3 variants ({self.workers} processes)"
            with self.progress.stage("index") as stage:
                # a one-off build drops each bundle's documents as soon as Pagefind has read them
                after = None if self.keep_state else (lambda shard: discard(documents / shard.folder))
                pages = index_shards(documents, self.shards, self.binary, fresh / "pagefind", self._pagefind_runs(),
                                     after)
                stage.summary = f"{pages} pages in {len(self.shards)} bundles"
            refuse_to_replace(self.out_dir, fresh)
            swap_in(fresh, self.out_dir)
        except BaseException:
            discard(fresh)
            discard(documents)
            raise
        discard(self.documents)
        if self.keep_state:
            documents.rename(self.documents)
            renderer.remember_all()
            self.on_disk, self.indexed, self.modulus, self.stale = digests, indexed, renderer.modulus, set()
            # What is kept for the next build is millions of objects: left to the garbage collector,
            # a full collection walks them all during a rebuild (about 1 s at 10,000 measures).
            gc.collect()
            gc.freeze()
        else:
            discard(documents)
        return rendered, len(digests)

    def _pagefind_runs(self) -> int:
        """Pagefind processes at a time: at least one a variant. Pagefind keeps about 1.3 cores
        busy, so on 2 cores three variants' indexes side by side took 26 s at 10,000 measures,
        two and then one 35 s."""
        return max(self.workers, len(VARIANTS))

    def _render_all(self, renderer: Renderer, folder: Path, documents: Path, stage) -> tuple[int, dict, dict]:
        """Render every page into `folder` (and index documents into `documents`), on every core.

        Returns the number of pages, each file's digest, and each measure page's index bundle and
        document digest.
        """
        tasks = [(v.code, part, self.workers) for v in VARIANTS for part in range(self.workers)]
        _JOB.update(renderer=renderer, folder=folder, documents=documents, templates=self.root / "templates")
        digests: dict[str, bytes] = {}
        indexed: dict[str, tuple[Shard, bytes]] = {}
        rendered = 0
        try:
            if self.workers > 1:
                with fork_pool(self.workers) as pool:
                    for count, part, shards in pool.imap_unordered(_render_part, tasks):
                        rendered += count
                        digests.update(part)
                        indexed.update(shards)
                        stage.done = len(digests)
                        self.progress.item(stage, f"{count} pages")
            else:
                for task in tasks:
                    count, part, shards = _render_part(task, stage.item)
                    rendered += count
                    digests.update(part)
                    indexed.update(shards)
            renderer.shared(lambda path, data, shard: digests.update({path: _write(folder, path, data)}))
        finally:
            _JOB.clear()
        renderer.pending = {}
        return rendered, digests, indexed

    def _update(self, renderer: Renderer, extra: dict[str, bytes]) -> tuple[int, int]:
        """Render what changed, write what differs, re-index the bundles whose measure pages changed."""
        changed: dict[str, tuple[bytes, bytes, Shard | None]] = {}  # path -> bytes, their digest, bundle

        def collect(path: str, data: bytes, shard: Shard | None) -> None:
            found = digest(data)
            if self.on_disk.get(path) != found:
                changed[path] = (data, found, shard)

        with self.progress.stage("render") as stage:
            rendered = sum(renderer.variant(v, collect) for v in VARIANTS)
            renderer.shared(collect)
            for path, data in extra.items():
                collect(path, data, None)
            stage.summary = f"{rendered} pages rendered again, {len(changed)} files changed"
        with self.progress.stage("write", len(changed)) as stage:
            removed = set(self.on_disk) - renderer.paths() - set(extra)
            for path, (data, found, shard) in sorted(changed.items()):
                write_atomic(self.out_dir / path, data)
                if shard:  # re-indexed only if what Pagefind reads changed, not just the page around it
                    document = index_document(data, BY_CODE[shard.code].lang)
                    entry = (shard, digest(document))
                    if self.indexed.get(path) != entry:
                        write_atomic(self.documents / shard.folder / path, document)
                        self.indexed[path] = entry
                        self.stale.add(shard)
                self.on_disk[path] = found
                stage.item(path)
            for path in sorted(removed):
                (self.out_dir / path).unlink(missing_ok=True)
                if path in self.indexed:
                    shard, _ = self.indexed.pop(path)
                    (self.documents / shard.folder / path).unlink(missing_ok=True)
                    self.stale.add(shard)
                del self.on_disk[path]
            renderer.commit()
            stage.summary = f"{len(changed)} files written, {len(removed)} removed"
        if not self.defer_index:
            self.index_pending()
        return rendered, len(changed) + len(removed)

    def index_pending(self) -> None:
        """Re-index the bundles whose documents changed since they were indexed (all of them at once)."""
        if not self.stale:
            return
        stale, self.stale = self.stale, set()
        try:
            with self.progress.stage("index") as stage:
                kept = stale & self.shards
                scratch = scratch_folder(self.out_dir, "index")
                try:
                    # at low priority when deferred (serve): the browser is reloading the rebuilt pages
                    pages = index_shards(self.documents, kept, self.binary, scratch, self._pagefind_runs(),
                                         niceness=10 if self.defer_index else 0)
                    for shard in sorted(stale):
                        if shard in kept:
                            swap_in(scratch / shard.folder, self.out_dir / "pagefind" / shard.folder)
                        else:  # its last measure is gone
                            discard(self.out_dir / "pagefind" / shard.folder)
                            discard(self.documents / shard.folder)
                finally:
                    discard(scratch)
                stage.summary = f"{pages} pages in {len(kept)} bundles indexed again"
        except BaseException as error:
            self.stale |= stale  # to be indexed by the next rebuild
            if isinstance(error, OSError):
                raise OutputError.from_os(error, self.out_dir) from None
            raise


def refuse_to_replace(target: Path, fresh: Path) -> None:
    """A build replaces its output folder whole: not a folder holding anything a build does not write
    (`--out ~/Documents` by mistake), which would be lost."""
    if not os.path.lexists(target):
        return
    if not target.is_dir() or target.is_symlink():
        raise OutputError(f"cannot build into {display_path(target)}: it is not a folder; choose another --out")
    ours = set(os.listdir(fresh))
    foreign = sorted(name for name in os.listdir(target)
                     if name not in ours and not (name.startswith(".") and name.endswith(".tmp")))
    if foreign:
        shown = ", ".join(foreign[:3]) + (", …" if len(foreign) > 3 else "")
        raise OutputError(f"cannot build into {display_path(target)}/: it holds files a build does not write "
                          f"({shown}), and a build replaces the folder whole; choose another --out, or empty it")


# The job of the worker processes, set before they are forked (they inherit it).
_JOB: dict = {}


def _write(folder: Path, path: str, data: bytes) -> bytes:
    target = folder / path
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)
    return digest(data)


def _render_part(task: tuple[str, int, int], on_page=None) -> tuple[int, dict, dict]:
    """Render one share of one variant's pages straight into the job's folders."""
    code, part, parts = task
    folder, documents = _JOB["folder"], _JOB["documents"]
    digests: dict[str, bytes] = {}
    indexed: dict[str, tuple[Shard, bytes]] = {}

    def emit(path: str, data: bytes, shard: Shard | None) -> None:
        digests[path] = _write(folder, path, data)
        if shard:
            indexed[path] = (shard, _write(documents / shard.folder, path, index_document(data, BY_CODE[shard.code].lang)))
        if on_page:
            on_page(path)

    try:
        count = _JOB["renderer"].variant(BY_CODE[code], emit, part, parts)
    except jinja2.TemplateError as error:  # said here, where the template's traceback is
        raise ContentError([template_diagnostic(error, _JOB["templates"])]) from None
    return count, digests, indexed


def build(root: Path, content_dir: Path, out_dir: Path, base_url: str | None = None,
          progress: Progress | None = None) -> BuildReport:
    """A clean build: everything read, rendered, written and indexed afresh."""
    workers = 1 if progress and progress.verbose else None
    return Builder(root, content_dir, out_dir, base_url, progress, keep_state=False, workers=workers).build()


def template_diagnostic(error: jinja2.TemplateError, templates: Path) -> Diagnostic:
    """Where in which template rendering failed, from the error or its traceback."""
    name, line = getattr(error, "filename", None), getattr(error, "lineno", None)
    frame = error.__traceback__
    while frame:  # the innermost template frame is where the mistake is
        filename = frame.tb_frame.f_code.co_filename
        if filename.startswith(str(templates)):
            name, line = filename, frame.tb_lineno
        frame = frame.tb_next
    path = display_path(Path(name)) if name else display_path(templates)
    return Diagnostic(path, line or 0, 1 if line else 0, "", f"template error: {error.message or error}",
                      "fix the template; the previous site is unchanged")

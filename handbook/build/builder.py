"""`build`: content/ to a complete static site in site/, one timed stage at a time.

    check -> convert (each edition converted and laid out: site.plan) -> render
          -> pdf (with --pdf: handbook.pdf) -> index (Pagefind) -> swap in

A one-off build (`build.py build`) lets go of what it made the pages from
before the render workers fork (what is written already, the check's
caches) and before Pagefind runs (everything), so the two never share the
machine's memory (bench/RESULTS.md: 100,000 measures).

A clean build writes into a fresh folder beside site/ and swaps it in at
the end, so a content, template or index error leaves the previous site
exactly as it was. A `Builder` kept between builds (`build.py serve`) keeps
a SiteState, the site on disk and what made it, and redoes only what an
edit changed: the result is the same bytes a clean build gives. The search
index is cut into bundles (search.shards) that Pagefind builds side by side;
a rebuild re-indexes only the bundles whose documents changed (emit.py).
"""

from __future__ import annotations

import ctypes
import gc
import os
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import jinja2

from ..content.checks import check_content
from ..diagnostics import ContentError
from ..editions import EDITIONS, Edition
from ..files import OutputError, OutputLock, discard, recover, scratch_folder, stage_tree, swap_in
from ..model import Handbook
from ..pdf.cache import PdfCache
from ..pdf.engine import Engine, load_engine
from ..pdf.stage import PdfJob, make_pdfs, pdf_total
from ..search.pagefind import available_memory, index_shards, pagefind_binary, runs_at_once
from ..search.shards import PUBLISHED_SHARD_SIZE, Shard, shard_modulus
from ..site.plan import Plan, plan_site
from ..site.render import Templates, load_templates, render_edition, render_page, root_files
from .state import BuildReport, SiteState
from ..urls import ROOT_FILES, SEARCH_INDEX, file_path, is_sitemap_part, page_path, root_file
from .emit import Emitter, digest
from .preview import preview
from .guards import guard_inputs, refuse_to_replace
from .inputs import check_templates, static_files, template_diagnostic
from .parallel import RenderJob, render_everything
from .progress import Progress


class Builder:
    """Builds the site; kept between builds (keep_state), it rebuilds only what changed."""

    def __init__(self, root: Path, content_dir: Path, out_dir: Path, base_url: str | None = None,
                 progress: Progress | None = None, *, keep_state: bool = True, workers: int | None = None,
                 shard_size: int | None = PUBLISHED_SHARD_SIZE, editions: tuple[Edition, ...] = EDITIONS,
                 pdf: bool = False):
        """`shard_size`: measures per index bundle at most (serve: shards.PREVIEW_SHARD_SIZE); None: one an
        edition however many.
        `pdf`: every build is clean and makes the PDFs (pdf/), which the pages then link."""
        self.root, self.content_dir, self.out_dir, self.base_url = root, content_dir, Path(out_dir), base_url
        self.progress = progress or Progress(quiet=True)
        self.keep_state, self.shard_size, self.editions, self.pdf = keep_state, shard_size, editions, pdf
        self.workers = workers or os.cpu_count() or 1
        self.documents = self.out_dir.parent / f".{self.out_dir.name}.search"  # Pagefind's input (emit.py)
        self.lock = OutputLock(self.out_dir)  # held from the first build until close() when keep_state
        self.state = SiteState()
        self.previewed: tuple = ()  # (edition code, page key) of the pages preview() wrote

    def build(self, defer_index: bool = False) -> BuildReport:
        """Build; with defer_index, a rebuild leaves re-indexing to index_pending() (serve reloads first).

        Only one build at a time writes an output folder (OutputLock), and the first build of
        a Builder first repairs what a killed build left (files.recover). A full or read-only
        disk is an OutputError that names the folder; the previous site stays as it was.
        """
        self.claim()
        try:
            report = self._build(defer_index)
        except OSError as error:
            self._withdraw_quietly()
            raise OutputError.from_os(error, self.out_dir) from None
        except BaseException:
            self._withdraw_quietly()
            raise
        finally:
            if not self.keep_state:
                self.lock.release()
        self.previewed = ()  # the rebuild rendered them again, from its own plan
        return report

    def preview(self, paths) -> list[str]:
        """serve: write the pages of the measures edited in place at `paths` (preview.py), before the
        rebuild that must follow; the files written (none: the edit is not one, the rebuild does all)."""
        plan = self.state.plan
        if plan is None or self.state.templates is None or self.pdf:
            return []
        found = preview(self.content_dir, self.state.files_read, self.state.converters, plan.handbook, plan, paths)
        if found is None:
            return []
        self.previewed += tuple((edition.edition.code, page.key) for edition, page in found)
        return self._rewrite(plan, found)

    def _withdraw_quietly(self) -> None:
        """After a failed rebuild: the pages preview() wrote, as the last good build has them (the
        rebuild's own error is the one to report, not a second one from a full disk)."""
        plan, previewed, self.previewed = self.state.plan, self.previewed, ()
        if plan is not None and previewed:
            try:
                self._rewrite(plan, [(p, p.pages[key]) for p in plan.editions for code, key in previewed
                                     if p.edition.code == code and key in p.pages])
            except OutputError:
                pass

    def _rewrite(self, plan: Plan, pages) -> list[str]:
        """Render (edition plan, page) pairs of `plan` into the site on disk, outside a rebuild; the files
        written (the others were as rendered)."""
        emitter = Emitter(self.out_dir, self.documents, {e.code: e.lang for e in plan.declared},
                          self.state.on_disk, live=True)
        try:
            for edition, page in pages:
                path = file_path(page_path(edition.edition.code, page.key))
                emitter.emit(path, render_page(self.state.templates.env, plan, edition, page),
                             plan.shard_of(edition.edition, page))
        except OSError as error:
            raise OutputError.from_os(error, self.out_dir) from None
        finally:
            self.state.stale |= emitter.stale
        return emitter.paths

    def claim(self) -> None:
        """Take the output folder (once): check it is not an input, lock it, repair what a killed build left."""
        if self.lock.handle is not None:
            return
        guard_inputs(self.out_dir, [self.content_dir, self.content_dir.parent / "seeds", self.root / "templates",
                                    self.root / "static"])
        self.lock.acquire()
        try:
            recover(self.out_dir)
        except OSError as error:
            self.lock.release()
            raise OutputError.from_os(error, self.out_dir) from None

    def close(self) -> None:
        """Let other builds write the output folder again (a kept Builder holds it between builds)."""
        self.lock.release()

    def _build(self, defer_index: bool) -> BuildReport:
        """The stages, in order: check, convert, render, then index (a clean build: into a fresh folder,
        swapped in) or over the site (an update).

        A one-off build indexes after everything it made for the pages is gone: the content, the plan
        and the caches are about as much memory as Pagefind's runs, and at 100,000 measures the two
        together would not fit in 8 GB.
        """
        report, finish = self._up_to_index(defer_index)
        if finish is not None:
            if not self.keep_state:  # _clean let go of the caches; the plan went with _up_to_index's frame
                release_memory()
            finish()
        return report

    def _up_to_index(self, defer_index: bool) -> tuple[BuildReport, Callable[[], None] | None]:
        """Every stage before a clean build's index: the report, and what is left to do (index and swap in)."""
        if not self.keep_state:
            self.state = SiteState()
        self.progress.stages = []
        engine = load_engine(self.root / "static") if self.pdf else None  # a missing font stops it now
        handbook = self._history(self._check())
        templates, templates_changed = self._templates()
        clean = self.pdf or self._clean_needed(handbook)
        with self.progress.stage("convert") as stage:  # before the workers fork: they inherit the plan
            previous = None if clean or templates_changed else self.state.plan  # None: every page again
            plan = plan_site(handbook, templates.strings, self.base_url, previous, self.state.converters,
                             self.shard_size, self.pdf)
            extra = {**static_files(self.root / "static"), **self.state.query_tables(handbook),
                     **self.state.search_vocabulary(handbook, plan),
                     **root_files(templates.env, plan), **plan.data_files()}
            stage.summary = (f"text converted to {', '.join(e.code for e in handbook.editions if e.converted)}; "
                             "search conversion tables and vocabulary; open data")
        finish, changed, laid_out = None, None, ()
        try:
            if clean:
                rendered, written, laid_out, finish = self._clean(plan, templates, extra, engine)
            else:
                rendered, changed = self._update(plan, templates, extra, defer_index)
                written = len(changed)
        except jinja2.TemplateError as error:
            raise ContentError([template_diagnostic(error, self.root / "templates")]) from None
        # the stages' list itself: the index stage, still to come, is added to it
        report = BuildReport(plan.urls.base_url, self.progress.stages, rendered, written, handbook.warnings,
                             laid_out, changed)
        return report, finish

    def _check(self) -> Handbook:
        with self.progress.stage("check") as stage:
            s = self.state
            handbook = check_content(self.content_dir, s.files_read, stage.item, self.workers, s.checks,
                                     s.converters, self.editions)
            c = handbook.content
            stage.summary = (f"{len(c.measures)} measures, {len(c.sources)} sources, {len(c.units)} units, "
                             f"{len(c.topics)} topics")
        return handbook

    def _history(self, handbook: Handbook) -> Handbook:
        """The handbook with its history from git (pages say when each measure changed, and how)."""
        with self.progress.stage("history") as stage:
            history = self.state.content_history(self.content_dir, handbook.editions)
            commits = len({c.commit for c in history.changes})
            stage.summary = {"none": "no git history here (a copy, not a clone): pages say so",
                             "shallow": f"{len(history.changes)} changes in {commits} commits since "
                                        f"{history.since} (a shallow clone)"}.get(
                history.state, f"{len(history.changes)} changes in {commits} commits")
        return replace(handbook, history=history)

    def _templates(self) -> tuple[Templates, bool]:
        """The templates, and whether they changed since the last build (every page is rendered again)."""
        check_templates(self.root / "templates")
        before = self.state.templates
        try:
            self.state.templates = load_templates(self.root / "templates", before)
        except jinja2.TemplateError as error:  # a template that does not compile
            raise ContentError([template_diagnostic(error, self.root / "templates")]) from None
        return self.state.templates, self.state.templates is not before

    def _clean_needed(self, handbook: Handbook) -> bool:
        """A clean build unless the last one's site is there to update, with its bundles cut the same way
        (else every measure is in another bundle)."""
        s = self.state
        return (s.plan is None or s.on_disk is None or not self.out_dir.is_dir() or not self.documents.is_dir()
                or s.plan.modulus != shard_modulus(len(handbook.content.measures), self.shard_size))

    def _clean(self, plan: Plan, templates: Templates, extra: dict[str, bytes], engine: Engine | None = None
               ) -> tuple[int, int, tuple[str, ...], Callable[[], None]]:
        """Everything into a fresh folder, with `engine` its PDFs: the pages rendered, the files written,
        the PDFs laid out, and what is left (index, swap in), which holds on to no page's data."""
        laid_out = ()
        fresh = stage_tree(self.out_dir, extra)
        staged = {path: digest(data) for path, data in extra.items()}
        if not self.keep_state:  # what a one-off build has written, and kept only for the next build, goes
            extra.clear()  # before the render workers fork and each would hold it too
            plan.drop_data_files()
            self.state = SiteState(templates=self.state.templates)
            release_memory()
        documents = scratch_folder(self.out_dir, "search")
        try:
            with self.progress.stage("render", sum(len(p.redo) + 1 for p in plan.editions)) as stage:
                job = RenderJob(plan, templates.env, self.root / "templates", fresh, documents)
                rendered, emitted = render_everything(job, self.workers, lambda count: self._rendered(stage, count),
                                                      stage.item)
                emitted.files.update(staged)
                stage.summary = (f"{rendered} pages, {len(emitted.files)} files in {len(plan.editions)} editions "
                                 f"({self.workers} processes)")
            if engine is not None:
                laid_out = self._pdfs(plan, templates, engine, fresh)
        except BaseException:
            discard(fresh)
            discard(documents)
            raise
        shards, written, editions = plan.shards(), len(emitted.files), len(plan.editions)
        pages = _bundle_pages(plan)
        kept = (plan, emitted) if self.keep_state else None

        def index_and_swap_in() -> None:
            try:
                with self.progress.stage("index") as stage:
                    # a one-off build drops each bundle's documents as soon as Pagefind has read them
                    after = None if self.keep_state else (lambda shard: discard(documents / shard.folder))
                    indexed = index_shards(documents, shards, pagefind_binary(self.root), fresh / SEARCH_INDEX,
                                           self._runs(len(shards), editions, pages), after)
                    stage.summary = f"{indexed} pages in {len(shards)} bundles"
                refuse_to_replace(self.out_dir, fresh)
                swap_in(fresh, self.out_dir)
            except BaseException:
                discard(fresh)
                discard(documents)
                raise
            discard(self.documents)
            if kept:
                documents.rename(self.documents)
                self.state.plan, self.state.on_disk, self.state.stale = *kept, set()
                # What is kept for the next build is millions of objects: left to the garbage collector,
                # a full collection walks them all during a rebuild (about 1 s at 10,000 measures).
                gc.collect()
                gc.freeze()
            else:
                discard(documents)

        return rendered, written, laid_out, index_and_swap_in

    def _pdfs(self, plan: Plan, templates: Templates, engine: Engine, fresh: Path) -> tuple[str, ...]:
        """Every PDF into the staged site: from the cache where its inputs are unchanged, else laid out
        (those are returned)."""
        with self.progress.stage("pdf", pdf_total(plan)) as stage:
            job = PdfJob(plan, templates.env, self.root / "templates", engine, fresh, PdfCache(self.out_dir))
            report = make_pdfs(job, self.workers, stage.item)
            laid_out = len(report.laid_out)
            cpu = ", ".join(f"{kind}s {report.seconds[kind]:.1f} s" for kind in ("measure", "source", "handbook"))
            stage.summary = (f"{report.documents} PDFs in {len(plan.editions)} editions: {laid_out} laid out "
                             f"({report.pages} pages), {report.documents - laid_out} unchanged "
                             f"({self.workers} processes; CPU time: {cpu})")
        return tuple(sorted(report.laid_out))

    def _rendered(self, stage, count: int) -> None:
        stage.done += count
        self.progress.item(stage, f"{count} pages")

    def _pagefind_runs(self, plan: Plan, bundles: int) -> int:
        return self._runs(bundles, len(plan.editions), _bundle_pages(plan))

    def _runs(self, bundles: int, editions: int, pages: int) -> int:
        """Pagefind processes at a time for `bundles` of about `pages` measure pages each. Pagefind keeps
        about 1.3 cores busy: on 2 cores three editions' indexes side by side took 26 s at 10,000
        measures, two and then one 35 s; so up to one an edition run at once, more bundles than that (a
        handbook past PUBLISHED_SHARD_SIZE) one a core. Never more than fit in memory
        (pagefind.runs_at_once), read when the runs start."""
        wanted = bundles if bundles <= max(self.workers, editions) else self.workers
        return runs_at_once(wanted, pages, available_memory())

    def _update(self, plan: Plan, templates: Templates, extra: dict[str, bytes], defer_index: bool
                ) -> tuple[int, tuple[str, ...]]:
        """Render what changed, write what differs, re-index the bundles whose measure pages changed; the
        pages rendered, and the files written or removed."""
        out: list[tuple[str, bytes, Shard | None]] = []
        with self.progress.stage("render") as stage:
            collect = lambda path, data, shard: out.append((path, data, shard))  # noqa: E731
            rendered = sum(render_edition(templates.env, plan, p, collect) for p in plan.editions)
            for edition, page in self._previewed_again(plan):
                collect(file_path(page_path(edition.edition.code, page.key)),
                        render_page(templates.env, plan, edition, page), plan.shard_of(edition.edition, page))
                rendered += 1
            out.extend((path, data, None) for path, data in extra.items())
            stage.summary = f"{rendered} pages rendered again"
        with self.progress.stage("write", len(out)) as stage:
            emitter = Emitter(self.out_dir, self.documents, {e.code: e.lang for e in plan.declared},
                              self.state.on_disk, live=True)
            for path, data, shard in sorted(out, key=lambda item: item[0]):
                emitter.emit(path, data, shard)
                stage.item(path)
            expected = plan.files() | set(extra) | {root_file(name) for name in ROOT_FILES}
            if not plan.sitemap_again:  # no page came or went: the sitemap's parts, if it has any, stay
                expected |= {path for path in emitter.on_disk.files if is_sitemap_part(path)}
            removed = sorted(set(emitter.on_disk.files) - expected)
            for path in removed:
                emitter.remove(path)
            self.state.plan = plan
            self.state.stale |= emitter.stale
            stage.summary = f"{emitter.written} files written, {len(removed)} removed"
        if not defer_index:
            self.index_pending()
        return rendered, (*emitter.paths, *removed)

    def _previewed_again(self, plan: Plan) -> list:
        """The pages preview() wrote that the plan does not render again: they are, as the plan has them
        (the file may have changed again since the preview read it)."""
        redo = {(p.edition.code, page.key) for p in plan.editions for page in p.redo}
        return [(p, p.pages[key]) for p in plan.editions for code, key in self.previewed
                if code == p.edition.code and key in p.pages and (code, key) not in redo]

    def index_pending(self, niceness: int = 0) -> None:
        """Re-index the bundles whose documents changed since they were indexed (all of them at once);
        at a `niceness` (serve: the browser is reloading the rebuilt pages)."""
        if not self.state.stale or self.state.plan is None:
            return
        stale, self.state.stale = self.state.stale, set()
        try:
            with self.progress.stage("index") as stage:
                kept = stale & set(self.state.plan.shards())
                scratch = scratch_folder(self.out_dir, "index")
                try:
                    pages = index_shards(self.documents, kept, pagefind_binary(self.root), scratch,
                                         self._pagefind_runs(self.state.plan, len(kept)), niceness=niceness)
                    for shard in sorted(stale):
                        if shard in kept:
                            swap_in(scratch / shard.folder, self.out_dir / SEARCH_INDEX / shard.folder)
                        else:  # its last measure is gone
                            discard(self.out_dir / SEARCH_INDEX / shard.folder)
                            discard(self.documents / shard.folder)
                finally:
                    discard(scratch)
                stage.summary = f"{pages} pages in {len(kept)} bundles indexed again"
        except BaseException as error:
            self.state.stale |= stale  # to be indexed by the next rebuild
            if isinstance(error, OSError):
                raise OutputError.from_os(error, self.out_dir) from None
            raise


def _bundle_pages(plan: Plan) -> int:
    """About how many measure pages an index bundle has."""
    return -(-len(plan.editions[0].layout.index.refs) // plan.modulus)


def release_memory() -> None:
    """Collect what is no longer used and give the freed heap back to the system (glibc's malloc_trim),
    so that the processes started next (Pagefind's) have it."""
    gc.collect()
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):  # not glibc: the memory is reused by this process only
        pass


def build(root: Path, content_dir: Path, out_dir: Path, base_url: str | None = None,
          progress: Progress | None = None, pdf: bool = False) -> BuildReport:
    """A clean build: everything read, rendered, written and indexed afresh (with `pdf`, the PDFs too)."""
    workers = 1 if progress and progress.verbose else None
    return Builder(root, content_dir, out_dir, base_url, progress, keep_state=False, workers=workers,
                   pdf=pdf).build()

"""The PDF stage of `build --pdf`: every PDF of every edition into the staged site, on every core.

Runs in a clean build after the pages and the index, before the new site is swapped in, so a PDF
that cannot be made leaves the previous site in place like any other failure. Each worker renders
a PDF's HTML (documents.py), looks its digest up in the cache (cache.py), and lays the PDF out
(engine.py) only if the cache has none; either way the PDF is linked into the staged site. The
whole handbooks and the source documents go first: the longest jobs start while there is other
work to share the cores with; the whole handbooks one after another, in one task, so that no two of
them are in memory at once (at 10,000 measures, a handbook's layout takes gigabytes: bench/RESULTS.md).
"""

from __future__ import annotations

import gc
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import jinja2

from ..diagnostics import ContentError
from ..build.inputs import template_diagnostic
from ..site.plan import Plan
from ..workers import fork_pool, results
from .cache import PdfCache, pdf_key
from .documents import PdfDocument, document_html, plan_documents
from .engine import Engine, PdfError, Renderer

BATCH = 25  # measures' PDFs a task: few enough to share the cores evenly, enough to keep messages few


@dataclass(frozen=True)
class PdfJob:
    """What every worker needs: the plan, the templates, the engine, and where to put the PDFs."""

    plan: Plan
    env: jinja2.Environment
    templates: Path  # the folder, to locate a template error
    engine: Engine
    site: Path  # the staged site
    cache: PdfCache


@dataclass(frozen=True)
class Made:
    """One PDF put into the staged site."""

    path: str
    kind: str
    key: str  # its cache key
    pages: int | None  # laid out now: its pages; from the cache: None
    seconds: float  # CPU time it took (laying out, or linking)


@dataclass
class PdfReport:
    documents: int = 0
    laid_out: list[str] = field(default_factory=list)  # by the engine; the others came from the cache
    pages: int = 0  # pages of the PDFs laid out
    keys: set[str] = field(default_factory=set)  # the cache keys of every PDF of the site
    seconds: Counter = field(default_factory=Counter)  # CPU time by kind of PDF, in every process
    removed: int = 0  # PDFs no longer used, removed from the cache

    def add(self, done: list[Made]) -> None:
        for made in done:
            self.documents += 1
            self.keys.add(made.key)
            self.seconds[made.kind] += made.seconds
            if made.pages is not None:
                self.laid_out.append(made.path)
                self.pages += made.pages


def make_pdfs(job: PdfJob, workers: int, on_document=lambda path: None) -> PdfReport:
    """Every PDF of the plan into the staged site; `on_document(path)` after each. What the cache holds
    beyond this site's PDFs is removed at the end."""
    documents = plan_documents(job.plan)
    measures = [d for d in documents if d.kind == "measure"]
    tasks = ([[d for d in documents if d.kind == "handbook"]] + [[d] for d in documents if d.kind == "source"]
             + [measures[i:i + BATCH] for i in range(0, len(measures), BATCH)])
    report = PdfReport()
    if workers > 1:
        gc.freeze()  # the workers only read the plan: see build/parallel.py
        try:
            with fork_pool(workers, _start, (job,)) as pool:
                for done in results([pool.submit(_make, task) for task in tasks]):
                    _record(report, done, on_document)
        finally:
            gc.unfreeze()
    else:
        _start(job)
        for task in tasks:
            _record(report, _make(task), on_document)
    report.removed = job.cache.prune(report.keys)
    return report


def pdf_total(plan: Plan) -> int:
    return len(plan_documents(plan))


def _record(report: PdfReport, done: list[Made], on_document) -> None:
    report.add(done)
    for made in done:
        on_document(made.path)


_job: PdfJob | None = None  # in a worker: its job, set by _start
_renderer: Renderer | None = None  # made by the first PDF a process lays out


def _start(job: PdfJob) -> None:
    global _job, _renderer
    _job, _renderer = job, None


def _make(task: list[PdfDocument]) -> list[Made]:
    """Each PDF of the task into the staged site."""
    global _renderer
    done = []
    for document in task:
        started = time.process_time()
        path = document.path(_job.plan)
        try:
            html = document_html(_job.env, _job.plan, document)
        except jinja2.TemplateError as error:
            raise ContentError([template_diagnostic(error, _job.templates)]) from None
        key = pdf_key(_job.engine.identity, html)
        pages = None
        if not _job.cache.link(key, _job.site / path):
            _renderer = _renderer or Renderer(_job.engine)
            try:
                data, pages = _renderer.render(html, bytes.fromhex(key))
            except Exception as error:  # the engine's own errors have no common class
                raise PdfError(f"{path}: the PDF engine failed: {type(error).__name__}: {error}") from None
            _job.cache.keep(key, data, _job.site / path)
        done.append(Made(path, document.kind, key, pages, time.process_time() - started))
    return done

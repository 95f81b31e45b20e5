"""A clean build's rendering, on every core: each worker renders a share of each edition's pages.

The workers are forked after the plan is made (they inherit it, and the
compiled templates), and started with an initializer that hands them the
job; each writes its pages straight into the staged site through its own
Emitter and sends back what it wrote (an Emitted), which the parent merges.
"""

from __future__ import annotations

import gc
from dataclasses import dataclass
from pathlib import Path

import jinja2

from ..diagnostics import ContentError
from ..site.plan import Plan
from ..site.render import render_edition
from ..workers import fork_pool, results
from .emit import Emitted, Emitter
from .inputs import template_diagnostic


@dataclass(frozen=True)
class RenderJob:
    """What every worker needs: the plan, the templates, and where to write."""

    plan: Plan
    env: jinja2.Environment
    templates: Path  # the folder, to locate a template error
    site: Path  # the staged site
    documents: Path  # the index documents' folder


def render_everything(job: RenderJob, workers: int, on_done=lambda count: None,
                      on_page=None) -> tuple[int, Emitted]:
    """Render every page the plan has to do, in `workers` processes (in this one if 1); returns how
    many pages, and what was written. `on_done(count)` after each share, `on_page(path)` after each
    page when rendering here."""
    tasks = [(i, part, workers) for i in range(len(job.plan.editions)) for part in range(workers)]
    emitted, rendered = Emitted(), 0
    if workers > 1:
        # The plan is millions of objects the workers only read: frozen, the workers' garbage collector
        # never walks them, which would copy every memory page that holds one into each worker.
        gc.freeze()
        try:
            with fork_pool(workers, _start, (job,)) as pool:
                for count, part in results([pool.submit(_render_share, task) for task in tasks]):
                    rendered += count
                    emitted.update(part)
                    on_done(count)
        finally:
            gc.unfreeze()
    else:
        _start(job)
        for task in tasks:
            count, part = _render_share(task, on_page)
            rendered += count
            emitted.update(part)
    return rendered, emitted


_job: RenderJob | None = None  # in a worker: its job, set by _start


def _start(job: RenderJob) -> None:
    global _job
    _job = job


def _render_share(task: tuple[int, int, int], on_page=None) -> tuple[int, Emitted]:
    """Render one share of one edition's pages straight into the job's folders."""
    edition, part, parts = task
    plan = _job.plan
    emitter = Emitter(_job.site, _job.documents, {e.code: e.lang for e in plan.declared})
    emit = emitter.emit if on_page is None else lambda path, data, shard: (emitter.emit(path, data, shard),
                                                                           on_page(path))
    try:
        count = render_edition(_job.env, plan, plan.editions[edition], emit, part, parts)
    except jinja2.TemplateError as error:  # said here, where the template's traceback is
        raise ContentError([template_diagnostic(error, _job.templates)]) from None
    return count, emitter.on_disk

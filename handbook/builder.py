"""`build`: content/ to a complete static site in site/, one timed stage at a time.

    check -> render (convert + pages + templates, per variant) -> write -> index (Pagefind)

Nothing is written until everything has rendered, so a content error or a
template error leaves the previous site exactly as it was. A `Builder` kept
between builds (`python build.py serve`) remembers what it read, converted,
rendered and wrote, and redoes only what an edit changed; the result is the
same bytes a clean build gives.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import jinja2

from .checks import check_content
from .diagnostics import ContentError, Diagnostic, display_path
from .files import discard, stage_tree, swap_in, write_atomic
from .progress import Progress
from .render import RenderCache, page_count, render_site
from .search import index_site, pagefind_binary, query_table_files


@dataclass
class BuildReport:
    base_url: str
    stages: list[tuple[str, float, str]]
    rendered: int  # pages rendered (the rest were unchanged and reused)
    written: int  # files written (the rest were unchanged on disk)


def static_files(static_dir: Path) -> dict[str, bytes]:
    return {f"static/{p.relative_to(static_dir).as_posix()}": p.read_bytes()
            for p in sorted(static_dir.rglob("*")) if p.is_file() and not p.name.startswith(".")}


class Builder:
    """Builds the site; kept between builds, it rebuilds only what changed."""

    def __init__(self, root: Path, content_dir: Path, out_dir: Path, base_url: str | None = None,
                 progress: Progress | None = None):
        self.root, self.content_dir, self.out_dir, self.base_url = root, content_dir, out_dir, base_url
        self.progress = progress or Progress(quiet=True)
        self.files_read: dict = {}  # content file cache (content.load)
        self.renders = RenderCache()
        self.on_disk: dict[str, bytes] | None = None  # what the last build left in out_dir

    def build(self) -> BuildReport:
        progress = self.progress
        progress.stages = []
        with progress.stage("check") as stage:
            handbook = check_content(self.content_dir, self.files_read, stage.item)
            c = handbook.content
            stage.summary = (f"{len(c.measures)} measures, {len(c.sources)} sources, {len(c.units)} units, "
                             f"{len(c.topics)} topics")
        with progress.stage("render", page_count(handbook)) as stage:
            try:
                files = render_site(handbook, self.root / "templates", self.base_url, self.renders, stage.item)
            except jinja2.TemplateError as error:
                raise ContentError([template_diagnostic(error, self.root / "templates")]) from None
            files.update(static_files(self.root / "static"))
            files.update(query_table_files(handbook))
            stage.summary = f"{self.renders.rendered} pages rendered, {len(files)} files in 3 variants"
        binary = pagefind_binary(self.root)
        written = self._write(files, binary)
        return BuildReport(self.base_url or handbook.settings.base_url, list(progress.stages),
                           self.renders.rendered, written)

    def _write(self, files: dict[str, bytes], binary: Path) -> int:
        """Write the site and index it: into a fresh folder the first time, only changes after."""
        progress = self.progress
        if self.on_disk is None or not self.out_dir.is_dir():
            with progress.stage("write", len(files)) as stage:
                fresh = stage_tree(self.out_dir, files)
                stage.summary = f"{len(files)} files to {display_path(self.out_dir)}/"
            try:
                with progress.stage("index") as stage:
                    stage.summary = index_site(fresh, binary)
                swap_in(fresh, self.out_dir)
            finally:
                discard(fresh)
            self.on_disk = files
            return len(files)
        with progress.stage("write", len(files)) as stage:
            changed = [path for path, data in files.items() if self.on_disk.get(path) != data]
            removed = [path for path in self.on_disk if path not in files]
            for path in changed:
                write_atomic(self.out_dir / path, files[path])
                stage.item(path)
            for path in removed:
                (self.out_dir / path).unlink(missing_ok=True)
            stage.summary = f"{len(changed)} files changed, {len(removed)} removed in {display_path(self.out_dir)}/"
        pages_changed = any(path.endswith(".html") for path in changed + removed)
        if pages_changed:
            with progress.stage("index") as stage:
                stage.summary = self._reindex(binary)
        self.on_disk = files
        return len(changed)

    def _reindex(self, binary: Path) -> str:
        """Pagefind indexes a whole site: index into a scratch copy's folder, then swap the index in."""
        scratch = self.out_dir.parent / f".{self.out_dir.name}.index"
        shutil.rmtree(scratch, ignore_errors=True)
        shutil.copytree(self.out_dir, scratch, ignore=shutil.ignore_patterns("pagefind"))
        try:
            summary = index_site(scratch, binary)
            old = self.out_dir / ".pagefind.old"
            if (self.out_dir / "pagefind").exists():
                (self.out_dir / "pagefind").rename(old)
            (scratch / "pagefind").rename(self.out_dir / "pagefind")
            shutil.rmtree(old, ignore_errors=True)
        finally:
            shutil.rmtree(scratch, ignore_errors=True)
        return summary


def build(root: Path, content_dir: Path, out_dir: Path, base_url: str | None = None,
          progress: Progress | None = None) -> BuildReport:
    """A clean build: everything read, rendered, written and indexed afresh."""
    return Builder(root, content_dir, out_dir, base_url, progress).build()


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

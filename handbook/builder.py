"""`build`: content/ to a complete static site in site/, one timed stage at a time.

    check -> convert + render (per variant) -> static assets -> write -> index (Pagefind)

Nothing is written until everything has rendered, so a content error or a
template error leaves the previous site exactly as it was.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

import jinja2

from .checks import check_content
from .diagnostics import ContentError, Diagnostic, display_path
from .files import write_tree
from .render import render_site
from .search import index_site, pagefind_binary, query_table_files


@dataclass
class BuildReport:
    base_url: str = ""
    stages: list[tuple[str, float, str]] = field(default_factory=list)  # name, seconds, what

    def line(self, name: str, started: float, what: str) -> float:
        now = time.perf_counter()
        self.stages.append((name, now - started, what))
        return now


def static_files(static_dir: Path) -> dict[str, bytes]:
    return {f"static/{p.relative_to(static_dir).as_posix()}": p.read_bytes()
            for p in sorted(static_dir.rglob("*")) if p.is_file() and not p.name.startswith(".")}


def build(root: Path, content_dir: Path, out_dir: Path, base_url: str | None = None) -> BuildReport:
    started = time.perf_counter()
    handbook = check_content(content_dir)
    report = BuildReport(base_url or handbook.settings.base_url)
    started = report.line("check", started, f"{len(handbook.content.measures)} measures valid")
    try:
        files = render_site(handbook, root / "templates", base_url)
    except jinja2.TemplateError as error:
        raise ContentError([template_diagnostic(error, root / "templates")]) from None
    started = report.line("render", started, f"{len(files)} files in 3 variants")
    files.update(static_files(root / "static"))
    files.update(query_table_files(handbook))
    binary = pagefind_binary(root)

    def index(folder: Path) -> None:
        nonlocal started
        started = report.line("write", started, f"{len(files)} files")
        report.line("index", started, index_site(folder, binary) or "Pagefind index")

    write_tree(out_dir, files, finish=index)
    return report


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

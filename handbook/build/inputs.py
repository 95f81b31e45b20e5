"""What a build reads besides content/: static/ and the templates, refused where they are not regular files."""

from __future__ import annotations

from pathlib import Path

import jinja2

from ..diagnostics import ContentError, Diagnostic, display_path, refusal
from ..reading import UnreadableFile, read_regular, regular_files
from ..urls import static_path


def static_files(static_dir: Path) -> dict[str, bytes]:
    """What static/ holds, as the site's static/ files: regular files only, never a link's target."""
    paths, refused = regular_files(static_dir)
    files, problems = {}, [refusal(r) for r in refused]
    for path in paths:
        try:
            files[static_path(Path(path).relative_to(static_dir).as_posix())] = read_regular(Path(path))
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

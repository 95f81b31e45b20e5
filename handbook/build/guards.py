"""Where a build refuses to write: it replaces its output folder whole, so never over what it reads
or what it did not make."""

from __future__ import annotations

import os
from pathlib import Path

from ..diagnostics import display_path
from ..files import OutputError


def guard_inputs(out_dir: Path, inputs: list[Path]) -> None:
    """The output folder must not hold, or be inside, what the build reads."""
    out = out_dir.resolve()
    for folder in inputs:
        folder = folder.resolve()
        if out == folder or folder.is_relative_to(out) or out.is_relative_to(folder):
            raise OutputError(f"cannot build into {display_path(out_dir)}/: it would replace or grow "
                              f"{display_path(folder)}/, which the build reads; choose another --out")


def refuse_to_replace(target: Path, fresh: Path) -> None:
    """Not a folder holding anything a build does not write (`--out ~/Documents` by mistake), which
    would be lost."""
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

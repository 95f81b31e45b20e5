"""What the build says while it works: one line per stage, with time and counts.

    check       84 ms  57 measures, 2 sources, 17 units, 16 topics
    render     310 ms  313 pages in 3 editions
    ...

`--verbose` adds a line per file. On a terminal, long stages also draw a
progress bar on one line; in CI (not a terminal) only the plain lines appear.
"""

from __future__ import annotations

import contextlib
import sys
import time
from dataclasses import dataclass, field


@dataclass
class Stage:
    name: str
    progress: "Progress"
    total: int = 0
    done: int = 0
    summary: str = ""

    def item(self, what: str) -> None:
        """One unit of work done (a file read, a page written)."""
        self.done += 1
        self.progress.item(self, what)


@dataclass
class Progress:
    out: object = field(default_factory=lambda: sys.stdout)
    verbose: bool = False
    bars: bool | None = None  # None: only when `out` is a terminal
    quiet: bool = False
    stages: list[tuple[str, float, str]] = field(default_factory=list)  # name, seconds, summary

    def __post_init__(self):
        if self.bars is None:
            self.bars = bool(getattr(self.out, "isatty", lambda: False)()) and not self.quiet

    @contextlib.contextmanager
    def stage(self, name: str, total: int = 0):
        stage = Stage(name, self, total)
        started = time.perf_counter()
        yield stage
        seconds = time.perf_counter() - started
        self.stages.append((name, seconds, stage.summary))
        if self.bars:
            self.out.write("\r\033[K")
        if not self.quiet:
            print(f"{name:<8} {seconds * 1000:7.0f} ms  {stage.summary}", file=self.out, flush=True)

    def item(self, stage: Stage, what: str) -> None:
        if self.verbose and not self.quiet:
            print(f"  {stage.name}: {what}", file=self.out)
        elif self.bars and stage.total and (stage.done % 50 == 0 or stage.done == stage.total):
            width = 30
            filled = width * stage.done // stage.total
            self.out.write(f"\r{stage.name:<8} [{'#' * filled}{' ' * (width - filled)}] {stage.done}/{stage.total}")
            self.out.flush()

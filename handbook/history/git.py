"""The repository's history, read with git: which commits changed which content files, and the files'
text at each commit.

Read-only and without a working tree: `git log` lists the commits of the
branch as it landed (first parent: a merged pull request is one change, on
the day it was merged), and one `git cat-file --batch` process gives every
version of every file asked for. A tree without git (a tarball), or a git
that fails, is "no history", never an error: the build goes on without it.
"""

from __future__ import annotations

import datetime
import subprocess
from dataclasses import dataclass
from pathlib import Path

TIMEOUT = 120  # seconds for one git command: a large history is read once a build


@dataclass(frozen=True)
class Commit:
    hash: str
    when: datetime.datetime  # the committer's date, with its offset: when the change landed
    changed: tuple[str, ...]  # paths below the repository's root, as git names them


@dataclass(frozen=True)
class Repository:
    root: Path  # the top of the work tree
    prefix: str  # the content folder below it, e.g. "content/" ("" at the top)
    shallow: bool  # a shallow clone: the history stops at its oldest commit


def run(folder: Path, *args: str, data: bytes | None = None) -> bytes | None:
    """git's output in `folder`, or None where there is no git, no repository, or git fails."""
    try:
        done = subprocess.run(["git", "-c", "core.quotepath=off", *args], cwd=folder, input=data,
                              capture_output=True, timeout=TIMEOUT, env=_ENV)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return done.stdout if done.returncode == 0 else None


# Only what the repository says: no pager, no user configuration that changes git log's output.
_ENV = {"PATH": "/usr/local/bin:/usr/bin:/bin", "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": "/dev/null",
        "HOME": "/nonexistent", "LC_ALL": "C"}


def repository(folder: Path) -> Repository | None:
    """The git repository `folder` is tracked in, or None (no git, or not in a repository with commits)."""
    out = run(folder, "rev-parse", "--show-toplevel", "--show-prefix", "--is-shallow-repository", "--verify", "HEAD")
    if out is None:
        return None
    lines = out.decode().splitlines()
    if len(lines) < 4:
        return None
    return Repository(Path(lines[0]), lines[1], lines[2] == "true")


def head(repo: Repository) -> str | None:
    out = run(repo.root, "rev-parse", "--verify", "HEAD")
    return out.decode().strip() if out else None


def commits(repo: Repository, paths: list[str]) -> list[Commit]:
    """The commits that changed any of `paths` (below the content folder), oldest first."""
    out = run(repo.root, "log", "--first-parent", "--no-renames", "--format=%x00%H %cI", "--name-only",
              "--reverse", "HEAD", "--", *(repo.prefix + p for p in paths))
    if out is None:
        return []
    found = []
    for record in out.decode("utf-8", "replace").split("\0")[1:]:
        lines = [line for line in record.splitlines() if line]
        commit, _, when = lines[0].partition(" ")
        found.append(Commit(commit, datetime.datetime.fromisoformat(when), tuple(lines[1:])))
    return found


def texts(repo: Repository, wanted: list[tuple[str, str]]) -> dict[tuple[str, str], str | None]:
    """The text of each (commit, path) asked for; None where the file is not in that commit."""
    if not wanted:
        return {}
    request = "".join(f"{commit}:{path}\n" for commit, path in wanted).encode()
    out = run(repo.root, "cat-file", "--batch", data=request)
    if out is None:
        return dict.fromkeys(wanted)
    found: dict[tuple[str, str], str | None] = {}
    at = 0
    for key in wanted:
        end = out.index(b"\n", at)
        header = out[at:end].split()
        at = end + 1
        if len(header) == 2 and header[1] == b"missing":
            found[key] = None
            continue
        size = int(header[2])
        found[key] = out[at:at + size].decode("utf-8", "replace")
        at += size + 1  # the blob, then a newline
    return found

"""The one place that reads the repository's files: regular files only, never a link's target.

A symbolic link could make the build publish, or quote in an error, any
file the machine can read (a merged pull request could add one), and a
named pipe would block the build forever; both are refused, never followed
or opened.
"""

from __future__ import annotations

import errno
import os
import stat
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Refused:
    """A path the build will not read: what it is, and what to do about it."""

    path: Path
    reason: str  # e.g. "is a symbolic link"
    hint: str


class UnreadableFile(Exception):
    def __init__(self, refused: Refused):
        super().__init__(f"{refused.path}: {refused.reason}")
        self.refused = refused


_NOT_A_FILE = {stat.S_IFLNK: "a symbolic link", stat.S_IFIFO: "a named pipe (FIFO)", stat.S_IFSOCK: "a socket",
               stat.S_IFCHR: "a device", stat.S_IFBLK: "a device", stat.S_IFDIR: "a folder"}
_LINK_HINT = ("the build reads only files inside the repository and never follows a link (it could publish any "
              "file of the machine): replace the link with the file itself")
_ODD_HINT = "only regular files belong here: delete it or move it out of the repository"


def _refusal(path: Path, mode: int) -> Refused:
    kind = _NOT_A_FILE.get(stat.S_IFMT(mode), "not a regular file")
    return Refused(Path(path), f"is {kind}, not a file",
                   _LINK_HINT if stat.S_ISLNK(mode) else _ODD_HINT)


def _unreadable(path: Path, error: OSError) -> Refused:
    if error.errno == errno.ELOOP:  # O_NOFOLLOW met a link
        return Refused(Path(path), "is a symbolic link, not a file", _LINK_HINT)
    if error.errno in (errno.EACCES, errno.EPERM):
        return Refused(Path(path), "cannot be read: permission denied",
                       "give the build's user read access (chmod a+r), or check who owns the file")
    if error.errno == errno.ENOENT:
        return Refused(Path(path), "has disappeared while it was read", "run the command again")
    return Refused(Path(path), f"cannot be read: {os.strerror(error.errno or 0).lower()}",
                   "check the file and the disk it is on")


def read_regular(path: Path, limit: int | None = None) -> bytes:
    """The bytes of a regular file (at most `limit` + 1 of them), never through a link or from a pipe.

    Opened without following a final link and without blocking, then checked on the open file, so
    nothing can swap the file for a link or a pipe between the check and the read. Raises
    UnreadableFile, saying why in a maintainer's words.
    """
    try:
        handle = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError as error:
        raise UnreadableFile(_unreadable(path, error)) from None
    try:
        mode = os.fstat(handle).st_mode
        if not stat.S_ISREG(mode):
            raise UnreadableFile(_refusal(path, mode))
        with os.fdopen(handle, "rb", closefd=False) as file:
            return file.read() if limit is None else file.read(limit + 1)
    except OSError as error:
        raise UnreadableFile(_unreadable(path, error)) from None
    finally:
        os.close(handle)


def regular_files(folder: Path, skip_hidden: bool = True) -> tuple[list[str], list[Refused]]:
    """Every regular file below `folder` (sorted paths, as strings), and what else is there.

    Links (to files or folders, dangling or not), pipes, sockets and devices are listed as
    refused, never followed; so is a folder that cannot be read. Names starting with "." are
    skipped when `skip_hidden` (editors' swap files, .git).
    """
    files: list[str] = []
    refused: list[Refused] = []

    def walk(directory: str) -> None:
        try:
            entries = sorted(os.scandir(directory), key=lambda e: e.name)
        except OSError as error:
            refused.append(_unreadable(Path(directory), error))
            return
        for entry in entries:
            if skip_hidden and entry.name.startswith("."):
                continue
            try:
                mode = entry.stat(follow_symlinks=False).st_mode
            except OSError as error:
                refused.append(_unreadable(Path(entry.path), error))
                continue
            if stat.S_ISDIR(mode):
                walk(entry.path)
            elif stat.S_ISREG(mode):
                files.append(entry.path)
            else:
                refused.append(_refusal(Path(entry.path), mode))

    walk(os.fspath(folder))
    return files, refused

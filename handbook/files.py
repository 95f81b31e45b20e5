"""The one place that writes files: the build's site, content files, and what a build leaves beside site/.

Every write is atomic. A reader (a maintainer's editor, a web
server) never sees a half-written file: each file is written beside its
target and renamed over it.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import fcntl
import os
import shutil
import tempfile
from pathlib import Path

from .diagnostics import display_path


def write_atomic(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        os.fchmod(handle, 0o644)  # mkstemp makes 0600; content and sites are for everyone to read
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def write_staged(path: Path, data: bytes) -> None:
    """Write a file into a folder no reader sees yet (a staged site): no need to write it atomically."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def link_staged(source: Path, target: Path) -> None:
    """Put a file into a folder no reader sees yet as a hard link to `source` (a kept file that is
    never changed in place, only replaced: a PDF in the cache), or a copy where the disk cannot link."""
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(source, target)
    except OSError as error:
        if error.errno not in (errno.EXDEV, errno.EPERM, errno.EMLINK, errno.ENOTSUP):
            raise
        shutil.copyfile(source, target)


def write_tree(folder: Path, files: dict[str, bytes]) -> None:
    """Write `files` (relative path -> bytes) into a folder no reader sees yet (a staged site)."""
    for relative, data in files.items():
        write_staged(Path(folder, relative), data)


def scratch_folder(target: Path, kind: str) -> Path:
    """A new, empty folder beside `target` for a build's work (`.site.new-…`, `.site.search-…`).

    All of them are named `.<target>.<kind>-<random>`, so a build that starts
    after one was killed finds and removes what the killed one left (leftovers()).
    """
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    return Path(tempfile.mkdtemp(dir=target.parent, prefix=f".{target.name}.{kind}-"))


def stage_tree(target: Path, files: dict[str, bytes]) -> Path:
    """Write `files` into a new temporary folder beside `target`; returns it.

    With swap_in, this replaces a whole site: a build that fails half-way
    leaves the previous site untouched, and a server never sees a half-written one.
    """
    fresh = scratch_folder(target, "new")
    try:
        write_tree(fresh, files)
        os.chmod(fresh, 0o755)
    except BaseException:
        discard(fresh)
        raise
    return fresh


_RENAME_EXCHANGE = 2  # linux/fs.h
_AT_FDCWD = -100


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths in one step (Linux renameat2 RENAME_EXCHANGE); False where the system cannot."""
    libc = ctypes.CDLL(None, use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is None:  # a C library older than glibc 2.28
        return False
    if renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP):  # a file system without it
        return False
    raise OSError(code, os.strerror(code), str(b))


def swap_in(fresh: Path, target: Path) -> None:
    """Put a staged folder in the place of `target`, and drop the old one.

    The swap is one atomic step, so a server, or a build killed at any
    moment, finds the old folder or the new one, never none. Where the file
    system cannot swap, it is two renames; a build killed between them leaves
    the old folder as `.<target>.old-<pid>`, and the next build puts it back
    before anything else (recover()).
    """
    if not os.path.lexists(target):
        os.replace(fresh, target)
    elif _exchange(fresh, target):
        discard(fresh)  # it now holds the old folder
    else:
        old = target.parent / f".{target.name}.old-{os.getpid()}"
        os.replace(target, old)
        os.replace(fresh, target)
        discard(old)


def kept_folder(target: Path, kind: str) -> Path:
    """A folder beside `target` that builds keep from one to the next (`.site.cache-pdf`): no leftover."""
    return Path(target).parent / f".{Path(target).name}.cache-{kind}"


def leftovers(target: Path) -> list[Path]:
    """What builds of `target` leave beside it while they run: staged sites, index documents, old sites."""
    target = Path(target)
    if not target.parent.is_dir():
        return []
    lock, kept = lock_path(target).name, kept_folder(target, "").name  # the lock, and `.site.cache-*`
    return sorted(p for p in target.parent.glob(f".{target.name}.*")
                  if p.name != lock and not p.name.startswith(kept))


def recover(target: Path) -> None:
    """After a build was killed: put back an old site that a two-rename swap had moved away, and
    remove every other leftover. Call with the lock held (no other build is using them)."""
    target = Path(target)
    found = leftovers(target)
    if not os.path.lexists(target):
        for old in found:
            if old.name.startswith(f".{target.name}.old-") and old.is_dir():
                os.replace(old, target)
                found.remove(old)
                break
    for path in found:
        discard(path)


def discard(path: Path) -> None:
    """Remove a folder (or file) and everything in it, if it is there."""
    if os.path.isdir(path) and not os.path.islink(path):
        shutil.rmtree(path, ignore_errors=True)
    else:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(path)


def lock_path(target: Path) -> Path:
    return Path(target).parent / f".{Path(target).name}.lock"


class OutputError(Exception):
    """The output cannot be written (a full or read-only disk, another build at work): said in one line."""

    @classmethod
    def from_os(cls, error: OSError, target: Path) -> OutputError:
        """Name the folder and the cause: writing the site, or reading a file the build needs."""
        reason = os.strerror(error.errno).lower() if error.errno else str(error)
        name = str(error.filename or "")
        site = os.path.abspath(target)
        writing = not name or name == site or name.startswith((site + os.sep, os.path.join(
            os.path.dirname(site), f".{os.path.basename(site)}.")))
        if writing:
            return cls(f"cannot write {display_path(Path(target))}/: {reason}")
        return cls(f"cannot read {display_path(Path(name))}: {reason}")


_HELD: dict[int, Path] = {}  # lock file descriptors this process holds


def _release_in_child() -> None:
    """A forked worker must not hold its parent's lock: if the parent is killed, the lock goes with it."""
    for handle in _HELD:
        with contextlib.suppress(OSError):
            os.close(handle)
    _HELD.clear()


os.register_at_fork(after_in_child=_release_in_child)


class OutputLock:
    """One build at a time writes an output folder.

    An flock on `.<folder>.lock` beside it: the kernel releases it when the
    process ends, however it ends, so a killed build never leaves a stale lock.
    """

    def __init__(self, target: Path):
        self.target = Path(target)
        self.handle: int | None = None

    def acquire(self) -> None:
        path = lock_path(self.target)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            handle = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
        except OSError as error:
            raise OutputError.from_os(error, self.target) from None
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(handle, 32, 0).decode("ascii", "replace").strip()
            os.close(handle)
            raise OutputError(f"another build is writing {display_path(self.target)}/ (process {holder or '?'}): "
                              "wait for it to finish, or build into another folder with --out") from None
        os.ftruncate(handle, 0)
        os.pwrite(handle, f"{os.getpid()}\n".encode(), 0)
        self.handle = handle
        _HELD[handle] = path

    def release(self) -> None:
        if self.handle is not None:
            _HELD.pop(self.handle, None)
            os.close(self.handle)  # closing the last descriptor releases the flock
            self.handle = None

    def __enter__(self) -> OutputLock:
        self.acquire()
        return self

    def __exit__(self, *exc) -> None:
        self.release()

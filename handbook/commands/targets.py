"""What a request may ask for: its target parsed strictly, before any file is looked at.

A target no browser sends (not printable ASCII, a broken %-escape, not
UTF-8, a control character, a path above the root) is BadRequest, a 400,
so that no odd byte reaches the file system.
"""

from __future__ import annotations

import re
import urllib.parse


def normalise_prefix(prefix: str) -> str:
    inner = prefix.strip("/")
    return f"/{inner}/" if inner else "/"


class BadRequest(ValueError):
    """A request target that no browser sends and no file can answer: 400."""


_ABSOLUTE_FORM = re.compile(r"https?://[^/?#]*", re.IGNORECASE)
_BAD_ESCAPE = re.compile(r"%(?![0-9A-Fa-f]{2})")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def parse_target(target: str) -> tuple[str, str]:
    """A request target's decoded, normalised path and its raw query: ("/handbook/措施/", "q=1").

    Decided here, once, before any file is looked at, so that no odd byte
    reaches the file system: raises BadRequest for a target that is not
    printable ASCII, neither a path nor an http(s) URL, holds a broken
    %-escape, is not UTF-8, names a control character, or climbs above "/".
    """
    if not re.fullmatch(r"[!-~]+", target):
        raise BadRequest("the request target is not printable ASCII")
    origin = _ABSOLUTE_FORM.match(target)  # absolute-form, as sent to a proxy
    if origin:
        target = target[origin.end():] or "/"
    if not target.startswith("/"):
        raise BadRequest("the request target is not a path")
    path, _, query = target.partition("#")[0].partition("?")
    if _BAD_ESCAPE.search(path):
        raise BadRequest("the path has a % that is not a %-escape")
    try:
        text = urllib.parse.unquote_to_bytes(path).decode("utf-8")
    except UnicodeDecodeError:
        raise BadRequest("the path is not UTF-8") from None
    if _CONTROL.search(text):
        raise BadRequest("the path names a control character")
    return _without_dot_segments(text), query


def _without_dot_segments(path: str) -> str:
    """"/a/./b/../c/" -> "/a/c/", as a browser resolves a URL; ".." above the root is BadRequest."""
    parts = path.split("/")[1:]
    kept: list[str] = []
    for part in parts:
        if part == "..":
            if not kept:
                raise BadRequest("the path climbs above the root")
            kept.pop()
        elif part not in ("", "."):
            kept.append(part)
    slash = "/" if kept and parts[-1] in ("", ".", "..") else ""
    return "/" + "/".join(kept) + slash

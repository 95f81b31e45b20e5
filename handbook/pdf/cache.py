"""PDFs kept between builds, by the digest of what made them: a PDF whose inputs are unchanged is
not laid out again, in a clean build too.

A clean build swaps a fresh site in for the old one, so the PDFs are kept beside the site, in
`.site.cache-pdf/` (files.kept_folder), which no build removes, and linked into each fresh site
(a hard link: the site and the cache share the file). A PDF's key is the digest of its HTML and of
the engine's identity (engine.py: style.css, the fonts, the versions), so any change to what goes
into a PDF gives a new key. Written atomically, a PDF is in the cache whole or not at all, even
if the build is killed; after a build that made every PDF, what it did not use is removed.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from ..files import discard, kept_folder, link_staged, write_atomic


def pdf_key(identity: bytes, html: str) -> str:
    """The digest a PDF is kept under: its HTML's and the engine's (engine.Engine.identity)."""
    return hashlib.sha256(identity + html.encode()).hexdigest()


class PdfCache:
    """The cache of one output folder's PDFs (only the build holding its lock uses it)."""

    def __init__(self, site: Path):
        self.folder = kept_folder(site, "pdf")

    def path(self, key: str) -> Path:
        return self.folder / key[:2] / f"{key}.pdf"

    def link(self, key: str, target: Path) -> bool:
        """Put the kept PDF of `key` at `target` (in a staged site); False if there is none."""
        try:
            link_staged(self.path(key), target)
        except FileNotFoundError:
            return False
        return True

    def keep(self, key: str, data: bytes, target: Path) -> None:
        """Keep a PDF just made, and put it at `target`."""
        write_atomic(self.path(key), data)
        link_staged(self.path(key), target)

    def prune(self, used: set[str]) -> int:
        """Remove every kept PDF but `used` (after a build made them all); how many were removed."""
        removed = 0
        if not self.folder.is_dir():
            return 0
        for group in sorted(os.scandir(self.folder), key=lambda entry: entry.name):
            for entry in sorted(os.scandir(group.path), key=lambda entry: entry.name) if group.is_dir() else ():
                if entry.name.removesuffix(".pdf") not in used:
                    discard(Path(entry.path))
                    removed += 1
        return removed

"""The one place a build puts a rendered file: into the site, and a measure page's article into the
search index's input.

Pagefind reads index documents, not the pages: a copy of each measure's
article under the page's path, kept in a folder of its own (`.site.search/
<edition>/<bundle>/` beside site/), so a rebuild re-indexes without copying
the site and Pagefind parses no navigation. Pagefind's attributes
(`data-pagefind-*`) are needed only there: the pages readers get are
written without them. The emitter remembers the digest
of every file it wrote and of every index document, so a rebuild writes only
what differs and re-indexes only the bundles whose documents changed.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from ..files import write_atomic, write_staged
from ..search.pagefind import index_document, without_index_hints
from ..search.shards import Shard


def digest(data: bytes) -> bytes:
    return hashlib.blake2b(data, digest_size=16).digest()


@dataclass
class Emitted:
    """What is on disk: each file's digest, and each measure page's bundle and index document digest."""

    files: dict[str, bytes] = field(default_factory=dict)
    indexed: dict[str, tuple[Shard, bytes]] = field(default_factory=dict)

    def update(self, other: Emitted) -> None:
        self.files.update(other.files)
        self.indexed.update(other.indexed)


class Emitter:
    """Writes files into `site` and index documents into `documents`, only where they differ from `on_disk`.

    `live`: the site is being served (an update), so files are replaced atomically; otherwise the
    folders are staged ones no reader sees. `langs`: edition code -> its `lang`, for index documents.
    """

    def __init__(self, site: Path, documents: Path, langs: dict[str, str], on_disk: Emitted | None = None,
                 live: bool = False):
        self.site, self.documents, self.langs = site, documents, langs
        self.on_disk = on_disk if on_disk is not None else Emitted()
        self.write = write_atomic if live else write_staged
        self.stale: set[Shard] = set()  # bundles whose documents changed
        self.paths: list[str] = []  # the files written, below the site

    @property
    def written(self) -> int:
        return len(self.paths)

    def emit(self, path: str, data: bytes, shard: Shard | None) -> None:
        """Write `data` at `path` if it changed; a measure page (with its `shard`) also feeds the index.

        Pagefind's attributes are read from the index document and left out
        of the page readers get.
        """
        if shard:
            self._index(path, shard, index_document(data, self.langs[shard.code]))
        if path.endswith(".html"):
            data = without_index_hints(data)
        found = digest(data)
        if self.on_disk.files.get(path) == found:
            return
        self.write(self.site / path, data)
        self.on_disk.files[path] = found
        self.paths.append(path)

    def _index(self, path: str, shard: Shard, document: bytes) -> None:
        """Re-indexed only if what Pagefind reads changed, not just the page around it."""
        entry = (shard, digest(document))
        if self.on_disk.indexed.get(path) != entry:
            self.write(self.documents / shard.folder / path, document)
            self.on_disk.indexed[path] = entry
            self.stale.add(shard)

    def remove(self, path: str) -> None:
        (self.site / path).unlink(missing_ok=True)
        if path in self.on_disk.indexed:
            shard, _ = self.on_disk.indexed.pop(path)
            (self.documents / shard.folder / path).unlink(missing_ok=True)
            self.stale.add(shard)
        del self.on_disk.files[path]

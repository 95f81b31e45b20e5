"""The index's bundles: an edition's measure pages cut by a hash of their ids.

Pagefind cannot update an index, only build one, so while previewing, a
large handbook's index is cut into bundles of about PREVIEW_SHARD_SIZE
measures (by a hash of the id, so adding a measure touches one bundle) and
the search page merges them. A published build makes one bundle an edition
up to PUBLISHED_SHARD_SIZE measures, and bundles of at most that many above
it, so that Pagefind's memory stays bounded however large the handbook.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

# Measures per index bundle while previewing (`serve`): an edit re-indexes one bundle, the browser
# merges them. A published build makes one bundle per edition: a reader's first search at 10,000
# measures fetches 0.4 MB in 132 responses from one, 1.4 to 2.0 MB in 400 from 40 (bench/RESULTS.md).
PREVIEW_SHARD_SIZE = 100
# Measures per index bundle at most when published: one Pagefind run over an edition's 10,000 measure
# pages peaks at about 1.8 GB and grows with the pages, so a larger handbook's edition is cut into
# bundles of at most this many, indexed a few at a time and merged by the search page. Up to
# 10,000 measures an edition keeps one bundle, the smallest first search (bench/RESULTS.md).
PUBLISHED_SHARD_SIZE = 10_000


@dataclass(frozen=True, order=True)
class Shard:
    """One Pagefind bundle: the measure pages of one edition whose ids hash to `number`.

    Pagefind cannot update an index, only build one, so while previewing, a
    large handbook's index is cut into bundles of about PREVIEW_SHARD_SIZE
    measures (by a hash of the id, so adding a measure touches one bundle)
    and the search page merges them. Bundle 0 is the one the page loads first.
    """

    code: str  # edition
    number: int

    @property
    def folder(self) -> str:
        """Below pagefind/ in the site, and below the index documents' folder."""
        return f"{self.code}/{self.number}"


def shard_modulus(measures: int, size: int | None) -> int:
    """How many bundles an edition's index is cut into: one if `size` is None."""
    return max(1, -(-measures // size)) if size else 1


def shard_number(measure_id: str, modulus: int) -> int:
    return int.from_bytes(hashlib.blake2b(measure_id.encode(), digest_size=8).digest(), "big") % modulus

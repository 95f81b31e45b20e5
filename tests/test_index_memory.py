"""Pagefind's memory stays bounded however large the handbook: a published edition past
PUBLISHED_SHARD_SIZE measures is cut into bundles (merged by the search page: test_search.py's
test_an_index_in_bundles_finds_what_one_index_finds), and no more Pagefind runs go side by side than
fit in memory. The memory itself at 10,000 and 100,000 measures is measured by bench/run.py."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

from handbook.build import builder as builder_module
from handbook.build.builder import Builder
from handbook.search.pagefind import MEMORY_PER_PAGE, available_memory, runs_at_once
from handbook.search.shards import PUBLISHED_SHARD_SIZE, shard_modulus

GB = 1024 ** 3


def test_an_edition_keeps_one_bundle_up_to_the_cap_and_is_cut_past_it():
    assert shard_modulus(57, PUBLISHED_SHARD_SIZE) == 1
    assert shard_modulus(PUBLISHED_SHARD_SIZE, PUBLISHED_SHARD_SIZE) == 1
    assert shard_modulus(PUBLISHED_SHARD_SIZE + 1, PUBLISHED_SHARD_SIZE) == 2
    assert shard_modulus(100_000, PUBLISHED_SHARD_SIZE) == 10
    # a full bundle's run is what the bench measured at 10,000: under 2 GB
    assert PUBLISHED_SHARD_SIZE * MEMORY_PER_PAGE < 2 * GB


def test_runs_side_by_side_only_as_many_as_fit_in_half_the_memory():
    full = PUBLISHED_SHARD_SIZE  # pages of a full bundle
    assert runs_at_once(4, 100, 8 * GB) == 4  # small bundles: all at once
    assert runs_at_once(4, full, 8 * GB) == 2  # 4 GB for Pagefind: two runs of 1.8 GB
    assert runs_at_once(4, full, 2 * GB) == 1  # never none
    assert runs_at_once(4, full, None) == 4  # memory unknown: as wanted
    assert runs_at_once(0, full, None) == 1


def test_available_memory_is_read_from_the_kernel():
    memory = available_memory()
    if Path("/proc/meminfo").exists():
        assert memory is not None and 64 * 1024 ** 2 < memory < 16 * 1024 ** 4


def plan_of(measures: int, editions: int, modulus: int):
    refs = [None] * measures
    edition = SimpleNamespace(layout=SimpleNamespace(index=SimpleNamespace(refs=refs)))
    return SimpleNamespace(editions=[edition] * editions, modulus=modulus)


def test_the_build_runs_one_bundle_an_edition_at_once_and_more_one_a_core(monkeypatch, tmp_path):
    builder = Builder(Path("."), tmp_path / "content", tmp_path / "site", workers=2)
    monkeypatch.setattr(builder_module, "available_memory", lambda: 64 * GB)
    assert builder._pagefind_runs(plan_of(57, 4, 1), 4) == 4  # each edition's one bundle side by side
    assert builder._pagefind_runs(plan_of(100_000, 4, 10), 40) == 2  # 40 bundles: one a core
    assert builder._pagefind_runs(plan_of(10_000, 4, 100), 4) == 4  # serve: the bundles an edit touched
    monkeypatch.setattr(builder_module, "available_memory", lambda: 5 * GB)
    assert builder._pagefind_runs(plan_of(100_000, 4, 10), 40) == 1  # 2.5 GB for Pagefind: one run
    assert builder._pagefind_runs(plan_of(10_000, 4, 1), 4) == 1

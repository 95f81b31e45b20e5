"""Pagefind's memory stays bounded however large the handbook: a published edition past
PUBLISHED_SHARD_SIZE measures is cut into bundles (merged by the search page: test_search.py's
test_an_index_in_bundles_finds_what_one_index_finds), and no more Pagefind runs go side by side than
fit in memory. The memory itself at 10,000 and 100,000 measures is measured by bench/run.py."""

from __future__ import annotations

import gc
import weakref
from pathlib import Path
from types import SimpleNamespace

import pytest

from handbook.build import builder as builder_module
from handbook.build.builder import Builder
from handbook.search.pagefind import pagefind_binary
from tests.conftest import ROOT
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


@pytest.mark.parametrize("keep_state", [False, True])
def test_a_one_off_build_lets_the_plan_go_before_the_render_workers_fork_and_pagefind_runs(
        monkeypatch, tmp_path, keep_state):
    """What the pages were made from is as large as Pagefind's runs (at 100,000 measures, gigabytes each):
    a one-off build renders with the open data's bytes and the check's caches already let go, and indexes
    with no plan, content or cache left. A kept Builder (serve) keeps them for the next build.
    (This build's own objects are followed by weak reference: other tests' may be alive in the process.)"""
    seen, mine = {}, {}
    real_render, real_index = builder_module.render_everything, builder_module.index_shards

    def render_everything(job, *args, **kwargs):
        seen["data bytes at render"] = sum(len(p.data.files) for p in job.plan.editions)
        seen["files read at render"] = len(builder.state.files_read)
        mine["plan"] = weakref.ref(job.plan)
        mine["measures"] = [weakref.ref(m) for p in job.plan.editions for m in p.content.measures]
        return real_render(job, *args, **kwargs)

    def index_shards(*args, **kwargs):
        gc.collect()
        seen["plan at index"] = mine["plan"]() is not None
        seen["measures at index"] = sum(ref() is not None for ref in mine["measures"])
        return real_index(*args, **kwargs)

    monkeypatch.setattr(builder_module, "render_everything", render_everything)
    monkeypatch.setattr(builder_module, "index_shards", index_shards)
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(pagefind_binary(ROOT)))
    builder = Builder(ROOT, ROOT / "content", tmp_path / "site", keep_state=keep_state)
    builder.build()
    builder.close()
    if keep_state:
        assert seen["data bytes at render"] > 0 and seen["files read at render"] > 57
        assert seen["plan at index"] and seen["measures at index"] >= 57
        assert builder.state.plan is not None
    else:
        assert seen == {"data bytes at render": 0, "files read at render": 0, "plan at index": False,
                        "measures at index": 0}
    assert (tmp_path / "site" / "zh-hans" / "data" / "measures.csv").stat().st_size > 10_000  # written first

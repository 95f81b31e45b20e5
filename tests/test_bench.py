"""The benchmark scripts still work against the current code.

Their numbers belong in bench/RESULTS.md, not in assertions; what is checked
here is that a refactor of the handbook cannot break them unnoticed: the
synthetic content is deterministic and passes every check, bench/run.py
measures a whole row (clean build, rebuilds, sizes) without an error and
bench/opendata.py the open data's, and bench/serve_latency.py times saves
and bench/search_latency.py searches in a real browser.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys

from bench.generate import plan, write
from handbook.commands.cli import main
from tests.conftest import ROOT


def test_generated_content_is_deterministic_and_valid(tmp_path):
    files = plan(150)
    assert plan(150) == files
    measures = [name for name in files if name.startswith("content/measures/")]
    assert len(measures) == 150
    assert {name.split("/")[2] for name in measures} == {"synthetic-0001", "synthetic-0002"}  # 100 a source
    write(tmp_path, files)
    assert main(["--content", str(tmp_path / "content"), "check"]) == 0


def test_bench_measures_a_row_and_leaves_no_tree(tmp_path):
    result = subprocess.run([sys.executable, "bench/run.py", "--sizes", "120", "--repeat", "2",
                             "--workdir", str(tmp_path)],
                            cwd=ROOT, capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, result.stdout + result.stderr
    header, row = (line for line in result.stdout.splitlines() if line.startswith("| measures |")
                   or line.startswith("| 120 |"))
    cells = [cell.strip() for cell in row.strip("|").split("|")]
    assert len(cells) == len(header.strip("|").split("|"))
    assert "–" not in cells, f"a column was not measured: {row}"
    assert list(tmp_path.iterdir()) == []  # the trees put aside were deleted at the end


def test_bench_can_measure_the_clean_build_alone(tmp_path):
    """--clean-only: at 100,000 measures the two rebuilds would take another hour."""
    result = subprocess.run([sys.executable, "bench/run.py", "--sizes", "30", "--clean-only", "--workdir", str(tmp_path)],
                            cwd=ROOT, capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, result.stdout + result.stderr
    header, row = (line for line in result.stdout.splitlines() if line.startswith(("| measures |", "| 30 |")))
    cells = dict(zip((c.strip() for c in header.strip("|").split("|")), (c.strip() for c in row.strip("|").split("|"))))
    assert float(cells["clean build s"]) > 0 and float(cells["peak memory, whole tree (PSS) MB"].replace(",", "")) > 0
    assert cells["rebuild after 1 edit s"] == cells["rebuild in serve s"] == "–"
    assert "build.py build again" not in result.stderr + result.stdout


def test_bench_measures_the_pdf_stage(tmp_path):
    """--pdf: the pdf stage of the clean build and of the rebuild after the edit, the PDFs' number and size."""
    result = subprocess.run([sys.executable, "bench/run.py", "--sizes", "10", "--pdf", "--workdir", str(tmp_path)],
                            cwd=ROOT, capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, result.stdout + result.stderr
    header, row = (line for line in result.stdout.splitlines() if line.startswith(("| measures |", "| 10 |")))
    cells = dict(zip((c.strip() for c in header.strip("|").split("|")), (c.strip() for c in row.strip("|").split("|"))))
    assert "–" not in cells.values(), f"a column was not measured: {row}"
    assert cells["PDFs"] == str(4 * (10 + 1 + 1))  # every edition: 10 measures, their source, the handbook
    assert float(cells["PDFs MB"]) > 0 and int(cells["pdf ms"].replace(",", "")) > 0


def test_serve_latency_times_saves_seen_in_the_browser(tmp_path):
    from bench.serve_latency import measure  # imports devtools.browser: Chromium is needed from here on

    row = measure(57, 2, tmp_path)  # raises if a reloaded page does not show its edit
    assert len(row["reloaded"]) == len(row["rebuilt"]) == len(row["searchable"]) == 2
    assert all(seconds > 0 for seconds in row["reloaded"] + row["rebuilt"] + row["searchable"])  # seen after the save, not before


def test_search_latency_times_every_query_of_every_edition(real_site):
    from bench.search_latency import QUERIES, measure

    rows = measure(real_site("http://127.0.0.1:8000/"), 1)  # the session's build, which test_site shares
    assert [(e, q) for e, q, _, _ in rows] == [(e, q) for e, queries in QUERIES.items() for q in queries]
    assert all(cold and warm and cold > 0 and warm > 0 for _, _, cold, warm in rows)  # every query finds something


def test_the_open_data_bench_measures_a_row(tmp_path):
    from bench.opendata import measure, table

    row = measure(120, tmp_path)
    assert row["files"] == 23 and row["cold"] > 0 and row["warm"] > 0
    assert all(size > 0 for size in row["sizes"].values())
    assert table([row]).splitlines()[2].startswith("| 120 | 23 |")


def test_the_tree_memory_counts_every_process_once(tmp_path):
    """A parent that touches 300 MB forks a child that touches 200 MB more: the tree holds about 500 MB
    (the parent's pages, shared with the child, counted once), more than either process alone."""
    from bench.run import run
    script = ("import os, time\n"
              "def touch(n):\n    b = bytearray(n << 20)\n    for i in range(0, len(b), 4096): b[i] = 1\n    return b\n"
              "kept = touch(300)\n"
              "if os.fork() == 0:\n    more = touch(200); time.sleep(1.5); os._exit(0)\n"
              "time.sleep(2); os.wait()\n")
    memory: list[int] = []
    run([sys.executable, "-c", script], 60, "a forked tree", memory=memory)
    assert 450 << 10 < memory[0] < 650 << 10, memory


def _front_matter(text: str) -> tuple[dict, str]:
    """A Hugo content file's JSON front matter and its Markdown body."""
    front, end = json.JSONDecoder().raw_decode(text)
    return front, text[end:].lstrip("\n")


def test_the_hugo_site_has_our_pages_in_every_edition(tmp_path):
    """bench/hugo_site.py, checked without Hugo: every edition has every measure, its text as the content's, and
    every list; every interface string the layouts ask for is there in every edition."""
    from bench.hugo_site import LAYOUTS, site_files, write
    from handbook.content.load import load
    from handbook.editions import EDITIONS

    content = load(ROOT / "content").content
    files = site_files(ROOT / "content")
    assert site_files(ROOT / "content") == files  # same input, same site
    config = json.loads(files["hugo.json"])
    languages = sorted(config["languages"], key=lambda code: config["languages"][code]["weight"])
    assert languages == [e.code for e in EDITIONS] and config["paginate"] == 50
    texts = {m.id: m.text for m in content.measures}
    asked = set(re.findall(r'i18n "(\w+)"', "".join(p.read_text() for p in LAYOUTS.rglob("*.html"))))
    asked |= set(config["taxonomies"].values())  # the list pages' labels: i18n .Data.Plural
    for edition in EDITIONS:
        base = f"content/{edition.code}"
        measures = {name: _front_matter(text) for name, text in files.items() if name.startswith(f"{base}/measures/")
                    and not name.endswith("_index.md")}
        assert len(measures) == len(texts) == 57
        assert sorted(front["weight"] for front, _ in measures.values()) == list(range(1, 58))  # handbook order
        for name, (front, body) in measures.items():
            assert body == texts[front["measure_id"]] + "\n" and name.endswith(f"/{front['measure_id']}.md")
            assert front["sources"] and front["topics"] and "published" not in front  # Hugo would read it as a date
        parallel = [name for name in files if name.startswith(f"{base}/parallel/") and not name.endswith("_index.md")]
        assert len(parallel) == 57
        lists = {name.split("/")[2]: 0 for name in files if name.endswith("/_index.md")}
        for name in files:
            if name.startswith(base) and name.endswith("/_index.md") and name.count("/") == 4:
                lists[name.split("/")[2]] += 1
        assert (lists["sources"], lists["topics"], lists["units"]) == (
            len(content.sources), len(content.topics), len(content.units))
        strings = json.loads(files[f"i18n/{edition.code}.json"])
        assert asked <= set(strings), f"{edition.code} lacks {sorted(asked - set(strings))}"
    write(tmp_path / "hugo", files)
    assert (tmp_path / "hugo" / "layouts" / "measures" / "single.html").is_file()
    assert (tmp_path / "hugo" / "hugo.json").read_text(encoding="utf-8") == files["hugo.json"]


def test_the_hugo_baseline_counts_pages_apart_from_redirects(tmp_path):
    from bench.hugo_baseline import Output, Row, table, written

    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "index.html").write_bytes(b"<!doctype html><p>page</p>")  # 26 bytes
    (tmp_path / "index.html").write_bytes(b'<meta http-equiv="refresh" content="0; url=/a/">')  # 48 bytes
    (tmp_path / "style.css").write_bytes(b"p{}")
    assert written(tmp_path) == Output(pages=1, page_bytes=26, redirects=1, bytes=26 + 48 + 3)
    row = Row(1000, hugo_s=[2.0, 1.0, 9.0], render_ms=[3000, 4000, 1000], ours_ms=[5000, 5000, 5000],
              hugo=Output(1000, 1024 * 1000, 0, 2 * 1024 ** 2), ours=Output(1000, 2048 * 1000, 0, 3 * 1024 ** 2))
    cells = dict(zip(table([row]).splitlines()[0].strip("| ").split(" | "), table([row]).splitlines()[2].strip("| ").split(" | ")))
    assert (cells["Hugo ms/page"], cells["our render ms/page"], cells["render / Hugo, per page"]) == ("2.00", "3.00", "1.50")
    assert (cells["Hugo KB/page"], cells["ours KB/page"]) == ("1.0", "2.0")

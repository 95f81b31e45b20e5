"""What the build guarantees about its output: reproducible, locked, atomic, nothing from outside.

Each test here was written against a fault a tester found, and failed
before its fix: Pagefind's index following the file system's order, a
symlink in static/ publishing its target, JSON-LD ended by a title, a
protocol-relative base_url, two builds colliding, leftovers of killed
builds, tracebacks on a full or read-only disk, a mistyped --out.
(Killing builds at random is tests/test_fault_injection.py.)
"""

from __future__ import annotations

import fcntl
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from handbook.build.builder import build
from handbook.commands.cli import main
from handbook.diagnostics import ContentError
from handbook.editions import EDITIONS
from handbook.files import OutputError, OutputLock, leftovers, lock_path
from handbook.search.pagefind import index_site, pagefind_binary
from handbook.urls import ABSOLUTE_BASE, base_url_problem
from tests.conftest import ROOT
from tests.browser import launch_browser, serve
from tests.sitecheck import html_pages, tree

TMPFS = Path("/dev/shm")  # tmpfs lists a folder newest first: the order depends on how files were made


def on_tmpfs(path: Path) -> bool:
    mounts = Path("/proc/mounts").read_text().split("\n")
    return any(line.split()[1:3] == [str(path), "tmpfs"] for line in mounts if line)


def copy_repository(to: Path, monkeypatch, content_from: Path) -> Path:
    """A copy of everything a build reads (content and seeds from `content_from`), to change freely;
    the working directory."""
    for folder in ("content", "seeds"):
        shutil.copytree(content_from / folder, to / folder)
    for folder in ("templates", "static"):
        shutil.copytree(ROOT / folder, to / folder)
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(pagefind_binary(ROOT)))
    monkeypatch.chdir(to)
    return to


@pytest.fixture
def repo(tmp_path, monkeypatch) -> Path:
    """The small handbook of tests/fixture: what these tests guard does not depend on the content,
    and it builds in half the time of the real one."""
    return copy_repository(tmp_path, monkeypatch, ROOT / "tests" / "fixture")


@pytest.fixture
def real_repo(tmp_path, monkeypatch) -> Path:
    """The real handbook, for a test that needs its size or its documents."""
    return copy_repository(tmp_path, monkeypatch, ROOT)


def build_cli(repo: Path, *args: str) -> subprocess.CompletedProcess:
    """`python3 build.py build` on the copy, as a maintainer or CI runs it."""
    code = ("import sys; from pathlib import Path; import handbook.commands.cli as cli; cli.ROOT = Path(sys.argv[1]); "
            "sys.exit(cli.main(sys.argv[2:]))")
    return subprocess.run([sys.executable, "-c", code, str(repo), "--content", str(repo / "content"), "build",
                           "--out", str(repo / "site"), *args], capture_output=True, text=True, cwd=repo, timeout=300)


# --- reproducible ---------------------------------------------------------------------------------

@pytest.mark.skipif(not on_tmpfs(TMPFS), reason="needs a tmpfs at /dev/shm, where listing order follows creation")
def test_the_index_does_not_depend_on_the_order_the_file_system_lists_pages(root_documents):
    """Pagefind's command line indexed pages in directory order: on tmpfs, the index of the same
    documents written in another order differed in every file."""
    indexes = []
    for order in (sorted, lambda paths: sorted(paths, reverse=True)):
        folder = Path(TMPFS, f"handbook-test-{os.getpid()}-{len(indexes)}")
        shutil.rmtree(folder, ignore_errors=True)
        try:
            for path in order(root_documents):
                target = folder / path
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(root_documents[path])
            indexes.append(index_site(folder, pagefind_binary(ROOT)))
        finally:
            shutil.rmtree(folder, ignore_errors=True)
    (pages, first), (_, second) = indexes
    assert pages == 57
    assert first == second


@pytest.fixture(scope="module")
def root_documents(tmp_path_factory) -> dict[str, bytes]:
    """The Simplified edition's index documents, as the build hands them to Pagefind."""
    from handbook.build.builder import Builder

    out = tmp_path_factory.mktemp("documents") / "site"
    builder = Builder(ROOT, ROOT / "content", out, keep_state=True)
    builder.build()
    builder.close()
    documents = out.parent / ".site.search" / "zh-hans" / "0"
    return {p.relative_to(documents).as_posix(): p.read_bytes() for p in documents.rglob("*.html")}


@pytest.mark.skipif(not on_tmpfs(TMPFS), reason="needs a tmpfs at /dev/shm")
def test_builds_on_tmpfs_are_byte_identical():
    folder = Path(TMPFS, f"handbook-test-{os.getpid()}")
    shutil.rmtree(folder, ignore_errors=True)
    try:
        sites = []
        for n in range(3):
            build(ROOT, ROOT / "content", folder / str(n) / "site")
            sites.append(tree(folder / str(n) / "site"))
        assert sites[0] == sites[1] == sites[2]
    finally:
        shutil.rmtree(folder, ignore_errors=True)


# --- nothing from outside the repository ----------------------------------------------------------

SECRET = "root:x:0:0:the secret line of a file outside the repository"


@pytest.fixture
def secret(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("outside") / "passwd"
    path.write_text(SECRET + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("make", ["file link", "folder link", "dangling link", "fifo"])
def test_static_publishes_only_its_own_regular_files(repo, secret, make):
    build(repo, repo / "content", repo / "site")
    before = tree(repo / "site")
    odd = repo / "static" / "leak.txt"
    {"file link": lambda: odd.symlink_to(secret), "folder link": lambda: odd.symlink_to(secret.parent),
     "dangling link": lambda: odd.symlink_to(repo / "nowhere"), "fifo": lambda: os.mkfifo(odd)}[make]()

    result = build_cli(repo)

    assert result.returncode == 1
    assert "Traceback" not in result.stderr and SECRET not in result.stderr + result.stdout
    kind = "a named pipe (FIFO)" if make == "fifo" else "a symbolic link"
    assert result.stderr.startswith(f"static/leak.txt: error: is {kind}, not a file\n  hint: ")
    assert tree(repo / "site") == before
    assert not any(SECRET.encode() in data for data in tree(repo / "site").values())


def test_a_linked_template_is_refused(repo, secret):
    (repo / "templates" / "leak.html").symlink_to(secret)
    with pytest.raises(ContentError) as raised:
        build(repo, repo / "content", repo / "site")
    assert [d.format().split("\n")[0] for d in raised.value.diagnostics] == [
        "templates/leak.html: error: is a symbolic link, not a file"]


# --- hostile content in pages ---------------------------------------------------------------------

def test_json_ld_cannot_end_its_script_or_hide_the_page(real_repo):
    repo = real_repo
    """A source title with <!-- and then <script swallowed the rest of every measure page of that
    source in a browser (no h1, no stylesheet): the script's text took the page with it."""
    hostile = "开发区清单<!--<script>alert(1)</script>& </script><!--"  # (U+2028 is refused by the check)
    source = repo / "content/sources/gzdd-2022.yaml"
    text = source.read_text(encoding="utf-8")
    title = re.search(r"^title: (.*)$", text, re.M)
    source.write_text(text.replace(title.group(0), f"title: {json.dumps(hostile, ensure_ascii=False)}"),
                      encoding="utf-8")
    out = repo / "site"
    build(repo, repo / "content", out)
    pages = [p for p in html_pages(out) if "/measures/gzdd-2022-" in p.as_posix()]
    assert len(pages) == len(EDITIONS) * 39
    for path in pages:
        blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', path.read_text(encoding="utf-8"),
                            re.S)
        assert len(blocks) == 1 and not set("<>&") & set(blocks[0]), path
        if "/en/" not in path.as_posix():  # the English pages name the document by its English title
            assert "<!--<script>" in json.loads(blocks[0])["isPartOf"]["name"]
    with serve(out) as base, launch_browser() as browser:
        page = browser.new_page()
        for edition in ("zh-hans", "zh-hk", "zh-tw"):
            page.goto(f"{base}{edition}/measures/gzdd-2022-02/")
            seen = page.evaluate("""() => ({h1: document.querySelectorAll('h1').length,
                                          sheets: document.styleSheets.length,
                                          data: JSON.parse(document.querySelector('script[type="application/ld+json"]').text)})""")
            assert seen["h1"] == 1 and seen["sheets"] >= 1, (edition, seen)
            assert "<!--<script>" in seen["data"]["isPartOf"]["name"]


@pytest.mark.parametrize("text, kept", [
    ("前文<img src=x onerror=alert(1)>后文", "&lt;img src=x onerror=alert(1)&gt;"),
    ("<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"),
    ("见![图](https://tracker.example/p.png)", "见图"),
    ("[链接](javascript:alert(1))", "[链接](javascript:alert(1))"),
    ("[链接](https://www.gz.gov.cn/)", '<a href="https://www.gz.gov.cn/">链接</a>'),
])
def test_markdown_writes_text_and_links_never_markup_or_images(text, kept):
    """Raw HTML stays text, a javascript: link stays text, and an image becomes its alt text: the
    site loads no image from anywhere (its Content-Security-Policy allows none)."""
    from handbook.site.render import environment
    html = environment(ROOT / "templates").filters["markdown"](text)
    assert kept in html
    assert "<img" not in html and "<script" not in html and 'href="javascript' not in html


@pytest.mark.parametrize("url", ["//evil.example/", "https://good.example//evil.example/", "javascript:x//",
                                 "https://a b/", "ftp://example.org/", "https://example.org/handbook",
                                 "https://example.org/?q=/", "https://example.org/#/", "/handbook/"])
def test_only_absolute_http_addresses_are_base_urls(url):
    assert base_url_problem(url)
    assert ABSOLUTE_BASE.fullmatch(url) is None


@pytest.mark.parametrize("url", ["https://example.github.io/handbook/", "http://127.0.0.1:8000/", "https://[::1]/",
                                 "https://example.org/a/b-c/"])
def test_absolute_http_addresses_are_base_urls(url):
    assert base_url_problem(url) is None


def test_the_schema_checks_base_url_with_the_same_pattern():
    schema = json.loads((ROOT / "handbook/schemas/site.schema.json").read_text(encoding="utf-8"))
    assert schema["properties"]["base_url"]["pattern"] == ABSOLUTE_BASE.pattern


@pytest.mark.parametrize("url", ["//evil.example/", "https://x.org//evil.example/"])
def test_a_protocol_relative_base_url_option_is_refused(url, capsys):
    assert main(["build", "--base-url", url]) == 2
    assert f"--base-url must be an absolute http(s) address or a path ending in /" in capsys.readouterr().err


# --- one build at a time, and what killed builds leave -------------------------------------------

def test_a_second_build_into_the_same_folder_is_refused_while_one_runs(repo):
    build(repo, repo / "content", repo / "site")
    before = tree(repo / "site")
    with OutputLock(repo / "site"):  # as a running build holds it
        result = build_cli(repo)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr == (f"build: error: another build is writing site/ (process {os.getpid()}): "
                             "wait for it to finish, or build into another folder with --out\n"
                             "build: stopped; the previous site is unchanged\n")
    assert tree(repo / "site") == before


def test_serve_stops_before_serving_when_another_build_writes_its_folder(repo):
    code = ("import sys; from pathlib import Path; import handbook.commands.cli as cli; cli.ROOT = Path(sys.argv[1]); "
            "sys.exit(cli.main(sys.argv[2:]))")
    with OutputLock(repo / "site"):
        result = subprocess.run([sys.executable, "-c", code, str(repo), "--content", str(repo / "content"), "serve",
                                 "--out", str(repo / "site"), "--port", "0"],
                                capture_output=True, text=True, cwd=repo, timeout=120)
    assert result.returncode == 1 and "serving at" not in result.stdout
    assert result.stderr == (f"serve: error: another build is writing site/ (process {os.getpid()}): "
                             "wait for it to finish, or build into another folder with --out\n")


def test_builds_started_together_never_collide(repo):
    runs = [subprocess.Popen([sys.executable, str(ROOT / "build.py"), "--content", str(repo / "content"), "build",
                              "--out", str(repo / "site")], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                             cwd=repo) for _ in range(3)]
    results = [(run.wait(timeout=300), run.stderr.read()) for run in runs]
    for run in runs:
        run.stdout.close(), run.stderr.close()
    assert any(code == 0 for code, _ in results)
    for code, err in results:
        assert "Traceback" not in err
        assert code == 0 or "error: another build is writing" in err, err
    assert leftovers(repo / "site") == []
    reference = repo / "reference"
    build(repo, repo / "content", reference)
    assert tree(repo / "site") == tree(reference)


def test_a_build_removes_what_killed_builds_left(repo):
    build(repo, repo / "content", repo / "site")
    for kind in ("new", "search", "old", "index"):
        junk = repo / f".site.{kind}-{kind}1234" / "zh-hans"
        junk.mkdir(parents=True)
        (junk / "index.html").write_text("half-written")
    build(repo, repo / "content", repo / "site")
    assert leftovers(repo / "site") == [] and lock_path(repo / "site").is_file()


def test_a_site_moved_aside_by_a_killed_swap_is_put_back_even_if_the_build_fails(repo):
    """Where a file system cannot swap folders in one step, the swap is two renames: killed between
    them, the old site waits beside its place; the next build puts it back first of all."""
    build(repo, repo / "content", repo / "site")
    before = tree(repo / "site")
    os.rename(repo / "site", repo / ".site.old-4242")
    (repo / "content/topics.yaml").write_text("broken: [", encoding="utf-8")
    with pytest.raises(ContentError):
        build(repo, repo / "content", repo / "site")
    assert tree(repo / "site") == before and leftovers(repo / "site") == []


def test_the_lock_is_not_held_by_forked_workers(repo):
    """Render workers are forked while the lock is held; the kernel frees it only when every copy of
    the descriptor is closed, so each worker closes its copy: a killed build's workers cannot keep it."""
    lock = OutputLock(repo / "site")
    lock.acquire()
    child = os.fork()
    if child == 0:  # the child tries to take the lock its parent holds: it must find it held by another
        handle = os.open(lock_path(repo / "site"), os.O_RDWR)
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            os._exit(3)  # it could: it still held the parent's descriptor
        except BlockingIOError:
            os._exit(0)
    _, status = os.waitpid(child, 0)
    lock.release()
    assert os.waitstatus_to_exitcode(status) == 0


# --- the output folder ----------------------------------------------------------------------------

def test_a_folder_holding_other_files_is_never_replaced(repo):
    mine = repo / "Documents"
    (mine / "thesis").mkdir(parents=True)
    (mine / "thesis" / "draft.txt").write_text("years of work")
    with pytest.raises(OutputError, match=r"it holds files a build does not write \(thesis\)"):
        build(repo, repo / "content", mine)
    assert (mine / "thesis" / "draft.txt").read_text() == "years of work"
    assert leftovers(mine) == []


@pytest.mark.parametrize("out", [".", "content", "content/measures", "static/site", "templates/x"])
def test_the_output_cannot_be_a_folder_the_build_reads(repo, out):
    with pytest.raises(OutputError, match="which the build reads; choose another --out"):
        build(repo, repo / "content", repo / out)
    assert (repo / "content/site.yaml").is_file() and not (repo / "static/site").exists()


def test_rebuilding_a_site_of_an_older_build_is_allowed(repo):
    """A site/ from before the lock and the guard (no marker) is still ours: only its own names."""
    build(repo, repo / "content", repo / "site")
    (repo / "site" / ".index.html.x1y2.tmp").write_text("left by a killed rebuild")
    build(repo, repo / "content", repo / "site")
    assert not (repo / "site" / ".index.html.x1y2.tmp").exists()


# --- a full or read-only disk ---------------------------------------------------------------------

def namespaces_work() -> bool:
    """A user and mount namespace of our own, where a test may mount a small tmpfs."""
    probe = subprocess.run(["unshare", "--user", "--map-root-user", "--mount", "true"], capture_output=True)
    return probe.returncode == 0


DISK = r"""
set -e
mount -t tmpfs -o size=24m tmpfs "$DISK"
build() { "$PYTHON" -c 'import sys; from pathlib import Path; import handbook.commands.cli as cli; cli.ROOT = Path(sys.argv[1]); sys.exit(cli.main(sys.argv[2:]))' "$REPO" --content "$REPO/content" build --out "$DISK/site" >/dev/null; }
build
(cd "$DISK/site" && find . -type f | sort | xargs sha1sum) > "$REPO/before.txt"
case "$FAULT" in
  full) dd if=/dev/zero of="$DISK/filler" bs=1M 2>/dev/null || true ;;
  nearly-full) dd if=/dev/zero of="$DISK/filler" bs=1M 2>/dev/null || true; truncate -s -3M "$DISK/filler" ;;
  read-only) mount -o remount,ro "$DISK" ;;
esac
set +e
build 2> "$REPO/stderr.txt"
echo $? > "$REPO/code.txt"
(cd "$DISK/site" && find . -type f | sort | xargs sha1sum) > "$REPO/after.txt"
ls -a "$DISK" > "$REPO/beside.txt"
"""


@pytest.mark.skipif(not namespaces_work(), reason="needs user namespaces (unshare) to mount a small disk")
@pytest.mark.parametrize("fault, cause", [("full", "no space left on device"),
                                          ("nearly-full", "no space left on device"),
                                          ("read-only", "read-only file system")])
def test_a_full_or_read_only_disk_is_one_line_and_the_site_stays(real_repo, tmp_path_factory, fault, cause):
    """The real handbook: its site nearly fills the small disk, so 'nearly full' fails part-way."""
    repo = real_repo
    disk = tmp_path_factory.mktemp("disk")
    env = {**os.environ, "DISK": str(disk), "REPO": str(repo), "PYTHON": sys.executable, "FAULT": fault}
    subprocess.run(["unshare", "--user", "--map-root-user", "--mount", "sh", "-c", DISK], env=env, check=True,
                   timeout=600, cwd=repo)
    stderr = (repo / "stderr.txt").read_text()
    assert (repo / "code.txt").read_text().strip() == "1"
    assert "Traceback" not in stderr and "panicked" not in stderr
    assert stderr == (f"build: error: cannot write {disk}/site/: {cause}\n"
                      "build: stopped; the previous site is unchanged\n")
    assert (repo / "after.txt").read_text() == (repo / "before.txt").read_text()
    beside = set((repo / "beside.txt").read_text().split())
    assert beside - {".", "..", "site", ".site.lock", "filler"} == set()


SERVE_ON_A_FULL_DISK = r"""
import io, json, os, subprocess, sys
from pathlib import Path
from handbook.build.builder import Builder
from handbook.commands.devserver import BuildState, rebuild
from handbook.build.progress import Progress
repo, disk = Path(sys.argv[1]), Path(sys.argv[2])
subprocess.run(["mount", "-t", "tmpfs", "-o", "size=24m", "tmpfs", str(disk)], check=True)
builder = Builder(repo, repo / "content", disk / "site", None, Progress(), keep_state=True, shard_size=8)
state, out = BuildState(), io.StringIO()
first = rebuild(builder, state, out)
subprocess.run(["dd", "if=/dev/zero", f"of={disk}/filler", "bs=1M"], capture_output=True)
with open(repo / "static/style.css", "a", encoding="utf-8") as sheet:
    sheet.write("/* an edit */\n")
second = rebuild(builder, state, out)
builder.close()
print(json.dumps({"first": first, "second": second, "out": out.getvalue(), "state": state.snapshot()}))
"""


@pytest.mark.skipif(not namespaces_work(), reason="needs user namespaces (unshare) to mount a small disk")
def test_serve_on_a_full_disk_says_so_and_keeps_serving_the_last_site(repo, tmp_path_factory):
    disk = tmp_path_factory.mktemp("disk")
    result = subprocess.run(["unshare", "--user", "--map-root-user", "--mount", sys.executable, "-c",
                             SERVE_ON_A_FULL_DISK, str(repo), str(disk)], capture_output=True, text=True,
                            timeout=600, cwd=repo, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout.splitlines()[-1])  # (after the stages' lines)
    assert seen["first"] is True and seen["second"] is False
    assert f"serve: error: cannot write {disk}/site/: no space left on device\n" in seen["out"]
    assert "Traceback" not in seen["out"] + result.stderr
    assert seen["state"]["ok"] is False and "no space left on device" in seen["state"]["errors"]


def test_a_missing_or_failing_pagefind_is_one_line(repo, monkeypatch):
    for binary, said in (("/nonexistent/pagefind", "cannot run /nonexistent/pagefind: No such file or directory"),
                         ("/bin/false", "pagefind stopped: exit status 1")):
        monkeypatch.setenv("PAGEFIND_BINARY_PATH", binary)
        result = build_cli(repo)
        assert result.returncode == 1
        assert result.stderr.endswith(f"build: error: {said}\nbuild: stopped; the previous site is unchanged\n")
        assert "Traceback" not in result.stderr

"""Each measure's history, read from git: on a fixture repository with a scripted history (every kind of
change, on known days), in a shallow clone, and in a copy without git."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from datetime import datetime
from pathlib import Path

import pytest

from handbook.build.builder import Builder, build
from handbook.editions import EDITIONS
from handbook.history.read import read_history
from tests.browser import axe_context, axe_violations, format_violations, launch_browser, serve, vnu_errors
from tests.conftest import ROOT
from tests.sitecheck import tree

FIXTURE = ROOT / "tests/fixture"
MEASURES = "content/measures/fixture-batch1"
ATOM = "{http://www.w3.org/2005/Atom}"


def git(repo: Path, *args: str, when: str = "2026-01-05T09:00:00+08:00") -> str:
    env = {**os.environ, "GIT_AUTHOR_NAME": "Editor", "GIT_AUTHOR_EMAIL": "editor@example.org",
           "GIT_COMMITTER_NAME": "Editor", "GIT_COMMITTER_EMAIL": "editor@example.org",
           "GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when, "GIT_CONFIG_GLOBAL": "/dev/null"}
    return subprocess.run(["git", "-c", "init.defaultBranch=main", "-c", "commit.gpgsign=false", *args], cwd=repo,
                          env=env, check=True, capture_output=True, text=True).stdout


def edit(repo: Path, path: str, old: str, new: str) -> None:
    file = repo / path
    text = file.read_text(encoding="utf-8")
    assert old in text, (path, old)
    file.write_text(text.replace(old, new, 1), encoding="utf-8")


def commit(repo: Path, when: str, message: str) -> None:
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message, when=when)


def scripted(repo: Path) -> Path:
    """The fixture handbook, arriving at its present state through a history with every kind of change."""
    shutil.copytree(FIXTURE, repo)
    git(repo, "init", "-q")
    translation = repo / "content/translations/en/fixture-batch1/03.yaml"
    kept = translation.read_text(encoding="utf-8")
    translation.unlink()
    edit(repo, f"{MEASURES}/02.yaml", "建立后续监管机制", "建立后续监管办法")
    edit(repo, f"{MEASURES}/01.yaml", "topics: [digital-government]", "topics: [regulation]")
    rules = (repo / "content/conversion.yaml").read_text(encoding="utf-8")
    (repo / "content/conversion.yaml").write_text(rules.split("overrides:")[0] + "overrides: []\n", encoding="utf-8")
    commit(repo, "2026-01-05T09:00:00+08:00", "Import")
    edit(repo, f"{MEASURES}/02.yaml", "建立后续监管办法", "建立后续监管机制")
    commit(repo, "2026-02-10T10:00:00+08:00", "Official text as the document has it")
    good = (repo / f"{MEASURES}/02.yaml").read_text(encoding="utf-8")
    (repo / f"{MEASURES}/02.yaml").write_text("id: [unclosed\n", encoding="utf-8")
    commit(repo, "2026-02-20T10:00:00+08:00", "A broken file")
    (repo / f"{MEASURES}/02.yaml").write_text(good, encoding="utf-8")
    commit(repo, "2026-03-01T10:00:00+08:00", "Mended")
    edit(repo, f"{MEASURES}/01.yaml", "topics: [regulation]", "topics: [digital-government]")
    commit(repo, "2026-03-15T10:00:00+08:00", "Topics")
    (repo / f"{MEASURES}/03.yaml").rename(repo / f"{MEASURES}/09.yaml")
    commit(repo, "2026-03-20T10:00:00+08:00", "A file moved")
    (repo / f"{MEASURES}/09.yaml").rename(repo / f"{MEASURES}/03.yaml")
    commit(repo, "2026-03-21T10:00:00+08:00", "And back")
    translation.write_text(kept.replace("providing online services", "offering services online"), encoding="utf-8")
    commit(repo, "2026-04-20T10:00:00+08:00", "Translated")
    (repo / "content/conversion.yaml").write_text(rules, encoding="utf-8")
    commit(repo, "2026-05-25T10:00:00+08:00", "复议 is 復議")
    translation.write_text(kept, encoding="utf-8")
    commit(repo, "2026-06-30T10:00:00+08:00", "Translation revised")
    return repo


@pytest.fixture(scope="module")
def repo(tmp_path_factory) -> Path:
    return scripted(tmp_path_factory.mktemp("history") / "repo")


@pytest.fixture(scope="module")
def site(repo) -> Path:
    out = repo.parent / "site"
    build(ROOT, repo / "content", out)
    return out


def page(site: Path, code: str, path: str) -> str:
    return (site / code / path / "index.html").read_text(encoding="utf-8")


def text(html: str) -> str:
    """What a reader reads: a table's cells apart, the rest as it runs."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", re.sub(r"</t[hd]>", " ", html)))


def section(html: str) -> str:
    return html.split('class="history"', 1)[1].split("</section>", 1)[0]


def test_the_history_has_every_change_in_order_and_passes_over_what_does_not_parse(repo):
    history = read_history(repo / "content", EDITIONS)
    assert history.state == "complete" and history.head == git(repo, "rev-parse", "HEAD").strip()
    found = [(c.when.date().isoformat(), c.measure[-2:], c.kind, c.edition) for c in history.changes]
    assert found == [
        ("2026-06-30", "03", "translation", "en"),
        ("2026-05-25", "03", "conversion", "zh-hk"),
        ("2026-05-25", "03", "conversion", "zh-tw"),
        ("2026-04-20", "03", "translation", "en"),
        ("2026-03-15", "01", "topics", ""),
        ("2026-02-10", "02", "text", ""),
        ("2026-01-05", "01", "added", ""),
        ("2026-01-05", "01", "translation", "en"),  # the fixture's translation of 01 came with it
        ("2026-01-05", "02", "added", ""),
        ("2026-01-05", "03", "added", ""),
    ]  # the broken version of 02 (02-20) and its mending (03-01), 03's moves (03-20, 03-21): nothing a reader sees
    text_change = next(c for c in history.changes if c.kind == "text")
    assert text_change.before[1].startswith("建立后续监管办法") and text_change.after[1].startswith("建立后续监管机制")


@pytest.mark.parametrize("code, changed", [("zh-hans", "原文最后修改 2026年2月10日（原文修改）"),
                                           ("zh-hk", "原文最後修改 2026年2月10日（原文修改）"),
                                           ("en", "Official text last changed 10 February 2026 (Official text changed)")])
def test_a_measure_page_says_when_its_official_text_last_changed(site, code, changed):
    assert changed in text(section(page(site, code, "measures/fixture-batch1-02")))


def test_editorial_changes_are_dated_apart_from_the_official_text(site):
    shown = text(section(page(site, "zh-hans", "measures/fixture-batch1-01")))
    assert "原文最后修改 2026年1月5日（收录）" in shown and "编辑内容最后修改 2026年3月15日（主题调整）" in shown
    english = text(section(page(site, "en", "measures/fixture-batch1-03")))
    assert "Editorial content last changed 30 June 2026 (English translation changed)" in english
    assert "译文" not in text(section(page(site, "zh-hans", "measures/fixture-batch1-03")))  # not a Chinese page's


def test_an_official_text_change_is_shown_side_by_side_in_the_editions_script(site):
    for code, removed, added in (("zh-hans", "办法", "机制"), ("zh-hk", "辦法", "機制"), ("zh-tw", "辦法", "機制"),
                                 ("en", "办法", "机制")):
        html = page(site, code, "changes/fixture-batch1-02")
        table = html.split('class="diff"', 1)[1].split("</table>", 1)[0]
        assert f"<del>{removed}</del>" in table and f"<ins>{added}</ins>" in table, code
        if code == "en":  # the Chinese text, marked as such on an English page
            assert 'lang="zh-Hans"' in table


def test_a_conversion_change_shows_only_in_its_edition(site):
    hk = page(site, "zh-hk", "changes/fixture-batch1-03")
    assert "繁體轉換修正" in hk and "<ins>復</ins>" in hk
    assert "conversion" not in page(site, "zh-hans", "changes/fixture-batch1-03")
    assert "繁体转换修正" not in page(site, "zh-hans", "changes/fixture-batch1-03")


def test_the_changes_page_lists_every_revision_newest_first(site):
    html = page(site, "zh-tw", "changes")
    dates = re.findall(r'<li><time datetime="([^"]+)"', html)
    assert dates == sorted(dates, reverse=True) and len(dates) == 6  # 3 added, text, topics, conversion
    assert re.findall(r'href="/handbook/zh-tw/changes/(fixture-batch1-\d\d)/#c[0-9a-f]{12}"', html)[0] == \
        "fixture-batch1-03"
    for href in re.findall(r'href="(/handbook/zh-tw/changes/[^"#]+/)#(c[0-9a-f]+)"', html):
        assert f'id="{href[1]}"' in page(site, "zh-tw", href[0].removeprefix("/handbook/zh-tw/"))


@pytest.mark.parametrize("code", [e.code for e in EDITIONS])
def test_the_feed_is_valid_atom_of_what_changed(site, code):
    """RFC 4287: a feed has an id, a title, an updated date and an author; each entry an id, a title, an
    updated date (RFC 3339) and a link; ids are unique; html content is escaped HTML."""
    root = ET.parse(site / code / "feed.xml").getroot()
    assert root.tag == f"{ATOM}feed"
    for name in ("id", "title", "updated", "author"):
        assert root.find(f"{ATOM}{name}") is not None, name
    assert root.find(f"{ATOM}link[@rel='self']").get("href").endswith(f"/{code}/feed.xml")
    entries = root.findall(f"{ATOM}entry")
    ids = [e.findtext(f"{ATOM}id") for e in entries]
    assert len(ids) == len(set(ids)) == {"en": 7, "zh-hans": 5}.get(code, 6)
    updated = [datetime.fromisoformat(e.findtext(f"{ATOM}updated")) for e in entries]
    assert updated == sorted(updated, reverse=True)
    assert datetime.fromisoformat(root.findtext(f"{ATOM}updated")) == updated[0]
    for entry in entries:
        assert entry.findtext(f"{ATOM}title").strip()
        link = entry.find(f"{ATOM}link[@rel='alternate']").get("href")
        assert link == entry.findtext(f"{ATOM}id") and "/changes/fixture-batch1-0" in link
        content = entry.find(f"{ATOM}content")
        if content is not None:
            assert content.get("type") == "html" and "<ins>" in content.text  # escaped once, parsed back


def test_the_same_commits_give_the_same_bytes(repo, site, tmp_path):
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", str(repo), str(clone)], check=True)
    build(ROOT, clone / "content", tmp_path / "again")
    assert tree(tmp_path / "again") == tree(site)


def test_a_shallow_clone_says_where_its_history_starts(repo, tmp_path):
    clone = tmp_path / "shallow"
    subprocess.run(["git", "clone", "-q", "--depth", "3", f"file://{repo}", str(clone)], check=True)
    build(ROOT, clone / "content", tmp_path / "site")
    shown = text(section(page(tmp_path / "site", "zh-hans", "measures/fixture-batch1-02")))
    assert "版本历史从2026年4月20日开始，更早的修改没有列出。" in shown  # 02 has changed since: nothing listed
    changes = page(tmp_path / "site", "zh-hans", "changes")
    assert "收录" not in changes  # the clone's first commit did not add what it holds
    assert "版本历史从2026年4月20日开始" in changes


def test_a_copy_without_git_says_so_and_still_builds(tmp_path):
    shutil.copytree(FIXTURE, tmp_path / "copy")
    build(ROOT, tmp_path / "copy/content", tmp_path / "site")
    assert "没有本手册的版本历史" in page(tmp_path / "site", "zh-hans", "measures/fixture-batch1-01")
    assert not (tmp_path / "site/zh-hans/changes").exists()
    feed = ET.parse(tmp_path / "site/zh-hans/feed.xml").getroot()
    assert feed.findall(f"{ATOM}entry")  # the newest measures, as before there was a history


def test_a_new_commit_rebuilds_what_it_changed_as_a_clean_build_does(repo, tmp_path):
    work = tmp_path / "work"
    subprocess.run(["git", "clone", "-q", str(repo), str(work)], check=True)
    builder = Builder(ROOT, work / "content", tmp_path / "kept")
    builder.build()
    edit(work, f"{MEASURES}/03.yaml", "topics: [regulation]", "topics: [regulation, digital-government]")
    commit(work, "2026-07-01T10:00:00+08:00", "Topics of 03")
    builder.build()
    builder.close()
    build(ROOT, work / "content", tmp_path / "clean")
    assert tree(tmp_path / "kept") == tree(tmp_path / "clean")
    assert "2026年7月1日" in page(tmp_path / "clean", "zh-hans", "measures/fixture-batch1-03")


HISTORY_PAGES = ["measures/fixture-batch1-02/", "changes/", "changes/fixture-batch1-02/", "changes/fixture-batch1-03/"]


def test_history_pages_are_valid_accessible_and_fit_a_phone(site):
    """The history section, the list of changes and the side-by-side pages, in every edition: valid HTML
    (vnu), no axe-core violations, light and dark, and no sideways scrolling at 360 px."""
    paths = [site / e.code / p / "index.html" for e in EDITIONS for p in HISTORY_PAGES]
    assert vnu_errors(paths) == []
    with serve(site, "/handbook/") as base, launch_browser() as browser:
        for scheme in ("light", "dark"):
            context = axe_context(browser, viewport={"width": 360, "height": 740}, color_scheme=scheme)
            tab = context.new_page()
            for edition in EDITIONS:
                for path in HISTORY_PAGES:
                    assert tab.goto(f"{base}{edition.code}/{path}").status == 200
                    violations = axe_violations(tab)
                    assert violations == [], format_violations(violations)
                    assert tab.evaluate("document.scrollingElement.scrollWidth") <= 360, (edition.code, path)
            context.close()

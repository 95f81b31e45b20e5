"""`build --pdf`: the PDFs of every measure, source document and edition, read back as a reader's tools
read them (poppler-utils: pdftotext, pdffonts, pdfinfo).

The fixture handbook is built with PDFs once for this file, from a scratch copy in which two
measures run over several pages: measure 2's official text (and its seed) is a long text made so
that cutting its lines anywhere would start some with closing marks (，。、；：), and measure 1's
English translation is long. Checked: every PDF is there; each measure's PDF holds its text in the
edition's script (the English translation in English); every page carries the source document's
title and 文号, the handbook, the page number in the edition's words and a measure's citation with
its address; the table of contents gives the pages the measures are on; the fonts are embedded
subsets of the edition's own Noto face; /Lang is the edition's; no line starts with a closing mark;
an unchanged build lays no PDF out again, an edit lays out only the PDFs that show it; the same
content gives the same bytes; pages link the PDFs only when the build made them; a failed PDF
stage leaves the previous site; a measure's PDF says what its page says of its validity (status,
dates, the notice of a superseded measure and its successor's address).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import zlib
from html import unescape
from pathlib import Path

import pytest

from handbook.build.builder import Builder, build
from handbook.editions import EDITIONS
from handbook.pdf.engine import PdfError, Renderer
from handbook.seeds.punctuation import repair
from tests.conftest import ROOT
from tests.sitecheck import html_pages, read_page, target_file, tree

FIXTURE = ROOT / "tests" / "fixture"
PREFIX = "/handbook/"  # the fixture's base_url is https://example.org/handbook/
CLOSING = "，。、；：？！」』）》〉】〕”’"
OPENING = "「『（《〈【〔“‘"
A4 = (595, 842)  # points; pdftotext's default resolution (72 dpi) crops in points
TOP, BOTTOM = 62, 68  # the page margins of style.css's @page pdf (22 mm, 24 mm): header and footer bands
WORDS = {"zh-hans": "第{n}页 / 共{total}页", "zh-hk": "第{n}頁 / 共{total}頁", "zh-tw": "第{n}頁 / 共{total}頁",
         "en": "Page {n} of {total}"}
FACES = {"zh-hans": {"Noto-Sans-CJK-SC", "Noto-Sans-CJK-SC-Bold"}, "zh-hk": {"Noto-Sans-CJK-HK", "Noto-Sans-CJK-HK-Bold"},
         "zh-tw": {"Noto-Sans-CJK-TC", "Noto-Sans-CJK-TC-Bold"},
         "en": {"Noto-Sans", "Noto-Sans-Bold", "Noto-Sans-CJK-SC", "Noto-Sans-CJK-SC-Bold"}}
LANGS = {e.code: e.lang for e in EDITIONS}


def stress_text() -> str:
    """A long official text whose clauses end at every column: cut every n characters, for any n,
    some lines would start with a closing mark."""
    filler = "推行线上办理实现最多跑一次发展数字政府覆盖全市各个领域建立后续监管机制完善行政复议制度提供线上便民服务"
    parts = []
    for i in range(1, 160):
        parts.append((filler * 3)[i % 40:i % 40 + i % 29 + 1] + "，、；：。"[i % 5])
        if i % 13 == 0:
            parts.append("“" + filler[i % 20:i % 20 + 4] + "”，")
    return "".join(parts)[:-1] + "。"


def write_handbook(folder: Path) -> None:
    """The fixture, with measure 2's text (and its seed) the stress text and measure 1's English long."""
    shutil.copytree(FIXTURE / "content", folder / "content")
    shutil.copytree(FIXTURE / "seeds", folder / "seeds")
    text = stress_text()
    assert repair(text) == text  # the seed holds it as the check will compare it
    seed = folder / "seeds" / "fixture-notice.txt"
    seed.write_text(seed.read_text(encoding="utf-8").replace("建立后续监管机制,范围覆盖全市‘重点’行业。", text),
                    encoding="utf-8")
    measure = folder / "content" / "measures" / "fixture-batch1" / "02.yaml"
    measure.write_text(measure.read_text(encoding="utf-8").replace("建立后续监管机制，范围覆盖全市‘重点’行业。", text),
                       encoding="utf-8")
    english = folder / "content" / "translations" / "en" / "fixture-batch1" / "01.yaml"
    sentence = "Promoting online handling across every district, with one window for every applicant. "
    english.write_text(english.read_text(encoding="utf-8").replace(
        "with the “一网通办” platform.", "with the “一网通办” platform. " + sentence * 60), encoding="utf-8")


@pytest.fixture(scope="module")
def handbook(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("pdf-handbook")
    write_handbook(folder)
    return folder


@pytest.fixture(scope="module")
def site(handbook) -> Path:
    """The handbook built with its PDFs, once for this file."""
    build(ROOT, handbook / "content", handbook / "site", pdf=True)
    return handbook / "site"


def pdftotext(pdf: Path, page: int, band: str = "body") -> str:
    """A page's text: its body, or its header or footer band."""
    width, height = A4
    y, h = {"body": (TOP, height - TOP - BOTTOM), "header": (0, TOP), "footer": (height - BOTTOM, BOTTOM)}[band]
    return subprocess.run(["pdftotext", "-f", str(page), "-l", str(page), "-x", "0", "-y", str(y), "-W", str(width),
                           "-H", str(h), str(pdf), "-"], capture_output=True, text=True, check=True).stdout


def pages(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    return int(re.search(r"^Pages:\s+(\d+)$", info, re.M)[1])


def squeezed(text: str) -> str:
    """Text without line breaks, hyphenation at line ends, or spaces: how a reader's eye joins lines."""
    return re.sub(r"\s+", "", re.sub(r"\u2010\n", "", text))


def body_text(pdf: Path) -> str:
    return "".join(pdftotext(pdf, n) for n in range(1, pages(pdf) + 1))


def pdfs(site: Path) -> list[Path]:
    return sorted(site.rglob("*.pdf"))


def measure_text(site: Path, edition: str, measure: str) -> str:
    """The official text (or translation) as the measure's page shows it."""
    page = (site / edition / "measures" / measure / "index.html").read_text(encoding="utf-8")
    shown = re.search(r'<div class="text"[^>]*>(.*?)</div>', page, re.S)[1]
    return unescape(re.sub(r"<[^>]+>", "", shown))


def test_every_measure_source_and_edition_has_its_pdf(site):
    measures = sorted(p.stem for p in (FIXTURE / "content" / "measures" / "fixture-batch1").glob("*.yaml"))
    expected = {f"{e.code}/pdf/handbook.pdf" for e in EDITIONS}
    expected |= {f"{e.code}/pdf/sources/fixture-batch1.pdf" for e in EDITIONS}
    expected |= {f"{e.code}/pdf/measures/fixture-batch1-{n}.pdf" for e in EDITIONS for n in measures}
    assert {p.relative_to(site).as_posix() for p in pdfs(site)} == expected
    for pdf in pdfs(site):
        assert pdf.read_bytes().startswith(b"%PDF-")


def test_a_measure_pdf_holds_its_text_in_the_editions_script(site):
    for edition in EDITIONS:
        for number in ("01", "02", "03"):
            measure = f"fixture-batch1-{number}"
            expected = squeezed(measure_text(site, edition.code, measure))
            assert len(expected) > 10
            assert expected in squeezed(body_text(site / edition.code / "pdf" / "measures" / f"{measure}.pdf")), \
                (edition.code, measure)
    # the scripts differ where they must, and English is the translation
    assert "线上办理" in measure_text(site, "zh-hans", "fixture-batch1-01")
    assert "線上辦理" in measure_text(site, "zh-hk", "fixture-batch1-01")
    assert "Promoting online handling" in measure_text(site, "en", "fixture-batch1-01")
    assert "建立后续监管" in measure_text(site, "en", "fixture-batch1-02")  # not translated: the Chinese, shown


def shown_validity(site: Path, edition: str, measure: str) -> tuple[str, list[str]]:
    """What the measure's page says of its validity: the notice above its text ("" if none), and its
    validity rows (status, dates, successor) as "name value"."""
    page = (site / edition / "measures" / measure / "index.html").read_text(encoding="utf-8")
    plain = lambda html: squeezed(unescape(re.sub(r"<[^>]+>", "", html)))
    notice = re.search(r'<div class="notice validity"[^>]*>(.*?)</div>', page, re.S)
    document = (site / edition / "sources" / "fixture-batch1" / "index.html").read_text(encoding="utf-8")
    row = r'<tr><th scope="row"[^>]*>(.*?)</th><td>(.*?)</td></tr>'
    of_document = {plain(th) for th, _ in re.findall(row, document)}  # its dates are the document's
    wanted = [plain(th) + plain(td) for th, td in re.findall(row, page) if plain(th) not in of_document
              and re.search(r'href="[^"]*/(status|measures)/|<time', td)]  # status, dates, successor
    return (plain(notice[1]) if notice else ""), wanted


def test_a_measures_pdf_says_what_its_page_says_of_its_validity(site):
    said = set()
    for edition in EDITIONS:
        for number in ("01", "02", "03"):
            measure = f"fixture-batch1-{number}"
            notice, rows = shown_validity(site, edition.code, measure)
            pdf = site / edition.code / "pdf" / "measures" / f"{measure}.pdf"
            first, text = squeezed(pdftotext(pdf, 1)), squeezed(body_text(pdf))
            if notice:  # above the text, as on the page: on the first page, before the text begins
                begins = text.index(squeezed(measure_text(site, edition.code, measure))[:12])
                assert notice in first and text.index(notice) < begins, (edition.code, measure)
                said.add(number)
            for row in rows:
                assert row in text, (edition.code, measure, row)
            assert rows, (edition.code, measure)  # 01 in force, 02 superseded by 03
    assert said == {"02"}  # the superseded one
    successor = "https://example.org/handbook/zh-tw/measures/fixture-batch1-03/"
    assert successor in squeezed(body_text(site / "zh-tw" / "pdf" / "measures" / "fixture-batch1-02.pdf"))
    assert "fixture-batch1-03/" not in squeezed(body_text(site / "zh-tw" / "pdf" / "measures" / "fixture-batch1-01.pdf"))


def test_the_long_measures_run_over_several_pages(site):
    for edition in ("zh-hans", "zh-hk", "zh-tw"):
        assert pages(site / edition / "pdf" / "measures" / "fixture-batch1-02.pdf") >= 2
    assert pages(site / "en" / "pdf" / "measures" / "fixture-batch1-01.pdf") >= 2


def test_every_page_carries_source_handbook_citation_and_page_number(site):
    for edition in EDITIONS:
        code = edition.code
        home = (site / code / "index.html").read_text(encoding="utf-8")
        handbook = unescape(re.search(r'<p class="site-title"><a [^>]*>(.*?)</a>', home)[1])
        source_page = (site / code / "sources" / "fixture-batch1" / "index.html").read_text(encoding="utf-8")
        title = unescape(re.sub(r"<[^>]+>", "", re.search(r"<h1>(.*?)</h1>", source_page)[1]))
        number = "穗測函〔2099〕1號" if code in ("zh-hk", "zh-tw") else "穗测函〔2099〕1号"
        checked = 0
        for pdf in pdfs(site / code):
            total = pages(pdf)
            # the whole handbook's cover and table of contents come before any source document
            front = 2 if pdf.name == "handbook.pdf" else 0
            assert front == 0 or squeezed(pdftotext(pdf, front + 1)).startswith(squeezed(title))
            for n in range(1, total + 1):
                header, footer = squeezed(pdftotext(pdf, n, "header")), squeezed(pdftotext(pdf, n, "footer"))
                where = f"{pdf.relative_to(site)} page {n}"
                assert squeezed(WORDS[code].format(n=n, total=total)) in footer, where
                assert squeezed(handbook) in header, where
                if n <= front:
                    continue
                assert squeezed(title) in header and number in header, where
                cited = re.findall(rf"https://example\.org/handbook/{code}/measures/([a-z0-9-]+)/", footer)
                assert cited, where
                if "measures" in pdf.parts:
                    assert cited == [pdf.stem], where  # a measure's PDF: its own citation on every page
                checked += 1
        assert checked >= 10


def test_the_table_of_contents_gives_each_measures_page(site):
    for edition in EDITIONS:
        pdf = site / edition.code / "pdf" / "handbook.pdf"
        bodies = [squeezed(pdftotext(pdf, n)) for n in range(1, pages(pdf) + 1)]
        toc = next(i for i, text in enumerate(bodies) if text.startswith(("目录", "目錄", "Contents")))
        for number in ("01", "02", "03"):
            page = (site / edition.code / "measures" / f"fixture-batch1-{number}" / "index.html").read_text("utf-8")
            title = squeezed(unescape(re.sub(r"<[^>]+>", "", re.search(r"<h1[^>]*>(.*?)</h1>", page, re.S)[1])))
            listed = re.search(re.escape(title) + r"\.+(\d+)", bodies[toc])
            assert listed, (edition.code, title)
            on = int(listed[1])
            heading = re.compile(rf"(?<![“「]){re.escape(title)}(?![”」])")  # not where a notice or citation names it
            assert heading.search(bodies[on - 1]) and not any(heading.search(text) for text in bodies[toc + 1:on - 1]), \
                (edition.code, title, on)


def test_fonts_are_embedded_subsets_of_the_editions_own_face(site):
    for edition in EDITIONS:
        for pdf in pdfs(site / edition.code):
            listed = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True,
                                    check=True).stdout.splitlines()[2:]
            names = set()
            for line in listed:
                name, *_, emb, sub, uni, _, _ = line.split()
                assert (emb, sub, uni) == ("yes", "yes", "yes"), (pdf, line)
                assert re.fullmatch(r"[A-Z]{6}\+.+", name), (pdf, line)  # a subset's tag
                names.add(name.split("+")[1])
            assert names <= FACES[edition.code] and names, (pdf, names)
    for english in pdfs(site / "en" / "pdf" / "measures"):  # the Chinese of the English edition is drawn too
        assert "Noto-Sans-CJK-SC" in subprocess.run(["pdffonts", str(english)], capture_output=True, text=True).stdout


def test_each_pdf_says_its_language(site):
    for edition in EDITIONS:
        for pdf in pdfs(site / edition.code):
            assert catalog_lang(pdf.read_bytes()) == edition.lang, pdf


def catalog_lang(data: bytes) -> str | None:
    """/Lang of the document catalog, in the file or in a compressed object stream."""
    streams = [data]
    for raw in re.findall(rb"stream\r?\n(.*?)endstream", data, re.S):
        try:
            streams.append(zlib.decompress(raw))
        except zlib.error:
            pass
    for text in streams:
        if b"/Type /Catalog" in text or b"/Type/Catalog" in text:
            found = re.search(rb"/Lang\s*\(([^)]*)\)", text)
            return found[1].decode("ascii") if found else None
    return None


def test_no_line_starts_with_a_closing_mark(site):
    lines = [line.strip() for pdf in pdfs(site) for n in range(1, pages(pdf) + 1)
             for band in ("body", "header", "footer") for line in pdftotext(pdf, n, band).splitlines() if line.strip()]
    assert len(lines) > 1000
    assert [line for line in lines if line[0] in CLOSING] == []
    assert [line for line in lines if line[-1] in OPENING] == []


def test_the_stress_text_needed_the_line_breaking_rules(site):
    """Cut every n characters, with n the width of its lines in the PDF, the text would start lines with
    closing marks: the engine moved characters to keep them off (the test above sees none)."""
    for edition in ("zh-hans", "zh-hk", "zh-tw"):
        pdf = site / edition / "pdf" / "measures" / "fixture-batch1-02.pdf"
        lines = [line.strip() for n in range(1, pages(pdf) + 1) for line in pdftotext(pdf, n).splitlines()]
        text = squeezed(measure_text(site, edition, "fixture-batch1-02"))
        ours = [line for line in lines if line and line in text and len(line) > 20]
        width = max(len(line) for line in ours)
        assert sum(1 for i in range(width, len(text), width) if text[i] in CLOSING) > 0, edition
        assert any(len(line) < width for line in ours[:-1]), edition  # a line made shorter to keep a mark


def test_the_line_checks_can_fail():
    assert [line for line in ("甲乙丙", "，甲乙", "甲乙「") if line[0] in CLOSING] == ["，甲乙"]
    assert [line for line in ("甲乙丙", "，甲乙", "甲乙「") if line[-1] in OPENING] == ["甲乙「"]
    assert catalog_lang(b"1 0 obj << /Type /Catalog /Lang (zh-Hant-TW) >>") == "zh-Hant-TW"


def test_pages_link_the_pdfs_and_every_link_resolves(site):
    for edition in EDITIONS:
        code = edition.code
        home = (site / code / "index.html").read_text(encoding="utf-8")
        assert f'href="{PREFIX}{code}/pdf/handbook.pdf"' in home
        source = (site / code / "sources" / "fixture-batch1" / "index.html").read_text(encoding="utf-8")
        assert f'href="{PREFIX}{code}/pdf/sources/fixture-batch1.pdf"' in source
        for number in ("01", "02", "03"):
            page = (site / code / "measures" / f"fixture-batch1-{number}" / "index.html").read_text(encoding="utf-8")
            assert f'href="{PREFIX}{code}/pdf/measures/fixture-batch1-{number}.pdf"' in page
    checked = 0
    for page in html_pages(site):
        for tag, url, _ in read_page(page).links:
            if url.startswith(("#", "mailto:", "data:")) or (target := target_file(site, PREFIX, url)) is None:
                continue
            assert target.is_file(), f"{page.relative_to(site)}: {tag} {url}"
            checked += url.endswith(".pdf")
    assert checked == 4 * (1 + 1 + 3)


def test_without_pdf_no_page_links_one():
    """The golden files are the fixture built without --pdf (tests/test_golden.py)."""
    golden = tree(ROOT / "tests" / "golden")
    assert len(golden) > 50
    assert [path for path, data in golden.items() if b".pdf" in data or b"/pdf/" in data] == []


def test_rebuilds_lay_out_only_the_pdfs_an_edit_changes_and_the_same_bytes_again(site, handbook, tmp_path):
    shutil.copytree(handbook / "content", tmp_path / "content")
    shutil.copytree(handbook / "seeds", tmp_path / "seeds")
    out = tmp_path / "site"
    first = build(ROOT, tmp_path / "content", out, pdf=True)  # another folder: nothing in its cache yet
    assert len(first.pdfs_laid_out) == len(pdfs(site))
    made = {p.relative_to(out): p.read_bytes() for p in pdfs(out)}
    assert made == {p.relative_to(site): p.read_bytes() for p in pdfs(site)}  # the same content, the same bytes

    assert build(ROOT, tmp_path / "content", out, pdf=True).pdfs_laid_out == ()
    assert {p.relative_to(out): p.read_bytes() for p in pdfs(out)} == made

    english = tmp_path / "content" / "translations" / "en" / "fixture-batch1" / "03.yaml"
    english.write_text(english.read_text(encoding="utf-8").replace("providing online services", "offering services"
                                                                   " online"), encoding="utf-8")
    again = build(ROOT, tmp_path / "content", out, pdf=True)
    assert again.pdfs_laid_out == ("en/pdf/handbook.pdf", "en/pdf/measures/fixture-batch1-03.pdf",
                                   "en/pdf/sources/fixture-batch1.pdf")
    assert "offeringservicesonline" in squeezed(body_text(out / "en" / "pdf" / "measures" / "fixture-batch1-03.pdf"))


def test_a_failed_pdf_stage_leaves_the_previous_site(handbook, tmp_path, monkeypatch):
    shutil.copytree(handbook / "content", tmp_path / "content")
    shutil.copytree(handbook / "seeds", tmp_path / "seeds")
    out = tmp_path / "site"
    build(ROOT, tmp_path / "content", out)
    before = tree(out)

    def broken(self, html, identifier):
        raise ValueError("the engine broke")
    monkeypatch.setattr(Renderer, "render", broken)
    with pytest.raises(PdfError, match="the engine broke"):
        Builder(ROOT, tmp_path / "content", out, keep_state=False, workers=1, pdf=True).build()
    assert tree(out) == before


def test_a_missing_font_is_said_before_anything_is_built(monkeypatch, tmp_path):
    from handbook.pdf import engine

    monkeypatch.setattr(engine, "FONTS", (*engine.FONTS, "Noto Sans CJK XX"))
    with pytest.raises(PdfError, match=r"the font 'Noto Sans CJK XX' is not installed .*make pdf-deps"):
        build(ROOT, FIXTURE / "content", tmp_path / "site", pdf=True)
    assert not (tmp_path / "site").exists()

"""The two PDF engines the issue names, measured on the same HTML: WeasyPrint and Chromium's printing.

    .venv/bin/python bench/pdf_engines.py [--measures N] [--sample K] [--handbooks all|one|none] [--record]

Each engine makes the PDFs `build --pdf` makes (the HTML of handbook/pdf/documents.py, style.css):
with --sample K only the first K measures' and the first source document's PDFs of each edition, and
the whole handbook of every edition (--handbooks all), of one (one) or none. WeasyPrint runs as the
build runs it (handbook/pdf/engine.py, two forked processes); Chromium is Debian's, driven by
Playwright (a test dependency: run `make test-deps` and `make .venv/.testing` first), one browser
with two tabs at work, tagged PDFs (for /Lang), the running header and footer as its header and
footer templates (Chromium has no string-set: they are one text for the whole document).

Measured per kind of PDF: wall time, CPU time (WeasyPrint's workers; Chromium's whole process
tree), size, pages. Checked on the PDFs: the fonts (pdffonts: type, embedded, subset, which
face), /Lang, whether a second rendering gives the same bytes, the table of contents' page numbers,
and line breaking on a text made so that cutting it every n characters starts lines with closing
marks (，。」 …), in boxes n em wide, in each Chinese edition's lang and font. N other than 57 is a
synthetic handbook (bench/generate.py) made in build/bench-pdf/. --record appends the tables to
bench/RESULTS.md. Run it `nice`d on a shared machine.
"""

from __future__ import annotations

import argparse
import asyncio
import concurrent.futures
import datetime
import multiprocessing
import os
import platform
import re
import subprocess
import sys
import tempfile
import time
import zlib
from html import unescape
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from handbook.content.checks import check_content  # noqa: E402
from handbook.pdf.documents import document_html, plan_documents  # noqa: E402
from handbook.pdf.engine import Renderer, load_engine  # noqa: E402
from handbook.site.plan import plan_site  # noqa: E402
from handbook.site.render import load_templates  # noqa: E402
from devtools.browser import CHROMIUM, CHROMIUM_ARGS  # noqa: E402

CLOSING = "，。、；：？！」』）》〉】〕”’"
OPENING = "「『（《〈【〔“‘"
LANGS = {"zh-Hans": "Noto Sans CJK SC", "zh-Hant-HK": "Noto Sans CJK HK", "zh-Hant-TW": "Noto Sans CJK TC"}
FILLER = "营商环境改革创新经验做法清单推广实施审批服务企业开办不动产登记跨境贸易知识产权保护政务服务数据管理"


def handbook_plan(measures: int):
    """The plan of the real content (57) or of a synthetic handbook of `measures`."""
    content = ROOT / "content"
    if measures != 57:
        out = ROOT / "build" / "bench-pdf" / f"n{measures}"
        if not (out / "content").is_dir():
            subprocess.run([sys.executable, str(ROOT / "bench" / "generate.py"), str(measures), str(out)], check=True)
        content = out / "content"
    handbook = check_content(content, workers=os.cpu_count() or 1)
    templates = load_templates(ROOT / "templates")
    return plan_site(handbook, templates.strings, None, None, pdf=True), templates.env


def chosen(plan, sample: int, handbooks: str) -> dict[str, list]:
    """The documents to make, by kind: (document, path)."""
    documents = plan_documents(plan)
    out = {"measure": [], "source": [], "handbook": []}
    for i, _ in enumerate(plan.editions):
        mine = [d for d in documents if d.edition == i]
        out["measure"] += [d for d in mine if d.kind == "measure"][:sample or None]
        out["source"] += [d for d in mine if d.kind == "source"][:1 if sample else None]
        if handbooks == "all" or (handbooks == "one" and i == 1):
            out["handbook"] += [d for d in mine if d.kind == "handbook"]
    return out


def kinsoku_html(lang: str, font: str) -> str:
    """Paragraphs in boxes n em wide, made so that cutting every n characters would start lines with
    closing marks and end them with opening ones (naive_violations counts how many)."""
    blocks = []
    for n in (9, 13, 17, 21):
        paragraphs = []
        for i, mark in enumerate(CLOSING):
            text = (FILLER * 2)[i:i + n] + mark + (FILLER * 2)[i + 3:i + 3 + n] + mark + "完成" * 4
            paragraphs.append(text)
        for i, mark in enumerate(OPENING):
            paragraphs.append((FILLER * 2)[i:i + n - 1] + mark + "引文" + "」" + FILLER[:n])
        body = "".join(f"<p>{p}</p>" for p in paragraphs)
        blocks.append(f'<div class="box" style="width:{n}em">{body}</div>')
    return (f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8"><title>kinsoku</title><style>'
            f'@page {{ size: A4; margin: 15mm }} html body.k {{ margin: 0; padding: 0; font: 11pt/1.6 "{font}" }} '
            f'p {{ margin: 0 0 .5em }}</style></head><body class="k">{"".join(blocks)}</body></html>')


def naive_violations(html: str) -> int:
    """Lines that would start with a closing mark if each paragraph were cut every n characters."""
    count = 0
    for width, body in re.findall(r'width:(\d+)em">(.*?)</div>', html):
        for text in re.findall(r"<p>(.*?)</p>", body):
            count += sum(1 for i in range(int(width), len(text), int(width)) if text[i] in CLOSING)
    return count


def line_violations(pdf: Path) -> tuple[int, int]:
    """(lines starting with a closing mark, lines ending with an opening one) in pdftotext's text."""
    lines = [line.strip() for line in pdftotext(pdf).splitlines() if line.strip()]
    return sum(line[0] in CLOSING for line in lines), sum(line[-1] in OPENING for line in lines)


def pdftotext(pdf: Path, page: int | None = None) -> str:
    pages = ["-f", str(page), "-l", str(page)] if page else []
    return subprocess.run(["pdftotext", *pages, str(pdf), "-"], capture_output=True, text=True, check=True).stdout


def fonts(pdf: Path) -> list[tuple[str, str, str, str]]:
    """(name, type, embedded, subset) of each font pdffonts lists."""
    lines = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout.splitlines()[2:]
    out = []
    for line in lines:
        match = re.match(r"(\S+)\s+(.+?)\s{2,}(\S+)\s+(yes|no)\s+(yes|no)\s+(yes|no)", line)
        if match:
            out.append((match[1], match[2], match[4], match[5]))
    return out


def pdf_lang(data: bytes) -> str | None:
    """The /Lang of the document catalog, looked for in the file and in its compressed object streams."""
    texts = [data] + [_inflate(m) for m in re.findall(rb"stream\r?\n(.*?)endstream", data, re.S)]
    for text in texts:
        found = re.search(rb"/Lang\s*\(([^)]*)\)", text or b"")
        if found:
            return found[1].decode("latin-1")
    return None


def _inflate(raw: bytes) -> bytes | None:
    try:
        return zlib.decompress(raw)
    except zlib.error:
        return None


def page_count(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    return int(re.search(r"^Pages:\s+(\d+)", info, re.M)[1])


# --- WeasyPrint, as the build runs it -------------------------------------------------------------

_engine = None
_renderer = None


def _weasy_start(engine):
    global _engine, _renderer
    _engine, _renderer = engine, None


def _weasy(task: tuple[str, str]) -> tuple[str, int, float]:
    global _renderer
    html, out = task
    started = time.process_time()
    _renderer = _renderer or Renderer(_engine)
    data, _ = _renderer.render(html, b"\0" * 16)
    Path(out).write_bytes(data)
    return out, len(data), time.process_time() - started


def run_weasyprint(engine, tasks: list[tuple[str, str]], workers: int = 2) -> dict:
    started = time.perf_counter()
    with concurrent.futures.ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork"),
                                                initializer=_weasy_start, initargs=(engine,)) as pool:
        done = list(pool.map(_weasy, tasks))
    return {"wall": time.perf_counter() - started, "cpu": sum(cpu for _, _, cpu in done),
            "bytes": sum(size for _, size, _ in done)}


# --- Chromium's printing, through Playwright --------------------------------------------------------

def _data(html: str, name: str) -> str:
    found = re.search(rf'{name}="([^"]*)"', html)
    return unescape(found[1]) if found else ""


def _templates(html: str, font: str) -> tuple[str, str]:
    """Header and footer templates: Chromium has one of each a document, filled from the HTML."""
    def box(left: str, right: str) -> str:
        return (f'<div style="font: 7.5pt \'{font}\'; color: #333; width: 100%; margin: 0 18mm; display: flex; '
                f'justify-content: space-between; gap: 6mm"><span>{left}</span><span>{right}</span></div>')
    cite = _data(html, "data-cite") if html.count("data-cite=") == 1 else ""  # one measure: its citation
    number = (f'{_data(html, "data-page-before")}<span class="pageNumber"></span>{_data(html, "data-page-between")}'
              f'<span class="totalPages"></span>{_data(html, "data-page-after")}')
    return box(_data(html, "data-running"), _data(html, "data-handbook")), box(cite, number)


async def _chromium(tasks: list[tuple[str, str]], css: str, concurrency: int) -> dict:
    from playwright.async_api import async_playwright

    queue, sizes = list(reversed(tasks)), []
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        pages = [await browser.new_page() for _ in range(concurrency)]
        cpu_before = tree_cpu(os.getpid())
        started = time.perf_counter()

        async def work(page):
            while queue:
                html, out = queue.pop()
                lang = _data(html, "lang")
                font = "Noto Sans" if lang == "en" else LANGS.get(lang, "Noto Sans CJK SC")
                header, footer = _templates(html, font)
                await page.set_content(html.replace("</head>", f"<style>{css}</style></head>"))
                data = await page.pdf(prefer_css_page_size=True, display_header_footer=True, header_template=header,
                                      footer_template=footer, tagged=True, outline=True, print_background=True)
                Path(out).write_bytes(data)
                sizes.append(len(data))

        await asyncio.gather(*(work(page) for page in pages))
        wall = time.perf_counter() - started
        cpu = tree_cpu(os.getpid()) - cpu_before
        await browser.close()
    return {"wall": wall, "cpu": cpu, "bytes": sum(sizes)}


def run_chromium(tasks, css: str, concurrency: int = 2) -> dict:
    return asyncio.run(_chromium(tasks, css, concurrency))


def tree_cpu(root: int) -> float:
    """CPU seconds of every process below `root` now alive (Chromium's, under Playwright's driver)."""
    children: dict[int, list[int]] = {}
    times: dict[int, float] = {}
    tick = os.sysconf("SC_CLK_TCK")
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            fields = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(entry))
        times[int(entry)] = (int(fields[11]) + int(fields[12])) / tick
    total, stack = 0.0, list(children.get(root, []))
    while stack:
        pid = stack.pop()
        total += times.get(pid, 0.0)
        stack += children.get(pid, [])
    return total


# --- the comparison -------------------------------------------------------------------------------

def compare(args) -> str:
    plan, env = handbook_plan(args.measures)
    engine = load_engine(ROOT / "static")
    picked = chosen(plan, args.sample, args.handbooks)
    scratch = Path(tempfile.mkdtemp(prefix="pdf-engines-"))
    rows, checks = [], {}
    for name in ENGINES:
        folder = scratch / name
        folder.mkdir()
        for kind, documents in picked.items():
            if not documents:
                continue
            tasks = [(document_html(env, plan, d), str(folder / _file(plan, d))) for d in documents]
            print(f"{name}: {len(tasks)} {kind} PDFs", file=sys.stderr, flush=True)
            result = ENGINES[name](engine, tasks)
            rows.append((name, kind, len(tasks), sum(page_count(Path(out)) for _, out in tasks), result))
        checks[name] = check(name, folder, plan, env, picked, engine)
    return table(rows, checks, args)


def _file(plan, document) -> str:
    return document.path(plan).replace("/", "_")


ENGINES = {"WeasyPrint": run_weasyprint, "Chromium": lambda engine, tasks: run_chromium(tasks, engine.stylesheet)}


def check(name: str, folder: Path, plan, env, picked, engine) -> dict:
    """What the PDFs hold: fonts, /Lang, the same bytes again, the TOC's numbers, line breaks."""
    out = {"fonts": set(), "lang": set(), "closing": 0, "opening": 0}
    for documents in picked.values():
        for d in documents:
            pdf = folder / _file(plan, d)
            for font, kind, emb, sub in fonts(pdf):
                out["fonts"].add(f"{font.split('+')[-1]} ({kind}, emb {emb}, sub {sub})")
            out["lang"].add(pdf_lang(pdf.read_bytes()))
            closing, opening = line_violations(pdf)
            out["closing"] += closing
            out["opening"] += opening
    first = picked["measure"][0]
    again = folder / "again.pdf"
    ENGINES[name](engine, [(document_html(env, plan, first), str(again))])
    out["same_bytes"] = again.read_bytes() == (folder / _file(plan, first)).read_bytes()
    tests = [(kinsoku_html(lang, font), str(folder / f"kinsoku-{lang}.pdf")) for lang, font in LANGS.items()]
    ENGINES[name](engine, tests)
    out["naive"] = sum(naive_violations(html) for html, _ in tests)
    found = [line_violations(Path(pdf)) for _, pdf in tests]
    out["kinsoku"], out["kinsoku_open"] = sum(f[0] for f in found), sum(f[1] for f in found)
    if picked["handbook"]:
        toc = pdftotext(folder / _file(plan, picked["handbook"][0]), 2)
        out["toc_numbers"] = len(re.findall(r"\.\s*\d+\s*$", toc, re.M))
    return out


def table(rows, checks, args) -> str:
    lines = ["| engine | PDFs | kind | pages | wall s | wall ms a PDF | CPU s | CPU ms a PDF | size KB a PDF |",
             "|---|---:|---|---:|---:|---:|---:|---:|---:|"]
    for name, kind, count, pages, r in rows:
        lines.append(f"| {name} | {count:,} | {kind} | {pages:,} | {r['wall']:.1f} | {r['wall'] / count * 1000:,.0f} | "
                     f"{r['cpu']:.1f} | {r['cpu'] / count * 1000:,.0f} | {r['bytes'] / count / 1024:,.0f} |")
    lines += ["", "| check | WeasyPrint | Chromium |", "|---|---|---|"]
    w, c = checks["WeasyPrint"], checks["Chromium"]
    lines.append(f"| fonts | {'; '.join(sorted(w['fonts']))} | {'; '.join(sorted(c['fonts'])[:6])}"
                 f"{' …' if len(c['fonts']) > 6 else ''} |")
    lines.append(f"| /Lang | {', '.join(sorted(map(str, w['lang'])))} | {', '.join(sorted(map(str, c['lang'])))} |")
    lines.append(f"| lines of the PDFs starting with a closing mark / ending with an opening one | "
                 f"{w['closing']} / {w['opening']} | {c['closing']} / {c['opening']} |")
    lines.append(f"| forcing text: lines a cut every n characters would start with a closing mark; "
                 f"lines the engine started with one / ended with an opening one | {w['naive']}; {w['kinsoku']} / "
                 f"{w['kinsoku_open']} | {c['naive']}; {c['kinsoku']} / {c['kinsoku_open']} |")
    lines.append(f"| the same PDF made again: the same bytes | {w['same_bytes']} | {c['same_bytes']} |")
    lines.append(f"| table of contents: entries with a page number (page 2 of a handbook) | "
                 f"{w.get('toc_numbers', '–')} | {c.get('toc_numbers', '–')} |")
    load = os.getloadavg()
    about = (f"{args.measures:,} measures; {platform.platform()}, {os.cpu_count()} cores; load average "
             f"{load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f} (1 / 5 / 15 min) at the end.")
    return about + "\n\n" + "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--measures", type=int, default=57)
    parser.add_argument("--sample", type=int, default=0, help="measures' PDFs an edition (0: all)")
    parser.add_argument("--handbooks", choices=("all", "one", "none"), default="all")
    parser.add_argument("--record", action="store_true")
    args = parser.parse_args(argv)
    text = compare(args)
    print(text)
    if args.record:
        with (ROOT / "bench" / "RESULTS.md").open("a", encoding="utf-8") as results:
            results.write(f"\n## PDF engines, {datetime.date.today().isoformat()}\n\n{text}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""The PDF engine: WeasyPrint, a CSS paged-media engine, laying HTML out with Debian's Pango.

Chosen over Chromium's printing by measuring both (bench/RESULTS.md, 2026-12-07): WeasyPrint
embeds the Noto CJK faces as subset CID fonts that name their face (Chromium draws CFF fonts as
Type 3 glyphs), fills running headers from the text (`string-set`) and the table of contents'
page numbers (`target-counter`), writes the document's `lang` as the PDF's /Lang, stamps no date,
and took less time per PDF. Both keep every closing mark off the start of a line.

What makes a PDF's bytes is its HTML, style.css, the fonts and the engine's versions: `identity`
digests all but the HTML once a build, so a PDF whose HTML is unchanged need not be laid out again
(cache.py). Nothing is fetched while laying out: a document that asks for a file or an address
stops the build, so a PDF never silently lacks a part.
"""

from __future__ import annotations

import hashlib
import logging
import subprocess
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

# The families style.css names for PDFs (its @media print part): Debian's Noto CJK, each region's own
# face, and Noto Sans for English. Each must be installed, else the PDF would silently use another.
FONTS = ("Noto Sans CJK SC", "Noto Sans CJK HK", "Noto Sans CJK TC", "Noto Sans")
STYLES = ("Regular", "Bold")
DEPENDENCIES = "run `make pdf-deps` (WeasyPrint, Pango and the Noto fonts)"


class PdfError(Exception):
    """The PDFs cannot be made (the engine or a font is missing, a document fails): one line that says why."""


@dataclass(frozen=True)
class Engine:
    """What a PDF depends on besides its HTML, read once a build."""

    stylesheet: str  # static/style.css
    identity: bytes  # digest of the stylesheet, the fonts' files and the engine's versions


def load_engine(static: Path) -> Engine:
    """The engine, checked: WeasyPrint and Pango import, every font is installed; PdfError if not."""
    try:
        import weasyprint  # noqa: F401  (loads Pango, HarfBuzz and fontconfig)
        from weasyprint.text.ffi import pango
    except (ImportError, OSError) as error:
        raise PdfError(f"the PDF engine cannot start ({error}): {DEPENDENCIES}") from None
    stylesheet = (static / "style.css").read_text(encoding="utf-8")
    digest = hashlib.sha256(stylesheet.encode())
    for name in ("weasyprint", "pydyf", "fonttools", "tinycss2", "cssselect2", "tinyhtml5", "pyphen"):
        digest.update(f"{name} {metadata.version(name)}\n".encode())
    digest.update(f"pango {pango.pango_version()}\n".encode())
    for path in font_files():
        digest.update(f"{path}\n".encode())
        with open(path, "rb") as font:
            digest.update(hashlib.file_digest(font, "sha256").digest())
    return Engine(stylesheet, digest.digest())


def font_files() -> list[str]:
    """The file of each family and style in FONTS, as fontconfig finds them; PdfError for a missing one."""
    files = []
    for family in FONTS:
        for style in STYLES:
            try:
                found = subprocess.run(["fc-match", "--format=%{family}\n%{file}", f"{family}:style={style}"],
                                       capture_output=True, text=True, timeout=60, check=True).stdout
            except (OSError, subprocess.SubprocessError) as error:
                raise PdfError(f"cannot ask fontconfig for the font {family!r} ({error}): {DEPENDENCIES}") from None
            families, _, path = found.partition("\n")
            if family not in families.split(","):
                raise PdfError(f"the font {family!r} is not installed (fontconfig offers {families!r} instead): "
                               f"{DEPENDENCIES}")
            files.append(path)
    return sorted(set(files))


class Renderer:
    """WeasyPrint in this process: the stylesheet parsed and the fonts configured once, for every PDF."""

    def __init__(self, engine: Engine):
        from weasyprint import CSS
        from weasyprint.text.fonts import FontConfiguration
        from weasyprint.urls import URLFetcher

        # style.css asks for what WeasyPrint does not do (screen-only media queries, text-wrap):
        # said once a process at warning level, of no use in a build's output.
        logging.getLogger("weasyprint").setLevel(logging.ERROR)
        self.fetcher = URLFetcher(allowed_protocols=(), fail_on_errors=True)  # nothing is fetched
        self.fonts = FontConfiguration()
        self.stylesheet = CSS(string=engine.stylesheet, media_type="print", font_config=self.fonts,
                              url_fetcher=self.fetcher)

    def render(self, html: str, identifier: bytes) -> tuple[bytes, int]:
        """The PDF of `html` and its number of pages; `identifier` becomes its file ID (no clock, no
        random: the same HTML gives the same bytes)."""
        from weasyprint import HTML

        document = HTML(string=html, url_fetcher=self.fetcher, media_type="print").render(
            stylesheets=[self.stylesheet], font_config=self.fonts)
        return document.write_pdf(pdf_identifier=identifier.hex()[:32].encode()), len(document.pages)

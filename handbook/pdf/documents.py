"""Which PDFs an edition has, and the HTML each is laid out from.

Each edition has a PDF of every measure, of every source document (its measures, as its page lists
them) and of the whole handbook (a cover, the table of contents, every source document with its
measures). Each is templates/pdf.html rendered with the edition's plan: the same converted content,
views and strings as its pages, so a PDF says what its page says. Pure: the same plan gives the same
HTML, which is what keeps an unchanged PDF from being laid out again (cache.py). A measure's or a
source document's PDF shows only what concerns it (no neighbours, no related measures, not the date
the handbook was revised), so an edit changes the HTML of the PDFs that show what was edited and of
no other.
"""

from __future__ import annotations

from dataclasses import dataclass

import jinja2

from ..model import Source
from ..site.citation import citation
from ..site.pages import in_source_order
from ..site.plan import EditionPlan, Plan
from ..site.render import render_pdf_html
from ..site.views import MeasureRef
from ..urls import PageKey, page_path, pdf_path

KINDS = ("handbook", "source", "measure")  # the largest first: a PDF of 10,000 measures is laid out first


@dataclass(frozen=True, order=True)
class PdfDocument:
    """One PDF of the site: its edition (a place in plan.editions), kind (urls.PDF_KINDS) and id."""

    edition: int
    kind: str
    id: str = ""

    def path(self, plan: Plan) -> str:
        return pdf_path(plan.editions[self.edition].edition.code, self.kind, self.id)


@dataclass(frozen=True)
class Entry:
    """A measure in a PDF: what pdf.html shows of it."""

    ref: MeasureRef
    of: int  # how many measures its source document has (第5项 / 共39项)
    citation: str  # the line a reader cites it by, with its address
    successor: MeasureRef | None  # the measure that supersedes it: its PDF says so above its text
    supersedes: tuple[MeasureRef, ...]  # the measures it supersedes


@dataclass(frozen=True)
class PdfView:
    """What pdf.html shows: one measure, one source document, or the whole handbook."""

    kind: str
    title: str
    description: str
    sources: tuple[tuple[Source, tuple[Entry, ...]], ...]
    page_words: tuple[str, str, str]  # "第", "页 / 共", "页": the page number's words around its numbers


def plan_documents(plan: Plan) -> list[PdfDocument]:
    """Every PDF of the site, the largest first (the whole handbooks, then the source documents)."""
    documents = []
    for i, edition in enumerate(plan.editions):
        documents.append(PdfDocument(i, "handbook"))
        documents += [PdfDocument(i, "source", s.id) for s in edition.content.sources]
        documents += [PdfDocument(i, "measure", r.measure.id) for r in edition.layout.index.refs]
    return sorted(documents, key=lambda d: (KINDS.index(d.kind), d.edition, d.id))


def document_html(env: jinja2.Environment, plan: Plan, document: PdfDocument) -> str:
    """The HTML of one PDF."""
    edition = plan.editions[document.edition]
    return render_pdf_html(env, plan, edition, pdf_view(edition, document))


def pdf_view(edition: EditionPlan, document: PdfDocument) -> PdfView:
    index, t, site = edition.layout.index, edition.t, edition.site
    if document.kind == "measure":
        ref = index.by_id[document.id]
        sources = ((ref.source, (_entry(edition, ref),)),)
        page = edition.pages[ref.key]
        title, description = f"{page.title} - {site.title}", page.description
    else:
        shown = [index.sources[document.id]] if document.kind == "source" else list(index.content.sources)
        sources = tuple((s, tuple(_entry(edition, r) for r in in_source_order(index, s))) for s in shown)
        title = f"{shown[0].title} - {site.title}" if document.kind == "source" else site.title
        description = (shown[0].description or shown[0].title) if document.kind == "source" else site.description
    return PdfView(document.kind, title, description, sources, page_words(t["pdf_page"]))


def _entry(edition: EditionPlan, ref: MeasureRef) -> Entry:
    view = edition.pages[ref.key].view
    url = edition.shared.urls.absolute(page_path(edition.edition.code, PageKey("measure", ref.measure.id)))
    return Entry(ref, view.of, citation(view, edition.t, url, edition.edition), view.successor,
                 tuple(view.supersedes))


def page_words(wording: str) -> tuple[str, str, str]:
    """strings.yaml's pdf_page ("第{n}页 / 共{total}页") cut around its two numbers, which the PDF
    engine fills in on each page."""
    before, _, rest = wording.partition("{n}")
    between, _, after = rest.partition("{total}")
    return before, between, after

"""PDFs of each edition (`build --pdf`; docs/pdf.md): a measure, a source document, the whole handbook.

documents says which PDFs an edition has and renders the HTML of each (templates/pdf.html);
engine lays the HTML out with WeasyPrint (why WeasyPrint: bench/RESULTS.md); cache keeps each PDF
under the digest of what made it, so an unchanged one is not laid out again; stage runs them all
on every core into the staged site.
"""

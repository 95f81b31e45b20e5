"""The site: which pages each edition has, and their bytes.

pages gives each page its typed view, layout keeps an edition's pages
between builds and lays out again only what an edit touched, render turns
a page into HTML through the Jinja2 templates, citation writes a measure's
citation and JSON-LD.
"""

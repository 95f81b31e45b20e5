"""Search: Pagefind's index of the measure pages, and what the search page needs besides.

shards cuts each edition's index into bundles, pagefind runs Pagefind (its
service mode) over their index documents, queries makes the tables that
let a reader type in any script, vocabulary writes the termbase's words for
query expansion and the facets.
"""

"""Search: Pagefind's index of the measure pages, and what the search page needs besides.

pagefind runs Pagefind (its service mode) over each edition's index
documents, cut into bundles; vocabulary writes the termbase's words for
query expansion and the facets.
"""

"""The site: which pages each edition has, and their bytes.

index holds an edition's lookups, views the typed contexts templates get,
pages which pages there are, layout keeps them between builds and lays out
again only what an edit touched, plan decides what each build renders,
render turns a page into bytes through the Jinja2 templates (strings and
wording: the interface strings), citation writes a measure's citation and
JSON-LD.
"""

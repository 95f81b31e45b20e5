"""Static site generator for the Guangzhou reform-measures handbook.

Four pipelines share one data model:

    import:  seeds/ --seeds--> content/                      (once; then maintainers edit content/)
    check:   content/ --content--> Handbook                  (parsed, schema-checked, cross-checked)
    build:   Handbook --convert--> editions --site--> pages --> files --search--> index   (build/)
    serve:   build, then rebuild what each saved edit changed (commands/)

Subpackages, one stage each:

    seeds      the official documents, the importer, a new measure's skeleton
    content    content/ read and checked into the data model
    convert    the Simplified source converted to each edition (OpenCC and reviewed fixes)
    site       each edition's pages, laid out and rendered through the templates
    search     Pagefind's index and the search page's tables
    build      the stages in order, a clean build or an update
    commands   the command line, the preview and development servers

Shared by all: editions (each edition declared once, and where its text
comes from), model (the typed records), urls (every path the site has),
reading and files (every read of the repository, every write), diagnostics
(located errors), workers (processes that die with the build).
docs/architecture.md says what flows between the stages.
"""

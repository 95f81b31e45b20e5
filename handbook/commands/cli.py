"""Command line: `python build.py <command>`.

Exit codes: 0 success, 1 content errors (the diagnostics say what and
where), 2 usage errors. Nothing a content file can contain produces a
Python traceback.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

from ..diagnostics import ContentError, display_path, warnings_report

ROOT = Path(__file__).resolve().parents[2]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python build.py",
        description="Build the Guangzhou reform-measures handbook from content/.",
    )
    parser.add_argument("--content", type=Path, default=ROOT / "content", metavar="DIR",
                        help="content folder (default: content/ of this project)")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    check = commands.add_parser("check", help="validate every content file and report all problems",
                                description="Validate content/: schemas, references between files, and the "
                                            "official text against seeds/. Prints every problem as "
                                            "path:line:col: error: field: message, then exits 1.")
    check.set_defaults(run=_check)

    imp = commands.add_parser("import-seeds", help="write content/ from the seed documents in seeds/",
                              description="Import seeds/ into content/: one file per source document and "
                                          "per measure, and units.yaml. Safe to run again: existing files "
                                          "that match are left alone, editorial fields are kept, and files "
                                          "a maintainer changed are not overwritten unless --force is given.")
    imp.add_argument("--force", action="store_true",
                     help="overwrite files that differ from the seeds (editorial fields are still kept)")
    imp.set_defaults(run=_import)

    build = commands.add_parser("build", help="build the site into site/",
                                description="Check content/, convert it to each script edition, render every "
                                            "page, write the site into site/ and index it for search. Atomic: "
                                            "a failed build leaves the previous site in place. Prints one line "
                                            "per stage with its time and counts.")
    _site_options(build)
    build.set_defaults(run=_build)

    serve = commands.add_parser("serve", help="build, serve on http://127.0.0.1:8000, rebuild on every change",
                                description="Build the site and serve it on 127.0.0.1 under the path of the "
                                            "base URL. Watches content/, templates/ and static/: every change "
                                            "rebuilds what it affects and reloads the open browser tab; an "
                                            "invalid edit shows its errors in the terminal and over the page, "
                                            "and the last good site stays served. Ctrl-C stops.")
    _site_options(serve)
    serve.add_argument("--port", type=int, default=8000, help="port on 127.0.0.1 (default: 8000)")
    serve.set_defaults(run=_serve)

    new = commands.add_parser("new", help="write a skeleton for the next measure of a source document",
                              description="Write content/measures/<source-id>/<NN>.yaml for the next number of "
                                          "that source, with the editor schema line and comments saying what "
                                          "each field wants, and print its path.")
    new.add_argument("source", metavar="SOURCE-ID", help="id of the source document, e.g. nansha-batch6")
    new.set_defaults(run=_new)

    review = commands.add_parser("review", help="write the conversion review report; add a reviewer's sign-offs",
                                 description="Write the conversion review into docs/review/: index.html lists "
                                             "every place where a Simplified character with more than one "
                                             "Traditional counterpart was converted, or where a region writes its "
                                             "own form, grouped by character and by choice, with its context in "
                                             "both scripts and what decided it (OpenCC, a regional form, an "
                                             "override); zh-hk.csv and zh-tw.csv hold the same decisions for a "
                                             "reviewer, who writes yes in their sign_off column. With --sign-off, "
                                             "add the rows signed off in such a CSV to content/review.yaml.")
    review.add_argument("--out", type=Path, default=ROOT / "docs" / "review", metavar="DIR",
                        help="where to write the report (default: docs/review/)")
    review.add_argument("--sign-off", type=Path, metavar="CSV", help="a review CSV with sign_off filled in")
    review.add_argument("--by", metavar="NAME", help="who reviewed (with --sign-off), e.g. a name or a role")
    review.set_defaults(run=_review)

    args = parser.parse_args(argv)
    try:
        return args.run(args)
    except KeyboardInterrupt:
        print(f"{args.command}: interrupted; nothing half-written was left in place", file=sys.stderr)
        return 130
    except OSError as error:  # the machine, not the content: a full disk, a permission, a vanished file
        where = f"{display_path(Path(error.filename))}: " if error.filename else ""
        print(f"{args.command}: error: {where}{(error.strerror or str(error)).lower()}", file=sys.stderr)
        return 1


def _site_options(command) -> None:
    command.add_argument("--out", type=Path, default=ROOT / "site", metavar="DIR",
                         help="where to write the site (default: site/)")
    command.add_argument("--base-url", metavar="URL",
                         help="address the site is published at, ending in / (default: base_url in "
                              "content/site.yaml); a bare path such as /handbook/ works too")
    command.add_argument("--verbose", action="store_true", help="also print a line per file read and written")


def _builder(args, keep_state: bool):
    from ..build.builder import Builder
    from ..build.progress import Progress
    from ..search.shards import PREVIEW_SHARD_SIZE

    from ..urls import base_url_problem

    problem = args.base_url and base_url_problem(args.base_url, path_allowed=True)
    if problem:
        print(f"error: --base-url {problem} (got {args.base_url!r})", file=sys.stderr)
        return None
    # --verbose reports every file, which needs them all rendered in this process. A kept builder
    # (serve) cuts the search index into bundles, so that an edit re-indexes one.
    return Builder(ROOT, args.content, args.out, args.base_url, Progress(verbose=args.verbose),
                   keep_state=keep_state, workers=1 if args.verbose else None,
                   shard_size=PREVIEW_SHARD_SIZE if keep_state else None)


def _build(args) -> int:
    from ..files import OutputError
    from ..search.pagefind import SearchIndexError

    builder = _builder(args, keep_state=False)
    if builder is None:
        return 2
    started = time.perf_counter()
    try:
        report = builder.build()
    except ContentError as error:
        print(error.report(), file=sys.stderr)
        print("build: stopped; the previous site is unchanged", file=sys.stderr)
        return 1
    except (SearchIndexError, OutputError) as error:
        print(f"build: error: {error}\nbuild: stopped; the previous site is unchanged", file=sys.stderr)
        return 1
    if report.warnings:
        print(warnings_report(report.warnings), file=sys.stderr)
    print(f"built {display_path(args.out)}/ in {time.perf_counter() - started:.2f} s")
    return 0


def _serve(args) -> int:
    from .devserver import serve_and_watch
    from ..files import OutputError
    from ..urls import Urls

    builder = _builder(args, keep_state=True)
    if builder is None:
        return 2
    prefix = Urls(args.base_url or _base_url(args.content)).prefix
    try:
        serve_and_watch(builder, ROOT, prefix, args.port)
    except OutputError as error:  # another build is writing the folder, or it is an input
        print(f"serve: error: {error}", file=sys.stderr)
        return 1
    except OSError as error:
        print(f"serve: error: cannot serve on 127.0.0.1:{args.port}: {error.strerror}\n"
              f"  hint: another server may be running; try --port {args.port + 1}", file=sys.stderr)
        return 2
    return 0


def _base_url(content_dir: Path) -> str:
    """base_url from site.yaml, before the first build (which may fail) has checked it."""
    from ..files import UnreadableFile, read_regular
    from ..urls import base_url_problem
    from ..content.yamlfile import MAX_BYTES, parse_yaml

    try:
        document, _ = parse_yaml(read_regular(content_dir / "site.yaml", MAX_BYTES), "site.yaml")
    except UnreadableFile:
        return "/"  # the build says why
    value = document.value.get("base_url") if document and isinstance(document.value, dict) else None
    return value if isinstance(value, str) and not base_url_problem(value) else "/"


def _new(args) -> int:
    from ..seeds.scaffold import ScaffoldError, new_measure

    try:
        path = new_measure(args.content, args.source)
    except ScaffoldError as error:
        print(f"new: error: {error}", file=sys.stderr)
        return 1
    print(display_path(path))
    return 0


def _check(args) -> int:
    from ..content.checks import check_content

    started = time.perf_counter()
    try:
        handbook = check_content(args.content, workers=os.cpu_count() or 1)
    except ContentError as error:
        print(error.report(), file=sys.stderr)
        return 1
    if handbook.warnings:
        print(warnings_report(handbook.warnings), file=sys.stderr)
    content = handbook.content
    print(f"check: {len(content.measures)} measures, {len(content.sources)} sources, {len(content.units)} units, "
          f"{len(content.topics)} topics: all valid ({time.perf_counter() - started:.2f} s)")
    return 0


def _import(args) -> int:
    from ..seeds.importer import ImportFailure, import_seeds

    try:
        result = import_seeds(ROOT, args.content, force=args.force)
    except ImportFailure as failure:
        print(f"import-seeds: error: {failure}\nnothing was written", file=sys.stderr)
        return 1
    folder = display_path(args.content)
    for relative in result.refused:
        print(f"{folder}/{relative}: error: changed since it was imported; not overwritten\n"
              f"  hint: keep your edit, or run `python build.py import-seeds --force` to replace it "
              f"(topics are kept)", file=sys.stderr)
    if result.refused:
        print(f"import-seeds: {len(result.refused)} file(s) changed by hand; nothing was written", file=sys.stderr)
        return 1
    print(f"import-seeds: {len(result.written)} written, {len(result.unchanged)} unchanged in {folder}/")
    return 0


def _review(args) -> int:
    import datetime

    from ..content.checks import check_content
    from ..content.load import REVIEW_FILE, load
    from ..convert.converter import Converter
    from ..files import write_atomic
    from ..site.render import environment
    from ..convert.review import (Reviewer, csv_report, grouped_for_report, sign_off_entries, signed_from_csv, summaries,
                         with_sign_offs)
    from ..editions import EDITIONS

    if args.sign_off and not args.by:
        print("review: error: --sign-off needs --by NAME (who reviewed)", file=sys.stderr)
        return 2
    try:
        check_content(args.content)
    except ContentError as error:
        print(error.report(), file=sys.stderr)
        print("review: fix the content first", file=sys.stderr)
        return 1
    loaded = load(args.content)
    converters = {v.code: Converter(v, loaded.conversion) for v in EDITIONS if v.converted}
    found = Reviewer().decisions(loaded, converters, loaded.review)
    if args.sign_off:
        try:
            signed = signed_from_csv(args.sign_off.read_text(encoding="utf-8-sig"))
        except (OSError, UnicodeDecodeError, ValueError) as error:
            print(f"review: error: {display_path(args.sign_off)}: {error}", file=sys.stderr)
            return 1
        entries, stale = sign_off_entries(found, signed)
        for code, count in sorted(stale.items()):
            print(f"review: {code or '(no edition)'}: {count} signed row(s) name no decision of the content (the "
                  "text around them changed since the report): not added; review them again", file=sys.stderr)
        path = args.content / REVIEW_FILE
        write_atomic(path, with_sign_offs(path.read_text(encoding="utf-8"), entries, args.by,
                                          datetime.date.today().isoformat()).encode())
        print(f"review: {sum(map(len, entries.values()))} decision(s) signed off in {display_path(path)}")
        loaded = load(args.content)
        found = Reviewer().decisions(loaded, converters, loaded.review)
    summary = sorted(summaries(found).items())
    env = environment(ROOT / "templates")
    files = {"index.html": env.get_template("review-report.html").render(summary=summary, groups=grouped_for_report(found))}
    files.update({f"{code}.csv": csv_report(found, code) for code in converters})
    for name, text in files.items():
        write_atomic(args.out / name, text.encode())
    for code, s in summary:
        print(f"review: {code}: {s.places} places, {s.decisions} decisions, {s.reviewed} reviewed")
    print(f"review: wrote {display_path(args.out)}/ ({', '.join(files)})")
    return 0

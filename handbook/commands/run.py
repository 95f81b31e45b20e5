"""What each command of `build.py` does: the command line (cli.py) parses, these run.

Each takes the parsed arguments (with `root`, the project folder) and returns
the exit code: 0 success, 1 content or machine errors (said in one located
line each), 2 usage errors.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

from ..diagnostics import ContentError, display_path, warnings_report


def _builder(args, keep_state: bool, pdf: bool = False):
    from ..build.builder import Builder
    from ..build.progress import Progress
    from ..search.shards import PREVIEW_SHARD_SIZE, PUBLISHED_SHARD_SIZE

    from ..urls import base_url_problem

    problem = args.base_url and base_url_problem(args.base_url, path_allowed=True)
    if problem:
        print(f"error: --base-url {problem} (got {args.base_url!r})", file=sys.stderr)
        return None
    # --verbose reports every file, which needs them all rendered in this process. A kept builder
    # (serve) cuts the search index into bundles, so that an edit re-indexes one; a published build
    # only past PUBLISHED_SHARD_SIZE measures, to bound Pagefind's memory.
    return Builder(args.root, args.content, args.out, args.base_url, Progress(verbose=args.verbose),
                   keep_state=keep_state, workers=1 if args.verbose else None,
                   shard_size=PREVIEW_SHARD_SIZE if keep_state else PUBLISHED_SHARD_SIZE, pdf=pdf)


def build(args) -> int:
    from ..files import OutputError
    from ..pdf.engine import PdfError
    from ..search.pagefind import SearchIndexError

    builder = _builder(args, keep_state=False, pdf=args.pdf)
    if builder is None:
        return 2
    started = time.perf_counter()
    try:
        report = builder.build()
    except ContentError as error:
        print(error.report(), file=sys.stderr)
        print("build: stopped; the previous site is unchanged", file=sys.stderr)
        return 1
    except (SearchIndexError, OutputError, PdfError) as error:
        print(f"build: error: {error}\nbuild: stopped; the previous site is unchanged", file=sys.stderr)
        return 1
    if report.warnings:
        print(warnings_report(report.warnings), file=sys.stderr)
    print(f"built {display_path(args.out)}/ in {time.perf_counter() - started:.2f} s")
    return 0


def serve(args) -> int:
    from .devserver import serve_and_watch
    from ..files import OutputError
    from ..urls import Urls

    taken = _port_taken(args.port)  # said now, not after a whole build
    if taken:
        print(f"serve: error: cannot serve on 127.0.0.1:{args.port}: {taken}\n"
              f"  hint: another server may be running; try --port {args.port % 65535 + 1}", file=sys.stderr)
        return 2
    builder = _builder(args, keep_state=True)
    if builder is None:
        return 2
    prefix = Urls(args.base_url or _base_url(args.content)).prefix
    try:
        serve_and_watch(builder, args.root, prefix, args.port)
    except OutputError as error:  # another build is writing the folder, or it is an input
        print(f"serve: error: {error}", file=sys.stderr)
        return 1
    except OSError as error:
        print(f"serve: error: cannot serve on 127.0.0.1:{args.port}: {error.strerror}\n"
              f"  hint: another server may be running; try --port {args.port + 1}", file=sys.stderr)
        return 2
    return 0


def _port_taken(port: int) -> str | None:
    """Why 127.0.0.1:port cannot be served on (in use, not allowed), or None."""
    import socket

    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the server will: a closed one's port is free
        try:
            probe.bind(("127.0.0.1", port))
        except OSError as error:
            return (error.strerror or str(error)).lower()
    return None


def _base_url(content_dir: Path) -> str:
    """base_url from site.yaml, before the first build (which may fail) has checked it."""
    from ..reading import UnreadableFile, read_regular
    from ..urls import base_url_problem
    from ..content.yamlfile import MAX_BYTES, parse_yaml

    try:
        document, _ = parse_yaml(read_regular(content_dir / "site.yaml", MAX_BYTES), "site.yaml")
    except UnreadableFile:
        return "/"  # the build says why
    value = document.value.get("base_url") if document and isinstance(document.value, dict) else None
    return value if isinstance(value, str) and not base_url_problem(value) else "/"


def new(args) -> int:
    from ..seeds.scaffold import ScaffoldError, new_measure

    try:
        path = new_measure(args.content, args.source)
    except ScaffoldError as error:
        print(f"new: error: {error}", file=sys.stderr)
        return 1
    print(display_path(path))
    return 0


def check(args) -> int:
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
    for code, s in handbook.translated:
        print(f"check: {code}: {s.translated} of {s.measures} measures translated, {s.untranslated} untranslated, "
              f"{s.stale} out of date, {s.warnings} translation warning{'s' * (s.warnings != 1)}")
    return 0


def translated(args) -> int:
    from ..content.stamp import StampError, stamp
    from ..editions import EDITIONS

    try:
        written = stamp(args.content, args.ids, EDITIONS)
    except StampError as error:
        print(f"translated: error: {error}", file=sys.stderr)
        return 1
    for path in written:
        print(display_path(path))
    return 0


def import_seeds(args) -> int:
    from ..seeds.importer import ImportFailure, import_seeds

    try:
        result = import_seeds(args.root, args.content, force=args.force)
    except ImportFailure as failure:
        print(f"import-seeds: error: {failure}\nnothing was written", file=sys.stderr)
        return 1
    folder = display_path(args.content)
    for relative in result.refused:
        print(f"{folder}/{relative}: error: changed since it was imported; not overwritten\n"
              f"  hint: keep your edit, or run `python3 build.py import-seeds --force` to replace it "
              f"(topics are kept)", file=sys.stderr)
    if result.refused:
        print(f"import-seeds: {len(result.refused)} file(s) changed by hand; nothing was written", file=sys.stderr)
        return 1
    print(f"import-seeds: {len(result.written)} written, {len(result.unchanged)} unchanged in {folder}/")
    return 0


def review(args) -> int:
    import datetime

    from ..content.checks import check_content
    from ..content.load import REVIEW_FILE, load
    from ..convert.converter import Converter
    from ..files import write_atomic
    from ..site.render import environment
    from ..convert.review import Reviewer, summaries
    from ..convert.signoff import csv_report, grouped_for_report, sign_off_entries, signed_from_csv, with_sign_offs

    if args.sign_off and not args.by:
        print("review: error: --sign-off needs --by NAME (who reviewed)", file=sys.stderr)
        return 2
    try:
        handbook = check_content(args.content)
    except ContentError as error:
        print(error.report(), file=sys.stderr)
        print("review: fix the content first", file=sys.stderr)
        return 1
    loaded = load(args.content)
    converters = {v.code: Converter(v, loaded.conversion) for v in handbook.editions if v.converted}
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
    env = environment(args.root / "templates")
    files = {"index.html": env.get_template("review-report.html").render(summary=summary, groups=grouped_for_report(found))}
    files.update({f"{code}.csv": csv_report(found, code) for code in converters})
    for name, text in files.items():
        write_atomic(args.out / name, text.encode())
    for code, s in summary:
        print(f"review: {code}: {s.places} places, {s.decisions} decisions, {s.reviewed} reviewed")
    print(f"review: wrote {display_path(args.out)}/ ({', '.join(files)})")
    return 0

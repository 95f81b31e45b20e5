"""Command line: `python build.py <command>`.

Exit codes: 0 success, 1 content errors (the diagnostics say what and
where), 2 usage errors. Nothing a content file can contain produces a
Python traceback.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from .diagnostics import ContentError, display_path

ROOT = Path(__file__).resolve().parent.parent


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
                                description="Check content/, convert it to each script variant, render every "
                                            "page and write the site into site/ (atomically: a failed build "
                                            "leaves the previous site in place).")
    _site_options(build)
    build.set_defaults(run=_build)

    serve = commands.add_parser("serve", help="build the site and serve it on http://127.0.0.1:8000",
                                description="Build the site, then serve it on 127.0.0.1 under the path of the "
                                            "base URL until interrupted.")
    _site_options(serve)
    serve.add_argument("--port", type=int, default=8000, help="port on 127.0.0.1 (default: 8000)")
    serve.set_defaults(run=_serve)

    args = parser.parse_args(argv)
    return args.run(args)


def _site_options(command) -> None:
    command.add_argument("--out", type=Path, default=ROOT / "site", metavar="DIR",
                         help="where to write the site (default: site/)")
    command.add_argument("--base-url", metavar="URL",
                         help="address the site is published at, ending in / (default: base_url in content/site.yaml); "
                              "a bare path such as /handbook/ works too")


def _build(args) -> int:
    from .builder import build
    from .search import SearchIndexError

    if args.base_url and not args.base_url.endswith("/"):
        print(f"build: error: --base-url must end in / (got {args.base_url})", file=sys.stderr)
        return 2
    try:
        report = build(ROOT, args.content, args.out, args.base_url)
    except ContentError as error:
        print(error.report(), file=sys.stderr)
        print("build: stopped; the previous site is unchanged", file=sys.stderr)
        return 1
    except SearchIndexError as error:
        print(f"build: error: {error}\nbuild: stopped; the previous site is unchanged", file=sys.stderr)
        return 1
    for name, seconds, what in report.stages:
        print(f"{name:<8} {seconds * 1000:7.0f} ms  {what}")
    args.built_for = report.base_url
    return 0


def _serve(args) -> int:
    from .serve import make_server
    from .urls import Urls

    code = _build(args)
    if code:
        return code
    prefix = Urls(args.built_for).prefix
    server = make_server(args.out, prefix, args.port, quiet=False)
    print(f"serving {display_path(args.out)}/ at http://127.0.0.1:{server.server_port}{prefix} (Ctrl-C stops)")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0



def _check(args) -> int:
    from .checks import check_content

    started = time.perf_counter()
    try:
        content = check_content(args.content).content
    except ContentError as error:
        print(error.report(), file=sys.stderr)
        return 1
    print(f"check: {len(content.measures)} measures, {len(content.sources)} sources, {len(content.units)} units, "
          f"{len(content.topics)} topics: all valid ({time.perf_counter() - started:.2f} s)")
    return 0


def _import(args) -> int:
    from .importer import ImportFailure, import_seeds

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

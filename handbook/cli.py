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

    args = parser.parse_args(argv)
    return args.run(args)


def _check(args) -> int:
    from .checks import check_content

    started = time.perf_counter()
    try:
        content = check_content(args.content)
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

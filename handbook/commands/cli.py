"""Command line: `python3 build.py <command>`.

Exit codes: 0 success, 1 content errors (the diagnostics say what and
where), 2 usage errors. Nothing a content file can contain produces a
Python traceback.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..diagnostics import display_path
from . import run

ROOT = Path(__file__).resolve().parents[2]


EXIT_CODES = ("exit codes: 0 done (check: all valid), 1 the content has errors (the messages say where), "
              "2 a usage error (an unknown option, a port in use). Through make, any failure is make's own 2.")


def parser() -> argparse.ArgumentParser:
    """Every command and option, declared in one place in the order `--help` shows them (long only
    because each command's help text is written out here)."""
    parser = argparse.ArgumentParser(
        prog="python3 build.py",
        description="Build the Guangzhou reform-measures handbook from content/.",
        epilog=EXIT_CODES,
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {_version()}")
    _content_option(parser, ROOT / "content")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    _command(commands, run.check, "check", help="validate every content file and report all problems",
             description="Validate content/: schemas, references between files, and the "
                         "official text against seeds/. Prints every problem as "
                         "path:line:col: error: field: message, with a hint.",
             epilog=EXIT_CODES)

    imp = _command(commands, run.import_seeds, "import-seeds", help="write content/ from the seed documents in seeds/",
                   description="Import seeds/ into content/: one file per source document and "
                               "per measure, and units.yaml. Safe to run again: existing files "
                               "that match are left alone, editorial fields are kept, and files "
                               "a maintainer changed are not overwritten unless --force is given.")
    imp.add_argument("--force", action="store_true",
                     help="overwrite files that differ from the seeds (editorial fields are still kept)")

    build = _command(commands, run.build, "build", help="build the site into site/",
                     description="Check content/, convert it to each edition, render every "
                                 "page, write the site into site/ and index it for search. Atomic: "
                                 "a failed build leaves the previous site in place. Prints one line "
                                 "per stage with its time and counts.")
    _site_options(build)
    build.add_argument("--pdf", action="store_true",
                       help="also make each edition's PDFs (a measure, a source document, the whole handbook; "
                            "docs/pdf.md), which the pages then link; needs `make pdf-deps`")

    serve = _command(commands, run.serve, "serve",
                     help="build, serve on http://127.0.0.1:8000, rebuild on every change",
                     description="Build the site and serve it on 127.0.0.1 under the path of the "
                                 "base URL. Watches content/, templates/ and static/: every change "
                                 "rebuilds what it affects and reloads the open browser tab; an "
                                 "invalid edit shows its errors in the terminal and over the page, "
                                 "and the last good site stays served. Ctrl-C stops.")
    _site_options(serve)
    serve.add_argument("--port", type=port, default=8000, help="port on 127.0.0.1, 1 to 65535, 0 for any free one (default: 8000)")

    new = _command(commands, run.new, "new", help="write a skeleton for the next measure of a source document",
                   description="Write content/measures/<source-id>/<NN>.yaml for the next number of "
                               "that source, with the editor schema line and comments saying what "
                               "each field wants, and print its path.")
    new.add_argument("source", metavar="SOURCE-ID", help="id of the source document, e.g. nansha-batch6")

    translated = _command(commands, run.translated, "translated",
                          help="record that measures' translations match their Chinese as it is now",
                          description="After translating a measure, or updating a translation that check "
                                      "says is out of date, record the digest of the measure's current Chinese "
                                      "in its translation files (translated_from), so check knows the "
                                      "translation was made from it.")
    translated.add_argument("ids", nargs="+", metavar="MEASURE-ID", help="e.g. nansha-batch6-07")

    review = _command(commands, run.review, "review",
                      help="write the conversion review report; add a reviewer's sign-offs",
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

    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the command `argv` names; its exit code. The machine's errors (a full disk, a permission)
    are one line, never a traceback."""
    args = parser().parse_args(argv)
    args.root = ROOT  # read now: a test may point ROOT at another project
    try:
        return args.run(args)
    except KeyboardInterrupt:
        print(f"{args.command}: interrupted; nothing half-written was left in place", file=sys.stderr)
        return 130
    except OSError as error:  # the machine, not the content: a full disk, a permission, a vanished file
        where = f"{display_path(Path(error.filename))}: " if error.filename else ""
        print(f"{args.command}: error: {where}{(error.strerror or str(error)).lower()}", file=sys.stderr)
        return 1


def _command(commands, run_it, name: str, **texts) -> argparse.ArgumentParser:
    """A subcommand that runs `run_it(args)`; `texts`: its help line and description. --content is
    taken before or after the command's name (`build.py check --content DIR` works too)."""
    command = commands.add_parser(name, **texts)
    command.set_defaults(run=run_it)
    _content_option(command, argparse.SUPPRESS)
    return command


def _content_option(parser: argparse.ArgumentParser, default) -> None:
    parser.add_argument("--content", type=Path, default=default, metavar="DIR",
                        help="content folder (default: content/ of this project)")


def port(value: str) -> int:
    """A TCP port, said to be wrong before anything is built."""
    if not value.isdigit() or not 0 <= int(value) <= 65535:
        raise argparse.ArgumentTypeError(f"{value!r} is not a port: give a number from 1 to 65535, such as 8000 "
                                         "(0: any free port)")
    return int(value)


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("handbook")
    except PackageNotFoundError:  # run from a checkout that was never installed
        return "(not installed)"


def _site_options(command) -> None:
    command.add_argument("--out", type=Path, default=ROOT / "site", metavar="DIR",
                         help="where to write the site (default: site/)")
    command.add_argument("--base-url", metavar="URL",
                         help="address the site is published at, ending in / (default: base_url in "
                              "content/site.yaml); a bare path such as /handbook/ works too")
    command.add_argument("--verbose", action="store_true", help="also print a line per file read and written")

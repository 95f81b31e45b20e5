#!/usr/bin/env python3
"""Entry point: `python3 build.py --help` lists the commands.

Run with any Python 3.11: outside the project's virtual environment it runs
itself again inside it (.venv, made by `make setup`), and says how to make
one when there is none, instead of failing on a missing package.
"""

import os
import sys
from pathlib import Path

VENV = Path(__file__).resolve().parent / ".venv"
VENV_PYTHON = VENV / "bin" / "python"


def _in_environment() -> bool:
    try:
        import jinja2, markdown_it, opencc, yaml  # noqa: F401, E401
    except ModuleNotFoundError:
        return False
    return True


if __name__ == "__main__":
    if not _in_environment():
        if VENV_PYTHON.exists() and Path(sys.prefix).resolve() != VENV.resolve():  # not yet inside it
            os.execv(VENV_PYTHON, [str(VENV_PYTHON), __file__, *sys.argv[1:]])
        print("build.py: the project's packages are not installed here.\n"
              "  hint: run `make setup` once (it makes .venv), then run this command again;\n"
              "        or use the make targets: make check, make build, make serve, make test", file=sys.stderr)
        sys.exit(2)
    from handbook.commands.cli import main

    sys.exit(main())

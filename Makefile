# The two commands a newcomer needs are in README.md. Every target installs
# what it needs first (a virtual environment in .venv with pinned packages),
# so nothing has to be installed by hand on a fresh Debian with Python 3.11.

SHELL   := /bin/bash
PYTHON  ?= python3
VENV    ?= .venv
PY      := $(VENV)/bin/python
READY   := $(VENV)/.ready
SUDO    := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: setup check import test clean

setup: $(READY)

# Debian ships venv support in a separate package: install it when missing.
$(READY): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
	  || { echo "setup: Python 3.11 or newer is needed (found $$($(PYTHON) --version))"; exit 2; }
	@$(PYTHON) -m venv $(VENV) 2>/dev/null || { \
	  echo "setup: installing python3-venv"; rm -rf $(VENV); \
	  $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq python3-venv && \
	  $(PYTHON) -m venv $(VENV); }
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[test]'
	@touch $@

check: $(READY)
	$(PY) build.py check

import: $(READY)
	$(PY) build.py import-seeds

test: $(READY)
	$(PY) -m pytest

clean:
	rm -rf $(VENV) site .pytest_cache .hypothesis

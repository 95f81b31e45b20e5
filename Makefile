# The two commands a newcomer needs are in README.md. Every target installs
# what it needs first (a virtual environment in .venv with pinned packages),
# so nothing has to be installed by hand on a fresh Debian with Python 3.11.

SHELL   := /bin/bash
PYTHON  ?= python3
VENV    ?= .venv
PY      := $(VENV)/bin/python
READY   := $(VENV)/.ready
SUDO    := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: setup check import build serve test test-fast clean node-deps test-deps screenshots review lighthouse new translated

setup: $(READY) node-deps

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

build: $(READY) node-deps
	$(PY) build.py build

# Builds, then serves on http://127.0.0.1:8000 (PORT=8001 make serve for another port).
serve: $(READY) node-deps
	$(PY) build.py serve --port $(or $(PORT),8000)

import: $(READY)
	$(PY) build.py import-seeds

# The conversion review into docs/review/ (docs/review.md: how a reviewer signs it off).
review: $(READY)
	$(PY) build.py review

# Node packages from package-lock.json: Pagefind (the search index, so every
# build needs it) and axe-core (tests). npm ci runs only when node_modules is
# older than the lock file; Debian's nodejs and npm are installed if missing.
node-deps:
	@command -v npm >/dev/null || { echo "node-deps: installing nodejs npm"; \
	  $(SUDO) apt-get update -qq && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm; }
	@[ node_modules/.package-lock.json -nt package-lock.json ] || npm ci --no-audit --no-fund

# The browser tests (devtools/browser.py) drive Debian's Chromium (Playwright's
# own build is a download this network refuses) and check pages with vnu.jar
# (Java); the bench's test runs bench/run.py, which measures under GNU time.
# Noto CJK: wrapping, tap targets and headings are measured in the Chinese
# text as readers see it, not in the boxes of a machine without the font.
# apt-get update runs only when something is missing.
test-deps:
	@missing=; \
	  [ -x /usr/bin/chromium ] || missing+=" chromium"; \
	  command -v java >/dev/null || missing+=" default-jre-headless"; \
	  [ -x /usr/bin/time ] || missing+=" time"; \
	  fc-list :lang=zh 2>/dev/null | grep -q . || missing+=" fonts-noto-cjk"; \
	  if [ -n "$$missing" ]; then \
	    echo "test-deps: installing$$missing"; \
	    $(SUDO) apt-get update -qq && \
	    $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	  fi

test: $(READY) node-deps test-deps
	$(PY) -m pytest

# The tests that need no browser: a quick round while you work (make test runs everything).
test-fast: $(READY) node-deps test-deps
	$(PY) -m pytest -m "not browser"

# The next measure of a source document: make new SOURCE=nansha-batch6
new: $(READY)
	@[ -n "$(SOURCE)" ] || { echo "make new SOURCE=<source-id>, e.g. make new SOURCE=nansha-batch6"; exit 2; }
	$(PY) build.py new $(SOURCE)

# After translating: make translated IDS="nansha-batch6-07 nansha-batch6-08"
translated: $(READY)
	@[ -n "$(IDS)" ] || { echo 'make translated IDS="<measure-id> ..."'; exit 2; }
	$(PY) build.py translated $(IDS)

# Screenshots for the README: Chromium needs a CJK font to draw the pages.
screenshots: $(READY) node-deps test-deps
	$(PY) docs/make_screenshots.py

# Lighthouse scores of one page of each type in each edition, mobile and
# desktop (bench/lighthouse.py; ARGS="--types search --form-factor desktop").
# Lighthouse comes from bench/lighthouse/package-lock.json, apart from the
# site's own Node packages; npm ci runs only when it is newer than node_modules.
lighthouse: $(READY) node-deps test-deps
	@[ bench/lighthouse/node_modules/.package-lock.json -nt bench/lighthouse/package-lock.json ] \
	  || npm ci --prefix bench/lighthouse --no-audit --no-fund
	$(PY) bench/lighthouse.py $(ARGS)

clean:
	rm -rf $(VENV) node_modules site build .pytest_cache .hypothesis

# The two commands a newcomer needs are in README.md. Every target installs
# what it needs first, so nothing has to be installed by hand on a fresh Debian
# with Python 3.11: serving needs only the runtime packages, the tests add
# their own. Python packages come from the hashed lock files in requirements/
# (docs/dependencies.md: why pip-tools, and how to update them), Node packages
# from package-lock.json.

SHELL   := /bin/bash
PYTHON  ?= python3
VENV    ?= .venv
PY      := $(VENV)/bin/python
PIP     := $(PY) -m pip --quiet --disable-pip-version-check
RUNTIME := $(VENV)/.runtime
TESTING := $(VENV)/.testing
PDF     := $(VENV)/.pdf
SUDO    := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: setup check import build pdf pdf-deps pdf-debs serve test test-fast clean node-deps node-test-deps test-deps screenshots review lighthouse new translated lock

# What building and serving need; `make test` adds the test packages itself.
setup: $(RUNTIME) node-deps

# Debian ships venv support in a separate package: install it when missing.
# Every package, transitive ones included, is pinned with its hashes; the
# project itself goes in editable, built by the locked setuptools (no
# unhashed download into a build environment).
$(RUNTIME): requirements/runtime.txt pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' \
	  || { echo "setup: Python 3.11 or newer is needed (found $$($(PYTHON) --version))"; exit 2; }
	@[ -x $(PY) ] || $(PYTHON) -m venv $(VENV) 2>/dev/null || { \
	  echo "setup: installing python3-venv"; rm -rf $(VENV); \
	  $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq python3-venv && \
	  $(PYTHON) -m venv $(VENV); }
	$(PIP) install --require-hashes --no-deps -r requirements/runtime.txt
	$(PIP) install --no-deps --no-build-isolation -e .
	@touch $@

# The test packages (pytest, Playwright, the HTML checker, actionlint) and the PDF ones, on top of the runtime.
$(TESTING): requirements/test.txt $(RUNTIME)
	$(PIP) install --require-hashes --no-deps --no-build-isolation -r requirements/test.txt
	@touch $@

check: $(RUNTIME)
	$(PY) build.py check

build: $(RUNTIME) node-deps
	$(PY) build.py build

# The site with its PDFs (docs/pdf.md): what `build --pdf` needs, then the build.
pdf: pdf-deps node-deps
	$(PY) build.py build --pdf

# `build --pdf` needs WeasyPrint (requirements/pdf.txt) and, from Debian, what it lays out and
# embeds with: Pango, HarfBuzz's subsetter, and the Noto fonts (Noto CJK for Chinese, Noto Sans for
# English). Serving installs none of it.
pdf-deps: $(PDF) pdf-debs

$(PDF): requirements/pdf.txt $(RUNTIME)
	$(PIP) install --require-hashes --no-deps -r requirements/pdf.txt
	@touch $@

pdf-debs:
	@missing=; \
	  command -v fc-match >/dev/null || missing+=" fontconfig"; \
	  ldconfig -p | grep -q libpangoft2-1.0.so.0 || missing+=" libpangoft2-1.0-0"; \
	  ldconfig -p | grep -q libharfbuzz-subset.so.0 || missing+=" libharfbuzz-subset0"; \
	  fc-list ':family=Noto Sans CJK HK' 2>/dev/null | grep -q . || missing+=" fonts-noto-cjk"; \
	  fc-list ':family=Noto Sans' 2>/dev/null | grep -q . || missing+=" fonts-noto-core"; \
	  if [ -n "$$missing" ]; then \
	    echo "pdf-debs: installing$$missing"; \
	    $(SUDO) apt-get update -qq && \
	    $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	  fi

# Builds, then serves on http://127.0.0.1:8000 (PORT=8001 make serve for another port).
serve: $(RUNTIME) node-deps
	$(PY) build.py serve --port $(or $(PORT),8000)

import: $(RUNTIME)
	$(PY) build.py import-seeds

# The conversion review into docs/review/ (docs/review.md: how a reviewer signs it off).
review: $(RUNTIME)
	$(PY) build.py review

# Node packages from package-lock.json (integrity hashes for every file):
# node-deps installs Pagefind alone (every build needs it for the search
# index), node-test-deps adds axe-core, which the browser tests inject into
# pages. npm ci runs only when its marker is older than the lock file;
# Debian's nodejs and npm are installed if missing.
NPM_CI := npm ci --no-audit --no-fund

NEED_NPM := command -v npm >/dev/null || { echo "installing nodejs npm"; \
  $(SUDO) apt-get update -qq && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm; }

node-deps:
	@$(NEED_NPM)
	@[ node_modules/.runtime -nt package-lock.json ] || { $(NPM_CI) --omit=dev && touch node_modules/.runtime; }

node-test-deps:
	@$(NEED_NPM)
	@[ node_modules/.testing -nt package-lock.json ] \
	  || { $(NPM_CI) && touch node_modules/.runtime node_modules/.testing; }

# The browser tests (devtools/browser.py) drive Debian's Chromium (Playwright's
# own build is a download this network refuses) and check pages with vnu.jar
# (Java); the bench's test runs bench/run.py, which measures under GNU time.
# Noto CJK: wrapping, tap targets and headings are measured in the Chinese
# text as readers see it, not in the boxes of a machine without the font.
# The PDF tests read the PDFs with poppler-utils (pdftotext, pdffonts, pdfinfo,
# pdftoppm), after what building them needs (pdf-debs).
# apt-get update runs only when something is missing.
test-deps: pdf-debs
	@missing=; \
	  [ -x /usr/bin/chromium ] || missing+=" chromium"; \
	  command -v pdftotext >/dev/null || missing+=" poppler-utils"; \
	  command -v java >/dev/null || missing+=" default-jre-headless"; \
	  [ -x /usr/bin/time ] || missing+=" time"; \
	  fc-list :lang=zh 2>/dev/null | grep -q . || missing+=" fonts-noto-cjk"; \
	  if [ -n "$$missing" ]; then \
	    echo "test-deps: installing$$missing"; \
	    $(SUDO) apt-get update -qq && \
	    $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	  fi

# The tests run on every core (pytest-xdist), a file at a time per worker, so
# that the site and the browser a file shares are made once (WORKERS=0: all in
# one process).
WORKERS ?= auto
PYTEST  := $(PY) -m pytest -n $(WORKERS) --dist loadfile

test: $(TESTING) node-test-deps test-deps
	$(PYTEST)

# The tests that need no browser: a quick round while you work (make test runs everything).
test-fast: $(TESTING) node-test-deps test-deps
	$(PYTEST) -m "not browser"

# The next measure of a source document: make new SOURCE=nansha-batch6
new: $(RUNTIME)
	@[ -n "$(SOURCE)" ] || { echo "make new SOURCE=<source-id>, e.g. make new SOURCE=nansha-batch6"; exit 2; }
	$(PY) build.py new $(SOURCE)

# After translating: make translated IDS="nansha-batch6-07 nansha-batch6-08"
translated: $(RUNTIME)
	@[ -n "$(IDS)" ] || { echo 'make translated IDS="<measure-id> ..."'; exit 2; }
	$(PY) build.py translated $(IDS)

# Screenshots for the README: Chromium needs a CJK font to draw the pages.
screenshots: $(TESTING) node-test-deps test-deps
	$(PY) docs/make_screenshots.py

# Lighthouse scores of one page of each type in each edition, mobile and
# desktop (bench/lighthouse.py; ARGS="--types search --form-factor desktop").
# Lighthouse comes from bench/lighthouse/package-lock.json, apart from the
# site's own Node packages; npm ci runs only when it is newer than node_modules.
lighthouse: $(TESTING) node-test-deps test-deps
	@[ bench/lighthouse/node_modules/.package-lock.json -nt bench/lighthouse/package-lock.json ] \
	  || npm ci --prefix bench/lighthouse --no-audit --no-fund
	$(PY) bench/lighthouse.py $(ARGS)

# Re-resolve the lock files after a pin in pyproject.toml changed (UPGRADE=1
# also moves the transitive packages to their newest releases). pip-tools runs
# in a throwaway environment, so the handbook's own never carries it.
LOCK_VENV := build/lock-venv
COMPILE   := $(LOCK_VENV)/bin/pip-compile --quiet --generate-hashes --allow-unsafe --strip-extras \
             --no-emit-index-url --no-emit-find-links --no-emit-trusted-host \
             --build-deps-for editable $(if $(UPGRADE),--upgrade)

lock:
	@[ -x $(LOCK_VENV)/bin/pip-compile ] || { $(PYTHON) -m venv $(LOCK_VENV) && \
	  $(LOCK_VENV)/bin/pip install --quiet --disable-pip-version-check pip-tools==7.7.0; }
	$(COMPILE) -o requirements/runtime.txt pyproject.toml
	$(COMPILE) --extra pdf -c requirements/runtime.txt -o requirements/pdf.txt pyproject.toml
	$(COMPILE) --extra pdf --extra test -c requirements/runtime.txt -c requirements/pdf.txt \
	  -o requirements/test.txt pyproject.toml

clean:
	rm -rf $(VENV) node_modules site build .pytest_cache .hypothesis

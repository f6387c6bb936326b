# Two commands do everything: `make site` and `make test`. Each sets itself up.
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip --disable-pip-version-check -q
# Dated files (sitemap) take the last commit's time, so two builds match byte for byte.
export SOURCE_DATE_EPOCH ?= $(shell git log -1 --format=%ct 2>/dev/null || echo 0)
# Material 9.8 prints an end-of-life banner on every build; it is not ours to act on.
export NO_MKDOCS_2_WARNING := 1

# The generator: MkDocs with Material (the default), or Zensical, its successor (issue 15):
# `make site ENGINE=zensical`, `make test ENGINE=zensical`. Both come from requirements.txt.
ENGINE ?= mkdocs
BUILD_mkdocs := $(VENV)/bin/mkdocs build --strict --site-dir .site-new
BUILD_zensical := $(PY) hooks/zensical_build.py --site-dir .site-new
ifeq ($(filter $(ENGINE),mkdocs zensical),)
$(error ENGINE must be mkdocs or zensical, not '$(ENGINE)')
endif

.PHONY: site serve test bench audit pictures setup setup-test check clean messages

site: $(VENV)/.built
	@rm -rf .site-new
	$(BUILD_$(ENGINE))
	@# Swap in the new site only once it is complete: a failed build keeps the old one.
	@rm -rf .site-old; [ ! -d site ] || mv site .site-old; mv .site-new site; rm -rf .site-old
	@echo "The site is in $(CURDIR)/site/ (open site/index.html, or run 'make serve')."

# The preview's site is a temporary folder that MkDocs empties and writes again on every save
# (about 1,000 files at 300 exercises). Where /dev/shm is writable (Linux) that folder is kept in
# memory: on the build machine a new file takes 0.9 ms to create on disk and 0.02 ms there, which
# was half of a rebuild at 300 exercises. MkDocs removes the folder when the preview stops.
SERVE_TMPDIR := $(shell [ -d /dev/shm ] && [ -w /dev/shm ] && echo /dev/shm)
SERVE_ADDR ?= 127.0.0.1:8000

serve: $(VENV)/.built
	$(if $(SERVE_TMPDIR),TMPDIR=$(SERVE_TMPDIR) )$(VENV)/bin/mkdocs serve --strict --dev-addr $(SERVE_ADDR)

check: $(VENV)/.built
	$(VENV)/bin/exercise-guide check

# The templates' words for translators (issue 26): extract them from the templates into
# messages.pot and add the new ones to each language's messages.po (then translate those).
LOCALES := hooks/exercise_guide/pages/locales
messages: $(VENV)/.built
	$(VENV)/bin/pybabel extract -F babel.cfg --no-location --omit-header -o $(LOCALES)/messages.pot .
	$(VENV)/bin/pybabel update -i $(LOCALES)/messages.pot -d $(LOCALES)

test: $(VENV)/.tested
	EXERCISE_GUIDE_ENGINE=$(ENGINE) $(VENV)/bin/python -m pytest $(PYTEST_ARGS)

bench: $(VENV)/.built
	$(PY) bench/build_bench.py
	$(PY) bench/engine_bench.py

# Lighthouse (pinned in package.json and package-lock.json) through Debian's Chromium, on the
# built site: a table of scores, median of 3 runs. A script, not a test: timings are noisy.
audit: site node_modules/.installed
	$(PY) bench/audit.py

# Screenshots (375 px, 1280 px, the printout) and a contact sheet of every exercise's pictures, in
# test-artifacts/, for a person to look at before saying a change is done (bench/pictures.py).
pictures: site $(VENV)/.tested
	$(PY) bench/pictures.py

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	@touch $@

setup: $(VENV)/.built
setup-test: $(VENV)/.tested

$(VENV)/.built: requirements.txt pyproject.toml
	@[ -x $(PY) ] || python3 -m venv $(VENV)
	$(PIP) install -r requirements.txt
	$(PIP) install --no-deps --no-build-isolation -e .
	@touch $@

$(VENV)/.tested: $(VENV)/.built requirements-test.txt tests/install_browser.sh
	$(PIP) install -r requirements-test.txt
	PYTHON=$(PY) bash tests/install_browser.sh
	@touch $@

clean:
	rm -rf site .site-new .site-old .zensical .zensical.lock test-artifacts node_modules

# JIM-training: the two commands a newcomer needs are `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PORT   ?= 5000
export FLASK_APP := app
# compose.yaml reads its secrets from .env; Flask must not load that file into a development server or the tests
# (python-dotenv comes with the test tools).
export FLASK_SKIP_DOTENV := 1

TRANSLATIONS := jimtraining/translations
PO_FILES := $(wildcard $(TRANSLATIONS)/*/LC_MESSAGES/messages.po)
MO_FILES := $(PO_FILES:.po=.mo)

.PHONY: run dev prepare test test-browser lint check-content messages translations clean help bench screenshots

help:
	@echo "make run     - install, migrate, load modules/, add demo data, serve http://127.0.0.1:$(PORT) (gunicorn + jobs worker)"
	@echo "make dev     - the same, served by Flask's development server with the reloader (jobs run in a worker too)"
	@echo "make test    - the whole test suite (PostgreSQL and browser tests when available)"
	@echo "make bench   - load test at ten times national scale (PostgreSQL too with BENCH_DATABASE_URL)"
	@echo "make screenshots - every page of every demo role at 390x844 and 1280x900, as PNGs in screenshots/"
	@echo "make lint    - ruff, and the import rules of docs/ARCHITECTURE.md (lint-imports)"
	@echo "make messages - extract UI strings and update the catalogs in $(TRANSLATIONS)"

$(VENV)/.python-ok:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed (found %s)" % sys.version.split()[0])'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	@touch $@

$(VENV)/.deps-run: requirements.txt $(VENV)/.python-ok
	$(BIN)/pip install --quiet -r requirements.txt
	@touch $@

$(VENV)/.deps-dev: requirements-dev.txt requirements.txt $(VENV)/.deps-run
	$(BIN)/pip install --quiet -r requirements-dev.txt
	@touch $@

$(VENV)/.deps-bench: requirements-bench.txt $(VENV)/.deps-dev
	$(BIN)/pip install --quiet -r requirements-bench.txt
	@touch $@

%.mo: %.po $(VENV)/.deps-run
	$(BIN)/pybabel compile --statistics -i $< -o $@

translations: $(MO_FILES)

prepare: $(VENV)/.deps-run translations
	$(BIN)/flask db upgrade
	$(BIN)/flask content sync
	$(BIN)/flask demo seed

# gunicorn (gunicorn.conf.py, WEB_CONCURRENCY workers, 3 unless set) and the jobs worker beside it, one command:
# Ctrl-C stops both, and when one stops the other is stopped too (jimtraining/serve.py).
run: prepare
	PORT=$(PORT) $(BIN)/python -m jimtraining.serve

# Flask's development server with the reloader; the jobs worker runs beside it (stopped with it).
dev: prepare
	$(BIN)/flask jobs worker --workers 1 & worker=$$!; trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(BIN)/flask run --reload --host 127.0.0.1 --port $(PORT)

test: $(VENV)/.deps-dev translations
	tests/run-suite

# Builds its own data set in bench/work/ (and in BENCH_DATABASE_URL, whose public schema is rebuilt), serves it
# with gunicorn, loads every page with locust and writes bench/results.json. See README, "Performance".
bench: $(VENV)/.deps-bench translations
	$(BIN)/python -m bench.run

# Builds the demo in a temporary SQLite database, serves it and walks every page each demo role reaches (the
# crawler of tests/browser/test_every_page_in_browser.py) in Debian's Chromium: screenshots/<role>/<width>/<page>.png
screenshots: $(VENV)/.deps-dev translations
	$(BIN)/python -m tests.browser.screenshots

lint: $(VENV)/.deps-dev
	$(BIN)/ruff check jimtraining tests bench app.py
	$(BIN)/lint-imports --no-cache

check-content: $(VENV)/.deps-run
	$(BIN)/flask content check

messages: $(VENV)/.deps-run
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext -o $(TRANSLATIONS)/messages.pot --no-location --sort-output --omit-header .
	$(BIN)/pybabel update -i $(TRANSLATIONS)/messages.pot -d $(TRANSLATIONS) --no-fuzzy-matching --ignore-obsolete

clean:
	rm -rf $(VENV) .pytest_cache

# Security scanners; `make audit` runs both. bandit fails on high-severity findings and lists medium ones for
# information. pip-audit looks up every pinned version in PyPI's vulnerability data; with --strict a package it
# could not look up fails the run too, so "nothing found" never means "nothing checked" (see SECURITY.md).
.PHONY: audit bandit pip-audit

audit: bandit pip-audit

bandit: $(VENV)/.deps-dev
	@echo "== bandit: medium severity and up, for information (does not fail)"
	$(BIN)/bandit -r jimtraining -ll -q --exit-zero
	@echo "== bandit: high severity fails"
	$(BIN)/bandit -r jimtraining -lll -q

pip-audit: $(VENV)/.deps-dev
	@echo "== pip-audit: requirements.txt and requirements-dev.txt against PyPI's vulnerability data"
	@$(BIN)/pip-audit --strict --progress-spinner off --vulnerability-service pypi --no-deps --disable-pip \
		-r requirements.txt -r requirements-dev.txt \
	|| { echo "pip-audit failed: a pinned package has a known vulnerability, or (\"Dependency not found on"; \
	     echo "PyPI\") pip-audit could not reach PyPI's per-version JSON API for it. See SECURITY.md."; exit 1; }

# JIM-training: the two commands a newcomer needs are `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PORT   ?= 5000
export FLASK_APP := app

TRANSLATIONS := jimtraining/translations
PO_FILES := $(wildcard $(TRANSLATIONS)/*/LC_MESSAGES/messages.po)
MO_FILES := $(PO_FILES:.po=.mo)

.PHONY: run test test-browser lint check-content messages translations clean help

help:
	@echo "make run     - install, migrate, load modules/, add demo data, serve http://127.0.0.1:$(PORT)"
	@echo "make test    - the whole test suite (PostgreSQL and browser tests when available)"
	@echo "make lint    - ruff"
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

%.mo: %.po $(VENV)/.deps-run
	$(BIN)/pybabel compile --statistics -i $< -o $@

translations: $(MO_FILES)

run: $(VENV)/.deps-run translations
	$(BIN)/flask db upgrade
	$(BIN)/flask content sync
	$(BIN)/flask demo seed
	$(BIN)/flask run --host 127.0.0.1 --port $(PORT)

test: $(VENV)/.deps-dev translations
	tests/run-suite

lint: $(VENV)/.deps-dev
	$(BIN)/ruff check jimtraining tests app.py

check-content: $(VENV)/.deps-run
	$(BIN)/flask content check

messages: $(VENV)/.deps-run
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext -o $(TRANSLATIONS)/messages.pot --no-location --sort-output --omit-header .
	$(BIN)/pybabel update -i $(TRANSLATIONS)/messages.pot -d $(TRANSLATIONS) --no-fuzzy-matching --ignore-obsolete

clean:
	rm -rf $(VENV) .pytest_cache

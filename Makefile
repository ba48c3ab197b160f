# The README's commands. Each creates .venv and installs what it needs first; all are safe to
# run again (installs re-run only when a requirements file changes).

PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test test-wagtail74 test-install prod-stack test-stack dist check bench bench-load lint format assets install install-dev clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@ $(VENV)/.installed

# The same set with Wagtail 7.4 LTS, in a venv of its own.
VENV_WAGTAIL74 := .venv-wagtail74
BIN_WAGTAIL74 := $(VENV_WAGTAIL74)/bin

$(BIN_WAGTAIL74)/python:
	$(PYTHON) -m venv $(VENV_WAGTAIL74)
	$(BIN_WAGTAIL74)/pip install --quiet --upgrade pip

$(VENV_WAGTAIL74)/.installed-dev: requirements.txt requirements-dev.txt requirements-wagtail74.txt | $(BIN_WAGTAIL74)/python
	$(BIN_WAGTAIL74)/pip install --quiet -r requirements-dev.txt
	$(BIN_WAGTAIL74)/pip install --quiet -r requirements-wagtail74.txt
	$(BIN_WAGTAIL74)/pip check
	touch $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

## run: the demo site with demo content and logins on http://127.0.0.1:8000 (SQLite);
## HOST and PORT change the address, and the Site and the admin's e-mail links follow them
run: install
	$(MANAGE) migrate --no-input
	$(MANAGE) load_demo_data --demo-logins --address $(HOST):$(PORT)
	$(MANAGE) load_consent_demo --demo-logins --ad-script-url http://$(HOST):$(PORT)/_stub/tags/ads.js
	WAGTAILADMIN_BASE_URL=$${WAGTAILADMIN_BASE_URL:-http://$(HOST):$(PORT)} $(MANAGE) runserver $(HOST):$(PORT)

## test: the whole test suite (set DATABASE_URL to run it on PostgreSQL)
test: install-dev
	$(BIN)/pytest

## test-wagtail74: the suite on Wagtail 7.4 LTS, the oldest Wagtail the plugin supports, in a venv
## of its own (.venv-wagtail74), on SQLite; browser and install tests run only in `make test`
test-wagtail74: $(VENV_WAGTAIL74)/.installed-dev
	env -u DATABASE_URL $(BIN_WAGTAIL74)/pytest -m "not browser and not install and not stack"

## test-install: build the wheel and install it into fresh `wagtail start` sites on Wagtail 7.4
## and 8.0 with the README's settings (pip downloads from the package registry; minutes)
test-install: install-dev
	$(BIN)/pytest -m install tests/plugin

## prod-stack: the production-like stack on this machine until Ctrl-C: nginx (https://127.0.0.1/,
## static and media files, the page cache, purges) in front of two gunicorn servers, PostgreSQL
## and Redis; installs Debian's nginx when missing (config/stack/run.py)
prod-stack: install-dev
	$(BIN)/python -m config.stack.run

## test-stack: the tests that start that stack (files, caching, purges, two servers sharing Redis)
test-stack: install-dev
	$(BIN)/pytest -m stack tests/stack

## dist: the wheel and sdist in dist/, from a clean build/ (setuptools would ship files a
## checkout has since deleted)
dist: install-dev
	rm -rf build dist
	$(BIN)/python -m build

## check: formatting, lint, Django's checks, missing migrations, then the tests
check: install-dev
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .
	DJANGO_SETTINGS_MODULE=config.settings.test $(MANAGE) check
	DJANGO_SETTINGS_MODULE=config.settings.test $(MANAGE) makemigrations --check --dry-run
	DJANGO_SETTINGS_MODULE=config.settings.test $(MANAGE) build_consent_script --check
	$(MAKE) test

## bench: render times of the main pages against prebuilt bytes, side by side in one run
bench: install-dev
	DJANGO_SETTINGS_MODULE=config.settings.test $(BIN)/python -m tests.bench

## bench-load: the article through nginx, the page cache, rendered and prebuilt, side by side (wrk);
## then 32 readers (10% posting consent decisions) for LOAD_SECONDS (30), and again with Redis
## stopped and a worker killed; gunicorn on 127.0.0.1:LOAD_PORT (8099), a throwaway SQLite file
## (or PostgreSQL with DATABASE_URL); fails on a failed or lost decision, a 5xx, or an error
bench-load: install-dev
	DJANGO_SETTINGS_MODULE=config.settings.test $(BIN)/python -m tests.load

## assets: rebuild consent.min.js after editing consent/static/consent/consent.js
assets: install-dev
	DJANGO_SETTINGS_MODULE=config.settings.test $(MANAGE) build_consent_script

format: install-dev
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) $(VENV_WAGTAIL74) build dist db.sqlite3 var .pytest_cache .ruff_cache

# Coalition Portal. `make run` serves the demo; `make test` runs the whole suite.
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
PORT ?= 8000
AXE := node_modules/axe-core/axe.min.js

.PHONY: run test setup setup-dev serve totp lint format messages clean lock upgrade

$(PY):
	python3 -m venv $(VENV)

# Installs come from the locks in requirements/ (every package pinned, with its hashes), never
# from pyproject.toml's ranges: a fresh machine gets exactly what CI tested. The portal runs from
# the working tree, so the project itself is not installed into the environment.
PIP_INSTALL := $(PY) -m pip install --quiet --disable-pip-version-check --require-hashes --no-deps

$(VENV)/.installed-run: requirements/base.txt | $(PY)
	$(PIP_INSTALL) -r requirements/base.txt
	touch $@

$(VENV)/.installed-dev: requirements/dev.txt | $(PY)
	$(PIP_INSTALL) -r requirements/dev.txt
	touch $@ $(VENV)/.installed-run

lock: $(VENV)/.installed-dev ## after editing pyproject.toml: bring requirements/ in line, keeping pins
	scripts/lock.sh

upgrade: $(VENV)/.installed-dev ## move every locked package to the newest release pyproject allows
	scripts/lock.sh --upgrade
	$(MAKE) --no-print-directory $(VENV)/.installed-dev

$(AXE): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

setup: ## system packages, virtual environment, database, demo data
	scripts/system-deps.sh run
	$(MAKE) --no-print-directory $(VENV)/.installed-run
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_demo

run: setup ## serve the portal with demo data on http://127.0.0.1:$(PORT)
	@echo "Serving on http://127.0.0.1:$(PORT)/ (Ctrl-C to stop)"
	PORT=$(PORT) $(PY) manage.py runserver 127.0.0.1:$(PORT)

setup-dev:
	scripts/system-deps.sh test
	$(MAKE) --no-print-directory $(VENV)/.installed-dev $(AXE)

# The suite runs in parallel, one process per core and one more (pytest-xdist, `--dist load`
# keeps tests/conftest.py's order within each process): a browser test's process keeps less
# than a core busy (it waits on Chromium, Chromium on the live server), and the one more
# fills the gaps: on 2 cores 580 s -> 515 s (tests/README.md). PYTEST_WORKERS=0 runs it
# in one process.
PYTEST_WORKERS ?= $(shell echo $$(( $$(nproc) + 1 )))
test: setup-dev ## the whole suite (uses DATABASE_URL / REDIS_URL when set)
	$(PY) -m pytest -n $(PYTEST_WORKERS) --dist load $(PYTEST_ARGS)

totp: ## the current two-factor code of the demo staff accounts
	@$(PY) manage.py demo_totp

lint:
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format:
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

messages: ## extract and compile translations
	$(PY) manage.py makemessages -l fr -l de -l es -l ar --no-obsolete --ignore='.venv/*' --ignore='node_modules/*' --ignore='var/*'
	$(PY) manage.py compilemessages --ignore='.venv/*'

clean:
	rm -rf var/coalition.sqlite3* var/static

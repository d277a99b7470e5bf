# Coalition Portal. `make run` serves the demo; `make test` runs the whole suite.
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
PORT ?= 8000
AXE := node_modules/axe-core/axe.min.js

.PHONY: run test setup setup-dev serve totp lint format messages clean

$(PY):
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(VENV)/.installed-run: pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $@ $(VENV)/.installed-run

$(AXE): package.json
	npm install --no-audit --no-fund --no-package-lock --loglevel=error
	touch $@

setup: ## system packages, virtual environment, database, demo data
	scripts/system-deps.sh run
	$(MAKE) --no-print-directory $(VENV)/.installed-run
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_demo

run: setup ## serve the portal with demo data on http://127.0.0.1:$(PORT)
	@echo "Serving on http://127.0.0.1:$(PORT)/ (Ctrl-C to stop)"
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

setup-dev:
	scripts/system-deps.sh test
	$(MAKE) --no-print-directory $(VENV)/.installed-dev $(AXE)

test: setup-dev ## the whole suite (uses DATABASE_URL / REDIS_URL when set)
	$(PY) -m pytest $(PYTEST_ARGS)

totp: ## the current two-factor code of the demo staff accounts
	@$(PY) manage.py demo_totp

lint:
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format:
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

messages: ## extract and compile translations
	$(PY) manage.py makemessages -l fr --no-obsolete --ignore='.venv/*' --ignore='node_modules/*' --ignore='var/*'
	$(PY) manage.py compilemessages --ignore='.venv/*'

clean:
	rm -rf var/coalition.sqlite3* var/static

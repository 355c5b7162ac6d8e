# Two commands for a newcomer: `make run` and `make test` (Python 3.11+).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test lint install test-install migrate demo serve-lan settings-doc events-doc clean

UV := $(BIN)/uv

# Python may cache bytecode (`__pycache__/`, ignored by git) even where the shell says
# PYTHONDONTWRITEBYTECODE: the suite starts about a hundred Python processes (servers,
# the command line), and each would compile Rembuk and its libraries from source again.
unexport PYTHONDONTWRITEBYTECODE

# uv installs from its cache in seconds where pip takes half a minute to resolve; when
# uv cannot reach an index (a pip.conf it does not read), pip does the same install.
$(BIN)/python:
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Rembuk needs Python 3.11 or newer"'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q uv

$(VENV)/.installed: pyproject.toml setup.py | $(BIN)/python
	$(UV) pip install -q --python $(BIN)/python 'pip>=25' 'setuptools>=77' -e . \
		|| $(BIN)/python -m pip install -q --upgrade pip setuptools -e .
	@touch $@

$(VENV)/.test-installed: pyproject.toml $(VENV)/.installed
	$(UV) pip install -q --python $(BIN)/python -e '.[test]' || $(BIN)/python -m pip install -q -e '.[test]'
	@touch $@

install: $(VENV)/.installed

test-install: $(VENV)/.test-installed

## Serve on http://127.0.0.1:8000 with SQLite in ./var/ (migrates first).
run: $(VENV)/.installed
	$(BIN)/rembuk migrate
	$(BIN)/rembuk serve

## Install test dependencies and run the whole suite, on two processes (pytest-xdist;
## a file's tests stay together). PYTEST_ARGS="-n 0" runs it in one.
PYTEST_ARGS ?= -n 2 --dist loadfile
test: $(VENV)/.test-installed
	$(BIN)/python -m pytest $(PYTEST_ARGS)

## Style, types and the layer rules: ruff (lint + format) and mypy on the code, and
## the import contracts in pyproject.toml (lint-imports).
lint: $(VENV)/.test-installed
	$(BIN)/ruff check app scripts bench migrations
	$(BIN)/ruff format --check app scripts bench migrations
	$(BIN)/mypy
	$(BIN)/lint-imports

migrate: $(VENV)/.installed
	$(BIN)/rembuk migrate

## Seed the sample workshop "Kabupaten Padang Pariaman".
demo: $(VENV)/.installed
	$(BIN)/rembuk migrate
	$(BIN)/rembuk demo

## Serve on the venue LAN (set REMBUK_PUBLIC_URL=http://<this laptop's LAN address>:8000).
serve-lan: $(VENV)/.installed
	$(BIN)/rembuk migrate
	$(BIN)/rembuk serve --host 0.0.0.0

## Rewrite README's configuration table from app/settings.py (tests run it with --check).
settings-doc: $(VENV)/.installed
	$(BIN)/python scripts/settings_doc.py

## Rewrite docs/architecture.md's event reference from app/services/event_types.py.
events-doc: $(VENV)/.installed
	$(BIN)/python scripts/events_doc.py

clean:
	rm -rf $(VENV) .pytest_cache

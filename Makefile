# `make run` serves the demo on http://127.0.0.1:8000; `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_WORKERS ?= 2

.PHONY: run test lint types unit install clean screenshots bench-station bench

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || (echo "Python 3.11+ is required (set PYTHON=...)" >&2; exit 1)
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e '.[test]'
	@touch $@

install: $(VENV)/.installed

run: install
	$(BIN)/boomerang serve --demo --host $(HOST) --port $(PORT)

lint: install
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/lint-imports

types: install
	$(BIN)/mypy

# Prints how long the whole of it took (lint, types and the suite), so that its speed is seen on every run.
test: install
	@started=$$(date +%s); status=0; \
	$(MAKE) --no-print-directory lint types && $(BIN)/pytest -n $(PYTEST_WORKERS) -q || status=$$?; \
	elapsed=$$(( $$(date +%s) - started )); \
	echo "make test: $$((elapsed / 60)) min $$((elapsed % 60)) s (exit $$status)"; \
	exit $$status

# The main pages on the demo data (Debian's Chromium), 1280x800 and 768x1024, into docs/screenshots/.
screenshots: install
	BOOMERANG_DEMO_RETURNS=120 $(BIN)/python -m tests.browser.take_screenshots

# Floor speed of the operator station (browser, 50 returns per scenario); figures in the README.
bench-station: install
	$(BIN)/python -m bench.station_speed

clean:
	rm -rf $(VENV) data .pytest_cache .mypy_cache .ruff_cache

# `make bench` runs every benchmark at a small size (a few minutes); `make bench FULL=1` the full size.
bench: install
	$(BIN)/python -m bench $(if $(FULL),--full,) $(BENCH_ARGS)

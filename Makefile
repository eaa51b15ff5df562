# `make` with no target runs everything CI runs. Needs only python3 (3.11+) and make.
PYTHON ?= python3
UV_VERSION := 0.13.9
TOOLS := .tools
UV := $(TOOLS)/bin/uv
export UV_PROJECT_ENVIRONMENT := $(CURDIR)/.venv
VENV := .venv/bin
DB ?= newsdesk.db

.PHONY: check install run browser test lint fmt typecheck layers pytest corpus bench clean

check: test

$(UV):
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/pip install --quiet --disable-pip-version-check "uv==$(UV_VERSION)"

.venv/.synced: $(UV) pyproject.toml uv.lock
	$(UV) sync --locked --quiet
	@touch $@

install: .venv/.synced

run: install
	rm -f $(DB) $(DB)-wal $(DB)-shm
	$(VENV)/newsdesk --db $(DB) demo
	$(VENV)/newsdesk --db $(DB) prepare
	$(VENV)/newsdesk --db $(DB) serve

# The browser tests drive Debian's chromium; install it when it is missing.
browser:
	@test -x /usr/bin/chromium || { SUDO=$$([ "$$(id -u)" = 0 ] || echo sudo); \
		$$SUDO apt-get update && $$SUDO apt-get install -y --no-install-recommends chromium; }

test: install browser lint typecheck layers pytest

lint: install
	$(VENV)/ruff check .
	$(VENV)/ruff format --check .

typecheck: install
	$(VENV)/mypy

layers: install
	$(VENV)/lint-imports

pytest: install
	$(VENV)/pytest $(ARGS)

fmt: install
	$(VENV)/ruff check --fix .
	$(VENV)/ruff format .

corpus: install
	$(VENV)/python tools/demo_corpus/build.py

bench: install
	$(VENV)/python benchmarks/extraction.py --json-out benchmarks/out/extraction.json

clean:
	rm -rf .venv $(TOOLS) .mypy_cache .ruff_cache .pytest_cache

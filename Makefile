# Harbour. The two set-up commands: `make run` and `make test`. Nothing else is needed first.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
# Development mode unless the environment already says otherwise.
export DJANGO_DEBUG ?= true

.PHONY: run test install serve migrate demo lint clean bench bench-smoke audit

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $@

install: $(VENV)/.installed

migrate: install
	$(PY) manage.py migrate --no-input

demo: migrate
	$(PY) manage.py seed_demo

# Install, migrate, load the demo data, print the demo sign-ins, and serve with daphne.
run: demo
	@echo "Harbour is starting on http://$(HOST):$(PORT)/ (Ctrl-C stops it)."
	$(MAKE) --no-print-directory serve

# `runserver` is daphne's (daphne is first in INSTALLED_APPS), so HTTP and WebSockets are served.
serve:
	$(PY) manage.py runserver $(HOST):$(PORT)

test: install
	$(PY) -m pytest

# Benchmarks (bench/README.md): every scenario at the issue's sizes; tens of minutes. Choose with
# BENCH_ARGS, e.g. make bench BENCH_ARGS="--scenario wall --members 100,500".
bench: install
	$(PY) -m bench run $(BENCH_ARGS)

# The benchmark harness at tiny sizes (under a minute, no timing checked): CI runs it.
bench-smoke: install
	$(PY) -m bench run --smoke

lint: install
	$(VENV)/bin/ruff check .

# Known-vulnerable dependencies. Needs PyPI's JSON API or osv.dev (see docs/security.md); --strict
# fails when a package could not be checked, rather than passing without checking it.
audit: install
	$(VENV)/bin/pip-audit --strict --progress-spinner off

clean:
	rm -rf $(VENV) staticfiles .pytest_cache

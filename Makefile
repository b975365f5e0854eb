# Resonance: the two commands a newcomer needs (`make run`, `make test`) and `make lint`.
# Everything runs from this folder with the project's own virtual environment in .venv/.

# The newest supported Python on PATH (3.13, 3.12, then 3.11); override with PYTHON=...
# Each candidate is run, not just looked up: a pyenv shim exists for versions it lacks.
PYTHON ?= $(shell for v in 3.13 3.12 3.11; do python$$v -c '' >/dev/null 2>&1 && { echo python$$v; break; }; done)
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
# Extra arguments for pytest, e.g. `make test PYTEST_ARGS="-x tests/workshop"`.
PYTEST_ARGS ?=
# daphne closes every WebSocket after 24 h by default; workshops can run all day
# and be resumed the next, so allow two days.
WEBSOCKET_TIMEOUT ?= 172800

# Reinstalled only when pyproject.toml changes (or the venv is new).
STAMP := $(VENV)/.installed

# The quick part of the suite: no browser, no real server processes, no fault injection.
FAST_MARKERS = not browser and not multiprocess and not faults and not slow

.PHONY: run test test-fast test-faults lint install

install: $(STAMP)

$(BIN)/python:
	@test -n "$(PYTHON)" || { echo "Resonance needs Python 3.11, 3.12 or 3.13: put python3.1x on PATH or pass PYTHON=/path/to/python3" >&2; exit 1; }
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	touch $@

run: $(STAMP)
	$(BIN)/python manage.py migrate --no-input
	$(BIN)/python manage.py seed_demo
	@echo
	@echo "Resonance is starting at http://$(HOST):$(PORT)/  (stop it with Ctrl-C)"
	@echo
	@# Beside daphne: the task worker (big PDFs, scheduled jobs) and the scheduler
	@# that hands it due jobs (docs/exports.md, "Background work"). Ctrl-C stops
	@# all three; if daphne stops on its own, the trap stops the other two.
	@$(BIN)/python manage.py db_worker --no-reload --interval 1 & worker=$$!; \
	$(BIN)/python manage.py run_scheduled --loop 60 & scheduler=$$!; \
	trap 'kill $$worker $$scheduler 2>/dev/null; wait $$worker $$scheduler 2>/dev/null' EXIT INT TERM; \
	$(BIN)/daphne -b $(HOST) -p $(PORT) --websocket_timeout $(WEBSOCKET_TIMEOUT) workshop.asgi:application

test: $(STAMP)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

test-fast: $(STAMP)
	$(BIN)/python -m pytest -m "$(FAST_MARKERS)" $(PYTEST_ARGS)

# Fault injection on deploy/local-stack (needs nginx, redis-server, PostgreSQL's binaries).
test-faults: $(STAMP)
	$(BIN)/python -m pytest -m faults -s $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

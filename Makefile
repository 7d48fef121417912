# Two commands for a newcomer: `make run` and `make test`.
# Each makes its own virtual environment in .venv (a system Python may refuse pip).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8501

.PHONY: run serve-replicas test test-fast check lint bench browser clean

# The page and its chart/data URLs (dashboard/serve/asgi.py); no file watcher on a served app (docs/performance.md).
SERVE_FLAGS := --server.headless true --browser.gatherUsageStats false --server.fileWatcherType none

run: $(VENV)/.runtime
	$(PY) -m streamlit run dashboard/serve/asgi.py --server.port $(PORT) $(SERVE_FLAGS)

# REPLICAS copies of the served app behind nginx on PORT (loopback), in the foreground; Ctrl-C stops all.
REPLICAS ?= 2
serve-replicas: $(VENV)/.runtime browser
	$(PY) -m dashboard.serve.cluster --replicas $(REPLICAS) --port $(PORT)

test: $(VENV)/.dev browser
	$(PY) -m ruff check .
	$(PY) -m pytest

# The edit-test loop: everything but the browser and the slow server tests (`make test` runs all).
test-fast: $(VENV)/.dev
	$(PY) -m ruff check .
	$(PY) -m pytest -m "not browser and not slow"

check: $(VENV)/.runtime
	$(PY) -m dashboard check

lint: $(VENV)/.dev
	$(PY) -m ruff check .

bench: $(VENV)/.dev browser
	$(PY) -m bench

browser:
	@bash scripts/ensure-browser

# The project installed in place (`pip install -e .`): its dependencies from requirements.txt, the
# `dashboard` command, and `streamlit run dashboard/serve/app.py` finding the package from any directory.
$(VENV)/.runtime: requirements.txt pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e .
	touch $@

# Tests and the curator's tools (the `curate` extra: `dashboard ingest`, `dashboard draft`) on top.
$(VENV)/.dev: requirements.txt requirements-dev.txt pyproject.toml $(VENV)/.runtime
	$(PY) -m pip install --quiet -r requirements-dev.txt -e '.[curate]'
	touch $@

clean:
	rm -rf $(VENV) .pytest_cache artifacts

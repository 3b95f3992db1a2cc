# Two commands: `make run` serves the app with demo data, `make test` runs the whole suite.
# Both set up what they need on a fresh machine and reuse it afterwards.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 5000
export FLASK_APP := mentoring

.PHONY: run test setup browser lint bench clean

setup: $(VENV)/.installed node_modules/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# Browser tests drive Debian's Chromium (Playwright cannot download its own browser here).
browser:
	@command -v chromium >/dev/null 2>&1 || scripts/install-chromium

run: setup
	$(BIN)/flask db upgrade
	$(BIN)/flask demo-data --if-empty
	$(BIN)/flask run --host 127.0.0.1 --port $(PORT)

test: setup browser
	$(BIN)/pytest

# Performance targets live here, never in timed tests. Prints one JSON object per line (README,
# "Performance"); takes several minutes, more the first time (it loads national-scale data).
# BENCH_DATABASE_URL (default: database `test` on 127.0.0.1:5432; the benchmark uses its own
# schemas there, never `public`), BENCH_DATABASE=sqlite, BENCH_SCALES=0.1,1, BENCH_DURATION=15.
bench: setup
	$(BIN)/python -m benchmarks.run

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/bandit -q -r mentoring config.py --severity-level medium

clean:
	rm -rf $(VENV) node_modules instance .pytest_cache

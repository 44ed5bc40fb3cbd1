# The README's commands. `make run` sets up and starts the app; `make test` sets up and runs the tests.
# Both work on a fresh machine with Python 3.11; set CWB_MIRROR=DIR to build the data offline
# from a folder of already-downloaded official files (e.g. ../shared/data).

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
PORT   ?= 8501

AXE    := .cache/axe/node_modules/axe-core/axe.min.js

.PHONY: setup browser axe data run test test-fast lint typecheck format bench clean-data

setup: $(VENV)/.installed

$(VENV)/.installed: requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

# Debian's Chromium for the browser tests (Playwright drives it; no browser download).
browser:
	@if command -v chromium >/dev/null 2>&1; then echo "chromium: $$(command -v chromium)"; \
	elif [ "$$(id -u)" = "0" ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-dejavu-core poppler-utils >/dev/null && echo "chromium installed"; \
	else echo "chromium missing: run 'sudo apt-get install chromium' (browser tests will be skipped)"; fi

# axe-core (from the npm registry) for the accessibility checks the browser tests inject.
axe: $(AXE)

$(AXE):
	@if command -v npm >/dev/null 2>&1; then mkdir -p .cache/axe && npm install --silent --no-save --no-audit --no-fund --prefix .cache/axe axe-core@4 && echo "axe-core installed"; \
	elif [ "$$(id -u)" = "0" ]; then apt-get install -y -qq npm >/dev/null && mkdir -p .cache/axe && npm install --silent --no-save --prefix .cache/axe axe-core@4; \
	else echo "npm missing: the accessibility checks will be skipped"; fi

# Build the data once if there is none (from $CWB_MIRROR when set, else the official URLs).
data: setup
	@if [ -s "$${CWB_DATA_DIR:-data}/CURRENT" ]; then echo "data: $$(cat $${CWB_DATA_DIR:-data}/CURRENT)"; \
	else $(BIN)/python -m cwb_metrics refresh; fi

run: setup data
	$(BIN)/streamlit run app.py --server.port $(PORT) --server.headless true --browser.gatherUsageStats false

# Two workers (pytest-xdist): the browser tests share one of them (tests/conftest.py).
test: setup browser axe
	$(BIN)/pytest -q -n 2 --dist loadgroup --durations=25

test-fast: setup
	$(BIN)/pytest -q -n 2 -m "not browser and not integration"

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# mypy over cwb_metrics/, app_support/ and tools/ (settings in pyproject.toml).
typecheck: setup
	$(BIN)/mypy

format: setup
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: setup
	$(BIN)/python bench/bench_refresh.py
	$(BIN)/python bench/bench_map_payload.py
	$(BIN)/python bench/bench_pages.py

clean-data:
	rm -rf data/versions data/downloads data/CURRENT data/.lock

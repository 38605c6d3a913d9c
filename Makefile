# Dragoman: make demo (set up + run on the bundled samples), make test (the test suite).
PYTHON ?= python3.11
VENV ?= .venv
BIN := $(VENV)/bin
DB ?= demo.duckdb
STAMP := $(VENV)/.installed

.PHONY: setup demo serve test test-fast browser-deps lint bench eval clean import-dictionaries

$(STAMP): pyproject.toml
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "Python 3.11 is required ($(PYTHON) not found)"; exit 2; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	@touch $(STAMP)

setup: $(STAMP)

# The bundled samples, and the team's seed articles when ../shared is beside the repository.
SEEDS := $(wildcard ../shared/seeds)

demo: $(STAMP)
	rm -f $(DB)
	$(BIN)/dragoman ingest samples $(SEEDS) --db $(DB)
	$(BIN)/dragoman events --db $(DB)
	@echo "Browse these events: $(BIN)/dragoman serve --db $(DB)  (then open http://127.0.0.1:8000/)"

serve: $(STAMP)
	$(BIN)/dragoman serve --db $(DB)

test: $(STAMP)
	$(BIN)/pytest -q

test-fast: $(STAMP)
	$(BIN)/pytest -q -m "not browser"

# Debian's Chromium for the end-to-end browser tests (run as root).
browser-deps:
	command -v chromium >/dev/null 2>&1 || { apt-get update -q && apt-get install -y -q chromium; }

lint: $(STAMP)
	$(BIN)/ruff check src tests

bench: $(STAMP)
	$(BIN)/python -m dragoman.evaluate.bench

eval: $(STAMP)
	$(BIN)/dragoman eval seeds
	$(BIN)/dragoman eval plover
	$(BIN)/dragoman eval times
	$(BIN)/dragoman eval case
	$(BIN)/dragoman eval incidents

# Re-convert the PETRARCH2 dictionaries in ../shared/data/petrarch2 into the packaged data
# (lexicon rows in src/dragoman/data/lexicon/imported/, see PROVENANCE.md there).
import-dictionaries: $(STAMP)
	$(BIN)/python -m dragoman.knowledge all

clean:
	rm -rf $(VENV) $(DB) .pytest_cache artifacts

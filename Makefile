# Two commands do all set-up on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PIP := $(BIN)/python -m pip --disable-pip-version-check -q
PORT ?= 8000
export PORT

.PHONY: run test lint eval bench seed migrate clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Runtime dependencies, exactly as locked; the project itself is installed without resolving again.
$(VENV)/.runtime: requirements.lock pyproject.toml | $(BIN)/python
	$(PIP) install -r requirements.lock
	$(PIP) install --no-deps --no-build-isolation -e .
	touch $@

$(VENV)/.dev: requirements-dev.lock $(VENV)/.runtime
	$(PIP) install -r requirements-dev.lock
	touch $@

migrate: $(VENV)/.runtime
	$(BIN)/conflict-events migrate

seed: migrate
	$(BIN)/conflict-events seed

## Serve the API on 127.0.0.1:$(PORT) (SQLite in ./data unless DATABASE_URL says otherwise).
run: seed
	$(BIN)/conflict-events serve

## Run the whole suite (SQLite by default; PostgreSQL too when DATABASE_URL points at it).
test: $(VENV)/.dev
	$(BIN)/python -m pytest

lint: $(VENV)/.dev
	$(BIN)/ruff check . && $(BIN)/ruff format --check .

## Score the extractor: seed checks and the ACLED dev slice, against a server started here.
eval: seed
	bash bench/eval.sh

## Extraction speed (in-process and HTTP) and ingest rate.
bench: $(VENV)/.runtime
	$(BIN)/python bench/extract_bench.py
	$(BIN)/python bench/http_bench.py

clean:
	rm -rf $(VENV) data

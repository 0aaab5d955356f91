# khabar: `make demo` and `make test` set everything up on a fresh machine (Python 3.11 + pip).
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DB ?= khabar.db
SHARED ?= ../shared

.PHONY: demo test lint typecheck unit quality bench-merge-1m train gazetteer clean fuzz

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Reinstall when the package metadata or the pinned constraints change.
$(STAMP): $(BIN)/python pyproject.toml constraints.txt
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[dev,dask]'
	touch $(STAMP)

demo: $(STAMP)
	rm -f $(DB) $(DB)-wal $(DB)-shm
	$(BIN)/khabar --db $(DB) ingest examples/corpus
	$(BIN)/khabar --db $(DB) report -o report.md
	$(BIN)/khabar --db $(DB) report -o report.html
	$(BIN)/khabar --db $(DB) events
	@echo "wrote report.md and report.html from $(DB)"

test: $(STAMP) lint typecheck unit

lint: $(STAMP)
	$(BIN)/ruff check src tests scripts

typecheck: $(STAMP)
	$(BIN)/mypy src

unit: $(STAMP)
	$(BIN)/pytest

quality: $(STAMP)
	KHABAR_SHARED=$(SHARED) $(BIN)/python scripts/bench_ingest.py --runs 5 --json > $(VENV)/ingest-bench.json
	$(BIN)/khabar bench merge --sizes 10000,100000 --runs 3 --json > $(VENV)/merge-bench.json
	KHABAR_SHARED=$(SHARED) $(BIN)/python scripts/quality.py --ingest-bench-json $(VENV)/ingest-bench.json \
		--merge-bench-json $(VENV)/merge-bench.json --merge-bench-json docs/bench_merge_1m.json

# The million-event merge (about 15 minutes on 2 cores): its figures are kept in docs/ for `make quality`.
bench-merge-1m: $(STAMP)
	$(BIN)/khabar bench merge --sizes 1000000 --runs 1 --store-articles 0 --json \
		> docs/bench_merge_1m.json

# 10,000 generated hostile inputs through the ingest path (about an hour on 2 cores): fails on any crash,
# silent drop or input over its time or memory bound.
fuzz: $(STAMP)
	$(BIN)/python scripts/fuzz_ingest.py --count 10000 --workers 2

train: $(STAMP)
	$(BIN)/python scripts/train_events.py --shared $(SHARED)/data

gazetteer: $(STAMP)
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[gazetteer]'
	$(BIN)/python scripts/build_gazetteer.py

clean:
	rm -rf $(VENV) $(DB) $(DB)-wal $(DB)-shm report.md report.html .mypy_cache .ruff_cache .pytest_cache

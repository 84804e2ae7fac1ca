# Dateline: `make run` and `make test` work on a fresh machine (they set up .venv first).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
EVAL ?= ../shared/eval

.DEFAULT_GOAL := help
.PHONY: help setup run test test-unit test-stream test-integration test-faults lint format bench eval eval-conll train-relabel eval-timeml eval-html eval-plover eval-text clean

help: ## list the targets
	@grep -E '^[a-zA-Z_-]+:.*?## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*?## "}; {printf "  make %-18s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e ".[dev,bench]"
	touch $(STAMP)

setup: $(STAMP) ## create .venv with pinned dependencies (constraints.txt)

run: $(STAMP) ## the main job: embedded broker, worker, seeds, live view (Ctrl-C stops)
	$(BIN)/dateline run

test: $(STAMP) ## every test: unit, stream, integration (embedded broker), faults, deploy checks
	$(BIN)/python -m pytest

test-unit: $(STAMP) ## the pure core only
	$(BIN)/python -m pytest tests/unit

lint: $(STAMP) ## ruff (lint + format check) and mypy on service/
	$(BIN)/ruff check service tests
	$(BIN)/ruff format --check service tests
	$(BIN)/mypy service

format: $(STAMP) ## apply ruff formatting and safe fixes
	$(BIN)/ruff check --fix service tests
	$(BIN)/ruff format service tests

BENCH_ARGS ?= --articles 1000 --latency-seconds 20

bench: $(STAMP) ## throughput at one and two processes on the embedded broker, and their ratio
	mkdir -p var
	$(BIN)/dateline bench $(BENCH_ARGS) --processes 1 --report var/bench-p1.json --chart var/bench-p1.png
	$(BIN)/dateline bench $(BENCH_ARGS) --processes 2 --report var/bench-p2.json --chart var/bench-p2.png
	$(BIN)/python -c "import json; one, two = (json.load(open(f'var/bench-p{p}.json'))['throughput']['articles_per_s'] for p in (1, 2)); print(f'two processes / one: {two / one:.2f}x ({two:.1f} vs {one:.1f} articles/s)')"

eval: eval-conll eval-timeml eval-html eval-plover eval-text ## every quality measurement against ../shared/eval

# train.txt is sampled (every 3rd document, the same each run) to keep `make eval` short on 2 cores.
CONLL_EVERY ?= 3

eval-conll: $(STAMP) ## entity F1 on CoNLL-2003 train.txt (sampled) and valid.txt, each pass off in turn
	$(BIN)/dateline eval conll $(EVAL)/conll2003/train.txt --every $(CONLL_EVERY) --ablation
	$(BIN)/dateline eval conll $(EVAL)/conll2003/valid.txt --ablation

train-relabel: $(STAMP) ## retrain the entity relabel pass on CoNLL-2003 train.txt (every 3rd document held out)
	$(BIN)/python -m service.evaluation.train_relabel $(EVAL)/conll2003/train.txt --hold-out-every $(CONLL_EVERY) --out service/data/relabel.npz

eval-timeml: $(STAMP) ## TIMEX3 value F1 on TempEval-3 TBAQ-cleaned
	$(BIN)/dateline eval timeml $(EVAL)/tempeval3/TBAQ-cleaned

eval-html: $(STAMP) ## main-text F1 on the HTML article set
	$(BIN)/dateline eval html $(EVAL)/html-articles

eval-plover: $(STAMP) ## PLOVER event type P/R/F and actor accuracy on the PLOVER gold records
	$(BIN)/dateline eval plover $(EVAL)/plover/dev.jsonl

eval-text: $(STAMP) ## body F1 on the same pages saved as scraped text
	$(BIN)/dateline eval text $(EVAL)/text-pages

clean: ## remove .venv and caches
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache var

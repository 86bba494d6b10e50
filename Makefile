# The course's commands. `make` alone lists them.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
NB ?= notebooks/*.ipynb
PORT ?= 8888

# The settings under which notebooks are recorded and tested; both use exactly these.
# CPU only, so stored outputs do not depend on whether a GPU is present.
NB_ENV := TF_CPP_MIN_LOG_LEVEL=2 TF_ENABLE_ONEDNN_OPTS=0 CUDA_VISIBLE_DEVICES=-1 PYTHONHASHSEED=0
PYTEST_NB := --nbval --nbval-current-env --nbval-sanitize-with tests/nbval_sanitize.cfg
# Two workers, one notebook (or test module) each at a time: measured 102 s against 149 s
# serially on 2 cores. loadscope keeps a notebook's cells together, in order, on one worker.
WORKERS ?= 2
PYTEST_PARALLEL := -n $(WORKERS) --dist loadscope

.PHONY: help install data lab test test-slow unit run record bench lint format stamp clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(STAMP): requirements.txt pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	$(BIN)/python -m pip install --quiet --no-deps -e .
	@touch $@

install: $(STAMP) ## create .venv and install requirements and the helpers package

data: $(STAMP) ## prepare TFDS mnist in data/tfds from the verified data/mnist, offline (once)
	$(NB_ENV) $(BIN)/python -m helpers.data prepare

lab: $(STAMP) data ## open the course in JupyterLab
	$(BIN)/jupyter lab --notebook-dir=notebooks --port=$(PORT) $(if $(filter 0,$(shell id -u)),--allow-root)

test: $(STAMP) data ## unit tests and every notebook under strict nbval
	$(NB_ENV) $(BIN)/pytest $(PYTEST_PARALLEL) -m "not slow" $(PYTEST_NB) tests notebooks

unit: $(STAMP) data ## unit tests only
	$(BIN)/pytest -m "not slow" tests

test-slow: $(STAMP) data ## the slow unit tests: real TensorFlow worker processes (about a minute)
	$(NB_ENV) $(BIN)/pytest -m slow tests

run: $(STAMP) data ## execute every notebook into build/ and print each one's wall time
	$(NB_ENV) $(BIN)/python tools/record.py --out build/notebooks $(NB)

record: $(STAMP) data ## re-execute notebooks in place with the test settings (NB=path to pick one)
	$(NB_ENV) $(BIN)/python tools/record.py $(NB)

bench: $(STAMP) data ## measure the course's speed claims side by side; writes build/bench.json
	$(BIN)/python -m benchmarks.run

lint: $(STAMP) ## ruff over helpers, tests, tools and notebooks
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP) ## let ruff fix imports and formatting
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

stamp: $(STAMP) ## copy the repository slug from pyproject.toml into every badge and setup cell
	$(BIN)/python tools/stamp.py $(NB)

clean: ## remove build outputs and caches (keeps .venv and prepared data)
	rm -rf build images notebooks/images .pytest_cache .ruff_cache
	find . -name __pycache__ -not -path './$(VENV)/*' -prune -exec rm -rf {} +

# The course's commands. `make` alone lists them.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DEV_STAMP := $(VENV)/.installed-dev
NB ?= notebooks/*.ipynb
PORT ?= 8888

# The settings under which notebooks are recorded and tested; both use exactly these.
# CPU only, so stored outputs do not depend on whether a GPU is present.
# The quiet-TensorFlow variables are printed by helpers/_tf_logs.py, their one source.
NB_ENV := $(shell $(if $(wildcard $(BIN)/python),$(BIN)/python,$(PYTHON)) helpers/_tf_logs.py 2>/dev/null) \
	CUDA_VISIBLE_DEVICES=-1 PYTHONHASHSEED=0
PYTEST_NB := --nbval --nbval-current-env --nbval-sanitize-with tests/nbval_sanitize.cfg
# Lax mode for Colab's package set: every cell must run and every assert hold, but outputs are
# not compared (they differ by version). Derived from PYTEST_NB so the two never drift apart.
PYTEST_NB_LAX := $(patsubst --nbval,--nbval-lax,$(PYTEST_NB))
# Two workers, one notebook (or test module) each at a time: faster than one on 2 cores.
# loadscope keeps a notebook's cells together, in order, on one worker. One notebook
# (make test NB=path) stays on one worker anyway: without xdist it starts sooner.
WORKERS ?= $(if $(and $(filter-out notebooks/*.ipynb,$(NB)),$(filter 1,$(words $(NB)))),0,2)
PYTEST_PARALLEL := -n $(WORKERS) --dist loadscope

# JupyterLab as the course configures it, for `make lab` and `make test-browser` alike: the
# files in jupyter/ copied into .venv (no news pop-up; no websocket pings) and these flags.
LAB_SETTINGS := $(VENV)/share/jupyter/lab/settings/overrides.json
LAB_SERVER_CONFIG := $(VENV)/etc/jupyter/jupyter_server_config.json
LAB_CONFIG := $(LAB_SETTINGS) $(LAB_SERVER_CONFIG)
LAB_FLAGS := $(if $(filter 0,$(shell id -u)),--allow-root)

# Colab's package set (tests/colab-requirements.txt) in a second environment. Colab runs
# Python 3.12: take python3.12 from PATH or pyenv when the machine has one, else $(PYTHON);
# `make test-colab COLAB_PYTHON=/path/to/python` picks another.
COLAB_VENV := .venv-colab
COLAB_BIN := $(COLAB_VENV)/bin
COLAB_STAMP := $(COLAB_VENV)/.installed
COLAB_REQUIREMENTS := tests/colab-requirements.txt
is_py312 = $(shell "$(1)" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 12))' 2>/dev/null && echo "$(1)")
COLAB_PYTHON ?= $(firstword $(foreach p,python3.12 $(wildcard $(HOME)/.pyenv/versions/3.12*/bin/python3.12),$(call is_py312,$(p))) $(PYTHON))

.PHONY: help install install-dev data lab test test-slow unit run record bench lint format stamp clean \
	test-colab test-browser

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

# The pinned TensorFlow, Keras, NumPy and ai-edge-litert have wheels for Python 3.11 to 3.13:
# say so in one line rather than let pip fail on another version. Checked with .venv's own
# Python when it exists (it may have been built with another), else with $(PYTHON).
SUPPORTED_PYTHON := 3.11, 3.12 or 3.13
define check_python
@py="$(PYTHON)"; test -x $(BIN)/python && py=$(BIN)/python; \
"$$py" -c 'import sys; sys.exit(not (3, 11) <= sys.version_info[:2] <= (3, 13))' 2>/dev/null || { \
echo "The course needs Python $(SUPPORTED_PYTHON); $$py is $$(command -v "$$py" > /dev/null && "$$py" -V 2>&1 || echo "not found")." \
	"Pick one: make PYTHON=python3.12 (then rm -rf $(VENV) if it was built with another)." >&2; \
exit 1; }
@test -x $(BIN)/python || { $(PYTHON) -m venv $(VENV) && \
	$(BIN)/python -m pip install --quiet --upgrade pip; }
endef

# The learner's set: what `make lab` and `make test` need (requirements.txt).
$(STAMP): requirements.txt pyproject.toml
	$(check_python)
	$(BIN)/python -m pip install --quiet -r requirements.txt
	$(BIN)/python -m pip install --quiet --no-deps -e .
	@touch $@

# The contributors' tools (requirements-dev.txt), installed on demand by the targets that use
# them. `make lint` needs nothing else, so a lint-only checkout never downloads TensorFlow.
$(DEV_STAMP): requirements-dev.txt
	$(check_python)
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	@touch $@

install: $(STAMP) $(LAB_CONFIG) ## create .venv with the learner's requirements and the helpers package

install-dev: $(STAMP) $(DEV_STAMP) $(LAB_CONFIG) ## install, plus the contributors' tools (requirements-dev.txt)

$(LAB_SETTINGS): jupyter/overrides.json $(STAMP)
	@mkdir -p $(@D)
	cp $< $@

$(LAB_SERVER_CONFIG): jupyter/jupyter_server_config.json $(STAMP)
	@mkdir -p $(@D)
	cp $< $@

data: $(STAMP) ## prepare TFDS mnist in data/tfds from the verified data/mnist, offline (once)
	$(NB_ENV) $(BIN)/python -m helpers.data prepare

lab: $(STAMP) data $(LAB_CONFIG) ## serve the course in JupyterLab until Ctrl-C (prints its URL)
	@# Trusted: the course's own notebooks render their outputs without a "not trusted" warning.
	@$(BIN)/jupyter trust notebooks/*.ipynb > /dev/null
	$(BIN)/jupyter lab --notebook-dir=notebooks --port=$(PORT) $(LAB_FLAGS)

test: $(STAMP) data ## unit tests and every notebook under strict nbval (NB=path: that notebook only)
	$(NB_ENV) $(BIN)/pytest $(PYTEST_PARALLEL) -m "not slow" $(PYTEST_NB) \
		$(if $(filter-out notebooks/*.ipynb,$(NB)),$(NB),tests notebooks)

test-colab: $(COLAB_STAMP) data ## every notebook under Colab's versions (lax nbval: all cells run, asserts hold)
	@# As the Colab setup cell installs it: not editable, with its own loose dependencies,
	@# from a copy so that no build/ or egg-info is left in the working tree.
	@tmp=$$(mktemp -d) && cp -r pyproject.toml README.md helpers "$$tmp"/ && \
	mkdir "$$tmp"/data && cp -r data/penguins "$$tmp"/data/ && \
	$(COLAB_BIN)/python -m pip install --quiet --no-build-isolation --disable-pip-version-check \
		"$$tmp"; status=$$?; rm -rf "$$tmp"; exit $$status
	@cd notebooks && ../$(COLAB_BIN)/python -c 'import platform, helpers, tensorflow as tf, keras, numpy; \
		print(f"test-colab: Python {platform.python_version()}, TensorFlow {tf.__version__}, Keras {keras.__version__}, NumPy {numpy.__version__}; helpers from {helpers.__file__}"); \
		assert "site-packages" in helpers.__file__, "helpers must come from the plain install"'
	$(NB_ENV) $(COLAB_BIN)/pytest $(PYTEST_PARALLEL) $(PYTEST_NB_LAX) $(NB)

$(COLAB_STAMP): $(COLAB_REQUIREMENTS)
	@echo "building $(COLAB_VENV) with $(COLAB_PYTHON) ($$("$(COLAB_PYTHON)" -V 2>&1))"
	rm -rf $(COLAB_VENV)
	"$(COLAB_PYTHON)" -m venv $(COLAB_VENV)
	$(COLAB_BIN)/python -m pip install --quiet --upgrade pip
	$(COLAB_BIN)/python -m pip install --quiet -r $(COLAB_REQUIREMENTS)
	@touch $@

test-browser: $(STAMP) $(DEV_STAMP) data $(LAB_CONFIG) ## every notebook run in JupyterLab in headless Chromium (build/screenshots)
	$(NB_ENV) LAB_FLAGS="$(LAB_FLAGS)" NOTEBOOKS="$(NB)" $(BIN)/pytest -s tests/browser_check.py

unit: $(STAMP) data ## the fast unit tests: none that starts a real process (make test runs those too)
	$(NB_ENV) $(BIN)/pytest -m "not slow and not process" tests

test-slow: $(STAMP) data ## the slow unit tests: real multi-process TensorFlow runs
	$(NB_ENV) $(BIN)/pytest -m slow tests

run: $(STAMP) data ## execute every notebook into build/ and print each one's wall time
	$(NB_ENV) $(BIN)/python -m tools.record --out build/notebooks $(NB)

record: $(STAMP) data ## re-execute notebooks in place with the test settings (NB=path to pick one)
	$(NB_ENV) $(BIN)/python -m tools.record $(NB)

bench: $(STAMP) data ## measure the course's speed claims side by side; writes build/bench.json
	$(BIN)/python -m benchmarks.run

lint: $(DEV_STAMP) ## ruff over helpers, tests, tools and notebooks; the CI workflow against its schema
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/check-jsonschema --builtin-schema vendor.github-workflows .github/workflows/*.yml

format: $(DEV_STAMP) ## let ruff fix imports and formatting
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

stamp: $(STAMP) ## rewrite badges, setup cells, both READMEs' tables and the errata pages
	$(BIN)/python -m tools.stamp $(NB)

clean: ## remove build outputs and caches (keeps .venv and prepared data)
	rm -rf build images notebooks/images .pytest_cache .ruff_cache
	find . -name __pycache__ -not -path './$(VENV)/*' -prune -exec rm -rf {} +

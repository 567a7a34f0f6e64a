# News-framing workbook. `make help` lists the targets.
# Every target that needs Python first builds .venv from the exact pins (nothing is fetched at run time).

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
CORPUS ?= seeds
OUT    ?= reports
PYTEST_ARGS ?=

.DEFAULT_GOAL := help
DEV ?= ../shared/devdata
.PHONY: help venv report test eval eval-dev train bench lab lint browser clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN{FS=":.*## "}{printf "  make %-8s %s\n", $$1, $$2}'
	@echo "  Options: CORPUS=path/to/folder (default seeds), OUT=folder (default reports), JOBS=processes (default: every core)"

$(STAMP): requirements.lock requirements-model.txt pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check "$$(grep '^pip==' requirements.lock)"
	$(BIN)/python -m pip install --quiet --no-deps --require-hashes -r requirements-model.txt
	$(BIN)/python -m pip install --quiet -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	@touch $(STAMP)

venv: $(STAMP) ## Create .venv and install the pinned environment

report: $(STAMP) ## Run every notebook on CORPUS and write self-contained HTML to OUT
	$(BIN)/python -m analysis report $(CORPUS) --out $(OUT) $(if $(JOBS),--jobs $(JOBS),)

test: $(STAMP) browser ## Run the whole test suite (unit, gold floors, notebooks, offline browser)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

eval: $(STAMP) ## Print precision, recall and F1 of every extractor against tests/gold
	$(BIN)/python -m analysis eval $(ARGS)

eval-dev: $(STAMP) ## Score every extractor and its baselines on the real-news dev data (DEV=../shared/devdata)
	$(BIN)/python -m analysis eval-dev $(DEV) $(if $(ONLY),--only $(ONLY),)

train: $(STAMP) ## Train the stance model on the shipped NewsMTSC data (deterministic; writes analysis/data/stance_model.json.gz)
	$(BIN)/python -m analysis train-stance

bench: $(STAMP) ## analyze against the bare parse: 1 and all cores, warm, peak RSS (N=1000, JOBS=cores, BENCH_ARGS=--dask)
	$(BIN)/python bench/bench.py $(if $(N),--n $(N),) $(if $(JOBS),--jobs $(JOBS),) $(BENCH_ARGS)

lab: $(STAMP) ## Open JupyterLab on the notebooks
	$(BIN)/jupyter lab --notebook-dir=notebooks $(if $(filter 0,$(shell id -u)),--allow-root,)

lint: $(STAMP) ## ruff check on the package, tests and bench
	$(BIN)/ruff check analysis tests bench

browser: ## Install Debian's chromium for the offline browser test when it is missing
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "Installing chromium (Debian) for the browser test..."; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then \
	    sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else echo "chromium is missing and cannot be installed here: the browser test will be skipped (it fails under CI)."; fi; }

clean: ## Remove the virtual environment, caches and reports
	rm -rf $(VENV) $(OUT) .cache .pytest_cache

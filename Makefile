# Newswatch: `make run` and `make test` do all set-up on a fresh machine:
# a virtual env with the project installed, a local Kafka broker and Redis
# server (reused when they already answer), then the worker or the tests.
STATE_DIR ?= .state
SERVICES := deploy/local/services.sh
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
CONFIG ?= config
PYTEST := $(BIN)/pytest -p no:cacheprovider

export NEWSWATCH_STATE_DIR := $(abspath $(STATE_DIR))

.DEFAULT_GOAL := help
.PHONY: help venv up down status run test lint lint-deploy test-unit test-integration test-faults demo bench bench-extract bench-http bench-match bench-backtest bench-pipeline bench-metrics bench-fetch bench-redelivery bench-quality bench-langid bench-inflection bench-retention profile-pipeline

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/' | expand -t 20

# -qq: pip relays setuptools' "Editable installation ... Please be careful with folders in your
# working directory" warning at -q; it is about editable installs in general and reads as a failure
# on a first `make run`. Errors still print.
$(BIN)/newswatch: pyproject.toml
	@echo "setting up $(VENV) (first run only)..."
	@$(PYTHON) -m venv $(VENV)
	@$(BIN)/pip install -qq --upgrade pip
	@$(BIN)/pip install -qq -e '.[dev]'
	@touch $@

venv: $(BIN)/newswatch ## create .venv and install the project with its dev tools

up: ## start (or reuse) the local Kafka broker and Redis server
	@$(SERVICES) up

down: ## stop the local Kafka broker and Redis server that `make up` started
	@$(SERVICES) down

status: ## tell whether Kafka and Redis answer, and whether we started them
	@$(SERVICES) status

run: venv up ## run every stage of the worker on $(CONFIG)
	$(BIN)/newswatch run --config $(CONFIG)

demo: venv up ## run the whole pipeline on bundled local feeds; alerts print here
	$(BIN)/newswatch demo

lint: venv ## ruff, mypy, the import layers, the example config, the record schemas
	$(BIN)/ruff check --no-cache worker tests bench
	$(BIN)/mypy
	$(BIN)/lint-imports --no-cache
	$(BIN)/newswatch config check --strict --config $(CONFIG)
	$(BIN)/newswatch schemas

# pytest exits 5 when a selection collects no test: for one half of the suite
# that means "nothing of this kind", not a failure.
test-unit: venv ## tests that need no services
	$(PYTEST) -m "not integration" || [ $$? -eq 5 ]

test-integration: venv up ## tests against the real Kafka and Redis
	$(PYTEST) -m integration || [ $$? -eq 5 ]

# Its own Kafka (127.0.0.1:29092) and Redis (:26379) under $(STATE_DIR)/faults, never the shared
# ones; FAULTS=a,b picks experiments (all: every one, with the 10-minute receiver outage).
test-faults: venv ## the pipeline under injected faults: one line of counts per experiment
	NEWSWATCH_FAULTS_STATE=$(abspath $(STATE_DIR))/faults $(BIN)/python -m tests.faults $(if $(FAULTS),--faults $(FAULTS))

# Installs promtool (apt), helm (go install, into $(STATE_DIR)/bin) and three PyPI tools into
# $(VENV) when missing; see deploy/checks/lint.sh.
lint-deploy: venv ## alert rules and their tests, Dockerfile, compose, Helm chart, dashboard
	VENV=$(abspath $(VENV)) TOOLS_BIN=$(abspath $(STATE_DIR))/bin deploy/checks/lint.sh

test: lint lint-deploy test-unit test-integration ## everything CI runs

bench: bench-fetch bench-extract bench-match bench-pipeline bench-metrics bench-redelivery bench-quality ## every benchmark, each against its baseline

bench-fetch: venv up ## feed polls per second of one fetch process vs httpx + feedparser alone
	$(BIN)/python -m bench.fetch

bench-fairness: venv up ## 20 feeds on one host at 10x its pace: first polls and longest waits, in slots
	$(BIN)/python -m bench.host_fairness

bench-extract: venv up ## extract stage vs trafilatura alone
	$(BIN)/python -m bench.extract

# ARTICLES=1000000 measures a million (stores about 1.7 GB on the shared broker's disk, then deletes it).
bench-backtest: venv up ## newswatch backtest: stored articles/s at 100k entities, time for a million
	$(BIN)/python -m bench.backtest $(if $(ARTICLES),--articles $(ARTICLES))

bench-http: venv ## the worker's HTTP client vs httpx.Client: CPU per page GET and per alert POST
	$(BIN)/python -m bench.http

bench-match: venv ## matcher vs flashtext and a regex, 1k-100k entities
	$(BIN)/python -m bench.match

# Installs the other detectors it measures (the langid-bench extra) into $(VENV). The corpus is read
# from ../shared/corpus; NEWSWATCH_CORPUS=DIR points elsewhere.
bench-inflection: venv ## names' inflected forms against a dictionary's lemmas, beside a plain stem match
	$(BIN)/python -m bench.inflection

bench-langid: venv ## language detectors: accuracy per language, short and long texts; speed, load, memory
	$(BIN)/pip install -qq -e '.[langid-bench]'
	$(BIN)/python -m bench.langid

# The corpora are not part of the project: NEWSWATCH_NEWS_PAGES=DIR and NEWSWATCH_MULTILINGUAL_PAGES=DIR
# point elsewhere; see bench/quality.py and bench/quality_multilingual.py.
bench-quality: venv ## alert precision/recall on real news pages (English, then 9 languages) vs trafilatura + search
	$(BIN)/python -m bench.quality
	$(BIN)/python -m bench.quality_multilingual

bench-pipeline: venv up ## feeds to delivered alerts vs trafilatura alone; alert latency p50/p95
	$(BIN)/python -m bench.pipeline

# Installs py-spy (the profile extra) into $(VENV); PROFILE_ROUNDS=N rounds (default 3).
profile-pipeline: venv up ## the pipeline's worker: main-process and extraction CPU ms per page, py-spy by thread and function
	$(BIN)/pip install -qq -e '.[profile]'
	$(BIN)/python -m bench.pipeline --profile --py-spy $(abspath $(STATE_DIR))/profile/pipeline.txt $(if $(PROFILE_ROUNDS),--rounds $(PROFILE_ROUNDS))

bench-metrics: venv up ## whole-pipeline throughput with metrics on against off
	$(BIN)/python -m bench.pipeline --metrics-overhead

bench-redelivery: venv up ## parked alerts drained after an outage vs the same signed POSTs alone
	$(BIN)/python -m bench.redelivery

# Installs lz4 (the retention-bench extra), the codec zstd is measured against. Reads the corpora as
# bench-quality does.
bench-retention: venv up ## disk per 10,000 stored articles with zstd, gzip and lz4 (README's figure)
	$(BIN)/pip install -qq -e '.[retention-bench]'
	$(BIN)/python -m bench.retention

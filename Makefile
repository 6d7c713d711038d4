# Quick start targets. `make run` and `make test` are the README's two commands; .ci/run calls `make test`.
# `make run` installs, imports the lists and starts the server (sanctionwatch serve, on
# SANCTIONWATCH_HOST:SANCTIONWATCH_PORT, default 127.0.0.1:8000); `make import` stops after the import.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
# Where `make run` takes the list files from: a folder of official downloads for offline sites
# (SANCTIONWATCH_LISTS_DIR), else the shared development files beside this repo, else the official URLs.
SHARED_DATA ?= ../shared/data

.PHONY: run import test install install-test lint

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

install: $(BIN)/python
	$(BIN)/pip install -q -e .

install-test: $(BIN)/python
	bash scripts/install-test-deps.sh
	$(BIN)/pip install -q -e '.[test]'

run: import
	$(BIN)/sanctionwatch serve

import: install
	@if [ -n "$$SANCTIONWATCH_LISTS_DIR" ]; then \
		$(BIN)/sanctionwatch lists update --from "$$SANCTIONWATCH_LISTS_DIR"; \
	elif [ -d "$(SHARED_DATA)" ]; then \
		$(BIN)/sanctionwatch lists import \
			$(SHARED_DATA)/ofac/sdn-2024-05-03 $(SHARED_DATA)/ofac/cons-2025-12 \
			$(SHARED_DATA)/un/consolidated-2026-02-27.xml $(SHARED_DATA)/uk/conlist-2018-04-13.csv \
			$(SHARED_DATA)/eu/fsf-v1.0-2016-02-11-subset.xml \
			$(SHARED_DATA)/opensanctions/ua_war_sanctions_targets.simple.csv && \
		$(BIN)/sanctionwatch lists import --lenient $(SHARED_DATA)/us-csl/consolidated-subset.csv; \
	else \
		$(BIN)/sanctionwatch lists update; \
	fi
	$(BIN)/sanctionwatch lists status

lint: install-test
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

test: lint
	$(BIN)/pytest -n 2 -q

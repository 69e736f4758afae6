# Two commands: `make run` and `make test`. Both set everything up on a fresh clone.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test setup browser bench clean

$(STAMP): requirements.txt requirements-dev.txt requirements-optuna.txt requirements-s3.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $(STAMP)

setup: $(STAMP)

# Debian's Chromium drives the browser tests; a browser download never works on these machines.
browser:
	@command -v chromium >/dev/null 2>&1 || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null)

run: setup
	$(PY) scripts/run.py

# The layer contracts of .importlinter first (seconds), then the tests in two processes, a file
# at a time each (a file's fixtures are set up once), in the order tests/conftest.py gives them (the
# files that start real processes first); each process has its own worker, browser and databases.
test: setup browser
	$(VENV)/bin/lint-imports
	$(PY) -m pytest -n 2 --dist loadfile --no-loadscope-reorder

clean:
	rm -rf $(VENV) var test-artifacts

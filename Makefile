# SmartCourt: `make run` starts the platform with demo data; `make test` runs the whole suite.
# Both bootstrap everything they need (virtualenv, Python and npm packages, system packages via apt-get).

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMPS := var/.stamps
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: cluster cluster-check run test lint bootstrap bootstrap-dev system-packages assets messages migrate demo clean bench

$(STAMPS):
	@mkdir -p $(STAMPS)

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(STAMPS)/python: pyproject.toml $(PY) | $(STAMPS)
	$(PY) -m pip install --quiet -e .
	@touch $@

$(STAMPS)/python-dev: pyproject.toml $(PY) | $(STAMPS)
	$(PY) -m pip install --quiet -e '.[dev]'
	@touch $@ $(STAMPS)/python

$(STAMPS)/npm: package.json package-lock.json | $(STAMPS)
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

system-packages:
	@scripts/system-packages.sh

assets: $(STAMPS)/npm

messages: system-packages
	$(PY) manage.py compilemessages --ignore=.venv --ignore=node_modules -v 0

bootstrap: system-packages $(STAMPS)/python assets messages

bootstrap-dev: system-packages $(STAMPS)/python-dev assets messages

migrate: bootstrap
	$(PY) manage.py migrate --no-input -v 0

demo: migrate
	$(PY) manage.py seed_demo

run: demo
	$(PY) manage.py collectstatic --no-input -v 0
	SMARTCOURT_DEMO=1 $(PY) scripts/run.py --host $(HOST) --port $(PORT)

# Both zones with their gateways behind nginx on one machine (docs/deployment.md): internet :8080, court :8081.
cluster: bootstrap-dev
	@scripts/system-packages.sh --cluster
	$(PY) scripts/cluster.py

# Against a running `make cluster`: sign-ins through nginx per zone, a message across the gateway.
cluster-check: bootstrap-dev
	SMARTCOURT_TEST_CLUSTER=1 $(PY) -m pytest -p no:xdist -q tests/test_cluster.py

# The suite runs over every core (pytest-xdist); TEST_WORKERS=0 runs it in one process.
TEST_WORKERS ?= auto

test: bootstrap-dev
	$(PY) -m pytest -n $(TEST_WORKERS) $(PYTEST_ARGS)

lint: bootstrap-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy
	$(VENV)/bin/lint-imports

bench: bootstrap-dev
	@for script in benchmarks/[!_]*.py; do echo "== $$script"; $(PY) $$script || exit 1; done

clean:
	rm -rf $(VENV) node_modules var/.stamps var/static

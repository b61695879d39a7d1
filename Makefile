# Two commands on a fresh machine: `make run` and `make test` (see README.md).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PORT   ?= 8000
PIP    := $(BIN)/python -m pip --quiet --disable-pip-version-check
POSTGRES_URL ?= postgres://postgres@127.0.0.1:5432/consejo

.PHONY: run test install install-dev lint typecheck test-sqlite test-postgres bench messages clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --upgrade "pip>=24"

$(VENV)/.installed: $(BIN)/python pyproject.toml requirements/lock.txt
	$(PIP) install -c requirements/lock.txt -e .
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed
	$(PIP) install -c requirements/lock.txt -e ".[dev]"
	touch $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

## make run: install, migrate the SQLite default, load the demo into an empty database, serve.
run: install
	CONSEJO_HTTPS=false $(BIN)/consejo migrate --noinput
	CONSEJO_HTTPS=false $(BIN)/consejo demo --if-empty
	@echo "consejo on http://127.0.0.1:$(PORT)/  (demo logins above; Ctrl-C stops it)"
	CONSEJO_HTTPS=false $(BIN)/consejo runserver --noreload 127.0.0.1:$(PORT)

## make test: lint, types, migrations check, the suite on SQLite, then the database tests on PostgreSQL.
test: install-dev lint typecheck test-sqlite test-postgres

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

typecheck: install-dev
	$(BIN)/mypy --strict consejo/core
	$(BIN)/mypy consejo
	CONSEJO_HTTPS=false SECRET_KEY=makemigrations-check DATABASE_URL=sqlite://:memory: \
		$(BIN)/consejo makemigrations --check --dry-run

test-sqlite: install-dev
	$(BIN)/python -m pytest

test-postgres: install-dev
	CONSEJO_TEST_DATABASE=postgres CONSEJO_TEST_POSTGRES_URL=$(POSTGRES_URL) \
		$(BIN)/python -m pytest -m "django_db or postgres_only"

## make bench: the benchmarks, then the counting table against pyrankvote and votekit, the
## allocation against its LPs and, from the file, against a bare min-cost flow, a whole sealed
## vote against per-ciphertext proofs, and registrations in a federation of 1,000,000 members on
## the PostgreSQL at 127.0.0.1:5432 (benchmarks/registration.py; ~17 min).
## The peers (extra "bench") live in a venv of their own, $(VENV)/bench: votekit 3.5 pins numba
## 0.62.1, which needs numpy < 2.4, so there the lock's pins hold except numpy (2.3.5).
bench: install-dev
	test -x $(VENV)/bench/bin/python || $(BIN)/python -m venv $(VENV)/bench
	grep -v '^numpy==' requirements/lock.txt > $(VENV)/bench/constraints.txt
	echo 'numpy==2.3.5' >> $(VENV)/bench/constraints.txt
	$(VENV)/bench/bin/python -m pip --quiet --disable-pip-version-check install \
		-c $(VENV)/bench/constraints.txt -e ".[dev,bench]"
	$(VENV)/bench/bin/python -m pytest benchmarks --benchmark-only -p no:randomly
	$(VENV)/bench/bin/python benchmarks/counting_peers.py
	$(VENV)/bench/bin/python benchmarks/allocation_peers.py
	$(VENV)/bench/bin/python benchmarks/allocate_file.py
	$(VENV)/bench/bin/python benchmarks/sealed_pipeline.py
	$(VENV)/bench/bin/python benchmarks/registration.py

messages: install-dev
	cd consejo && ../$(BIN)/consejo makemessages -l es -l en --no-obsolete --ignore=migrations \
		&& ../$(BIN)/consejo compilemessages

clean:
	rm -rf $(VENV) var/*.sqlite3* .mypy_cache .ruff_cache

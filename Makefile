# Chợ Quê — `make run` serves the site, `make test` runs the whole suite.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app app
PG_TEST_URI ?= postgresql+psycopg://postgres@127.0.0.1:5432/test
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: install translations db demo run serve lint test test-fast test-pg browser-deps bench bench-load extract-messages clean

install: $(VENV)/.installed

$(VENV)/.installed: requirements.txt requirements-dev.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $@

translations: install
	$(BIN)/pybabel compile --statistics -d translations
	$(BIN)/pybabel compile --statistics -D wtforms -d translations/wtforms

db: install
	$(FLASK) db upgrade

demo: db
	$(FLASK) demo load

# The dev server and, beside it, the background-job worker (imports and exports); stopping
# `make run` (Ctrl-C) stops both.
run: translations demo
	$(FLASK) search rebuild --if-needed
	$(FLASK) jobs worker & worker=$$!; trap 'kill -INT $$worker 2>/dev/null; wait $$worker' EXIT INT TERM; \
	  $(FLASK) run --host 127.0.0.1 --port 5000

# Production serving: migrations first, the search index caught up, then gunicorn
# (deploy/gunicorn.conf.py: WEB_CONCURRENCY workers, else 2 × CPU cores + 1, on GUNICORN_BIND,
# default 127.0.0.1:8000) with a background-job worker beside it. The database is
# FLASK_SQLALCHEMY_DATABASE_URI's (PostgreSQL when it says so), else SQLite under instance/.
# Ctrl-C (or SIGTERM to make) stops both. nginx in front: deploy/nginx/choque.conf.
serve: translations
	$(FLASK) db upgrade
	$(FLASK) search rebuild --if-needed
	$(FLASK) jobs worker & worker=$$!; trap 'kill -INT $$worker 2>/dev/null; wait $$worker' EXIT INT TERM; \
	  $(BIN)/gunicorn -c deploy/gunicorn.conf.py wsgi:app

browser-deps:
	@test -x /usr/bin/chromium || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq chromium; \
	  else echo "Browser tests need Debian's chromium: sudo apt-get install chromium"; exit 1; fi; }

# Lint first (ruff and import-linter, configured in pyproject.toml): a quick failure before the
# long suite. lint-imports fails on an import that breaks the layers (docs/ARCHITECTURE.md).
lint: install
	$(BIN)/ruff check .
	$(BIN)/lint-imports --no-cache

# The whole suite: unit, integration and browser tests.
test: lint translations browser-deps
	$(BIN)/python -m pytest -q -W error::SyntaxWarning

test-fast: translations
	$(BIN)/python -m pytest -q -m "not browser"

# The cluster test (tests/cluster) always runs on PostgreSQL: `make test` has run it already.
test-pg: translations browser-deps
	TEST_DATABASE_URI=$(PG_TEST_URI) $(BIN)/python -m pytest -q -W error::SyntaxWarning --ignore=tests/cluster

# bench_load.py and bench_faults.py run under `make bench-load` (minutes, gunicorn, root for tmpfs).
bench: install
	@for script in $(filter-out bench/bench_load.py bench/bench_faults.py,$(wildcard bench/bench_*.py)); do \
	  echo "== $$script"; $(BIN)/python $$script || exit 1; done

# Load scenarios L1–L6 (Locust) and faults F1–F12 of docs/SECURITY-REFERENCE.md against `gunicorn -w 2 wsgi:app`,
# on SQLite and, when PostgreSQL answers, on PostgreSQL too (figures: docs/PERFORMANCE.md).
BENCH_PG = $(shell pg_isready -q -h 127.0.0.1 2>/dev/null && echo --pg)
bench-load: translations
	$(BIN)/python bench/bench_load.py $(BENCH_PG) $(BENCH_LOAD_ARGS)
	$(BIN)/python bench/bench_faults.py $(BENCH_PG) $(BENCH_FAULTS_ARGS)

extract-messages: install
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext -o translations/messages.pot .
	$(BIN)/pybabel update -i translations/messages.pot -d translations --no-fuzzy-matching

clean:
	rm -rf $(VENV) tests/artifacts

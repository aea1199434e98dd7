# Two commands: `make run` (everything from nothing, then serve) and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
export PORT
# serve-prod's nginx port: PORT when given on the command line or in the environment, else 8080.
SERVE_PROD_PORT := $(if $(filter command line environment,$(origin PORT)),$(PORT),8080)

.PHONY: run test test-postgres lint install serve serve-prod clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/python requirements.txt requirements-dev.txt
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed

run: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py collectstatic --noinput --verbosity 0
	$(BIN)/python manage.py seed_demo
	$(BIN)/python manage.py rebuild_search_index
	$(BIN)/python manage.py serve --port $(PORT) --with-worker

# The suite runs in two parts. Tests that start no browser, no nginx and no Redis-backed server
# run in TEST_WORKERS processes at once (pytest-xdist; each process has its own test database
# and data directory); the others, which measure real time across real servers, then run one
# at a time. Exit status 5 is "no test selected" (PYTEST_ARGS narrowed to one part).
TEST_WORKERS ?= 2
SHARED := browser or redis or nginx
pytest_parts = $(BIN)/pytest -n $(TEST_WORKERS) --dist load -m "not ($(SHARED))" $(PYTEST_ARGS) || test $$? -eq 5; \
	$(BIN)/pytest -m "$(1)" $(PYTEST_ARGS) || test $$? -eq 5

test: install
	$(BIN)/python manage.py check
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/ruff check .
	set -e; $(call pytest_parts,$(SHARED))

# The suite on the local PostgreSQL server, browser tests aside (CI runs it after `make test`).
test-postgres: export DATABASE_URL := $(or $(DATABASE_URL),postgres://postgres@127.0.0.1:5432/test)
test-postgres: install
	set -e; $(call pytest_parts,redis or nginx)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

clean:
	rm -rf $(VENV) var

# The production topology on this machine: nginx on PORT (default 8080) with its page cache in
# front of gunicorn (pages) and uvicorn (WebSockets), desk worker and change-log follower; the
# embedded database unless DATABASE_URL/REDIS_URL are set. Ctrl-C stops all of it.
# Debian: apt-get install nginx. docs/deployment.md.
serve-prod: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py collectstatic --noinput --verbosity 0
	$(BIN)/python manage.py seed_demo
	$(BIN)/python manage.py rebuild_search_index
	DJANGO_SETTINGS_MODULE=portal.settings.production DEBUG=false \
	  SECRET_KEY="$${SECRET_KEY:-$$(cat $${PORTAL_DATA_DIR:-var}/secret_key.txt)}" \
	  ALLOWED_HOSTS="$${ALLOWED_HOSTS:-127.0.0.1,localhost}" SECURE_SSL_REDIRECT=false SECURE_COOKIES=false \
	  PORTAL_BASE_URL="$${PORTAL_BASE_URL:-http://127.0.0.1:$(SERVE_PROD_PORT)}" \
	  PORTAL_SIGNING_KEY_FILE="$${PORTAL_SIGNING_KEY_FILE:-$${PORTAL_DATA_DIR:-$(CURDIR)/var}/signing/receipt-key.pem}" \
	  CSRF_TRUSTED_ORIGINS="$${CSRF_TRUSTED_ORIGINS:-http://127.0.0.1:$(SERVE_PROD_PORT),http://localhost:$(SERVE_PROD_PORT)}" \
	  $(BIN)/python manage.py serve_prod --port $(SERVE_PROD_PORT)

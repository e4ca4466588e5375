# JEL: `make run` for the demo, `make test` for the suite. See README.md.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cksum requirements.txt | cut -d' ' -f1)

.PHONY: venv migrate seed run serve test node-test lint format vendor clean bench bench-scripts

$(STAMP): requirements.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	@rm -f $(VENV)/.installed-*
	@touch $(STAMP)

venv: $(STAMP)

migrate: venv
	$(BIN)/python manage.py migrate --noinput

seed: migrate
	$(BIN)/python manage.py seed_demo

## run: the web server on http://127.0.0.1:8000 plus a Celery worker with beat; Ctrl-C stops all.
run: seed
	bin/dev

## serve: production serving with gunicorn (set DEBUG=0, SECRET_KEY, ALLOWED_HOSTS, DATABASE_URL, REDIS_URL).
serve: venv
	$(BIN)/python manage.py collectstatic --noinput
	$(BIN)/gunicorn jel.wsgi --bind 0.0.0.0:$${PORT:-8000} --workers $${WEB_CONCURRENCY:-3} --access-logfile -

## test: lint, the migrations check, the JavaScript unit tests and the whole pytest suite.
test: venv lint node-test
	$(BIN)/python manage.py makemigrations --check --dry-run
	bin/pytest-suite

## node-test: unit tests of the capture page's modules with Node's own test runner.
node-test:
	@if command -v node >/dev/null 2>&1; then \
		node --test --test-reporter=spec observations/tests/js/*.test.mjs; \
	else \
		echo "node-test: skipped, Node.js is not installed (the JavaScript unit tests need it)"; \
	fi

## bench: pages under load beside the floor on PostgreSQL (gunicorn + wrk), one table with
## pass/fail; builds the 264-school district once (QUICK=1: 2 schools, under 2 minutes).
bench: venv
	QUICK=$(QUICK) $(BIN)/python bench/run.py

## bench-scripts: every other benchmark in bench/ (each seeds its own throwaway demo school).
bench-scripts: venv
	@for script in bench/*_bench.py; do \
		echo "== $$script"; \
		$(BIN)/python $$script || exit 1; \
	done

lint: venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: venv
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

## vendor: refresh static/vendor/ from the npm registry via package-lock.json.
vendor:
	npm ci --no-audit --no-fund
	bin/vendor-static

clean:
	rm -rf $(VENV) var node_modules

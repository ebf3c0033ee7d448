# planmap — the two commands of the README:
#   make run    install what is missing, start the private PostGIS, load the demo, serve the dashboard
#   make test   install what is missing and run the whole test suite
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
DEMO_SIZE ?= small
BOUNDARIES ?= $(PLANMAP_BOUNDARIES)
# The workplace's real data, loaded before the demo when present (the demo then uses the real
# villages of the national list); a machine without these files skips them.
SHARED_DATA ?= ../shared/data
VILLAGE_LIST := $(wildcard $(SHARED_DATA)/villages/muban_list_2022/raw/Geocode)
POPULATION := $(wildcard $(SHARED_DATA)/population/dopa_tambon_2017_2021/population_derived.csv.gz)
NEED := $(wildcard $(SHARED_DATA)/need/tpmap_2561/raw)

.PHONY: run test install system-deps db real-data demo serve bench clean

run: real-data
	$(BIN)/planmap demo --size $(DEMO_SIZE) $(if $(BOUNDARIES),--boundaries $(BOUNDARIES))
	@echo "serving the demo for reading without signing in (PLANMAP_ANONYMOUS_READ); accounts: planmap user add"
	PLANMAP_ANONYMOUS_READ=$${PLANMAP_ANONYMOUS_READ:-true} $(BIN)/planmap serve

test: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/pytest -n 2

install: system-deps $(VENV)/.installed

system-deps:
	@.ci/install-system-deps

$(VENV)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

db: install
	$(BIN)/planmap db start

# Villages, population and TPMAP need (each load is idempotent: a second run changes nothing).
# The DOPA file has one malformed row (reported; the others load).
real-data: db
	$(if $(VILLAGE_LIST),$(BIN)/planmap geo villages $(VILLAGE_LIST),@echo "no village list under $(SHARED_DATA): the demo invents its villages")
	$(if $(POPULATION),$(BIN)/planmap geo population --allow-rejects $(POPULATION),@echo "no population file under $(SHARED_DATA)")
	$(if $(NEED),$(BIN)/planmap import need $(NEED),@echo "no TPMAP need folder under $(SHARED_DATA)")

demo: real-data
	$(BIN)/planmap demo --size $(DEMO_SIZE) $(if $(BOUNDARIES),--boundaries $(BOUNDARIES))

# make serve DEV=1: Flask's development server (debug from PLANMAP_DEBUG) instead of gunicorn
serve: install
	$(BIN)/planmap serve $(if $(DEV),--dev)

# Benchmarks print ratios against a baseline measured in the same run (not timed tests).
BENCH_ENV := PLANMAP_DATA_DIR=/tmp/pm-bench PLANMAP_PG_PORT=54410
BENCH_BOUNDARIES ?= ../shared/data/boundaries
bench: install
	$(BIN)/python -m tests.benchmarks.bench_import --rows 1000000
	$(BIN)/python -m tests.benchmarks.bench_bounds
	$(BENCH_ENV) $(BIN)/planmap db start
	$(BENCH_ENV) $(BIN)/python -m tests.benchmarks.bench_dashboard --load --boundaries $(BENCH_BOUNDARIES)
	$(BENCH_ENV) $(BIN)/python -m tests.benchmarks.bench_load --load --boundaries $(BENCH_BOUNDARIES)
	$(BENCH_ENV) $(BIN)/python -m tests.benchmarks.bench_refresh --load --boundaries $(BENCH_BOUNDARIES)

clean:
	-$(BIN)/planmap db stop
	rm -rf $(VENV) .planmap .pytest_cache tests/artifacts

# The two commands of the README: `make demo` and `make test`. Everything they need is installed
# here, pinned by constraints.txt, so a fresh machine gets the same versions.
PYTHON ?= python3.11
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.egide-installed
PG_BIN ?= /usr/lib/postgresql/15/bin
DEMO_DIR ?= demo

.PHONY: demo test lint bench-deps postgres clean

$(STAMP): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade "pip==26.3" "setuptools==84.2.1" "wheel==0.48.0"
	$(BIN)/python -m pip install --quiet -c constraints.txt -e ".[dev,bench]"
	touch $(STAMP)

# PostgreSQL 15 from the machine's packages: the tests start and stop their own cluster.
postgres:
	@test -x $(PG_BIN)/initdb || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql-15 >/dev/null)
	@id postgres >/dev/null 2>&1 || useradd --system --home /var/lib/postgresql postgres

demo: $(STAMP)
	$(BIN)/egide demo --dir $(DEMO_DIR)

test: $(STAMP) postgres
	EGIDE_PG_BIN=$(PG_BIN) $(BIN)/python -m pytest -n 2 -q

lint: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/mypy

# wrk (Debian) drives the service benchmark; each benchmark is run by hand, see README.
bench-deps: $(STAMP)
	@command -v wrk >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null)

clean:
	rm -rf $(VENV) $(DEMO_DIR) .pytest_cache .mypy_cache .ruff_cache

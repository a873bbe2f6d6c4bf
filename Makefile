# The two commands of the README: `make demo` and `make test`. Everything they need is installed
# here, pinned by constraints.txt, so a fresh machine gets the same versions.
PYTHON ?= python3.11
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.egide-installed
PG_BIN ?= /usr/lib/postgresql/15/bin
DEMO_DIR ?= demo

.PHONY: demo test lint bench-deps postgres clean

# Debian packages that two pinned Python packages build against: PyICU (ICU transliteration
# of names in other scripts) and vpdq (Meta's vPDQ reference, C++ over FFmpeg, which the tests
# compare egide with). PyAV itself brings its own FFmpeg.
SYSTEM_PKGS := pkg-config g++ libicu-dev libavcodec-dev libavformat-dev libavutil-dev \
	libswscale-dev libavdevice-dev libavfilter-dev libswresample-dev
PKG_CONFIG_MODULES := icu-uc libavcodec libavformat libavutil libswscale libavdevice \
	libavfilter libswresample

.PHONY: system-deps
system-deps:
	@pkg-config --exists $(PKG_CONFIG_MODULES) 2>/dev/null || (apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(SYSTEM_PKGS) >/dev/null)

$(STAMP): pyproject.toml constraints.txt | system-deps
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

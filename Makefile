# Two commands on a fresh machine: `make demo` and `make test`.
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
CHROMIUM := /usr/bin/chromium
# Tests mostly wait (on the stand-in, on subprocesses, on PostgreSQL): 4 workers on 2 cores
# finish in about 2 minutes instead of 3. WORKERS=auto: one per core; WORKERS=0: in this process.
WORKERS ?= 4
# make demo WEB_PORT=8090: the browser chat's port; CONSOLE_PORT: the staff web console's.
WEB_PORT ?= 8080
CONSOLE_PORT ?= 8092

.PHONY: demo test lint install chromium clean lock

# Installed from the lock (exact versions, each file's hash checked), then the project itself.
# pyproject.toml keeps the ranges; `make lock` pins them again after a change there.
$(STAMP): pyproject.toml requirements-dev.lock
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q --require-hashes -r requirements-dev.lock
	$(PY) -m pip install -q --no-deps -e .
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(PY) -m bot demo --web-port $(WEB_PORT) --console-port $(CONSOLE_PORT)

lint: $(STAMP)
	$(VENV)/bin/ruff check .

# Debian's chromium for tests/e2e/test_browser.py (Playwright, a dev dependency, drives it and
# downloads no browser of its own): installed when missing if we are root with apt-get. Otherwise
# that test is skipped saying so, except under CI=true, where it fails.
chromium:
	@if [ ! -x $(CHROMIUM) ]; then \
	    if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	        echo "make: installing Debian's chromium for the browser test"; \
	        { DEBIAN_FRONTEND=noninteractive apt-get -qq update \
	          && DEBIAN_FRONTEND=noninteractive apt-get -qq install -y chromium >/dev/null; } \
	        || echo "make: installing chromium failed; the browser test will say so"; \
	    else \
	        echo "make: $(CHROMIUM) is missing (as root: apt-get install chromium)"; \
	    fi; \
	fi

# On SQLite, and on a throwaway PostgreSQL cluster when its binaries are installed (.ci/run installs
# them); CONCERTA_PG=0 make test: SQLite only. Tests run in parallel, 4 workers (each with
# its own PostgreSQL cluster); WORKERS=0 make test runs them in this one process.
test: $(STAMP) chromium
	$(VENV)/bin/ruff check .
	$(PY) -m bot kb check
	$(PY) -m bot survey check
	$(PY) -m bot priority check
	$(PY) -m pytest -q -n $(WORKERS)

# requirements.lock: what a server runs (with PostgreSQL); requirements-dev.lock: plus the tests.
LOCK := $(PY) -m piptools compile -q --generate-hashes --strip-extras --allow-unsafe \
	--no-emit-index-url --no-emit-find-links --extra postgres
lock: $(STAMP)
	$(PY) -m pip install -q pip-tools
	$(LOCK) -o requirements.lock pyproject.toml
	$(LOCK) --extra dev -o requirements-dev.lock pyproject.toml

clean:
	rm -rf $(VENV) data/demo.sqlite3*

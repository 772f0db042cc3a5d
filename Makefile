# Two commands on a fresh machine: `make demo` and `make test`.
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: demo test lint install clean

$(STAMP): pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(PY) -m bot demo

lint: $(STAMP)
	$(VENV)/bin/ruff check .

# On SQLite, and on a throwaway PostgreSQL cluster when its binaries are installed (.ci/run installs
# them); CONCERTA_PG=0 make test: SQLite only.
test: $(STAMP)
	$(VENV)/bin/ruff check .
	$(PY) -m bot kb check
	$(PY) -m bot survey check
	$(PY) -m pytest -q

clean:
	rm -rf $(VENV) data/demo.sqlite3*

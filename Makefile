# Two commands do everything: `make demo` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin

.PHONY: install lock demo test bench eval clean

install: $(VENV)/.installed

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

# The exact versions of every package, checked against their hashes: a fresh machine gets what CI
# tested, not whatever is newest today. Then the project itself, whose dependencies are all in the lock.
$(VENV)/.installed: requirements.lock pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q --require-hashes -r requirements.lock
	$(BIN)/pip install -q --no-deps -e .
	scripts/install-system-deps $(SYSTEM_DEPS_FLAGS)
	touch $@

# Re-resolve requirements.lock from pyproject.toml (runtime + demo + test extras) with uv: for every
# platform and Python >= 3.11, hashes included. Pins still allowed by pyproject.toml are kept;
# `make lock LOCK_FLAGS=--upgrade` moves everything to the newest allowed version.
LOCK_FLAGS ?=
lock: | $(BIN)/python
	$(BIN)/pip install -q 'uv>=0.9,<1'
	$(BIN)/uv pip compile -q pyproject.toml --extra test --universal --python-version 3.11 \
	  --generate-hashes --custom-compile-command 'make lock' $(LOCK_FLAGS) -o requirements.lock

demo: install
	$(BIN)/python -m sitegen.demo

test: SYSTEM_DEPS_FLAGS = --with-test
test: install
	scripts/install-system-deps --with-test
	$(BIN)/python -m pytest -q -p no:cacheprovider; rc=$$?; \
	  if [ $$rc -eq 5 ]; then echo "pytest collected no tests: failing"; exit 1; fi; exit $$rc

bench: install
	$(BIN)/python -m sitegen.bench

# Precision and recall per element on real agency wording (../shared/real-phrasing/dev.tsv), then the
# real-document labels when evaluation/documents.py is there. EVAL_FLAGS=--mistakes lists every miss.
EVAL_FLAGS ?=
eval: install
	$(BIN)/python -m evaluation $(EVAL_FLAGS)

clean:
	rm -rf $(VENV) demo-out bench-out .pytest_cache *.egg-info

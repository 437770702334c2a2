# Two commands do everything: `make demo` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin

.PHONY: install demo test bench clean

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[test]'
	scripts/install-system-deps $(SYSTEM_DEPS_FLAGS)
	touch $@

demo: install
	$(BIN)/python -m sitegen.demo

test: SYSTEM_DEPS_FLAGS = --with-test
test: install
	scripts/install-system-deps --with-test
	$(BIN)/python -m pytest -q -p no:cacheprovider; rc=$$?; \
	  if [ $$rc -eq 5 ]; then echo "pytest collected no tests: failing"; exit 1; fi; exit $$rc

bench: install
	$(BIN)/python -m sitegen.bench

clean:
	rm -rf $(VENV) demo-out bench-out .pytest_cache *.egg-info

# Two commands for a newcomer: `make demo` and `make test`. Both run `make setup` first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
LEAFLET := $(BIN)/leaflet
PROCEDURES := assets/procedures
# OS packages: GNU gettext (msgfmt, used by the tests to check every catalog leaflet writes).
APT_PACKAGES := gettext
APT_TOOLS := msgfmt

.PHONY: setup os-packages demo test clean

setup: $(VENV)/.installed os-packages

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

os-packages:
	@missing=0; for tool in $(APT_TOOLS); do command -v $$tool >/dev/null 2>&1 || missing=1; done; \
	if [ $$missing = 0 ]; then exit 0; fi; \
	if command -v apt-get >/dev/null 2>&1; then \
		SUDO=""; [ "$$(id -u)" = 0 ] || SUDO="sudo"; \
		echo "installing OS packages: $(APT_PACKAGES)"; \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $(APT_PACKAGES); \
	else \
		echo "warning: please install $(APT_PACKAGES) with your package manager (no apt-get here)" >&2; \
	fi

demo: setup
	$(LEAFLET) extract $(PROCEDURES)
	$(LEAFLET) status

test: setup
	$(BIN)/python -m pytest -q

clean:
	rm -rf $(VENV) out .pytest_cache

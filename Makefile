# Two commands for a newcomer: `make demo` and `make test`. Both run `make setup` first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
LEAFLET := $(BIN)/leaflet
PROCEDURES := assets/procedures
# OS packages: GNU gettext (msgfmt checks every catalog leaflet writes), poppler (pdftotext, used by the tests to
# read the leaflets back), and the fonts the shipped locales need: Noto (Latin, Cyrillic, Arabic, Devanagari),
# Nanum (Korean) and WenQuanYi Zen Hei (Chinese), all TrueType.
APT_PACKAGES := gettext poppler-utils fontconfig fonts-noto-core fonts-nanum fonts-wqy-zenhei
APT_TOOLS := msgfmt pdftotext fc-list
APT_FILES := /usr/share/fonts/truetype/noto/NotoSansArabic-Regular.ttf \
	/usr/share/fonts/truetype/noto/NotoSansDevanagari-Regular.ttf \
	/usr/share/fonts/truetype/nanum/NanumGothic.ttf \
	/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc

.PHONY: setup os-packages demo test golden bench mutation clean

setup: $(VENV)/.installed os-packages

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

os-packages:
	@missing=0; for tool in $(APT_TOOLS); do command -v $$tool >/dev/null 2>&1 || missing=1; done; \
	for file in $(APT_FILES); do [ -e $$file ] || missing=1; done; \
	if [ $$missing = 0 ]; then exit 0; fi; \
	if command -v apt-get >/dev/null 2>&1; then \
		SUDO=""; [ "$$(id -u)" = 0 ] || SUDO="sudo"; \
		echo "installing OS packages: $(APT_PACKAGES)"; \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $(APT_PACKAGES); \
	else \
		echo "warning: please install $(APT_PACKAGES) with your package manager (no apt-get here)" >&2; \
	fi

# Builds every shipped procedure in English and every locale whose catalogs are complete, into out/.
demo: setup
	$(LEAFLET) extract $(PROCEDURES)
	$(LEAFLET) status
	$(LEAFLET) build $(PROCEDURES) -o out

test: setup
	$(BIN)/python -m pytest -q

# Writes the golden scripts (tests/fixtures/audio/*.en.script) again after a wanted change to what the guide says;
# the tests only compare against them. Review the diff before committing it.
golden: setup
	$(BIN)/python tests/golden.py

# Times the build against its floor (ReportLab, espeak-ng and LAME alone on the same text): cold, no-op and
# one-message rebuilds of the shipped procedure, and batches of generated procedures; writes bench/results.json.
bench: setup
	$(BIN)/python bench/bench_build.py

# Mutation testing of the safety guards (not part of `make test`: it takes a while): small deliberate bugs in the
# number, negation, review, atomic-write, loudness, draft-notice and output-folder guards, which the tests must
# catch. Its own environment: mutmut 3.7 is the newest that accepts the click gTTS needs (<8.2), and it reads a
# pytest internal that pytest 9 took away. GUARDS="numbers negation" runs some guards only.
MUTATION_VENV := .venv-mutation

mutation: setup $(MUTATION_VENV)/.installed
	$(MUTATION_VENV)/bin/python tests/mutation/run.py $(GUARDS)

$(MUTATION_VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(MUTATION_VENV)
	$(MUTATION_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(MUTATION_VENV)/bin/python -m pip install --quiet -e '.[test]' 'pytest>=8,<9' 'mutmut==3.7.0' 'click<8.2'
	touch $@

clean:
	rm -rf $(VENV) $(MUTATION_VENV) mutants out .pytest_cache

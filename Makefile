# xxgk — two commands on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
SHARED ?= ../shared

.PHONY: run test lint typecheck fonts office postgres chromium ocr accuracy bench docs examples wheelhouse clean

$(STAMP): requirements.lock pyproject.toml setup.py src/xxgk/readers/_bulk.c
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
		{ echo "xxgk needs Python 3.11 or newer (found: $$($(PYTHON) --version))"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check --require-hashes -r requirements.lock
	$(BIN)/pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	@touch $(STAMP)

## run: the web app with an example jurisdiction and the example reports (first admin's password printed once)
run: $(STAMP) static
	$(BIN)/xxgk init-example
	$(BIN)/xxgk serve

## test: lint, type-check and run the test suite (installs CJK fonts for PDF output when it can),
## on every core (pytest-xdist: a worker a core, each test file on one worker, the slowest files first:
## tests/conftest.py SLOW_FILES; TEST_WORKERS=0: serial)
TEST_WORKERS ?= auto
test: $(STAMP) lint typecheck fonts office postgres chromium ocr static
	$(BIN)/pytest -n $(TEST_WORKERS) --dist loadfile --no-loadscope-reorder

lint: $(STAMP)
	$(BIN)/ruff check src tests scripts benchmarks
	$(BIN)/ruff format --check src tests scripts benchmarks

typecheck: $(STAMP)
	$(BIN)/mypy

## accuracy: score xxgk against every truth file of the shared corpus
accuracy: $(STAMP)
	$(BIN)/python scripts/accuracy.py $(SHARED)

## bench: median parse+check time per input type against the targets; then many files at once
## and OCR (each runs even when one misses its target; exit 1 if any did)
bench: $(STAMP)
	@rc=0; \
	$(BIN)/python benchmarks/bench.py || rc=1; \
	$(BIN)/python benchmarks/bench_batch.py || rc=1; \
	$(BIN)/python benchmarks/bench_ocr.py || rc=1; \
	if [ $$rc -ne 0 ]; then echo "make bench: a target above is not met (see SLOWER / below target / NOT met)"; fi; \
	exit $$rc

## docs: regenerate docs/rules.md from the rule registry
docs: $(STAMP)
	$(BIN)/xxgk rules --markdown > docs/rules.md

## static: ECharts for the dashboard's charts, from the npm registry as web/package-lock.json
## pins it (npm ci checks each package's hash), into src/xxgk/web/static/vendor/ (not committed)
VENDOR := src/xxgk/web/static/vendor
.PHONY: static
static: $(VENDOR)/echarts.min.js

$(VENDOR)/echarts.min.js: web/package.json web/package-lock.json
	@if ! command -v npm >/dev/null; then \
		echo "static: npm not found: the dashboard's charts need ECharts (install Node.js and npm, then make static); the pages work without charts"; \
	else \
		tmp=$$(mktemp -d) && cp web/package.json web/package-lock.json "$$tmp"/ && \
		(cd "$$tmp" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error) && \
		mkdir -p $(VENDOR) && cp "$$tmp"/node_modules/echarts/dist/echarts.min.js $@.tmp && \
		cp "$$tmp"/node_modules/echarts/LICENSE $(VENDOR)/echarts.LICENSE && mv $@.tmp $@; \
		status=$$?; rm -rf "$$tmp"; \
		if [ $$status = 0 ]; then echo "static: $@ ($$(wc -c < $@) bytes)"; \
		else echo "static: npm ci failed (no registry?); the dashboard's charts need ECharts: make static"; fi; \
	fi

## wheelhouse: xxgk's wheel and its run-time dependencies (pinned versions and hashes of
## requirements.lock) in one folder, for a machine without internet:
##   pip install --no-index --find-links <folder> "xxgk[ocr]"  (ocr: scanned reports)
## another machine: make wheelhouse PLATFORM=win_amd64 (Windows), PLATFORM=manylinux_2_28_aarch64 (麒麟 on ARM)
WHEELHOUSE ?= dist/wheelhouse
PLATFORM   ?=
PYVER      ?= 3.11
wheelhouse: $(STAMP) static
	$(BIN)/python scripts/wheelhouse.py $(WHEELHOUSE) $(if $(PLATFORM),--platform $(PLATFORM) --python-version $(PYVER),)

## examples: rewrite the example reports shipped in src/xxgk/examples/
examples: $(STAMP)
	$(BIN)/python scripts/make_examples.py

## fonts: Chinese fonts and pdftoppm for PDF output (Debian: fonts-noto-cjk poppler-utils libharfbuzz-subset0)
fonts:
	@if fc-list :lang=zh 2>/dev/null | grep -q . && command -v pdftoppm >/dev/null \
		&& ldconfig -p 2>/dev/null | grep -q libharfbuzz-subset; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		echo "fonts: installing fonts-noto-cjk poppler-utils libharfbuzz-subset0 (Debian) for PDF output…"; \
		apt-get update -qq >/dev/null && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-noto-cjk poppler-utils libharfbuzz-subset0 >/dev/null \
		|| echo "fonts: apt-get failed; PDF output and its tests are skipped"; \
	else \
		echo "fonts: no Chinese font found; PDF output needs: apt-get install fonts-noto-cjk poppler-utils (PDF tests are skipped)"; \
	fi

## office: LibreOffice (Debian: libreoffice-writer-nogui) for .doc/.wps input and DOCX page images
office:
	@if command -v soffice >/dev/null || command -v libreoffice >/dev/null; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		echo "office: installing libreoffice-writer-nogui (Debian) for .doc input and DOCX previews…"; \
		apt-get update -qq >/dev/null && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libreoffice-writer-nogui >/dev/null \
		|| echo "office: apt-get failed; .doc/.wps input and DOCX previews are skipped"; \
	else \
		echo "office: LibreOffice not found; .doc/.wps input needs: apt-get install libreoffice-writer-nogui (tests are skipped)"; \
	fi

## postgres: Debian's PostgreSQL server, for the store and web tests on PostgreSQL (a throwaway cluster per run)
postgres:
	@if ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		echo "postgres: installing postgresql (Debian) for the PostgreSQL variants of the tests…"; \
		apt-get update -qq >/dev/null && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null \
		|| echo "postgres: apt-get failed; the PostgreSQL variants of the tests are skipped"; \
	else \
		echo "postgres: PostgreSQL not found; the PostgreSQL tests need: apt-get install postgresql (they are skipped)"; \
	fi

## chromium: Debian's Chromium for the browser tests (Playwright drives /usr/bin/chromium; no browser is downloaded)
chromium:
	@if command -v chromium >/dev/null; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		echo "chromium: installing chromium (Debian) for the browser tests…"; \
		apt-get update -qq >/dev/null && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null \
		|| echo "chromium: apt-get failed; the browser tests are skipped"; \
	else \
		echo "chromium: Chromium not found; the browser tests need: apt-get install chromium (they are skipped)"; \
	fi

## ocr: the system libraries OpenCV (the ocr extra, for scanned reports) loads (Debian: libgl1 libglib2.0-0)
ocr:
	@if ldconfig -p 2>/dev/null | grep -q 'libGL.so.1 ' && ldconfig -p 2>/dev/null | grep -q libgthread-2.0.so.0; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		echo "ocr: installing libgl1 libglib2.0-0 (Debian) for OpenCV, which reads scanned reports…"; \
		apt-get update -qq >/dev/null && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libgl1 libglib2.0-0 >/dev/null \
		|| echo "ocr: apt-get failed; scanned reports cannot be read and the OCR tests are skipped"; \
	else \
		echo "ocr: libGL not found; scanned reports need: apt-get install libgl1 libglib2.0-0 (the OCR tests are skipped)"; \
	fi

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache

## fuzz: N seeded mutants (default 20000) of the examples and ../shared/corpus through parse + check: ok / clean error / crash / hang, worst time and memory
.PHONY: fuzz
N ?= 20000
fuzz: $(STAMP)
	$(BIN)/python scripts/fuzz.py $(N) --corpus $(SHARED)/corpus

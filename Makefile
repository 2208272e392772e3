# The template's own checks. `make test` bakes services and runs their install, test suite,
# lint and server, so it needs the Python versions the template offers (3.11-3.13) and,
# for one test, PostgreSQL (see README.md).

UV_VERSION := 0.13.9

# uv must use an interpreter this machine already has, never download one; the template's
# tooling runs on the oldest Python the template offers.
export UV_PYTHON_DOWNLOADS := never
PYTHON ?= $(shell python3 -c 'import sys; print(sys.executable)' 2>/dev/null)
export UV_PYTHON := $(PYTHON)

# Use the uv on PATH when there is one; otherwise bootstrap a pinned copy into .tools/.
UV := $(or $(shell command -v uv 2>/dev/null),.tools/bin/uv)
RUN := $(UV) run --frozen

# Backstage's JSON schemas (catalog entities, Template v1beta3), its templating engine and the
# form library its scaffolder fills defaults with (rjsf, the version plugin-scaffolder-react
# pins), for tests/test_backstage*.py. They ship only as npm packages; pinned, installed into a
# gitignored folder, never saved to a package.json. Without npm those tests skip (and fail
# under CI=true).
NPM_DIR := .cache/npm
BACKSTAGE_NPM := @backstage/catalog-model@1.10.3 @backstage/plugin-scaffolder-common@2.4.0 nunjitsu@0.7.0 \
	@rjsf/utils@5.24.13 @rjsf/validator-ajv8@5.24.13

# Bakes are independent, so spread them over the CPUs; the baked suites take minutes each,
# so idle workers steal queued tests instead of waiting on a fixed split.
PYTEST_ARGS ?= -n auto --dist worksteal

.PHONY: help install test lint format lock relock clean docs bench-bakes

help:  ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-8s %s\n", $$1, $$2}'

.tools/bin/uv:
	@test -n "$(PYTHON)" || { echo "error: python3 not found; install Python 3.11 or run make PYTHON=/path/to/python" >&2; exit 1; }
	$(PYTHON) -m venv .tools
	.tools/bin/python -m pip install --quiet "uv==$(UV_VERSION)"

install: $(UV) $(NPM_DIR)/installed.txt  ## Install the locked tooling into .venv
	$(UV) sync --frozen

$(NPM_DIR)/installed.txt: Makefile
	@if command -v npm >/dev/null 2>&1; then \
		echo "npm install $(BACKSTAGE_NPM)"; \
		npm install --prefix $(NPM_DIR) --no-save --no-audit --no-fund --ignore-scripts \
			--loglevel=error $(BACKSTAGE_NPM) && echo "$(BACKSTAGE_NPM)" > $@; \
	else \
		echo "warning: npm not found; the Backstage schema tests will skip" >&2; \
	fi

test: install  ## Run the template's tests (bakes services and runs their checks)
	$(RUN) pytest $(PYTEST_ARGS)

lint: install  ## ruff and mypy (strict) on the template's own Python
	$(RUN) ruff check .
	$(RUN) ruff format --check .
	$(RUN) mypy

bench-bakes: install  ## Time a bake of every option-matrix context (budget: 1 s each)
	$(RUN) python scripts/bake_times.py $(BENCH_ARGS)

docs: install  ## Serve the documentation site on http://127.0.0.1:8000
	NO_MKDOCS_2_WARNING=1 $(RUN) mkdocs serve

format: install  ## Apply ruff's fixes and formatting
	$(RUN) ruff check --fix .
	$(RUN) ruff format .

lock: $(UV)  ## Re-resolve uv.lock after a change to pyproject.toml
	$(UV) lock

relock: install  ## Re-lock the baked project's uv.lock after a change to its pyproject.toml
	PATH="$(CURDIR)/.venv/bin:$$PATH" python scripts/relock.py

clean:  ## Remove the virtualenvs and caches
	rm -rf .venv .tools .cache .pytest_cache .mypy_cache .ruff_cache

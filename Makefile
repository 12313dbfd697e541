# counterclaim: make demo | make test | make lint | make bench
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
PIP    := $(BIN)/python -m pip --disable-pip-version-check -q

.PHONY: demo test lint bench install install-dev clean vendor

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Re-install when the project metadata changes.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(PIP) install -e '.[web,postgres]'
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(PIP) install -e '.[dev]'
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed vendor
install-dev: $(VENV)/.installed-dev vendor

# The map library (Leaflet, npm) for the web pages, copied into the package's static files;
# gitignored and re-copied when package-lock.json changes. Never loaded from a CDN.
LEAFLET_DIR := src/counterclaim/web/static/vendor/leaflet
vendor: $(LEAFLET_DIR)/.vendored

$(LEAFLET_DIR)/.vendored: package.json package-lock.json
	npm ci --no-audit --no-fund
	rm -rf $(LEAFLET_DIR)
	mkdir -p $(LEAFLET_DIR)
	cp -R node_modules/leaflet/dist/leaflet.js node_modules/leaflet/dist/leaflet.css \
	  node_modules/leaflet/dist/images $(LEAFLET_DIR)/
	touch $@

demo: install
	$(BIN)/counterclaim analyze samples/
	$(BIN)/counterclaim ingest samples/ --db counterclaim.db
	$(BIN)/counterclaim disputes --db counterclaim.db
	$(BIN)/counterclaim agreements --db counterclaim.db
	@echo
	@echo "The claims are in counterclaim.db (SQLite; datasette and DuckDB open it as it is)."
	@echo "Open the web app (map, places, disputes, documents) over it with:"
	@echo "  $(BIN)/counterclaim serve --db counterclaim.db     # then http://127.0.0.1:8000/"
	@echo "or explore it from the command line:"
	@echo "  $(BIN)/counterclaim claims --db counterclaim.db --place Kostiantynivka"
	@echo "  $(BIN)/counterclaim timeline Vovchansk --db counterclaim.db --chart vovchansk.png"
	@echo "  $(BIN)/counterclaim snapshot --db counterclaim.db --date 2025-03-10"

lint: install-dev
	$(BIN)/ruff check src tests benchmarks

test: install-dev
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/python -m pytest -q

bench: install
	$(BIN)/python benchmarks/bench_pipeline.py

clean:
	rm -rf build dist src/*.egg-info .pytest_cache .ruff_cache

# Two commands for a fresh machine: `make run` (the app on the bundled documents
# with demo progress) and `make test` (the test suite, browser tests included).
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8050

.PHONY: run test setup db browser clean screenshots bench

$(BIN)/python:
	$(PY) -m venv $(VENV)

$(VENV)/.installed: requirements.txt | $(BIN)/python
	$(BIN)/pip install -q -r requirements.txt
	touch $@

setup: $(VENV)/.installed

db: setup
	$(BIN)/flask --app app init-db
	$(BIN)/flask --app app load-demo

run: db
	HOST=$(HOST) PORT=$(PORT) $(BIN)/python app.py

# Chromium (browser tests), LibreOffice and poppler (the PDFs of the month-end files; the slow
# tests render exports to PDF/PNG)
OFFICE := libreoffice-calc-nogui libreoffice-writer-nogui libreoffice-impress-nogui python3-uno
browser:
	@(command -v chromium && command -v pdftoppm && dpkg -s $(OFFICE) fonts-noto-cjk) >/dev/null 2>&1 || \
		(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
		chromium fonts-noto-cjk $(OFFICE) poppler-utils >/dev/null)

# axe-core (the browser tests' accessibility check, WCAG 2.1 A/AA) from the npm registry
AXE := .axe/node_modules/axe-core/axe.min.js
$(AXE):
	npm install --silent --no-save --no-audit --no-fund --prefix .axe axe-core@4.14.1

test: setup browser $(AXE)
	$(BIN)/pytest -q

clean:
	rm -rf $(VENV) data/app.db data/app.db-wal data/app.db-shm

# Screenshots of every page into docs/screenshots/ (starts the app on port 8059).
screenshots: db browser  # SCREENSHOT_USER / SCREENSHOT_PASSWORD: an account to take them as
	PORT=8059 $(BIN)/python app.py & pid=$$!; sleep 4; \
	$(BIN)/python -m tools.screenshots http://127.0.0.1:8059; status=$$?; kill $$pid; exit $$status

# The benchmark (bench/run.py): every page's callbacks cold and warm at a scale tier,
# page loads in Chromium, RSS.  make bench TIER=M [DB=postgresql+psycopg://…] [FRACTION=0.1]
# (tier S: the bundled documents; M and L are generated into bench/<tier>.db once).
TIER ?= M
REPEATS ?= 5
FRACTION ?= 1
bench: setup browser
	$(BIN)/python -m bench.run --tier $(TIER) --repeats $(REPEATS) --fraction $(FRACTION) $(if $(DB),--db $(DB)) \
		--json bench/result-$(TIER).json

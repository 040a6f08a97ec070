# Two commands for a fresh machine: `make run` (the app on the bundled documents
# with demo progress) and `make test` (the test suite, browser tests included).
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8050

.PHONY: run test setup db browser clean

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

browser:
	@command -v chromium >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
		apt-get install -y -qq chromium fonts-noto-cjk >/dev/null)

test: setup browser
	$(BIN)/pytest -q

clean:
	rm -rf $(VENV) data/app.db data/app.db-wal data/app.db-shm

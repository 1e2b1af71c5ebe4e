# 文秘 Wenmi — two commands on a fresh machine: `make demo`, `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test install clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/wenmi build --project .

test: $(STAMP)
	$(BIN)/pytest

clean:
	rm -rf $(VENV) outputs/*    # documents and batch folders; outputs/.history/ (hand edits set aside) stays

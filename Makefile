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
	@echo
	@echo "示例已生成到 outputs/。在新打开的终端中先运行一次：. .venv/bin/activate"
	@echo "之后即可使用 wenmi build、wenmi check 等命令（也可不激活，直接写 .venv/bin/wenmi）。"

test: $(STAMP)
	$(BIN)/pytest

clean:
	rm -rf $(VENV) outputs/*    # documents and batch folders; outputs/.history/ (hand edits set aside) stays

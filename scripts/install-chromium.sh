#!/usr/bin/env bash
# Installs Debian's chromium and a Chinese font (apt-get), so tests/serve/test_browser.py drives
# a real browser through the workbench (wenmi serve) instead of being skipped. Playwright, the
# Python side, comes with `make install` (the test extras) and starts this chromium by its path.
# Idempotent and quiet: does nothing when both are there; prints apt-get's output only if it fails.
# .ci/run runs it before `make test`.
set -euo pipefail
if command -v chromium >/dev/null 2>&1 && command -v fc-list >/dev/null 2>&1 \
        && [ -n "$(fc-list :lang=zh family 2>/dev/null | head -n 1)" ]; then
    exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
log=$(mktemp)
trap 'rm -f "$log"' EXIT
if ! { $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq \
        --no-install-recommends chromium fonts-noto-cjk; } >"$log" 2>&1; then
    cat "$log" >&2
    echo "安装 chromium 失败（见上面 apt-get 的输出）" >&2
    exit 1
fi

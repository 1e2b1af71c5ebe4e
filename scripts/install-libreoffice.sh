#!/usr/bin/env bash
# Installs LibreOffice Writer and free Chinese fonts (Debian/Ubuntu, apt-get), so the tests
# that open generated DOCX files in LibreOffice run instead of being skipped:
#   tests/test_redline.py (修订稿 converted to PDF), tests/test_refresh.py (round trip).
# `make test` does not need it; CI may run it before `make test`.
set -euo pipefail
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
$SUDO apt-get update
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y --no-install-recommends \
    libreoffice-writer-nogui fonts-noto-cjk fonts-arphic-ukai fonts-wqy-zenhei
soffice --version

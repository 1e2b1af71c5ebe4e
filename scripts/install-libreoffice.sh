#!/usr/bin/env bash
# Installs what the `pdf` format and the previews need (Debian/Ubuntu, apt-get): LibreOffice
# Writer without its GUI, poppler-utils (pdftoppm, pdftotext), and free Chinese fonts — TeX
# Live's Fandol faces (texlive-lang-chinese: the only free 仿宋 and 楷体), Noto CJK for the
# title, WenQuanYi and AR PL as fallbacks. pipeline/writers/fonts.conf maps the font names a
# 公文 uses to these faces; Debian does not register TeX Live's fonts with fontconfig, so that
# file adds their folder itself.
#
# Idempotent and quiet: installs only what is missing, prints one line when nothing is.
# .ci/run calls it, so the LibreOffice tests run in CI instead of being skipped.
set -euo pipefail

packages=(libreoffice-writer-nogui poppler-utils fontconfig texlive-lang-chinese
          fonts-noto-cjk fonts-arphic-ukai fonts-arphic-uming fonts-wqy-zenhei)

missing=()
for package in "${packages[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
        missing+=("$package")
    fi
done
if [ ${#missing[@]} -eq 0 ]; then
    echo "LibreOffice 与中文字体均已安装。"
    exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
echo "正在安装：${missing[*]}"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends \
    "${missing[@]}" >/dev/null
soffice --version

#!/usr/bin/env bash
# Render a DOCX the way a reader sees it: LibreOffice makes a PDF, pdftoppm one PNG a page.
# The Windows font names in the file are mapped to free stand-ins by scripts/fonts.conf.
#
#   scripts/preview.sh FILE.docx [OUTDIR]     (OUTDIR defaults to FILE's folder + /preview)
set -euo pipefail

if [[ $# -lt 1 || $# -gt 2 ]]; then
    echo "用法：scripts/preview.sh 文件.docx [输出目录]" >&2
    exit 2
fi
docx=$1
if [[ ! -f $docx ]]; then
    echo "找不到文件：$docx" >&2
    exit 2
fi
outdir=${2:-$(dirname "$docx")/preview}

packages="libreoffice-writer poppler-utils fonts-noto-cjk fonts-wqy-zenhei fonts-arphic-ukai fonts-arphic-uming"
for tool in soffice pdftoppm; do
    if ! command -v "$tool" >/dev/null; then
        echo "未找到 $tool，无法预览。请先安装（Debian/Ubuntu）：sudo apt-get install $packages" >&2
        echo "如需更接近的仿宋、楷体字形，可另装 texlive-lang-chinese（Fandol 字体）。" >&2
        exit 3
    fi
done

scripts=$(cd "$(dirname "$0")" && pwd)
export FONTCONFIG_FILE="$scripts/fonts.conf"

# A profile of its own, so a LibreOffice the user has open does not swallow the job.
profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT

mkdir -p "$outdir"
name=$(basename "${docx%.*}")
soffice "-env:UserInstallation=file://$profile" --headless --convert-to pdf \
    --outdir "$outdir" "$docx" >/dev/null 2>&1
if [[ ! -f $outdir/$name.pdf ]]; then
    echo "LibreOffice 未能把 $docx 转为 PDF。" >&2
    exit 1
fi
rm -f "$outdir/$name"-*.png
pdftoppm -r 100 -png "$outdir/$name.pdf" "$outdir/$name"
echo "PDF：$outdir/$name.pdf"
echo "页面图片："
ls "$outdir/$name"-*.png

"""PDF writer: the DOCX converted by LibreOffice, the converter offices use on Linux.

The DOCX bytes go to a temporary folder and `soffice --headless --convert-to pdf` turns them
into a PDF there. Each conversion gets a LibreOffice profile of its own, so parallel builds
(and a LibreOffice the user has open) do not share one and block each other; a conversion
that hangs is stopped after CONVERT_TIMEOUT seconds with its whole process group. The font
names a 公文 uses (仿宋_GB2312, 黑体…) are found through fonts.conf beside this file: the
installed Windows fonts when there are any, else TeX Live's Fandol faces and other free
stand-ins (scripts/install-libreoffice.sh installs them).
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from ..errors import WenmiError
from ..model import Bundle, Document
from . import docx

CONVERT_TIMEOUT = 180                # seconds; a 50-page file takes a few
FONTS_CONF = Path(__file__).with_name("fonts.conf")
INSTALL_HINT = ("在 Debian/Ubuntu 上运行项目中的 scripts/install-libreoffice.sh（安装 LibreOffice 和中文字体）；"
                "其他系统请安装 LibreOffice 并确保 soffice 命令可用。其他格式（docx、html、md、txt）不需要它")


def write(document: Document | Bundle) -> bytes:
    """The document as PDF bytes, by way of its DOCX."""
    return convert(docx.write(document))


def soffice() -> str:
    """The LibreOffice command; a user error saying how to install it when there is none."""
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found is None:
        raise WenmiError("生成 PDF 需要 LibreOffice，但没有找到 soffice 命令", hint=INSTALL_HINT)
    return found


def convert(package: bytes, timeout: float = CONVERT_TIMEOUT) -> bytes:
    """A DOCX package converted to PDF by LibreOffice in a temporary folder."""
    command = soffice()
    with tempfile.TemporaryDirectory(prefix="wenmi-pdf-") as folder:
        source = Path(folder, "document.docx")
        source.write_bytes(package)
        profile = Path(folder, "profile")
        arguments = [command, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
                     "--convert-to", "pdf", "--outdir", folder, str(source)]
        environment = dict(os.environ, FONTCONFIG_FILE=str(FONTS_CONF))
        process = subprocess.Popen(arguments, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                   stdin=subprocess.DEVNULL, env=environment, start_new_session=True)
        try:
            said, _ = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)      # soffice starts soffice.bin: stop both
            process.communicate()
            raise WenmiError(f"LibreOffice 在 {timeout:g} 秒内没有把文档转换为 PDF",
                             hint="关闭其他正在运行的程序后重试") from None
        result = Path(folder, "document.pdf")
        if process.returncode != 0 or not result.is_file():
            message = said.decode("utf-8", "replace").strip().splitlines()
            raise WenmiError("LibreOffice 未能把文档转换为 PDF"
                             + (f"：{message[-1]}" if message else ""), hint=INSTALL_HINT)
        return result.read_bytes()

"""The pdf format: the DOCX as LibreOffice prints it, with the Chinese stand-in fonts; a clear
error when LibreOffice is missing or hangs."""

import stat
import subprocess
import threading

import pytest

from helpers import needs_libreoffice
from project_copies import SUMMARY, copy_project, snapshot
from wenmi.cli import main
from wenmi.errors import WenmiError
from wenmi.model import Attachment, Document, Paragraph, Table, Text
from wenmi.writers import pdf


def sample_document(title: str = "青禾县总工会2024年工作总结") -> Document:
    body = tuple(Paragraph((Text("全县各级工会围绕服务职工主线，扎实推进各项工作，取得明显成效。" * 3),))
                 for _ in range(3))
    attachment = Attachment("各乡镇慰问金额", (Table((), ("乡镇", "慰问金额"),
                                                     (((Text("城关镇"),), (Text("9.12万元"),)),)),))
    return Document(title=title, blocks=body, attachments=(attachment,), issuer="青禾县总工会",
                    date="2024年12月20日")


def pages_of(data: bytes, tmp_path) -> list[str]:
    """The text of each page of a PDF, by poppler's pdftotext."""
    path = tmp_path / "document.pdf"
    path.write_bytes(data)
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True,
                          text=True).stdout
    return [page for page in text.split("\f") if page.strip()]


@needs_libreoffice
def test_pdf_prints_the_document_and_its_attachment_on_a4_in_the_stand_in_fonts(tmp_path):
    data = pdf.write(sample_document())
    assert data.startswith(b"%PDF")
    pages = pages_of(data, tmp_path)
    assert len(pages) == 2
    assert "青禾县总工会2024年工作总结" in pages[0].replace(" ", "")
    assert "—1—" in pages[0].replace(" ", "") and "—2—" in pages[1].replace(" ", "")
    attachment = [line.strip() for line in pages[1].splitlines() if line.strip()]
    assert attachment[0] == "附件" and attachment[1].replace(" ", "") == "各乡镇慰问金额"
    (tmp_path / "document.pdf").write_bytes(data)
    info = subprocess.run(["pdfinfo", str(tmp_path / "document.pdf")], check=True, capture_output=True,
                          text=True).stdout
    assert "(A4)" in info
    fonts = subprocess.run(["pdffonts", str(tmp_path / "document.pdf")], check=True, capture_output=True,
                           text=True).stdout
    # fonts.conf maps 仿宋_GB2312 to TeX Live's FandolFang and 黑体 to FandolHei
    assert "FandolFang" in fonts and "FandolHei" in fonts


@needs_libreoffice
def test_parallel_conversions_do_not_share_a_profile(tmp_path):
    titles = ["青禾县总工会2024年工作总结", "青禾县总工会2024年经验交流材料"]
    results = {}

    def convert(title):
        results[title] = pdf.write(sample_document(title))

    threads = [threading.Thread(target=convert, args=(title,)) for title in titles]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for title in titles:
        assert title in pages_of(results[title], tmp_path)[0].replace(" ", "")


def test_without_libreoffice_a_pdf_build_says_how_to_install_it_and_writes_nothing(tmp_path, monkeypatch,
                                                                                    capsys):
    root = copy_project(tmp_path)
    monkeypatch.setattr(pdf.shutil, "which", lambda name: None)
    assert main(["build", SUMMARY, "--formats", "docx,pdf", "--project", str(root)]) == 2
    message = capsys.readouterr().err
    assert "生成 PDF 需要 LibreOffice" in message and "scripts/install-libreoffice.sh" in message
    assert "Traceback" not in message
    assert not (root / "outputs").exists() or snapshot(root / "outputs") == {}   # not even the docx


def test_a_conversion_that_hangs_is_stopped_with_its_children(tmp_path, monkeypatch):
    """A stand-in soffice that starts a child and sleeps: both are gone after the timeout."""
    child_pid = tmp_path / "child.pid"
    fake = tmp_path / "soffice"
    fake.write_text(f"#!/bin/sh\nsleep 300 &\necho $! > {child_pid}\nwait\n")
    fake.chmod(fake.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setattr(pdf.shutil, "which", lambda name: str(fake) if name == "soffice" else None)
    with pytest.raises(WenmiError, match="1 秒内没有把文档转换为 PDF"):
        pdf.convert(b"not read", timeout=1)
    child = int(child_pid.read_text())
    state = subprocess.run(["ps", "-o", "stat=", "-p", str(child)], capture_output=True, text=True).stdout
    assert state.strip() in ("", "Z")                 # killed (at most not yet reaped)

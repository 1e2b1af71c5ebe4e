"""What the command prints is Chinese, whoever found the problem: argparse, the operating
system (a full disk, a read-only folder, a permission), a zip or XML parser, Jinja."""

import errno
import os
import re
import shutil
from pathlib import Path

import pytest

from wenmi.cli import main
from wenmi.keeping import manifest as manifest_module
from wenmi.keeping import staging as staging_module

BASE = Path(__file__).resolve().parent / "bad_inputs" / "base"
ENGLISH = ("usage:", "error:", "argument", "invalid choice", "expected", "required", "unrecognized",
           "show this help", "show program", "positional arguments", "options:", "No such file",
           "No space", "Read-only", "Permission denied", "File is not a zip", r"\bline \d", r"column \d")


def english_in(text: str) -> list[str]:
    return [phrase for phrase in ENGLISH if re.search(phrase, text)]


@pytest.fixture
def root(tmp_path) -> Path:
    root = tmp_path / "项目"
    shutil.copytree(BASE, root)
    assert main(["build", "--project", str(root)]) == 0
    return root


@pytest.mark.parametrize("argv", [["不存在的命令"], ["build", "--不存在"], ["explain"], ["build", "--formats"],
                                  ["diff", "--since"], ["--help"], ["build", "--help"], ["refresh"]],
                         ids=lambda argv: " ".join(argv))
def test_argparse_speaks_chinese(capsys, argv):
    with pytest.raises(SystemExit) as stopped:
        main(argv)
    captured = capsys.readouterr()
    text = captured.out + captured.err
    assert stopped.value.code in (0, 2)
    assert not english_in(text), text
    assert "用法：" in text


def test_version_help_is_chinese(capsys):
    with pytest.raises(SystemExit):
        main(["--help"])
    assert "--version   显示版本号并退出" in capsys.readouterr().out


@pytest.mark.parametrize("code, words", [(errno.ENOSPC, "磁盘空间已满"), (errno.EROFS, "只读"),
                                         (errno.EACCES, "没有权限")])
def test_a_failing_disk_is_said_in_chinese(root, capsys, monkeypatch, code, words):
    def refuse(*args, **kwargs):
        raise OSError(code, os.strerror(code))
    monkeypatch.setattr(staging_module.os, "open", refuse)
    (root / "inputs/正文.md").write_text("新的正文。\n", encoding="utf-8")
    before = (root / "outputs/总结.md").read_bytes()
    assert main(["build", "--project", str(root)]) == 2
    message = capsys.readouterr().err
    assert words in message and "outputs/总结.md" in message and not english_in(message), message
    assert (root / "outputs/总结.md").read_bytes() == before


def test_a_read_only_project_folder_is_said_in_chinese(root, capsys, monkeypatch):
    shutil.rmtree(root / ".wenmi")
    mkdir = Path.mkdir

    def read_only(path, *args, **kwargs):
        if path.name == ".wenmi":
            raise OSError(errno.EROFS, os.strerror(errno.EROFS), str(path))
        return mkdir(path, *args, **kwargs)
    monkeypatch.setattr(Path, "mkdir", read_only)
    assert main(["build", "--project", str(root)]) == 2
    message = capsys.readouterr().err
    assert ".wenmi" in message and "只读" in message and not english_in(message), message


def test_an_os_error_nothing_else_caught_is_a_user_error_in_chinese(root, capsys, monkeypatch):
    """A hand-edited output moved aside by --force, into a .history/ the system refuses."""
    (root / "outputs/总结.md").write_text("手工改过。\n", encoding="utf-8")

    def refuse(source, target):
        raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(target))
    monkeypatch.setattr(manifest_module.shutil, "move", refuse)
    assert main(["build", "--project", str(root), "--force"]) == 2
    message = capsys.readouterr().err
    assert message.startswith("错误：") and "没有权限" in message and "Traceback" not in message
    assert not english_in(message), message


@pytest.mark.parametrize("content, words", [(b"PK\x03\x04 not really", "不是 zip 格式"),
                                            (b"not a zip at all", "不是 zip 格式")])
def test_refresh_of_a_file_that_is_no_docx_is_said_in_chinese(root, tmp_path, capsys, content, words):
    path = tmp_path / "定稿.docx"
    path.write_bytes(content)
    assert main(["refresh", "--project", str(root), str(path)]) == 2
    message = capsys.readouterr().err
    assert words in message and not english_in(message), message

"""An office's Windows machine, as far as Linux can stand in for it: folders with Chinese names
and spaces, files saved with CRLF line ends, a console (or a redirected output) in GBK, file
names Windows refuses, and the build lock taken with msvcrt instead of fcntl. (Where fork is
missing, the batch lane is tested in composing/test_dossiers.py.)"""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from project_copies import EXCHANGE, SUMMARY, copy_project, edit, snapshot
from wenmi.cli import main
from wenmi.errors import WenmiError
from wenmi.filenames import safe_file_name
from wenmi.keeping import lock
from wenmi.reading.specs import Project
from wenmi.reading.specs import load_project

TEXT_INPUTS = (".yaml", ".md", ".j2", ".csv")


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> dict[str, bytes]:
    root = copy_project(tmp_path_factory.mktemp("lf"))
    assert main(["build", "--project", str(root)]) == 0
    return snapshot(root / "outputs")


def with_crlf(root: Path) -> Path:
    """Every text input saved with CRLF line ends, as Windows editors save them (the
    example's CSVs have them already, as Excel and WPS write CSV)."""
    for path in root.rglob("*"):
        if path.suffix in TEXT_INPUTS:
            text = path.read_bytes().replace(b"\r\n", b"\n")
            path.write_bytes(text.replace(b"\n", b"\r\n"))
    return root


def spoil(root: Path) -> None:
    """An error placed at a YAML line and a warning at a body's line and column."""
    edit(root / "inputs/指标.yaml", "column: 资助金额", "column: 资助金")
    edit(root / "inputs/正文/2024年度工作总结.md", "一年来，县总工会", "一年来，县总工会走访企业36家，")


def place_of(path: Path, text: str) -> tuple[int, int]:
    """Line and column (from 1) of `text` in a file."""
    lines = path.read_text(encoding="utf-8").splitlines()
    line = next(number for number, content in enumerate(lines) if text in content)
    return line + 1, lines[line].index(text) + 1


def test_crlf_inputs_in_a_folder_named_with_spaces_build_the_same_bytes(built, tmp_path):
    root = with_crlf(copy_project(tmp_path / "工会 文件" / "2024 年度 项目"))
    assert b"\r\n" in (root / "inputs/报告.yaml").read_bytes()
    assert main(["build", "--project", str(root)]) == 0
    assert snapshot(root / "outputs") == built


def test_crlf_inputs_are_reported_at_the_same_lines_and_columns(tmp_path, capsys):
    messages = []
    for name, prepare in (("lf", copy_project), ("crlf", lambda path: with_crlf(copy_project(path)))):
        root = prepare(tmp_path / name)
        spoil(root)
        assert main(["check", "--project", str(root)]) == 2
        messages.append(capsys.readouterr().err)
    assert messages[0] == messages[1]
    metric, _ = place_of(root / "inputs/指标.yaml", "  金秋助学金额:")
    assert f"错误：第{metric}行：指标“金秋助学金额”的 column 引用了“资助金”列" in messages[1]
    line, column = place_of(root / "inputs/正文/2024年度工作总结.md", "36家")
    assert f"警告：第{line}行第{column}列：直接写入的数字“36”" in messages[1]


def test_output_to_a_gbk_console_prints_what_gbk_lacks_as_escapes(tmp_path):
    """Windows writes a redirected output (and a console set to it) in its ANSI code page:
    GBK in a Chinese office. A report name outside GBK must not stop the command."""
    root = copy_project(tmp_path / "工会 文件")
    edit(root / "inputs/报告.yaml", f"  {SUMMARY}:", f"  {SUMMARY}•:")      # • is not in GBK
    environment = {**os.environ, "PYTHONIOENCODING": "gbk"}
    for command in (["list"], ["build"]):
        done = subprocess.run([sys.executable, "-m", "wenmi", *command, "--project", str(root)],
                              capture_output=True, env=environment)
        assert done.returncode == 0, done.stderr.decode("gbk", "replace")
        printed = done.stdout.decode("gbk")
        assert f"{SUMMARY}\\u2022" in printed, printed
    assert "已生成" in printed and f"outputs/{EXCHANGE}.docx" in printed
    assert (root / "outputs" / f"{SUMMARY}•.docx").is_file()


@pytest.mark.parametrize("name, safe", [
    ("COM0", "COM0_"), ("lpt¹", "lpt¹_"), ("CON .docx", "CON .docx_"), ("nul .txt", "nul .txt_"),
    ("CONIN$", "CONIN$_"), ("Conout$.md", "Conout$.md_"), ("COM10", "COM10"), ("CONSOLE", "CONSOLE"),
])
def test_windows_device_names_are_never_given_to_a_file(name, safe):
    assert safe_file_name(name) == safe


def test_a_reports_file_is_named_by_the_same_rules_as_a_dossiers(tmp_path):
    root = copy_project(tmp_path)
    edit(root / "inputs/报告.yaml", f"  {SUMMARY}:", "  CON:")
    edit(root / "inputs/报告.yaml", f"  {EXCHANGE}:", '  "交流材料: 县/乡两级. ":')
    reports = load_project(root).reports
    assert reports["CON"].output == "CON_"
    assert reports["交流材料: 县/乡两级. "].output == "交流材料_ 县_乡两级"


def test_an_output_name_windows_refuses_is_an_error_naming_a_safe_one(tmp_path):
    root = copy_project(tmp_path)
    edit(root / "inputs/报告.yaml", "    formats: [docx, html, md]\n\n", "    formats: [docx, html, md]\n    output: NUL\n\n")
    with pytest.raises(WenmiError) as refused:
        load_project(root)
    assert refused.value.file == "inputs/报告.yaml"
    assert "输出文件名“NUL”" in str(refused.value) and "可改为“NUL_”" in str(refused.value)


def test_two_reports_whose_files_differ_only_in_letter_case_are_refused(tmp_path):
    root = copy_project(tmp_path)
    edit(root / "inputs/报告.yaml", f"  {SUMMARY}:", "  Summary:")
    edit(root / "inputs/报告.yaml", f"  {EXCHANGE}:", "  summary:")
    with pytest.raises(WenmiError) as refused:
        load_project(root)
    assert "报告“summary”与“Summary”" in str(refused.value) and "会互相覆盖" in str(refused.value)
    lines = (root / "inputs/报告.yaml").read_text(encoding="utf-8").splitlines()
    assert refused.value.place == f"第{lines.index('  summary:') + 1}行"


class WindowsLocks:
    """msvcrt's byte-range locks, kept in memory: a byte is locked from the descriptor's
    position, and a second lock on it fails. Windows also refuses to let anyone else read a
    locked byte, so `locked` is kept for the test to look at."""
    LK_UNLCK, LK_NBLCK = 0, 2

    def __init__(self):
        self.locked: set[tuple[int, int]] = set()       # (file, offset)

    def locking(self, descriptor: int, mode: int, count: int) -> None:
        assert count == 1
        byte = (os.fstat(descriptor).st_ino, os.lseek(descriptor, 0, os.SEEK_CUR))
        if mode == self.LK_UNLCK:
            self.locked.remove(byte)
        elif byte in self.locked:
            raise PermissionError(13, "Permission denied")
        else:
            self.locked.add(byte)


def test_on_windows_the_lock_leaves_who_holds_it_readable(tmp_path, monkeypatch):
    windows = WindowsLocks()
    monkeypatch.setattr(lock, "fcntl", None)
    monkeypatch.setattr(lock, "msvcrt", windows, raising=False)
    project = Project(tmp_path, "测试县总工会", 2024)
    with lock.build_lock(project):
        note = (tmp_path / ".wenmi" / "lock").read_bytes()
        assert note.decode("utf-8").startswith(f"进程 {os.getpid()}")
        assert windows.locked and all(offset >= len(note) for _, offset in windows.locked)
        with pytest.raises(WenmiError) as refused:
            with lock.build_lock(project):
                pass
        assert f"另一次生成正在进行（进程 {os.getpid()}" in str(refused.value)
    assert not windows.locked
    with lock.build_lock(project):             # free again
        pass

"""A newcomer's first commands: after `make demo`, the commands the README shows work as
written in a fresh shell (no activated environment, the system's PATH only)."""

import re
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
README = (REPO / "README.md").read_text(encoding="utf-8")


def commands_block() -> list[str]:
    """The lines of the first code block under “## 命令”, comments dropped."""
    section = README.split("## 命令", 1)[1]
    block = re.search(r"```sh\n(.*?)```", section, re.S).group(1)
    return [line.split("#", 1)[0].strip() for line in block.splitlines() if line.strip()]


@pytest.mark.skipif(not (REPO / ".venv/bin/activate").exists() or sys.platform == "win32",
                    reason="make demo 建立的 .venv 不在代码文件夹中")
def test_the_readme_commands_work_as_written_in_a_fresh_shell(tmp_path):
    first, *commands = commands_block()
    assert not first.startswith("wenmi"), "第一条命令须让 wenmi 可用（激活 .venv）"
    assert all(command.startswith("wenmi ") for command in commands)
    project = tmp_path / "项目"
    script = f"{first} && wenmi init {project} && wenmi list --project {project} && wenmi --version"
    result = subprocess.run(["/bin/sh", "-c", script], cwd=REPO, capture_output=True, text=True,
                            env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "LANG": "C.UTF-8"})
    assert result.returncode == 0, result.stderr
    assert "2024年度工作总结" in result.stdout and "wenmi " in result.stdout


def test_make_demo_says_how_to_use_the_command():
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    demo = makefile.split("\ndemo:", 1)[1].split("\n\n", 1)[0]
    assert ". .venv/bin/activate" in demo and ".venv/bin/wenmi" in demo

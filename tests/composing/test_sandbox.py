"""The template sandbox: a body or template cannot reach Python internals, files or the
environment. Each known escape must end in a clear Chinese error at the body's line, exit 2,
and print nothing it should not."""

import shutil
from pathlib import Path

import pytest

from wenmi.cli import main

BASE = Path(__file__).resolve().parents[1] / "bad_inputs" / "base"

ACCESS = "模板不允许访问这里的内容"                 # an attribute the sandbox refuses
FILES = "只能引用 templates/ 或 inputs/ 中的文件"     # include/import/extends outside the project

# (escape, the reason the message must give)
ESCAPES = [
    ("{{ ''.__class__.__mro__[1].__subclasses__() }}", ACCESS),
    ("{{ 慰问户数.__class__ }}", ACCESS),
    ("{{ 慰问户数.__init__.__globals__ }}", ACCESS),
    ("{{ ''.__class__.mro() }}", ACCESS),
    ("{{ cycler.__init__.__globals__.os.environ }}", ACCESS),
    ("{{ joiner.__init__.__globals__ }}", ACCESS),
    ("{{ namespace.__init__.__globals__ }}", ACCESS),
    ("{{ lipsum.__globals__['os'] }}", ACCESS),
    ("{{ 项目.__class__.__base__ }}", ACCESS),
    ("{{ '{0.__class__.__mro__}'.format(慰问户数) }}", ACCESS),
    ("{{ '{0.__init__.__globals__}'.format(cycler) }}", ACCESS),
    ("{{ '{a.__class__}'.format_map({'a': 慰问户数}) }}", ACCESS),
    ("{% import 'os' as os %}{{ os.system('echo 越权') }}", FILES),
    ("{% include '/etc/passwd' %}", FILES),
    ("{% include '../../../../../../etc/passwd' %}", FILES),
    ("{% extends '/etc/hostname' %}", FILES),
    ("{{ range(10 ** 9) | list | length }}", "模板计算出错"),
    ("{{ self.__init__.__globals__ }}", ACCESS),
    ("{{ __import__('os') }}", "未定义的占位符“__import__”"),
    ("{{ config }}", "未定义的占位符“config”"),
]


@pytest.mark.parametrize("escape, reason", ESCAPES, ids=[escape for escape, _ in ESCAPES])
def test_an_escape_is_refused_with_a_clear_error(tmp_path, capfd, escape, reason):
    root = tmp_path / "项目"
    shutil.copytree(BASE, root)
    (root / "inputs/正文.md").write_text(f"第一段。\n\n越权：{escape}\n", encoding="utf-8")
    assert main(["check", "--project", str(root)]) == 2
    captured = capfd.readouterr()                       # file descriptors: os.system writes there
    message = captured.err
    assert message.startswith("错误：") and "Traceback" not in message
    line = next((line for line in message.splitlines() if "inputs/正文.md：第3行：" in line), None)
    assert line is not None, message                    # the body file, the escape's line
    assert reason in line, line
    for leaked in ("root:", "<class", "PATH=", "module 'os'", "越权\n"):
        assert leaked not in message + captured.out

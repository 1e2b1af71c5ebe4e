"""The template sandbox: a body or template cannot reach Python internals, files or the
environment. Each known escape must end in a clear Chinese error at the body's line, exit 2,
and print nothing it should not."""

import shutil
from pathlib import Path

import pytest

from pipeline.cli import main

BASE = Path(__file__).resolve().parent / "bad_inputs" / "base"

ESCAPES = [
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{{ 慰问户数.__class__ }}",
    "{{ 慰问户数.__init__.__globals__ }}",
    "{{ ''.__class__.mro() }}",
    "{{ cycler.__init__.__globals__.os.environ }}",
    "{{ joiner.__init__.__globals__ }}",
    "{{ namespace.__init__.__globals__ }}",
    "{{ lipsum.__globals__['os'] }}",
    "{{ 项目.__class__.__base__ }}",
    "{{ '{0.__class__.__mro__}'.format(慰问户数) }}",
    "{{ '{0.__init__.__globals__}'.format(cycler) }}",
    "{{ '{a.__class__}'.format_map({'a': 慰问户数}) }}",
    "{% import 'os' as os %}{{ os.system('echo 越权') }}",
    "{% include '/etc/passwd' %}",
    "{% include '../../../../../../etc/passwd' %}",
    "{% extends '/etc/hostname' %}",
    "{{ range(10 ** 9) | list | length }}",
    "{{ self.__init__.__globals__ }}",
    "{{ __import__('os') }}",
    "{{ config }}",
]


@pytest.mark.parametrize("escape", ESCAPES)
def test_an_escape_is_refused_with_a_clear_error(tmp_path, capsys, escape):
    root = tmp_path / "项目"
    shutil.copytree(BASE, root)
    (root / "inputs/正文.md").write_text(f"第一段。\n\n越权：{escape}\n", encoding="utf-8")
    assert main(["check", "--project", str(root)]) == 2
    captured = capsys.readouterr()
    message = captured.err
    assert message.startswith("错误：") and "Traceback" not in message
    assert "inputs/正文.md：第3行" in message             # the body file, the escape's line
    for leaked in ("root:", "<class", "PATH=", "module 'os'", "越权\n"):
        assert leaked not in message + captured.out

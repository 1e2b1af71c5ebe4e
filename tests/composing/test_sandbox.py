"""The template sandbox: a body or template cannot reach Python internals, files or the
environment. Each known escape must end in a clear Chinese error at the body's line, exit 2,
and print nothing it should not."""

import shutil
from pathlib import Path

import pytest

from wenmi.cli import main
from wenmi.composing import sandbox

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


def test_a_big_table_may_make_a_long_text_but_no_operation_may(tmp_path, monkeypatch, capfd):
    """A render's text limit grows with the table rows it is given; the bound of each
    operation does not: `'x' * n` past the base limit is refused beside the same table."""
    monkeypatch.setattr(sandbox, "MAX_TEXT", 20_000)
    keys = 3_000                          # about 50 characters a row: 150,000 in all
    root = tmp_path / "项目"
    files = {
        "inputs/台账/金额.csv": "单位,金额\n" + "".join(f"单位{key:05d},{key % 97 + 1}\n" for key in range(keys)),
        "inputs/项目.yaml": "project: {organization: 测试县总工会, year: 2024}\n"
                            "sources: {金额: {file: 台账/金额.csv, total_row: false, columns: {金额: money}}}\n"
                            "metrics: {各单位金额: {source: 金额, agg: sum, column: 金额, by: 单位, unit: 元}}\n"
                            "reports: {总结: {genre: 总结, body: 正文.md, title: 总结, date: 2024-12-20, "
                            "formats: [md]}}\n",
        "templates/总结.md.j2": "---\n标题: {{ 报告.标题 | tojson }}\n---\n\n{{ 正文 }}\n",
        "inputs/正文.md": "表：各单位金额\n\n{{ 各单位金额 }}\n",
    }
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    body = root / "inputs/正文.md"
    assert main(["build", "--project", str(root)]) == 0, capfd.readouterr().err
    written = (root / "outputs/总结.md").read_text(encoding="utf-8")
    assert len(written) > 20_000
    assert all(f"| 单位{key:05d} | {key % 97 + 1}元 |" in written for key in range(keys))

    body.write_text("表：各单位金额\n\n{{ 各单位金额 }}{{ 'x' * 20_001 }}\n", encoding="utf-8")
    capfd.readouterr()
    assert main(["build", "--project", str(root)]) == 2
    message = capfd.readouterr().err
    assert "inputs/正文.md：第3行：" in message and "过长" in message and "上限 20,000" in message, message

"""The YAML specs as the last build parsed them (.wenmi/specs.json): a file whose text has
not changed is taken from there, and gives what parsing it gives; anything else is parsed."""

import datetime
import math
import shutil
from pathlib import Path
from unittest import mock

from wenmi.build import build, parsed_specs
from wenmi.reading import specs
from wenmi.reading.parsedspecs import ParsedSpecs
from wenmi.reading.specs import load_project, read_yaml

BASE = Path(__file__).resolve().parents[1] / "bad_inputs" / "base"

ODD_VALUES = """\
日期: 2024-12-20
时刻: 2024-12-20 08:30:00.25+08:00
无时区: 2024-12-20T08:30:00
坏日期: 2024-13-45
小数: [0.1, -0.0, .inf, -.inf, .nan, 1e3]
整数键: {1: 一, 2.5: 二点五, 007: 零零七}
空: ~
真假: [yes, false, on]
多行: |
  第一行
  第二行
嵌套:
  - {名称: 甲, 数值: [1, 2, {深: 3}]}
  - 乙
"""


def comparable(tree):
    """A tree as a value that == compares fully: each mapping's keys, values and key lines,
    NaN as a word."""
    if isinstance(tree, specs._Mapping):
        return ("mapping", [(key, comparable(value)) for key, value in tree.items()], tree.key_lines)
    if isinstance(tree, list):
        return [comparable(item) for item in tree]
    if isinstance(tree, float) and math.isnan(tree):
        return "NaN"
    return (type(tree), tree)


def test_a_kept_tree_is_what_parsing_gives_line_by_line(tmp_path):
    source = tmp_path / "指标.yaml"
    source.write_text(ODD_VALUES, encoding="utf-8")
    keeping = tmp_path / ".wenmi" / "specs.json"
    first = ParsedSpecs(keeping)
    parsed = read_yaml(source, "inputs/指标.yaml", first)
    first.save()
    with mock.patch.object(specs, "_parsed", side_effect=AssertionError("parsed again")):
        kept = read_yaml(source, "inputs/指标.yaml", ParsedSpecs(keeping))
    assert comparable(kept) == comparable(parsed)
    assert kept["时刻"] == datetime.datetime(2024, 12, 20, 8, 30, 0, 250000,
                                            datetime.timezone(datetime.timedelta(hours=8)))
    assert kept["坏日期"] == "2024-13-45" and kept.key_lines["嵌套"] == 12


def test_a_changed_file_is_parsed_again(tmp_path):
    source = tmp_path / "指标.yaml"
    source.write_text("数值: 1\n", encoding="utf-8")
    keeping = tmp_path / "specs.json"
    first = ParsedSpecs(keeping)
    read_yaml(source, "inputs/指标.yaml", first)
    first.save()
    source.write_text("数值: 2\n", encoding="utf-8")
    assert read_yaml(source, "inputs/指标.yaml", ParsedSpecs(keeping))["数值"] == 2


def test_what_json_cannot_give_back_as_parsed_is_not_kept(tmp_path):
    """An anchor makes two places one object; a set is no JSON value."""
    for number, text in enumerate(["共同: &a {数值: 1}\n别处: *a\n", "集合: !!set {甲, 乙}\n"]):
        source = tmp_path / f"{number}.yaml"
        source.write_text(text, encoding="utf-8")
        keeping = tmp_path / f"{number}.json"
        first = ParsedSpecs(keeping)
        parsed = read_yaml(source, "inputs/x.yaml", first)
        first.save()
        assert ParsedSpecs(keeping).get("inputs/x.yaml", text) is None
        again = read_yaml(source, "inputs/x.yaml", ParsedSpecs(keeping))
        assert comparable(again) == comparable(parsed)


def test_a_damaged_or_unwritable_keeping_is_parsed_past(tmp_path):
    source = tmp_path / "指标.yaml"
    source.write_text("数值: 1\n", encoding="utf-8")
    for damaged in ("{", "[]", '{"reader": 1}', '{"reader": "x", "trees": {}}'):
        keeping = tmp_path / "specs.json"
        keeping.write_text(damaged, encoding="utf-8")
        assert read_yaml(source, "inputs/指标.yaml", ParsedSpecs(keeping))["数值"] == 1
    (tmp_path / "是文件").write_text("", encoding="utf-8")
    unwritable = ParsedSpecs(tmp_path / "是文件" / "specs.json")
    read_yaml(source, "inputs/指标.yaml", unwritable)
    unwritable.save()                                  # an attempt only: no error


def test_a_build_keeps_the_specs_and_the_next_reads_them_as_parsed(tmp_path):
    root = tmp_path / "项目"
    shutil.copytree(BASE, root)
    build(root)
    assert (root / ".wenmi" / "specs.json").is_file()
    with mock.patch.object(specs, "_parsed", side_effect=AssertionError("parsed again")):
        kept = load_project(root, parsed_specs(root))
        again = build(root)
    assert kept == load_project(root)
    assert again.skipped and not again.written

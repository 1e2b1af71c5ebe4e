"""One unit's return received (receiving.py): its unit found as `wenmi check` finds it (a
cell, or the name it was sent under when units are named by file name), the unit's own file
it replaces, or a new file named after the unit in the source's glob; a return naming no
unit of the roster is refused with the check's own message."""

from pathlib import Path

import pytest

from wenmi.errors import WenmiError
from wenmi.reading.inspection import inspect_project
from wenmi.reading.specs import load_project
from wenmi.receiving import place_return

SPECS = """\
project: {{organization: 示例县总工会, year: 2024}}
sources:
  报表:
    files: {files}
    units: [东镇总工会, 西镇总工会, 北镇总工会]
{unit}
    columns:
      企业: {{type: text, required: true}}
      参保: {{type: integer, min: 0}}
metrics:
  参保数: {{source: 报表, agg: sum, column: 参保, unit: 人}}
"""


def project(root: Path, files: str = "报表/*.csv", unit: str = "", returns: dict[str, str] | None = None) -> Path:
    """A project of CSV returns (`returns`: file name → the line above its header, if any)."""
    (root / "inputs" / "报表").mkdir(parents=True)
    (root / "inputs" / "项目.yaml").write_text(SPECS.format(files=files, unit=unit), encoding="utf-8")
    for name, above in (returns or {"东镇总工会.csv": "", "西镇.csv": ""}).items():
        (root / "inputs" / "报表" / name).write_text(f"{above}\n企业,参保\n甲厂,10\n" if above else "企业,参保\n甲厂,10\n",
                                                    encoding="utf-8")
    return root


def received(root: Path, path: Path, sent_as: str):
    loaded = load_project(root)
    return place_return(loaded, loaded.sources["报表"], inspect_project(root).returns["报表"], path, sent_as)


def sent(tmp_path: Path, text: str = "企业,参保\n乙厂,20\n") -> Path:
    path = tmp_path / "上传" / "0123.csv"          # kept under an id, as the workbench keeps it
    path.parent.mkdir(exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_named_by_file_name_a_known_unit_replaces_its_file_and_a_late_one_gets_its_own(tmp_path):
    root = project(tmp_path / "项目")
    again = received(root, sent(tmp_path), "2024年报表-西镇总工会.csv")
    assert (again.unit, again.relative, again.replaces) == ("西镇总工会", "报表/西镇.csv", "inputs/报表/西镇.csv")
    late = received(root, sent(tmp_path), "北镇.csv")
    assert (late.unit, late.relative, late.replaces) == ("北镇总工会", "报表/北镇总工会.csv", "")


def test_a_new_file_follows_the_glob_and_never_takes_a_name_already_there(tmp_path):
    root = project(tmp_path / "项目", "报表/互助-*.csv", "    skip_rows: 1\n    unit: {cell: A1}",
                   {"互助-东镇总工会.csv": "填报单位：东镇总工会", "互助-北镇总工会.csv": "填报单位：西镇总工会"})
    late = received(root, sent(tmp_path, "填报单位：北镇总工会\n企业,参保\n乙厂,20\n"), "随便.csv")
    assert (late.unit, late.relative, late.replaces) == ("北镇总工会", "报表/互助-北镇总工会（2）.csv", "")


def test_a_glob_that_does_not_say_how_to_name_a_file_refuses_a_new_unit(tmp_path):
    root = project(tmp_path / "项目", "报表/?镇*.csv")
    with pytest.raises(WenmiError, match="不知道新报送单位的报表该用什么文件名") as caught:
        received(root, sent(tmp_path), "北镇.csv")
    assert caught.value.hint == "请把这份报表直接放进文件夹，文件名须符合 files 的写法"


def test_a_unit_not_on_the_roster_is_refused_as_wenmi_check_refuses_it(tmp_path):
    root = project(tmp_path / "项目")
    with pytest.raises(WenmiError) as caught:
        received(root, sent(tmp_path), "南山.csv")
    assert (caught.value.file, caught.value.message) == ("南山.csv", "认不出这份报表是哪个单位的（文件名写的是“南山”）")
    assert caught.value.hint == "应报单位：东镇总工会、西镇总工会、北镇总工会"
    (root / "inputs" / "报表" / "南山.csv").write_bytes(sent(tmp_path).read_bytes())
    checked = next(p for p in inspect_project(root).problems.items if p.file == "inputs/报表/南山.csv")
    assert (checked.message, checked.hint) == (caught.value.message, caught.value.hint)

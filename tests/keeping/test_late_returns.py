"""Returns that change late: one town corrects a number, a missing town sends its return, a
faulty one is corrected, one is taken back. A build then rewrites only the files whose bytes
change, and `wenmi diff` names the town whose return changed each figure, with its file.
Every expected number is summed here from the return files with openpyxl."""

import json

import openpyxl
import pytest

from example_returns import FOLDER, change_number, counted, fix_totals, late_return, returns, summed_columns
from project_copies import RETURNS_TABLE, SUMMARY, copy_project, fresh_copy, snapshot
from wenmi.build import build
from wenmi.cli import main

SHOWN = f"inputs/{FOLDER.as_posix()}"


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = copy_project(tmp_path_factory.mktemp("late") / "项目")
    build(root)
    return root


def insured(root) -> dict[str, int]:
    """参保人数 of each town whose return counts."""
    columns = summed_columns(root / "inputs")
    return {unit: sum(row["参保人数"] for row in town.rows)
            for unit, town in returns(root / "inputs").items() if counted(town, columns)}


def diff(root, capsys, *options) -> str:
    assert main(["diff", "--project", str(root), *options]) == 0
    return capsys.readouterr().out


def test_one_changed_number_rewrites_only_the_files_whose_bytes_change(built, tmp_path):
    root = fresh_copy(built, tmp_path)
    before = snapshot(root / "outputs")
    stamps = {path: path.stat().st_mtime_ns for path in (root / "outputs").rglob("*") if path.is_file()}
    town = returns(root / "inputs")["柳林镇总工会"]
    change_number(town.path, town.rows[0]["基层工会"], "参保人数", 30)

    made = build(root)

    after = snapshot(root / "outputs")
    changed = {name for name in after if after[name] != before.get(name)}
    assert changed == {f"{SUMMARY}.{fmt}" for fmt in ("docx", "html", "md")} | {
        f"{RETURNS_TABLE}.{fmt}" for fmt in ("xlsx", "docx")}
    assert {path.relative_to(root / "outputs").as_posix() for path in (o.path for o in made.written)} == changed
    assert len(made.unchanged) == len(before) - len(changed)       # made again, same bytes: left alone
    assert all(path.stat().st_mtime_ns == stamp for path, stamp in stamps.items()
               if path.relative_to(root / "outputs").as_posix() not in changed)
    sheet = openpyxl.load_workbook(root / "outputs" / f"{RETURNS_TABLE}.xlsx").active
    row = next(row for row in sheet.iter_rows(values_only=True) if row[1] == "柳林镇总工会")
    assert row[5] == insured(root)["柳林镇总工会"] == sum(r["参保人数"] for r in town.rows) + 30


def test_diff_names_the_town_whose_return_changed_the_figure(built, tmp_path, capsys):
    root = fresh_copy(built, tmp_path)
    old = insured(root)
    town = returns(root / "inputs")["柳林镇总工会"]
    change_number(town.path, town.rows[0]["基层工会"], "参保人数", 30)
    build(root)
    new = insured(root)
    lines = diff(root, capsys).splitlines()
    assert (f"  互助保障参保人数：{sum(old.values())}人 → {sum(new.values())}人（柳林镇总工会 "
            f"{old['柳林镇总工会']}人 → {new['柳林镇总工会']}人；{SHOWN}/{town.path.name}）") in lines
    # a rate of two sums names the town and its file, not its part
    assert any(line.startswith("  互助保障参保率：") and line.endswith(
        f"（柳林镇总工会的报表有变化；{SHOWN}/{town.path.name}）") for line in lines)
    record = json.loads((root / ".wenmi" / "manifest.json").read_text(encoding="utf-8"))["figures"]["互助保障参保人数"]
    parts = {part["unit"]: part for part in record["sources"][0]["units"]}
    assert parts["柳林镇总工会"] == {"unit": "柳林镇总工会", "value": new["柳林镇总工会"],
                                   "text": f"{new['柳林镇总工会']}人", "file": f"{SHOWN}/{town.path.name}"}
    assert set(record["sources"][0]["left_out"]) == {"石桥镇总工会", "杨集乡总工会"}


def test_a_late_return_and_a_corrected_one_are_named_as_such(built, tmp_path, capsys):
    root = fresh_copy(built, tmp_path)
    old = insured(root)
    late = late_return(root / "inputs", "龙泉镇总工会", "北岭乡总工会")
    fix_totals(returns(root / "inputs")["石桥镇总工会"].path)
    build(root)
    new = insured(root)
    assert set(new) - set(old) == {"北岭乡总工会", "石桥镇总工会"}
    found = json.loads(diff(root, capsys, "--json"))
    figure = next(f for f in found["数字"] if f["名称"] == "互助保障参保人数")
    assert [(c["单位"], c["情况"], c["原数值"], c["新数值"], c["文件"]) for c in figure["单位"]] == [
        ("石桥镇总工会", "改正后计入", None, new["石桥镇总工会"], f"{SHOWN}/石桥镇总工会.xlsx"),
        ("北岭乡总工会", "新报送", None, new["北岭乡总工会"], f"{SHOWN}/{late.name}")]
    lines = diff(root, capsys).splitlines()
    at = lines.index(f"  互助保障参保人数：{sum(old.values())}人 → {sum(new.values())}人（2 个单位的报表有变化）")
    assert lines[at + 1:at + 3] == [
        f"    石桥镇总工会 改正后计入 +{new['石桥镇总工会']}人；{SHOWN}/石桥镇总工会.xlsx",
        f"    北岭乡总工会 新报送 +{new['北岭乡总工会']}人；{SHOWN}/{late.name}"]
    sheet = openpyxl.load_workbook(root / "outputs" / f"{RETURNS_TABLE}.xlsx").active
    values = list(sheet.iter_rows(values_only=True))
    assert values[1][0] == "应报12个单位，已报11个，其中1个有误未计入，未报1个。金额单位：元。"
    assert next(row for row in values if row[1] == "北岭乡总工会")[2:6] == (
        "已报送", len(returns(root / "inputs")["北岭乡总工会"].rows),
        sum(r["职工人数"] for r in returns(root / "inputs")["北岭乡总工会"].rows), new["北岭乡总工会"])


def test_a_return_taken_back_is_named_with_what_it_had_added(built, tmp_path, capsys):
    root = fresh_copy(built, tmp_path)
    old = insured(root)
    gone = returns(root / "inputs")["东坝镇总工会"].path
    gone.unlink()
    build(root)
    lines = diff(root, capsys).splitlines()
    assert (f"  互助保障参保人数：{sum(old.values())}人 → {sum(old.values()) - old['东坝镇总工会']}人"
            f"（东坝镇总工会 未报送 -{old['东坝镇总工会']}人；{SHOWN}/{gone.name}）") in lines

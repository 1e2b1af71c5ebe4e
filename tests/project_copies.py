"""Copies of the example project for the rebuild tests, and the two ledger corrections
they make: one that touches a figure every report cites, one that only the 工作总结 cites.
Also what tests that spoil a copy share: a fresh copy of a project built once, a one-place
edit that keeps the file's encoding, and a byte snapshot of a folder."""

import codecs
import csv
import io
import os
import shutil
from pathlib import Path

from example_ledgers import INPUTS, number

WARMTH = Path("inputs") / "台账" / "2024" / "送温暖.csv"
DEEDS = Path("inputs") / "台账" / "2024" / "个人业绩.csv"
SUMMARY, EXCHANGE = "2024年度工作总结", "2024年经验交流材料"
BATCH = "2024年度先进事迹材料"                # the batch report: one dossier per nominee
REPORTS = (SUMMARY, EXCHANGE, "2025年工作要点", "2024年农民工工作专项汇报", "新就业形态劳动者入会调研报告",
           "工作简报第12期")                   # every ordinary report of the example
RETURNS_TABLE = "互助保障报表汇总表"       # the 汇总表 of the towns' 互助保障 returns
RETURNS_TABLE_FILES = {f"{RETURNS_TABLE}.xlsx", f"{RETURNS_TABLE}.docx"}
RETURNS = Path("inputs") / "台账" / "2024" / "互助保障"   # the towns' returns, one file each


def copy_project(target: Path) -> Path:
    for folder in ("inputs", "templates"):
        shutil.copytree(INPUTS.parent / folder, target / folder)
    return target


RETURNS = Path("inputs") / "台账" / "2024" / "互助保障"
FAULTY_RETURNS = ("石桥镇总工会.xlsx", "杨集乡总工会.xlsx")
RETURNED = ("城关镇总工会", "青禾街道总工会", "河西街道总工会", "柳林镇总工会", "白沙镇总工会", "南湖镇总工会",
            "东坝镇总工会", "龙泉镇总工会")


def with_every_return_in(root: Path) -> Path:
    """The copied example with nothing to say about its units' returns: the two faulty ones
    taken out and the roster cut to the eight towns left (tests that count warnings)."""
    for name in FAULTY_RETURNS:
        (root / RETURNS / name).unlink()
    specs = root / "inputs" / "数据源.yaml"
    text = specs.read_text(encoding="utf-8")
    start = text.index("    units: [城关镇总工会")
    end = text.index("]", start) + 1
    specs.write_text(text[:start] + f"    units: [{', '.join(RETURNED)}]" + text[end:], encoding="utf-8")
    return root


def fresh_copy(built: Path, tmp_path: Path) -> Path:
    """A copy of `built` (a project built once for the module), outputs included, for one test."""
    root = tmp_path / "项目"
    shutil.copytree(built, root)
    return root


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under `folder` (links to folders followed), by its relative path, with its
    bytes."""
    paths = [Path(place) / name for place, _, names in os.walk(folder, followlinks=True)
             for name in names]
    return {path.relative_to(folder).as_posix(): path.read_bytes()
            for path in sorted(paths) if path.is_file()}


def edit(path: Path, old: str, new: str) -> None:
    """Replace the first `old` in a UTF-8 file by `new`, keeping its BOM (if it has one) and
    everything else byte for byte."""
    data = path.read_bytes()
    bom = codecs.BOM_UTF8 if data.startswith(codecs.BOM_UTF8) else b""
    text = data[len(bom):].decode("utf-8")
    assert old in text, f"{path.name} 中没有“{old}”"
    path.write_bytes(bom + text.replace(old, new, 1).encode("utf-8"))


def warmth_rows(root: Path) -> list[list[str]]:
    """The copied 送温暖 ledger as rows of cells, header first, 合计 row last."""
    return list(csv.reader(io.StringIO((root / WARMTH).read_text(encoding="utf-8-sig"))))


def _save(root: Path, rows: list[list[str]]) -> None:
    text = io.StringIO()
    csv.writer(text, lineterminator="\n").writerows(rows)
    (root / WARMTH).write_text(text.getvalue(), encoding="utf-8-sig")


def raise_first_amount(root: Path, by: int = 1000) -> None:
    """Finance corrects row 1's 慰问金额 (and the 合计 row with it): every report cites it."""
    raise_amount(root, 1, by)


def raise_amount(root: Path, row: int, by: int) -> None:
    """Row `row`'s 慰问金额 (counted from 1 under the header) raised by `by`, the 合计 row with it."""
    rows = warmth_rows(root)
    for cells in (rows[row], rows[-1]):
        cells[6] = str(int(number(cells[6])) + by)
    _save(root, rows)


def move_second_row(root: Path, to: str = "双河镇总工会") -> None:
    """Row 2 was booked under the wrong 基层工会: only the 工作总结's table cites that."""
    rows = warmth_rows(root)
    rows[2][1] = to
    _save(root, rows)


def warmth_of(root: Path, union: str) -> float:
    """慰问金额 of one 基层工会, read straight from the copied ledger."""
    return sum(number(row[6]) or 0 for row in warmth_rows(root)[1:-1] if row[1] == union)


def add_deed(root: Path, key: str, kind: str, item: str) -> None:
    """One more row of a nominee's own 个人业绩 ledger (its 序号 next after the last)."""
    rows = list(csv.reader(io.StringIO((root / DEEDS).read_text(encoding="utf-8-sig"))))
    name = next(row[2] for row in rows[1:] if row[1] == key)
    rows.append([str(len(rows)), key, name, kind, item, "", ""])
    text = io.StringIO()
    csv.writer(text, lineterminator="\n").writerows(rows)
    (root / DEEDS).write_text(text.getvalue(), encoding="utf-8")


def warmth_total(data: bytes) -> float:
    """The 慰问金额 of every row of a 送温暖 ledger's bytes (the 合计 row left out)."""
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    return sum(number(row[6]) or 0 for row in rows[1:-1])

"""The example's 互助保障 returns (one town's form per file) read with openpyxl and PyYAML
only, and the changes a late or corrected return makes — so tests compute the 汇总表 and
the diff independently of the pipeline's reader."""

from dataclasses import dataclass
from pathlib import Path

import openpyxl
import yaml

from example_ledgers import INPUTS

FOLDER = Path("台账") / "2024" / "互助保障"          # under inputs/
SHEET = "参保情况"
HEADER_ROW = 3                                      # the form's title and 填报单位 rows above it
VERSION = "2024版"


@dataclass(frozen=True)
class TownReturn:
    unit: str                                       # as written after “填报单位：” in A2
    version: str                                    # I2
    rows: list[dict]                                # the rows between the header and 合计
    totals: dict                                    # the 合计 row
    path: Path


def source_spec(inputs: Path = INPUTS) -> dict:
    return yaml.safe_load((inputs / "数据源.yaml").read_text(encoding="utf-8"))["sources"]["互助保障"]


def roster(inputs: Path = INPUTS) -> list[str]:
    return source_spec(inputs)["units"]


def summed_columns(inputs: Path = INPUTS) -> list[str]:
    """The declared integer, number and money columns that are not a key (序号)."""
    columns = source_spec(inputs)["columns"]
    return [name for name, rule in columns.items()
            if isinstance(rule, dict) and rule.get("type") in ("integer", "number", "money")
            and not rule.get("unique")]


def read_return(path: Path) -> TownReturn:
    sheet = openpyxl.load_workbook(path)[SHEET]
    cells = [list(row) for row in sheet.iter_rows(values_only=True)]
    header = cells[HEADER_ROW - 1]
    body = [dict(zip(header, row)) for row in cells[HEADER_ROW:] if any(cell is not None for cell in row)]
    totals = next(row for row in body if row["序号"] == "合计")
    return TownReturn(str(cells[1][0]).split("：", 1)[1].strip(), str(cells[1][8] or ""),
                      [row for row in body if row is not totals], totals, path)


def returns(inputs: Path = INPUTS) -> dict[str, TownReturn]:
    """Every town's return, by town."""
    found = [read_return(path) for path in sorted((inputs / FOLDER).glob("*.xlsx"))]
    return {town.unit: town for town in found}


def counted(town: TownReturn, columns: list[str]) -> bool:
    """Whether a return is on this year's form and every 合计 adds up."""
    return VERSION in town.version and all(
        town.totals.get(column) == sum(row.get(column) or 0 for row in town.rows) for column in columns)


def change_number(path: Path, union: str, column: str, by: int) -> None:
    """A town corrects one 基层工会's number, and its 合计 with it."""
    workbook = openpyxl.load_workbook(path)
    sheet = workbook[SHEET]
    header = [cell.value for cell in sheet[HEADER_ROW]]
    place = header.index(column) + 1
    for row in sheet.iter_rows(min_row=HEADER_ROW + 1):
        if row[1].value == union or row[0].value == "合计":
            row[place - 1].value += by
    workbook.save(path)


def late_return(inputs: Path, copied_from: str, unit: str, folder: Path | None = None) -> Path:
    """A late town's return: another town's form with its own name in A2 (填报单位), saved
    in the folder of returns (or in `folder`, as the town sends it)."""
    source = next(town.path for town in returns(inputs).values() if town.unit == copied_from)
    workbook = openpyxl.load_workbook(source)
    workbook[SHEET]["A2"] = f"填报单位：{unit}"
    target = (folder or inputs / FOLDER) / f"{unit}.xlsx"
    workbook.save(target)
    return target


def fix_totals(path: Path) -> None:
    """A town corrects its wrong 合计 row to the sum of its rows."""
    workbook = openpyxl.load_workbook(path)
    sheet = workbook[SHEET]
    header = [cell.value for cell in sheet[HEADER_ROW]]
    rows = [row for row in sheet.iter_rows(min_row=HEADER_ROW + 1) if row[0].value is not None]
    total = next(row for row in rows if row[0].value == "合计")
    for index, name in enumerate(header):
        if index >= 2:
            total[index].value = sum(row[index].value or 0 for row in rows if row is not total)
    workbook.save(path)

"""The example ledgers read with the csv module and openpyxl only.

Independent of the pipeline's loader on purpose: tests compute expected figures from these
readings, so a loader bug cannot hide a broken example (and the other way round).
"""

import csv
import io
import re
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import openpyxl

INPUTS = Path(__file__).resolve().parents[1] / "inputs"
YEARS = ("2024", "2023")
LEDGERS = ("送温暖.csv", "金秋助学.csv", "法律援助案件.csv", "职工热线.csv", "培训与劳动竞赛.csv",
           "建会与会员.xlsx")
XLSX_SHEET = "明细"
TOTAL_MARKERS = {"合计", "总计", "小计"}
BLANK_MARKERS = {"", "—", "-", "/", "无"}
FULL_WIDTH_DIGITS = str.maketrans("０１２３４５６７８９．，", "0123456789.,")


def decode_csv(data: bytes) -> str:
    """UTF-8 (with or without BOM) first, then GB18030, as an office's files come."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("gb18030")


def read_ledger(path: Path) -> tuple[list[str], list[list]]:
    """Header names and the rows under the header, blank rows left out.

    In the two-row XLSX header a vertically merged cell holds its name in the top row only,
    so a column's name is its lowest non-empty header cell.
    """
    if path.suffix == ".xlsx":
        sheet = openpyxl.load_workbook(path)[XLSX_SHEET]
        values = [list(row) for row in sheet.iter_rows(values_only=True)]
        header = [str(low if low is not None else high).strip() for high, low in zip(*values[:2])]
        body = values[2:]
    else:
        values = list(csv.reader(io.StringIO(decode_csv(path.read_bytes()))))
        header, body = [name.strip() for name in values[0]], values[1:]
    rows = [row for row in body if any(str(cell or "").strip() for cell in row)]
    return header, rows


def is_total(row: list) -> bool:
    first = next(str(cell) for cell in row if str(cell or "").strip())
    return re.sub(r"\s", "", first) in TOTAL_MARKERS


def number(cell) -> float | None:
    """A cell as the office typed it: 1200, "1,200", "1.2万", "１２００"; None when blank."""
    if isinstance(cell, (int, float)):
        return float(cell)
    text = str(cell or "").strip().translate(FULL_WIDTH_DIGITS).replace(",", "")
    if text in BLANK_MARKERS:
        return None
    if text.endswith("万"):
        return float(text[:-1]) * 10_000
    return float(text)


def ledger_paths(year: str) -> list[Path]:
    return sorted(path for path in (INPUTS / "台账" / year).iterdir()
                  if path.suffix in (".csv", ".xlsx"))


def records(name: str, year: str = "2024") -> list[dict]:
    """The data rows of one example ledger as {header: cell}, the 合计 row left out."""
    header, rows = read_ledger(INPUTS / "台账" / year / name)
    return [dict(zip(header, row)) for row in rows if not is_total(row)]


def total(rows: list[dict], column: str) -> float:
    return sum(number(row[column]) or 0 for row in rows)


def half_up(value: float, digits: int) -> str:
    """Rounded as 公文 round (half up), trailing zeros dropped: 90.0 → "90", 32.40 → "32.4"."""
    text = str(Decimal(repr(value)).quantize(Decimal(1).scaleb(-digits), ROUND_HALF_UP))
    return text.rstrip("0").rstrip(".") if "." in text else text


def money(yuan: float) -> str:
    """元 below 1万, else 万元 with two decimals: how the example's money figures print."""
    return f"{half_up(yuan, 2)}元" if yuan < 10_000 else f"{half_up(yuan / 10_000, 2)}万元"


def percent(part: float, whole: float) -> str:
    return f"{half_up(part / whole * 100, 1)}%"


def change(current: float, previous: float) -> str:
    rate = half_up(abs(current - previous) / previous * 100, 1)
    if rate == "0":
        return "与上年持平"
    return f"同比{'增长' if current > previous else '下降'}{rate}%"

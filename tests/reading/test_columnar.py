"""Regular CSV ledgers read column by column (pyarrow) give what the cell-by-cell reader gives:
the same table, row numbers, problems and messages, for any mix of plain cells and cells
written the office's way; files that are not regular are left to the cell-by-cell reader."""

import random
import tempfile
from pathlib import Path
from unittest import mock

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from wenmi.errors import WenmiError
from wenmi.problems import Problems
from wenmi.reading import columnar, ledgers
from wenmi.reading.columnar import read_regular_csv
from wenmi.reading.specs import ColumnSpec, SourceSpec

SHOWN = "inputs/台账/慰问.csv"


@pytest.mark.parametrize("text, lines", [
    ("单位,金额\n甲,1\n乙,2\n", [1, 2, 3]),
    ("单位,金额\r\n甲,1\r\n乙,2", [1, 2, 3]),                  # CRLF, no final line feed
    ("单位,金额\n甲,\"1,200\"\n\r\n乙,2\n\n", [1, 2, 4]),      # blank lines skipped, quoted comma
])
def test_a_regular_file_is_read_with_the_line_of_each_record(text, lines):
    regular = read_regular_csv(text.encode(), top_rows=1)
    assert regular.first == [["单位", "金额"], ["甲", "1,200" if "1,200" in text else "1"]]
    assert regular.row_numbers.tolist() == lines
    assert regular.body[1].cell(0) == "1,200" if "1,200" in text else regular.body[1].cell(0) == "1"


@pytest.mark.parametrize("text", [
    "单位,备注\n甲,\"两\n行\"\n",          # a line break inside a quoted cell
    "单位,金额\n甲,1,多\n",                  # a row longer than the first
    "单位,金额\n甲\n",                       # shorter
    "单位,金额\r甲,1\r",                     # lone carriage returns
    "\ufeff单位,金额\n甲,1\n",               # a BOM (the caller drops it, the csv module keeps it)
    "单位,金额\n",                           # no record below the header
    "单位,金额\n\n甲,1\n",                     # a blank line where a title's neighbour is looked for
    "单位,备注\n甲,\"未闭合\n乙,1\n",         # a quote left open takes the lines below
    "单位,备注\n甲,响\a铃\n",                 # a control character (named by the text reader)
    "单位,备注\n甲,\ue000\n",                 # a private-use character, as figure marks are
])
def test_what_is_not_regular_is_left_to_the_cell_by_cell_reader(text):
    assert read_regular_csv(text.encode(), top_rows=1) is None


def test_bytes_that_are_not_utf8_are_left_to_the_decoder():
    assert read_regular_csv("单位,金额\n甲,1\n".encode("gbk"), top_rows=1) is None


# ---------------------------------------------------------------- the same as cell by cell

CELLS = [
    "1", "12", "007", "1200", "-5", "+5", "-0", "3.50", "12.5", ".5", "5.", "1e3", "0x1F",
    "999999999999999999999", '"1,200"', '"1,2000"', "1.2万", "０.５万元", "１２", "90%", "６０％",
    "", " ", "—", "/", "无", "暂无", " 5 ", "\u30005", "5\u3000", "\u2003—",
    "2024-03-05", "2024/3/5", "2024年3月5日", "2024-02-30", "20240305", "2024-03-05 14:30",
    "农民工", " 农民工 ", "困难职工", "劳模", "约50", "合计", " 合 计 ", "小计", "备注：见附件",
    '"a"b', 'a"b', '"x', '""', '" 农民工"', '"合\n计"',                # quotes, well formed or not
    "响\a铃", "\ue001",                                                 # invisible characters
]
TYPES = ["integer", "number", "money", "percent", "date", "category", "text"]


@st.composite
def ledgers_and_specs(draw):
    """A small three-column ledger, as a regular file or not, and column rules for it."""
    width = 3
    rows = draw(st.lists(st.lists(st.sampled_from(CELLS), min_size=width, max_size=width),
                         min_size=1, max_size=8))
    ending = draw(st.sampled_from(["\n", "\r\n"]))
    title = draw(st.booleans())        # a title above the table, skipped or not
    lines = ["2024年台账,,"] * title + ["甲,乙,丙"] + [",".join(row) for row in rows]
    if draw(st.booleans()):
        lines.insert(draw(st.integers(1, len(lines))), "")                 # a blank line
    if draw(st.integers(0, 5)) == 0:
        lines.append("丁,戊,己,多出来")                                        # not regular
    text = ending.join(lines) + (ending if draw(st.booleans()) else "")
    columns = []
    for name in "甲乙丙":
        kind = draw(st.sampled_from(TYPES))
        numeric = kind in ("integer", "number", "money", "percent")
        columns.append(ColumnSpec(
            name, kind, ("农民工", "困难职工", "劳模") if kind == "category" else (),
            required=draw(st.booleans()), unique=draw(st.booleans()),
            minimum=draw(st.sampled_from([None, 0, 10])) if numeric else None,
            maximum=draw(st.sampled_from([None, 100])) if numeric else None,
            defined_at="inputs/数据源.yaml:3"))
    total_row = draw(st.booleans())
    return text, SourceSpec(name="慰问", file="台账/慰问.csv", defined_at="inputs/数据源.yaml:2",
                            columns=tuple(columns), total_row=total_row,
                            skip_rows=int(title and draw(st.booleans())))


def outcome(path: Path, spec: SourceSpec):
    """What loading gives: the error raised, or the table, rows, encoding and problems."""
    problems = Problems()
    try:
        ledger = ledgers.load_ledger(spec, path, SHOWN, problems)
    except WenmiError as error:
        return ("error", error.message, error.file, error.place, error.hint)
    return ledger, problems.items


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ledgers_and_specs())
def test_column_by_column_gives_what_cell_by_cell_gives(case):
    text, spec = case
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "慰问.csv"
        path.write_bytes(text.encode("utf-8"))
        fast = outcome(path, spec)
        with mock.patch.object(ledgers, "read_regular_csv", return_value=None):
            slow = outcome(path, spec)
    if isinstance(slow, tuple) and slow[0] == "error":
        assert fast == slow
        return
    (fast_ledger, fast_problems), (slow_ledger, slow_problems) = fast, slow
    pd.testing.assert_frame_equal(fast_ledger.frame, slow_ledger.frame)
    assert fast_ledger.row_numbers == slow_ledger.row_numbers
    assert fast_ledger.encoding == slow_ledger.encoding
    assert fast_problems == slow_problems


def test_the_examples_above_do_take_the_column_by_column_reader():
    """The property above compares two readers only if the first is used: count it."""
    taken = []
    real = ledgers.read_regular_csv

    def counted(*arguments):
        regular = real(*arguments)
        taken.append(regular is not None)
        return regular
    with mock.patch.object(ledgers, "read_regular_csv", counted), \
            tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "慰问.csv"
        for cell in CELLS:
            path.write_text(f"甲,乙\n1,{cell}\n2,x\n", encoding="utf-8")
            try:
                ledgers.load_ledger(SourceSpec(name="慰问", file="慰问.csv", defined_at="x:1"),
                                    path, SHOWN)
            except WenmiError:
                pass
    not_regular = {'"x', '"合\n计"', "响\a铃", "\ue001"}   # a quote left open, a line break, invisibles
    assert taken == [cell not in not_regular for cell in CELLS]


@pytest.mark.parametrize("ending", ["\n", "\r\n"])
def test_a_file_parsed_in_many_blocks_gives_what_cell_by_cell_gives(ending):
    """pyarrow parses a big file in blocks, side by side: cut into blocks of a few hundred
    bytes, a file of every kind of cell (and blank lines) reads as the cell-by-cell reader
    reads it, by the column-by-column reader."""
    rng = random.Random(11)
    regular = [cell for cell in CELLS if cell not in {'"x', '"合\n计"', "响\a铃", "\ue001"}]
    lines = ["甲,乙,丙"] + [",".join(rng.choice(regular) for _ in range(3)) for _ in range(300)]
    for position in (40, 41, 150):
        lines.insert(position, "")
    spec = SourceSpec(name="慰问", file="台账/慰问.csv", defined_at="inputs/数据源.yaml:2",
                      total_row=False, columns=(ColumnSpec("乙", "text"),))
    with tempfile.TemporaryDirectory() as folder, \
            mock.patch.object(columnar, "BLOCK_BYTES", 256):
        path = Path(folder) / "慰问.csv"
        path.write_bytes(ending.join(lines).encode("utf-8"))
        assert read_regular_csv(path.read_bytes(), top_rows=1) is not None
        fast = outcome(path, spec)
        with mock.patch.object(ledgers, "read_regular_csv", return_value=None):
            slow = outcome(path, spec)
    (fast_ledger, fast_problems), (slow_ledger, slow_problems) = fast, slow
    pd.testing.assert_frame_equal(fast_ledger.frame, slow_ledger.frame)
    assert fast_ledger.row_numbers == slow_ledger.row_numbers
    assert len(fast_ledger.frame) == 300 and fast_problems == slow_problems

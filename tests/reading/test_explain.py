"""`explain` as data (what the workbench shows) and the ledger rows a problem names."""

import csv
import io

from example_ledgers import INPUTS, decode_csv, records
from wenmi.reading.explain import explain
from wenmi.reading.inspection import inspect_or_stop
from wenmi.reading.ledgers import file_rows

WARMTH = INPUTS / "台账" / "2024" / "送温暖.csv"


def test_explain_gives_the_filtered_rows_with_their_line_numbers():
    explained = explain(inspect_or_stop(INPUTS.parent), "慰问困难职工户数", shown=5)
    expected = [row for row in records("送温暖.csv") if row["类别"] == "困难职工"]
    used = explained.rows
    assert (used.count, used.total) == (len(expected), len(records("送温暖.csv")))
    assert used.file == "inputs/台账/2024/送温暖.csv" and used.condition == '类别 == "困难职工"'
    lines = list(csv.reader(io.StringIO(decode_csv(WARMTH.read_bytes()))))
    for number, cells in used.rows:
        assert lines[number - 1][2] in cells and lines[number - 1][4] == "困难职工"
    assert len(used.rows) == 5 and explained.operands == ()


def test_explain_of_a_quotient_names_its_operands_and_no_rows():
    explained = explain(inspect_or_stop(INPUTS.parent), "农民工慰问占比")
    assert explained.rows is None and explained.operands == ("慰问农民工户数", "送温暖慰问户数")


def test_file_rows_are_the_cells_as_the_office_sees_them():
    lines = list(csv.reader(io.StringIO(decode_csv(WARMTH.read_bytes()))))
    found = file_rows(_source("送温暖"), WARMTH, "送温暖.csv", {1, 3, 100_000})
    assert found == {1: lines[0], 3: lines[2]}


def _source(name):
    from wenmi.reading.specs import load_project
    return load_project(INPUTS.parent).sources[name]

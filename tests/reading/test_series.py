"""Several years of a figure: the ledgers of the years before last are found by the year in
their path, and `近年(n)` words the series oldest first ("近三年分别为…")."""

import shutil

import pytest

from example_ledgers import records
from project_copies import copy_project
from wenmi.cli import main
from wenmi.reading.inspection import inspect_or_stop


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    return copy_project(tmp_path_factory.mktemp("series"))


def test_a_figure_carries_the_years_whose_ledgers_exist(project):
    figures = inspect_or_stop(project).figures
    households = figures["送温暖慰问户数"]
    assert households.earlier == ((2022, len(records("送温暖.csv", "2022"))),)
    assert households.previous.value == len(records("送温暖.csv", "2023"))
    assert figures["金秋助学人数"].earlier == ()                 # no 2022 ledger of it


def test_the_series_is_worded_oldest_first_with_this_years_value_last(project):
    assert main(["build", "工作简报第12期", "--project", str(project)]) == 0
    text = (project / "outputs/工作简报第12期.md").read_text(encoding="utf-8")
    counts = [len(records("送温暖.csv", year)) for year in ("2022", "2023", "2024")]
    assert f"近三年分别为{counts[0]}户、{counts[1]}户、{counts[2]}户" in text


def test_asking_for_more_years_than_there_are_ledgers_names_the_place(tmp_path, capsys):
    root = copy_project(tmp_path)
    body = root / "inputs/正文/工作简报第12期.md"
    body.write_text(body.read_text(encoding="utf-8").replace("近年(3)", "近年(5)"), encoding="utf-8")
    assert main(["build", "工作简报第12期", "--project", str(root)]) == 2
    err = capsys.readouterr().err
    assert "inputs/正文/工作简报第12期.md" in err and "只有3年的数据，写不出近五年" in err


def test_without_the_oldest_ledger_the_series_is_shorter(tmp_path, capsys):
    root = copy_project(tmp_path)
    shutil.rmtree(root / "inputs/台账/2022")
    assert inspect_or_stop(root).figures["送温暖慰问户数"].earlier == ()
    assert main(["build", "工作简报第12期", "--project", str(root)]) == 2
    assert "只有2年的数据，写不出近三年" in capsys.readouterr().err

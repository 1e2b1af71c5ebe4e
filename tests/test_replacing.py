"""Replacing a ledger: the rehearsal says what `wenmi diff` will say after the build, and
touches nothing; the replacement keeps the old file under .wenmi/history/."""

import pytest

from example_ledgers import INPUTS
from project_copies import SUMMARY, WARMTH, copy_project, raise_first_amount, snapshot, warmth_total
from wenmi.build import build
from wenmi.errors import WenmiError
from wenmi.keeping.diff import changes
from wenmi.numbers import format_money
from wenmi.problems import ERROR, ProblemsFound
from wenmi.reading.specs import load_project
from wenmi.replacing import rehearse, replace_input


@pytest.fixture(scope="module")
def corrected(tmp_path_factory):
    fixed = copy_project(tmp_path_factory.mktemp("corrected") / "更正")
    raise_first_amount(fixed)
    return (fixed / WARMTH).read_bytes()


def test_a_rehearsal_says_what_the_build_will_change_and_touches_nothing(tmp_path, corrected):
    root = copy_project(tmp_path / "项目")
    build(root)
    before = snapshot(root)
    rehearsed = rehearse(root, {"台账/2024/送温暖.csv": corrected})
    assert snapshot(root) == before
    old, new = warmth_total((root / WARMTH).read_bytes()), warmth_total(corrected)
    figure = next(f for f in rehearsed.changes["数字"] if f["名称"] == "送温暖慰问金额")
    assert (figure["原数值"], figure["新数值"]) == (old, new)
    assert (figure["原写法"], figure["新写法"]) == (format_money(old), format_money(new))
    assert any(c["文件"] == SUMMARY for c in figure["引用"])
    replace_input(root, "台账/2024/送温暖.csv", corrected)
    build(root)
    built = changes(load_project(root))
    assert built["数字"] == rehearsed.changes["数字"] and built["段落"] == rehearsed.changes["段落"]


def test_a_project_never_built_is_built_as_it_is_first(tmp_path, corrected):
    root = copy_project(tmp_path / "项目")
    rehearsed = rehearse(root, {"台账/2024/送温暖.csv": corrected})
    assert "送温暖慰问金额" in [f["名称"] for f in rehearsed.changes["数字"]]
    assert not (root / "outputs").exists() and not list((root / ".wenmi").iterdir())


def test_the_same_file_again_changes_nothing(tmp_path):
    root = copy_project(tmp_path / "项目")
    rehearsed = rehearse(root, {"台账/2024/送温暖.csv": (root / WARMTH).read_bytes()})
    assert (rehearsed.changes["数字"], rehearsed.changes["段落"]) == ([], [])


def test_a_rehearsal_with_a_bad_ledger_raises_its_problems_and_touches_nothing(tmp_path):
    root = copy_project(tmp_path / "项目")
    before = snapshot(root)
    bad = (INPUTS / "台账" / "2024" / "送温暖.csv").read_bytes().replace(",800,".encode(), ",约800,".encode(), 1)
    with pytest.raises(ProblemsFound) as raised:
        rehearse(root, {"台账/2024/送温暖.csv": bad})
    assert [(p.file, p.place) for p in raised.value.problems if p.level == ERROR] == \
        [("inputs/台账/2024/送温暖.csv", "第3行“慰问金额”列")]
    assert snapshot(root) == before


def test_a_replaced_file_is_kept_under_history(tmp_path):
    root = copy_project(tmp_path / "项目")
    original = (root / WARMTH).read_bytes()
    kept = replace_input(root, "台账/2024/送温暖.csv", b"new")
    assert (root / WARMTH).read_bytes() == b"new"
    assert kept.parent == root.resolve() / ".wenmi" / "history" / "台账" / "2024"
    assert kept.name.startswith("送温暖.") and kept.suffix == ".csv" and kept.read_bytes() == original
    again = replace_input(root, "台账/2024/送温暖.csv", b"newer")
    assert again != kept and again.read_bytes() == b"new" and kept.read_bytes() == original


def test_nothing_is_written_outside_inputs(tmp_path):
    root = copy_project(tmp_path / "项目")
    for name in ("../外面.csv", "/tmp/外面.csv", "台账/../../外面.csv"):
        with pytest.raises(WenmiError, match="项目文件夹之外"):
            replace_input(root, name, b"x")
    assert not (root / "外面.csv").exists() and not (tmp_path / "外面.csv").exists()

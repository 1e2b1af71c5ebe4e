"""Units' returns (报表): a folder of filled-in copies of one form becomes one ledger.

The office sends one form to its 基层工会 or 乡镇总工会; each sends it back. A source with
`files:` (a glob) reads every return with the source's own column declarations and header
rules, finds whose it is (a declared cell such as 填报单位 in A2, a column, or the file
name), matches it to the roster of expected units, and adds a 填报单位 column, so metrics
can filter and group by unit and every row still knows its file. What a single ledger
checks (合计 row, column rules), and the checks declared `per_unit`, run on each return
alone, and their messages name the unit and its file: "城关镇总工会（inputs/…/城关镇.xlsx）".
Who has not returned, which file matches no unit, two files of one unit and a return on
another version of the form are all found in one run; `ReturnsStatus` is the 报送情况 the
CLI, the workbench and the 汇总表 show.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, replace
from pathlib import Path

import pandas as pd

from ..errors import WenmiError, at_declaration
from ..problems import ERROR, WARNING, Problem, Problems
from .checks import FUNCTIONS, run_check
from .expressions import ExpressionError, names_in, parse
from .ledgers import UNIT_COLUMN, Ledger, LedgerPart, cell_at, ledger_of, load_ledger, read_grid
from .metrics import compute_figures
from .specs import CheckSpec, MetricSpec, Project, SourceSpec, returns_files

ROSTER_COLUMNS = ("单位名称", "填报单位", "单位")     # a roster sheet's column of names, else its first
LABEL = re.compile(r"^[^：:]{0,8}[：:]\s*")            # "填报单位：" before the name in a cell
AFTER_NAME = re.compile(r"\s{2,}|\s+\S{2,6}[：:]")   # what follows it: "  填报日期：…"
RETURNED, FAULTY, LEFT_OUT = "已报送", "有误", "有误未计入"
LEAVE_OUT_HINT = "这份报表暂不计入汇总；请退回该单位改正后重报，把新文件放回文件夹即可"


@dataclass(frozen=True)
class UnitReturn:
    """One unit's return as read: whose, which file, how many rows, in what state."""
    unit: str
    file: str                       # as messages show it
    rows: int
    state: str                      # RETURNED, FAULTY or LEFT_OUT


@dataclass(frozen=True)
class ReturnsStatus:
    """报送情况 of one returns source: who was expected, who returned, who did not."""
    source: str
    files: str                      # the glob, as shown: inputs/台账/2024/报表/*.xlsx
    expected: tuple[str, ...]       # the roster, in its order; () when none is declared
    returns: tuple[UnitReturn, ...]  # in roster order, then the units not on it
    missing: tuple[str, ...]
    stray: tuple[str, ...]          # files that match no unit of the roster

    @property
    def faulty(self) -> tuple[UnitReturn, ...]:
        return tuple(r for r in self.returns if r.state != RETURNED)

    def lines(self) -> list[str]:
        """The summary as the CLI prints it: counts, then the units missing and faulty."""
        expected = f"应报 {len(self.expected)} 个单位，" if self.expected else ""
        good = len(self.returns) - len(self.faulty)
        lines = [f"报送情况（{self.source}，{self.files}）：{expected}已报 {len(self.returns)} 个"
                 f"（无误 {good} 个、有误 {len(self.faulty)} 个），未报 {len(self.missing)} 个"]
        if self.missing:
            lines.append(f"  未报送：{'、'.join(self.missing)}")
        for faulty in self.faulty:
            lines.append(f"  {faulty.state}：{faulty.unit}（{faulty.file}）")
        if self.stray:
            lines.append(f"  对不上应报单位的文件：{'、'.join(self.stray)}")
        return lines


def load_returns(project: Project, source: SourceSpec, pattern: str, problems: Problems,
                 checks: list[UnitCheck] = (), this_year: bool = True) -> tuple[Ledger, ReturnsStatus]:
    """The returns matching `pattern` (relative to inputs/) combined into one ledger, and
    their 报送情况; `checks` run on each return alone. Every problem goes to `problems`; a
    faulty return adds no row. Last year's returns (`this_year` False) are not held to
    this year's roster."""
    spec = source.returns
    shown_files = project.shown(project.inputs / pattern)
    roster = _roster(project, source, problems) if this_year else []
    read: dict[str, list[tuple[Path, object]]] = {}
    stray, states = [], {}
    bad_state = LEFT_OUT if spec.faulty == "leave_out" else FAULTY
    for path in returns_files(project.inputs, pattern):
        shown = project.shown(path)
        try:
            grid = read_grid(source, path, shown)
            written = _unit_written(source, grid, path.stem)
        except WenmiError as error:      # unreadable: its file name is all there is to go by
            _refuse(source, problems, Problem(ERROR, error.message, error.file, error.place, error.hint))
            unit = _matched(path.stem, roster)
            if unit is None:
                stray.append(shown)
            else:
                states[unit] = (shown, 0, bad_state)
            continue
        unit = _matched(written, roster) if written else None
        if unit is None:
            stray.append(shown)
            _refuse(source, problems, _unrecognised(source, written, roster, shown))
            continue
        read.setdefault(unit, []).append((path, grid))
    kept = []
    for unit, copies in read.items():
        path, grid = _one_copy(source, unit, copies, project, problems)
        if path is None:
            states[unit] = (project.shown(copies[0][0]), 0, bad_state)
            continue
        shown = project.shown(path)
        mine = Problems()
        ledger = None
        with mine.collecting():
            _check_version(source, grid, f"{unit}（{shown}）")
        with mine.collecting():
            ledger = ledger_of(source, replace(grid, shown=f"{unit}（{shown}）"), mine)
            if spec.unit_column:
                _refuse_other_units(ledger, spec.unit_column, unit, roster)
            _run_per_unit_checks(project, checks, ledger, mine)
        state = bad_state if mine.errors else RETURNED
        for problem in mine.items:
            if problem.level == ERROR:
                _refuse(source, problems, problem)
            else:
                problems.add(problem)
        if state == RETURNED:
            kept.append((unit, shown, ledger))
        states[unit] = (shown, len(ledger.frame) if ledger is not None else 0, state)
    order = list(roster) + sorted(unit for unit in states if unit not in roster)
    missing = tuple(unit for unit in roster if unit not in states)
    for unit in missing:
        level = ERROR if spec.missing == "error" else WARNING
        problems.add(Problem(level, f"{unit}尚未报送", shown_files,
                             hint="收到后把文件放进这个文件夹，重新运行即可"))
    status = ReturnsStatus(source.name, shown_files, tuple(roster),
                           tuple(UnitReturn(unit, *states[unit]) for unit in order if unit in states),
                           missing, tuple(stray))
    kept.sort(key=lambda one: order.index(one[0]))
    return _combined(source, shown_files, kept), status


def unit_of(project: Project, source: SourceSpec, path: Path, shown: str | None = None) -> str:
    """The roster's name of the unit whose return `path` is, found as `load_returns` finds it
    (a file received in the workbench: `shown`, the name messages give it, stands for the
    file name when units are named by it). An unreadable return, or one naming no unit of the
    roster, raises the error `load_returns` reports for it."""
    shown = shown or project.shown(path)
    problems = Problems()
    roster = _roster(project, source, problems)
    problems.stop_if_failed()
    written = _unit_written(source, read_grid(source, path, shown), Path(shown).stem)
    unit = _matched(written, roster) if written else None
    if unit is None:
        problem = _unrecognised(source, written, roster, shown)
        raise WenmiError(problem.message, file=problem.file, hint=problem.hint)
    return unit


def _roster(project: Project, source: SourceSpec, problems: Problems) -> list[str]:
    """The units expected to return: listed in the YAML, or the names in a roster sheet."""
    spec = source.returns
    if not spec.units_file:
        return list(dict.fromkeys(spec.units))
    path = project.inputs / spec.units_file
    sheet = SourceSpec(f"{source.name}的应报单位", spec.units_file, source.defined_at, total_row=False)
    with problems.collecting():
        frame = load_ledger(sheet, path, project.shown(path)).frame
        column = next((name for name in ROSTER_COLUMNS if name in frame.columns), frame.columns[0])
        return list(dict.fromkeys(str(name).strip() for name in frame[column].dropna()
                                  if str(name).strip()))
    return []


def _unit_written(source: SourceSpec, grid, stem: str) -> str:
    """The unit as the return names it: in its declared cell, else by its file name (`stem`;
    a unit column is read with the data and checked in `_refuse_other_units`)."""
    spec = source.returns
    if spec.unit_cell:
        text = LABEL.sub("", cell_at(grid, spec.unit_cell))
        return AFTER_NAME.split(text, maxsplit=1)[0].strip()
    if spec.unit_column:
        return _first_in_column(source, grid)
    return stem.strip()


def _first_in_column(source: SourceSpec, grid) -> str:
    """The unit column's first filled cell below the header, found by reading the ledger."""
    ledger = ledger_of(replace(source, columns=(), total_row=False), grid, Problems())
    column = source.returns.unit_column
    if column not in ledger.frame.columns:
        raise WenmiError(f"表头中没有填报单位所在的“{column}”列", file=grid.shown)
    filled = ledger.frame[column].dropna().astype(str).str.strip()
    filled = filled[filled != ""]
    return filled.iloc[0] if len(filled) else ""


def unit_place(source: SourceSpec) -> str:
    """Where a return names its unit, in words: "A2 单元格", "“单位名称”列" or "文件名"."""
    spec = source.returns
    return f"{spec.unit_cell} 单元格" if spec.unit_cell else \
        f"“{spec.unit_column}”列" if spec.unit_column else "文件名"


def _unrecognised(source: SourceSpec, written: str, roster: list[str], shown: str) -> Problem:
    """The error for a return that names no unit of the roster (or none at all)."""
    where = unit_place(source)
    found = f"{where}写的是“{written}”" if written else f"{where}是空的"
    return Problem(ERROR, f"认不出这份报表是哪个单位的（{found}）", shown,
                   hint=f"应报单位：{'、'.join(roster[:8])}{'等' if len(roster) > 8 else ''}"
                   if roster else "检查 unit 的设置")


def _normal(name: str) -> str:
    return "".join(unicodedata.normalize("NFKC", name).split())


def _matched(written: str, roster: list[str]) -> str | None:
    """The roster's name for `written`: the same name (spaces and full-width forms aside),
    else the one roster name it contains or that contains it ("城关镇" for 城关镇总工会,
    "2024年报表-城关镇总工会"). Without a roster, the name as written."""
    if not roster:
        return written
    name = _normal(written)
    normal = {_normal(unit): unit for unit in roster}
    if name in normal:
        return normal[name]
    close = [unit for key, unit in normal.items() if key in name or name in key]
    longest = max((len(_normal(unit)) for unit in close), default=0)
    close = [unit for unit in close if len(_normal(unit)) == longest]
    return close[0] if len(close) == 1 else None


def _one_copy(source: SourceSpec, unit: str, copies: list, project: Project,
              problems: Problems) -> tuple[Path | None, object]:
    """The one return of a unit that counts: the only one; with `duplicates: newest` the
    last saved; else none, and an error naming every copy."""
    if len(copies) == 1:
        return copies[0]
    names = "、".join(project.shown(path) for path, _ in copies)
    if not source.returns.newest_wins:
        _refuse(source, problems, Problem(
            ERROR, f"{unit}有{len(copies)}份报表：{names}", project.shown(copies[0][0]),
            hint=f"删去多余的一份；或在数据源“{source.name}”中写 duplicates: newest，以最后保存的为准"))
        return None, None
    newest = max(copies, key=lambda copy: (copy[0].stat().st_mtime, copy[0].name))
    problems.warn(f"{unit}有{len(copies)}份报表：{names}；按 duplicates: newest 采用最后保存的"
                  f"{project.shown(newest[0])}", project.shown(newest[0]))
    return newest


def _refuse(source: SourceSpec, problems: Problems, problem: Problem) -> None:
    """A problem that keeps a return out: an error, or with `faulty: leave_out` a warning."""
    if source.returns.faulty == "leave_out":
        problem = replace(problem, level=WARNING,
                          hint="；".join(filter(None, (problem.hint, LEAVE_OUT_HINT))))
    problems.add(problem)


def _check_version(source: SourceSpec, grid, shown: str) -> None:
    """Refuse a return on another version of the form, named by its version cell."""
    spec = source.returns
    if spec.version_cell is None:
        return
    found = cell_at(grid, spec.version_cell)
    if _normal(spec.version) not in _normal(found):
        raise WenmiError(f"报表表式版本不符：{spec.version_cell} 单元格是“{found or '空'}”，"
                         f"应为“{spec.version}”", file=shown,
                         hint="请该单位用本年度下发的新表式重新填报")


def _refuse_other_units(ledger: Ledger, column: str, unit: str, roster: list[str]) -> None:
    """A return whose unit column names two units (one unit's form holds one unit's rows)."""
    named = {_matched(str(name), roster) or str(name)
             for name in ledger.frame[column].dropna() if str(name).strip()}
    others = sorted(named - {unit})
    if others:
        raise WenmiError(f"“{column}”列中除了{unit}，还有{'、'.join(others)}的行",
                         file=ledger.file, hint="一个单位的报表只填本单位的数据")


@dataclass(frozen=True)
class UnitCheck:
    """A check declared `per_unit: true`, with the metrics its figures need (parsed once)."""
    check: CheckSpec
    metrics: dict[str, MetricSpec]


def per_unit_checks(project: Project) -> dict[str, list[UnitCheck]]:
    """The checks declared `per_unit: true`, by the returns source all their figures come
    from; a per_unit check naming anything else is refused at its declaration."""
    found: dict[str, list[UnitCheck]] = {}
    for check in project.checks.values():
        if not check.per_unit:
            continue
        try:
            names = names_in(parse(check.expression, FUNCTIONS))
        except ExpressionError:
            continue    # reported, at its declaration, when the checks run
        sources = {metric.source for name in names for metric in project.needed(name)}
        if any(name not in project.metrics for name in names) or len(sources) != 1 \
                or project.sources[next(iter(sources))].returns is None:
            raise at_declaration(f"校验“{check.name}”写了 per_unit: true，但它的指标不全来自同一批单位报表",
                                 check.defined_at, hint="per_unit 只用于指标全部来自一个 files: 数据源的校验")
        metrics = {m.name: m for name in names for m in project.needed(name)}
        found.setdefault(sources.pop(), []).append(UnitCheck(check, metrics))
    return found


def _run_per_unit_checks(project: Project, checks: list[UnitCheck], ledger: Ledger,
                         problems: Problems) -> None:
    """`checks` (`per_unit_checks`) over figures computed from this return alone; each
    failure is named by the unit and file."""
    for unit_check in checks:
        check = unit_check.check
        subset = replace(project, metrics=unit_check.metrics)
        outcome = run_check(check, compute_figures(subset, {ledger.name: ledger}, {}))
        if outcome is not None:
            problems.add(replace(outcome, message=outcome.message.replace("不成立", "在本单位报表中不成立", 1),
                                 file=ledger.file, place=None, hint=f"校验声明于 {check.defined_at}"))


def _combined(source: SourceSpec, shown_files: str, kept: list[tuple[str, str, Ledger]]) -> Ledger:
    """The kept returns as one ledger: their rows one unit after another, a 填报单位 column
    first, each unit's rows marked by a `LedgerPart`."""
    frames, numbers, parts, start = [], [], [], 0
    for unit, shown, ledger in kept:
        frame = ledger.frame.copy(deep=False)
        if UNIT_COLUMN in frame.columns:
            frame = frame.drop(columns=UNIT_COLUMN)
        frame.insert(0, UNIT_COLUMN, unit)
        frames.append(frame)
        numbers += ledger.row_numbers
        parts.append(LedgerPart(unit, shown, start))
        start += len(frame)
    if frames:
        frame = pd.concat(frames, ignore_index=True)
    else:
        frame = pd.DataFrame({name: pd.Series(dtype=object)
                              for name in (UNIT_COLUMN, *(c.name for c in source.columns))})
    return Ledger(source.name, shown_files, source.sheet, frame, tuple(numbers), None, tuple(parts))

"""报送情况 as the office reads it: each returns source's summary (`ReturnsStatus.lines`) and,
under it, what is wrong with each return left out — for `wenmi returns` and the workbench,
which show it whatever else the project's check finds."""

from __future__ import annotations

from ..problems import Problem
from .returns import ReturnsStatus, UnitReturn


def faulty_problems(status: ReturnsStatus, problems: list[Problem]) -> list[tuple[UnitReturn, list[Problem]]]:
    """Each faulty return with the problems found in it."""
    return [(faulty, problems_of(faulty.file, problems)) for faulty in status.faulty]


def problems_of(file: str, problems: list[Problem]) -> list[Problem]:
    """The problems found in one return: those naming its file (alone, or after its unit)."""
    return [problem for problem in problems if file in (problem.file or "")]


def reported_lines(statuses: dict[str, ReturnsStatus], problems: list[Problem]) -> list[str]:
    """Every returns source's 报送情况, each faulty return followed by its problems."""
    lines = []
    for status in statuses.values():
        lines += status.lines()
        for faulty, found in faulty_problems(status, problems):
            lines.append(f"  {faulty.unit}的问题：")
            lines += [f"    {problem.place}：{problem.message}" if problem.place else f"    {problem.message}"
                      for problem in found]
    return lines

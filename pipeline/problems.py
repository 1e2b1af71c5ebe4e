"""Every problem at once: a collector of errors and warnings, shown grouped by file.

The stages raise `WenmiError` at the first problem in one unit (a YAML file, a ledger, a
metric, a report). `wenmi check` and `wenmi build` run each unit inside
`Problems.collecting()`, so one bad ledger does not hide a bad template, and the office
fixes everything in one round. `ProblemsFound` carries the whole list through the CLI's one
`except WenmiError`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace

from .errors import WenmiError

ERROR, WARNING = "错误", "警告"
LONG_QUOTE = re.compile(r"“([^”]{40})[^”]{10,}”")


@dataclass(frozen=True)
class Problem:
    """One error or warning, with the file and the place in it (either may be unknown)."""
    level: str                 # ERROR or WARNING
    message: str
    file: str | None = None
    place: str | None = None
    hint: str | None = None

    def line(self) -> str:
        """How the problem prints under its file's heading."""
        text = f"{self.level}：{self.place}：{self.message}" if self.place \
            else f"{self.level}：{self.message}"
        return f"{text}（提示：{self.hint}）" if self.hint else text


class Problems:
    """The problems found so far, in the order found."""

    def __init__(self) -> None:
        self.items: list[Problem] = []

    def add(self, problem: Problem) -> None:
        """Record a problem once (a quotient repeats its operand's error, for instance), with
        any long quoted cell cut short: a 100,000-character cell is not worth printing."""
        problem = replace(problem, message=LONG_QUOTE.sub(r"“\1……”", problem.message))
        if problem not in self.items:
            self.items.append(problem)

    def error(self, error: WenmiError) -> None:
        """Record a raised error (all of them, if it already carries several)."""
        found = error.problems if isinstance(error, ProblemsFound) else \
            [Problem(ERROR, error.message, error.file, error.place, error.hint)]
        for problem in found:
            self.add(problem)

    def warn(self, message: str, file: str | None = None, place: str | None = None,
             hint: str | None = None) -> None:
        self.add(Problem(WARNING, message, file, place, hint))

    @contextmanager
    def collecting(self) -> Iterator[None]:
        """Run one unit of work; a user error in it is recorded instead of stopping the run."""
        try:
            yield
        except WenmiError as error:
            self.error(error)

    @property
    def errors(self) -> list[Problem]:
        return [problem for problem in self.items if problem.level == ERROR]

    @property
    def warnings(self) -> list[Problem]:
        return [problem for problem in self.items if problem.level == WARNING]

    def stop_if_failed(self, strict: bool = False) -> None:
        """Raise `ProblemsFound` when there are errors, or any problem at all when strict."""
        if self.errors or strict and self.items:
            raise ProblemsFound(self.items, strict)


def grouped(problems: list[Problem]) -> str:
    """Problems listed under the file they concern, files in the order first met."""
    by_file: dict[str, list[Problem]] = {}
    for problem in problems:
        by_file.setdefault(problem.file or "（整个项目）", []).append(problem)
    return "\n".join(f"{file}\n" + "\n".join(f"  {problem.line()}" for problem in items)
                     for file, items in by_file.items())


def counted(problems: list[Problem]) -> str:
    errors = sum(problem.level == ERROR for problem in problems)
    return f"{errors} 个错误、{len(problems) - errors} 个警告"


class ProblemsFound(WenmiError):
    """Several problems raised as one user error. Its file, place and message are the first
    error's (so code that expects one `WenmiError` still finds them); it prints them all."""

    def __init__(self, problems: list[Problem], strict: bool = False):
        first = next((problem for problem in problems if problem.level == ERROR), problems[0])
        super().__init__(first.message, file=first.file, place=first.place, hint=first.hint)
        self.problems = list(problems)
        self.strict = strict

    def __str__(self) -> str:
        if len(self.problems) == 1 and not self.strict:
            return super().__str__()
        why = "（--strict：警告也视为错误）" if self.strict else ""
        return f"发现 {counted(self.problems)}{why}，未写入任何文件：\n{grouped(self.problems)}"

"""The project as the workbench's pages see it: read with the library's own functions
(inspection, check, nominees, composing) once, and read again only when a file under inputs/
or templates/, or the build record, has changed since. Every page load after the first
is then a matter of formatting what is already known.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ..errors import WenmiError
from ..figures import Figure, FigureTable, figure_text
from ..keeping import STATE_FOLDER
from ..keeping.manifest import Manifest
from ..numbers import format_change
from ..problems import ERROR, Problem, ProblemsFound
from ..reading.specs import Project

ROW_PLACE = re.compile(r"第(\d+)行")
CACHED = 256                         # documents and charts kept at once (a batch may have 1,000)


@dataclass(frozen=True)
class FigureRow:
    """One line of the figures page."""
    name: str                        # the figure id, as templates cite it
    metric: str                      # the declared metric or figure it belongs to (explain)
    label: str
    text: str                        # its wording in the documents
    value: str
    previous: str                    # last year's wording, "" when there is none
    change: str                      # 同比, "" when there is none
    rule: str
    sources: str
    nominee: str                     # "" for the project's own figures; else 编号 名称
    chart: bool                      # whether a chart can be drawn for it


@dataclass(frozen=True)
class ProblemView:
    """A problem with the ledger row it points at (header first), when it points at one."""
    problem: Problem
    header: list[str]
    row: list[str]
    row_number: int | None


class Workspace:
    """One project folder, read on demand and kept while its files stay the same."""

    def __init__(self, root: Path):
        self.root = root.resolve()
        self._lock = threading.RLock()
        self._seen: tuple = ()
        self._cache: dict[str, object] = {}

    # ------------------------------------------------------------ the cache

    def fingerprint(self) -> tuple:
        """Name, size and time of every file the pages are read from."""
        files = [path for folder in ("inputs", "templates") for path in (self.root / folder).rglob("*")]
        files.append(self.root / STATE_FOLDER / "manifest.json")
        stamps = []
        for path in sorted(files):
            try:
                stat = path.stat()
            except OSError:
                continue
            stamps.append((str(path), stat.st_size, stat.st_mtime_ns))
        return tuple(stamps)

    def cached(self, key: str, make: Callable[[], object]) -> object:
        """`make()`, computed once for the files as they are now."""
        with self._lock:
            seen = self.fingerprint()
            if seen != self._seen:
                self._cache.clear()
                self._seen = seen
            if key not in self._cache:
                if len(self._cache) >= CACHED:
                    self._cache.pop(next(iter(self._cache)))
                self._cache[key] = make()
            return self._cache[key]

    # ------------------------------------------------------------ what pages show

    def inspection(self):
        """The project read as `wenmi check` reads it (inspect_project): never raises."""
        from ..reading.inspection import inspect_project
        return self.cached("inspection", lambda: inspect_project(self.root))

    @property
    def project(self) -> Project | None:
        return self.inspection().project

    def problems(self) -> list[ProblemView]:
        """Everything `wenmi check` finds, each ledger problem with its row."""
        return self.cached("problems", self._problems)

    def _problems(self) -> list[ProblemView]:
        from ..build import check
        try:
            found = list(check(self.root).warnings)
        except ProblemsFound as error:
            found = error.problems
        except WenmiError as error:
            found = [Problem(ERROR, error.message, error.file, error.place, error.hint)]
        return _with_rows(self.project, found)

    def nominees(self, batch: str) -> list:
        """The batch report's nominees with their own figures ([] when the sheet has problems:
        the check page lists them)."""
        from ..reading.nominees import read_nominees

        def read():
            inspection = self.inspection()
            try:
                return read_nominees(inspection.project, inspection.project.batches[batch],
                                     inspection.ledgers, inspection.figures)
            except (WenmiError, KeyError):
                return []
        return self.cached(f"nominees:{batch}", read)

    def figure_rows(self) -> list[FigureRow]:
        """Every figure: the project's, then each nominee's own, batch by batch."""
        def rows():
            project, figures = self.project, self.inspection().figures
            found = [row for name, figure in figures.items() for row in _rows(name, figure, "")]
            for batch in project.batches if project else ():
                for nominee in self.nominees(batch):
                    who = f"{nominee.key} {nominee.fields.get('名称', '')}".strip()
                    found += [row for name, figure in nominee.figures.items()
                              for row in _rows(name, figure, who)]
            return found
        return self.cached("figures", rows)

    def manifest(self) -> Manifest | None:
        project = self.project
        return Manifest.load(project) if project else None


def _rows(metric: str, figure: Figure | FigureTable, nominee: str) -> list[FigureRow]:
    """A figure's lines: one, or one per group of a table."""
    sources = "；".join(f"{s.file}{'，工作表“' + s.sheet + '”' if s.sheet else ''}"
                       f"{'，条件 ' + s.filter if s.filter else ''}，{s.rows} 行"
                       for s in figure.provenance.sources) or "配置文件中直接填写"
    if isinstance(figure, FigureTable):
        return [FigureRow(cell.id, metric, cell.label, figure_text(cell), _value(cell), "", "",
                          cell.provenance.rule, sources, nominee, chart=index == 0)
                for index, (_, cell) in enumerate(figure.rows)]
    previous = figure.previous
    change = ""
    if previous is not None and previous.value:
        change = format_change(figure.value, previous.value)
    return [FigureRow(figure.id, metric, figure.label, figure_text(figure), _value(figure),
                      figure_text(previous) if previous is not None else "", change,
                      figure.provenance.rule, sources, nominee, chart=previous is not None)]


def _value(figure: Figure) -> str:
    return f"{figure.value:g}" if isinstance(figure.value, float) else str(figure.value)


def _with_rows(project: Project | None, problems: list[Problem]) -> list[ProblemView]:
    """Problems with the ledger rows they name: each ledger file read once, as text."""
    from ..reading.ledgers import file_rows
    ledgers = {}
    for source in project.sources.values() if project else ():
        for name in (source.file, source.previous):
            if name:
                ledgers[project.shown(project.inputs / name)] = (source, project.inputs / name)
    wanted: dict[str, set[int]] = {}
    for problem in problems:
        found = ROW_PLACE.search(problem.place or "")
        if problem.file in ledgers and found:
            source = ledgers[problem.file][0]
            wanted.setdefault(problem.file, set(range(1, source.header_rows + 1))).add(int(found.group(1)))
    rows: dict[str, dict[int, list[str]]] = {}
    for file, numbers in wanted.items():
        source, path = ledgers[file]
        try:
            rows[file] = file_rows(source, path, file, numbers)
        except WenmiError:
            rows[file] = {}
    views = []
    for problem in problems:
        found = ROW_PLACE.search(problem.place or "")
        if problem.file in rows and found:
            number = int(found.group(1))
            source = ledgers[problem.file][0]
            header = rows[problem.file].get(source.header_rows, [])
            views.append(ProblemView(problem, header, rows[problem.file].get(number, []), number))
        else:
            views.append(ProblemView(problem, [], [], None))
    return views

"""The driver: read everything, then write everything.

`prepare()` reads the project top to bottom — specs → ledgers → figures → render →
assemble → writers — entirely in memory, so any problem stops the build before a file is
touched. `write_outputs()` then puts each file in place by writing a temporary file and
renaming it, so a reader never sees half a document and a failed build leaves the
previous outputs as they were.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from .aggregate import compute_figures
from .assemble import assemble
from .errors import WenmiError
from .figures import Figure, FigureTable
from .load import Ledger, load_ledger
from .model import Document
from .project import Project, ReportSpec, load_project
from .render import Renderer
from .writers import EXTENSIONS, WRITERS


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


_FILE_MODE = 0o666 & ~_umask()     # what a plain open() would give a new file


@dataclass(frozen=True)
class Output:
    """One file a build produces, still in memory."""
    report: str
    format: str
    path: Path
    data: bytes


@dataclass(frozen=True)
class Prepared:
    """Everything a build computed, before anything is written."""
    project: Project
    figures: dict[str, Figure | FigureTable]
    documents: dict[str, Document]
    outputs: tuple[Output, ...]


def read_figures(root: Path) -> tuple[Project, dict[str, Figure | FigureTable]]:
    """The project and all its figures: specs read, ledgers loaded, metrics computed."""
    project = load_project(root)
    ledgers: dict[str, Ledger] = {}
    previous: dict[str, Ledger] = {}
    for name, source in project.sources.items():
        ledgers[name] = _load(project, source, source.file)
        if source.previous:
            previous[name] = _load(project, source, source.previous)
    return project, compute_figures(project, ledgers, previous)


def _load(project: Project, source, file: str) -> Ledger:
    path = project.inputs / file
    return load_ledger(source, path, project.shown(path))


def select_reports(project: Project, names: Iterable[str] = ()) -> list[ReportSpec]:
    """The named reports, in the order given; all reports when no name is given."""
    names = list(names)
    unknown = [name for name in names if name not in project.reports]
    if unknown:
        known = "、".join(project.reports) or "（无）"
        raise WenmiError(f"没有名为“{'、'.join(unknown)}”的报告；已声明的报告：{known}",
                         hint="用 wenmi list 查看全部报告")
    if not project.reports:
        raise WenmiError("项目中没有声明任何报告（reports）", file="inputs/")
    return [project.reports[name] for name in names] if names else list(project.reports.values())


def prepare(root: Path, names: Iterable[str] = (), formats: Iterable[str] = ()) -> Prepared:
    """Read, compute, render and write every selected report in memory."""
    project, figures = read_figures(root)
    reports = select_reports(project, names)
    formats = tuple(formats)
    for fmt in formats:
        if fmt not in WRITERS:
            raise WenmiError(f"不支持的输出格式“{fmt}”；可用：{'、'.join(WRITERS)}")
    renderer = Renderer(project, figures)
    documents: dict[str, Document] = {}
    outputs: list[Output] = []
    for report in reports:
        markdown = renderer.render_report(report)
        document = assemble(markdown, report, figures, f"inputs/{report.body}")
        documents[report.name] = document
        for fmt in formats or report.formats:
            path = project.outputs / f"{report.output}{EXTENSIONS[fmt]}"
            outputs.append(Output(report.name, fmt, path, WRITERS[fmt](document)))
    return Prepared(project, figures, documents, tuple(outputs))


def write_outputs(outputs: Iterable[Output]) -> None:
    """Put every output in place: all temporary files first, then one rename each."""
    staged: list[tuple[Path, Path]] = []
    try:
        for output in outputs:
            output.path.parent.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(prefix=f".{output.path.name}.",
                                                 suffix=".tmp", dir=output.path.parent)
            with os.fdopen(handle, "wb") as stream:
                stream.write(output.data)
            os.chmod(temporary, _FILE_MODE)     # mkstemp's 0600 would hide outputs from colleagues
            staged.append((Path(temporary), output.path))
    except OSError as error:
        for temporary, _ in staged:
            temporary.unlink(missing_ok=True)
        raise WenmiError(f"无法写入输出文件：{error.strerror or error}",
                         file=str(getattr(error, "filename", "") or ""),
                         hint="检查 outputs/ 是否可写、磁盘空间是否充足") from None
    for temporary, final in staged:
        try:
            os.replace(temporary, final)
        except PermissionError:
            temporary.unlink(missing_ok=True)
            raise WenmiError("无法覆盖输出文件，可能正在 Word 或 WPS 中打开",
                             file=str(final), hint="关闭该文件后重新生成") from None


def build(root: Path, names: Iterable[str] = (), formats: Iterable[str] = ()) -> Prepared:
    """`prepare`, then `write_outputs`: the whole `wenmi build`."""
    prepared = prepare(root, names, formats)
    write_outputs(prepared.outputs)
    return prepared

"""Batch reports: one 先进事迹材料 per nominee, the roster that lists them and, on request,
one merged print file — each a `Job` for the lane like any other document."""

from __future__ import annotations

import functools
from collections import ChainMap
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from .. import numbers
from ..figures import Figure, FigureTable
from ..filenames import safe_file_name
from ..model import Bundle, Document
from ..reading.ledgers import Ledger
from ..reading.nominees import MERGED_STEM, ROSTER_STEM, Nominee, read_nominees, select_nominees
from ..reading.specs import BatchSpec, Project
from . import Job
from .assemble import assemble
from .numbering import cite
from .render import LedgerText, Renderer
from .reports import titled
from .roster import roster_document


class DossierMaker:
    """Renders nominees into documents; templates and story files are compiled once, the
    stories folder is listed once."""

    def __init__(self, project: Project, spec: BatchSpec,
                 figures: Mapping[str, Figure | FigureTable]):
        self.spec = spec
        self.figures = figures
        self.renderer = Renderer(project, figures)
        self.templates = {c.name: self.renderer.template(f"{c.template}.md.j2")
                          for c in spec.categories}
        self.heading = {"名称": spec.name, "署名": spec.issuer,
                        "日期": numbers.format_date(spec.date, chinese=spec.chinese_date)}
        folder = project.inputs / spec.stories if spec.stories else None
        self.stories = {path.name for path in folder.glob("*.md")} if folder else set()

    def story_name(self, nominee: Nominee) -> str | None:
        """The nominee's own Markdown (inputs/<stories>/<编号>.md), when there is one."""
        name = f"{safe_file_name(nominee.key)}.md"
        return f"{self.spec.stories}/{name}" if name in self.stories else None

    def document(self, nominee: Nominee) -> Document:
        figures = ChainMap(nominee.figures, self.figures)
        fields = {column: LedgerText(text) for column, text in nominee.fields.items()}
        context = dict(figures, 对象=fields, 序号=nominee.serial,
                       项目=self.renderer.project_context, 报告=self.heading)
        story = self.story_name(nominee)
        body = self.renderer.render(self.renderer.template(story), context, story) if story else ""
        template = f"templates/{nominee.category.template}.md.j2"
        markdown = self.renderer.render(self.templates[nominee.category.name],
                                        dict(context, 正文=body), template.removeprefix("templates/"))
        document = assemble(markdown, figures, f"inputs/{story}" if story else template,
                            genre_file=template)
        return titled(document, self.spec.name, self.spec.defined_at)


@dataclass(frozen=True)
class BatchJobs:
    """A batch report's documents: a dossier per nominee, then the roster; `merged`,
    when the whole batch is made and a print file is declared, makes that file's job from
    the dossiers once they are made."""
    jobs: list[Job]
    merged: Callable[[list[Document]], Job] | None


def batch_jobs(project: Project, spec: BatchSpec, ledgers: Mapping[str, Ledger],
               figures: Mapping[str, Figure | FigureTable], formats: tuple[str, ...] = (),
               only: Iterable[str] = ()) -> BatchJobs:
    """Every document of a batch report under outputs/<报告名>/: the roster as DOCX and
    XLSX, the dossiers (only the named ones with `only`) in the formats asked for (the
    spec's when none are)."""
    nominees = read_nominees(project, spec, ledgers, figures)
    selected = select_nominees(nominees, only)
    folder = project.outputs / safe_file_name(spec.name)
    maker = DossierMaker(project, spec, figures)
    merged = spec.merged and selected is nominees
    roster = Job(spec.name, folder / ROSTER_STEM, ("docx", "xlsx"),
                 functools.partial(roster_document, spec, nominees, maker.heading["日期"],
                                   project.wording))
    dossiers = [Job(spec.name, folder / nominee.stem, formats or spec.formats,
                    functools.partial(maker.document, nominee), keep=merged)
                for nominee in selected]

    def merged_job(documents: list[Document]) -> Job:
        return Job(spec.name, folder / MERGED_STEM, ("docx",), lambda: Bundle(cite(documents)))
    return BatchJobs([*dossiers, roster], merged_job if merged else None)

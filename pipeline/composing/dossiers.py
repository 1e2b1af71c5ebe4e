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
from .stories import story_parts


MERGED_SUBTITLE = "（合订本）"        # under the batch's name on the merged print file's cover


class DossierMaker:
    """Renders nominees into documents; templates and story files are compiled once, the
    stories folder is listed once."""

    def __init__(self, project: Project, spec: BatchSpec,
                 figures: Mapping[str, Figure | FigureTable]):
        self.spec = spec
        self.project = project
        # a per-nominee metric is the nominee's own or nothing: a dossier never sees the
        # total over every nominee's rows that an ordinary report cites
        self.figures = {name: figure for name, figure in figures.items()
                        if not project.per_nominee(name)}
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
        """The nominee's dossier: its template rendered with its own figures and records
        (记录), its story whole (正文) and in parts (事迹); texts from the sheet and the
        ledgers are printed as they are."""
        own = {name: figure for name, figure in nominee.figures.items() if figure is not None}
        figures = ChainMap(own, self.figures)
        fields = {column: LedgerText(text) for column, text in nominee.fields.items()}
        records = {name: [{column: LedgerText(text) for column, text in row.items()} for row in rows]
                   for name, rows in nominee.records.items()}
        context = dict(figures, 对象=fields, 序号=nominee.serial, 记录=records,
                       项目=self.renderer.project_context, 报告=self.heading)
        story = self.story_name(nominee)
        body = self.renderer.render(self.renderer.template(story), context, story) if story else ""
        story_path = self.project.inputs / story if story else None
        parts = story_parts(body, story_path, f"inputs/{story}")
        template = f"templates/{nominee.category.template}.md.j2"
        markdown = self.renderer.render(self.templates[nominee.category.name],
                                        dict(context, 正文=body, 事迹=parts),
                                        template.removeprefix("templates/"))
        if story:
            parts.check_used(story_path, f"inputs/{story}", template)
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
        return Job(spec.name, folder / MERGED_STEM, ("docx",), lambda: Bundle(
            cite(documents), title=spec.name, subtitle=MERGED_SUBTITLE, issuer=spec.issuer,
            date=maker.heading["日期"]))
    return BatchJobs([*dossiers, roster], merged_job if merged else None)

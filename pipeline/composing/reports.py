"""Ordinary reports: the genre template around the office's body, one document each."""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping

from ..errors import at_declaration
from ..figures import Figure, FigureTable
from ..model import Document, NumberingStyle
from ..reading.specs import Project, ReportSpec
from . import Job
from .assemble import RenderedAttachment, assemble
from .render import Renderer


def report_jobs(project: Project, figures: Mapping[str, Figure | FigureTable],
                reports: Iterable[ReportSpec], formats: tuple[str, ...] = ()) -> list[Job]:
    """A job per report, in the formats asked for (the report's own when none are)."""
    renderer = Renderer(project, figures)
    return [Job(report.name, project.outputs / report.output, formats or report.formats,
                functools.partial(report_document, renderer, report))
            for report in reports]


def report_document(renderer: Renderer, report: ReportSpec) -> Document:
    """The report rendered and assembled into its numbered document, with its attachments."""
    attachments = [RenderedAttachment(*renderer.render_attachment(report, attachment),
                                      f"inputs/{attachment.body}" if attachment.body else report.defined_at)
                   for attachment in report.attachments]
    document = assemble(renderer.render_report(report), renderer.figures, f"inputs/{report.body}",
                        genre_file=f"templates/{report.genre}.md.j2",
                        numbering=NumberingStyle(continuous_level3=report.continuous_level3,
                                                 level3_mark=report.level3_mark),
                        merged_enumerations=report.merged_enumerations, attachments=attachments)
    return titled(document, report.name, report.defined_at)


def titled(document: Document, report: str, defined_at: str) -> Document:
    """The document, refused when its genre template gave it no title."""
    if not document.title:
        raise at_declaration("文档没有标题", defined_at, hint=f"在 reports 的“{report}”中填写 title")
    return document

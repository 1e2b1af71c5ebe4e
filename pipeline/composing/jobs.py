"""Every stale report of a build as jobs for the lane: one per document."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from ..model import Document
from ..reading.inspection import Inspection
from ..reading.specs import BatchSpec, ReportSpec, SummarySpec
from . import Job
from .dossiers import batch_jobs
from .reports import report_jobs
from .summary import summary_jobs

Afterwards = Callable[[list[Document]], Job]   # a job made of documents the lane kept


def compose_jobs(inspection: Inspection, specs: Iterable[ReportSpec | BatchSpec | SummarySpec],
                 formats: tuple[str, ...] = (), only: Iterable[str] = ()
                 ) -> tuple[list[Job], list[Afterwards]]:
    """The jobs of the reports, batch reports' first and 汇总表 last, and the jobs to make once those are
    made (a batch's merged print file). A batch leads so that the lane's first job, made
    before any worker is forked, is a dossier: the workers inherit what it compiled. Batch
    reports check their nominee sheets here, all problems at once."""
    project, figures = inspection.project, inspection.figures
    specs = list(specs)
    jobs: list[Job] = []
    afterwards = []
    for spec in specs:
        if isinstance(spec, BatchSpec):
            batch = batch_jobs(project, spec, inspection.ledgers, figures, formats, only)
            jobs += batch.jobs
            afterwards += [batch.merged] if batch.merged else []
    jobs += report_jobs(project, figures, [s for s in specs if isinstance(s, ReportSpec)], formats)
    jobs += summary_jobs(inspection, [s for s in specs if isinstance(s, SummarySpec)], formats)
    return jobs, afterwards

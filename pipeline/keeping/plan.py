"""What a build must make: the reports whose inputs changed since the manifest was written,
decided from the manifest and the folder alone, before anything is read or rendered."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from ..reading.specs import BatchSpec, Project, ReportSpec, SummarySpec
from .manifest import Manifest, input_hashes, inputs_fingerprint


@dataclass(frozen=True)
class Plan:
    """The selected reports split into those to make and those whose files are current."""
    stale: tuple[ReportSpec | BatchSpec | SummarySpec, ...]   # to render
    skipped: tuple[Path, ...]                     # current files, as Wenmi wrote them
    protected: tuple[Path, ...]                   # current files, edited by hand since
    inputs: dict[str, dict[str, str]]             # input hashes, by report
    fingerprints: dict[str, str]                  # one hash of those, by report


def plan(project: Project, manifest: Manifest, specs: Iterable[ReportSpec | BatchSpec | SummarySpec],
         formats: tuple[str, ...], *, force: bool, only: bool) -> Plan:
    """Every report is stale with `force`, a batch report with `only` (some nominees asked
    for by name); otherwise when any of its files is missing or was made from other inputs
    (Manifest.current_outputs)."""
    specs = list(specs)
    inputs = {spec.name: input_hashes(project, spec) for spec in specs}
    fingerprints = {name: inputs_fingerprint(hashes) for name, hashes in inputs.items()}
    stale, current = [], []
    for spec in specs:
        made_anyway = force or only and isinstance(spec, BatchSpec)
        files = [] if made_anyway else manifest.current_outputs(spec, fingerprints[spec.name], formats)
        current += files
        stale += [] if files else [spec]
    protected = [path for path in current if manifest.edited(path)]
    skipped = [path for path in current if path not in protected]
    return Plan(tuple(stale), tuple(skipped), tuple(protected), inputs, fingerprints)

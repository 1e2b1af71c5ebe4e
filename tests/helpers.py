"""Shared test helpers: figures made by hand, so stage tests do not depend on ledgers."""

from pipeline.figures import Figure, Provenance, SourceRef


def make_figure(name, value, unit="", digits=0, previous=None, rows=3):
    provenance = Provenance("inputs/指标.yaml:1", f"合计({name})",
                            (SourceRef("台账", "inputs/台账.csv", None, "", rows),))
    last = None if previous is None else Figure(name, name, previous, unit, digits, provenance)
    return Figure(name, name, value, unit, digits, provenance, last)

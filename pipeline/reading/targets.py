"""Targets for next year (工作要点): this year's figure raised by a declared percentage and
rounded up to a round number, as offices set them ("新建基层工会不少于15个")."""

from __future__ import annotations

import math
from collections.abc import Mapping

from ..figures import Figure, FigureTable, Provenance
from .specs import TargetSpec


def target_figure(target: TargetSpec, figures: Mapping[str, Figure | FigureTable]) -> Figure:
    """The target, in its base figure's unit; its provenance names the rule and the base's
    sources."""
    base = figures[target.base]
    raised = base.value * (1 + target.growth / 100)
    value = math.ceil(round(raised / target.step, 9)) * target.step
    value = int(value) if float(value).is_integer() else value
    growth = f" × (1 + {target.growth:g}%)" if target.growth else ""
    rule = f"{base.id}{growth}，向上取整到 {target.step:g} 的倍数"
    return Figure(target.name, target.label, value, base.unit, 0 if isinstance(value, int) else base.digits,
                  Provenance(target.defined_at, rule, base.provenance.sources))

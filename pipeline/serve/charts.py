"""The figures page's charts, drawn as SVG by pygal: a figure this year against last year,
and the leading groups of a table metric. The page shows them as images; a value or a group
name is text that pygal escapes, and the script pygal adds for its interactive tooltips
(its settings, which a browser never runs in an image) is left out."""

from __future__ import annotations

import re

from ..figures import Figure, FigureTable, figure_text

TOP_GROUPS = 10
SCRIPT = re.compile(rb"<script\b.*?</script>", re.S)
FONTS = '"Noto Sans CJK SC", "WenQuanYi Zen Hei", "Microsoft YaHei", "SimHei", sans-serif'


def _style():
    from pygal.style import Style
    return Style(background="white", plot_background="white", font_family=FONTS,
                 colors=("#8a9bb0", "#b03a2e"), foreground="#333", foreground_strong="#222",
                 foreground_subtle="#ddd", label_font_size=13, major_label_font_size=13,
                 value_font_size=13, tooltip_font_size=13)


def year_chart(figure: Figure, year: int) -> bytes:
    """Two columns: last year's value and this year's, each with its wording on top."""
    import pygal
    chart = pygal.Bar(width=360, height=220, explicit_size=True, show_legend=False,
                      print_values=True, js=[], style=_style(), show_y_labels=False,
                      margin=12, spacing=24)
    chart.x_labels = [f"{year - 1}年", f"{year}年"]
    previous = figure.previous
    chart.add(figure.label, [{"value": previous.value, "formatter": lambda _: figure_text(previous),
                              "color": "#8a9bb0"},
                             {"value": figure.value, "formatter": lambda _: figure_text(figure),
                              "color": "#b03a2e"}])
    return SCRIPT.sub(b"", chart.render())


def groups_chart(table: FigureTable) -> bytes:
    """The table metric's first TOP_GROUPS groups, largest at the top, as horizontal bars."""
    import pygal
    rows = list(table.rows[:TOP_GROUPS])
    chart = pygal.HorizontalBar(width=640, height=60 + 34 * len(rows), explicit_size=True,
                                show_legend=False, print_values=True, js=[], style=_style(),
                                show_x_labels=False, margin=12, truncate_label=-1,
                                margin_left=14 * max((len(key) for key, _ in rows), default=0))
    chart.x_labels = [key for key, _ in reversed(rows)]
    chart.add(table.value_label, [{"value": cell.value, "formatter": lambda _, cell=cell: figure_text(cell)}
                                  for _, cell in reversed(rows)])
    return SCRIPT.sub(b"", chart.render())

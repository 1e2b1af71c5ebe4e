"""The nominee sheet of a batch report: every row checked, with its own figures, in roster order.

A batch report (`reports:` entry with `nominees:`) names a nominee sheet declared in
`sources`. `read_nominees` checks every row at once (required fields, categories, duplicate
编号), computes each nominee's own figures with one pandas group-by per metric, puts the
nominees in roster order and gives each a safe, unique file name.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import pandas as pd

from ..errors import WenmiError, at_cell, at_declaration
from ..figures import Figure, FigureTable
from ..filenames import fill_pattern, pattern_fields, safe_file_name, unique_names
from ..problems import Problems
from .ledgers import Ledger
from .metrics import cell_text, key_texts, ledger_provenance, per_key, quotient_figure, require_column
from .specs import BatchSpec, CategorySpec, MetricSpec, Project

SERIAL = "序号"                        # the roster position, usable in file names and templates
ROSTER_STEM = "推荐名单汇总表"           # file names of the roster and the merged print file,
MERGED_STEM = "事迹材料合订本"           # kept free of dossiers


@dataclass(frozen=True)
class Nominee:
    """One row of the nominee sheet, checked, with its own figures and file name."""
    serial: int                         # 序号: position in roster order, from 1
    key: str                            # 编号
    category: CategorySpec
    fields: dict[str, str]              # every column of the sheet, as text ("" when blank)
    row: int                            # the sheet row, for messages
    figures: dict[str, Figure]          # the per-nominee metrics
    stem: str                           # file name without extension, safe and unique



def file_stems(pattern: str, rows: list[dict[str, str]], spec: BatchSpec) -> list[str]:
    """The pattern ("{序号}-{单位}-{名称}") filled from each row; 序号 zero-padded so files
    sort in roster order."""
    known = set(rows[0]) if rows else set()
    unknown = sorted(set(pattern_fields(pattern)) - known)   # its form was checked with the spec
    if unknown:
        raise at_declaration(f"file_name 中的“{'、'.join(unknown)}”不是推荐对象表的列或“序号”",
                             spec.defined_at, hint=f"可用：{'、'.join(rows[0]) if rows else '（无）'}")
    width = len(str(len(rows)))
    names = [safe_file_name(fill_pattern(pattern, dict(row, **{SERIAL: row[SERIAL].zfill(width)})))
             for row in rows]
    return unique_names(names, taken=(ROSTER_STEM, MERGED_STEM))


# ---------------------------------------------------------------- the nominee sheet

def read_nominees(project: Project, spec: BatchSpec, ledgers: Mapping[str, Ledger],
                  figures: Mapping[str, Figure | FigureTable]) -> list[Nominee]:
    """Every nominee of the sheet, checked and in roster order; all problems at once."""
    if spec.nominees not in ledgers:
        raise at_declaration(f"推荐对象表“{spec.nominees}”未在 sources 中声明", spec.defined_at)
    sheet = ledgers[spec.nominees]
    rows = [{str(column): cell_text(value) for column, value in record.items()}
            for record in sheet.frame.to_dict("records")]
    problems = Problems()
    categories = {category.name: category for category in spec.categories}
    _check_columns(spec, sheet)
    seen: dict[str, int] = {}
    for fields, line in zip(rows, sheet.row_numbers):
        def problem(message: str, column: str | None) -> None:
            problems.error(WenmiError(message, file=sheet.file,
                                      place=at_cell(line, column, sheet.sheet)))
        key = fields[spec.key]
        category = categories.get(fields[spec.category_column])
        for column in spec.required + (category.required if category else ()):
            if not fields.get(column):
                problem(f"推荐对象“{key or '（无编号）'}”缺少必填项“{column}”", column)
        if fields[spec.category_column] and category is None:
            problem(f"未知的类别“{fields[spec.category_column]}”；可用：{'、'.join(categories)}",
                    spec.category_column)
        if key and key in seen:
            problem(f"编号“{key}”重复（第一次在第{seen[key]}行）", spec.key)
        seen.setdefault(key, line)
    problems.stop_if_failed()
    own = _nominee_figures(project, spec, sheet, rows, ledgers, figures, problems)
    problems.stop_if_failed()
    order = _roster_order(spec, rows, own)
    ordered = [dict(rows[i], **{SERIAL: str(serial)}) for serial, i in enumerate(order, start=1)]
    stems = file_stems(spec.file_name, ordered, spec)
    return [Nominee(serial, fields[spec.key], categories[fields[spec.category_column]], fields,
                    sheet.row_numbers[i], own[i], stem)
            for serial, (i, fields, stem) in enumerate(zip(order, ordered, stems), start=1)]


def _check_columns(spec: BatchSpec, sheet: Ledger) -> None:
    """The columns the spec relies on exist in the sheet (one message names them all)."""
    wanted = [spec.key, spec.category_column, *spec.required,
              *(column for category in spec.categories for column in category.required)]
    missing = [column for column in dict.fromkeys(wanted) if column not in sheet.frame.columns]
    if missing:
        raise at_declaration(
            f"推荐对象表 {sheet.file} 中没有“{'、'.join(missing)}”列；"
            f"现有列：{'、'.join(map(str, sheet.frame.columns))}", spec.defined_at)


def _roster_order(spec: BatchSpec, rows: list[dict[str, str]],
                  own: list[dict[str, Figure]]) -> list[int]:
    """Row indices in the declared order: the category column by the order categories are
    declared, per-nominee figures by value, other columns as numbers when they all are,
    else as text; "-列" sorts descending. Ties keep the sheet's order."""
    order = list(range(len(rows)))
    categories = [category.name for category in spec.categories]
    for field in reversed(spec.sort):
        column, descending = field.lstrip("-"), field.startswith("-")
        if column == spec.category_column:
            def key(i): return categories.index(rows[i][column])
        elif own and column in own[0]:
            def key(i): return own[i][column].value
        elif rows and column in rows[0]:
            texts = [row[column] for row in rows]
            as_number = all(_is_number(text) for text in texts)
            def key(i): return float(texts[i]) if as_number else texts[i]
        else:
            raise at_declaration(f"roster 的 sort 中的“{column}”不是推荐对象表的列或按对象计算的指标",
                                 spec.defined_at)
        order.sort(key=key, reverse=descending)
    return order


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


# ---------------------------------------------------------------- per-nominee figures

def _nominee_figures(project: Project, spec: BatchSpec, sheet: Ledger, rows: list[dict[str, str]],
                     ledgers: Mapping[str, Ledger], figures, problems: Problems) -> list[dict[str, Figure]]:
    """Each nominee's own figures: every per-nominee metric, joined by its declared key."""
    own: list[dict[str, Figure]] = [{} for _ in rows]
    names = [name for name in project.metrics if project.per_nominee(name)]
    join_keys: dict[tuple[str, str], pd.Series] = {}   # metrics joined by the same column share it
    for name in names:
        metric = project.metrics[name]
        if metric.quotient:
            continue
        with problems.collecting():
            _joined(metric, ledgers[metric.source], sheet, rows, own, spec, problems, join_keys)
    for name in names:          # quotients after their operands, in declaration order
        metric = project.metrics[name]
        if metric.quotient:
            for fields, figures_of in zip(rows, own):
                with problems.collecting():
                    figures_of[name] = _nominee_quotient(metric, fields, figures_of, figures, spec)
    return own


def _joined(metric: MetricSpec, ledger: Ledger, sheet: Ledger, rows: list[dict[str, str]],
            own: list[dict[str, Figure]], spec: BatchSpec, problems: Problems,
            join_keys: dict[tuple[str, str], pd.Series]) -> None:
    """One metric for every nominee, by one group-by over the ledger's join column (as
    texts, kept in `join_keys` for the next metric joined by it)."""
    join = metric.per_nominee
    require_column(metric, ledger, join.column, "per_nominee")
    if join.nominee not in sheet.frame.columns:
        raise at_declaration(f"指标“{metric.name}”按“{join.nominee}”对应推荐对象，"
                             f"但 {sheet.file} 中没有这一列", metric.defined_at)
    if (ledger.name, join.column) not in join_keys:
        join_keys[ledger.name, join.column] = key_texts(ledger.frame[join.column])
    groups = per_key(metric, ledger, join_keys[ledger.name, join.column])
    for fields, figures_of, line in zip(rows, own, sheet.row_numbers):
        key = fields[join.nominee]
        if key in groups:
            value, count = groups[key]
        elif join.zero_if_missing:
            value, count = 0, 0
        else:
            problems.error(WenmiError(
                f"推荐对象“{fields[spec.key]} {fields.get('名称', '')}”在数据源“{ledger.name}”中"
                f"没有“{join.column}”为“{key}”的行，无法计算“{metric.name}”",
                file=sheet.file, place=at_cell(line, join.nominee, sheet.sheet),
                hint=f"核对名称是否与台账一致；若应记为0，在指标“{metric.name}”的 per_nominee 中写 missing: zero"))
            continue
        condition = f'{join.column} == "{key}"'
        figures_of[metric.name] = Figure(
            metric.name, metric.label, value, metric.unit,
            metric.digits, ledger_provenance(metric, ledger, count, condition))


def _nominee_quotient(metric: MetricSpec, fields: dict[str, str], own: dict[str, Figure],
                      figures, spec: BatchSpec) -> Figure:
    numerator, denominator = (own.get(op) or figures[op] for op in metric.operands)
    try:
        return quotient_figure(metric, numerator, denominator)
    except WenmiError as error:
        raise WenmiError(f"推荐对象“{fields[spec.key]}”：{error.message}", file=error.file,
                         place=error.place, hint=error.hint) from None


def warn_unmatched_stories(project: Project, ledgers: Mapping[str, Ledger], problems: Problems) -> None:
    """Warn about each story file (inputs/<stories>/<编号>.md) that no nominee's 编号 names:
    it would be left out of every dossier without a word (an 编号 typed differently, or
    001 in the sheet read as 1)."""
    for spec in project.batches.values():
        sheet = ledgers.get(spec.nominees)
        if not spec.stories or sheet is None or spec.key not in sheet.frame.columns:
            continue
        keys = {safe_file_name(cell_text(value)) for value in sheet.frame[spec.key]}
        for path in sorted((project.inputs / spec.stories).glob("*.md")):
            if path.stem not in keys:
                problems.warn(f"事迹文件“{path.name}”没有对应的推荐对象：{sheet.file} 中没有编号“{path.stem}”，"
                              "它不会出现在任何一份事迹材料中", project.shown(path),
                              hint=f"事迹文件应以推荐对象的编号命名（{spec.key}列，如 {next(iter(sorted(keys)), 'GR01')}.md）")


def select_nominees(nominees: list[Nominee], keys: Iterable[str]) -> list[Nominee]:
    """The nominees named by 编号 (`wenmi build 报告名 --only …`), in roster order."""
    wanted = list(dict.fromkeys(keys))
    known = {nominee.key for nominee in nominees}
    unknown = [key for key in wanted if key not in known]
    if unknown:
        raise WenmiError(f"推荐对象表中没有编号“{'、'.join(unknown)}”",
                         hint="编号见推荐对象表的“编号”列，多个编号用空格分开")
    return [nominee for nominee in nominees if nominee.key in wanted] if wanted else nominees


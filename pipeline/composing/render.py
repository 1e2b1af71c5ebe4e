"""The render stage: report bodies and genre templates through one sandboxed Jinja2
environment, giving Markdown in which every figure is marked with its id.

A figure prints as MARK_OPEN id MARK_SEP text MARK_CLOSE (Unicode private-use characters
that no office text contains); the assemble stage turns each mark into a `FigureText`, so
the document model knows which characters are which figure. Filters implement the number
conventions of BRIEF §4 on top of `numbers`.
"""

from __future__ import annotations

import dataclasses
import difflib
import functools
import re
import traceback
from collections.abc import Mapping
from datetime import date, datetime
from pathlib import Path

import jinja2
import jinja2.meta

from .. import bundled, numbers, wording
from ..errors import WenmiError, at_declaration, at_line
from ..figures import Figure, FigureTable, figure_text, last_year, mark, unmarked, verbatim
from ..inputfiles import read_text
from ..reading.specs import AttachmentSpec, BatchSpec, Project, ReportSpec
from .sandbox import BoundedSandbox, ProjectLoader, bounded_render, runtime_reason, syntax_reason

# ---------------------------------------------------------------- filters

class FilterError(Exception):
    """A filter used on the wrong kind of value; reported with the template's place."""


def _figure(value, filter_name: str) -> Figure:
    if isinstance(value, Figure):
        return value
    raise FilterError(f"过滤器“{filter_name}”只能用于指标，这里得到的是“{value}”")


def _as_number(value, filter_name: str) -> float:
    if isinstance(value, Figure):
        return value.value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return value
    raise FilterError(f"过滤器“{filter_name}”需要数值或指标，这里得到的是“{value}”")


def _keep_mark(value, text: str) -> str:
    """Filters on a figure keep its mark; on a plain number they return plain text."""
    return mark(value, text) if isinstance(value, Figure) else text


def _checked(function, *args):
    try:
        return function(*args)
    except ValueError as error:
        raise FilterError(str(error)) from None


def f_number(value) -> str:
    """数值: the number alone, for sentences with their own measure word (名, 人次)."""
    digits = value.digits if isinstance(value, Figure) else 2
    return _keep_mark(value, numbers.format_number(_as_number(value, "数值"), digits))


def _money_filter(unit: str):
    def money(value) -> str:
        if isinstance(value, Figure) and value.unit not in ("元", ""):
            raise FilterError(f"过滤器“{unit}”只能用于金额（单位为元），“{value.id}”的单位是“{value.unit}”")
        digits = value.digits if isinstance(value, Figure) else 2
        return _keep_mark(value, _checked(numbers.format_money, _as_number(value, unit), unit,
                                          max(digits, 2)))
    money.__doc__ = f"{unit}: money forced into {unit}."
    return money


def f_percent(value) -> str:
    """百分比: percentage points as "90.9%"."""
    digits = value.digits if isinstance(value, Figure) else 1
    return _keep_mark(value, numbers.format_percent(_as_number(value, "百分比"), digits))


def _measure_word(value, rules: wording.WordingRules, 量词) -> str:
    """The measure word a filter writes: 量词 when given ("" for none), else the figure's
    unit as the project writes it."""
    if 量词 is not None:
        return str(量词)
    return rules.measure_word(value.unit) if isinstance(value, Figure) else ""


def _approx_filter(kind: str):
    def approx(value, 位数=None, 量词=None, *, rules=wording.DEFAULT_RULES) -> str:
        return _keep_mark(value, _checked(
            wording.format_approx, _as_number(value, kind), kind, _measure_word(value, rules, 量词),
            rules.approx_digits if 位数 is None else 位数, rules.approx_before_wan))
    approx.__doc__ = (f"{kind}(位数, 量词): approximate wording keeping 位数 significant digits "
                      "(1300多家, 6.6万余人, 20多万人次, 近1500名).")
    return approx


def _scale_filter(scale: str):
    def scaled(value, 位数=None, 量词=None, *, rules=wording.DEFAULT_RULES) -> str:
        if isinstance(value, Figure) and value.unit == "%":
            raise FilterError(f"过滤器“{scale}”不能用于百分比（“{value.id}”）")
        digits = max(value.digits if isinstance(value, Figure) else 2, 2) if 位数 is None else 位数
        return _keep_mark(value, _checked(wording.format_large, _as_number(value, scale), scale,
                                          digits) + _measure_word(value, rules, 量词))
    scaled.__doc__ = f"{scale}(位数, 量词): any figure in {scale}, 位数 decimals (22万人, 10万吨)."
    return scaled


def f_change(value) -> str:
    """同比: change against the previous period, "同比增长12.5%"."""
    figure = _figure(value, "同比")
    if figure.previous is None:
        raise FilterError(f"指标“{figure.id}”没有上年数据，不能用“同比”",
                          ) from None
    text = _checked(numbers.format_change, figure.value, figure.previous.value,
                    1 if figure.unit != "%" else figure.digits)
    return mark(figure, text)


def f_previous(value) -> Figure:
    """上年: the same figure last year, printed and filtered like any figure."""
    return _checked(last_year, _figure(value, "上年"))


def f_ratio(value, other) -> str:
    """比例(另一个指标): "1:0.5"."""
    return _keep_mark(value, _checked(numbers.format_ratio, _as_number(value, "比例"),
                                      _as_number(other, "比例")))


def f_chinese(value) -> str:
    """中文数字: 12 → 十二."""
    number = _as_number(value, "中文数字")
    if number != int(number):
        raise FilterError(f"“中文数字”只能用于整数，这里是 {number}")
    return _keep_mark(value, _checked(numbers.chinese_numeral, int(number)))


def f_date(value, 大写: bool = False) -> str:
    """日期: 2024年12月20日, or 二〇二四年十二月二十日 with 大写=true."""
    if isinstance(value, datetime):
        value = value.date()
    if not isinstance(value, date):
        try:
            value = numbers.parse_date(value)
        except ValueError as error:
            raise FilterError(str(error)) from None
    return numbers.format_date(value, chinese=大写)


def f_range(value, high, 样式=None, 单位两端=None, *, rules=wording.DEFAULT_RULES) -> str:
    """范围(高值): "500～2000元" in the project's style (样式="至" gives "500至2000元",
    单位两端=true "500元～2000元"); each end keeps its figure's mark."""
    style = rules.range_style if 样式 is None else str(样式)
    low_text, separator, high_text = _checked(
        wording.range_parts, _as_number(value, "范围"), _as_number(high, "范围"),
        _measure_word(value, rules, None), style, 单位两端)
    return _keep_mark(value, low_text) + separator + _keep_mark(high, high_text)


def f_years(value, 年数: int = 3, *, rules=wording.DEFAULT_RULES) -> str:
    """近年(3): "近三年分别为105户、116户、128户", oldest first, from the ledgers of those
    years (reading/series.py); the last, this year's, keeps the figure's mark."""
    figure = _figure(value, "近年")
    years = int(年数)
    values = [v for _, v in figure.earlier] + ([figure.previous.value] if figure.previous else [])
    if not 2 <= years <= len(values) + 1:
        raise FilterError(f"“{figure.id}”只有{len(values) + 1}年的数据，写不出近{numbers.chinese_numeral(years)}年"
                          "（各年台账按年份放在同名文件夹中，如 台账/2022/）")
    texts = [figure_text(dataclasses.replace(figure, value=v, previous=None), rules)
             for v in values[len(values) + 1 - years:]]
    return (f"近{numbers.chinese_numeral(years)}年分别为{'、'.join(texts)}、"
            + mark(figure, figure_text(figure, rules)))


FILTERS = {
    "近年": f_years,
    "数值": f_number, "万元": _money_filter("万元"), "亿元": _money_filter("亿元"),
    "元": _money_filter("元"), "百分比": f_percent, "余": _approx_filter("余"),
    "多": _approx_filter("多"), "近": _approx_filter("近"), "同比": f_change, "上年": f_previous,
    "比例": f_ratio, "中文数字": f_chinese, "日期": f_date, "范围": f_range,
    "万": _scale_filter("万"), "亿": _scale_filter("亿"),
}
# the filters that follow the project's wording rules, given them as `rules` by `environment`
RULED_FILTERS = ("余", "多", "近", "万", "亿", "范围", "近年")


class LedgerText(str):
    """Text from a ledger or the nominee sheet (a table's group, a nominee's field): printed
    as it is, never read as Markdown — a "|" or a backtick in a unit's name is text."""


def _finalize(value, rules: wording.WordingRules = wording.DEFAULT_RULES):
    """How a bare `{{ x }}` prints: figures in their default wording, tables as tables,
    ledger text marked to be taken as it is."""
    if isinstance(value, LedgerText):
        return verbatim(value)
    if isinstance(value, Figure):
        return mark(value, figure_text(value, rules))
    if isinstance(value, FigureTable):
        return table_markdown(value, rules)
    if isinstance(value, date):
        return numbers.format_date(value)
    return value


def table_markdown(table: FigureTable, rules: wording.WordingRules = wording.DEFAULT_RULES,
                   caption: bool = True) -> str:
    """A group-by metric as a pipe table: 序号, group, value; captioned unless it is an
    attachment's whole content, under the attachment's own title. The names and groups are
    marked to be taken as they are, not as Markdown."""
    lines = [f"表：{verbatim(table.label)}", ""] if caption else []
    lines += [f"| 序号 | {verbatim(table.key_label)} | {verbatim(table.value_label)} |",
              "| --- | --- | --- |"]
    for index, (key, figure) in enumerate(table.rows, start=1):
        lines.append(f"| {index} | {verbatim(key)} | {mark(figure, figure_text(figure, rules))} |")
    return "\n".join(lines) + "\n"


def _ledger_keys(figure: Figure | FigureTable) -> Figure | FigureTable:
    """A table with its groups as `LedgerText`, so that a template printing them in a loop
    prints them as they are."""
    if not isinstance(figure, FigureTable):
        return figure
    return dataclasses.replace(figure, rows=tuple((LedgerText(key), cell) for key, cell in figure.rows))


# ---------------------------------------------------------------- rendering

def environment(project: Project) -> BoundedSandbox:
    """The one Jinja2 setup: sandboxed and bounded, strict, Wenmi's filters, templates/ then
    inputs/, then the built-in genres (a project's own template of the same name comes first)."""
    env = BoundedSandbox(
        loader=ProjectLoader(project, builtin=bundled.TEMPLATES), undefined=jinja2.StrictUndefined,
        autoescape=False, finalize=functools.partial(_finalize, rules=project.wording),
        keep_trailing_newline=True, trim_blocks=True, lstrip_blocks=True,
    )
    env.filters.update({name: functools.partial(function, rules=project.wording)
                        if name in RULED_FILTERS else function for name, function in FILTERS.items()})
    return env


class Renderer:
    """Renders every report of a build with one environment and one set of figures."""

    def __init__(self, project: Project, figures: Mapping[str, Figure | FigureTable]):
        self.project = project
        self.figures = {name: _ledger_keys(figure) for name, figure in figures.items()}
        self.env = environment(project)
        self.project_context = {"单位": project.organization, "年度": project.year,
                                "上年度": project.year - 1}

    def render_report(self, report: ReportSpec) -> str:
        """The genre template around the rendered body: Markdown with front matter."""
        context = dict(self.figures, 项目=self.project_context)
        heading = {
            "名称": report.name,
            "标题": self._string(report.title, report, "title", context),
            "副标题": self._string(report.subtitle, report, "subtitle", context),
            "主送": report.recipient, "署名": report.issuer,
            "日期": numbers.format_date(report.date, chinese=report.chinese_date),
            "附件": [self._string(a.title, report, "attachments", context) for a in report.attachments],
        }
        context["报告"] = heading
        body = self._file(report.body, context)
        return self._file(f"{report.genre}.md.j2", dict(context, 正文=body))

    def render_attachment(self, report: ReportSpec, attachment: AttachmentSpec) -> tuple[str, str]:
        """An attachment's title and its content as Markdown: its table metric as a table, or
        its Markdown file rendered like a body."""
        context = dict(self.figures, 项目=self.project_context)
        title = self._string(attachment.title, report, "attachments", context)
        if attachment.table:
            return title, table_markdown(self.figures[attachment.table], caption=False)
        return title, self._file(attachment.body, context)

    def _string(self, source: str, report: ReportSpec, key: str, context) -> str:
        """A title or subtitle rendered; an error is placed at the report's declaration."""
        try:
            return unmarked(bounded_render(self.env.from_string(source), context))
        except Exception as error:  # noqa: BLE001 — turned into one user message below
            translated = self._user_error(error, key, source)
            if not isinstance(translated, WenmiError):
                raise translated from None
            raise at_declaration(f"报告“{report.name}”的 {key}：{translated.message}",
                                 report.defined_at, hint=translated.hint) from None

    def _file(self, name: str, context) -> str:
        return self.render(self.template(name), context, name)

    def template(self, name: str) -> jinja2.Template:
        """A template or body file compiled once; batch reports render it many times."""
        try:
            return self.env.get_template(name)
        except jinja2.TemplateNotFound as error:
            missing = error.name if error.name != name else name
            folder = "templates/" if missing.endswith(".j2") else "inputs/"
            raise WenmiError(f"找不到模板或正文文件“{missing}”", file=f"{folder}{missing}",
                             hint="检查 reports 中的 genre 和 body 是否写对；内置体裁有："
                                  + "、".join(bundled.genres())) from None
        except Exception as error:  # noqa: BLE001
            raise self._user_error(error, name, None) from None

    def render(self, template: jinja2.Template, context, name: str) -> str:
        """Render a compiled template; `name` (templates/ or inputs/ relative) for messages."""
        try:
            return bounded_render(template, context)
        except Exception as error:  # noqa: BLE001
            raise self._user_error(error, name, None) from None

    def _user_error(self, error: Exception, name: str, source: str | None) -> Exception:
        """Translate what Jinja raised into a Chinese message with the template's line."""
        if isinstance(error, WenmiError):
            return error
        file, line = self._place(error, name)
        if isinstance(error, jinja2.TemplateSyntaxError):
            message = _syntax_message(error)
        elif isinstance(error, jinja2.UndefinedError):
            message = self._undefined_message(str(error))
        elif isinstance(error, FilterError):
            message = str(error)
        elif isinstance(error, RecursionError):
            message = "模板或正文互相包含（include/import/extends 形成循环），或宏无限调用自身，无法展开"
        elif isinstance(error, jinja2.TemplateNotFound):
            message = (f"include/import/extends 引用的“{error.name}”不存在；"
                       "只能引用 templates/ 或 inputs/ 中的文件")
        elif (message := runtime_reason(error)) is None:
            return error
        return WenmiError(message, file=file, place=at_line(line))

    def _place(self, error: Exception, name: str) -> tuple[str, int | None]:
        """The template file and line an error happened at, from Jinja's rewritten traceback."""
        if isinstance(error, jinja2.TemplateSyntaxError):
            filename, line = error.filename, error.lineno
        else:
            filename, line = None, None
            for frame in traceback.extract_tb(error.__traceback__):
                if frame.filename.endswith((".j2", ".md")):
                    filename, line = frame.filename, frame.lineno
        if filename and Path(filename).is_absolute():
            return self.project.shown(Path(filename)), line
        if name.endswith(".j2"):
            return f"templates/{name}", line
        return f"inputs/{name}", line

    def _undefined_message(self, text: str) -> str:
        found = re.search(r"'(.+?)' is undefined", text)
        if found:
            unknown = found.group(1)
            close = difflib.get_close_matches(unknown, list(self.figures), n=3, cutoff=0.5)
            suggestion = f"；是否想写：{'、'.join(close)}" if close else ""
            return f"未定义的占位符“{unknown}”（不是已声明的指标或数据）{suggestion}"
        found = re.search(r"has no attribute '(.+?)'", text)
        if found:
            return f"没有名为“{found.group(1)}”的属性或项"
        return f"模板中使用了未定义的内容：{text}"


def _syntax_message(error: jinja2.TemplateSyntaxError) -> str:
    found = re.search(r"No filter named '(.+?)'", error.message or "")
    if found:
        available = "、".join(name for name in FILTERS)
        return f"未知的过滤器“{found.group(1)}”；可用的有：{available}"
    return f"模板语法错误：{syntax_reason(error.message or '')}"


def rendered_files(project: Project, report: ReportSpec | BatchSpec) -> list[Path]:
    """The files a report renders: its body, genre template and attachments' files — for a
    batch report, its category templates and stories — each template the project's own or
    the built-in one."""
    if isinstance(report, BatchSpec):
        stories = project.inputs / report.stories if report.stories else None
        files = [bundled.template_file(project.templates, f"{c.template}.md.j2") for c in report.categories]
        return files + (sorted(stories.glob("*.md")) if stories else [])
    return [project.inputs / report.body, bundled.template_file(project.templates, f"{report.genre}.md.j2"),
            *(project.inputs / attachment.body for attachment in report.attachments if attachment.body)]


def placeholders(project: Project, report: ReportSpec | BatchSpec) -> set[str]:
    """The names a report refers to, found without rendering: in its title and subtitle,
    body and genre template and its attachments — for a batch report, its category
    templates and stories."""
    env = environment(project)
    names: set[str] = set()
    sources: list = []
    if isinstance(report, ReportSpec):
        sources = [report.title, report.subtitle, *(a.title for a in report.attachments)]
        names |= {a.table for a in report.attachments if a.table}
    for source in sources + rendered_files(project, report):
        try:
            text = read_text(source, project.shown(source)) if isinstance(source, Path) else source
            names |= jinja2.meta.find_undeclared_variables(env.parse(text))
        except (WenmiError, jinja2.TemplateSyntaxError):
            continue   # `wenmi check` reports these with their place
    return names


CONTEXT_NAMES = {"项目", "报告", "正文", "对象", "序号"}   # what the renderer puts beside the figures


def unknown_names(project: Project, report: ReportSpec | BatchSpec) -> list[WenmiError]:
    """Without rendering: syntax errors and names that are neither declared figures nor
    the renderer's own, in every file a report renders, each with its file and line. What
    `wenmi check` still reports when a ledger could not be read and nothing can be rendered."""
    env = environment(project)
    known = {*project.metrics, *project.literals, *project.targets, *CONTEXT_NAMES, *env.globals}
    found = []
    for path in dict.fromkeys(rendered_files(project, report)):
        shown = project.shown(path)
        try:
            tree = env.parse(read_text(path, shown), filename=str(path))
        except WenmiError as error:     # a file missing the build reports; any other is said here
            found += [error] if path.exists() else []
            continue
        except jinja2.TemplateSyntaxError as error:
            found.append(WenmiError(_syntax_message(error), file=shown, place=at_line(error.lineno)))
            continue
        for name in sorted(jinja2.meta.find_undeclared_variables(tree) - known):
            line = next(node.lineno for node in tree.find_all(jinja2.nodes.Name) if node.name == name)
            close = difflib.get_close_matches(name, sorted(known), n=3, cutoff=0.5)
            suggestion = f"；是否想写：{'、'.join(close)}" if close else ""
            found.append(WenmiError(f"未定义的占位符“{name}”（不是已声明的指标或数据）{suggestion}",
                                    file=shown, place=at_line(line)))
    return found

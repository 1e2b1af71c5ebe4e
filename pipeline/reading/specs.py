"""The project: the YAML specs under inputs/, read with the file:line of every entry.

A project folder holds `inputs/` (YAML specs, ledgers, report bodies), `templates/` (genre
templates) and `outputs/`. Every `*.yaml` directly under inputs/ is read; their top-level
sections (project, sources, figures, metrics, reports) are merged, and a name declared
twice is an error that names both places.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import yaml

from ..bundled import shown_builtin
from ..errors import WenmiError, at_declaration, at_line
from ..filenames import pattern_fields, safe_file_name
from ..inputfiles import INVISIBLE, INVISIBLE_HINT, OUTSIDE_HINT, invisible_message, read_text, within
from ..numbers import parse_date, parse_number
from ..problems import Problems
from ..wording import DEFAULT_RULES, RuleError, WordingRules, rules_from_mapping
from ..writers import DEFAULT_FORMATS, DOCUMENT_FORMATS

if TYPE_CHECKING:        # parsedspecs builds on this module
    from .parsedspecs import ParsedSpecs

COLUMN_TYPES = ("integer", "number", "money", "percent", "date", "category", "text")


@dataclass(frozen=True)
class ColumnSpec:
    """A declared ledger column: its type and, for a category, the allowed values."""
    name: str
    type: str                              # one of COLUMN_TYPES
    values: tuple[str, ...] = ()           # allowed values of a category; empty = any
    required: bool = False                 # every row must fill it
    unique: bool = False                   # no two rows may hold the same value (a key)
    minimum: float | None = None           # smallest allowed value (numeric columns)
    maximum: float | None = None           # largest allowed value
    defined_at: str = ""                   # "inputs/数据源.yaml:12", for messages


@dataclass(frozen=True)
class SourceSpec:
    """A ledger: a CSV file or an XLSX sheet, and optionally last year's twin for 同比."""
    name: str
    file: str                              # relative to inputs/
    defined_at: str                        # "inputs/sources.yaml:3"
    sheet: str | None = None               # XLSX only; default the first sheet
    header_rows: int = 1
    skip_rows: int = 0                     # rows above the header (a title) to leave out
    columns: tuple[ColumnSpec, ...] = ()   # undeclared columns are read as text
    total_row: bool = True                 # recognise, check and drop a 合计/总计/小计 row
    previous: str | None = None            # last year's file, same layout
    allow_empty: bool = False              # a ledger with no row is a real 0, not missing data
    returns: "ReturnsSpec | None" = None   # `file` (and `previous`) is then a glob of returns


@dataclass(frozen=True)
class ReturnsSpec:
    """A source made of many units' returns (报表) of one form, one file per unit, combined
    into one ledger with a 填报单位 column (reading/returns.py)."""
    unit_cell: str | None = None           # "A2": the cell naming the unit ("填报单位：城关镇总工会")
    unit_column: str | None = None         # a column naming the unit; neither: the file name
    units: tuple[str, ...] = ()            # the units expected to return, in roster order
    units_file: str | None = None          # ... or a sheet listing them (relative to inputs/)
    version_cell: str | None = None        # the cell holding the form's version ...
    version: str | None = None             # ... and what it must say
    newest_wins: bool = False              # two files of one unit: the newer one counts
    missing: str = "warning"               # a unit not yet returned: warning or error
    faulty: str = "error"                  # a return with an error: error, or leave_out (a warning,
                                           # the return not counted until it is sent again)


@dataclass(frozen=True)
class LiteralSpec:
    """A figure typed into the YAML by the office, e.g. a number from the statistics bureau."""
    name: str
    value: float | int | None              # None: this year's not typed in yet (`wenmi new-year`)
    unit: str
    label: str
    note: str
    defined_at: str
    digits: int = 0
    previous: float | int | None = None


@dataclass(frozen=True)
class MetricSpec:
    """A declared metric. Exactly one form: an aggregation over a source (`agg`), or a
    quotient of two other metrics (`rate`, `share`: percent; `ratio`: plain)."""
    name: str
    defined_at: str
    label: str
    unit: str
    digits: int
    source: str | None = None
    agg: str | None = None                 # sum, count, mean, min, max, nunique
    column: str | None = None
    where: str = ""
    by: str | None = None                  # group-by column: the metric is a table
    sort: str = "desc"                     # desc, asc (by value) or key (by group name)
    top: int | None = None
    quotient: str | None = None            # rate, share or ratio
    operands: tuple[str, str] = ("", "")   # numerator, denominator metric names
    per_nominee: "NomineeJoin | None" = None   # computed once per nominee of a batch report


@dataclass(frozen=True)
class TargetSpec:
    """Next year's target from this year's figure (工作要点): the figure raised by `growth`
    percent, then rounded up to a multiple of `step`, as offices set round targets."""
    name: str
    defined_at: str
    label: str
    base: str                              # the figure it grows from
    growth: float = 0.0                    # percent
    step: float = 1                        # round up to a multiple of this


@dataclass(frozen=True)
class NomineeJoin:
    """How a per-nominee metric finds its rows: ledger column == nominee sheet column."""
    column: str                            # in the metric's ledger, e.g. 基层工会
    nominee: str                           # in the nominee sheet, e.g. 单位
    missing: str = "error"                 # a nominee without rows: error | zero | blank
                                           # (blank: the figure does not apply to it)


@dataclass(frozen=True)
class AttachmentSpec:
    """A 附件 of a report and what fills it: a table metric (`by`) or a Markdown file."""
    title: str                             # may hold Jinja placeholders
    table: str = ""                        # a metric with `by`, printed as the attachment's table
    body: str = ""                         # or a Markdown file relative to inputs/


@dataclass(frozen=True)
class ReportSpec:
    """A document to build: genre template, body, front matter and output formats."""
    name: str
    defined_at: str
    genre: str                             # templates/<genre>.md.j2
    body: str                              # relative to inputs/
    title: str                             # may hold Jinja placeholders
    date: date
    issuer: str
    subtitle: str = ""
    recipient: str = ""
    attachments: tuple[AttachmentSpec, ...] = ()
    chinese_date: bool = False             # 二〇二四年十二月二十日 instead of 2024年12月20日
    continuous_level3: bool = False
    level3_mark: str = "."
    merged_enumerations: bool = False      # default form of 一是…二是… lists
    formats: tuple[str, ...] = DEFAULT_FORMATS
    output: str = ""                       # file stem; default the report name


@dataclass(frozen=True)
class CheckSpec:
    """A declared consistency check over figures, e.g. `办结数 <= 受理数` (pipeline/checks.py)."""
    name: str
    expression: str
    defined_at: str
    level: str = "error"                   # error or warning
    tolerance: float = 0.005               # how far apart two sides of == may be
    per_unit: bool = False                 # run on each unit's return alone (reading/returns.py)


@dataclass(frozen=True)
class CategorySpec:
    """A nominee category (先进个人, 工人先锋号…): its genre template and required fields."""
    name: str
    template: str                          # templates/<template>.md.j2
    required: tuple[str, ...] = ()         # nominee columns this category must fill


@dataclass(frozen=True)
class RosterColumn:
    """A column of the 推荐名单汇总表: its header and what fills it (a nominee column,
    序号, or a per-nominee metric)."""
    header: str
    field: str


@dataclass(frozen=True)
class RecordSpec:
    """A nominee's own rows of a ledger, listed in its dossier as `记录.<name>` (its
    honours, its projects): the rows whose `column` holds the nominee's `nominee` field,
    in ledger order; none for a nominee with a blank field."""
    name: str
    source: str
    column: str                            # in the ledger, e.g. 对象编号
    nominee: str                           # in the nominee sheet, e.g. 编号
    defined_at: str


@dataclass(frozen=True)
class BatchSpec:
    """A batch report: one dossier per row of a nominee sheet, plus the roster (pipeline/batch.py)."""
    name: str
    defined_at: str
    nominees: str                          # the source holding the nominee sheet
    categories: tuple[CategorySpec, ...]
    date: date
    issuer: str
    key: str = "编号"                      # the column naming each nominee uniquely
    category_column: str = "类别"
    required: tuple[str, ...] = ()         # columns every nominee must fill
    stories: str = ""                      # folder under inputs/ with optional <编号>.md
    file_name: str = "{序号}-{单位}-{名称}"
    chinese_date: bool = False
    formats: tuple[str, ...] = ("docx",)
    merged: bool = False                   # also one print file with every dossier
    roster_title: str = ""
    roster_columns: tuple[RosterColumn, ...] = ()
    sort: tuple[str, ...] = ()             # roster and numbering order; "-列" descending
    records: tuple[RecordSpec, ...] = ()   # each nominee's own ledger rows, by name


@dataclass(frozen=True)
class SummarySpec:
    """A 汇总表 of units' returns (composing/summary.py): a row per unit of the source's
    roster with its 报送情况 and the sums of the form's number columns, then a 合计 row."""
    name: str
    defined_at: str
    returns: str                           # a source with `files:`
    title: str
    issuer: str
    date: date | None = None               # 成文日期; None: none printed
    chinese_date: bool = False
    formats: tuple[str, ...] = ("xlsx",)
    output: str = ""                       # file stem: the name made a file name
    rows: str = "基层工会数"                # header of the count of each return's rows


@dataclass(frozen=True)
class Project:
    """Everything declared for one project folder."""
    root: Path
    organization: str
    year: int
    sources: dict[str, SourceSpec] = field(default_factory=dict)
    literals: dict[str, LiteralSpec] = field(default_factory=dict)
    metrics: dict[str, MetricSpec] = field(default_factory=dict)
    reports: dict[str, ReportSpec] = field(default_factory=dict)
    checks: dict[str, CheckSpec] = field(default_factory=dict)
    batches: "dict[str, BatchSpec]" = field(default_factory=dict)
    wording: WordingRules = DEFAULT_RULES  # project.wording: 万, 余/多/近, ranges, measure words
    targets: dict[str, TargetSpec] = field(default_factory=dict)
    external_folders: tuple[Path, ...] = ()   # outside the project, named by the office
    summaries: dict[str, SummarySpec] = field(default_factory=dict)   # 汇总表 of returns

    def within(self, path: Path) -> bool:
        """Whether `path` (links followed) lies in the project folder or an external folder
        the project names: no input is read from anywhere else, no output written there."""
        return within(path, (self.root, *self.external_folders))

    def needed(self, name: str) -> list[MetricSpec]:
        """The metric `name` and every metric its quotient is built from ([] for a literal)."""
        metric = self.metrics.get(name)
        if metric is None:
            return []
        return [metric] + [m for op in (metric.operands if metric.quotient else ())
                           for m in self.needed(op)]

    def per_nominee(self, name: str) -> bool:
        """Whether a metric is computed per nominee (itself, or one of its operands)."""
        return any(metric.per_nominee is not None for metric in self.needed(name))

    @property
    def inputs(self) -> Path:
        return self.root / "inputs"

    @property
    def templates(self) -> Path:
        return self.root / "templates"

    @property
    def outputs(self) -> Path:
        return self.root / "outputs"

    def shown(self, path: Path) -> str:
        """A path as messages show it: relative to the project folder, with /; a built-in
        template as 内置模板/<name>."""
        try:
            return path.relative_to(self.root).as_posix()
        except ValueError:
            return shown_builtin(path) or path.as_posix()


def source_paths(project: Project, source: SourceSpec) -> list[Path]:
    """Every file a source reads: its ledger and last year's, or every return matching its
    globs and the roster sheet (what a build's fingerprint hashes)."""
    named = [name for name in (source.file, source.previous) if name]
    if source.returns is None:
        return [project.inputs / name for name in named]
    roster = [project.inputs / source.returns.units_file] if source.returns.units_file else []
    return [path for pattern in named for path in returns_files(project.inputs, pattern)] + roster


def returns_files(inputs: Path, pattern: str) -> list[Path]:
    """The returns a glob matches, without Office's lock files (~$…) and hidden files."""
    return sorted(path for path in inputs.glob(pattern)
                  if path.is_file() and not path.name.startswith(("~$", ".")))


# ---------------------------------------------------------------- reading the YAML specs

SECTIONS = ("project", "sources", "figures", "metrics", "targets", "reports", "checks")
AGGREGATIONS = ("sum", "count", "mean", "min", "max", "nunique")
QUOTIENTS = ("rate", "share", "ratio")
MISSING = ("error", "zero", "blank")     # per_nominee: what a nominee without rows gets
CONTINUOUS_GENRES = ("工作要点",)      # points numbered 1. … 19. through the document by default


class _Mapping(dict):
    """A YAML mapping that remembers the line of each of its keys."""
    key_lines: dict


class _Loader(yaml.SafeLoader):
    """SafeLoader that records lines and refuses duplicate keys (a silent overwrite would
    hide one of two figures the office typed)."""


def _construct_mapping(loader: _Loader, node: yaml.MappingNode) -> _Mapping:
    loader.flatten_mapping(node)
    mapping = _Mapping()
    mapping.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, (str, int, float, bool)) or isinstance(key, bool):
            key = str(key)
        if key in mapping:
            raise WenmiError(f"键“{key}”重复出现（第一次在第{mapping.key_lines[key]}行）",
                             file=loader.name, place=at_line(key_node.start_mark.line + 1,
                                                               key_node.start_mark.column + 1))
        mapping[key] = loader.construct_object(value_node, deep=True)
        mapping.key_lines[key] = key_node.start_mark.line + 1
    return mapping


def _construct_timestamp(loader: _Loader, node: yaml.ScalarNode):
    """A date YAML cannot read (2024-13-45) stays text, so the entry reports it with its line."""
    try:
        return yaml.SafeLoader.construct_yaml_timestamp(loader, node)
    except ValueError:
        return loader.construct_scalar(node)


def _construct_text(loader: _Loader, node: yaml.ScalarNode) -> str:
    """A text, refused at its place when an escape ("\\x01", "\\0") put a control
    character in it: a document cannot hold one."""
    text = loader.construct_scalar(node)
    found = INVISIBLE.search(text)
    if found is not None:
        raise WenmiError(invisible_message(found.group()), file=loader.name,
                         place=at_line(node.start_mark.line + 1, node.start_mark.column + 1),
                         hint=INVISIBLE_HINT)
    return text


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_Loader.add_constructor("tag:yaml.org,2002:str", _construct_text)
_Loader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp)


def read_yaml(path: Path, shown: str, parsed: ParsedSpecs | None = None):
    """Parse one YAML file (or take it from `parsed`, as the last build parsed it); syntax
    errors become a message with line and column."""
    text = read_text(path, shown)
    tree = parsed.get(shown, text) if parsed is not None else None
    if tree is None:
        tree = _parsed(text, shown)
        if parsed is not None:
            parsed.put(shown, text, tree)
    return tree


def _parsed(text: str, shown: str):
    loader = _Loader(text)
    loader.name = shown
    try:
        node = loader.get_single_node()
        if node is not None and _expanded_size(node, {}) > MAX_YAML_NODES:
            raise WenmiError(f"YAML 中的锚点和别名（&、*）展开后超过 {MAX_YAML_NODES} 项",
                             file=shown, place=at_line(node.start_mark.line + 1),
                             hint="这类文件会耗尽内存（“YAML 炸弹”）；请直接写出各项内容")
        return loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as error:
        # a key missing its colon is best shown where the key starts, not where YAML gave up
        missing_colon = (error.problem or "").startswith("could not find expected ':'")
        mark = (error.context_mark if missing_colon else None) or error.problem_mark or error.context_mark
        reason = _yaml_reason(error)
        raise WenmiError(f"YAML 格式错误：{reason}", file=shown,
                         place=at_line(mark.line + 1, mark.column + 1) if mark else None,
                         hint="检查缩进（只用空格）、冒号后的空格和引号是否成对") from None
    except yaml.reader.ReaderError as error:
        character = f"U+{error.character:04X}" if isinstance(error.character, int) else "无法识别的字节"
        raise WenmiError(f"YAML 格式错误：含有 YAML 不接受的字符（{character}）", file=shown,
                         place=at_line(text.count("\n", 0, error.position) + 1),
                         hint="删除这个字符（通常是从别处复制粘贴时带进来的）") from None
    except yaml.YAMLError as error:
        raise WenmiError(f"YAML 格式错误\n（原始信息：{error}）", file=shown) from None
    finally:
        loader.dispose()


MAX_YAML_NODES = 100_000
LINE_BREAKS = re.compile("[\t\n\r\x85\u2028\u2029]")   # what a name may not hold beyond INVISIBLE


def _expanded_size(node: yaml.Node, sizes: dict[int, int]) -> int:
    """How many nodes the document holds once every alias is written out (memoised per node,
    so nested aliases are counted without being expanded)."""
    if id(node) not in sizes:
        sizes[id(node)] = 1   # a node reached again while counting itself adds nothing
        children = [child for pair in node.value for child in pair] \
            if isinstance(node, yaml.MappingNode) else \
            node.value if isinstance(node, yaml.SequenceNode) else []
        sizes[id(node)] = 1 + sum(_expanded_size(child, sizes) for child in children)
    return sizes[id(node)]


def _yaml_reason(error: yaml.MarkedYAMLError) -> str:
    """PyYAML's English problem, with the common ones said in Chinese."""
    problem = error.problem or ""
    for english, chinese in YAML_PROBLEMS:
        found = re.match(english, problem)
        if found:
            return chinese.replace("{}", found.group(1)) if found.groups() else chinese
    return f"无法识别的写法\n（原始信息：{problem or error}）"


# PyYAML's problems (regular expressions matching their start) in Chinese
YAML_PROBLEMS = (
    (r"could not find expected ':'", "缺少冒号“:”"),
    (r"mapping values are not allowed here", "此处不能出现“键: 值”（冒号后缺空格或缩进不对）"),
    (r"found character '\\t' that cannot start any token", "含有制表符，请改用空格缩进"),
    (r"found character '(.)' that cannot start any token", "值不能以“{}”开头，请给这个值加上引号"),
    (r"did not find expected key", "缩进不一致，找不到应有的键"),
    (r"found unexpected end of stream", "文件意外结束（引号或括号未闭合）"),
    (r"found undefined alias", "引用了未定义的锚点"),
    (r"expected ',' or '\]'", "方括号 [ ] 没有闭合，或其中少了逗号"),
    (r"expected ',' or '}'", "花括号 { } 没有闭合，或其中少了逗号"),
    (r"expected <block end>", "缩进不一致（同一层的各项应对齐）"),
    (r"could not determine a constructor for the tag", "不支持以“!”开头的 YAML 标签"),
    (r"found unhashable key", "键不能是列表或映射"),
    (r"found unknown escape character '(.*?)'", "双引号中的“\\{}”不是有效的转义（要写反斜杠本身，请改用单引号）"),
)


@dataclass
class _Entry:
    """One named entry of a section, with the file and line it was declared at."""
    name: str
    body: object
    file: str
    line: int

    @property
    def where(self) -> str:
        return f"{self.file}:{self.line}"

    def fail(self, message: str, key: str | None = None) -> WenmiError:
        line = self.line
        if key is not None and isinstance(self.body, _Mapping):
            line = self.body.key_lines.get(key, line)
        return WenmiError(message, file=self.file, place=at_line(line))


def load_project(root: Path, parsed: ParsedSpecs | None = None) -> Project:
    """Read every inputs/*.yaml of the project at `root` into a checked `Project` (taking
    what `parsed` kept of the files not changed since)."""
    root = root.resolve()
    inputs = root / "inputs"
    if not inputs.is_dir():
        raise WenmiError(f"项目文件夹“{root}”下没有 inputs/ 文件夹",
                         hint="在项目文件夹中运行，或用 --project 指定；新建项目可用 wenmi init")
    files = sorted(inputs.glob("*.yaml")) + sorted(inputs.glob("*.yml"))
    if not files:
        raise WenmiError("inputs/ 下没有 YAML 配置文件", file="inputs/",
                         hint="参考 wenmi init 生成的示例项目")
    sections: dict[str, dict[str, _Entry]] = {name: {} for name in SECTIONS}
    problems = Problems()   # every file's syntax and every entry's content, reported together
    for path in files:
        shown = path.relative_to(root).as_posix()
        try:
            data = read_yaml(path, shown, parsed)
        except WenmiError as error:
            problems.error(error)
            continue
        if data is None:
            continue
        if not isinstance(data, _Mapping):
            raise WenmiError("配置文件的顶层应是“键: 值”映射（project/sources/figures/metrics/reports）",
                             file=shown, place=at_line(1))
        for section, entries in data.items():
            if section not in SECTIONS:
                raise WenmiError(f"未知的配置段“{section}”，可用：{'、'.join(SECTIONS)}",
                                 file=shown, place=at_line(data.key_lines[section]))
            if section == "project":
                entries = {"project": entries}
                lines = {"project": data.key_lines[section]}
            elif not isinstance(entries, _Mapping):
                raise WenmiError(f"“{section}”下应是按名称列出的条目", file=shown,
                                 place=at_line(data.key_lines[section]))
            else:
                lines = entries.key_lines
            for name, body in entries.items():
                name = str(name)
                if INVISIBLE.search(name) or LINE_BREAKS.search(name):
                    shown_name = "".join(ch if ch.isprintable() else repr(ch)[1:-1] for ch in name)
                    raise WenmiError(f"名称“{shown_name}”含有换行、制表符等不可见字符",
                                     file=shown, place=at_line(lines[name]),
                                     hint="名称会用在文件名、占位符和提示中，请只用可见的文字")
                if name in sections[section]:
                    first = sections[section][name]
                    raise WenmiError(f"“{name}”重复声明（第一次在{first.where}）", file=shown,
                                     place=at_line(lines[name]))
                sections[section][name] = _Entry(name, body, shown, lines[name])

    problems.stop_if_failed()
    organization, year, wording, external = _project_fields(sections["project"].get("project"), root)
    literals = _each(sections["figures"], _literal, problems)
    metrics = _each(sections["metrics"], _metric, problems)
    sources = _each(sections["sources"], _source, problems)
    batch_entries = {n: e for n, e in sections["reports"].items()
                     if isinstance(e.body, dict) and "nominees" in e.body}
    summary_entries = {n: e for n, e in sections["reports"].items()
                       if isinstance(e.body, dict) and "returns" in e.body}
    reports = _each({n: e for n, e in sections["reports"].items()
                     if n not in batch_entries and n not in summary_entries},
                    lambda entry: _report(entry, organization), problems)
    batches = _each(batch_entries, lambda entry: _batch(entry, organization), problems)
    summaries = _each(summary_entries, lambda entry: _summary(entry, organization, year), problems)
    checks = _each(sections["checks"], _check, problems)
    targets = _each(sections["targets"], _target, problems)
    problems.stop_if_failed()
    for name in set(literals) & set(metrics):
        raise WenmiError(f"“{name}”既是 figures 又是 metrics", file=metrics[name].defined_at)
    for name in (set(literals) | set(metrics)) & set(targets):
        raise WenmiError(f"“{name}”已是 figures 或 metrics 中的名称，不能再作目标名",
                         file=targets[name].defined_at)
    _distinct_outputs({**reports, **summaries})
    project = Project(root=root, organization=organization, year=year, sources=sources,
                      literals=literals, metrics=metrics, reports=reports, checks=checks,
                      batches=batches, wording=wording, targets=targets, external_folders=external,
                      summaries=summaries)
    _check_places(project, sections, problems)
    problems.stop_if_failed()
    _check_references(project, sections)
    return project


def _each(entries: dict[str, _Entry], read, problems: Problems) -> dict:
    """Each entry of a section read by `read`; the broken ones are recorded in `problems`."""
    read_entries = {}
    for name, entry in entries.items():
        with problems.collecting():
            read_entries[name] = read(entry)
    return read_entries


def _mapping(entry: _Entry, allowed: tuple[str, ...]) -> _Mapping:
    """The entry's body as a mapping whose keys are all known."""
    if not isinstance(entry.body, _Mapping):
        raise entry.fail(f"“{entry.name}”的内容应是“键: 值”映射")
    for key in entry.body:
        if key not in allowed:
            raise entry.fail(f"“{entry.name}”中有未知的键“{key}”，可用：{', '.join(allowed)}", key)
    return entry.body


def _text(entry: _Entry, body: _Mapping, key: str, default: str | None = None) -> str:
    value = body.get(key, default)
    if value is None:
        raise entry.fail(f"“{entry.name}”缺少必填项“{key}”")
    if isinstance(value, (dict, list)):
        raise entry.fail(f"“{entry.name}”的“{key}”应是一段文字", key)
    return str(value).strip()


def _whole(entry: _Entry, body: _Mapping, key: str, default: int | None,
           low: int = 0, high: int = 1_000_000) -> int | None:
    value = body.get(key, default)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise entry.fail(f"“{entry.name}”的“{key}”应是 {low} 到 {high} 之间的整数", key)
    return value


def _flag(entry: _Entry, body: _Mapping, key: str, default: bool) -> bool:
    value = body.get(key, default)
    if not isinstance(value, bool):
        raise entry.fail(f"“{entry.name}”的“{key}”应是 true 或 false", key)
    return value


def _project_fields(entry: _Entry | None, root: Path) -> tuple[str, int, WordingRules, tuple[Path, ...]]:
    """The organization, the year, the wording rules and the external folders (relative ones
    to the project)."""
    if entry is None:
        raise WenmiError("缺少 project 配置段（organization 单位名称、year 年度）", file="inputs/")
    body = _mapping(entry, ("organization", "year", "wording", "external_folders"))
    rules = body.get("wording") or _Mapping()
    if not isinstance(rules, _Mapping):
        raise entry.fail("wording 应按“键: 值”列出（数字的写法）", "wording")
    try:
        wording = rules_from_mapping(rules)
    except RuleError as error:
        raise WenmiError(str(error), file=entry.file,
                         place=at_line(rules.key_lines.get(error.key, entry.line))) from None
    folders = body.get("external_folders") or []
    if not isinstance(folders, list) or not all(isinstance(f, str) and f.strip() for f in folders):
        raise entry.fail("external_folders 应是文件夹路径的列表，例如 [D:/共享/台账]", "external_folders")
    return (_text(entry, body, "organization"), _whole(entry, body, "year", None, 1949, 2200) or 0,
            wording, tuple(root / folder.strip() for folder in folders))


def _check_places(project: Project, sections: dict[str, dict[str, _Entry]],
                  problems: Problems) -> None:
    """Every file the specs name — ledgers, bodies, genre and category templates, stories —
    lies in the project folder once links and ".." are followed, or in one of its
    external_folders: a spec cannot have a build read, and publish, a file from elsewhere."""
    def check(kind: str, name: str, key: str, written: str | None, path: Path) -> None:
        if written and not project.within(path):
            with problems.collecting():
                error = sections[kind][name].fail(f"{key}“{written}”指向项目文件夹之外", key)
                error.hint = OUTSIDE_HINT
                raise error
    for name, source in project.sources.items():
        units_file = source.returns.units_file if source.returns else None
        for key, written in (("files" if source.returns else "file", source.file),
                             ("previous", source.previous), ("units", units_file)):
            check("sources", name, key, written, project.inputs / (written or ""))
    for name, report in project.reports.items():
        check("reports", name, "body", report.body, project.inputs / report.body)
        check("reports", name, "genre", report.genre, project.templates / f"{report.genre}.md.j2")
        for attachment in report.attachments:
            check("reports", name, "attachments", attachment.body, project.inputs / attachment.body)
    for name, batch in project.batches.items():
        check("reports", name, "stories", batch.stories, project.inputs / batch.stories)
        for category in batch.categories:
            check("reports", name, "categories", category.template,
                  project.templates / f"{category.template}.md.j2")


RETURNS_KEYS = ("files", "unit", "units", "version", "duplicates", "missing", "faulty")
CELL_REFERENCE = re.compile(r"[A-Z]{1,3}[1-9][0-9]{0,5}")


def _source(entry: _Entry) -> SourceSpec:
    body = _mapping(entry, ("file", "previous", "sheet", "header_rows", "skip_rows", "total_row",
                            "columns", "allow_empty", *RETURNS_KEYS))
    returns = _returns(entry, body)
    columns = []
    declared = body.get("columns") or _Mapping()
    if not isinstance(declared, dict):
        raise entry.fail("columns 应按“列名: 类型”列出", "columns")
    for column, kind in declared.items():
        line = declared.key_lines.get(column, entry.line)
        rules = _column_rules(str(column), kind, entry.file, line) if isinstance(kind, dict) else {}
        kind = kind.get("type") if isinstance(kind, dict) else kind
        if kind not in COLUMN_TYPES:
            raise WenmiError(f"列“{column}”的类型“{kind}”无效，可用：{'、'.join(COLUMN_TYPES)}",
                             file=entry.file, place=at_line(line))
        columns.append(ColumnSpec(str(column), kind, defined_at=f"{entry.file}:{line}", **rules))
    previous = body.get("previous")
    return SourceSpec(
        name=entry.name, file=_text(entry, body, "files" if returns else "file"), defined_at=entry.where,
        sheet=str(body["sheet"]) if body.get("sheet") is not None else None,
        header_rows=_whole(entry, body, "header_rows", 1, 1, 10),
        skip_rows=_whole(entry, body, "skip_rows", 0, 0, 100),
        columns=tuple(columns), total_row=_flag(entry, body, "total_row", True),
        previous=str(previous).strip() if previous else None,
        allow_empty=_flag(entry, body, "allow_empty", False), returns=returns,
    )


def _returns(entry: _Entry, body: _Mapping) -> ReturnsSpec | None:
    """The returns keys of a source with `files:` (a glob of units' returns), or None."""
    if "files" not in body:
        extra = [key for key in RETURNS_KEYS if key in body]
        if extra:
            raise entry.fail(f"{extra[0]} 只用于一批单位报表（用 files 指定文件夹，如 台账/2024/报表/*.xlsx）",
                             extra[0])
        return None
    if "file" in body:
        raise entry.fail("file 和 files 只能写一个：file 是一个台账，files 是一批单位报表", "files")
    files = _text(entry, body, "files")
    if not any(mark in files for mark in "*?["):
        raise entry.fail("files 应是带通配符的路径，例如 台账/2024/报表/*.xlsx", "files")
    unit = body.get("unit") or {}
    if not isinstance(unit, dict) or len(unit) > 1 or any(k not in ("cell", "column", "file_name")
                                                          for k in unit):
        raise entry.fail("unit 写一项：{cell: A2}（表内写有填报单位的单元格）、{column: 填报单位}"
                         "或 {file_name: true}（文件名即单位名，默认）", "unit")
    cell = _cell(entry, unit, "cell", "unit")
    units = body.get("units") or []
    if not (isinstance(units, str) or isinstance(units, list) and all(
            isinstance(name, (str, int)) and str(name).strip() for name in units)):
        raise entry.fail("units 应是应报单位名称的列表，或列有单位名称的表格文件（CSV/XLSX）", "units")
    version = body.get("version") or {}
    if version and (not isinstance(version, dict) or set(version) != {"cell", "value"}):
        raise entry.fail("version 写成 {cell: H2, value: 2024版}：表式版本所在单元格和应有的内容",
                         "version")
    duplicates = _text(entry, body, "duplicates", "error")
    missing = _text(entry, body, "missing", "warning")
    faulty = _text(entry, body, "faulty", "error")
    for key, value, allowed in (("duplicates", duplicates, ("error", "newest")),
                                ("missing", missing, ("warning", "error")),
                                ("faulty", faulty, ("error", "leave_out"))):
        if value not in allowed:
            raise entry.fail(f"{key} 可用：{'、'.join(allowed)}", key)
    return ReturnsSpec(
        unit_cell=cell, unit_column=str(unit["column"]).strip() if unit.get("column") else None,
        units=tuple(str(name).strip() for name in units) if isinstance(units, list) else (),
        units_file=units.strip() if isinstance(units, str) else None,
        version_cell=_cell(entry, version, "cell", "version") if version else None,
        version=str(version["value"]).strip() if version else None,
        newest_wins=duplicates == "newest", missing=missing, faulty=faulty)


def _cell(entry: _Entry, body: dict, key: str, where: str) -> str | None:
    """A cell reference such as A2, upper-cased, or None when `key` is not given."""
    if body.get(key) is None:
        return None
    reference = str(body[key]).strip().upper()
    if not CELL_REFERENCE.fullmatch(reference):
        raise entry.fail(f"{where} 的 {key} 应是单元格地址，例如 A2", where)
    return reference


COLUMN_KEYS = ("type", "values", "required", "unique", "min", "max")


def _column_rules(column: str, body: dict, file: str, line: int) -> dict:
    """A column's schema beyond its type: allowed values, required, unique, min and max."""
    def fail(message: str) -> WenmiError:
        return WenmiError(f"列“{column}”：{message}", file=file, place=at_line(line))
    for key in body:
        if key not in COLUMN_KEYS:
            raise fail(f"未知的键“{key}”，可用：{', '.join(COLUMN_KEYS)}")
    values = body.get("values") or []
    if not isinstance(values, list):
        raise fail("values 应是允许取值的列表，例如 [新建, 原有]")
    rules: dict = {"values": tuple(str(value).strip() for value in values)}
    for key in ("required", "unique"):
        if not isinstance(body.get(key, False), bool):
            raise fail(f"{key} 应是 true 或 false")
        rules[key] = body.get(key, False)
    for key, field_name in (("min", "minimum"), ("max", "maximum")):
        bound = body.get(key)
        if bound is not None and (isinstance(bound, bool) or not isinstance(bound, (int, float))):
            raise fail(f"{key} 应是一个数，例如 0")
        if bound is not None and body.get("type") not in ("integer", "number", "money", "percent"):
            raise fail(f"{key} 只能用于数值列（integer、number、money、percent）")
        rules[field_name] = bound
    return rules


def _check(entry: _Entry) -> CheckSpec:
    """`名称: 表达式`, or a mapping with `assert`, `level` and `tolerance`."""
    if isinstance(entry.body, str):
        return CheckSpec(entry.name, entry.body.strip(), entry.where)
    body = _mapping(entry, ("assert", "level", "tolerance", "per_unit"))
    level = _text(entry, body, "level", "error")
    if level not in ("error", "warning"):
        raise entry.fail("level 应是 error（错误，阻止生成）或 warning（警告）", "level")
    tolerance = body.get("tolerance", 0.005)
    if isinstance(tolerance, bool) or not isinstance(tolerance, (int, float)) or tolerance < 0:
        raise entry.fail("tolerance 应是不小于 0 的数", "tolerance")
    return CheckSpec(entry.name, _text(entry, body, "assert"), entry.where, level, tolerance,
                     _flag(entry, body, "per_unit", False))


def _number(entry: _Entry, body: _Mapping, key: str) -> float | int | None:
    """A literal figure's value: a YAML number or Chinese-style text such as "12.6万"."""
    value = body.get(key)
    if value is None or isinstance(value, (int, float)) and not isinstance(value, bool):
        return value
    try:
        number = parse_number(str(value))
    except ValueError as error:
        raise entry.fail(f"“{entry.name}”的“{key}”：{error}", key) from None
    return int(number) if number is not None and number.is_integer() else number


def _literal(entry: _Entry) -> LiteralSpec:
    body = _mapping(entry, ("value", "unit", "label", "note", "digits", "previous"))
    value = _number(entry, body, "value")
    if value is None and body.get("previous") is None:      # with last year's: still to come
        raise entry.fail(f"“{entry.name}”缺少必填项“value”")
    unit = _text(entry, body, "unit", "")
    return LiteralSpec(
        name=entry.name, value=value, unit=unit, label=_text(entry, body, "label", entry.name),
        note=_text(entry, body, "note", ""), defined_at=entry.where,
        digits=_whole(entry, body, "digits", _default_digits(unit), 0, 6),
        previous=_number(entry, body, "previous"),
    )


def _target(entry: _Entry) -> TargetSpec:
    """`{base: 新建工会数, growth: 10%, step: 5}`: this year's figure plus 10%, rounded up to
    a multiple of 5."""
    body = _mapping(entry, ("base", "growth", "step", "label"))
    base = _text(entry, body, "base", "")
    if not base:
        raise entry.fail(f"目标“{entry.name}”缺少 base（以哪个数字为基数）")
    growth = _number(entry, body, "growth")
    step = _number(entry, body, "step")
    if step is not None and step <= 0:
        raise entry.fail("step 应为正数（目标向上取整到它的倍数，如 5、10）", "step")
    return TargetSpec(entry.name, entry.where, _text(entry, body, "label", entry.name), base,
                      growth=float(growth or 0), step=step or 1)


def _default_digits(unit: str) -> int:
    return {"%": 1, "元": 2}.get(unit, 0)


def _metric(entry: _Entry) -> MetricSpec:
    body = _mapping(entry, ("label", "unit", "digits", "source", "agg", "column", "where",
                            "by", "sort", "top", "per_nominee") + QUOTIENTS)
    quotients = [key for key in QUOTIENTS if key in body]
    label = _text(entry, body, "label", entry.name)
    if quotients:
        if len(quotients) > 1 or "source" in body or "agg" in body:
            raise entry.fail(f"“{entry.name}”只能是 agg 汇总或 rate/share/ratio 之一")
        kind = quotients[0]
        operands = body[kind]
        if not (isinstance(operands, list) and len(operands) == 2
                and all(isinstance(op, str) for op in operands)):
            raise entry.fail(f"“{kind}”应写成 [分子指标, 分母指标]", kind)
        unit = _text(entry, body, "unit", "%" if kind != "ratio" else "")
        return MetricSpec(name=entry.name, defined_at=entry.where, label=label, unit=unit,
                          digits=_whole(entry, body, "digits", 1 if unit == "%" else 2, 0, 6),
                          quotient=kind, operands=(operands[0].strip(), operands[1].strip()))
    agg = _text(entry, body, "agg")
    if agg not in AGGREGATIONS:
        raise entry.fail(f"agg“{agg}”无效，可用：{'、'.join(AGGREGATIONS)}", "agg")
    column = body.get("column")
    if agg != "count" and not column:
        raise entry.fail(f"agg 为 {agg} 时须指明 column（对哪一列汇总）", "agg")
    sort = _text(entry, body, "sort", "desc")
    if sort not in ("desc", "asc", "key"):
        raise entry.fail("sort 应是 desc（从大到小）、asc（从小到大）或 key（按名称）", "sort")
    unit = _text(entry, body, "unit", "")
    return MetricSpec(
        name=entry.name, defined_at=entry.where, label=label, unit=unit,
        digits=_whole(entry, body, "digits", _default_digits(unit), 0, 6),
        source=_text(entry, body, "source"), agg=agg,
        column=str(column).strip() if column else None,
        where=_text(entry, body, "where", ""),
        by=str(body["by"]).strip() if body.get("by") else None, sort=sort,
        top=_whole(entry, body, "top", None, 1, 100_000),
        per_nominee=_nominee_join(entry, body),
    )


def _nominee_join(entry: _Entry, body: _Mapping) -> NomineeJoin | None:
    """`per_nominee: {column: 基层工会, nominee: 单位, missing: zero}`, or None."""
    join = body.get("per_nominee")
    if join is None:
        return None
    if not isinstance(join, dict) or set(join) - {"column", "nominee", "missing"} \
            or not join.get("column") or not join.get("nominee") \
            or join.get("missing", "error") not in MISSING:
        raise entry.fail("per_nominee 应写成 {column: 台账中的列, nominee: 推荐对象表中的列, "
                         "missing: error、zero 或 blank}", "per_nominee")
    if body.get("by"):
        raise entry.fail("按推荐对象计算的指标（per_nominee）不能同时分组（by）", "per_nominee")
    return NomineeJoin(str(join["column"]).strip(), str(join["nominee"]).strip(),
                       join.get("missing", "error"))


def _report(entry: _Entry, organization: str) -> ReportSpec:
    body = _mapping(entry, ("genre", "body", "title", "subtitle", "recipient", "issuer", "date",
                            "chinese_date", "attachments", "numbering", "enumerations",
                            "formats", "output"))
    when = _date(entry, body)
    numbering = body.get("numbering") or {}
    if not isinstance(numbering, dict) or set(numbering) - {"continuous_level3", "level3_mark"}:
        raise entry.fail("numbering 只能含 continuous_level3 和 level3_mark", "numbering")
    mark = str(numbering.get("level3_mark", "."))
    if mark not in (".", "、"):
        raise entry.fail("level3_mark 只能是“.”或“、”", "numbering")
    enumerations = _text(entry, body, "enumerations", "separate")
    if enumerations not in ("separate", "merged"):
        raise entry.fail("enumerations 应是 separate（分段）或 merged（合并为一段）", "enumerations")
    formats = _formats(entry, body, DEFAULT_FORMATS)
    output = _output(entry, body)
    genre = _text(entry, body, "genre")
    return ReportSpec(
        name=entry.name, defined_at=entry.where, genre=genre,
        body=_text(entry, body, "body"), title=_text(entry, body, "title"), date=when,
        issuer=_text(entry, body, "issuer", organization),
        subtitle=_text(entry, body, "subtitle", ""), recipient=_text(entry, body, "recipient", ""),
        attachments=_attachments(entry, body.get("attachments") or []),
        chinese_date=_flag(entry, body, "chinese_date", False),
        continuous_level3=bool(numbering.get("continuous_level3", genre in CONTINUOUS_GENRES)),
        level3_mark=mark,
        merged_enumerations=enumerations == "merged",
        formats=tuple(dict.fromkeys(formats)), output=output,
    )


def _output(entry: _Entry, body: _Mapping) -> str:
    """The stem of a report's output file: `output`, else the report's name made a file name
    (as dossiers' are)."""
    declared = _text(entry, body, "output", entry.name)
    output = safe_file_name(declared)
    if "output" in body and output != declared:
        raise entry.fail(f"输出文件名“{declared}”在 Windows、macOS 或 Linux 上不能用于文件名"
                         "（含 / \\ : * ? \" < > | 或控制字符、以“.”开头或以“.”或空格结尾、"
                         f"是 CON、NUL 等设备名，或过长），可改为“{output}”", "output")
    return output


ATTACHMENT_FORM = "每个附件写成 {title: 附件标题, table: 分组指标} 或 {title: 附件标题, body: 附件正文.md}"


def _attachments(entry: _Entry, declared) -> tuple[AttachmentSpec, ...]:
    """The report's 附件, each with its content: a declared attachment that nothing fills
    would be announced under the body and then missing from the file sent."""
    if not isinstance(declared, list):
        raise entry.fail(f"attachments 应是附件的列表；{ATTACHMENT_FORM}", "attachments")
    attachments = []
    for item in declared:
        if not isinstance(item, dict):
            raise entry.fail(f"附件“{item}”没有内容：{ATTACHMENT_FORM}", "attachments")
        if set(item) - {"title", "table", "body"} or not str(item.get("title") or "").strip():
            raise entry.fail(f"附件应有 title（标题）和内容；{ATTACHMENT_FORM}", "attachments")
        table, text = (str(item.get(key) or "").strip() for key in ("table", "body"))
        if bool(table) == bool(text):
            raise entry.fail(f"附件“{item['title']}”应有且只有 table 或 body 之一；{ATTACHMENT_FORM}",
                             "attachments")
        attachments.append(AttachmentSpec(str(item["title"]).strip(), table, text))
    return tuple(attachments)


def _distinct_outputs(reports: dict[str, ReportSpec | SummarySpec]) -> None:
    """Refuse two reports writing one file, letter case aside (Windows and macOS do not tell
    "Summary" from "summary"): the second would overwrite the first."""
    first: dict[str, ReportSpec] = {}
    for report in reports.values():
        earlier = first.setdefault(report.output.casefold(), report)
        if earlier is not report:
            raise at_declaration(f"报告“{report.name}”与“{earlier.name}”（{earlier.defined_at}）"
                                 f"的输出文件名相同（不区分大小写），会互相覆盖", report.defined_at,
                                 hint="用 output 为其中一份另取文件名")


def _summary(entry: _Entry, organization: str, year: int) -> SummarySpec:
    """A report with `returns:`: the 汇总表 of a source of units' returns."""
    body = _mapping(entry, ("returns", "title", "issuer", "date", "chinese_date", "formats", "output",
                            "rows"))
    source = _text(entry, body, "returns")
    return SummarySpec(
        name=entry.name, defined_at=entry.where, returns=source,
        title=_text(entry, body, "title", f"{year}年度{source}汇总表"),
        issuer=_text(entry, body, "issuer", organization),
        date=_date(entry, body) if "date" in body else None,
        chinese_date=_flag(entry, body, "chinese_date", False),
        formats=tuple(dict.fromkeys(_formats(entry, body, ("xlsx",), ("xlsx", *DOCUMENT_FORMATS)))),
        output=_output(entry, body), rows=_text(entry, body, "rows", "基层工会数"))


def _date(entry: _Entry, body: _Mapping) -> date:
    """The 成文日期 of a report: a YAML date or text such as 2024年12月20日."""
    when = body.get("date")
    if isinstance(when, str):
        try:
            when = parse_date(when)
        except ValueError as error:
            raise entry.fail(f"date：{error}", "date") from None
    if not isinstance(when, date):
        raise entry.fail("缺少成文日期 date（例如 2024-12-20）", "date")
    return when


def _formats(entry: _Entry, body: dict, default: tuple[str, ...],
             allowed: tuple[str, ...] = DOCUMENT_FORMATS) -> list[str]:
    formats = body.get("formats", list(default))
    if not isinstance(formats, list) or not formats or any(f not in allowed for f in formats):
        raise entry.fail(f"formats 应是 {'、'.join(allowed)} 中的一项或几项，"
                         f"例如 [{', '.join(allowed[:2])}]", "formats")
    return formats


def _names(entry: _Entry, value, key: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise entry.fail(f"“{key}”应是列名的列表，例如 [单位, 名称]", key)
    return tuple(item.strip() for item in value)


def _batch(entry: _Entry, organization: str) -> BatchSpec:
    """A report with `nominees:`: one dossier per row of the nominee sheet (pipeline/batch.py)."""
    body = _mapping(entry, ("nominees", "key", "category_column", "categories", "required",
                            "stories", "file_name", "issuer", "date", "chinese_date", "formats",
                            "merged", "roster", "records"))
    declared = body.get("categories")
    if not isinstance(declared, dict) or not declared:
        raise entry.fail("categories 应按“类别: {template: 模板名, required: [必填列]}”列出", "categories")
    categories = []
    for name, category in declared.items():
        if isinstance(category, str):
            category = {"template": category}
        if not isinstance(category, dict) or set(category) - {"template", "required"} \
                or not category.get("template"):
            raise entry.fail(f"类别“{name}”应写成 {{template: 模板名, required: [必填列]}}", "categories")
        categories.append(CategorySpec(str(name), str(category["template"]).strip(),
                                       _names(entry, category.get("required", []), "categories")))
    formats = _formats(entry, body, ("docx",))
    roster = body.get("roster") or {}
    if not isinstance(roster, dict) or set(roster) - {"title", "columns", "sort"}:
        raise entry.fail("roster 只能含 title、columns 和 sort", "roster")
    columns = []
    for column in roster.get("columns", ["序号", "单位", "名称", "职务", "类别"]):
        if isinstance(column, dict) and len(column) == 1:
            (header, field_name), = column.items()
            columns.append(RosterColumn(str(header), str(field_name)))
        elif isinstance(column, str):
            columns.append(RosterColumn(column, column))
        else:
            raise entry.fail("roster 的 columns 每项是列名，或“表头: 列名”", "roster")
    return BatchSpec(
        name=entry.name, defined_at=entry.where, nominees=_text(entry, body, "nominees"),
        categories=tuple(categories), date=_date(entry, body),
        issuer=_text(entry, body, "issuer", organization), key=_text(entry, body, "key", "编号"),
        category_column=_text(entry, body, "category_column", "类别"),
        required=_names(entry, body.get("required", []), "required"),
        stories=_text(entry, body, "stories", ""),
        file_name=_file_name(entry, body),
        chinese_date=_flag(entry, body, "chinese_date", False),
        formats=tuple(dict.fromkeys(formats)), merged=_flag(entry, body, "merged", False),
        roster_title=str(roster.get("title") or f"{entry.name}推荐名单汇总表").strip(),
        roster_columns=tuple(columns), sort=_names(entry, roster.get("sort", []), "roster"),
        records=_records(entry, body.get("records") or {}),
    )


def _records(entry: _Entry, declared) -> tuple[RecordSpec, ...]:
    """`records: {荣誉: {source: 荣誉台账, column: 对象编号, nominee: 编号}}`."""
    usage = "records 应写成“名称: {source: 数据源, column: 台账中的列, nominee: 推荐对象表中的列}”"
    if not isinstance(declared, dict):
        raise entry.fail(usage, "records")
    records = []
    for name, record in declared.items():
        if not isinstance(record, dict) or set(record) != {"source", "column", "nominee"} \
                or not all(isinstance(value, str) and value.strip() for value in record.values()):
            raise entry.fail(f"记录“{name}”：{usage}", "records")
        line = declared.key_lines.get(name, entry.line) if isinstance(declared, _Mapping) else entry.line
        records.append(RecordSpec(str(name), record["source"].strip(), record["column"].strip(),
                                  record["nominee"].strip(), f"{entry.file}:{line}"))
    return tuple(records)


def _file_name(entry: _Entry, body: _Mapping) -> str:
    """A batch report's file name pattern, its form checked (filenames.pattern_fields)."""
    pattern = _text(entry, body, "file_name", "{序号}-{单位}-{名称}")
    try:
        pattern_fields(pattern)
    except ValueError as error:
        raise entry.fail(f"file_name“{pattern}”写法有误：{error}", "file_name") from None
    return pattern


def _check_references(project: Project, sections: dict[str, dict[str, _Entry]]) -> None:
    """Every metric names a declared source or metrics that exist, and no quotient loops;
    every attachment's table is a table metric."""
    names = set(project.metrics) | set(project.literals)
    for name, metric in project.metrics.items():
        entry = sections["metrics"][name]
        if metric.source is not None and metric.source not in project.sources:
            raise entry.fail(f"指标“{name}”的数据源“{metric.source}”未在 sources 中声明", "source")
        for operand in metric.operands if metric.quotient else ():
            if operand not in names:
                raise entry.fail(f"指标“{name}”引用的“{operand}”不是已声明的指标", metric.quotient)
            if operand in project.metrics and project.metrics[operand].by:
                raise entry.fail(f"“{operand}”是分组表，不能用于 {metric.quotient}", metric.quotient)
    for name in project.metrics:
        _refuse_cycle(project, name, (), sections)
    for report in project.reports.values():
        for attachment in report.attachments:
            metric = project.metrics.get(attachment.table)
            if attachment.table and (metric is None or not metric.by):
                raise sections["reports"][report.name].fail(
                    f"附件“{attachment.title}”的 table“{attachment.table}”不是已声明的分组指标（带 by 的指标）",
                    "attachments")
    for summary in project.summaries.values():
        source = project.sources.get(summary.returns)
        if source is None or source.returns is None:
            raise sections["reports"][summary.name].fail(
                f"汇总表“{summary.name}”的 returns“{summary.returns}”不是用 files 声明的一批单位报表",
                "returns")
    for name, target in project.targets.items():
        if target.base not in names:
            raise sections["targets"][name].fail(f"目标“{name}”的基数“{target.base}”不是已声明的指标或数字",
                                                 "base")
        if target.base in project.metrics and project.metrics[target.base].by:
            raise sections["targets"][name].fail(f"“{target.base}”是分组表，不能作目标的基数", "base")


def _refuse_cycle(project: Project, name: str, path: tuple[str, ...], sections) -> None:
    if name in path:
        loop = " → ".join(path[path.index(name):] + (name,))
        raise sections["metrics"][name].fail(f"指标循环引用：{loop}")
    metric = project.metrics.get(name)
    if metric is not None and metric.quotient:
        for operand in metric.operands:
            _refuse_cycle(project, operand, path + (name,), sections)

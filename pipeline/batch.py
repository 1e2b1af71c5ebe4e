"""Batch reports: one 先进事迹材料 per row of a nominee sheet, and the roster that lists them.

A batch report (`reports:` entry with `nominees:`) names a nominee sheet declared in
`sources`. `read_nominees` checks every row at once (required fields, categories, duplicate
编号), computes each nominee's own figures with one pandas group-by per metric, puts the
nominees in roster order and gives each a safe, unique file name. `DossierMaker` renders one
nominee into a `Document` with templates compiled once; `batch_files` writes all of them —
over both cores when the batch is large — with the roster (pipeline/roster.py) and, on
request, one merged print file.
"""

from __future__ import annotations

import multiprocessing
import os
import queue
import string
import sys
import unicodedata
from collections import ChainMap
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from . import numbers
from .aggregate import cell_text, key_texts, ledger_provenance, per_key, quotient_figure, require_column
from .assemble import assemble
from .errors import WenmiError, at_cell, at_declaration
from .figures import Figure, FigureTable
from .load import Ledger
from .manifest import Output, summary
from .model import Document
from .problems import Problems
from .project import BatchSpec, CategorySpec, MetricSpec, Project, ReportSpec
from .render import Renderer
from .roster import MERGED_STEM, ROSTER_STEM, SERIAL, roster_document, roster_xlsx
from .writers import EXTENSIONS, WRITERS
from .writers.docx import write_merged

MAX_STEM = 60                           # characters of a file name before its extension
MAX_STEM_BYTES = 180                    # UTF-8 bytes: most file systems allow 255 per name
FORBIDDEN = set('<>:"/\\|?*') | {chr(code) for code in range(32)} | {"\x7f"}
RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{n}" for n in range(1, 10)),
            *(f"LPT{n}" for n in range(1, 10))}
PARALLEL_FROM = 48                      # below this, forking workers costs more than it saves
PROGRESS_FROM = 40                      # smaller batches finish before a bar is worth showing
Progress = Callable[[int, int], None]   # (documents done, documents in all)
Stage = Callable[[Output], Output]      # pipeline/build.py Staging.stage


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


# ---------------------------------------------------------------- file names

def safe_file_name(text: str) -> str:
    """`text` made into one file name valid on Windows, macOS and Linux.

    Separators and the characters Windows refuses become "_", leading dots and trailing
    dots and spaces go (a hidden file, or a name Windows silently changes), reserved device
    names (CON, NUL, COM1…) get a "_", and the name is cut to MAX_STEM characters and
    MAX_STEM_BYTES bytes. The result never leaves its folder: it holds no separator and is
    never "." or "..".
    """
    name = unicodedata.normalize("NFC", text)
    name = "".join("_" if ch in FORBIDDEN else ch for ch in name)
    name = " ".join(name.split()).lstrip(". ")
    cut = name[:MAX_STEM]
    while len(cut.encode("utf-8")) > MAX_STEM_BYTES:
        cut = cut[:-1]
    name = cut.rstrip(". ")
    if name.split(".")[0].upper() in RESERVED:
        name = f"{name}_"
    return name or "未命名"


def unique_names(names: Iterable[str], taken: Iterable[str] = ()) -> list[str]:
    """Each name, with "（2）", "（3）"… added to a repeat, in order, so the result is the same
    every run. Names differing only in letter case count as equal (Windows, macOS)."""
    used = {name.casefold() for name in taken}
    unique = []
    for name in names:
        candidate, count = name, 1
        while candidate.casefold() in used:
            count += 1
            candidate = f"{name}（{count}）"
        used.add(candidate.casefold())
        unique.append(candidate)
    return unique


def file_stems(pattern: str, rows: list[dict[str, str]], spec: BatchSpec) -> list[str]:
    """The pattern ("{序号}-{单位}-{名称}") filled from each row; 序号 zero-padded so files
    sort in roster order."""
    fields = {name for _, name, _, _ in string.Formatter().parse(pattern) if name is not None}
    known = set(rows[0]) if rows else set()
    unknown = sorted(fields - known)
    if unknown:
        raise at_declaration(f"file_name 中的“{'、'.join(unknown)}”不是推荐对象表的列或“序号”",
                             spec.defined_at, hint=f"可用：{'、'.join(rows[0]) if rows else '（无）'}")
    width = len(str(len(rows)))
    names = [safe_file_name(pattern.format_map(dict(row, **{SERIAL: row[SERIAL].zfill(width)})))
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


# ---------------------------------------------------------------- dossiers

class DossierMaker:
    """Renders nominees into documents; templates and story files are compiled once, the
    stories folder is listed once."""

    def __init__(self, project: Project, spec: BatchSpec,
                 figures: Mapping[str, Figure | FigureTable]):
        self.spec = spec
        self.figures = figures
        self.renderer = Renderer(project, figures)
        self.templates = {c.name: self.renderer.template(f"{c.template}.md.j2")
                          for c in spec.categories}
        self.reports = {c.name: ReportSpec(name=spec.name, defined_at=spec.defined_at,
                                           genre=c.template, body="", title="", date=spec.date,
                                           issuer=spec.issuer, formats=spec.formats)
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
        figures = ChainMap(nominee.figures, self.figures)
        context = dict(figures, 对象=nominee.fields, 序号=nominee.serial,
                       项目=self.renderer.project_context, 报告=self.heading)
        story = self.story_name(nominee)
        body = self.renderer.render(self.renderer.template(story), context, story) if story else ""
        template = f"{nominee.category.template}.md.j2"
        markdown = self.renderer.render(self.templates[nominee.category.name],
                                        dict(context, 正文=body), template)
        return assemble(markdown, self.reports[nominee.category.name], figures,
                        f"inputs/{story}" if story else f"templates/{template}")


# ---------------------------------------------------------------- outputs

CHUNK = 25                              # dossiers a process takes at a time
RESULT_WAIT = 1.0                       # seconds between checks that the workers still live


def dossier_files(maker: DossierMaker, nominees: list[Nominee], folder: Path,
                  formats: tuple[str, ...], *, stage: Stage, keep_documents: bool = False,
                  meanwhile: Callable[[], list[Output]] = list,
                  progress: Progress | None = None) -> tuple[list[Document], list[Output]]:
    """Each nominee's files (and, with `keep_documents`, documents) in roster order, each
    passed through `stage` by the process that made it, and what `meanwhile` returns, which
    runs while the dossiers are being written.

    The first dossier is rendered here before anything else, alone: it fills the caches
    (compiled templates, the Markdown parser, the DOCX parts) that forked workers then
    inherit. A large batch's other chunks go to this process and one worker per further
    core (`_in_parallel`). Results are put in roster order, so the bytes are the same
    whoever wrote them.
    """
    jobs = [(nominee, [(fmt, folder / f"{nominee.stem}{EXTENSIONS[fmt]}") for fmt in formats])
            for nominee in nominees]
    chunks = [jobs[:1]] + [jobs[start:start + CHUNK] for start in range(1, len(jobs), CHUNK)]
    results: list[list] = [[] for _ in chunks]
    done = 0

    def finished(index: int, result: list) -> None:
        nonlocal done
        results[index] = result
        done += len(result)
        if progress:
            progress(done, len(jobs))

    finished(0, _render_chunk(chunks[0], keep_documents, maker, stage))
    workers = min(os.cpu_count() or 1, len(chunks) - 1) - 1
    if len(jobs) >= PARALLEL_FROM and workers >= 1 and \
            "fork" in multiprocessing.get_all_start_methods():
        extra = _in_parallel(chunks, keep_documents, maker, stage, workers, meanwhile, finished)
    else:
        extra = meanwhile()
        for index in range(1, len(chunks)):
            finished(index, _render_chunk(chunks[index], keep_documents, maker, stage))
    rendered = [item for result in results for item in result]
    documents = [document for document, _ in rendered if document is not None]
    return documents, [file for _, written in rendered for file in written] + extra


def _in_parallel(chunks: list, keep_documents: bool, maker: DossierMaker, stage: Stage,
                 workers: int, meanwhile: Callable[[], list[Output]],
                 finished: Callable[[int, list], None]) -> list[Output]:
    """Chunks 1… rendered by this process and `workers` forked ones, each taking the next
    chunk from a shared counter whenever it is free, so no core idles while work is left;
    this process runs `meanwhile` first. Workers send their results, or the error that
    stopped them, back through a queue.

    (A process pool would need this process to feed it; while it renders the roster, its
    feeding thread waits for the interpreter lock and the workers starve.)
    """
    context = multiprocessing.get_context("fork")
    counter = context.Value("i", 1)
    returned = context.Queue()

    def take() -> int | None:
        with counter.get_lock():
            index = counter.value
            counter.value += 1
        return index if index < len(chunks) else None

    def work() -> None:
        try:
            while (index := take()) is not None:
                returned.put((index, _render_chunk(chunks[index], keep_documents, maker, stage), None))
        except BaseException as error:          # raised again in the parent
            returned.put((None, None, error))

    processes = [context.Process(target=work, daemon=True) for _ in range(workers)]
    for process in processes:
        process.start()
    try:
        extra = meanwhile()
        taken_here = 0
        while (index := take()) is not None:
            finished(index, _render_chunk(chunks[index], keep_documents, maker, stage))
            taken_here += 1
        for _ in range(len(chunks) - 1 - taken_here):
            index, result, error = _next_result(returned, processes)
            if error is not None:
                raise error
            finished(index, result)
    finally:
        for process in processes:
            process.kill()
            process.join()
    return extra


def _next_result(returned, processes) -> tuple:
    """The next result a worker sent; an error when every worker has died without one."""
    while True:
        try:
            return returned.get(timeout=RESULT_WAIT)
        except queue.Empty:
            if not any(process.is_alive() for process in processes):
                raise WenmiError("生成事迹材料的子进程意外退出",
                                 hint="可能是内存不足；关闭其他程序后重试") from None


def _render_chunk(chunk, keep_documents: bool, maker: DossierMaker, stage: Stage
                  ) -> list[tuple[Document | None, list[Output]]]:
    """The files of a chunk of dossiers, staged, with their documents when they are to be
    kept (sending a document back from a worker costs about as much as writing it)."""
    rendered = []
    for nominee, targets in chunk:
        document = maker.document(nominee)
        text = summary(document)
        rendered.append((document if keep_documents else None,
                         [stage(Output(maker.spec.name, fmt, path, WRITERS[fmt](document), text))
                          for fmt, path in targets]))
    return rendered


def rendered_nominees(project: Project, spec: BatchSpec, ledgers: Mapping[str, Ledger],
                      figures: Mapping[str, Figure | FigureTable]) -> int:
    """How many nominees a batch has, once every one has been read and rendered without
    writing anything: `wenmi check` finds what a build would (sheet, figures, templates)."""
    nominees = read_nominees(project, spec, ledgers, figures)
    maker = DossierMaker(project, spec, figures)
    for nominee in nominees:
        maker.document(nominee)
    return len(nominees)


def select_nominees(nominees: list[Nominee], keys: Iterable[str]) -> list[Nominee]:
    """The nominees named by 编号 (`wenmi build 报告名 --only …`), in roster order."""
    wanted = list(dict.fromkeys(keys))
    known = {nominee.key for nominee in nominees}
    unknown = [key for key in wanted if key not in known]
    if unknown:
        raise WenmiError(f"推荐对象表中没有编号“{'、'.join(unknown)}”",
                         hint="编号见推荐对象表的“编号”列，多个编号用空格分开")
    return [nominee for nominee in nominees if nominee.key in wanted] if wanted else nominees


def batch_files(project: Project, spec: BatchSpec, ledgers: Mapping[str, Ledger],
                figures: Mapping[str, Figure | FigureTable], stage: Stage,
                formats: tuple[str, ...] = (), only: Iterable[str] = (),
                progress: Progress | None = None) -> list[Output]:
    """Every file of a batch report under outputs/<报告名>/, each passed through `stage`:
    the dossiers (only the named ones with `only`), the roster as DOCX and XLSX and, when
    declared and the whole batch is built, the merged print file. `formats` (the
    dossiers', when not the spec's) are known writers: the build checked them."""
    nominees = read_nominees(project, spec, ledgers, figures)
    selected = select_nominees(nominees, only)
    folder = project.outputs / safe_file_name(spec.name)
    maker = DossierMaker(project, spec, figures)
    merged = spec.merged and selected is nominees

    def roster_files() -> list[Output]:
        roster = roster_document(spec, nominees, maker.heading["日期"], project.wording)
        text = summary(roster)
        return [stage(Output(spec.name, "docx", folder / f"{ROSTER_STEM}.docx", WRITERS["docx"](roster), text)),
                stage(Output(spec.name, "xlsx", folder / f"{ROSTER_STEM}.xlsx",
                             roster_xlsx(spec, roster.blocks[0]), text))]
    documents, files = dossier_files(maker, selected, folder, formats or spec.formats,
                                     stage=stage, keep_documents=merged,
                                     meanwhile=roster_files, progress=progress)
    if merged:
        files.append(stage(Output(spec.name, "docx", folder / f"{MERGED_STEM}.docx",
                                  write_merged(documents), summary(*documents))))
    return files


@contextmanager
def batch_progress() -> Iterator[Progress | None]:
    """The progress callback for `batch_files`: a rich bar on a terminal for batches of
    PROGRESS_FROM documents or more; None (quiet) when output goes to a file or pipe."""
    if not sys.stdout.isatty():
        yield None
        return
    from rich.progress import Progress as Bar    # only a terminal needs it
    with Bar(transient=True) as bar:
        task = None

        def advance(done: int, total: int) -> None:
            nonlocal task
            if total >= PROGRESS_FROM:
                task = bar.add_task("生成事迹材料", total=total) if task is None else task
                bar.update(task, completed=done)
        yield advance

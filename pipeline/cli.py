"""The `wenmi` command: a thin Chinese shell over the library.

Exit codes: 0 success, 2 a problem in the user's input (one Chinese message naming the file
and the place), 1 a bug (the traceback is kept so it can be reported).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import sys
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from . import __version__, bundled
from .errors import WenmiError
from .interrupts import stop_on_signals
from .figures import Figure, FigureTable, figure_text
from .filenames import safe_file_name
from .keeping.diff import SINCE_LAST
from .keeping.manifest import HISTORY
from .problems import grouped
from .translated import os_reason
from .wording import WordingRules

# Each command imports what it needs when it runs (below), so `wenmi --help`, `list`,
# `diff` and a build with nothing to do never load pandas, Jinja2 or python-docx.

# argparse prints its own words through gettext; these are the ones a user sees.
_ARGPARSE_WORDS = {
    "usage: ": "用法：",
    "positional arguments": "位置参数",
    "options": "选项",
    "show this help message and exit": "显示帮助并退出",
    "the following arguments are required: %s": "缺少必需的参数：%s",
    "unrecognized arguments: %s": "无法识别的参数：%s",
    "invalid choice: %(value)r (choose from %(choices)s)": "无效的选择：%(value)r（可选：%(choices)s）",
    "expected one argument": "需要一个参数值",
    "%(prog)s: error: %(message)s\n": "%(prog)s：错误：%(message)s\n",
    "show program's version number and exit": "显示版本号并退出",
    "argument %(argument_name)s: %(message)s": "参数 %(argument_name)s：%(message)s",
    "ambiguous option: %(option)s could match %(matches)s": "选项 %(option)s 不明确，可能是：%(matches)s",
    "expected at least one argument": "至少需要一个参数值",
    "expected at most one argument": "最多只能有一个参数值",
    "ignored explicit argument %r": "这个选项不带参数值，多余的是 %r",
    "invalid %(type)s value: %(value)r": "无效的参数值：%(value)r",
    "not allowed with argument %s": "不能与参数 %s 同时使用",
    "one of the arguments %s is required": "须提供以下参数之一：%s",
    "unexpected option string: %s": "意外的选项：%s",
    "unknown parser %(parser_name)r (choices: %(choices)s)": "未知的命令 %(parser_name)r（可选：%(choices)s）",
}
argparse._ = lambda text: _ARGPARSE_WORDS.get(text, text)  # type: ignore[attr-defined]
argparse.ngettext = lambda one, many, count: "需要 %s 个参数值"  # type: ignore[attr-defined]


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if not getattr(args, "command", None):
        parser.print_help()
        return 2
    try:
        return args.run(args)
    except WenmiError as error:
        print(f"错误：{error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt as stop:      # Ctrl-C, or interrupts.Stopped (SIGTERM, SIGHUP)
        if getattr(stop, "finished", False):
            print("已停止：收到停止信号时，本次生成已写入并记录完毕。", file=sys.stderr)
        else:
            print("已中断，未写入任何文件。", file=sys.stderr)
        return 128 + getattr(stop, "signal_number", signal.SIGINT)
    except BrokenPipeError:     # the reader stopped early (`wenmi list | head`): not a bug
        return 0
    except OSError as error:    # the disk, the network drive, a permission: not a bug either
        where = f"{error.filename}：" if error.filename else ""
        print(f"错误：{where}无法读写文件：{os_reason(error)}", file=sys.stderr)
        return 2
    except Exception:       # a bug, not the user's fault: keep the traceback for the report
        import traceback
        traceback.print_exc()
        print("文秘内部错误（不是您的输入有误）：请把以上信息发给维护人员。", file=sys.stderr)
        return 1


def run() -> None:
    """The `wenmi` command (and `python -m pipeline`): `main`, then an exit that skips
    tearing the interpreter down. By then every file is written and closed and every worker
    joined; freeing a thousand-dossier batch's objects one by one would add 0.15-0.25 s.
    SIGTERM and SIGHUP stop it as Ctrl-C does (pipeline/interrupts.py)."""
    _print_anything()
    stop_on_signals()
    status = main()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except OSError:         # a reader that stopped early (`wenmi list | head`)
            pass
    os._exit(status)


def _print_anything() -> None:
    """A character the console's encoding lacks prints as a \\u escape, as Python prints
    it in error messages, instead of stopping the command: a name outside GBK where Windows
    writes output in its ANSI code page (a GBK console, output redirected to a file)."""
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):      # None without a console (pythonw)
            stream.reconfigure(errors="backslashreplace")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="wenmi", description="文秘：由台账数据生成工会公文（DOCX、HTML、Markdown）。",
        epilog="示例：wenmi build；wenmi figures 2024年度工作总结；wenmi check")
    parser.add_argument("--version", action="version", version=f"wenmi {__version__}",
                        help="显示版本号并退出")
    commands = parser.add_subparsers(dest="command", title="命令", metavar="命令")

    def command(name: str, text: str, run) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, help=text, description=text)
        sub.set_defaults(run=run)
        if name not in ("init", "import"):
            sub.add_argument("--project", type=Path, default=Path("."), metavar="目录",
                             help="项目文件夹（含 inputs/ 与 templates/），默认当前文件夹")
        return sub

    sub = command("build", "生成报告：读取并校验全部数据后，一次写入 outputs/", _build)
    sub.add_argument("reports", nargs="*", metavar="报告名", help="只生成这些报告（默认全部）")
    sub.add_argument("--formats", metavar="格式", default="",
                     help="输出格式，逗号分隔：docx,html,md（默认按报告配置）")
    sub.add_argument("--strict", action="store_true", help="有警告也不生成（警告视为错误）")
    sub.add_argument("--force", action="store_true",
                     help="全部重新生成；手工修改过的文件先移到 outputs/.history/")
    sub.add_argument("--redline", action="store_true",
                     help="为每份重新生成的 DOCX 另存“（修订稿）”，变化处为 Word 修订标记")
    sub.add_argument("--only", nargs="+", default=[], metavar="编号",
                     help="批量报告（先进事迹材料）只重新生成这些编号的对象")
    sub = command("diff", "列出最近一次生成中变化的数字（及引用位置）和段落", _diff)
    sub.add_argument("--since", default=SINCE_LAST, metavar="生成编号",
                     help="与哪次生成比较：上次（默认）或 .wenmi/builds/ 中的编号")
    sub.add_argument("--json", action="store_true", help="以 JSON 输出")
    sub = command("explain", "说明一个数字：规则、定义位置、来源文件，以及用到的台账行", _explain)
    sub.add_argument("name", metavar="指标名")
    sub = command("refresh", "把最新数字填入手工修改过的 DOCX（只改标记的数字，先备份）", _refresh)
    sub.add_argument("file", type=Path, metavar="文件.docx")
    command("list", "列出报告及其体裁、引用的数据源和输出文件", _list)
    sub = command("figures", "列出每个数字：数值、单位、成文写法和来源", _figures)
    sub.add_argument("report", nargs="?", metavar="报告名", help="只列出该报告引用的数字")
    sub.add_argument("--json", action="store_true", help="以 JSON 输出，便于其他程序读取")
    sub = command("check", "只校验全部输入（配置、台账、指标、校验规则、模板），一次列出全部错误和警告，"
                           "不写任何文件", _check)
    sub.add_argument("--strict", action="store_true", help="警告也视为错误（退出码 2）")
    sub.add_argument("--text", type=Path, metavar="文件",
                     help="改为检查一份现成公文（.docx/.txt/.md）中数字、列举、合计、比率、年份和发文单位"
                          "是否自相矛盾")
    sub.add_argument("--json", action="store_true",
                     help="与 --text 同用：以 JSON 输出每个警告（段落、原句、类别、涉及的数字）")
    sub = command("returns", "各单位报表的报送情况：应报、已报、未报、有误的单位及其问题（项目有错误时也列出）",
                  _returns)
    sub.add_argument("sources", nargs="*", metavar="数据源", help="只列出这些数据源（默认全部单位报表）")
    sub = command("serve", "在浏览器中打开工作台：校验、数字、预览、变化、替换台账、下载", _serve)
    sub.add_argument("--port", type=int, default=8000, metavar="端口", help="端口（默认 8000；0 为任选一个空闲端口）")
    sub.add_argument("--host", default="127.0.0.1", metavar="地址",
                     help="监听地址（默认 127.0.0.1，只有本机能打开；其他电脑要访问时才改）")
    sub = command("new-year", "把项目滚动到新的一年：本年台账成为“上年”，新建只有表头的新年度台账，"
                              "报告名、标题和成文日期顺延一年；旧年度的文件一概不动", _new_year)
    sub.add_argument("year", nargs="?", type=int, metavar="年份", help="新的年度（默认为项目年度的下一年）")
    sub = command("init", "新建项目文件夹（含示例数据、模板和一份示例报告）", _init)
    sub.add_argument("directory", type=Path, metavar="目录", help="新项目的文件夹")
    sub = command("import", "把现成的公文（.docx/.txt/.md/网页）导入为文秘项目：数字变成占位符", _import)
    sub.add_argument("source", type=Path, metavar="文件", help="要导入的文件")
    sub.add_argument("--into", type=Path, metavar="项目目录",
                     help="新项目的文件夹（默认：当前文件夹下与文件同名的文件夹）；已有项目不会被覆盖")
    sub.add_argument("--name", metavar="报告名", help="报告名（默认用文档标题）")
    sub.add_argument("--simplified", action="store_true", help="把繁体字转换为简体字")
    sub.add_argument("--json", action="store_true", help="只以 JSON 输出读到的内容，不建项目")
    return parser


def _build(args) -> int:
    from .build import build
    started = time.perf_counter()
    formats = [f.strip() for f in args.formats.split(",") if f.strip()]
    with progress_bar() as progress:
        built = build(args.project, args.reports, formats, args.strict, force=args.force,
                      redline=args.redline, only=args.only, progress=progress)
    _print_warnings(built.warnings)
    print("\n".join(built_lines(built, redline=args.redline)))
    print(f"共写入 {len(built.written) + len(built.redlines)} 个文件，"
          f"用时 {time.perf_counter() - started:.2f} 秒。")
    return 0


def _diff(args) -> int:
    from .build import parsed_specs
    from .keeping.diff import changes, diff_lines
    from .reading.specs import load_project
    found = changes(load_project(args.project, parsed_specs(args.project)), args.since)
    print(json.dumps(found, ensure_ascii=False, indent=2) if args.json else "\n".join(diff_lines(found)))
    return 0


def _explain(args) -> int:
    from .reading.explain import explain_lines
    print("\n".join(explain_lines(args.project, args.name)))
    return 0


def _serve(args) -> int:
    from .serve.server import serve
    serve(args.project, args.host, args.port)
    return 0


def _refresh(args) -> int:
    from .keeping.refresh import refresh, refresh_lines
    result = refresh(args.project, args.file)
    print("\n".join(refresh_lines(result, str(args.file))))
    return 0


def _check(args) -> int:
    from .build import check
    if args.text:
        from .prose.check import check_text_command
        return check_text_command(args.text, args.strict, args.json)
    checked = check(args.project, args.strict)
    project, figures = checked.project, checked.figures
    _print_warnings(checked.warnings)
    for status in checked.returns.values():
        print("\n".join(status.lines()))
    counted = sum(1 for f in figures.values() if isinstance(f, Figure))
    batches = f"、{len(project.batches)} 份批量报告（{checked.nominees} 名推荐对象）" if project.batches else ""
    summaries = f"、{len(project.summaries)} 份汇总表" if project.summaries else ""
    print(f"校验通过：{len(project.sources)} 个数据源、{counted} 个数字、{len(figures) - counted} 个分组表、"
          f"{len(project.checks)} 条校验规则、{len(project.reports)} 份报告{batches}{summaries}，"
          f"{len(checked.warnings)} 个警告，未写入任何文件。")
    return 0


def _returns(args) -> int:
    from .reading.inspection import inspect_project
    from .reading.reported import reported_lines
    inspection = inspect_project(args.project)
    if inspection.project is None:
        inspection.problems.stop_if_failed()
    statuses = inspection.returns
    unknown = [name for name in args.sources if name not in statuses]
    if unknown:
        known = "、".join(statuses) or "（无）"
        raise WenmiError(f"“{'、'.join(unknown)}”不是用 files 声明的单位报表数据源；现有：{known}")
    if not statuses:
        print("项目中没有用 files 声明的单位报表数据源。")
        return 0
    chosen = {name: status for name, status in statuses.items() if not args.sources or name in args.sources}
    print("\n".join(reported_lines(chosen, inspection.problems.items)))
    return 0


def _print_warnings(warnings) -> None:
    if warnings:
        print(grouped(list(warnings)), file=sys.stderr)


def _list(args) -> int:
    from .build import parsed_specs
    from .composing.render import placeholders
    from .reading.specs import load_project
    project = load_project(args.project, parsed_specs(args.project))
    for report in project.reports.values():
        used = placeholders(project, report)
        sources = sorted({m.source for name in used for m in project.needed(name) if not m.quotient})
        outputs = "、".join(f"outputs/{report.output}.{fmt}" for fmt in report.formats)
        print(f"{report.name}\n  体裁：{report.genre}（{_template_used(project, report.genre)}）\n  正文：inputs/{report.body}\n"
              f"  数据源：{'、'.join(sources) or '（无）'}\n  输出：{outputs}")
    for batch in project.batches.values():
        sheet = project.sources[batch.nominees].file if batch.nominees in project.sources else "（未声明）"
        categories = "、".join(f"{c.name}（{_template_used(project, c.template)}）" for c in batch.categories)
        metrics = "、".join(name for name in project.metrics if project.per_nominee(name))
        extra = "推荐名单汇总表.docx/.xlsx" + ("、事迹材料合订本.docx" if batch.merged else "")
        print(f"{batch.name}（批量，每名推荐对象一份）\n  推荐对象表：inputs/{sheet}\n"
              f"  类别（体裁）：{categories}\n  按对象计算的指标：{metrics or '（无）'}\n"
              f"  输出：outputs/{safe_file_name(batch.name)}/，每份 {'、'.join(batch.formats)}，"
              f"另有{extra}")
    for summary in project.summaries.values():
        files = project.sources[summary.returns].file
        outputs = "、".join(f"outputs/{summary.output}.{fmt}" for fmt in summary.formats)
        print(f"{summary.name}（汇总表，每个应报单位一行）\n  单位报表：{summary.returns}（inputs/{files}）\n"
              f"  输出：{outputs}")
    return 0


def _template_used(project, template: str) -> str:
    """Which file a genre's template is taken from: templates/<name> (the project's own) or
    内置模板/<name> (built in: the project has none of that name)."""
    path = bundled.template_file(project.templates, f"{template}.md.j2")
    return project.shown(path) + ("" if path.is_file() else "，缺失")


def _figures(args) -> int:
    from .build import select_specs
    from .composing.render import placeholders
    from .reading.inspection import inspect_or_stop
    inspection = inspect_or_stop(args.project)
    project, figures = inspection.project, inspection.figures
    if args.report:
        select_specs(project, [args.report])              # an unknown name is refused here
        used = placeholders(project, project.reports.get(args.report) or project.batches[args.report])
        figures = {name: figure for name, figure in figures.items() if name in used}
    rows = [_describe(figure, project.wording) for figure in figures.values()]
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return 0
    for row in rows:
        _print_figure(row)
    return 0


def _describe(figure: Figure | FigureTable, rules: WordingRules) -> dict:
    """A figure as plain data: what `figures --json` prints."""
    provenance = {
        "定义位置": figure.provenance.defined_at, "规则": figure.provenance.rule,
        "来源": [{"数据源": s.source, "文件": s.file, "工作表": s.sheet, "条件": s.filter,
                  "行数": s.rows} for s in figure.provenance.sources],
    }
    if isinstance(figure, FigureTable):
        return {"名称": figure.id, "说明": figure.label, "类型": "分组表",
                "行": [dict(_describe(cell, rules), 分组=key) for key, cell in figure.rows],
                "来源": provenance}
    row = {"名称": figure.id, "说明": figure.label, "数值": figure.value, "单位": figure.unit,
           "写法": figure_text(figure, rules), "来源": provenance}
    if figure.previous is not None:
        row["上年数值"] = figure.previous.value
        row["上年写法"] = figure_text(figure.previous, rules)
    return row


def _print_figure(row: dict, indent: str = "") -> None:
    if "行" in row:
        print(f"{indent}{row['名称']}（分组表：{row['说明']}）")
        for cell in row["行"]:
            _print_figure(cell, indent + "    ")
        return
    previous = f"；上年 {row['上年写法']}" if "上年写法" in row else ""
    print(f"{indent}{row['名称']} = {row['写法']}（数值 {row['数值']}{previous}）")
    provenance = row["来源"]
    print(f"{indent}    规则：{provenance['规则']}；定义于 {provenance['定义位置']}")
    for source in provenance["来源"]:
        sheet = f"，工作表“{source['工作表']}”" if source["工作表"] else ""
        condition = f"，条件 {source['条件']}" if source["条件"] else ""
        print(f"{indent}    来源：{source['文件']}{sheet}{condition}，{source['行数']} 行")


def _import(args) -> int:
    from .prose.importer import as_json, read_document
    from .prose.scaffold import project_files, record_lines, summary_lines, write_project
    reading = read_document(args.source, args.simplified)
    if args.json:
        print(json.dumps(as_json(reading), ensure_ascii=False, indent=2))
        return 0
    target = args.into or Path(safe_file_name(args.source.stem))
    files = project_files(reading, args.name)
    files.files["导入记录.txt"] = "\n".join(record_lines(reading)) + "\n"
    write_project(files, target)
    print("\n".join(summary_lines(reading, files, target)))
    return 0


def _new_year(args) -> int:
    from .newyear import new_year
    roll = new_year(args.project, args.year)
    lines = [f"已滚动到 {roll.year} 年；原配置文件另存于 {roll.archive}/。"]
    lines += [f"  新建台账（只有表头，待填数据）：{'、'.join(roll.ledgers_made)}"] if roll.ledgers_made else []
    lines += [f"  已有的新年度台账，照用：{'、'.join(roll.ledgers_kept)}"] if roll.ledgers_kept else []
    lines += [f"  路径中没有年份、照旧使用的数据源：{'、'.join(roll.unchanged)}"] if roll.unchanged else []
    lines += [f"  报告：{old} → {new}" for old, new in roll.reports]
    lines += [f"  正文另存为：{'、'.join(roll.bodies)}"] if roll.bodies else []
    lines += [f"  待填本年度数值的数字：{'、'.join(roll.figures)}"] if roll.figures else []
    lines.append("下一步：填好新年度台账后运行 wenmi check，它会列出仍缺的数据。")
    print("\n".join(lines))
    return 0


def _init(args) -> int:
    target: Path = args.directory
    if (target / "inputs").exists() or (target / "templates").exists():
        raise WenmiError("该文件夹中已有 inputs/ 或 templates/，为免覆盖，未做任何改动",
                         file=str(target), hint="换一个新的文件夹名")
    sources = [bundled.EXAMPLE / "inputs", bundled.EXAMPLE / "templates"]
    if not all(path.is_dir() for path in sources):
        raise WenmiError("找不到随程序附带的示例项目（inputs/ 与 templates/）",
                         file=str(bundled.EXAMPLE), hint="安装不完整：请重新安装 wenmi")
    for source in sources:
        shutil.copytree(source, target / source.name)
    (target / "outputs").mkdir(exist_ok=True)
    print(f"已新建项目 {target}：inputs/（示例台账、配置、正文）、templates/（体裁模板）、outputs/。\n"
          f"下一步：进入该文件夹（cd \"{target}\"），运行 wenmi build")
    return 0




def built_lines(built, redline: bool = False) -> list[str]:
    """The lines `wenmi build` prints: what was written, left alone, and why. A batch
    report's files are counted, not listed."""
    project = built.project
    shown = project.shown

    def listed(paths: list[Path]) -> str:
        """The paths, each batch report's as one "folder/（N 个文件）"."""
        named, folders = [], Counter()
        batch_folders = {project.outputs / safe_file_name(name) for name in project.batches}
        for path in paths:
            if path.parent in batch_folders:
                folders[path.parent] += 1
            else:
                named.append(shown(path))
        return "、".join(named + [f"{shown(folder)}/（{count} 个文件）"
                                 for folder, count in folders.items()])

    lines = [f"已生成 {listed([o.path for o in built.written])}"] if built.written else []
    lines += [f"已生成修订稿 {shown(o.path)}" for o in built.redlines]
    lines += [f"手工修改过的旧文件已移到 {shown(path)}" for path in built.set_aside]
    if built.retired:
        lines.append(f"已不在推荐对象表中的对象的旧文件已移到 outputs/{HISTORY}/："
                     f"{'、'.join(path.name for path in built.retired)}")
    if built.unchanged:
        lines.append(f"内容未变，未重写：{listed(list(built.unchanged))}")
    if built.skipped:
        lines.append(f"输入未变，已跳过（未重新生成）：{listed(list(built.skipped))}")
    for path in built.protected:
        lines.append(protected_line(shown(path), redline))
    if not (built.written or built.unchanged or built.protected):
        lines.append("没有需要更新的文件（加 --force 可全部重新生成）。")
    return lines


def protected_line(shown: str, redline: bool) -> str:
    """Why an output edited by hand was left alone, and what the office can do: refresh
    puts new figures into a DOCX only."""
    line = f"注意：{shown} 在生成后被手工修改过，为免丢失修改，没有覆盖它。"
    line += "（--redline 只为写入的文件生成修订稿，这份文件没有。）" if redline else ""
    if shown.endswith(".docx"):
        line += f"要把新数字填进这份文件，请运行 wenmi refresh {shown}；"
    else:
        line += ("wenmi refresh 只能更新 DOCX：请把要保留的修改写进正文（inputs/ 下）或模板后重新生成；")
    return line + f"要放弃手工修改、重新生成，请加 --force（原文件会先移到 outputs/{HISTORY}/）。"


PROGRESS_FROM = 40                      # smaller batches finish before a bar is worth showing


@contextmanager
def progress_bar() -> Iterator:
    """The progress callback for a build (lane.run): a rich bar on a terminal for
    PROGRESS_FROM documents or more; None (quiet) when output goes to a file or pipe."""
    if not sys.stdout.isatty():
        yield None
        return
    from rich.progress import Progress as Bar  # only a terminal needs it
    with Bar(transient=True) as bar:
        task = None

        def advance(done: int, total: int) -> None:
            nonlocal task
            if total >= PROGRESS_FROM:
                task = bar.add_task("生成文件", total=total) if task is None else task
                bar.update(task, completed=done)
        yield advance


if __name__ == "__main__":
    sys.exit(main())

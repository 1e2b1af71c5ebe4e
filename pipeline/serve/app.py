"""The workbench's pages: Starlette routes over the library, HTML written by Jinja2 templates
(serve/templates/, autoescaped: every ledger value is text, never markup), no script.

概览 (reports, outputs, last build, problem counts, 报送情况 of units' returns) · 校验
(`wenmi check`, by file, with the ledger row, and the 报送情况) · 数字 (every figure, its rule, source and charts; `explain`) · 预览 (documents
as HTML, dossiers by nominee) · 变化 (`wenmi diff`) · 台账 (replace a ledger: rehearse, then
accept or cancel). Long work runs as a task in a process of its own (serve/jobs.py).
"""

from __future__ import annotations

import difflib
import io
import math
import secrets
import threading
import zipfile
from pathlib import Path
from urllib.parse import quote

import jinja2
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, RedirectResponse, Response
from starlette.routing import Route

from ..errors import WenmiError
from ..figures import Figure, FigureTable, find
from ..filenames import inside, safe_file_name
from ..keeping import STATE_FOLDER
from ..keeping.diff import unit_line
from ..problems import ERROR, WARNING
from . import charts, work
from .guard import BodyTooLarge, Guard, form_token, same
from .jobs import Tasks
from .workspace import Workspace

UPLOAD_LIMIT = 20 * 2**20            # bytes: a 50,000-row ledger is about 5 MB
PAGE_SIZE = 50                       # figures or nominees a page lists
LEDGER_SUFFIXES = (".csv", ".xlsx")
HIGHLIGHT = ("<style>.figure { background: #fff1a8; border-bottom: 1px solid #c9a400 }"
             " .figure:hover { background: #ffd84d }</style>")
TEMPLATES = jinja2.Environment(loader=jinja2.PackageLoader(__package__, "templates"),
                               autoescape=True, trim_blocks=True, lstrip_blocks=True,
                               undefined=jinja2.StrictUndefined)
TEMPLATES.globals["zip"] = zip
TEMPLATES.globals["unit_line"] = unit_line       # a unit whose return changed a figure (diff.html)


def create_app(root: Path, token: str, hosts: set[str] | None, upload_limit: int = UPLOAD_LIMIT,
               warm: bool = False) -> Guard:
    """The workbench for the project at `root`, answering only requests that carry `token`
    and name one of `hosts` ("127.0.0.1:8000"; None: any), with bodies of at most
    `upload_limit` bytes. With `warm`, the project is read at once, while the user opens the
    browser, rather than on the first page load."""
    bench = Bench(Workspace(root), token, upload_limit)
    if warm:
        threading.Thread(target=bench.workspace.problems, daemon=True).start()
    routes = [Route(path, handler, methods=methods) for path, handler, methods in (
        ("/", bench.overview, ["GET"]), ("/check", bench.check, ["GET"]),
        ("/figures", bench.figures, ["GET"]), ("/explain", bench.explain, ["GET"]),
        ("/chart.svg", bench.chart, ["GET"]), ("/preview", bench.preview, ["GET"]),
        ("/document", bench.document, ["GET"]), ("/changes", bench.changes, ["GET"]),
        ("/ledgers", bench.ledgers, ["GET"]), ("/ledgers/upload", bench.upload, ["POST"]),
        ("/uploads/{upload}/accept", bench.accept, ["POST"]),
        ("/uploads/{upload}/cancel", bench.cancel, ["POST"]),
        ("/build", bench.build, ["POST"]), ("/tasks/{task}", bench.task, ["GET"]),
        ("/download", bench.download, ["GET"]), ("/download/pdf", bench.download_pdf, ["GET"]),
        ("/download/zip", bench.download_zip, ["GET"]))]
    app = Starlette(routes=routes, exception_handlers={
        HTTPException: bench.http_error, BodyTooLarge: bench.too_large})
    return Guard(app, token, hosts, upload_limit)


class Bench:
    """The pages of one project's workbench."""

    def __init__(self, workspace: Workspace, token: str, upload_limit: int):
        self.workspace = workspace
        self.upload_limit = upload_limit
        self.csrf = form_token(token)
        self.tasks = Tasks()
        self.uploads: dict[str, dict] = {}       # pending uploads by id: source, file, task

    @property
    def root(self) -> Path:
        return self.workspace.root

    def page(self, template: str, active: str, **context) -> HTMLResponse:
        project = self.workspace.project
        title = f"{project.organization}{project.year}年" if project else self.root.name
        html = TEMPLATES.get_template(template).render(
            active=active, project_title=title, csrf=self.csrf, running=self.tasks.running(),
            **context)
        return HTMLResponse(html)

    def need_project(self):
        project = self.workspace.project
        if project is None:
            raise HTTPException(409, "项目配置有误，先在“校验”页查看并修正。")
        return project

    async def form(self, request: Request):
        """The POSTed form, refused unless it carries this server's form token."""
        form = await request.form(max_files=1, max_fields=8)
        if not same(form.get("csrf") if isinstance(form.get("csrf"), str) else None, self.csrf):
            raise HTTPException(403, "表单已过期或来自别处：请回到工作台页面重新操作。")
        return form

    # ------------------------------------------------------------ 概览

    def overview(self, request: Request):
        project = self.workspace.project
        problems = self.workspace.problems()
        manifest = self.workspace.manifest()
        reports, batches = [], []
        if project is not None:
            for spec in project.reports.values():
                files = [self._output(project.outputs / f"{spec.output}.{fmt}", manifest)
                         for fmt in spec.formats]
                reports.append({"name": spec.name, "genre": spec.genre, "files": files,
                                "has_pdf": "pdf" in spec.formats})
            for spec in project.summaries.values():
                files = [self._output(project.outputs / f"{spec.output}.{fmt}", manifest)
                         for fmt in spec.formats]
                reports.append({"name": spec.name, "genre": "汇总表", "files": files,
                                "has_pdf": "pdf" in spec.formats})
            for spec in project.batches.values():
                folder = project.outputs / safe_file_name(spec.name)
                made = sorted(p for p in folder.glob("*") if p.is_file() and not p.name.startswith(".")) \
                    if folder.is_dir() else []
                batches.append({"name": spec.name, "folder": folder.name, "count": len(made),
                                "files": [self._output(p, manifest) for p in made
                                          if p.stem in ("推荐名单汇总表", "事迹材料合订本")]})
        data = manifest.data if manifest else {}
        return self.page("overview.html", "overview", reports=reports, batches=batches, pdf=_pdf_available(),
                         reported=self._reported(),
                         last_build=data.get("build"), last_time=(data.get("time") or "").replace("T", " "),
                         errors=sum(v.problem.level == ERROR for v in problems),
                         warnings=sum(v.problem.level == WARNING for v in problems))

    def _reported(self) -> list[dict]:
        """Each returns source's 报送情况, each faulty return with its problems."""
        from ..reading.reported import faulty_problems
        inspection = self.workspace.inspection()
        return [{"status": status, "faulty": faulty_problems(status, inspection.problems.items)}
                for status in inspection.returns.values()]

    def _output(self, path: Path, manifest) -> dict:
        exists = path.is_file()
        edited = False
        if exists and manifest is not None and manifest.key(path) in manifest.outputs:
            edited = manifest.edited(path)
        relative = path.relative_to(self.root / "outputs").as_posix()
        return {"name": relative, "exists": exists, "edited": edited, "format": path.suffix[1:],
                "size": f"{path.stat().st_size / 1024:.0f} KB" if exists else ""}

    # ------------------------------------------------------------ 校验

    def check(self, request: Request):
        grouped: dict[str, list] = {}
        for view in self.workspace.problems():
            grouped.setdefault(view.problem.file or "（整个项目）", []).append(view)
        return self.page("check.html", "check", grouped=grouped, ERROR=ERROR, reported=self._reported())

    # ------------------------------------------------------------ 数字

    def figures(self, request: Request):
        self.need_project()
        query = request.query_params.get("q", "").strip()
        scope = request.query_params.get("scope", "all")
        rows = self.workspace.figure_rows()
        if scope == "project":
            rows = [row for row in rows if not row.nominee]
        elif scope == "nominees":
            rows = [row for row in rows if row.nominee]
        if query:
            rows = [row for row in rows if query in row.name or query in row.label or query in row.nominee]
        pages = max(1, math.ceil(len(rows) / PAGE_SIZE))
        number = min(max(_int(request.query_params.get("page"), 1), 1), pages)
        shown = rows[(number - 1) * PAGE_SIZE:number * PAGE_SIZE]
        return self.page("figures.html", "figures", rows=shown, count=len(rows), query=query,
                         scope=scope, number=number, pages=pages)

    def explain(self, request: Request):
        self.need_project()
        from ..reading.explain import explain
        name = request.query_params.get("name", "")
        try:
            explained = explain(self.workspace.inspection(), name)
        except WenmiError as error:
            raise HTTPException(404, str(error)) from None
        figure = explained.figure
        cells = figure.rows if isinstance(figure, FigureTable) else ()
        return self.page("explain.html", "figures", figure=figure, cells=cells,
                         explained=explained, table=isinstance(figure, FigureTable),
                         chart=isinstance(figure, FigureTable) or figure.previous is not None)

    def chart(self, request: Request):
        """A figure's chart as SVG: last year against this (a figure, a nominee's figure) or
        the top groups (a table metric)."""
        project = self.need_project()
        name, nominee = request.query_params.get("name", ""), request.query_params.get("nominee", "")

        def draw() -> bytes:
            figures = self.workspace.inspection().figures
            if nominee:
                figures = next((n.figures for batch in project.batches for n in self.workspace.nominees(batch)
                                if f"{n.key} {n.fields.get('名称', '')}".strip() == nominee), {})
            table = figures.get(name.partition("[")[0])
            if isinstance(table, FigureTable):
                return charts.groups_chart(table)
            figure = find(figures, name)
            if isinstance(figure, Figure) and figure.previous is not None:
                return charts.year_chart(figure, project.year)
            raise HTTPException(404, "这个数字没有可画的图（没有上年数据）")
        svg = self.workspace.cached(f"chart:{nominee}:{name}", draw)
        return Response(svg, media_type="image/svg+xml")

    # ------------------------------------------------------------ 预览

    def preview(self, request: Request):
        project = self.need_project()
        name, key = request.query_params.get("name", ""), request.query_params.get("key", "")
        if name in project.batches and not key:
            query = request.query_params.get("q", "").strip()
            nominees = [n for n in self.workspace.nominees(name)
                        if not query or any(query in value for value in n.fields.values())]
            pages = max(1, math.ceil(len(nominees) / PAGE_SIZE))
            number = min(max(_int(request.query_params.get("page"), 1), 1), pages)
            return self.page("nominees.html", "preview", batch=name, query=query, count=len(nominees),
                             nominees=nominees[(number - 1) * PAGE_SIZE:number * PAGE_SIZE],
                             number=number, pages=pages)
        if name in project.reports or name in project.batches or name in project.summaries:
            nominee = next((n for n in self.workspace.nominees(name) if n.key == key), None) if key else None
            if key and nominee is None:
                raise HTTPException(404, f"没有编号为“{key}”的推荐对象")
            return self.page("document.html", "preview", name=name, key=key, nominee=nominee)
        return self.page("preview.html", "preview", reports=[*project.reports, *project.summaries],
                         batches={b: len(self.workspace.nominees(b)) for b in project.batches})

    def document(self, request: Request):
        """A report, or one nominee's dossier, composed from the present inputs and written by
        the HTML writer; figures highlighted, their provenance on hover."""
        project = self.need_project()
        name, key = request.query_params.get("name", ""), request.query_params.get("key", "")

        def compose() -> bytes:
            from ..writers import html
            inspection = self.workspace.inspection()
            try:
                if name in project.reports:
                    from ..composing.reports import report_jobs
                    document = report_jobs(project, inspection.figures, [project.reports[name]])[0].make()
                elif name in project.batches:
                    from ..composing.dossiers import DossierMaker
                    maker = self.workspace.cached(f"maker:{name}", lambda: DossierMaker(
                        project, project.batches[name], inspection.figures))
                    nominee = next(n for n in self.workspace.nominees(name) if n.key == key)
                    document = maker.document(nominee)
                elif name in project.summaries:
                    from ..composing.summary import summary_jobs
                    document = summary_jobs(inspection, [project.summaries[name]])[0].make()
                else:
                    raise HTTPException(404, f"没有名为“{name}”的报告")
            except (WenmiError, StopIteration) as error:
                message = str(error) or "找不到这名推荐对象"
                return TEMPLATES.get_template("broken.html").render(message=message).encode("utf-8")
            return html.write(document).replace(b"</head>", HIGHLIGHT.encode("utf-8") + b"</head>", 1)
        page = self.workspace.cached(f"document:{name}:{key}", compose)
        return HTMLResponse(page)

    # ------------------------------------------------------------ 变化

    def changes(self, request: Request):
        from ..keeping.diff import changes
        project = self.need_project()
        try:
            found, message = changes(project, request.query_params.get("since") or "上次"), ""
        except WenmiError as error:
            found, message = None, str(error)
        return self.page("changes.html", "changes", found=found, message=message,
                         marked=_marked)

    # ------------------------------------------------------------ 台账

    def ledgers(self, request: Request):
        from ..reading.returns import unit_place
        project = self.need_project()
        sources = []
        for source in project.sources.values():
            path = project.inputs / source.file
            exists = path.is_file()
            sources.append({"name": source.name, "file": project.shown(path), "exists": exists,
                            "returns": unit_place(source) if source.returns is not None else "",
                            "size": f"{path.stat().st_size / 1024:.0f} KB" if exists else "",
                            "suffix": _accepted(source),
                            "previous": source.previous or ""})
        return self.page("ledgers.html", "ledgers", sources=sources, limit=f"{self.upload_limit / 2**20:g}")

    async def upload(self, request: Request):
        """Keep the uploaded file under .wenmi/ and rehearse the build with it in place of
        the chosen ledger, or, for a folder of units' returns, in place of its unit's return
        or beside the others (`_received`). The name the browser sends is used for nothing
        but its suffix (and a unit, where returns are named by file name): the file goes to
        the path the project declares for that ledger, or that unit's return."""
        project = self.need_project()
        form = await self.form(request)
        source = project.sources.get(str(form.get("source", "")))
        if source is None:
            raise HTTPException(400, "请选择要替换的台账")
        upload = form.get("file")
        if upload is None or isinstance(upload, str) or not upload.filename:
            raise HTTPException(400, "请选择一个文件")
        data = await upload.read()
        suffix, expected = Path(upload.filename).suffix.lower(), Path(source.file).suffix.lower()
        if source.returns is not None and expected not in LEDGER_SUFFIXES:
            expected = suffix               # returns such as 报表/*: either kind of ledger
        problem = _upload_problem(suffix, expected, data)
        if problem:
            raise HTTPException(400, problem)
        upload_id = secrets.token_hex(8)
        folder = self.root / STATE_FOLDER / "uploads"
        folder.mkdir(parents=True, exist_ok=True)
        kept = folder / f"{upload_id}{expected}"
        kept.write_bytes(data)
        relative, started = source.file, False
        try:
            if source.returns is None:
                title, subject = f"试生成：用新文件替换“{source.name}”", {}
                rehearsal = (work.rehearsal, str(self.root), relative, str(kept))
            else:
                received = self._received(project, source, kept, upload.filename, data)
                relative, subject = received.relative, {"unit": received.unit, "replaces": received.replaces}
                title = f"试生成：{received.unit}的“{source.name}”报表"
                rehearsal = (work.return_rehearsal, str(self.root), source.name, received.unit, relative, str(kept))
            task = self.tasks.start(title, *rehearsal, subject={
                "upload": upload_id, "source": source.name, "file": project.shown(project.inputs / relative),
                **subject})
            started = True
        except WenmiError as error:
            raise HTTPException(409, str(error)) from None
        finally:
            if not started:
                kept.unlink()
        self.uploads[upload_id] = {"source": source.name, "file": relative, "kept": kept, "task": task.id}
        return RedirectResponse(f"/tasks/{task.id}", status_code=303)

    def _received(self, project, source, kept: Path, sent_as: str, data: bytes):
        """Where an uploaded return goes (receiving.py): its unit's file, or a new one. A
        return naming no unit of the roster, or the very file already there, is refused."""
        from ..receiving import place_return
        name = sent_as.replace("\\", "/").rsplit("/", 1)[-1]
        try:
            received = place_return(project, source, self.workspace.inspection().returns[source.name], kept, name)
        except WenmiError as error:
            raise HTTPException(400, f"{error}\n这份报表没有放入文件夹。") from None
        if received.replaces and (project.inputs / received.relative).read_bytes() == data:
            raise HTTPException(400, f"上传的文件与{received.unit}现有的报表 {received.replaces} 完全相同，不用替换")
        return received

    async def accept(self, request: Request):
        """The uploaded file replaces the ledger or the unit's return (the old one kept under
        .wenmi/history/), or joins the folder of returns, then the project is built as
        `wenmi build` builds it."""
        from ..replacing import replace_input
        await self.form(request)
        pending = self.uploads.get(request.path_params["upload"])
        rehearsal = self.tasks.get(pending["task"]) if pending else None
        if rehearsal is None or rehearsal.state != "done":
            raise HTTPException(409, "这个上传没有通过试生成，或已经处理过")
        if self.tasks.running():
            raise HTTPException(409, "另一项工作还在进行，请稍后再试")
        kept = replace_input(self.root, pending["file"], pending["kept"].read_bytes())
        pending["kept"].unlink(missing_ok=True)
        del self.uploads[request.path_params["upload"]]
        task = self.tasks.start("生成全部报告", work.building, str(self.root),
                                subject={"source": pending["source"], "unit": rehearsal.subject.get("unit", ""),
                                         "file": rehearsal.subject["file"],
                                         "history": kept.relative_to(self.root).as_posix() if kept else ""})
        return RedirectResponse(f"/tasks/{task.id}", status_code=303)

    async def cancel(self, request: Request):
        await self.form(request)
        pending = self.uploads.pop(request.path_params["upload"], None)
        if pending:
            pending["kept"].unlink(missing_ok=True)
        return RedirectResponse("/ledgers", status_code=303)

    async def build(self, request: Request):
        await self.form(request)
        try:
            task = self.tasks.start("生成全部报告", work.building, str(self.root))
        except WenmiError as error:
            raise HTTPException(409, str(error)) from None
        return RedirectResponse(f"/tasks/{task.id}", status_code=303)

    def task(self, request: Request):
        task = self.tasks.get(request.path_params["task"])
        if task is None:
            raise HTTPException(404, "没有这项工作（工作台重启后，之前的记录不再保留）")
        if task.state == "failed" and task.subject.get("upload") in self.uploads:
            self.uploads.pop(task.subject["upload"])["kept"].unlink(missing_ok=True)   # nothing to accept
        pending = task.subject.get("upload") in self.uploads
        return self.page("task.html", "ledgers" if "source" in task.subject else "overview",
                         task=task, pending=pending, marked=_marked, ERROR=ERROR,
                         refresh=task.state == "running")

    # ------------------------------------------------------------ downloads

    def _output_file(self, request: Request) -> Path:
        """The file under outputs/ the request names; anything else is refused."""
        outputs = self.root / "outputs"
        relative = request.query_params.get("path", "")
        try:
            path = inside(outputs, relative)
        except WenmiError:
            raise HTTPException(404, "没有这个文件") from None
        relative_path = path.relative_to(outputs.resolve())
        if not path.is_file() or any(part.startswith(".") for part in relative_path.parts):
            raise HTTPException(404, "没有这个文件")
        return path

    def download(self, request: Request):
        path = self._output_file(request)
        return FileResponse(path, filename=path.name)

    def download_pdf(self, request: Request):
        """The DOCX converted by LibreOffice (writers/pdf.py), when it is installed; kept under
        .wenmi/pdf/ until the DOCX changes."""
        from ..keeping.manifest import sha256
        from ..writers.pdf import convert
        path = self._output_file(request)
        if path.suffix.lower() != ".docx" or not _pdf_available():
            raise HTTPException(404, "没有安装 LibreOffice，不能转换为 PDF（可运行 scripts/install-libreoffice.sh）")
        data = path.read_bytes()
        pdf = self.root / STATE_FOLDER / "pdf" / sha256(data)[:16] / f"{path.stem}.pdf"
        if not pdf.is_file():
            try:
                converted = convert(data)
            except WenmiError as error:
                raise HTTPException(500, str(error)) from None
            pdf.parent.mkdir(parents=True, exist_ok=True)
            pdf.write_bytes(converted)
        return FileResponse(pdf, filename=pdf.name)

    def download_zip(self, request: Request):
        """A batch report's folder as one zip (its dossiers, roster and print file)."""
        project = self.need_project()
        name = request.query_params.get("name", "")
        if name not in project.batches:
            raise HTTPException(404, "没有这个批量报告")
        folder = project.outputs / safe_file_name(name)
        if not folder.is_dir():
            raise HTTPException(404, "还没有生成这个批量报告")
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for path in sorted(folder.rglob("*")):
                if path.is_file() and not any(p.startswith(".") for p in path.relative_to(folder).parts):
                    archive.write(path, f"{folder.name}/{path.relative_to(folder).as_posix()}")
        file_name = quote(f"{folder.name}.zip")
        return Response(buffer.getvalue(), media_type="application/zip", headers={
            "content-disposition": f"attachment; filename*=UTF-8''{file_name}"})

    # ------------------------------------------------------------ errors

    async def http_error(self, request: Request, error: HTTPException):
        return HTMLResponse(TEMPLATES.get_template("error.html").render(
            message=error.detail, status=error.status_code, project_title="", active="",
            csrf=self.csrf, running=None), status_code=error.status_code)

    async def too_large(self, request: Request, error: BodyTooLarge):
        return await self.http_error(request, HTTPException(
            413, f"上传的文件太大：不能超过 {self.upload_limit / 2**20:g} MB。"))


def _accepted(source) -> str:
    """The file types a source's upload form offers: its ledger's, or those its glob of
    returns allows (报表/*: either)."""
    suffix = Path(source.file).suffix.lower()
    return suffix if suffix in LEDGER_SUFFIXES or source.returns is None else ",".join(LEDGER_SUFFIXES)


def _upload_problem(suffix: str, expected: str, data: bytes) -> str:
    """Why an uploaded file cannot be a ledger of the declared kind ("" when it can)."""
    if suffix not in LEDGER_SUFFIXES:
        return f"只能上传 CSV 或 XLSX 台账（收到的文件扩展名是“{suffix or '无'}”）"
    if suffix != expected:
        return f"这个台账是 {expected[1:].upper()} 文件，请上传同样格式的文件（收到的是 {suffix[1:].upper()}）"
    if not data.strip():
        return "上传的文件是空的"
    if suffix == ".xlsx" and not data.startswith(b"PK\x03\x04"):
        return "这不是一个 XLSX 文件（内容不是 Excel 工作簿）"
    if suffix == ".csv" and (data.startswith(b"PK\x03\x04") or b"\x00" in data[:65536]):
        return "这不是文本格式的 CSV 文件（内容是二进制的）"
    return ""


def _marked(old: str, new: str) -> tuple[list, list]:
    """The two texts cut into (changed, text) pieces, so a page can mark what differs."""
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    before, after = [], []
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if i2 > i1:
            before.append((op != "equal", old[i1:i2]))
        if j2 > j1:
            after.append((op != "equal", new[j1:j2]))
    return before, after


def _pdf_available() -> bool:
    """Whether LibreOffice, which makes a PDF of a DOCX, is installed."""
    from ..writers.pdf import soffice
    try:
        return bool(soffice())
    except WenmiError:
        return False


def _int(text: str | None, default: int) -> int:
    try:
        return int(text or default)
    except ValueError:
        return default



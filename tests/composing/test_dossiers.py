"""Batch reports: the example's 先进事迹材料 built end to end, read back as a reader would.

Each nominee's figures are computed here from the ledgers (tests/example_ledgers.py, not the
pipeline) and looked for in that nominee's own DOCX; file names, validation and the merged
print file are checked on the files written.
"""

import csv
import io
import json
import os
import re
import time
import zipfile
from pathlib import Path

import docx
import openpyxl
import pytest
from hypothesis import given, strategies as st

from example_ledgers import INPUTS, money, number, records
from helpers import W, document_xml, paragraph_texts
from wenmi import lane
from wenmi.composing import jobs as jobs_module
from wenmi.filenames import MAX_STEM, MAX_STEM_BYTES, safe_file_name, unique_names
from wenmi.keeping import staging as staging_module
from wenmi.reading.inspection import inspect_or_stop
from wenmi.reading.nominees import read_nominees
from wenmi.cli import main
from wenmi.errors import WenmiError
from project_copies import BATCH, copy_project, edit, fresh_copy

REPO = INPUTS.parent



def sheet_rows(root: Path) -> list[dict]:
    with open(root / "inputs/先进/推荐对象.csv", encoding="utf-8-sig", newline="") as stream:
        return list(csv.DictReader(stream))


def write_sheet(root: Path, rows: list[dict]) -> None:
    with open(root / "inputs/先进/推荐对象.csv", "w", encoding="utf-8-sig", newline="") as stream:
        writer = csv.DictWriter(stream, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    root = copy_project(tmp_path_factory.mktemp("batch"))
    assert main(["build", BATCH, "--project", str(root)]) == 0
    return root / "outputs" / BATCH


def paragraphs(path: Path) -> list[str]:
    return [p.text for p in docx.Document(str(path)).paragraphs]


def dossier_path(folder: Path, serial: int) -> Path:
    found = [path for path in folder.glob("*.docx") if path.name.startswith(f"{serial:02d}-")]
    assert len(found) == 1, found
    return found[0]


# ---------------------------------------------------------------- per-nominee figures

def expected_for(union: str) -> dict[str, str]:
    """The figures a dossier cites for a nominee of `union`, from the ledgers by hand."""
    warmth = [row for row in records("送温暖.csv") if row["基层工会"] == union]
    study = [row for row in records("金秋助学.csv") if row["基层工会"] == union]
    training = [row for row in records("培训与劳动竞赛.csv")
                if row["主办单位"] == union and row["活动类型"] != "干部培训"]
    return {
        "慰问户数": f"{len(warmth)}户",
        "慰问金额": money(sum(number(row["慰问金额"]) for row in warmth)),
        "助学人数": f"{len(study)}名",
        "培训人次": f"{sum(number(row['参与人次']) or 0 for row in training):.0f}人次",
    }


def test_every_nominee_gets_a_dossier_with_its_own_figures(built):
    rows = sorted(sheet_rows(REPO), key=lambda row: row["编号"])
    categories = ["先进个人", "优秀工会工作者", "劳动模范", "先进集体", "工人先锋号"]
    rows.sort(key=lambda row: categories.index(row["类别"]))       # roster sort: 类别, 编号
    assert len(rows) >= 30 and len({row["类别"] for row in rows}) >= 3
    for serial, row in enumerate(rows, start=1):
        text = "".join(paragraphs(dossier_path(built, serial)))
        expected = expected_for(row["所属工会"])
        individual = row["类别"] in categories[:3]
        title = f"{row['名称']}同志先进事迹材料" if individual else f"{row['名称']}先进集体事迹材料"
        assert text.startswith(title)
        assert row["主要事迹"] in text
        assert f"慰问困难职工{expected['慰问户数']}，发放慰问金{expected['慰问金额']}" in text
        if expected["助学人数"] != "0名":
            assert expected["助学人数"] in text
        if expected["培训人次"] != "0人次":
            assert expected["培训人次"] in text
        else:
            assert "0人次" not in text


def test_a_story_file_is_rendered_with_the_nominees_figures(built):
    text = "".join(paragraphs(dossier_path(built, 13)))     # YX01 李红梅, 柳溪镇总工会
    expected = expected_for("柳溪镇总工会")
    assert "李红梅" in text
    assert f"慰问困难职工{expected['慰问户数']}、发放慰问金{expected['慰问金额']}，每一户她都亲自走到" in text


# ---------------------------------------------------------------- roster and merged file

def test_roster_and_dossiers_agree(built):
    workbook = openpyxl.load_workbook(built / "推荐名单汇总表.xlsx")
    sheet = workbook.active
    header = [cell.value for cell in sheet[2]]
    assert header[:5] == ["序号", "类别", "单位", "姓名/集体名称", "职务"]
    table = docx.Document(str(built / "推荐名单汇总表.docx")).tables[0]
    docx_rows = [[cell.text for cell in row.cells] for row in table.rows[1:]]
    xlsx_rows = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=3)]
    assert len(docx_rows) == len(xlsx_rows) == len(sheet_rows(REPO))
    for shown, stored in zip(docx_rows, xlsx_rows):
        serial, name, households, amount = int(shown[0]), shown[3], shown[5], shown[6]
        assert stored[0] == serial and stored[3] == name and f"{stored[5]}户" == households
        text = "".join(paragraphs(dossier_path(built, serial)))
        assert text.startswith(name)
        assert f"慰问困难职工{households}，发放慰问金{amount}" in text


def test_roster_is_landscape_with_a_repeated_header_row(built):
    document = docx.Document(str(built / "推荐名单汇总表.docx"))
    section = document.sections[0]
    assert section.page_width > section.page_height
    first_row = document.tables[0].rows[0]._tr
    assert first_row.find(f"{W}trPr/{W}tblHeader") is not None


def test_merged_file_starts_each_dossier_on_a_new_page_with_one_page_numbering(built):
    document = docx.Document(str(built / "事迹材料合订本.docx"))
    titles = [p for p in document.paragraphs if p.style.name == "公文标题"]
    assert len(titles) == len(sheet_rows(REPO))
    assert not titles[0].paragraph_format.page_break_before
    assert all(title.paragraph_format.page_break_before for title in titles[1:])
    assert len(document.sections) == 1          # one section: page numbers run on
    footer = document.sections[0].footer._element
    assert any(text.text.strip() == "PAGE" for text in footer.iter(f"{W}instrText"))
    first = paragraphs(dossier_path(built, 1))
    merged = [p.text for p in document.paragraphs]
    assert merged[:len(first)] == first


@pytest.fixture
def cores(request, monkeypatch):
    """`request.param` cores, and batches cut into chunks of 3 from 2 dossiers on, so the
    example's 32 dossiers are shared by this process and the forked workers."""
    monkeypatch.setattr(lane, "PARALLEL_FROM", 2)
    monkeypatch.setattr(lane, "CHUNK", 3)
    monkeypatch.setattr(lane.os, "cpu_count", lambda: request.param)
    return request.param


@pytest.mark.parametrize("cores", [1, 3], indirect=True)
def test_builds_are_byte_for_byte_the_same(built, tmp_path, cores):
    root = copy_project(tmp_path)
    assert main(["build", BATCH, "--project", str(root)]) == 0
    again = root / "outputs" / BATCH
    names = sorted(path.name for path in built.iterdir())
    assert names == sorted(path.name for path in again.iterdir())
    for name in names:
        assert (built / name).read_bytes() == (again / name).read_bytes(), name


@pytest.mark.parametrize("cores", [3], indirect=True)
def test_where_fork_is_missing_the_batch_is_made_here_byte_for_byte_the_same(built, tmp_path, cores,
                                                                            monkeypatch):
    """Windows has no fork: on three cores there, the whole batch is made by this process."""
    def no_fork(method=None):
        if method == "fork":
            raise ValueError("cannot find context for 'fork'")      # as on Windows
        return get_context(method)

    get_context = lane.multiprocessing.get_context
    monkeypatch.setattr(lane.multiprocessing, "get_all_start_methods", lambda: ["spawn"])
    monkeypatch.setattr(lane.multiprocessing, "get_context", no_fork)
    root = copy_project(tmp_path)
    assert main(["build", BATCH, "--project", str(root)]) == 0
    again = root / "outputs" / BATCH
    assert sorted(path.name for path in again.iterdir()) == sorted(path.name for path in built.iterdir())
    for path in built.iterdir():
        assert (again / path.name).read_bytes() == path.read_bytes(), path.name


@pytest.mark.parametrize("cores", [3], indirect=True)
def test_an_error_in_a_worker_is_reported_like_any_other(tmp_path, capsys, monkeypatch, cores):
    make_chunk, here, calls = lane._make_chunk, os.getpid(), []

    def slow_here(*args):
        if os.getpid() == here and calls:
            time.sleep(1)      # this process is slow after the first chunk: workers take the rest
        calls.append(1)
        return make_chunk(*args)

    monkeypatch.setattr(lane, "_make_chunk", slow_here)
    root = copy_project(tmp_path)
    last = sheet_rows(root)[-1]["编号"]                  # not in the first chunk
    (root / "inputs/先进/事迹" / f"{last}.md").write_text("{{ 未声明的数字 }}\n", encoding="utf-8")
    assert main(["build", BATCH, "--project", str(root)]) == 2
    error = capsys.readouterr().err
    assert f"inputs/先进/事迹/{last}.md" in error and "未声明的数字" in error
    assert "Traceback" not in error
    assert not (root / "outputs" / BATCH).exists()


@pytest.mark.parametrize("cores", [3], indirect=True)
def test_redlines_of_a_batch_are_made_by_the_processes_that_render_it(tmp_path, monkeypatch, cores):
    """A reworded heading in the 先进个人 template changes every such dossier: each gets its
    （修订稿）, made on every core, marking the heading and nothing else."""
    made_by = tmp_path / "made-by.txt"
    marked = staging_module.companion

    def noted(*args):
        with open(made_by, "a", encoding="utf-8") as stream:
            stream.write(f"{os.getpid()}\n")
        return marked(*args)
    monkeypatch.setattr(staging_module, "companion", noted)
    root = copy_project(tmp_path / "项目")
    assert main(["build", BATCH, "--project", str(root)]) == 0
    edit(root / "templates/先进个人.md.j2", "立足岗位，干在实处", "立足岗位，实干担当")
    assert main(["build", BATCH, "--project", str(root), "--redline"]) == 0
    folder = root / "outputs" / BATCH
    reworded = [path for path in folder.glob("[0-9]*.docx") if "修订稿" not in path.name
                and "实干担当" in "".join(paragraph_texts(document_xml(path)))]
    people_redlines = sorted(folder.glob("[0-9]*（修订稿）.docx"))
    assert len(reworded) > 10 and len(set(made_by.read_text().split())) > 1
    assert [path.name for path in people_redlines] == sorted(f"{path.stem}（修订稿）.docx" for path in reworded)
    for path in people_redlines:
        root_xml = document_xml(path)
        deleted = ["".join(t.text for t in d.iter(f"{W}delText")) for d in root_xml.iter(f"{W}del")]
        inserted = ["".join(t.text for t in i.iter(f"{W}t")) for i in root_xml.iter(f"{W}ins")]
        assert len(deleted) == len(inserted) == 1, path.name
        assert deleted[0].endswith("立足岗位，干在实处") and inserted[0].endswith("立足岗位，实干担当")


def test_only_rebuilds_the_named_nominees(tmp_path):
    root = copy_project(tmp_path)
    assert main(["build", BATCH, "--project", str(root), "--only", "GR01", "JT01"]) == 0
    written = sorted(path.name for path in (root / "outputs" / BATCH).glob("*-*.docx"))
    assert written == ["01-县人民医院-陈晓燕.docx", "23-柳溪镇总工会-柳溪镇总工会.docx"]
    assert main(["build", BATCH, "--project", str(root), "--only", "XX99"]) == 2


# ---------------------------------------------------------------- check and figures

def test_check_renders_the_dossiers_so_a_broken_genre_template_is_found(tmp_path, capsys):
    root = copy_project(tmp_path)
    template = root / "templates/先进集体.md.j2"
    lines = template.read_text(encoding="utf-8").splitlines()
    lines.append("{{ 未声明的数字 }}")
    template.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert main(["check", "--project", str(root)]) == 2
    error = capsys.readouterr().err
    assert f"templates/先进集体.md.j2：第{len(lines)}行：未定义的占位符“未声明的数字”" in error
    assert not (root / "outputs").exists()


def test_figures_of_a_batch_report_are_those_its_templates_cite(capsys):
    assert main(["figures", BATCH, "--json", "--project", str(REPO)]) == 0
    names = {row["名称"] for row in json.loads(capsys.readouterr().out)}
    cited = set()
    for name in ("先进个人", "先进集体"):
        cited |= set(re.findall(r"{{\s*([\w]+)", (REPO / f"templates/{name}.md.j2").read_text("utf-8")))
    assert names and names <= cited and "本单位慰问金额" in names


# ---------------------------------------------------------------- rebuilds

def test_unchanged_inputs_skip_the_batch(built, monkeypatch, capsys):
    root = built.parent.parent

    def must_not_render(*args, **kwargs):
        raise AssertionError("nothing changed, yet the batch was rendered")

    monkeypatch.setattr(jobs_module, "compose_jobs", must_not_render)
    assert main(["build", BATCH, "--project", str(root)]) == 0
    assert f"输入未变，已跳过（未重新生成）：outputs/{BATCH}/（35 个文件）" in capsys.readouterr().out


def test_a_hand_edited_dossier_does_not_make_the_next_unchanged_build_render_the_batch(
        built, tmp_path, monkeypatch, capsys):
    """It used to: an edited file never matched its record, so a thousand dossiers were
    rendered again on every build, only to leave them all as they were."""
    root = fresh_copy(built.parent.parent, tmp_path)
    edited = dossier_path(root / "outputs" / BATCH, 1)
    edited.write_bytes(edited.read_bytes() + b"hand edit")

    def must_not_render(*args, **kwargs):
        raise AssertionError("nothing changed, yet the batch was rendered")

    monkeypatch.setattr(jobs_module, "compose_jobs", must_not_render)
    assert main(["build", BATCH, "--project", str(root)]) == 0
    out = capsys.readouterr().out
    assert f"输入未变，已跳过（未重新生成）：outputs/{BATCH}/（34 个文件）" in out
    assert f"注意：outputs/{BATCH}/{edited.name} 在生成后被手工修改过" in out
    assert edited.read_bytes().endswith(b"hand edit")


def test_a_hand_edited_dossier_is_kept_and_the_rest_rebuilt(tmp_path, capsys):
    root = copy_project(tmp_path)
    assert main(["build", BATCH, "--project", str(root)]) == 0
    folder = root / "outputs" / BATCH
    edited = dossier_path(folder, 1)
    edited.write_bytes(edited.read_bytes() + b"hand edit")  # what Word's save would change
    rows = sheet_rows(root)
    rows[0]["主要事迹"] += "另补充一句。"                     # GR01's dossier is to change
    write_sheet(root, rows)

    assert main(["build", BATCH, "--project", str(root)]) == 0

    out = capsys.readouterr().out
    assert f"注意：outputs/{BATCH}/{edited.name} 在生成后被手工修改过" in out
    assert edited.read_bytes().endswith(b"hand edit")
    assert "另补充一句。" in "".join(paragraphs(folder / "事迹材料合订本.docx"))


def test_the_dossier_of_a_nominee_taken_off_the_sheet_is_set_aside(tmp_path, capsys):
    root = copy_project(tmp_path)
    assert main(["build", BATCH, "--project", str(root)]) == 0
    folder = root / "outputs" / BATCH
    rows = sheet_rows(root)
    gone = next(path for path in folder.glob("*.docx") if path.stem.endswith(f"-{rows[-1]['名称']}"))
    written = gone.read_bytes()
    write_sheet(root, rows[:-1])

    assert main(["build", BATCH, "--project", str(root)]) == 0

    assert not gone.exists()
    (kept,) = (root / "outputs" / ".history" / BATCH).glob(f"{gone.stem}.*.docx")
    assert kept.read_bytes() == written                    # set aside whole, not rewritten
    assert "已不在推荐对象表中" in capsys.readouterr().out
    recorded = json.loads((root / ".wenmi" / "manifest.json").read_text(encoding="utf-8"))
    assert f"{BATCH}/{gone.name}" not in recorded["outputs"]
    assert len([key for key in recorded["outputs"] if key.startswith(f"{BATCH}/")]) == 34


# ---------------------------------------------------------------- validation

def sheet_problems(root: Path, rows: list[dict]) -> str:
    """The error reading the nominees must give once `rows` replace the 推荐对象 sheet."""
    write_sheet(root, rows)
    with pytest.raises(WenmiError) as raised:
        inspection = inspect_or_stop(root)
        project = inspection.project
        read_nominees(project, project.batches[BATCH], inspection.ledgers, inspection.figures)
    return str(raised.value)


def test_sheet_problems_are_listed_together_with_their_rows(tmp_path):
    root = copy_project(tmp_path)
    rows = sheet_rows(root)
    rows[1]["名称"] = ""                         # sheet row 3
    rows[4]["类别"] = "优秀志愿者"                # row 6
    rows[7]["编号"] = rows[2]["编号"]             # row 9 repeats row 4's 编号
    message = sheet_problems(root, rows)
    assert "第3行“名称”列" in message and "缺少必填项“名称”" in message
    assert "第6行“类别”列" in message and "未知的类别“优秀志愿者”" in message
    assert "第9行“编号”列" in message and f"编号“{rows[2]['编号']}”重复（第一次在第4行）" in message


def test_a_nominee_without_ledger_rows_is_named_unless_the_metric_allows_zero(tmp_path):
    root = copy_project(tmp_path)
    rows = sheet_rows(root)
    rows[0]["所属工会"] = "县文旅系统工会"       # in no ledger
    message = sheet_problems(root, rows)
    assert f"推荐对象“{rows[0]['编号']} {rows[0]['名称']}”" in message
    assert "无法计算“本单位慰问户数”" in message
    assert "本单位助学人数" not in message                     # missing: zero


# ---------------------------------------------------------------- file names

@pytest.mark.parametrize("text, expected", [
    ("01-县教育工会/办公室-张伟", "01-县教育工会_办公室-张伟"),
    ("..\\..\\etc", "_.._etc"),
    ("a:b*c?d\"e<f>g|h", "a_b_c_d_e_f_g_h"),
    ("CON", "CON_"),
    ("nul.txt", "nul.txt_"),
    ("COM1", "COM1_"),
    ("  报告. . ", "报告"),
    ("..", "未命名"),
    ("", "未命名"),
    ("行\n内\t换", "行_内_换"),
])
def test_unsafe_names_are_made_safe(text, expected):
    assert safe_file_name(text) == expected


def test_long_names_are_cut_by_characters_and_bytes():
    assert safe_file_name("劳" * 200) == "劳" * MAX_STEM
    assert len(safe_file_name("劳" * 200).encode("utf-8")) <= MAX_STEM_BYTES
    assert safe_file_name("a" * 200) == "a" * MAX_STEM


def test_repeated_names_get_a_numbered_suffix_in_order():
    assert unique_names(["张伟", "王芳", "张伟", "张伟"]) == ["张伟", "王芳", "张伟（2）", "张伟（3）"]
    assert unique_names(["Li Na", "li na"]) == ["Li Na", "li na（2）"]      # Windows, macOS
    assert unique_names(["推荐名单汇总表"], taken=["推荐名单汇总表"]) == ["推荐名单汇总表（2）"]


@given(st.text(max_size=300))
def test_any_name_stays_inside_its_folder(text):
    folder = Path("/outputs/批量")
    name = safe_file_name(text)
    assert (folder / f"{name}.docx").parent == folder
    assert name not in (".", "..") and not set(name) & set('<>:"/\\|?*')
    assert 0 < len(name) <= MAX_STEM + 1 and len(name.encode("utf-8")) <= MAX_STEM_BYTES + 1


def test_docx_outputs_are_valid_zip_packages(built):
    """The zip writer (ooxml.pack) is hand-written: every part of every file has a right CRC,
    all files hold the same parts, and python-docx opens each."""
    parts = set(zipfile.ZipFile(built / "推荐名单汇总表.docx").namelist())
    assert {"word/document.xml", "word/styles.xml", "docProps/core.xml", "[Content_Types].xml"} <= parts
    for path in built.glob("*.docx"):
        with zipfile.ZipFile(io.BytesIO(path.read_bytes())) as package:
            assert package.testzip() is None, path.name
            assert set(package.namelist()) == parts, path.name
        assert docx.Document(str(path)).paragraphs, path.name

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
from collections import Counter
from pathlib import Path

import docx
import openpyxl
import pytest
from hypothesis import given, strategies as st

from example_ledgers import INPUTS, records
from example_nominees import NOT_IN_DOSSIERS, UNION, honours, nominees, own_values, shown
from helpers import W, document_xml, paragraph_texts
from wenmi import lane
from wenmi.model import Bundle, Document, Paragraph, Text
from wenmi.writers.docx import write
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

def manifest_record(built: Path, path: Path) -> dict:
    manifest = json.loads((built.parent.parent / ".wenmi" / "manifest.json").read_text("utf-8"))
    return manifest["outputs"][f"{BATCH}/{path.name}"]


def bookmarked_texts(path: Path) -> dict[str, str]:
    """Each bookmark of a DOCX with the text between its start and end, as a reader sees it
    (without the WORD JOINERs that keep a number with its unit)."""
    found = {}
    for start in document_xml(path).iter(f"{W}bookmarkStart"):
        texts, element = [], start.getnext()
        while element is not None and not (element.tag == f"{W}bookmarkEnd"
                                           and element.get(f"{W}id") == start.get(f"{W}id")):
            texts += [t.text or "" for t in element.iter(f"{W}t")]
            element = element.getnext()
        found[start.get(f"{W}name")] = "".join(texts).replace("\u2060", "")
    return found


def test_every_dossier_cites_exactly_its_own_figures_and_they_are_in_its_docx(built):
    """Each nominee's figures computed from the ledgers by hand (tests/example_nominees.py):
    the dossier cites every one of them that is not zero and nothing else — no union total
    for a person or a team, no county total — and each is the text of its bookmark."""
    for serial, nominee in enumerate(nominees(), start=1):
        path = dossier_path(built, serial)
        assert path.stem.endswith(f"-{nominee['单位']}-{nominee['名称']}")
        values = own_values(nominee)
        expected = {metric: shown(metric, value) for metric, value in values.items()
                    if value and metric not in NOT_IN_DOSSIERS}
        record = manifest_record(built, path)
        cited = {citation["figure"]: citation["text"] for citation in record["citations"]}
        assert cited == expected, nominee["编号"]
        in_docx = bookmarked_texts(path)
        assert all(in_docx[c["bookmark"]] == c["text"] for c in record["citations"])


def test_a_union_total_belongs_to_the_union_and_says_whose_it_is(built):
    """Union totals are cited only by nominees that are the union itself, and the sentence
    citing one names the union; a person or team in that union cites none of them."""
    unions = {nominee["名称"] for nominee in nominees() if own_values(nominee).keys() & UNION.keys()}
    assert unions and all(name.endswith(("工会", "联合会")) for name in unions)
    for serial, nominee in enumerate(nominees(), start=1):
        record = manifest_record(built, dossier_path(built, serial))
        for citation in record["citations"]:
            if citation["figure"] in UNION:
                assert nominee["名称"] in unions
                assert nominee["名称"] in record["paragraphs"][citation["paragraph"] - 1]
        if nominee["名称"] not in unions:
            assert not any(c["figure"] in UNION for c in record["citations"])


def test_honours_are_listed_from_the_records(built):
    for serial, nominee in enumerate(nominees(), start=1):
        text = "\n".join(paragraphs(dossier_path(built, serial)))
        for honour in honours(nominee):
            assert f"{honour['年度']}年，{honour['荣誉称号']}（{honour['授予单位']}授予）" in text
        assert ("先后获得的荣誉：" in text) == bool(honours(nominee))


def test_a_dossier_reads_like_one_person_wrote_it(built):
    """1,500 to 3,000 characters: a bio, three to five run-in sections chosen from the
    nominee's data and story, a closing paragraph after the honours."""
    for serial, nominee in enumerate(nominees(), start=1):
        document = docx.Document(str(dossier_path(built, serial)))
        text = "".join(p.text for p in document.paragraphs)
        assert 1500 <= len(re.sub(r"\s", "", text)) <= 3000, nominee["编号"]
        sections = [p.text for p in document.paragraphs if p.style.name == "三级标题"]
        assert 3 <= len(sections) <= 5, nominee["编号"]
        assert [section.split(".", 1)[0] for section in sections] == \
            [str(n) for n in range(1, len(sections) + 1)]
        bio = document.paragraphs[3].text
        assert bio.startswith(f"{nominee['名称']}，") or bio.startswith(nominee["名称"])


SENTENCE = re.compile(r"[^。！？；]+[。！？；]?[”’]*")
NOT_BODY = {"公文标题", "公文副标题", "一级标题", "二级标题", "署名", "成文日期"}


def body_sentences(path: Path) -> set[str]:
    """The body sentences of a dossier: paragraphs other than the title block, headings
    (a run-in heading's lead is its text up to the first 。) and the signature."""
    sentences = set()
    for paragraph in docx.Document(str(path)).paragraphs:
        text = paragraph.text
        if paragraph.style.name in NOT_BODY:
            continue
        if paragraph.style.name == "三级标题":
            text = text.partition("。")[2]
        sentences |= {sentence.strip() for sentence in SENTENCE.findall(text) if sentence.strip()}
    return sentences


def test_no_body_sentence_is_in_more_than_a_fifth_of_the_dossiers(built):
    dossiers = [dossier_path(built, serial) for serial in range(1, len(nominees()) + 1)]
    counts = Counter(sentence for path in dossiers for sentence in body_sentences(path))
    repeated = {sentence: n for sentence, n in counts.items() if n > len(dossiers) / 5}
    assert not repeated
    assert sum(counts.values()) > 30 * len(dossiers)          # the test reads real text


def test_unit_and_post_are_joined_without_a_doubled_word(built):
    texts = {nominee["编号"]: "".join(paragraphs(dossier_path(built, serial)))
             for serial, nominee in enumerate(nominees(), start=1)}
    assert "现任县交通运输工会副主席" in texts["YX02"]           # 县交通运输工会 + 工会副主席
    assert "现任柳溪镇总工会主席" in texts["YX01"]
    assert "现任石桥乡卫生院院长" in texts["GR10"]              # one shared 院 is two words
    assert not any(re.search(r"(工会|院|站)\1", text) for key, text in texts.items()
                   if key not in ("GR10", "GR12", "LM04"))


def test_a_story_is_placed_part_by_part_with_its_own_headings(tmp_path):
    """The story's parts go to the template's sections by name; a part with no data is
    still printed (the story is data too); a section with data and no part gets the
    template's heading; the opening joins the bio; placeholders are the nominee's own."""
    root = copy_project(tmp_path)
    (root / "inputs/先进/事迹/GR09.md").write_text(
        "她说话不多。\n\n# 岗位：扁担上的门市\n送货下乡，风雨无阻，给新同事讲课，听课的有{{ 本人授课人次 }}。\n\n"
        "# 帮扶\n她还常去看望孤寡老人。\n", encoding="utf-8")
    assert main(["build", BATCH, "--project", str(root), "--only", "GR09"]) == 0
    (path,) = (root / "outputs" / BATCH).glob("09-*.docx")
    document = docx.Document(str(path))
    texts = [p.text for p in document.paragraphs]
    sections = [p.text for p in document.paragraphs if p.style.name == "三级标题"]
    assert texts[3].endswith("参加工作，现任县供销社农资门市营业员。她说话不多。")
    assert sections[0].startswith("1.扁担上的门市。送货下乡，风雨无阻，给新同事讲课，听课的有24人次。")
    assert any(section.endswith("把困难职工放在心上。她还常去看望孤寡老人。") for section in sections)
    assert any(section.startswith(f"{n}.勇于创新，攻坚克难。") for n, section in enumerate(sections, 1))


@pytest.mark.parametrize("story, message, line", [
    ("# 岗位：甲\n文字。\n\n# 创薪：乙\n文字。\n", "事迹中的“创薪”部分在模板", 4),
    ("# 岗位：甲\n文字。\n\n# 岗位：乙\n文字。\n", "事迹中的“岗位”部分出现了两次", 4),
    ("陈晓燕在社区还协助走访了{{ 本会慰问户数 }}。\n", "“本会慰问户数”不适用于这个推荐对象", 1),
])
def test_a_story_part_that_would_be_lost_or_a_union_total_in_a_persons_story_is_refused(
        tmp_path, capsys, story, message, line):
    root = copy_project(tmp_path)
    (root / "inputs/先进/事迹/GR01.md").write_text(story, encoding="utf-8")
    assert main(["build", BATCH, "--project", str(root)]) == 2
    error = capsys.readouterr().err
    assert f"inputs/先进/事迹/GR01.md：第{line}行" in error and message in error
    assert not (root / "outputs" / BATCH).exists()


# ---------------------------------------------------------------- roster and merged file

def test_roster_and_dossiers_agree(built):
    """The roster's figures are the ones each dossier cites (or, for the honours, lists);
    a figure that does not apply to a nominee is a blank cell."""
    workbook = openpyxl.load_workbook(built / "推荐名单汇总表.xlsx")
    sheet = workbook.active
    header = [cell.value for cell in sheet[2]]
    assert header[:4] == ["序号", "类别", "姓名/集体名称", "单位及职务"]
    table = docx.Document(str(built / "推荐名单汇总表.docx")).tables[0]
    docx_rows = [[cell.text for cell in row.cells] for row in table.rows[1:]]
    xlsx_rows = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=3)]
    assert len(docx_rows) == len(xlsx_rows) == len(nominees())
    for serial, (nominee, shown_row, stored) in enumerate(zip(nominees(), docx_rows, xlsx_rows), start=1):
        values = own_values(nominee)
        assert shown_row[:3] == [str(serial), nominee["类别"], nominee["名称"]] and stored[0] == serial
        assert shown_row[4] == f"{len(honours(nominee))}项" and stored[4] == len(honours(nominee))
        cited = {c["figure"]: c["text"] for c in manifest_record(built, dossier_path(built, serial))["citations"]}
        for column, metric in ((5, "本人创新创效金额"), (6, "本会慰问金额")):
            assert shown_row[column] == (shown(metric, values[metric]) if metric in values else "")
            assert stored[column] == values.get(metric)
            if metric in cited:
                assert cited[metric] == shown_row[column]


def test_roster_is_landscape_with_a_repeated_header_row(built):
    document = docx.Document(str(built / "推荐名单汇总表.docx"))
    section = document.sections[0]
    assert section.page_width > section.page_height
    first_row = document.tables[0].rows[0]._tr
    assert first_row.find(f"{W}trPr/{W}tblHeader") is not None


def test_merged_file_has_a_cover_a_contents_and_each_dossier_on_a_new_page(built):
    """Cover and 目录 make an unnumbered section; the dossiers follow, each on a new page,
    in one section whose pages count from 1; each 目录 entry is a dossier's title and a
    PAGEREF field to a bookmark around that title."""
    document = docx.Document(str(built / "事迹材料合订本.docx"))
    texts = [p.text for p in document.paragraphs]
    assert texts[:4] == [BATCH, "（合订本）", "青禾县总工会", "2024年12月25日"]
    assert texts[4] == "目　录"
    entries = [p for p in document.paragraphs if p.style.name == "目录"]
    titles = [p for p in document.paragraphs if p.style.name == "公文标题"]
    assert len(entries) == len(titles) == len(sheet_rows(REPO))
    assert not titles[0].paragraph_format.page_break_before
    assert all(title.paragraph_format.page_break_before for title in titles[1:])
    front, dossiers = document.sections
    assert not front._sectPr.findall(f"{W}footerReference")          # no page numbers
    assert dossiers._sectPr.find(f"{W}pgNumType").get(f"{W}start") == "1"
    footer = dossiers.footer._element
    assert any(text.text.strip() == "PAGE" for text in footer.iter(f"{W}instrText"))
    for entry, title in zip(entries, titles):
        (mark,) = title._p.findall(f"{W}bookmarkStart")
        (instruction,) = entry._p.iter(f"{W}instrText")
        assert instruction.text.split() == ["PAGEREF", mark.get(f"{W}name"), "\\h"]
        assert entry.text.startswith(title.text + "\t") and entry.text.split("\t")[1].isdigit()
    first = paragraphs(dossier_path(built, 1))
    merged = texts[texts.index(first[0]):]
    assert merged[:len(first)] == first
    settings = zipfile.ZipFile(built / "事迹材料合订本.docx").read("word/settings.xml").decode()
    assert '<w:updateFields w:val="true"/>' in settings                 # Word, WPS: recount pages
    # the build record numbers the paragraphs as the file does (wenmi diff cites them)
    recorded = manifest_record(built, built / "事迹材料合订本.docx")["paragraphs"]
    body = [p for p in texts if p]
    assert len(recorded) == len(body) and all(text.startswith(line) for line, text in zip(recorded, body))


def test_a_bundle_without_a_title_has_no_front():
    document = Document(title="甲", blocks=(Paragraph((Text("正文。"),)),), issuer="某单位", date="2024年1月1日")
    written = docx.Document(io.BytesIO(write(Bundle((document, document)))))
    assert [p.text for p in written.paragraphs][0] == "甲" and len(written.sections) == 1
    assert Bundle((document,)).front() == []


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
    """A reworded line in the 先进个人 template changes every such dossier that has it: each
    gets its （修订稿）, made on every core, marking that line and nothing else."""
    made_by = tmp_path / "made-by.txt"
    marked = staging_module.companion

    def noted(*args):
        with open(made_by, "a", encoding="utf-8") as stream:
            stream.write(f"{os.getpid()}\n")
        return marked(*args)
    monkeypatch.setattr(staging_module, "companion", noted)
    root = copy_project(tmp_path / "项目")
    assert main(["build", BATCH, "--project", str(root)]) == 0
    edit(root / "templates/先进个人.md.j2", "同志先后获得的荣誉：", "同志获得的主要荣誉：")
    assert main(["build", BATCH, "--project", str(root), "--redline"]) == 0
    folder = root / "outputs" / BATCH
    reworded = [path for path in folder.glob("[0-9]*.docx") if "修订稿" not in path.name
                and "获得的主要荣誉" in "".join(paragraph_texts(document_xml(path)))]
    people_redlines = sorted(folder.glob("[0-9]*（修订稿）.docx"))
    assert len(reworded) > 10 and len(set(made_by.read_text().split())) > 1
    assert [path.name for path in people_redlines] == sorted(f"{path.stem}（修订稿）.docx" for path in reworded)
    for path in people_redlines:
        root_xml = document_xml(path)
        deleted = ["".join(t.text for t in d.iter(f"{W}delText")) for d in root_xml.iter(f"{W}del")]
        inserted = ["".join(t.text for t in i.iter(f"{W}t")) for i in root_xml.iter(f"{W}ins")]
        assert len(deleted) == len(inserted) == 1, path.name
        assert deleted[0].endswith("先后获得的荣誉：") and inserted[0].endswith("获得的主要荣誉：")


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
    assert f"templates/先进集体.md.j2\n  错误：第{len(lines)}行：未定义的占位符“未声明的数字”" in error
    assert not (root / "outputs").exists()


def test_figures_of_a_batch_report_are_those_its_templates_cite(capsys):
    assert main(["figures", BATCH, "--json", "--project", str(REPO)]) == 0
    names = {row["名称"] for row in json.loads(capsys.readouterr().out)}
    cited = set()
    for name in ("先进个人", "先进集体"):
        text = (REPO / f"templates/{name}.md.j2").read_text("utf-8")
        cited |= {word for tag in re.findall(r"{[{%](.*?)[}%]}", text) for word in re.findall(r"\w+", tag)}
    assert names and names <= cited and "本人技术革新项数" in names


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
    rows[0]["职称"] = "副主任护师"                            # GR01's dossier is to change
    write_sheet(root, rows)

    assert main(["build", BATCH, "--project", str(root)]) == 0

    out = capsys.readouterr().out
    assert f"注意：outputs/{BATCH}/{edited.name} 在生成后被手工修改过" in out
    assert edited.read_bytes().endswith(b"hand edit")
    assert "副主任护师" in "".join(paragraphs(folder / "事迹材料合订本.docx"))


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


def test_a_nominee_without_ledger_rows_is_named_unless_the_metric_says_what_it_gets(tmp_path):
    """`missing` not written: a nominee without rows is an error naming it; zero and blank
    (the figure does not apply) are what the example declares."""
    root = copy_project(tmp_path)
    rejoin(root, "本人技术革新项数", "{column: 对象编号, nominee: 编号}")
    rows = sheet_rows(root)
    message = sheet_problems(root, rows)
    assert f"推荐对象“{rows[0]['编号']} {rows[0]['名称']}”" in message     # GR01 has no 技术革新
    assert "无法计算“本人技术革新项数”" in message and "missing: blank" in message
    assert "本人合理化建议条数" not in message                   # missing: blank


def test_a_figure_that_does_not_apply_is_none_and_a_blank_join_field_joins_nothing(tmp_path):
    root = copy_project(tmp_path)
    inspection = inspect_or_stop(root)
    project = inspection.project
    nominees_read = {n.key: n for n in read_nominees(project, project.batches[BATCH],
                                                     inspection.ledgers, inspection.figures)}
    assert nominees_read["GR01"].figures["本会慰问户数"] is None            # a person, not a union
    assert nominees_read["JT01"].figures["本会慰问户数"].value > 0
    assert nominees_read["GR01"].figures["本人技术革新项数"] is None         # no such rows of hers
    assert nominees_read["GR06"].figures["荣誉项数"].value == 0             # missing: zero
    assert [row["荣誉称号"] for row in nominees_read["GR02"].records["荣誉"]] == \
        [row["荣誉称号"] for row in honours({"编号": "GR02"})]


def rejoin(root: Path, metric: str, join: str) -> None:
    """The example metric's per_nominee join replaced by `join`."""
    spec = root / "inputs/先进.yaml"
    text = spec.read_text(encoding="utf-8")
    declared = re.search(rf"\n  {metric}:\n(    .*\n)*?    per_nominee: (.*)\n", text)
    spec.write_text(text[:declared.start(2)] + join + text[declared.end(2):], encoding="utf-8")


def test_a_blank_join_field_joins_no_row_not_the_rows_with_a_blank_cell(tmp_path):
    """A legal-aid case booked without a 基层工会 belongs to no nominee, not to every nominee
    whose join field is blank: that nominee gets what `missing` says."""
    root = copy_project(tmp_path)
    cases = root / "inputs/台账/2024/法律援助案件.csv"
    cases.write_bytes(cases.read_bytes() + "QHFY2024-099,2024-06-01,,某某,农民工,劳动报酬,1,在办,,,\n".encode("gb18030"))
    rejoin(root, "本会援助案件数", "{column: 基层工会, nominee: 职称, missing: blank}")
    rejoin(root, "本会办结案件数", "{column: 基层工会, nominee: 职称, missing: zero}")
    inspection = inspect_or_stop(root)
    project = inspection.project
    read = {n.key: n for n in read_nominees(project, project.batches[BATCH], inspection.ledgers,
                                            inspection.figures)}
    assert read["GR03"].fields["职称"] == ""
    assert read["GR03"].figures["本会援助案件数"] is None
    assert read["GR03"].figures["本会办结案件数"].value == 0


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

"""`wenmi refresh`: new figures into a DOCX edited by hand, nothing else touched."""

import shutil
import subprocess
import zipfile

import pytest
from lxml import etree

from example_ledgers import change, money, records, total
from helpers import W, document_xml, needs_libreoffice, paragraph_texts
from wenmi.build import build
from wenmi.cli import main
from wenmi.figures import figure_bookmark_name
from wenmi.keeping import refresh as refresh_module
from project_copies import BATCH, SUMMARY, copy_project, move_second_row, raise_first_amount

RAISE = 100                     # keeps the largest single amount (the 范围) as it was
AMOUNT, AMOUNT_2023 = total(records("送温暖.csv"), "慰问金额"), total(records("送温暖.csv", "2023"), "慰问金额")
OLD, NEW = money(AMOUNT), money(AMOUNT + RAISE)


def save(path, root):
    with zipfile.ZipFile(path) as package:
        parts = {entry: package.read(entry) for entry in package.namelist()}
    parts["word/document.xml"] = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    with zipfile.ZipFile(path, "w") as package:
        for name, data in parts.items():
            package.writestr(name, data)


def bookmark(root, name):
    start = next(b for b in root.iter(f"{W}bookmarkStart") if b.get(f"{W}name") == name)
    run = start.getnext()
    return start, run, run.getnext()


def words_around_figures(root):
    """Each paragraph's text with every bookmarked figure left out."""
    found = []
    for paragraph in root.iter(f"{W}p"):
        inside, words = False, []
        for element in paragraph:
            if element.tag == f"{W}bookmarkStart":
                inside = True
            elif element.tag == f"{W}bookmarkEnd":
                inside = False
            elif not inside:
                words += [t.text or "" for t in element.iter(f"{W}t")]
        found.append("".join(words))
    return found


@pytest.fixture
def project(tmp_path):
    root = copy_project(tmp_path / "project")
    build(root)
    return root


def hand_edit(path):
    """What an office does to a draft: rewords a paragraph, deletes a sentence with a figure
    in it, moves a figure into another paragraph, retypes a figure in words."""
    root = document_xml(path)
    lead = next(p for p in root.iter(f"{W}p") if "现将有关情况总结如下" in "".join(p.itertext()))
    for t in lead.iter(f"{W}t"):
        t.text = t.text.replace("现将有关情况总结如下", "现将一年来的工作简要总结如下")
    average = bookmark(root, figure_bookmark_name("户均慰问金额", 1))
    average[1].find(f"{W}t").text = ""                       # “户均1281元。” deleted …
    before = average[0].getprevious().find(f"{W}t")
    before.text = before.text.replace("户均", "")            # … with the words around it
    moved = bookmark(root, figure_bookmark_name("送温暖慰问金额", 1))
    target = next(p for p in root.iter(f"{W}p") if "工会组织的代表性和覆盖面明显提升" in "".join(p.itertext()))
    for element in moved:
        target.append(element)                                # the figure now ends another paragraph
    households = bookmark(root, figure_bookmark_name("送温暖慰问户数", 1))
    households[1].find(f"{W}t").text = "一百二十八户"
    save(path, root)


def test_refresh_updates_only_the_marked_figures(project, tmp_path, capsys):
    draft = tmp_path / "定稿.docx"
    shutil.copy(project / "outputs" / f"{SUMMARY}.docx", draft)
    hand_edit(draft)
    edited = draft.read_bytes()
    raise_first_amount(project, by=RAISE)
    build(project)

    assert main(["refresh", "--project", str(project), str(draft)]) == 0

    out = capsys.readouterr().out
    before, after = paragraph_texts(document_xml(edited)), paragraph_texts(document_xml(draft))
    assert len(before) == len(after)
    assert words_around_figures(document_xml(edited)) == words_around_figures(document_xml(draft))
    assert any(change(AMOUNT + RAISE, AMOUNT_2023) in text for text in after)
    assert sum(OLD in text for text in after) == 0 and sum(NEW in text for text in after) >= 3
    moved_into = next(t for t in after if "工会组织的代表性和覆盖面明显提升" in t)
    assert moved_into.endswith(NEW)                  # the moved figure was found and updated
    assert any("现将一年来的工作简要总结如下" in t for t in after)
    assert f"已更新 送温暖慰问金额：{OLD} → {NEW}" in out
    assert "未找到 户均慰问金额" in out and "已被删除" in out       # reported, not put back
    assert "一百二十八户" in out and "手工改写" in out
    assert any("一百二十八户" in t for t in after)
    (backup,) = (project / "outputs" / ".history").glob("定稿.备份-*.docx")   # not beside the file
    assert backup.read_bytes() == edited and not list(tmp_path.glob("*备份*"))


def test_refresh_of_a_file_open_in_word_on_windows_leaves_it_and_its_folder_as_they_were(
        project, tmp_path, capsys, monkeypatch):
    draft = tmp_path / "定稿" / "定稿.docx"
    draft.parent.mkdir()
    shutil.copy(project / "outputs" / f"{SUMMARY}.docx", draft)
    raise_first_amount(project, by=RAISE)
    build(project)

    def word_has_it_open(source, target):
        raise PermissionError(13, "另一个程序正在使用此文件，进程无法访问。", str(target))

    monkeypatch.setattr(refresh_module.os, "replace", word_has_it_open)
    before = draft.read_bytes()
    assert main(["refresh", "--project", str(project), str(draft)]) == 2
    error = capsys.readouterr().err
    assert "可能正在 Word 或 WPS 中打开" in error and "Traceback" not in error
    assert [path.name for path in draft.parent.iterdir()] == ["定稿.docx"]   # no backup, no temporary
    assert draft.read_bytes() == before


def test_refresh_with_nothing_new_changes_nothing(project, capsys):
    path = project / "outputs" / f"{SUMMARY}.docx"
    data = path.read_bytes()
    assert main(["refresh", "--project", str(project), str(path)]) == 0
    assert "没有需要更新的数字" in capsys.readouterr().out
    assert path.read_bytes() == data and not list(path.parent.glob("*备份*"))


def test_refresh_of_a_file_wenmi_did_not_write_is_a_user_error(project, tmp_path, capsys):
    import docx
    other = tmp_path / "别的文件.docx"
    docx.Document().save(str(other))
    assert main(["refresh", "--project", str(project), str(other)]) == 2
    assert "没有文秘生成的数字标记" in capsys.readouterr().err


@pytest.mark.parametrize("content", [b"not a docx", "broken document.xml"])
def test_refresh_of_a_damaged_file_is_a_user_error(project, tmp_path, capsys, content):
    path = tmp_path / "定稿.docx"
    if isinstance(content, str):                     # a zip whose document part is cut short
        with zipfile.ZipFile(path, "w") as package:
            package.writestr("word/document.xml", "<w:document><w:body>")
    else:
        path.write_bytes(content)
    assert main(["refresh", "--project", str(project), str(path)]) == 2
    error = capsys.readouterr().err
    assert "无法读取这份 DOCX" in error and "定稿.docx" in error and "Traceback" not in error


@needs_libreoffice
def test_figures_survive_a_libreoffice_round_trip(project, tmp_path):
    saved = tmp_path / "libreoffice"
    subprocess.run(["soffice", "--headless", "--convert-to", "docx:MS Word 2007 XML", "--outdir", str(saved),
                    str(project / "outputs" / f"{SUMMARY}.docx")], check=True, capture_output=True, timeout=180)
    (draft,) = saved.glob("*.docx")
    raise_first_amount(project, by=RAISE)
    build(project)

    assert main(["refresh", "--project", str(project), str(draft)]) == 0

    after = paragraph_texts(document_xml(draft))
    assert sum(OLD in text for text in after) == 0 and sum(NEW in text for text in after) >= 3


def test_a_protected_output_gets_the_new_figures_in_place(project, capsys):
    path = project / "outputs" / f"{SUMMARY}.docx"
    hand_edit(path)
    raise_first_amount(project, by=RAISE)
    assert main(["build", "--project", str(project)]) == 0
    assert f"wenmi refresh outputs/{SUMMARY}.docx" in capsys.readouterr().out

    assert main(["refresh", "--project", str(project), str(path)]) == 0

    assert f"已更新 送温暖慰问金额：{OLD} → {NEW}" in capsys.readouterr().out
    refreshed = path.read_bytes()
    after = paragraph_texts(document_xml(refreshed))
    assert any("现将一年来的工作简要总结如下" in t for t in after) and sum(NEW in t for t in after) >= 3
    assert not list(path.parent.glob("*备份*"))                      # the backup is in .history/
    assert main(["build", "--project", str(project)]) == 0          # accepted: no more warnings
    out = capsys.readouterr().out
    assert "手工修改过" not in out and "wenmi refresh" not in out
    assert path.read_bytes() == refreshed                             # still the office's file

    raise_first_amount(project, by=RAISE)                             # new figures again
    assert main(["build", "--project", str(project), "--redline"]) == 0
    (advice,) = [line for line in capsys.readouterr().out.splitlines() if "手工修改过" in line]
    assert f"wenmi refresh outputs/{SUMMARY}.docx" in advice and "修订稿" in advice
    assert path.read_bytes() == refreshed


def test_a_renamed_dossier_is_matched_to_its_own_nominee(project, tmp_path, capsys):
    """The dossiers of a batch share their bookmark names and two nominees are both called
    王芳: the copy is matched by its title and paragraphs, not taken for the merged file."""
    folder = project / "outputs" / BATCH
    (mine,) = folder.glob("03-*-王芳.docx")
    assert len(list(folder.glob("*-王芳.docx"))) == 2
    copy = tmp_path / "王芳事迹（定稿）.docx"
    shutil.copy(mine, copy)
    move_second_row(project, to="双河镇总工会")       # row 2 leaves 王芳's union
    build(project)

    assert main(["refresh", "--project", str(project), str(copy)]) == 0

    out = capsys.readouterr().out
    assert f"对应生成记录中的 {BATCH}/{mine.name}" in out
    assert "已更新 所属工会送温暖慰问户数" in out

"""The example and the genres that ship with the program: `wenmi init` copies them, and a
project's templates/ holds only the genres it changes — one it leaves out is the built-in one."""

import shutil

import pytest

from wenmi import bundled
from wenmi.cli import main
from project_copies import BATCH, EXCHANGE, SUMMARY, copy_project, edit, snapshot
from helpers import document_xml, paragraph_texts

SUMMARY_TEMPLATE = "工作总结.md.j2"


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The example built with all its own templates: what the built-in genres must give too."""
    root = copy_project(tmp_path_factory.mktemp("own"))
    assert main(["build", "--project", str(root)]) == 0
    return snapshot(root / "outputs")


def test_the_built_in_genres_are_the_examples_templates():
    assert set(bundled.genres()) == {"先进个人", "先进集体", "工作总结", "经验交流材料", "工作要点", "专项工作汇报",
                                     "调研报告", "工作简报"}
    assert snapshot(bundled.TEMPLATES) == snapshot(bundled.EXAMPLE / "templates")
    assert {path.name for path in (bundled.EXAMPLE / "inputs").glob("*.yaml")} >= {"报告.yaml", "指标.yaml"}


def test_a_project_without_templates_builds_with_the_built_in_genres(built, tmp_path, capsys):
    root = copy_project(tmp_path)
    shutil.rmtree(root / "templates")
    assert main(["build", "--project", str(root)]) == 0
    assert snapshot(root / "outputs") == built
    assert main(["list", "--project", str(root)]) == 0
    listed = capsys.readouterr().out
    assert "体裁：工作总结（内置模板/工作总结.md.j2）" in listed
    assert "先进个人（内置模板/先进个人.md.j2）" in listed


def test_a_projects_own_template_overrides_the_built_in_one_of_its_name(built, tmp_path, capsys):
    root = copy_project(tmp_path)
    (root / "templates" / "经验交流材料.md.j2").unlink()              # this one is built in
    edit(root / "templates" / SUMMARY_TEMPLATE, "{{ 正文 }}", "本单位自拟的开头段落。\n\n{{ 正文 }}")
    assert main(["build", "--project", str(root)]) == 0
    summary = paragraph_texts(document_xml(root / "outputs" / f"{SUMMARY}.docx"))
    assert "本单位自拟的开头段落。" in summary
    own = snapshot(root / "outputs")
    assert own[f"{EXCHANGE}.docx"] == built[f"{EXCHANGE}.docx"]
    assert own[f"{SUMMARY}.docx"] != built[f"{SUMMARY}.docx"]
    assert main(["list", "--project", str(root)]) == 0
    listed = capsys.readouterr().out
    assert "体裁：工作总结（templates/工作总结.md.j2）" in listed
    assert "体裁：经验交流材料（内置模板/经验交流材料.md.j2）" in listed


def test_a_changed_built_in_genre_is_a_changed_input(tmp_path, monkeypatch, capsys):
    """A new version of a built-in genre (an upgrade of the program) renders the reports that
    fall back on it again; a project's own copy keeps its reports as they were."""
    root = copy_project(tmp_path / "项目")
    (root / "templates" / SUMMARY_TEMPLATE).unlink()
    assert main(["build", "--project", str(root)]) == 0
    before = snapshot(root / "outputs")
    upgraded = tmp_path / "升级后的内置模板"
    shutil.copytree(bundled.TEMPLATES, upgraded)
    for name in (SUMMARY_TEMPLATE, "经验交流材料.md.j2"):
        edit(upgraded / name, "{{ 正文 }}", "新版内置模板的一句话。\n\n{{ 正文 }}")
    monkeypatch.setattr(bundled, "TEMPLATES", upgraded)
    capsys.readouterr()
    assert main(["build", "--project", str(root)]) == 0
    printed = capsys.readouterr().out
    assert f"已生成 outputs/{SUMMARY}.docx" in printed
    after = snapshot(root / "outputs")
    assert "新版内置模板的一句话。" in paragraph_texts(document_xml(root / "outputs" / f"{SUMMARY}.docx"))
    assert after[f"{EXCHANGE}.docx"] == before[f"{EXCHANGE}.docx"]       # its own template
    assert all(after[name] == data for name, data in before.items() if name.startswith(BATCH))


def test_a_genre_that_is_nowhere_is_refused_with_the_built_in_ones_named(tmp_path, capsys):
    root = copy_project(tmp_path)
    edit(root / "inputs" / "报告.yaml", "genre: 工作总结", "genre: 述职报告")
    assert main(["build", "--project", str(root)]) == 2
    error = capsys.readouterr().err
    assert "找不到模板或正文文件“述职报告.md.j2”" in error and "templates/述职报告.md.j2" in error
    assert "内置体裁有：专项工作汇报、先进个人、先进集体、工作总结、工作简报、工作要点、经验交流材料、调研报告" in error
    assert not (root / "outputs").exists()

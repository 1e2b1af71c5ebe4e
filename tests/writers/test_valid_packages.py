"""Every package the example writes passes an OOXML validator written apart from ours
(openxml-audit): the DOCX files, their （修订稿）, and the roster workbook, whose XML is all
written by hand — so a child out of schema order or a missing part is caught here."""

import pytest
from openxml_audit import OpenXmlValidator

from project_copies import BATCH, add_deed, copy_project, raise_first_amount
from wenmi.cli import main


@pytest.fixture(scope="module")
def outputs(tmp_path_factory):
    """The example built, then corrected (a payment, a nominee's new record) and built
    again with redlines."""
    root = copy_project(tmp_path_factory.mktemp("valid"))
    assert main(["build", "--project", str(root)]) == 0
    raise_first_amount(root, by=100)
    add_deed(root, "GR01", "合理化建议", "急诊分诊叫号屏")
    assert main(["build", "--project", str(root), "--redline"]) == 0
    return root / "outputs"


def test_every_docx_and_xlsx_the_example_writes_is_valid(outputs):
    paths = sorted(outputs.rglob("*.docx")) + sorted(outputs.rglob("*.xlsx"))
    redlines = [path.name for path in paths if "修订稿" in path.name]
    assert len(paths) >= 38 and len(redlines) >= 3 and any(path.suffix == ".xlsx" for path in paths)
    assert any(name.startswith("01-") for name in redlines)               # GR01's dossier
    validator = OpenXmlValidator()
    findings = {path.relative_to(outputs).as_posix(): [f"{error.part_uri} {error.path}：{error.description}"
                                                         for error in validator.validate(path).errors]
                for path in paths}
    assert {name: found for name, found in findings.items() if found} == {}
    assert f"{BATCH}/推荐名单汇总表.xlsx" in findings

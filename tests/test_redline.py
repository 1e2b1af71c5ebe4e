"""`wenmi build --redline`: the （修订稿） companion marks exactly the changed figures."""

import shutil
import subprocess

import pytest

from example_ledgers import change, money, records, total
from helpers import W, document_xml, paragraph_texts
from pipeline.build import build
from pipeline.redline import AUTHOR
from project_copies import EXCHANGE, copy_project, raise_first_amount


@pytest.fixture(scope="module")
def redline(tmp_path_factory):
    root = copy_project(tmp_path_factory.mktemp("redline"))
    build(root)
    raise_first_amount(root, by=1000)
    built = build(root, redline=True)
    return root / "outputs" / f"{EXCHANGE}（修订稿）.docx", built


def changes(path, kind: str) -> list[str]:
    root = document_xml(path)
    text = "delText" if kind == "del" else "t"
    return ["".join(t.text for t in element.iter(f"{W}{text}")) for element in root.iter(f"{W}{kind}")]


def test_redline_deletes_the_old_and_inserts_the_new_text_of_each_changed_figure(redline):
    path, built = redline
    assert path in {o.path for o in built.redlines}
    amounts, amounts_2023 = total(records("送温暖.csv"), "慰问金额"), total(records("送温暖.csv", "2023"), "慰问金额")
    # the 经验交流材料 cites the total and its 同比 once each; nothing else there changed
    assert sorted(changes(path, "del")) == sorted([money(amounts), change(amounts, amounts_2023)])
    assert sorted(changes(path, "ins")) == sorted([money(amounts + 1000), change(amounts + 1000, amounts_2023)])


def test_tracked_changes_carry_the_author_and_build_time(redline):
    path, built = redline
    root = document_xml(path)
    marks = list(root.iter(f"{W}ins")) + list(root.iter(f"{W}del"))
    assert marks and all(m.get(f"{W}author") == AUTHOR for m in marks)
    day = f"{built.build_id[:4]}-{built.build_id[4:6]}-{built.build_id[6:8]}"
    assert all(m.get(f"{W}date").startswith(day) for m in marks)


def test_unchanged_text_is_untouched(redline):
    path, _ = redline
    accepted, plain = document_xml(path), document_xml(path.with_name(f"{EXCHANGE}.docx"))
    for deleted in list(accepted.iter(f"{W}del")):
        deleted.getparent().remove(deleted)
    assert paragraph_texts(accepted) == paragraph_texts(plain)   # accepting every change: the new file


@pytest.mark.skipif(not shutil.which("soffice"),
                    reason="没有安装 LibreOffice（soffice）：运行 scripts/install-libreoffice.sh 后可测")
def test_redline_opens_in_libreoffice(redline, tmp_path):
    path, _ = redline
    subprocess.run(["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(path)],
                   check=True, capture_output=True, timeout=180)
    (pdf,) = tmp_path.glob("*.pdf")
    assert pdf.read_bytes().startswith(b"%PDF") and pdf.stat().st_size > 10_000

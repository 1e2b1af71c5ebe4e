"""`wenmi build --redline`: the （修订稿） companion marks exactly the changed figures."""

import shutil
import subprocess
import zipfile

import pytest
from lxml import etree

from example_ledgers import change, money, records, total
from pipeline.build import build
from pipeline.redline import AUTHOR
from project_copies import EXCHANGE, copy_project, raise_first_amount

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@pytest.fixture(scope="module")
def redline(tmp_path_factory):
    root = copy_project(tmp_path_factory.mktemp("redline"))
    build(root)
    raise_first_amount(root, by=1000)
    built = build(root, redline=True)
    return root / "outputs" / f"{EXCHANGE}（修订稿）.docx", built


def changes(path, kind: str) -> list[str]:
    with zipfile.ZipFile(path) as package:
        root = etree.fromstring(package.read("word/document.xml"))
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
    with zipfile.ZipFile(path) as package:
        root = etree.fromstring(package.read("word/document.xml"))
    marks = list(root.iter(f"{W}ins")) + list(root.iter(f"{W}del"))
    assert marks and all(m.get(f"{W}author") == AUTHOR for m in marks)
    day = f"{built.build_id[:4]}-{built.build_id[4:6]}-{built.build_id[6:8]}"
    assert all(m.get(f"{W}date").startswith(day) for m in marks)


def test_unchanged_text_is_untouched(redline):
    path, _ = redline
    with zipfile.ZipFile(path) as package, zipfile.ZipFile(path.with_name(f"{EXCHANGE}.docx")) as new:
        accepted = etree.fromstring(package.read("word/document.xml"))
        plain = etree.fromstring(new.read("word/document.xml"))
    for deleted in list(accepted.iter(f"{W}del")):
        deleted.getparent().remove(deleted)
    texts = lambda root: ["".join(t.text or "" for t in p.iter(f"{W}t")) for p in root.iter(f"{W}p")]
    assert texts(accepted) == texts(plain)          # accepting every change gives the new file


@pytest.mark.skipif(not shutil.which("soffice"),
                    reason="没有安装 LibreOffice（soffice）：运行 scripts/install-libreoffice.sh 后可测")
def test_redline_opens_in_libreoffice(redline, tmp_path):
    path, _ = redline
    subprocess.run(["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(path)],
                   check=True, capture_output=True, timeout=180)
    (pdf,) = tmp_path.glob("*.pdf")
    assert pdf.read_bytes().startswith(b"%PDF") and pdf.stat().st_size > 10_000

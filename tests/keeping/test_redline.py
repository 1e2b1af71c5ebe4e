"""`wenmi build --redline`: the （修订稿） companion marks exactly the changed figures."""

import datetime
import shutil
import subprocess

import pytest
from hypothesis import given, settings, strategies as st

from example_ledgers import change, money, number, records, total
from helpers import W, document_xml, make_figure, needs_libreoffice, paragraph_texts
from wenmi.reading.nominees import Nominee
from wenmi.build import build
from wenmi.cli import main
from wenmi.reading.specs import BatchSpec, CategorySpec, RosterColumn
from wenmi.keeping.redline import AUTHOR, companion, paragraph_opcodes
from wenmi.composing.roster import roster_document
from wenmi.writers.docx import write
from project_copies import EXCHANGE, SUMMARY, copy_project, raise_first_amount, snapshot


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
    return ["".join(t.text for t in element.iter(f"{W}{text}")).replace("\u2060", "")   # joiners in numbers
            for element in root.iter(f"{W}{kind}")]


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


@needs_libreoffice
def test_redline_opens_in_libreoffice(redline, tmp_path):
    path, _ = redline
    subprocess.run(["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(path)],
                   check=True, capture_output=True, timeout=180)
    (pdf,) = tmp_path.glob("*.pdf")
    assert pdf.read_bytes().startswith(b"%PDF") and pdf.stat().st_size > 10_000


def test_a_redline_against_a_file_no_longer_a_docx_stops_the_build(tmp_path, capsys):
    """With --force the hand-edited file is replaced; if it was saved over in another format
    there is nothing to compare with: one message, nothing written."""
    root = copy_project(tmp_path)
    build(root)
    edited = root / "outputs" / f"{EXCHANGE}.docx"
    edited.write_bytes(b"saved as .doc by mistake")
    before = snapshot(root / "outputs")
    assert main(["build", "--project", str(root), "--force", "--redline"]) == 2
    error = capsys.readouterr().err
    assert "无法为它生成修订稿" in error and f"{EXCHANGE}.docx" in error and "Traceback" not in error
    assert snapshot(root / "outputs") == before


# ---------------------------------------------------------------- large tables

CATEGORY = CategorySpec("先进个人", "先进个人")
ROSTER = BatchSpec(
    name="测试", defined_at="inputs/先进.yaml:1", nominees="推荐对象", categories=(CATEGORY,),
    date=datetime.date(2024, 12, 25), issuer="青禾县总工会", roster_title="推荐名单汇总表",
    roster_columns=(RosterColumn("序号", "序号"), RosterColumn("姓名", "名称"), RosterColumn("职务", "职务"),
                    RosterColumn("单位", "单位"), RosterColumn("慰问金额", "本单位慰问金额")))


def roster_docx(people: list[tuple[str, str, str, int]]) -> bytes:
    """A roster of `people` (name, post, unit, amount)."""
    nominees = [Nominee(serial, f"GR{serial:03d}", CATEGORY, {"名称": name, "职务": post, "单位": unit},
                        serial + 1, {"本单位慰问金额": make_figure("本单位慰问金额", amount, unit="元")}, name)
                for serial, (name, post, unit, amount) in enumerate(people, start=1)]
    return write(roster_document(ROSTER, nominees, "2024年12月25日"))


def test_a_renumbered_roster_is_marked_row_by_row_by_name():
    """A nominee put first renumbers a 400-row roster whose posts, units and amounts repeat
    a few texts: the rows are still matched by name, so only the new row, the 序号 and the
    one amount that changed are marked. (difflib alone took minutes here.)"""
    people = [(f"职工{number:03d}", ("班组长", "技术员", "护士长")[number % 3], f"城关镇{number % 7}厂",
               800 + 100 * (number % 4)) for number in range(400)]
    changed = [("新来的", "班组长", "城关镇1厂", 1000)] + people[:200] + [(*people[200][:3], 5000)] + people[201:]
    marked = companion(roster_docx(people), roster_docx(changed), datetime.datetime(2025, 1, 2))
    inserted, deleted = changes(marked, "ins"), changes(marked, "del")
    names = {person[0] for person in people}
    assert "新来的" in inserted and not names & (set(inserted) | set(deleted))
    assert "5000元" in inserted and "800元" in deleted
    assert set(deleted) <= {str(serial) for serial in range(1, 401)} | {"800元"}
    accepted = document_xml(marked)
    for deletion in list(accepted.iter(f"{W}del")):
        deletion.getparent().remove(deletion)
    assert paragraph_texts(accepted) == paragraph_texts(document_xml(roster_docx(changed)))


@settings(max_examples=300)
@given(st.lists(st.sampled_from("甲乙丙丁戊己"), max_size=40), st.lists(st.sampled_from("甲乙丙丁戊己庚"), max_size=40))
def test_paragraph_opcodes_turn_the_old_paragraphs_into_the_new(old, new):
    """The opcodes cover both lists in order, without gaps; an equal stretch is equal, a
    deletion takes from the old only, an insertion adds to the new only."""
    position = (0, 0)
    for op, i1, i2, j1, j2 in paragraph_opcodes(old, new):
        assert (i1, j1) == position and (i1 < i2 or j1 < j2)
        if op == "equal":
            assert old[i1:i2] == new[j1:j2]
        else:
            assert {"delete": j1 == j2, "insert": i1 == i2, "replace": i1 < i2 and j1 < j2}[op]
        position = (i2, j2)
    assert position == (len(old), len(new))


# ---------------------------------------------------------------- tables, both ways

def _unwrap(element) -> None:
    """Put an element's children in its place."""
    parent = element.getparent()
    for child in list(element):
        element.addprevious(child)
    parent.remove(element)


def _resolve(root, keep: str):
    """The document with every tracked change accepted (keep="ins") or rejected (keep="del"),
    as Word does it: rows and paragraphs whose mark is of the other kind go, content marked
    with the other kind goes, content marked `keep` stays as plain content."""
    drop = "del" if keep == "ins" else "ins"
    for row in list(root.iter(f"{W}tr")):
        if row.find(f"{W}trPr/{W}{drop}") is not None:
            row.getparent().remove(row)
    for mark in list(root.iter(f"{W}{drop}")):
        parent = mark.getparent()
        if parent.tag == f"{W}rPr" and parent.getparent().tag == f"{W}pPr":   # a paragraph mark
            paragraph = parent.getparent().getparent()
            assert not any(t.text for t in paragraph.iter(f"{W}t") if t.getparent().getparent() is paragraph)
            paragraph.getparent().remove(paragraph)
        elif mark.getparent() is not None:
            parent.remove(mark)
    for mark in list(root.iter(f"{W}{keep}")):
        if mark.getparent().tag in (f"{W}rPr", f"{W}trPr"):
            mark.getparent().remove(mark)
        else:
            _unwrap(mark)
    for deleted_text in root.iter(f"{W}delText"):
        deleted_text.tag = f"{W}t"
    return root


def accept_all(root):
    return _resolve(root, "ins")


def reject_all(root):
    return _resolve(root, "del")


def reading(root) -> list:
    """What a reader sees, in order: each body paragraph's text, each table's rows of cell texts."""
    def text(element) -> str:
        return "".join(t.text or "" for t in element.iter(f"{W}t")).replace("\u2060", "")
    seen = []
    for child in root.find(f"{W}body"):
        if child.tag == f"{W}p":
            seen.append(text(child))
        elif child.tag == f"{W}tbl":
            seen.append([[text(cell) for cell in row.iter(f"{W}tc")] for row in child.iter(f"{W}tr")])
    return seen


@pytest.fixture(scope="module")
def ranking(tmp_path_factory):
    """The 工作总结 before and after a correction that lifts 青禾经济开发区工会联合会 from
    second to first place in the table of the five largest amounts, and its 修订稿."""
    root = copy_project(tmp_path_factory.mktemp("ranking"))
    build(root)
    before = (root / "outputs" / f"{SUMMARY}.docx").read_bytes()
    raise_first_amount(root, by=1000)
    build(root, redline=True)
    return before, (root / "outputs" / f"{SUMMARY}.docx").read_bytes(), root / "outputs" / f"{SUMMARY}（修订稿）.docx"


def test_rejecting_every_change_gives_the_old_file_and_accepting_gives_the_new(ranking):
    before, after, redline = ranking
    assert reading(reject_all(document_xml(redline))) == reading(document_xml(before))
    assert reading(accept_all(document_xml(redline))) == reading(document_xml(after))
    assert reading(document_xml(before)) != reading(document_xml(after))


def test_a_row_that_changes_place_is_a_deleted_row_and_an_inserted_row(ranking):
    _, _, redline = ranking
    root = document_xml(redline)
    marked = {kind: [[("".join(t.text or "" for t in cell.iter(f"{W}t", f"{W}delText"))).replace("\u2060", "")
                      for cell in row.iter(f"{W}tc")]
                     for row in root.iter(f"{W}tr") if row.find(f"{W}trPr/{W}{kind}") is not None]
              for kind in ("ins", "del")}
    by_union = {}
    for row in records("送温暖.csv"):
        by_union[row["基层工会"]] = by_union.get(row["基层工会"], 0) + number(row["慰问金额"])
    union, amount = "青禾经济开发区工会联合会", by_union["青禾经济开发区工会联合会"]
    # the top-five table and the attachment's table both move it from second place to first
    assert marked["del"] == [["2", union, money(amount)]] * 2
    assert marked["ins"] == [["1", union, money(amount + 1000)]] * 2
    # never a deleted row stacked inside a cell: every cell holds one paragraph
    assert all(len(cell.findall(f"{W}p")) == 1 for cell in root.iter(f"{W}tc"))


@needs_libreoffice
def test_a_redline_with_changed_tables_opens_in_libreoffice(ranking, tmp_path):
    _, _, redline = ranking
    subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp_path}/profile", "--headless",
                    "--convert-to", "pdf", "--outdir", str(tmp_path), str(redline)],
                   check=True, capture_output=True, timeout=180)
    (pdf,) = tmp_path.glob("*.pdf")
    text = subprocess.run(["pdftotext", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    assert "青禾经济开发区工会联合会" in text.replace(" ", "")

"""One unit's return uploaded in the workbench, as a ledger is: rehearsed (whose it is, new
or replacing which file, its own problems, what would change), then accepted (into the
folder, the replaced file kept under .wenmi/history/) and built. A late town's return, a
corrected one, a faulty one and one from a unit not on the roster; every expected number is
summed here from the return files with openpyxl.

With WENMI_SCREENSHOTS=folder, the browser test saves the rehearsal page there at 1280×900.
"""

import os
import shutil
from pathlib import Path

import openpyxl
import pytest

from example_returns import FOLDER, counted, fix_totals, late_return, read_return, returns, summed_columns
from helpers import document_xml, paragraph_texts
from project_copies import RETURNS_TABLE, SUMMARY, copy_project, fresh_copy, snapshot
from test_browser import CHROMIUM, WAIT
from wenmi.numbers import format_money
from workbench import client, csrf, finished, served_page

SHOWN = f"inputs/{FOLDER.as_posix()}"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    from wenmi.build import build
    root = copy_project(tmp_path_factory.mktemp("upload-returns") / "项目")
    build(root)
    return root


def upload(opened, path: Path, sent_as: str | None = None):
    return opened.post("/ledgers/upload", data={"csrf": csrf(), "source": "互助保障"},
                       files={"file": (sent_as or path.name, path.read_bytes(), XLSX)})


def accept(opened, rehearsed: str) -> str:
    upload_id = rehearsed.split('action="/uploads/')[1].split("/accept")[0]
    return finished(opened, opened.post(f"/uploads/{upload_id}/accept", data={"csrf": csrf()}).headers["location"])


def sums(root: Path) -> dict[str, int]:
    """基层工会数 and each summed column over the returns that count, read with openpyxl."""
    columns = summed_columns(root / "inputs")
    towns = [town for town in returns(root / "inputs").values() if counted(town, columns)]
    found = {"报送单位数": len(towns), "基层工会数": sum(len(town.rows) for town in towns)}
    return found | {column: sum(row[column] or 0 for town in towns for row in town.rows) for column in columns}


def summary_paragraph(root: Path) -> str:
    texts = paragraph_texts(document_xml(root / "outputs" / f"{SUMMARY}.docx"))
    return next(text for text in texts if "互助金" in text and "参保职工" in text)


def wordings(found: dict[str, int]) -> list[str]:
    """The 工作总结's wording of the 互助保障 figures (工作总结.md: 推广职工互助保障)."""
    return [f"无误的{found['报送单位数']}个", f"共有{found['基层工会数']}个基层工会", f"参保职工{found['参保人数']}人",
            f"女职工{found['女职工参保']}人", f"农民工{found['农民工参保']}人",
            f"缴纳互助金{format_money(found['参保金额'])}", f"理赔{found['理赔人次']}人次",
            f"支付互助金{format_money(found['理赔金额'])}"]


def table_rows(root: Path) -> dict[str, tuple]:
    """The 汇总表's rows by 填报单位 (the 合计 row under 合计), and its note under 说明."""
    values = list(openpyxl.load_workbook(root / "outputs" / f"{RETURNS_TABLE}.xlsx").active.iter_rows(values_only=True))
    return {"说明": values[1]} | {row[1]: row for row in values[3:]}


def test_a_late_towns_return_is_rehearsed_then_accepted_into_the_folder(built, tmp_path):
    root = fresh_copy(built, tmp_path)
    sent = late_return(root / "inputs", "龙泉镇总工会", "北岭乡总工会", folder=tmp_path)
    late = read_return(sent)
    own = {"基层工会数": len(late.rows)} | {c: sum(r[c] or 0 for r in late.rows) for c in summed_columns(root / "inputs")}
    before, table_before = sums(root), table_rows(root)
    assert summary_paragraph(root).count("互助金") == 2 and all(w in summary_paragraph(root) for w in wordings(before))
    opened = client(root)
    inputs_before = snapshot(root / "inputs")

    rehearsed = finished(opened, upload(opened, sent, "北岭乡2024年报表（终稿）.xlsx").headers["location"])

    assert '<strong class="unit">北岭乡总工会</strong>' in rehearsed and "新报送" in rehearsed
    assert f"报表将保存为 {SHOWN}/北岭乡总工会.xlsx。" in rehearsed
    assert "这份报表通过了校验" in rehearsed and "这份报表有" not in rehearsed
    assert f"北岭乡总工会 新报送 +{own['参保人数']}人" in rehearsed
    assert f"<del>{before['参保人数']}人</del>" in rehearsed and f"<ins>{before['参保人数'] + own['参保人数']}人</ins>" in rehearsed
    assert "接受后的报送情况（互助保障" in rehearsed and "已报 11 个" in rehearsed and "未报 1 个" in rehearsed
    assert snapshot(root / "inputs") == inputs_before                   # nothing placed yet

    done = accept(opened, rehearsed)

    assert f"北岭乡总工会的报表已放入 {SHOWN}/北岭乡总工会.xlsx（新报送）" in done
    placed = root / "inputs" / FOLDER / "北岭乡总工会.xlsx"
    assert placed.read_bytes() == sent.read_bytes()
    assert set(snapshot(root / "inputs")) == set(inputs_before) | {f"{FOLDER.as_posix()}/北岭乡总工会.xlsx"}
    assert not (root / ".wenmi" / "history").exists()
    after = sums(root)
    assert after == {name: before[name] + own.get(name, 1) for name in before}   # one more town
    paragraph = summary_paragraph(root)
    assert all(wording in paragraph for wording in wordings(after))
    table = table_rows(root)
    assert table["说明"][0] == "应报12个单位，已报11个，其中2个有误未计入，未报1个。金额单位：元。"
    assert table["北岭乡总工会"][2:] == ("已报送", *own.values())
    assert table["合计"][3:] == tuple(table_before["合计"][3 + i] + value for i, value in enumerate(own.values()))
    overview = opened.get("/").text
    assert '<div class="n">11</div>已报' in overview and '<div class="n">1</div>未报' in overview
    assert "未报送</span> 高庄乡总工会<" in overview


def test_a_corrected_return_replaces_the_towns_file_which_is_kept_in_history(built, tmp_path):
    root = fresh_copy(built, tmp_path)
    stone = returns(root / "inputs")["石桥镇总工会"]
    original = stone.path.read_bytes()
    corrected = tmp_path / "石桥镇（改正）.xlsx"
    shutil.copyfile(stone.path, corrected)
    fix_totals(corrected)
    before = sums(root)
    opened = client(root)

    rehearsed = finished(opened, upload(opened, corrected).headers["location"])

    assert '<strong class="unit">石桥镇总工会</strong>' in rehearsed and "重报" in rehearsed
    assert f"将替换该单位原来的报表 {SHOWN}/{stone.path.name}" in rehearsed
    assert "这份报表通过了校验" in rehearsed
    insured = sum(row["参保人数"] for row in stone.rows)
    assert f"石桥镇总工会 改正后计入 +{insured}人" in rehearsed
    assert stone.path.read_bytes() == original

    done = accept(opened, rehearsed)

    assert stone.path.read_bytes() == corrected.read_bytes()
    kept = list((root / ".wenmi" / "history" / FOLDER).glob("石桥镇总工会.*.xlsx"))
    assert [path.read_bytes() for path in kept] == [original]
    assert f"替换下来的旧报表保存为 .wenmi/history/{FOLDER.as_posix()}/{kept[0].name}" in done
    assert sums(root)["参保人数"] == before["参保人数"] + insured
    assert all(wording in summary_paragraph(root) for wording in wordings(sums(root)))
    assert table_rows(root)["石桥镇总工会"][2:4] == ("已报送", len(stone.rows))
    overview = opened.get("/").text
    assert '<div class="stat wrong"><div class="n">1</div>有误' in overview


def test_a_faulty_return_is_rehearsed_with_its_own_problems_and_stays_out(built, tmp_path):
    root = fresh_copy(built, tmp_path)
    sent = late_return(root / "inputs", "石桥镇总工会", "高庄乡总工会", folder=tmp_path)   # its 合计 is wrong
    wrong = read_return(sent)
    opened = client(root)

    rehearsed = finished(opened, upload(opened, sent).headers["location"])

    assert '<strong class="unit">高庄乡总工会</strong>' in rehearsed and "新报送" in rehearsed
    assert "这份报表有 1 个问题，接受后也不计入汇总（有误未计入）" in rehearsed
    own = rehearsed.split('<ul class="problems">')[1].split("</ul>")[0]
    assert (f"第13行“参保人数”列：合计行写的是{wrong.totals['参保人数']}，"
            f"但上面{len(wrong.rows)}行相加是{sum(row['参保人数'] for row in wrong.rows)}") in own
    assert "杨集乡" not in own                            # the project's other warnings stand apart
    assert "项目中其他的警告" in rehearsed and "杨集乡总工会" in rehearsed.split("项目中其他的警告")[1]
    assert "<h2>变化的数字（" in rehearsed and "接受并生成" in rehearsed


def test_a_return_from_a_unit_not_on_the_roster_is_refused_and_nothing_changes(built, tmp_path):
    root = fresh_copy(built, tmp_path)
    sent = late_return(root / "inputs", "龙泉镇总工会", "西山镇总工会", folder=tmp_path)
    before = snapshot(root)
    opened = client(root)

    refused = upload(opened, sent, "北岭乡总工会.xlsx")        # the file name does not name the unit here

    assert refused.status_code == 400
    assert "北岭乡总工会.xlsx：认不出这份报表是哪个单位的（A2 单元格写的是“西山镇总工会”）" in refused.text
    assert "提示：应报单位：城关镇总工会、青禾街道总工会" in refused.text and "这份报表没有放入文件夹" in refused.text
    assert snapshot(root) == before and opened.get("/tasks/1").status_code == 404


def test_a_return_that_is_the_file_already_there_is_refused(built, tmp_path):
    root = fresh_copy(built, tmp_path)
    same = returns(root / "inputs")["柳林镇总工会"].path
    refused = upload(client(root), same)
    assert refused.status_code == 400 and f"与柳林镇总工会现有的报表 {SHOWN}/{same.name} 完全相同" in refused.text


@pytest.mark.skipif(CHROMIUM is None, reason="没有安装 chromium：运行 scripts/install-chromium.sh 后可测")
def test_a_late_towns_return_in_a_browser(built, tmp_path):
    from playwright.sync_api import expect
    root = fresh_copy(built, tmp_path)
    sent = late_return(root / "inputs", "龙泉镇总工会", "北岭乡总工会", folder=tmp_path)
    added = sum(row["参保人数"] for row in read_return(sent).rows)
    shots = os.environ.get("WENMI_SCREENSHOTS")
    with served_page(root) as page:
        expect(page.locator(".card.reported .stat.late .n")).to_have_text("2", timeout=WAIT)
        page.get_by_role("link", name="替换台账").click()
        chosen = page.get_by_label("互助保障 的单位报表")
        chosen.set_input_files(str(sent))
        page.locator("form", has=chosen).get_by_role("button", name="上传单位报表").click()
        accept_button = page.get_by_role("button", name="接受并生成")
        accept_button.wait_for(timeout=WAIT)
        expect(page.locator(".card.received .unit")).to_have_text("北岭乡总工会")
        expect(page.locator(".card.received")).to_contain_text("新报送")
        expect(page.locator('tr[data-figure="互助保障参保人数"] .unit-change')).to_contain_text(
            f"北岭乡总工会 新报送 +{added}人")
        if shots:
            Path(shots).mkdir(parents=True, exist_ok=True)
            page.screenshot(path=f"{shots}/单位报表试生成.png", full_page=True)
        accept_button.click()
        expect(page.locator("main")).to_contain_text("北岭乡总工会的报表已放入", timeout=WAIT)
        page.get_by_role("link", name="概览与下载").click()
        expect(page.locator(".card.reported .stat.late .n")).to_have_text("1", timeout=WAIT)
        assert "北岭乡总工会" not in page.locator(".card.reported").inner_text().split("未报送")[1]
    assert (root / "inputs" / FOLDER / "北岭乡总工会.xlsx").read_bytes() == sent.read_bytes()

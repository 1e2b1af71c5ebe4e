"""The workbench's 报送情况: a panel per returns source on the overview and the check page —
counts, the towns missing, the returns left out with their problems — worked out here from
the return files; the 汇总表 among the outputs and in the preview; an upload form for one
unit's return (test_returns_upload.py), which refuses a file that is not one. With
chromium, the panel as a user sees it.

With WENMI_SCREENSHOTS=folder, the overview is saved there at 1280×900.
"""

import os
import re
from pathlib import Path

import pytest

from example_returns import FOLDER, counted, returns, roster, summed_columns
from project_copies import RETURNS_TABLE, copy_project
from test_browser import CHROMIUM
from workbench import client, csrf, served_page


@pytest.fixture(scope="module")
def bench(tmp_path_factory):
    """The example, not built (the panel needs the project read, nothing made), and a client."""
    root = copy_project(tmp_path_factory.mktemp("reported") / "项目")
    return root, client(root)


def expected() -> tuple[list[str], list[str], int]:
    """The towns missing, the towns left out, and how many returns count."""
    towns, columns = returns(), summed_columns()
    faulty = [unit for unit in roster() if unit in towns and not counted(towns[unit], columns)]
    return [unit for unit in roster() if unit not in towns], faulty, len(towns) - len(faulty)


def panel(page: str) -> str:
    return page.split('<div class="card reported">')[1].split('<h2>报告与输出文件</h2>')[0]


@pytest.mark.parametrize("path", ["/", "/check"])
def test_the_panel_gives_counts_missing_towns_and_each_faulty_returns_problems(bench, path):
    missing, faulty, kept = expected()
    shown = panel(bench[1].get(path).text)
    assert "报送情况：互助保障" in shown and f"inputs/{FOLDER.as_posix()}/*.xlsx" in shown
    assert f'<div class="n">{len(roster())}</div>应报' in shown
    assert f'<div class="n">{len(returns())}</div>已报' in shown
    assert f'<div class="n">{kept}</div>无误、计入汇总' in shown
    assert f'<div class="stat wrong"><div class="n">{len(faulty)}</div>有误' in shown
    assert f'<div class="stat late"><div class="n">{len(missing)}</div>未报' in shown
    assert f'<span class="tag warning">未报送</span> {"、".join(missing)}' in shown
    towns = returns()
    for unit in faulty:
        assert f"<strong>{unit}</strong> <span class=\"muted small\">inputs/{FOLDER.as_posix()}/{towns[unit].path.name}" in shown
    stone = towns["石桥镇总工会"]
    assert (f"第13行“参保人数”列：合计行写的是{stone.totals['参保人数']}，"
            f"但上面{len(stone.rows)}行相加是{sum(row['参保人数'] for row in stone.rows)}") in shown
    assert f"I2 单元格是“{towns['杨集乡总工会'].version}”，应为“2024版”" in shown


def test_the_summary_is_listed_and_previewed(bench):
    opened = bench[1]
    overview = opened.get("/").text
    assert f"<td>{RETURNS_TABLE}<br>" in overview and "<td>汇总表</td>" in overview
    assert RETURNS_TABLE in opened.get("/preview").text
    document = opened.get("/document", params={"name": RETURNS_TABLE}).text
    missing, _, _ = expected()
    assert all(unit in document for unit in roster()) and "未报送" in document
    assert f"未报{len(missing)}个" in re.sub("<[^>]+>", "", document)      # 2 and 个 held in one span


def test_a_folder_of_returns_takes_one_units_return_and_refuses_what_is_not_one(bench):
    root, opened = bench
    page = opened.get("/ledgers").text
    row = page.split("<td>互助保障</td>")[1].split("</tr>")[0]
    assert '<button>上传单位报表</button>' in row and 'accept=".xlsx"' in row and "按A2 单元格认出" in row
    before = sorted(path.name for path in (root / "inputs" / FOLDER).iterdir())
    posted = opened.post("/ledgers/upload", data={"csrf": csrf(), "source": "互助保障"},
                         files={"file": ("北岭乡总工会.xlsx", b"PK\x03\x04 not really", "application/octet-stream")})
    assert posted.status_code == 400 and "北岭乡总工会.xlsx" in posted.text and "这份报表没有放入文件夹" in posted.text
    assert sorted(path.name for path in (root / "inputs" / FOLDER).iterdir()) == before
    assert not any((root / ".wenmi" / "uploads").iterdir())


@pytest.mark.skipif(CHROMIUM is None, reason="没有安装 chromium：运行 scripts/install-chromium.sh 后可测")
def test_the_panel_in_a_browser(bench):
    from playwright.sync_api import expect
    missing, faulty, _ = expected()
    with served_page(bench[0]) as page:
        reported = page.locator(".card.reported")
        expect(reported).to_contain_text("报送情况：互助保障", timeout=120_000)
        expect(reported.locator(".tag.warning").first).to_be_visible()
        assert reported.locator(".stat.late .n").inner_text() == str(len(missing))
        assert [text for text in reported.locator("strong").all_inner_texts()] == faulty
        shots = os.environ.get("WENMI_SCREENSHOTS")
        if shots:
            Path(shots).mkdir(parents=True, exist_ok=True)
            page.screenshot(path=f"{shots}/报送情况.png", full_page=False)

"""The workbench in a real browser (Debian's chromium driven by Playwright), as the office
uses it: open the printed address, see a check warning, upload a corrected ledger, see what
it would change, accept, watch the build, download the DOCX and read the new figure in it.

Skipped only where chromium is not installed (.ci/run installs it: scripts/install-chromium.sh).
With WENMI_SCREENSHOTS=folder, every page of the flow is saved there at 1280×800.
"""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from helpers import document_xml, paragraph_texts
from project_copies import SUMMARY, WARMTH, warmth_total
from wenmi.numbers import format_money
from workbench import corrected_ledger, warned_project

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="没有安装 chromium：运行 scripts/install-chromium.sh 后可测")
# what a headless chromium needs on a machine without a network or a display, as root
CHROMIUM_ARGS = ["--lang=zh-CN", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
WAIT = 180_000                  # ms: a rehearsal and a build of the example on a busy machine


@pytest.fixture
def workbench(tmp_path):
    """`wenmi serve` on the warned example, as a user starts it; its address and project."""
    root = warned_project(tmp_path / "项目")
    server = subprocess.Popen([sys.executable, "-m", "wenmi", "serve", "--project", str(root), "--port", "0"],
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, encoding="utf-8")
    try:
        line = server.stdout.readline()
        assert line.startswith("文秘工作台已启动：http://127.0.0.1:"), line
        yield line.split("：", 1)[1].strip(), root
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_open_check_upload_diff_accept_build_download(workbench, tmp_path):
    from playwright.sync_api import expect, sync_playwright
    address, root = workbench
    corrected = tmp_path / "送温暖（财务更正）.csv"
    corrected.write_bytes(corrected_ledger(tmp_path / "更正"))
    before = format_money(warmth_total((root / WARMTH).read_bytes()))
    after = format_money(warmth_total(corrected.read_bytes()))
    shots = os.environ.get("WENMI_SCREENSHOTS")

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 800}, accept_downloads=True)

        def shot(name: str) -> None:
            if shots:
                Path(shots).mkdir(parents=True, exist_ok=True)
                page.screenshot(path=f"{shots}/{name}.png")
        try:
            page.goto(address)
            expect(page.locator(".stat.warning")).to_contain_text("1")
            shot("1-概览")
            page.get_by_role("link", name="校验").click()
            expect(page.locator("main")).to_contain_text("未在数据源“送温暖”的 columns 中声明")
            shot("2-校验")
            page.get_by_role("link", name="数字").click()
            expect(page.locator("main")).to_contain_text("送温暖慰问金额")
            shot("3-数字")
            page.get_by_role("link", name="送温暖慰问金额", exact=True).click()
            expect(page.locator("main")).to_contain_text("用到的台账行")
            shot("4-说明")
            page.get_by_role("link", name="预览").click()
            page.get_by_role("link", name="预览").nth(1).click()
            expect(page.frame_locator("iframe.doc").locator(".figure").first).to_be_visible()
            shot("5-预览")

            page.get_by_role("link", name="替换台账").click()
            upload = page.get_by_label("送温暖 的新文件")
            upload.set_input_files(str(corrected))
            shot("6-替换台账")
            page.locator("form", has=upload).get_by_role("button", name="校验并试生成").click()
            accept = page.get_by_role("button", name="接受并生成")
            accept.wait_for(timeout=WAIT)
            changed = page.locator('tr[data-figure="送温暖慰问金额"]')
            expect(changed.locator("del")).to_have_text(before)
            expect(changed.locator("ins")).to_have_text(after)
            shot("7-试生成")
            accept.click()
            expect(page.locator("main")).to_contain_text("生成完成", timeout=WAIT)
            shot("8-生成完成")
            page.get_by_role("link", name="查看变化").click()
            expect(page.locator('tr[data-figure="送温暖慰问金额"] ins')).to_have_text(after)
            shot("9-变化")

            page.get_by_role("link", name="概览").click()
            expect(page.locator(".stat.warning, .stat.ok").nth(1)).to_contain_text("0")
            with page.expect_download() as downloading:
                page.locator("tr", has_text=SUMMARY).get_by_role("link", name="DOCX").click()
            saved = tmp_path / "下载.docx"
            downloading.value.save_as(saved)
            suggested = downloading.value.suggested_filename
            shot("10-概览（生成后）")
        except Exception:
            shot("失败")
            raise
        finally:
            browser.close()

    assert suggested == f"{SUMMARY}.docx"
    texts = paragraph_texts(document_xml(saved))
    assert any(after in text for text in texts) and not any(before in text for text in texts)

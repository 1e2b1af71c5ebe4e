"""What the workbench tests share: a copy of the example whose 送温暖 ledger has a column
nobody declared (so `wenmi check` warns once: its units' returns are all in), built once; the corrected ledger finance sends
(the column gone, row 1's 慰问金额 raised by 100); a client that holds the token; and a
chromium page on `wenmi serve`."""

import csv
import io
import shutil
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

from project_copies import WARMTH, copy_project, raise_first_amount, with_every_return_in

TOKEN = "test-token-for-the-workbench"
EXTRA_COLUMN = "核对人"


def with_undeclared_column(root: Path) -> None:
    """Add a column the spec does not declare to the copied 送温暖 ledger."""
    path = root / WARMTH
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
    rows[0].append(EXTRA_COLUMN)
    for row in rows[1:]:
        row.append("王五")
    text = io.StringIO()
    csv.writer(text, lineterminator="\n").writerows(rows)
    path.write_text(text.getvalue(), encoding="utf-8-sig")


def warned_project(target: Path) -> Path:
    """The example with the undeclared column, built once."""
    from wenmi.build import build
    root = with_every_return_in(copy_project(target))
    with_undeclared_column(root)
    build(root)
    return root


def corrected_ledger(folder: Path) -> bytes:
    """The example's 送温暖 ledger with row 1's 慰问金额 (and the 合计) raised by 100: the
    corrected payment stays within the 慰问标准, so the corrected project checks clean."""
    fixed = copy_project(folder)
    raise_first_amount(fixed, by=100)
    return (fixed / WARMTH).read_bytes()


def fresh(built: Path, tmp_path: Path) -> Path:
    root = tmp_path / "项目"
    shutil.copytree(built, root)
    return root


def client(root: Path, **kwargs):
    """A test client that has opened the workbench with its token (so it holds the cookie)."""
    from starlette.testclient import TestClient

    from wenmi.serve.app import create_app
    opened = TestClient(create_app(root, TOKEN, {"testserver"}, **kwargs), follow_redirects=False)
    assert opened.get(f"/?token={TOKEN}").status_code == 303
    return opened


def csrf() -> str:
    """The form token the pages of a server started with TOKEN carry."""
    from wenmi.serve.guard import form_token
    return form_token(TOKEN)


def finished(opened, location: str, wait: float = 120) -> str:
    """The task page at `location` once its work is done (it reloads itself until then)."""
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        page = opened.get(location).text
        if "正在进行……" not in page:
            return page
        time.sleep(0.3)
    raise AssertionError(f"{location} 在 {wait} 秒内没有完成")


@contextmanager
def served_page(root: Path):
    """`wenmi serve` started on `root` as a user starts it, and a 1280×900 page of chromium
    (test_browser.py) open at the address it prints."""
    from playwright.sync_api import sync_playwright
    from test_browser import CHROMIUM, CHROMIUM_ARGS
    server = subprocess.Popen([sys.executable, "-m", "wenmi", "serve", "--project", str(root), "--port", "0"],
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, encoding="utf-8")
    try:
        address = server.stdout.readline().split("：", 1)[1].strip()
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            try:
                page = browser.new_page(viewport={"width": 1280, "height": 900})
                page.goto(address)
                yield page
            finally:
                browser.close()
    finally:
        server.terminate()
        server.wait(timeout=30)

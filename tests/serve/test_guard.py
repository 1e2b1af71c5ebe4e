"""Who may use the workbench: the token on every request, this server's own name, the form
token on every POST, uploads limited in size and type, names never trusted, nothing written
outside the project, every ledger value escaped."""

import pytest
from starlette.testclient import TestClient

from project_copies import WARMTH, copy_project, edit, snapshot
from wenmi.serve.app import create_app
from wenmi.serve.guard import COOKIE
from workbench import TOKEN, client, csrf, finished


@pytest.fixture(scope="module")
def root(tmp_path_factory):
    return copy_project(tmp_path_factory.mktemp("guard") / "项目")


def test_every_page_needs_the_token(root):
    anyone = TestClient(create_app(root, TOKEN, {"testserver"}), follow_redirects=False)
    for path in ("/", "/check", "/figures", "/ledgers", f"/download?path={WARMTH.name}"):
        refused = anyone.get(path)
        assert refused.status_code == 403 and "令牌" in refused.text
    assert anyone.get("/?token=wrong").status_code == 403
    anyone.cookies.set(COOKIE, "wrong")
    assert anyone.get("/").status_code == 403


def test_the_token_in_the_address_becomes_a_strict_cookie_and_leaves_the_address(root):
    anyone = TestClient(create_app(root, TOKEN, {"testserver"}), follow_redirects=False)
    opened = anyone.get(f"/figures?token={TOKEN}&q=慰问")
    assert opened.status_code == 303
    assert "token" not in opened.headers["location"] and "q=" in opened.headers["location"]
    cookie = opened.headers["set-cookie"]
    assert f"{COOKIE}={TOKEN}" in cookie and "SameSite=Strict" in cookie and "HttpOnly" in cookie
    assert anyone.get("/").status_code == 200          # the client keeps the cookie


def test_a_page_calling_this_server_by_another_name_is_refused(root):
    opened = client(root)
    assert opened.get("/", headers={"host": "evil.example:8000"}).status_code == 400


def test_every_post_needs_the_form_token_and_this_origin(root):
    opened = client(root)
    for form in ({}, {"csrf": "forged"}):
        refused = opened.post("/build", data=form)
        assert refused.status_code == 403 and "表单" in refused.text
    refused = opened.post("/build", data={"csrf": csrf()}, headers={"origin": "http://evil.example"})
    assert refused.status_code == 403
    assert opened.post("/uploads/0/cancel", data={"csrf": csrf()}).status_code == 303


def test_responses_forbid_scripts_and_framing_by_others(root):
    page = client(root).get("/")
    assert "script-src 'none'" in page.headers["content-security-policy"]
    assert page.headers["x-frame-options"] == "SAMEORIGIN"
    assert "<script" not in page.text


def test_uploads_are_limited_in_size(tmp_path):
    root = copy_project(tmp_path / "项目")
    opened = client(root, upload_limit=1000)
    too_big = opened.post("/ledgers/upload", data={"csrf": csrf(), "source": "送温暖"},
                          files={"file": ("送温暖.csv", b"x" * 2000, "text/csv")})
    assert too_big.status_code == 413 and "太大" in too_big.text
    assert not (root / ".wenmi" / "uploads").exists() or not any((root / ".wenmi" / "uploads").iterdir())


@pytest.mark.parametrize("name, data, reason", [
    ("送温暖.txt", "序号\n1\n".encode(), "只能上传 CSV 或 XLSX"),
    ("送温暖.xlsx", b"PK\x03\x04rest", "同样格式"),
    ("送温暖.csv", b"PK\x03\x04\x00\x00binary", "不是文本格式"),
    ("送温暖.csv", b"   \n", "空的"),
])
def test_uploads_are_limited_in_type(root, name, data, reason):
    before = snapshot(root)
    refused = client(root).post("/ledgers/upload", data={"csrf": csrf(), "source": "送温暖"},
                                files={"file": (name, data, "application/octet-stream")})
    assert refused.status_code == 400 and reason in refused.text
    assert snapshot(root) == before


def test_the_uploaded_name_is_never_used_and_nothing_lands_outside_the_project(tmp_path):
    root = copy_project(tmp_path / "项目")
    outside = snapshot(tmp_path / "项目" / "..")
    opened = client(root)
    posted = opened.post("/ledgers/upload", data={"csrf": csrf(), "source": "送温暖"},
                         files={"file": ("../../../escaped.csv", (root / WARMTH).read_bytes(), "text/csv")})
    assert posted.status_code == 303
    finished(opened, posted.headers["location"])
    after = snapshot(tmp_path)
    new = sorted(set(after) - set(outside))
    assert all(name.startswith("项目/.wenmi/") for name in new), new
    assert not any("escaped" in name for name in after)
    assert [name for name in new if name.startswith("项目/.wenmi/uploads/")]   # kept under its own id


def test_a_declared_file_outside_inputs_is_never_written(tmp_path):
    from wenmi.errors import WenmiError
    from wenmi.replacing import replace_input
    root = copy_project(tmp_path / "项目")
    with pytest.raises(WenmiError, match="项目文件夹之外"):
        replace_input(root, "../../外面.csv", b"x")
    assert not (tmp_path / "外面.csv").exists()


def test_ledger_values_are_escaped_in_every_page(tmp_path):
    named, broken = copy_project(tmp_path / "姓名"), copy_project(tmp_path / "金额")
    edit(named / WARMTH, "龚浩民", '<script>alert("x")</script>')
    edit(broken / WARMTH, ",800,", ",<b>800</b>,")
    explained = client(named).get("/explain", params={"name": "送温暖慰问户数"}).text
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in explained and "<script>" not in explained
    checked = client(broken).get("/check").text
    assert "&lt;b&gt;800&lt;/b&gt;" in checked and "<b>800" not in checked


def test_a_port_in_use_is_one_clear_message(root, capsys):
    import socket

    from wenmi.cli import main
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        assert main(["serve", "--project", str(root), "--port", str(taken.getsockname()[1])]) == 2
    assert "端口可能已被占用" in capsys.readouterr().err

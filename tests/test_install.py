"""Installed like any Python tool: a wheel built from a copy of the checkout (`pip wheel .`),
installed into a fresh virtualenv outside the repository, runs `wenmi init`, `check` and
`build` there, and makes the checkout's outputs byte for byte. The sdist carries all a wheel
needs too: the wheel built from it holds the same files.

Offline: the wheels are built without build isolation, with this environment's setuptools;
the new environment has no pip and no packages of its own but the wheel, and reaches this
environment's dependencies — not its wenmi — through a .pth file.
"""

import os
import shutil
import subprocess
import sys
import sysconfig
import tarfile
import zipfile
from pathlib import Path

import pytest

from example_ledgers import money, records, total
from helpers import document_xml, paragraph_texts
from project_copies import BATCH, EXCHANGE, SUMMARY, copy_project, snapshot
from wenmi.cli import main

REPO = Path(__file__).resolve().parents[1]
NOT_SOURCE = shutil.ignore_patterns(".*", "outputs", "build", "dist", "*.egg-info", "__pycache__")
ENV = {**os.environ, "PYTHONIOENCODING": "utf-8", "PIP_DISABLE_PIP_VERSION_CHECK": "1"}
ENV.pop("PYTHONPATH", None)


def run(*command, cwd: Path) -> str:
    done = subprocess.run([str(part) for part in command], cwd=cwd, env=ENV, capture_output=True,
                          text=True, encoding="utf-8")
    assert done.returncode == 0, f"{command}\n{done.stdout}\n{done.stderr}"
    return done.stdout


def build_wheel(source: Path, wheels: Path) -> Path:
    run(sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--no-index",
        "--quiet", "--wheel-dir", wheels, ".", cwd=source)
    return next(wheels.glob("wenmi-*.whl"))


def members(wheel: Path) -> dict[str, bytes]:
    """A wheel's files with their bytes; RECORD, which lists their hashes, left out."""
    with zipfile.ZipFile(wheel) as archive:
        return {name: archive.read(name) for name in archive.namelist()
                if not name.endswith(".dist-info/RECORD")}


def dependencies_view(folder: Path) -> Path:
    """This environment's installed packages, linked one by one into `folder`, but for its
    own (editable) wenmi: the new environment must find wenmi in its wheel or not at all."""
    folder.mkdir()
    for site in dict.fromkeys(sysconfig.get_path(kind) for kind in ("purelib", "platlib")):
        for entry in Path(site).iterdir():
            if not entry.name.startswith(("wenmi", "__editable__")) and not (folder / entry.name).exists():
                try:
                    (folder / entry.name).symlink_to(entry, target_is_directory=entry.is_dir())
                except OSError as error:        # Windows without the right to make links
                    pytest.skip(f"cannot link the dependencies: {error}")
    return folder


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    """The wheel as `pip wheel .` builds it from a checkout."""
    place = tmp_path_factory.mktemp("wheel")
    shutil.copytree(REPO, place / "源码", ignore=NOT_SOURCE)
    return build_wheel(place / "源码", place / "wheels")


@pytest.fixture(scope="module")
def venv(wheel, tmp_path_factory) -> Path:
    """A fresh virtualenv, outside the repository, with the wheel installed: its scripts folder."""
    place = tmp_path_factory.mktemp("安装 测试")
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", place / "venv"], check=True)
    scripts = place / "venv" / ("Scripts" if os.name == "nt" else "bin")
    python = scripts / "python"
    site = Path(run(python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))", cwd=place).strip())
    (site / "dependencies.pth").write_text(f"{dependencies_view(place / 'dependencies')}\n", encoding="utf-8")
    run(sys.executable, "-m", "pip", "--python", python, "install", "--no-index", "--quiet", wheel, cwd=place)
    return scripts


def test_the_wheel_holds_every_subpackage_the_genres_and_the_example(wheel):
    names = set(members(wheel))
    folders = {path.parent.relative_to(REPO / "pipeline").parts
               for path in (REPO / "pipeline").rglob("__init__.py")}
    assert folders == {tuple(name.split("/")[1:-1]) for name in names if name.endswith("/__init__.py")}
    for folder in ("inputs", "templates"):
        example = {f"wenmi/example/{folder}/{path}" for path in snapshot(REPO / folder)}
        assert example <= names, example - names
    assert "wenmi/example/templates/工作总结.md.j2" in names


def test_the_sdist_carries_all_the_wheel_needs(wheel, tmp_path):
    source = tmp_path / "源码"
    shutil.copytree(REPO, source, ignore=NOT_SOURCE)
    run(sys.executable, "-c", "import setuptools.build_meta as backend; backend.build_sdist('sdist')",
        cwd=source)
    with tarfile.open(next((source / "sdist").glob("wenmi-*.tar.gz"))) as archive:
        # Debian's Python 3.11.2 predates extraction filters (3.11.4); the archive is our own
        safe = {"filter": "data"} if hasattr(tarfile, "data_filter") else {}
        archive.extractall(tmp_path / "解包", **safe)
    unpacked = next((tmp_path / "解包").iterdir())
    assert members(build_wheel(unpacked, tmp_path / "wheels")) == members(wheel)


def test_init_check_and_build_in_a_fresh_virtualenv_give_the_checkouts_outputs(venv, tmp_path):
    place = venv.parent.parent
    wenmi = venv / "wenmi"
    imported = run(venv / "python", "-c", "import wenmi; print(wenmi.__file__)", cwd=place)
    assert Path(imported.strip()).is_relative_to(venv.parent)         # the wheel's, not the checkout's
    assert "已新建项目" in run(wenmi, "init", "工会 项目", cwd=place)
    project = place / "工会 项目"
    assert snapshot(project / "inputs") == snapshot(REPO / "inputs")
    (project / "templates" / "经验交流材料.md.j2").unlink()            # left to the built-in genre
    assert "体裁：经验交流材料（内置模板/经验交流材料.md.j2）" in run(wenmi, "list", cwd=project)
    assert "校验通过" in run(wenmi, "check", cwd=project)
    built = run(wenmi, "build", cwd=project)
    assert f"已生成 outputs/{SUMMARY}.docx" in built and f"outputs/{BATCH}/" in built

    summary = paragraph_texts(document_xml(project / "outputs" / f"{SUMMARY}.docx"))
    assert summary[0] == "青禾县总工会2024年工作总结"
    amount = money(total(records("送温暖.csv"), "慰问金额"))
    assert any(f"发放慰问金{amount}" in text for text in summary), amount
    exchange = paragraph_texts(document_xml(project / "outputs" / f"{EXCHANGE}.docx"))
    # the title in two lines (a w:br between them), its phrases spaced with full-width spaces
    assert exchange[0] == "建起来\u3000暖起来\u3000硬起来\u3000强起来" + "全力当好职工“娘家人”"

    checkout = copy_project(tmp_path / "检出")
    assert main(["build", "--project", str(checkout)]) == 0
    assert snapshot(project / "outputs") == snapshot(checkout / "outputs")

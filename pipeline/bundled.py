"""What ships with the program: the example project `wenmi init` copies (inputs/ and
templates/), whose templates are also the built-in genres. A project's own templates/ holds
the genres it changes; a genre it leaves out is taken from here.

Installed from a wheel, the example is package data in wenmi/example/ (pyproject.toml maps
the repository's top-level inputs/ and templates/ there); in a checkout installed editable,
it is those top-level folders themselves.
"""

from __future__ import annotations

from pathlib import Path

BUILTIN_SHOWN = "内置模板"          # how messages and the manifest name the built-in genres' folder


def _example() -> Path:
    """The package's folder on disk, as pip installs it (importlib.resources would say the
    same, at 50 ms of every command's start)."""
    package = Path(__file__).resolve().parent
    installed = package / "example"
    return installed if installed.is_dir() else package.parent


EXAMPLE = _example()
TEMPLATES = EXAMPLE / "templates"


def template_file(project_templates: Path, name: str) -> Path:
    """The file a template name (工作总结.md.j2) stands for in a project: its own, else the
    built-in one, else its own missing path (for the message that it is missing)."""
    own = project_templates / name
    builtin = TEMPLATES / name
    return builtin if not own.is_file() and builtin.is_file() else own


def fallbacks(project_templates: Path) -> list[Path]:
    """The built-in templates a project's templates/ does not override: those its reports
    may be rendered with."""
    return sorted(path for path in TEMPLATES.rglob("*") if path.is_file()
                  and not (project_templates / path.relative_to(TEMPLATES)).exists())


def shown_builtin(path: Path) -> str | None:
    """A built-in template's path as messages and the manifest show it (内置模板/工作总结.md.j2),
    the same wherever the program is installed; None for any other path."""
    try:
        return f"{BUILTIN_SHOWN}/{path.relative_to(TEMPLATES).as_posix()}"
    except ValueError:
        return None


def genres() -> list[str]:
    """The built-in genres' names, for a hint."""
    return sorted(path.name.removesuffix(".md.j2") for path in TEMPLATES.glob("*.md.j2"))

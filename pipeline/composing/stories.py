"""A nominee's story file in parts, for a dossier template to place section by section.

A story file (inputs/<stories>/<编号>.md) is the office's own account of one nominee. Text
before its first heading is the part 开头; each heading line `# 键` or `# 键：标题` starts the
part 键, whose 标题 (optional) is the section heading the office chose. The template asks
for the parts it has sections for (`事迹.创新`, `"创新" in 事迹`); a part it never asks for
would be lost from the dossier, so it is refused by name once the dossier is rendered.
"""

from __future__ import annotations

import re
from pathlib import Path

from ..errors import WenmiError, at_line

OPENING = "开头"
PART_HEADING = re.compile(r"^#[ \t]+([^\s：:#]+)[ \t]*(?:[：:][ \t]*(.*?))?[ \t]*$", re.M)


class StoryParts(dict):
    """Part name → {"标题": heading or "", "正文": Markdown}; remembers which names the
    template asked for."""

    def __init__(self, parts: dict[str, dict[str, str]]):
        super().__init__(parts)
        self.asked: set[str] = set()

    def __getitem__(self, name):
        self.asked.add(name)
        return super().__getitem__(name)

    def __contains__(self, name) -> bool:
        self.asked.add(name)
        return super().__contains__(name)

    def get(self, name, default=None):
        self.asked.add(name)
        return super().get(name, default)

    def check_used(self, path: Path, shown: str, template_file: str) -> None:
        """Refuse a part the template never asked for (a mistyped or unknown part name),
        unless the template uses no parts at all (it prints the whole story as 正文)."""
        unused = [name for name in self if name not in self.asked]
        if self.asked and unused:
            known = "、".join(sorted(self.asked))
            raise WenmiError(f"事迹中的“{unused[0]}”部分在模板 {template_file} 中没有对应的段落，不会印出",
                             file=shown, place=at_line(_heading_line(path, unused[0])),
                             hint=f"模板用到的部分：{known}")


def story_parts(rendered: str, path: Path, shown: str) -> StoryParts:
    """The rendered story cut at its part headings; a part named twice is refused."""
    parts: dict[str, dict[str, str]] = {}
    headings = list(PART_HEADING.finditer(rendered))
    opening = rendered[:headings[0].start()] if headings else rendered
    if opening.strip():
        parts[OPENING] = {"标题": "", "正文": opening.strip()}
    for index, heading in enumerate(headings):
        name = heading.group(1)
        if name in parts:
            raise WenmiError(f"事迹中的“{name}”部分出现了两次", file=shown,
                             place=at_line(_heading_line(path, name, second=True)),
                             hint="把两处合成一部分，或改用不同的名称")
        end = headings[index + 1].start() if index + 1 < len(headings) else len(rendered)
        parts[name] = {"标题": (heading.group(2) or "").strip(),
                       "正文": rendered[heading.end():end].strip()}
    return StoryParts(parts)


def _heading_line(path: Path, name: str, second: bool = False) -> int | None:
    """The line of part `name`'s heading (its second one) in the story file as written;
    read only for a message."""
    source = path.read_text(encoding="utf-8-sig")
    found = [match for match in PART_HEADING.finditer(source) if match.group(1) == name]
    if len(found) <= second:
        return None
    return source.count("\n", 0, found[int(second)].start()) + 1

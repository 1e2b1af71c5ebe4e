"""`wenmi diff`: what changed between two recorded builds — figures, then paragraphs.
Everything here reads the manifests; nothing writes."""

from __future__ import annotations

from ..errors import WenmiError
from ..reading.specs import Project
from .manifest import Manifest, documents

SINCE_LAST = "上次"
OPENING = 16                 # characters of a paragraph that name it in `wenmi diff`


# ---------------------------------------------------------------- wenmi diff

def changes(project: Project, since: str = SINCE_LAST) -> dict:
    """The difference between the latest recorded build and `since` (the build before it,
    or a build id), as plain data: what `wenmi diff --json` prints."""
    manifest = Manifest.load(project)
    builds = manifest.builds()
    if not builds:
        raise WenmiError("还没有生成记录", hint="先运行 wenmi build")
    if since == SINCE_LAST:
        if len(builds) < 2:
            raise WenmiError("只有一次生成记录，没有可以比较的上一次", hint="修改台账后再运行 wenmi build")
        since = builds[-2]
    old, new = manifest.build(since), manifest.build(builds[-1])
    old_documents, new_documents = documents(old), documents(new)
    figures = []
    for figure_id, record in new["figures"].items():
        before = old["figures"].get(figure_id)
        if before and (before["value"], before["text"]) != (record["value"], record["text"]):
            cited = [{"文件": name, "段落": c["paragraph"], "写法": c["text"],
                      "段首": opening(document["paragraphs"], c["paragraph"] - 1)}
                     for name, document in new_documents.items()
                     for c in document["citations"] if c["figure"] == figure_id]
            figures.append({"名称": figure_id, "说明": record["label"], "原数值": before["value"],
                            "新数值": record["value"], "原写法": before["text"],
                            "新写法": record["text"], "引用": cited, "单位": unit_changes(before, record)})
    from .alignment import paragraph_opcodes  # the alignment the （修订稿） marks; not for --help
    paragraphs = []
    for name, document in new_documents.items():
        earlier = old_documents.get(name, {}).get("paragraphs", [])
        for op, i1, i2, j1, j2 in paragraph_opcodes(earlier, document["paragraphs"]):
            if op != "equal":
                new_text = document["paragraphs"]
                paragraphs.append({"文件": name, "段落": j1 + 1, "原文": earlier[i1:i2],
                                   "新文": new_text[j1:j2],
                                   "段首": opening(new_text, j1) if j2 > j1 else opening(earlier, i1)})
    return {"自": since, "至": builds[-1], "数字": figures, "段落": paragraphs}


CHANGED, ARRIVED, CORRECTED, LEFT_OUT, WITHDRAWN = "有变化", "新报送", "改正后计入", "有误未计入", "未报送"


def unit_changes(before: dict, after: dict) -> list[dict]:
    """The units whose part of a figure over units' returns changed between its two records
    (manifest.unit_records): a part changed, a unit counted that was not (newly returned, or
    its faulty return corrected), or one no longer counted. [] for other figures."""
    found: dict[str, dict] = {}
    for old, new in zip(before.get("sources", ()), after.get("sources", ())):
        if "units" not in old or "units" not in new:
            continue
        earlier, later = ({part["unit"]: part for part in source["units"]} for source in (old, new))
        for unit in [*later, *(unit for unit in earlier if unit not in later)]:
            was, now = earlier.get(unit), later.get(unit)
            if unit in found or was is not None and now is not None and was["value"] == now["value"]:
                continue
            state = CHANGED if was and now else \
                (CORRECTED if unit in old.get("left_out", {}) else ARRIVED) if now else \
                LEFT_OUT if unit in new.get("left_out", {}) else WITHDRAWN
            found[unit] = {"单位": unit, "情况": state,
                           "原数值": was and was["value"], "新数值": now and now["value"],
                           "原写法": was and was.get("text"), "新写法": now and now.get("text"),
                           "文件": (now or was)["file"] or new.get("left_out", {}).get(unit, "")}
    return list(found.values())


def unit_line(change: dict) -> str:
    """One unit's change as `wenmi diff` prints it: "柳林镇总工会 1743人 → 1773人；<its file>"."""
    old, new = change["原写法"], change["新写法"]
    if change["情况"] == CHANGED:
        what = f" {old} → {new}" if old and new else "的报表有变化"
    else:
        part = f" +{new}" if new else f" -{old}" if old else ""
        what = f" {change['情况']}{part}"
    return f"{change['单位']}{what}；{change['文件']}" if change["文件"] else f"{change['单位']}{what}"


def opening(paragraphs: list[str], index: int) -> str:
    """The first words of a paragraph, quoted, so a change is found by reading, not counting."""
    text = paragraphs[index].strip() if 0 <= index < len(paragraphs) else ""
    return f"“{text[:OPENING]}……”" if len(text) > OPENING else f"“{text}”"


def diff_lines(found: dict) -> list[str]:
    """`changes` for a terminal, in Chinese."""
    lines = [f"生成记录 {found['自']} → {found['至']}"]
    if not found["数字"] and not found["段落"]:
        return lines + ["没有变化。"]
    lines.append(f"变化的数字（{len(found['数字'])} 个）：")
    for figure in found["数字"]:
        units = figure.get("单位", [])
        why = f"（{unit_line(units[0])}）" if len(units) == 1 else f"（{len(units)} 个单位的报表有变化）" if units else ""
        lines.append(f"  {figure['名称']}：{figure['原写法']} → {figure['新写法']}{why}")
        lines += [f"    {unit_line(change)}" for change in units] if len(units) > 1 else []
        places = "；".join(f"{c['文件']} 第{c['段落']}段 {c['段首']}（{c['写法']}）" for c in figure["引用"])
        lines.append(f"    引用于：{places or '（本次没有文件引用）'}")
    lines.append(f"变化的段落（{len(found['段落'])} 处）：")
    for change in found["段落"]:
        lines.append(f"  {change['文件']} 第{change['段落']}段 {change['段首']}：")
        lines += [f"    - {text}" for text in change["原文"]]
        lines += [f"    + {text}" for text in change["新文"]]
    return lines

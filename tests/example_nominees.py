"""Each example nominee's own figures, computed from the example ledgers with the csv module
(tests/example_ledgers.py), not the pipeline: a person's from the 个人业绩 ledger, a team's
from 集体情况 and 建功立业, and a union's — only a nominee that is the union itself — from
the union ledgers, by the union's name. Tests look for these in each nominee's own files.
"""

import csv

from example_ledgers import INPUTS, half_up, money, number, records
from wenmi.wording import format_approx

SHEET = INPUTS / "先进" / "推荐对象.csv"
CATEGORIES = ["先进个人", "优秀工会工作者", "劳动模范", "先进集体", "工人先锋号"]   # roster order
INNOVATION = ("技术革新", "合理化建议", "专利")

# metric → (ledger, rows kept, what is taken of them, unit); "count" counts the rows, a
# column name sums it. The nominee's own rows: 对象编号 == 编号.
OWN = {
    "本人技术革新项数": ("个人业绩.csv", ("技术革新",), "count", "项"),
    "本人合理化建议条数": ("个人业绩.csv", ("合理化建议",), "count", "条"),
    "本人专利项数": ("个人业绩.csv", ("专利",), "count", "项"),
    "本人创新成果项数": ("个人业绩.csv", INNOVATION, "count", "项"),
    "本人创新创效金额": ("个人业绩.csv", INNOVATION, "效益", "元"),
    "本人带徒人数": ("个人业绩.csv", ("带徒",), "count", "名"),
    "本人授课场次": ("个人业绩.csv", ("授课",), "count", "场"),
    "本人授课人次": ("个人业绩.csv", ("授课",), "数量", "人次"),
    "本人志愿服务次数": ("个人业绩.csv", ("志愿服务",), "count", "次"),
    "本人志愿服务时长": ("个人业绩.csv", ("志愿服务",), "数量", "小时"),
    "本人服务人次": ("个人业绩.csv", ("服务群众",), "数量", "人次"),
    "本人推广面积": ("个人业绩.csv", ("推广",), "数量", "亩"),
    "本人带动就业人数": ("个人业绩.csv", ("带动就业",), "数量", "人"),
    "本人走访户数": ("个人业绩.csv", ("走访慰问",), "数量", "户"),
    "本人指导建会数": ("个人业绩.csv", ("指导建会",), "数量", "家"),
    "本人发展会员数": ("个人业绩.csv", ("发展会员",), "数量", "名"),
    "本人调解件数": ("个人业绩.csv", ("调解",), "count", "件"),
    "本人调解挽回金额": ("个人业绩.csv", ("调解",), "效益", "元"),
    "集体职工人数": ("集体情况.csv", None, "职工人数", "名"),
    "集体党员人数": ("集体情况.csv", None, "党员人数", "名"),
    "集体女职工人数": ("集体情况.csv", None, "女职工人数", "名"),
    "集体青年职工人数": ("集体情况.csv", None, "青年职工人数", "名"),
    "集体安全生产天数": ("集体情况.csv", None, "安全生产天数", "天"),
    "集体服务人次": ("集体情况.csv", None, "服务人次", "人次"),
    "集体建功项目数": ("建功立业.csv", ("劳动竞赛", "技术攻关", "服务品牌"), "count", "项"),
    "集体竞赛参与人次": ("建功立业.csv", ("劳动竞赛",), "参与人次", "人次"),
    "集体创效金额": ("建功立业.csv", None, "效益", "元"),
    "集体练兵人次": ("建功立业.csv", ("岗位练兵",), "参与人次", "人次"),
}
# metric → (ledger, its union column, rows kept, what is taken, unit): a union's own totals
UNION = {
    "本会建会单位数": ("建会与会员.xlsx", "基层工会", lambda row: True, "count", "家"),
    "本会会员总数": ("建会与会员.xlsx", "基层工会", lambda row: True, "会员总数", "人"),
    "本会新建工会数": ("建会与会员.xlsx", "基层工会", lambda row: row["建会类型"] == "新建", "count", "个"),
    "本会新发展会员数": ("建会与会员.xlsx", "基层工会", lambda row: True, "新发展会员", "名"),
    "本会慰问户数": ("送温暖.csv", "基层工会", lambda row: True, "count", "户"),
    "本会慰问金额": ("送温暖.csv", "基层工会", lambda row: True, "慰问金额", "元"),
    "本会助学人数": ("金秋助学.csv", "基层工会", lambda row: True, "count", "名"),
    "本会助学金额": ("金秋助学.csv", "基层工会", lambda row: True, "资助金额", "元"),
    "本会培训人次": ("培训与劳动竞赛.csv", "主办单位", lambda row: row["活动类型"] != "干部培训",
                  "参与人次", "人次"),
    "本会援助案件数": ("法律援助案件.csv", "基层工会", lambda row: True, "count", "件"),
    "本会办结案件数": ("法律援助案件.csv", "基层工会", lambda row: row["办结状态"] == "办结", "count", "件"),
    "本会挽回金额": ("法律援助案件.csv", "基层工会", lambda row: True, "挽回金额", "元"),
}
APPROXIMATED = {"本人服务人次", "集体服务人次"}      # written as 360余万人次 from 1万 on
NOT_IN_DOSSIERS = {"本人创新成果项数"}               # only decides whether 创新 is written


def nominees() -> list[dict]:
    """The nominee sheet's rows in roster order: by category as declared, then 编号."""
    with open(SHEET, encoding="utf-8-sig", newline="") as stream:
        rows = list(csv.DictReader(stream))
    return sorted(rows, key=lambda row: (CATEGORIES.index(row["类别"]), row["编号"]))


def _taken(rows: list[dict], what: str) -> float:
    return len(rows) if what == "count" else sum(number(row[what]) or 0 for row in rows)


def own_values(nominee: dict) -> dict[str, float]:
    """Every figure that is the nominee's own, by metric; a metric without rows of the
    nominee's is left out (it does not apply to it)."""
    values = {}
    for metric, (ledger, kinds, what, _) in OWN.items():
        rows = [row for row in records(ledger) if row["对象编号"] == nominee["编号"]
                and (kinds is None or row["类型"] in kinds)]
        if rows:
            values[metric] = _taken(rows, what)
    for metric, (ledger, column, keep, what, _) in UNION.items():
        rows = [row for row in records(ledger) if row[column] == nominee["名称"] and keep(row)]
        if rows:
            values[metric] = _taken(rows, what)
    return values


def shown(metric: str, value: float) -> str:
    """A figure as the dossiers print it (an approximation worded as the project's rules
    word it: wenmi.wording, tested on its own)."""
    unit = (OWN.get(metric) or UNION[metric])[-1]
    if unit == "元":
        return money(value)
    if metric in APPROXIMATED and value >= 10_000:
        return format_approx(value, "余", unit)
    return f"{half_up(value, 0)}{unit}"


def honours(nominee: dict) -> list[dict]:
    """The nominee's rows of the 荣誉 ledger, in ledger order."""
    return [row for row in records("荣誉.csv") if row["对象编号"] == nominee["编号"]]

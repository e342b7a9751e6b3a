"""A unit's workbook written by an attacker: markup, links, images and Plotly tags in 班组, 姓名,
问题类别 and 问题描述, and a real roster name inside free text. Imported through the real importer."""
from __future__ import annotations

from lib.access.auth import User
from lib.store.importer import import_file
from tests.workbooks import ROSTER_HEADER, canonical_header, xlsx_bytes

UNIT = "测试队"
LINK = "[官方通知](http://evil.example/phish)"
IMAGE = "![x](http://evil.example/x.png)"
ANCHOR = '<a href="http://evil.example/a">点此</a>'
SPAN = '<span style="font-size:60px">大字</span>'
SCRIPT = "[点我](javascript:alert(1))"
BOLD = "<b>粗体</b>:red[红]"
HOSTILE = (LINK, IMAGE, ANCHOR, SPAN, SCRIPT, BOLD)
# What must never reach a page, a chart or a deck as markup.
HTML_MARKUP = ("<a", "<span", "<b>", "<img")            # what Plotly (and a browser) would draw as markup
MARKUP = ("](http", "](javascript", *HTML_MARKUP)       # and what Markdown would
FILE_NAME = f"{UNIT}_2023年12月{SCRIPT}.xlsx"
PERSON = "郑秋实"          # a roster name that 问题描述 mentions
PERSON_ID = "770311"       # and that person's 工号
ADMIN = User("测试管理员", "管理员")


def hostile_workbook() -> bytes:
    teams = [LINK, IMAGE, ANCHOR, SPAN, SCRIPT, BOLD]
    roster = [ROSTER_HEADER]
    for i, team in enumerate(teams):
        roster.append(["2023-12", UNIT, team, f"77{i:04d}", f"{'甲乙丙丁戊己'[i]}{SPAN if i == 3 else '某'}",
                       "男", "是", "否", "群众"])
    roster.append(["2023-12", UNIT, LINK, PERSON_ID, PERSON, "男", "是", "否", "中共党员"])
    header = canonical_header("problems")
    problems = [header]
    for i, (category, found, status) in enumerate([
            (ANCHOR, "2023-03-05", "待办理"), (SPAN, "2023-11-20", "待办理"), (IMAGE, "2023-10-02", "已解决"),
            (LINK, "2023-04-01", "办理中")]):
        row = dict.fromkeys(header, "")
        row.update({"问题编号": f"HX-{i}", "发现日期": found, "队": UNIT, "班组": LINK, "问题类别": category,
                    "问题描述": f"{PERSON}（工号{PERSON_ID}）反映{LINK}{IMAGE}{ANCHOR}",
                    "办理状态": status, "解决日期": "2023-10-20" if status == "已解决" else ""})
        problems.append([row[h] for h in header])
    return xlsx_bytes({"人员名册": roster, "问题台帐": problems})


def import_hostile(store):
    """The workbook imported into `store` (a copy of the demo database); returns its FileResult."""
    return import_file(store, hostile_workbook(), FILE_NAME, ADMIN)

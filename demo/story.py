"""The demo mine's four years, 2020-01 … 2023-12, and the figures its report quotes, fixed in advance.

The generator (demo/mine.py, demo/pairs.py) builds these in on purpose, not left to chance;
tests/test_demo.py checks them in the imported database:

- 发展党员: 8 people became 发展对象 in 2020; 7 are 一线职工 and 5 are 班组长.
- 包保对子 active on 2023-12-31: 104 serving members, 223 workers; every 机关 member is in a pair,
  always with a 综采队 worker. Some older pairs ended before (解除日期) and involve other people.
- 党员责任区: 32 zones, 73 承包人, covering every team.
- 理念口号: 72 entries (24 teams × 3 categories).
- 荣誉 2022: 党员先锋岗 to 5 teams by 矿党委, one of them also by 集团公司党委.
- 空白班组: 10 in 2020-01, falling (with two relapses) to 0 from 2023-07.
"""
from __future__ import annotations

import datetime as dt

from demo.timeline import Months
from demo.vocabulary import HQ, ORG

SEED = 2020
FIRST_YEAR = 2020
N_MONTHS = 48                       # 2020-01 … 2023-12
LAST_DAY = dt.date(2023, 12, 31)
MONTHS = Months(FIRST_YEAR)
month_start, month_of, quarter_label = MONTHS.start, MONTHS.index, MONTHS.quarter_label

UNITS = tuple(u for u, _, _ in ORG)
BRANCH = {u: b for u, b, _ in ORG}
TEAM_TYPE = {(u, t): kind for u, _, teams in ORG for t, kind, _ in teams}

# Teams with no party member in 2020-01 and the month (index from 2020-01) they get one, and how.
COVERS = (
    ("综采队", "泵站班", 2, "transfer"),
    ("机运队", "排水班", 6, "develop"),
    ("掘锚队", "支护班", 9, "develop"),
    ("开拓队", "运输班", 13, "transfer"),
    ("综掘队", "皮带班", 16, "develop"),
    ("通防部", "测风班", 20, "develop"),
    ("准备队", "综合班", 26, "transfer"),
    ("综采队", "材料班", 31, "develop"),
    ("开拓队", "材料班", 37, "develop"),
    ("机运队", "提升班", 42, "transfer"),
)
# Teams whose only member goes (transfer / retirement): blank from the first month until the second.
RELAPSES = (
    ("掘锚队", "运输班", 18, 22, "transfer"),
    ("准备队", "电修班", 34, 38, "retire"),
)
# The strong team of each 队 that lends members to blank teams.
DONORS = {"综采队": "检修班", "掘锚队": "张伟掘进班", "综掘队": "孙涛掘进班", "开拓队": "郑华开拓班",
          "机运队": "机电班", "通防部": "瓦斯检查班", "准备队": "安装班"}
# Blank teams whose liaison (挂靠联系人) is only named from this month on.
LIAISON_FROM = {("机运队", "提升班"): 18, ("开拓队", "材料班"): 6}

# 2020's development targets: (队, 班组 or None = any ordinary team, 班组长?, 发展对象 month, 预备 month or
# None = ordinary gap, 积极分子 → 发展对象 in under a year?). 7 frontline, 5 班组长.
TARGETS_2020 = (
    ("掘锚队", "支护班", True, 2, 9, False),
    ("综掘队", "皮带班", True, 6, 16, False),
    ("通防部", "测风班", True, 9, 20, False),
    ("机运队", "主运皮带班", True, 4, 11, False),
    ("准备队", "回撤班", True, 7, 15, False),
    ("综采队", "检修班", False, 5, 12, False),
    ("开拓队", "郑华开拓班", False, 10, 19, True),
    (HQ, "生产技术科", False, 11, 17, False),
)

# Zones per 队: number of owners of each zone (32 zones, 73 owners).
ZONE_OWNERS = {"综采队": (2, 2, 3, 2, 3), "掘锚队": (2, 2, 2, 3), "综掘队": (2, 3, 2, 2),
               "开拓队": (3, 2, 2, 2), "机运队": (2, 3, 2, 3, 2), "通防部": (2, 2, 3, 2),
               "准备队": (2, 3, 2), HQ: (2, 2, 2)}
ACTIVE_MEMBERS, ACTIVE_WORKERS = 104, 223

"""演示数据: one coal mine, 2020-01 … 2023-12, written as the workbooks units really send.

`write_demo_workbooks(folder)` writes every workbook (.xlsx through openpyxl, a few .csv in
GB18030) and returns them in import order; `build_demo_database(db_path)` imports them all
through `lib.store.importer.import_file`, exactly like an upload, into a database of its own.

Everything is computed from `random.Random(2020)` in a fixed order (no set iteration, no
current date), so two runs write the same cell values. The figures the mine's own report
quotes are built in on purpose, not left to chance:

- 发展党员: 8 people became 发展对象 in 2020; 7 are 一线职工 and 5 are 班组长.
- 包保对子 active on 2023-12-31: 104 serving members, 223 workers; every 机关 member is in a pair,
  always with a 综采队 worker. Some older pairs ended before (解除日期) and involve other people.
- 党员责任区: 32 zones, 73 承包人, covering every team.
- 理念口号: 72 entries (24 teams × 3 categories).
- 荣誉 2022: 党员先锋岗 to 5 teams by 矿党委, one of them also by 集团公司党委.
- 空白班组: 10 in 2020-01, falling (with two relapses) to 0 from 2023-07.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import os
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path
import random

from typing import TYPE_CHECKING

from openpyxl import Workbook

from lib.ingest.sheets import SHEETS_BY_KEY, SIX_GOODS

if TYPE_CHECKING:
    from lib.access.auth import User

SEED = 2020
FIRST_YEAR = 2020
N_MONTHS = 48                       # 2020-01 … 2023-12
LAST_DAY = dt.date(2023, 12, 31)
# Who the import log names for the demo files: the program itself, acting as 管理员.
DEMO_IMPORTER_NAME = "演示数据"
PARTY = ("中共党员", "中共预备党员")
CN_QUARTERS = "一二三四"

# ------------------------------------------------------------------------------------ organisation
# (队, 党支部, ((班组, 班组类型, 人数), …))
ORG = (
    ("综采队", "综采队党支部", (
        ("赵林生产班", "生产班组", 30), ("王强生产班", "生产班组", 30), ("刘军生产班", "生产班组", 30),
        ("检修班", "检修班组", 40), ("电修班", "检修班组", 30), ("泵站班", "辅助班组", 22),
        ("运输班", "辅助班组", 30), ("材料班", "辅助班组", 18))),
    ("掘锚队", "掘锚队党支部", (
        ("张伟掘进班", "生产班组", 30), ("李刚掘进班", "生产班组", 30), ("陈明掘进班", "生产班组", 30),
        ("检修班", "检修班组", 25), ("电修班", "检修班组", 20), ("运输班", "辅助班组", 18),
        ("支护班", "辅助班组", 15))),
    ("综掘队", "综掘队党支部", (
        ("孙涛掘进班", "生产班组", 28), ("周鹏掘进班", "生产班组", 28), ("吴斌掘进班", "生产班组", 28),
        ("检修班", "检修班组", 24), ("电修班", "检修班组", 20), ("皮带班", "辅助班组", 20))),
    ("开拓队", "开拓队党支部", (
        ("郑华开拓班", "生产班组", 28), ("冯磊开拓班", "生产班组", 28), ("锚喷班", "生产班组", 20),
        ("检修班", "检修班组", 18), ("运输班", "辅助班组", 16), ("材料班", "辅助班组", 14))),
    ("机运队", "机运队党支部", (
        ("主运皮带班", "生产班组", 26), ("辅运班", "辅助班组", 24), ("机电班", "检修班组", 22),
        ("电修班", "检修班组", 20), ("提升班", "辅助班组", 20), ("排水班", "辅助班组", 16),
        ("供电班", "检修班组", 18), ("运输班", "辅助班组", 22), ("皮带班", "辅助班组", 20))),
    ("通防部", "通防部党支部", (
        ("监测监控班", "辅助班组", 18), ("瓦斯检查班", "生产班组", 22), ("防尘班", "辅助班组", 20),
        ("注浆灭火班", "辅助班组", 16), ("通风设施班", "辅助班组", 18), ("抽采班", "生产班组", 18),
        ("测风班", "辅助班组", 12))),
    ("准备队", "准备队党支部", (
        ("安装班", "生产班组", 24), ("回撤班", "生产班组", 24), ("检修班", "检修班组", 18),
        ("电修班", "检修班组", 16), ("运输班", "辅助班组", 16), ("综合班", "辅助班组", 12))),
    ("机关", "机关党支部", (
        ("党群工作部", "机关科室", 10), ("生产技术科", "机关科室", 14), ("安全监察部", "机关科室", 12),
        ("机电管理科", "机关科室", 10), ("调度室", "机关科室", 10), ("财务科", "机关科室", 7),
        ("人力资源部", "机关科室", 8), ("经营管理科", "机关科室", 7), ("综合办公室", "机关科室", 8))),
)
UNITS = tuple(u for u, _, _ in ORG)
HQ = "机关"
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
MODEL_POSTS_PER_UNIT = {"综采队": 5, "掘锚队": 4, "综掘队": 4, "开拓队": 3, "机运队": 5, "通防部": 4,
                        "准备队": 3, HQ: 3}

# ------------------------------------------------------------------------------------ vocabulary
SURNAMES = ("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁"
            "任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严武戴孔汤")
MALE_CHARS = ("伟强磊军勇杰涛明超刚平辉鹏华飞斌波宇浩凯健俊帆旭宁龙林洋亮成峰东建国志海文利庆兵振晓春生福贵宝"
              "山永长德金民新家光荣广胜忠学义才发武彬锋哲瑞昊")
FEMALE_CHARS = "丽娜静敏燕艳霞芳玲婷雪慧洁梅琳颖倩蕾欣佳"

POSTS = (
    ("生产班", ("采煤机司机", "液压支架工", "刮板输送机司机", "转载机司机", "端头维护工", "采煤工")),
    ("掘进班", ("掘进机司机", "锚杆支护工", "掘进工", "带式输送机司机")),
    ("开拓班", ("掘进工", "锚喷工", "凿岩工", "支护工")),
    ("锚喷班", ("锚喷工", "喷浆工", "支护工")),
    ("支护班", ("支护工", "锚杆支护工")),
    ("检修班", ("机电检修工", "钳工", "电工", "液压支架工")),
    ("电修班", ("电工", "电气维修工", "防爆电工")),
    ("机电班", ("机电检修工", "电工", "钳工")),
    ("供电班", ("变电所值班员", "电工", "高压电工")),
    ("运输班", ("绞车司机", "信号工", "运输工", "把钩工")),
    ("辅运班", ("无轨胶轮车司机", "运输工", "信号工")),
    ("皮带班", ("带式输送机司机", "皮带维修工", "巡检工")),
    ("提升班", ("提升机司机", "井口信号工", "罐笼把钩工")),
    ("排水班", ("水泵司机", "排水工")),
    ("泵站班", ("泵站司机", "乳化液配制工")),
    ("材料班", ("材料员", "运料工")),
    ("安装班", ("安装工", "起重工", "钳工")),
    ("回撤班", ("回撤工", "起重工", "支护工")),
    ("综合班", ("综合工", "材料员")),
    ("监测监控班", ("安全监测工", "监控值班员")),
    ("瓦斯检查班", ("瓦斯检查工",)),
    ("防尘班", ("防尘工", "洒水工")),
    ("注浆灭火班", ("注浆工", "防灭火工")),
    ("通风设施班", ("通风设施工", "密闭工")),
    ("抽采班", ("瓦斯抽采工", "钻机工")),
    ("测风班", ("测风工", "测尘工")),
)
HQ_POSTS = ("科员", "主管", "干事", "技术员", "副科长")

TALK_METHODS = ("面谈", "面谈", "面谈", "电话", "电话", "微信", "家访")
TALK_TOPICS = ("了解家庭近况，叮嘱安全生产", "交流岗位技能提升打算", "了解思想动态，宣讲安全规程",
               "关心子女上学情况", "了解身体状况，提醒按时体检", "听取班组管理建议", "了解工作中的困难和诉求",
               "节前走访，交流家庭情况", "讲解新修订的操作规程", "交流入党想法，鼓励向党组织靠拢",
               "谈心疏导工作压力", "了解夜班通勤情况")
PROBLEM_TEXTS = (
    ("生活困难", ("家属住院治疗，家庭经济压力大", "老人生病需要照顾，倒班请假困难", "住房漏雨需要维修",
                 "通勤班车时间与入井时间衔接不上")),
    ("工作环境", ("更衣室热水供应不稳定", "井口候车区照明不足", "工作面温度偏高，通风需改善",
                 "夜班班中餐品种少")),
    ("设备安全", ("运输巷托辊损坏有异响", "矿灯充电架部分插座接触不良", "检修工具老化需要更换",
                 "带式输送机防护罩松动")),
    ("子女教育", ("子女入学手续办理困难", "子女暑期无人照看", "子女高考志愿填报需要指导")),
    ("医疗健康", ("希望增加职业病体检项目", "腰椎不适，希望调整岗位", "家属异地就医报销手续复杂")),
    ("薪酬福利", ("对计件工资核算有疑问", "夜班补助发放不及时", "劳保用品尺码不合适", "希望了解企业年金政策")),
)
COMMITTEE_ROLES = ("安全委员", "质量委员", "学习委员", "宣传委员", "生活委员", "技术委员", "经管委员")
SLOGANS = {
    "争一流口号": ("安全第一创一流，团结奋进争先锋", "干就干到最好，争就争第一流", "班组争第一，人人当先锋",
                "精心操作零失误，优质高效争一流", "比安全、比质量、比效率，事事争一流", "一班一岗创精品，一人一事树标杆",
                "苦干实干加巧干，争创全矿第一班", "标准作业不走样，创先争优当榜样"),
    "学习愿景": ("人人都是学习者，班班都是练兵场", "学一门精一门，一专多能当骨干", "今天多学一分，明天多一分安全",
              "学技术、练本领、当工匠", "以学促干，以干促学，建设学习型班组", "每日一题，每周一课，每月一考",
              "师带徒、徒促师，共同成长", "读懂规程，练好本领，守好岗位"),
    "安全理念": ("安全为天，预防为先", "宁停三分，不抢一秒", "隐患就是事故，违章就是犯罪",
              "我的安全我负责，他人安全我有责", "手指口述，确认安全", "不安全不生产，隐患不除不生产",
              "安全连着你我他，平安幸福靠大家", "遵章守纪保平安，规范操作创效益"),
}
ZONE_DUTIES = ("负责区域内安全生产监督和隐患排查", "掌握区域内职工思想动态，帮扶困难职工",
               "督促区域内文明生产和质量标准化", "宣讲安全规程，带头遵章守纪")
DEV_RESULTS = ("优秀", "良好", "合格")

# ------------------------------------------------------------------------------------ dates


def month_start(m: int) -> dt.date:
    return dt.date(FIRST_YEAR + m // 12, m % 12 + 1, 1)


def month_of(d: dt.date) -> int:
    return (d.year - FIRST_YEAR) * 12 + d.month - 1


def quarter_label(q: int) -> str:
    return f"{FIRST_YEAR + q // 4}Q{q % 4 + 1}"


def _add_days(d: dt.date, n: int) -> dt.date:
    return d + dt.timedelta(days=n)


# ------------------------------------------------------------------------------------ people

@dataclass
class Person:
    staff_id: str
    name: str
    gender: str
    birth: dt.date
    post: str
    frontline: bool
    leader: bool
    political: str                  # status before any development: 中共党员 / 共青团员 / 群众
    joined_on: dt.date | None       # 入党时间 of members from before 2020
    start: int = 0                  # first roster month
    end: int = N_MONTHS             # first month no longer in the roster
    moves: list = field(default_factory=list)   # [(month, 队, 班组)], the first at `start`
    probation: dt.date | None = None
    full: dt.date | None = None
    protected: bool = False         # never leaves or moves at random
    developed: bool = False         # in the 发展党员 list
    spaced: bool = False            # name written with an inner space in the roster

    def place(self, m: int) -> tuple[str, str]:
        current = self.moves[0]
        for move in self.moves:
            if move[0] <= m:
                current = move
            else:
                break
        return current[1], current[2]

    def present(self, m: int) -> bool:
        return self.start <= m < self.end

    def status(self, m: int) -> str:
        if self.probation is not None and month_of(self.probation) <= m:
            if self.full is not None and month_of(self.full) <= m:
                return "中共党员"
            return "中共预备党员"
        return self.political

    def member(self, m: int) -> bool:
        return self.status(m) in PARTY

    def last_move(self) -> int:
        return self.moves[-1][0]

    def roster_name(self) -> str:
        return f"{self.name[0]}\u3000{self.name[1:]}" if self.spaced else self.name


@dataclass
class Pair:
    member: Person
    worker: Person
    worker_unit: str
    worker_team: str
    paired_on: dt.date
    ended_on: dt.date | None = None
    overdue: bool = False


@dataclass
class Talk:
    date: dt.date
    member: Person
    worker: Person
    unit: str
    method: str
    content: str
    problem_id: str | None = None


@dataclass
class LedgerItem:
    """A 问题台帐 entry: a problem found in a talk, and how it was handled."""
    talk: Talk
    problem_id: str
    unit: str
    team: str
    category: str
    description: str
    feedback_on: dt.date | None
    resolved_on: dt.date | None
    satisfaction: str | None


class World:
    """The whole mine over four years, computed once from the seed."""

    def __init__(self) -> None:
        self.rng = random.Random(SEED)
        self.people: list[Person] = []
        self.names: set[str] = set()
        self.ids: set[int] = set()
        self.teams = [(u, t) for u, _, teams in ORG for t, _, _ in teams]
        self.liaisons: dict[tuple[str, str], Person] = {}
        self.dev: list[dict] = []
        self.pairs: list[Pair] = []
        self.talks: list[Talk] = []
        self.problems: list[LedgerItem] = []
        self.talks_by_month: dict[tuple[int, str], list[Talk]] = {}
        self._posts: dict[str, dict[int, Person]] = {}      # 队 → post number → holder
        self._post_rng = random.Random(SEED + 2)
        self._staff()
        self._script()
        self._develop()
        self._churn()
        self._spaced_names()
        self._roster_index()
        self._pairs()
        self._talks()
        self._problems()

    # -------------------------------------------------------------- helpers
    def _name(self, gender: str, fixed: str | None = None) -> str:
        if fixed:
            return fixed
        rng = self.rng
        chars = MALE_CHARS if gender == "男" else FEMALE_CHARS
        while True:
            surname = SURNAMES[int(len(SURNAMES) * rng.random() ** 1.7)]
            given = rng.choice(chars) + (rng.choice(chars) if rng.random() < 0.62 else "")
            name = surname + given
            if name not in self.names and not (len(given) == 2 and given[0] == given[1]):
                self.names.add(name)
                return name

    def _staff_id(self, lo: int, hi: int) -> str:
        while True:
            n = self.rng.randint(lo, hi)
            if n not in self.ids:
                self.ids.add(n)
                return f"{n:06d}"

    def _post(self, unit: str, team: str) -> str:
        if unit == HQ:
            return self.rng.choice(HQ_POSTS)
        for suffix, posts in POSTS:
            if team.endswith(suffix):
                return self.rng.choice(posts)
        return "操作工"

    def _person(self, unit: str, team: str, m: int, *, leader=False, member=False, name=None,
                id_range=(60000, 189999)) -> Person:
        rng = self.rng
        woman_share = 0.3 if unit == HQ else (0.35 if team == "监测监控班" else 0.02)
        gender = "女" if rng.random() < woman_share and not name else "男"
        born_lo = 1966 if m == 0 else 1990
        birth = dt.date(rng.randint(born_lo, 2001 if m else 1999), rng.randint(1, 12), 1)
        if member:
            birth = dt.date(rng.randint(1966, 1993), birth.month, 1)
        if leader:
            birth = dt.date(rng.randint(1975, 1992), birth.month, 1)
        political = "中共党员" if member else ("共青团员" if birth.year >= 1993 and rng.random() < 0.5 else "群众")
        joined = None
        if member:
            lo = dt.date(max(birth.year + 20, 1990), 1, 1)
            joined = _add_days(lo, rng.randint(0, (dt.date(2019, 11, 30) - lo).days))
        post = "班长" if leader else self._post(unit, team)
        if m == 0 and birth.year < 1972:
            id_range = (3000, 39999)    # the old numbering: 工号 such as 008123
        p = Person(self._staff_id(*id_range), self._name(gender, name), gender, birth, post,
                   unit != HQ, leader, political, joined, start=m, moves=[(m, unit, team)])
        self.people.append(p)
        return p

    def members_in(self, unit: str, team: str, m: int) -> list[Person]:
        return [p for p in self.people if p.present(m) and p.place(m) == (unit, team) and p.member(m)]

    def in_team(self, unit: str, team: str, m: int) -> list[Person]:
        return [p for p in self.people if p.present(m) and p.place(m) == (unit, team)]

    # -------------------------------------------------------------- 2020-01
    def _staff(self) -> None:
        rng = self.rng
        blank = {(u, t) for u, t, _, _ in COVERS}
        single = {(u, t) for u, t, _, _, _ in RELAPSES}
        dev_leader_teams = {(u, t) for u, t, leader, *_ in TARGETS_2020 if leader}
        for unit, team in self.teams:    # teams named after their 班长
            if team.endswith(("生产班", "掘进班", "开拓班")):
                self.names.add(team[:-3])
        for unit, _, teams in ORG:
            for team, _, size in teams:
                key = (unit, team)
                if key in blank:
                    n_members = 0
                elif key in single:
                    n_members = 1
                elif unit == HQ:
                    n_members = round(size * 0.5)
                elif DONORS.get(unit) == team:
                    n_members = 6
                else:
                    n_members = rng.randint(2, 5)
                people = []
                if unit != HQ:
                    fixed = team[:-3] if team.endswith(("生产班", "掘进班", "开拓班")) else None
                    leader_member = (key not in blank and key not in single and key not in dev_leader_teams
                                     and n_members > 0 and rng.random() < 0.5)
                    leader = self._person(unit, team, 0, leader=True, member=leader_member, name=fixed)
                    leader.protected = True
                    people.append(leader)
                    n_members -= leader_member
                else:
                    head = self._person(unit, team, 0, member=True)
                    head.post = "部长" if team.endswith("部") else ("主任" if team.endswith("室") else "科长")
                    people.append(head)
                    n_members -= 1
                while len(people) < size:
                    people.append(self._person(unit, team, 0, member=n_members > 0))
                    n_members -= 1

    # -------------------------------------------------------------- covers and relapses
    def _pick_member(self, unit: str, team: str, m: int) -> Person:
        """A member who can be given a role (liaison, mover) and is then kept out of random churn."""
        candidates = [p for p in self.members_in(unit, team, m)
                      if not p.leader and not p.protected and p.post not in ("科长", "部长", "主任")]
        p = self.rng.choice(candidates)
        p.protected = True
        return p

    def _script(self) -> None:
        # Liaisons: a steady member of the same 队 (never the one who will move).
        for unit, team, _, _ in COVERS:
            others = [t for u, t in self.teams if u == unit and t != team and t != DONORS[unit]
                      and (u, t) not in {(a, b) for a, b, *_ in COVERS + RELAPSES}]
            self.liaisons[(unit, team)] = self._pick_member(unit, self.rng.choice(others), 0)
        for unit, team, *_ in RELAPSES:
            self.liaisons[(unit, team)] = self._pick_member(unit, DONORS[unit], 0)
        for unit, team, m, how in COVERS:
            if how == "transfer":
                mover = self._pick_member(unit, DONORS[unit], m - 1)
                mover.moves.append((m, unit, team))
        for unit, team, gone, back, how in RELAPSES:
            only = self.members_in(unit, team, 0)[0]
            only.protected = True
            if how == "transfer":
                only.moves.append((gone, unit, "检修班"))
            else:
                only.end = gone     # retires
            mover = self._pick_member(unit, DONORS[unit], back - 1)
            mover.moves.append((back, unit, team))

    # -------------------------------------------------------------- 发展党员
    def _dev_person(self, unit: str, team: str | None, leader: bool, frontline=True) -> Person:
        rng = self.rng
        blank = {(u, t) for u, t, _, _ in COVERS} | {(u, t) for u, t, *_ in RELAPSES}
        def pool(team):
            return [p for p in self.in_team(unit, team, 0)
                    if not p.member(0) and not p.developed and p.leader == leader and (leader or not p.protected)]

        if team is None:
            teams = [t for u, t in self.teams if u == unit and not (frontline and (u, t) in blank) and pool(t)]
            if not teams:   # every 班组长 here is a member already: take a worker instead
                return self._dev_person(unit, None, False, frontline)
            team = rng.choice(teams)
        p = rng.choice(pool(team))
        p.protected = p.developed = True
        if not leader:
            p.birth = dt.date(rng.randint(1986, 1998), p.birth.month, 1)
            p.political = "共青团员" if p.birth.year >= 1993 and rng.random() < 0.7 else "群众"
        return p

    def _add_dev(self, p: Person, candidate: dt.date | None, probation: dt.date | None, *, fast=False,
                 activist: dt.date | None = None, applied: dt.date | None = None, mentor_unit=None) -> None:
        rng = self.rng
        if candidate is not None:
            activist = _add_days(candidate, -(rng.randint(220, 320) if fast else rng.randint(380, 620)))
        if activist is not None and applied is None:
            applied = _add_days(activist, -rng.randint(30, 330))
        full = None
        if probation is not None:
            full = _add_days(probation, rng.randint(365, 378))
            if full > LAST_DAY:
                full = None
        p.probation, p.full = probation, full
        unit, team = p.place(0)
        mentors = [q for q in self.people if q.place(0)[0] == unit and q.member(0) and q.end == N_MONTHS
                   and q is not p]
        self.dev.append({"person": p, "unit": unit, "team": team, "applied_on": applied,
                         "activist_on": activist, "candidate_on": candidate, "probation_on": probation,
                         "full_on": full, "mentor": rng.choice(mentors).name})

    def _date_in(self, m: int, lo: int = 1, hi: int = 28) -> dt.date:
        return month_start(m).replace(day=self.rng.randint(lo, hi))

    def _develop(self) -> None:
        rng = self.rng
        frontline_units = UNITS[:-1]
        # 2019's targets: one covers 机运队 排水班 in 2020-07.
        p = self._dev_person("机运队", "排水班", False)
        self._add_dev(p, self._date_in(-4), self._date_in(6))
        for unit, cand_m, prob_m in (("综采队", -7, 2), ("综掘队", -2, 10)):
            p = self._dev_person(unit, None, False)
            self._add_dev(p, self._date_in(cand_m), self._date_in(prob_m))
        # 2020: exactly eight, 7 frontline, 5 班组长.
        for unit, team, leader, cand_m, prob_m, fast in TARGETS_2020:
            p = self._dev_person(unit, team, leader, frontline=unit != HQ)
            self._add_dev(p, self._date_in(cand_m), self._date_in(prob_m), fast=fast)
        # 2021: nine; one covers 综采队 材料班 in 2022-08.
        p = self._dev_person("综采队", "材料班", False)
        self._add_dev(p, self._date_in(21), self._date_in(31))
        for i in range(8):
            unit = HQ if i == 3 else rng.choice(frontline_units)
            leader = unit != HQ and rng.random() < 0.3
            cand_m = rng.randint(12, 22)
            self._add_dev(self._dev_person(unit, None, leader, frontline=unit != HQ), self._date_in(cand_m),
                          self._date_in(min(cand_m + rng.randint(6, 11), 35), 1, 15))
        # 2022: ten; one covers 开拓队 材料班 in 2023-02 (still 预备 at the end), two not admitted yet.
        p = self._dev_person("开拓队", "材料班", False)
        self._add_dev(p, self._date_in(28), self._date_in(37), fast=True)
        for i in range(9):
            unit = rng.choice(frontline_units)
            leader = rng.random() < 0.3
            if i < 7:
                cand_m = rng.randint(24, 28)
                self._add_dev(self._dev_person(unit, None, leader), self._date_in(cand_m),
                              self._date_in(rng.randint(max(cand_m + 3, 31), 35), 1, 15))
            else:
                self._add_dev(self._dev_person(unit, None, leader), self._date_in(rng.randint(32, 35)), None)
        # 2023: eight; two admitted in the autumn (预备 at the end).
        for i in range(8):
            unit = HQ if i == 5 else rng.choice(frontline_units)
            leader = unit != HQ and rng.random() < 0.25
            if i < 2:
                cand_m = 36 + 2 * i
                self._add_dev(self._dev_person(unit, None, leader, frontline=unit != HQ), self._date_in(cand_m),
                              self._date_in(44 + 2 * i))
            else:
                self._add_dev(self._dev_person(unit, None, leader, frontline=unit != HQ),
                              self._date_in(rng.randint(39, 47)), None)
        # The pipeline: 积极分子 and 申请人.
        for i in range(18):
            unit = rng.choice(UNITS)
            p = self._dev_person(unit, None, False, frontline=unit != HQ)
            if i < 12:
                activist = self._date_in(rng.randint(12, 46))
                self._add_dev(p, None, None, activist=activist)
            else:
                self._add_dev(p, None, None, applied=self._date_in(rng.randint(36, 47)))

    # -------------------------------------------------------------- joins, leaves, transfers
    def _churn(self) -> None:
        rng = self.rng
        frontline = [k for k in self.teams if k[0] != HQ]
        for m in range(1, N_MONTHS):
            movable = [p for p in self.people
                       if p.present(m) and not p.protected and not p.member(N_MONTHS - 1) and p.last_move() < m]
            for p in rng.sample(movable, rng.randint(1, 4)):
                p.end = m
            movable = [p for p in movable if p.end > m]
            for p in rng.sample(movable, rng.randint(0, 2)):
                unit, team = p.place(m)
                if unit == HQ:
                    choices = [k for k in self.teams if k[0] == HQ and k[1] != team]
                elif rng.random() < 0.75:
                    choices = [k for k in frontline if k[0] == unit and k[1] != team]
                else:
                    choices = [k for k in frontline if k[0] != unit]
                new_unit, new_team = rng.choice(choices)
                p.moves.append((m, new_unit, new_team))
                p.post = self._post(new_unit, new_team)
            for _ in range(rng.randint(1, 4)):
                unit, team = rng.choice(frontline) if rng.random() < 0.9 else rng.choice(
                    [k for k in self.teams if k[0] == HQ])
                self._person(unit, team, m, id_range=(200000, 269999))

    def _spaced_names(self) -> None:
        two = [p for p in self.people if len(p.name) == 2 and not p.developed and not p.leader
               and not p.member(N_MONTHS - 1)]
        for p in self.rng.sample(two, 6):
            p.spaced = True

    def _roster_index(self) -> None:
        """Who is where each month: roster[m][unit] = people sorted by team order then 工号."""
        order = {k: i for i, k in enumerate(self.teams)}
        self.roster: list[dict[str, list[Person]]] = []
        for m in range(N_MONTHS):
            by_unit: dict[str, list[tuple]] = {u: [] for u in UNITS}
            for p in self.people:
                if p.present(m):
                    unit, team = p.place(m)
                    by_unit[unit].append((order[(unit, team)], not p.leader, p.staff_id, p))
            self.roster.append({u: [x[-1] for x in sorted(rows, key=lambda x: x[:3])] for u, rows in by_unit.items()})

    def blank_teams(self, m: int) -> list[tuple[str, str]]:
        """Teams in month m's roster without a 中共党员/中共预备党员."""
        covered = {p.place(m) for rows in self.roster[m].values() for p in rows if p.member(m)}
        return [k for k in self.teams if k not in covered]

    def model_posts(self, unit: str, q: int) -> list[tuple[str, Person]]:
        """The 党员示范岗 of a 队 in a quarter: holders keep their post while they are members there.
        Call in quarter order (the holders carry over)."""
        m = 3 * q + 2
        posts = self._posts.setdefault(unit, {})
        members = [p for p in self.roster[m][unit] if p.member(m)]
        result = []
        for i in range(MODEL_POSTS_PER_UNIT[unit]):
            holder = posts.get(i)
            if holder is None or holder not in members:
                taken = [h for h in posts.values() if h is not None]
                holder = self._post_rng.choice([p for p in members if p not in taken])
                posts[i] = holder
            team = holder.place(m)[1]
            result.append((f"{team.removesuffix('班')}党员示范岗（{i + 1}号）", holder))
        return result

    # -------------------------------------------------------------- 包保对子
    def _pairs(self) -> None:
        rng = self.rng
        last = N_MONTHS - 1
        dev_people = {id(d["person"]) for d in self.dev}
        used_workers: set[int] = set()

        def stable_worker(p: Person, unit: str, m: int) -> bool:
            return (p.start <= m and p.end == N_MONTHS and p.last_move() <= m and p.place(m)[0] == unit
                    and id(p) not in dev_people and not p.member(last) and id(p) not in used_workers)

        def member_since(p: Person) -> int:
            return 0 if p.joined_on else month_of(p.probation)

        members_now = [p for p in self.people if p.present(last) and p.member(last)]
        hq = [p for p in members_now if p.place(last)[0] == HQ]
        frontline = [p for p in members_now if p.place(last)[0] != HQ and member_since(p) <= 40 and p.start == 0]
        chosen_front = rng.sample(frontline, ACTIVE_MEMBERS - len(hq))
        chosen = hq + sorted(chosen_front, key=lambda p: (UNITS.index(p.place(last)[0]), p.staff_id))
        extra = set(id(p) for p in rng.sample(chosen, ACTIVE_WORKERS - 2 * ACTIVE_MEMBERS))
        for member in chosen:
            unit = member.place(last)[0]
            worker_unit = "综采队" if unit == HQ else unit
            first = max(member_since(member) + 1, 5)
            start_m = rng.randint(first, max(first, 11 if unit == HQ else 30))
            paired_on = self._date_in(start_m)
            if member.probation and paired_on <= member.probation:
                paired_on = _add_days(member.probation, rng.randint(20, 60))
            start_m = month_of(paired_on)
            pool = [p for p in self.roster[start_m][worker_unit] if stable_worker(p, worker_unit, start_m)]
            for worker in rng.sample(pool, 3 if id(member) in extra else 2):
                used_workers.add(id(worker))
                self.pairs.append(Pair(member, worker, *worker.place(last), paired_on))
        # Some active pairs have not talked in the last 60 days.
        for pair in rng.sample(self.pairs, 14):
            pair.overdue = True
        # Pairs that ended before 2023-12: people who are not otherwise counted.
        chosen_ids = {id(p) for p in chosen}
        spare = [p for p in frontline if id(p) not in chosen_ids and p.joined_on is not None]
        spare_members = rng.sample(spare, 11)
        ended: list[Pair] = []

        def left_worker(unit: str, lo: int, hi: int) -> Person:
            pool = [p for p in self.people if p.start == 0 and lo < p.end < hi and p.moves[-1][0] == 0
                    and p.place(0)[0] == unit and id(p) not in used_workers and id(p) not in dev_people
                    and not p.member(0)]
            worker = rng.choice(pool)
            used_workers.add(id(worker))
            return worker

        # (a) the worker left the mine: the pair ends in the worker's last month
        for member in spare_members[:5]:
            worker = left_worker(member.place(last)[0], 12, N_MONTHS)
            paired_on = self._date_in(rng.randint(5, min(worker.end - 4, 20)))
            ended.append(Pair(member, worker, *worker.place(worker.end - 1), paired_on,
                              self._date_in(worker.end - 1)))
        # (b) the worker joined the party: the pair ends on the day of admission
        joined = [d["person"] for d in self.dev if d["probation_on"] and month_of(d["probation_on"]) >= 14
                  and d["unit"] != HQ and id(d["person"]) not in chosen_ids]
        for worker in rng.sample(joined, 3):
            unit = worker.place(0)[0]
            candidates = [p for p in spare if p.place(last)[0] == unit and p not in spare_members[:5]
                          and p not in spare_members[8:]]
            member = rng.choice(candidates)
            paired_on = self._date_in(rng.randint(5, 9))
            ended.append(Pair(member, worker, *worker.place(0), paired_on, worker.probation))
        # (c) the member retired (准备队 电修班's only member): his pairs end in his last month
        retiree = next(p for p in self.people if p.end == RELAPSES[1][2] and p.political == "中共党员")
        pool = [p for p in self.roster[6]["准备队"] if stable_worker(p, "准备队", 6)]
        for worker in rng.sample(pool, 2):
            used_workers.add(id(worker))
            ended.append(Pair(retiree, worker, *worker.place(last), self._date_in(6),
                              self._date_in(RELAPSES[1][2] - 1)))
        # (d) pairs re-arranged in 2022: both people still here
        for member in spare_members[8:11]:
            unit = member.place(last)[0]
            pool = [p for p in self.roster[6][unit] if stable_worker(p, unit, 6)]
            worker = rng.choice(pool)
            used_workers.add(id(worker))
            ended.append(Pair(member, worker, *worker.place(last), self._date_in(rng.randint(5, 8)),
                              self._date_in(rng.randint(26, 33))))
        # (e) two 机关 members whose earlier 综采队 worker left
        for member in rng.sample([p for p in hq if p.joined_on is not None], 2):
            worker = left_worker("综采队", 14, 40)
            ended.append(Pair(member, worker, *worker.place(worker.end - 1), self._date_in(5),
                              self._date_in(worker.end - 1)))
        self.pairs.extend(ended)

    # -------------------------------------------------------------- 谈心记录
    def _talks(self) -> None:
        rng = self.rng
        for pair in self.pairs:
            unit = pair.member.place(N_MONTHS - 1 if pair.ended_on is None else month_of(pair.ended_on))[0]
            first = month_of(pair.paired_on)
            last = month_of(pair.ended_on) if pair.ended_on else N_MONTHS - 1
            if pair.overdue:
                last = rng.randint(40, 44)
            step = rng.choice((1, 1, 2, 2, 2, 3))
            m = first
            dates = []
            while m <= last:
                lo = pair.paired_on.day + 1 if m == first else 1
                hi = pair.ended_on.day if pair.ended_on and m == month_of(pair.ended_on) else 28
                if lo <= min(hi, 28):
                    dates.append(self._date_in(m, lo, min(hi, 28)))
                m += step if rng.random() < 0.85 else step + 1
            if pair.ended_on is None and not pair.overdue and (not dates or dates[-1] < dt.date(2023, 11, 1)):
                dates.append(self._date_in(rng.choice((46, 47))))
            for d in dates:
                self.talks.append(Talk(d, pair.member, pair.worker, unit, rng.choice(TALK_METHODS),
                                       rng.choice(TALK_TOPICS)))
        self.talks.sort(key=lambda t: (t.date, t.member.staff_id, t.worker.staff_id))
        for t in self.talks:
            self.talks_by_month.setdefault((month_of(t.date), t.unit), []).append(t)

    def _problems(self) -> None:
        rng = self.rng
        seq: dict[int, int] = {}
        long_open = 0
        for talk in self.talks:
            if rng.random() >= 0.075:
                continue
            year = talk.date.year
            seq[year] = seq.get(year, 0) + 1
            talk.problem_id = f"WMS{year}-{seq[year]:03d}"
            category, texts = rng.choice(PROBLEM_TEXTS)
            found = talk.date
            feedback = _add_days(found, rng.choice((0, 1, 2, 3, 3, 5, 7, 10, 15)))
            resolved = _add_days(feedback, rng.randint(1, 45))
            if found >= dt.date(2023, 7, 1) and found < dt.date(2023, 11, 20) and long_open < 9 and rng.random() < 0.35:
                long_open += 1
                resolved = None
                if long_open % 3 == 0:
                    feedback = None
            satisfaction = rng.choice(("满意", "满意", "满意", "满意", "基本满意", "基本满意", "不满意"))
            unit, team = talk.worker.place(month_of(found))
            self.problems.append(LedgerItem(talk, talk.problem_id, unit, team, category, rng.choice(texts),
                                            feedback, resolved, satisfaction))


# ------------------------------------------------------------------------------------ sheet styles

@dataclass(frozen=True)
class Style:
    title: bool = False         # a title row above the header
    filler: bool = False        # 填报单位：…　　填报日期：… line
    seq: bool = False           # 序号 column
    hint: bool = False          # 必填/选填 row under the header
    total: bool = False         # 合计 row at the bottom
    notes: bool = False         # 填表说明 line below the data
    checks: bool = False        # √/× instead of 是/否
    dates: str = "date"         # date | dot (2023.07.03) | cn (2023年7月3日) | slash (2023/7/3)
    months: str = "date"        # date | dot (2023.07) | cn (2023年7月) | dash (2023-07) | none (from the title)
    quarters: str = "q"         # q (2023Q2) | cn (2023年第二季度) | none (from the title)
    unit_col: bool = True       # False: 队 from the 填报单位 line
    talk_unit_col: bool = True  # the 谈心记录 sheet has a 党员所在队 column
    headers: str = "std"        # std | syn (first declared synonym) | hint (…（是/否）, trailing spaces)
    goods: str = "score"        # 六好 as score | yes (是/否)
    names: str = "{unit}_{y}年{m}月"


UNIT_STYLES = {
    "综采队": Style(title=True, filler=True, seq=True, quarters="cn", goods="score"),
    "掘锚队": Style(hint=True, checks=True, dates="dot", months="dot", talk_unit_col=False, goods="yes",
                 names="{unit}{y}年{mm}月报表"),
    "综掘队": Style(title=True, total=True, dates="cn", months="none", quarters="none", talk_unit_col=False,
                 names="{y}年{m}月{unit}报表"),
    "开拓队": Style(seq=True, headers="syn", dates="slash", months="cn", quarters="cn", goods="yes",
                 names="{unit}-{y}-{mm}"),
    "机运队": Style(title=True, filler=True, unit_col=False, hint=True, total=True, talk_unit_col=False,
                 names="{unit}党建进班组月报（{y}.{mm}）"),
    "通防部": Style(names="{unit}_{y}.{mm}月"),
    "准备队": Style(headers="hint", months="dash", notes=True, checks=True, dates="dot", goods="yes",
                 names="{y}年{m}月{unit}"),
    HQ: Style(title=True, filler=True, seq=True, notes=True, names="机关{y}年{m}月党建报表"),
}
LEDGER_STYLE = Style(title=True, seq=True, total=False)
CSV_STYLE = Style(dates="dash")

HEADER_HINTS = {"political": "（中共党员/中共预备党员/共青团员/群众）", "frontline": "（是/否）",
                "team_leader": "（是/否）", "found_problem": "（是/否）", "status": "（待办理/办理中/已解决）",
                "review_status": "（已审核/待审核/退回）", "covered_teams": "（多个用、分隔）"}
TITLES = {"roster": "人员名册", "team_info": "班组信息表", "talks": "党员亲情谈心记录",
          "development": "发展党员工作台账", "pairs": "党员包保对子名单", "zones": "党员责任区划分表",
          "model_posts": "党员示范岗评定表", "scores": "比学争优综合评分表", "committee": "班组管理委员会成员名单",
          "slogans": "班组理念口号汇总", "honours": "荣誉表彰汇总", "problems": "微民生问题解决台帐"}
SCORE_ITEMS = (("安全", 30), ("生产", 25), ("学习", 15), ("创新", 15), ("纪律", 15))


def _header(key: str, field_name: str, style: Style) -> str:
    if field_name.startswith("item:"):
        label = field_name[5:]
        return f"{label}（{dict(SCORE_ITEMS)[label]}分）" if style.headers == "hint" else label
    col = SHEETS_BY_KEY[key].column(field_name)
    if style.headers == "syn" and col.synonyms:
        return col.synonyms[0]
    if style.headers == "hint":
        return col.label + HEADER_HINTS.get(field_name, " " if col.kind in ("text", "name", "id") else "")
    return col.label


def _cell(kind: str, value, style: Style):
    """A python value as this unit writes it."""
    if value is None:
        return None
    if kind == "bool":
        return ("√" if value else "×") if style.checks else ("是" if value else "否")
    if kind == "date":
        d = value
        return {"date": d, "dot": f"{d.year}.{d.month:02d}.{d.day:02d}", "cn": f"{d.year}年{d.month}月{d.day}日",
                "slash": f"{d.year}/{d.month}/{d.day}", "dash": d.isoformat()}[style.dates]
    if kind == "month":
        d = value
        return {"date": d, "none": d, "dot": f"{d.year}.{d.month:02d}", "cn": f"{d.year}年{d.month}月",
                "dash": f"{d.year}-{d.month:02d}"}[style.months]
    if kind == "quarter":
        y, q = value.split("Q")
        return f"{y}年第{CN_QUARTERS[int(q) - 1]}季度" if style.quarters == "cn" else value
    return value


def _kind(key: str, field_name: str) -> str:
    if field_name.startswith("item:"):
        return "number"
    return SHEETS_BY_KEY[key].column(field_name).kind


def _grid(key: str, fields: list[str], records: list[dict], style: Style, *, unit: str | None,
          period_text: str, filled_on: dt.date) -> list[list]:
    """The rows of one sheet: optional title and 填报 lines, header, hint row, data, total, notes."""
    rows: list[list] = []
    if style.title:
        rows.append([f"{unit or ''}{period_text}{TITLES[key]}"])
    if style.filler:
        rows.append([f"填报单位：{unit or '党群工作部'}　　填报日期：{filled_on.isoformat()}"])
    sheet = SHEETS_BY_KEY[key]
    header = [_header(key, f, style) for f in fields]
    rows.append((["序号"] if style.seq else []) + header)
    if style.hint:
        marks = ["必填" if (not f.startswith("item:") and sheet.column(f).required) else "选填" for f in fields]
        rows.append(([None] if style.seq else []) + marks)
    kinds = [_kind(key, f) for f in fields]
    for i, record in enumerate(records, 1):
        row = [_cell(k, record.get(f), style) for f, k in zip(fields, kinds)]
        rows.append(([i] if style.seq else []) + row)
    if style.total:
        rows.append(["合计"] + [None] * (len(fields) - 2 + style.seq) + [f"共 {len(records)} 条"])
    if style.notes:
        rows.append(["填表说明：工号按文本填写；是/否列填写 是 或 否；本表由各队党支部每月5日前报党群工作部。"])
    return rows


@dataclass
class FileSpec:
    name: str
    sheets: list[tuple[str, list[list]]]    # (sheet name, rows)

    @property
    def is_csv(self) -> bool:
        return self.name.endswith(".csv")


def _write(spec: FileSpec, folder: Path) -> Path:
    path = folder / spec.name
    if spec.is_csv:
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        for row in spec.sheets[0][1]:
            writer.writerow(["" if v is None else (v.isoformat() if isinstance(v, dt.date) else v) for v in row])
        path.write_bytes(buffer.getvalue().encode("gb18030"))
        return path
    wb = Workbook(write_only=True)
    for sheet_name, rows in spec.sheets:
        ws = wb.create_sheet(sheet_name)
        for row in rows:
            ws.append(row)
    wb.save(path)
    return path


def _write_many(specs: list[FileSpec], folder: str) -> list[str]:
    return [str(_write(spec, Path(folder))) for spec in specs]


# ------------------------------------------------------------------------------------ the files

class Files:
    """Turns the World into the workbooks, in the order they should be imported."""

    def __init__(self, world: World) -> None:
        self.w = world
        self.rng = random.Random(SEED + 1)   # form details only; the facts come from World
        self.specs: list[FileSpec] = []

    # -------------------------------------------------------------- field lists
    @staticmethod
    def _fields(key: str, style: Style, *, unit_fields=("unit",), period=None) -> list[str]:
        fields = list(SHEETS_BY_KEY[key].fields)
        if not style.unit_col:
            fields = [f for f in fields if f not in unit_fields]
        if period == "month" and style.months == "none":
            fields = [f for f in fields if f != "month"]
        if period == "quarter" and style.quarters == "none":
            fields = [f for f in fields if f != "quarter"]
        return fields

    def _name(self, unit: str, style: Style, m: int, suffix: str = ".xlsx") -> str:
        d = month_start(m)
        return style.names.format(unit=unit, y=d.year, m=d.month, mm=f"{d.month:02d}") + suffix

    # -------------------------------------------------------------- monthly
    def monthly(self, unit: str, m: int) -> FileSpec:
        w, style = self.w, UNIT_STYLES[unit]
        d = month_start(m)
        filled = _add_days(month_start(m + 1), self.rng.randint(0, 4))
        period = f"{d.year}年{d.month}月份"
        people = w.roster[m][unit]
        # 人员名册
        fields = self._fields("roster", style, period="month")
        left_out = {"掘锚队": ("birth_month",), "机运队": ("birth_month", "gender")}.get(unit, ())
        fields = [f for f in fields if f not in left_out]     # optional columns some units never fill
        if unit == "开拓队":   # name before 工号, as that unit's sheet has it
            i = fields.index("staff_id")
            fields[i], fields[i + 1] = fields[i + 1], fields[i]
        records = []
        for p in people:
            team = p.place(m)[1]
            status = p.status(m)
            joined = p.probation if p.probation and month_of(p.probation) <= m else p.joined_on
            records.append({"month": d, "unit": unit, "team": team, "staff_id": p.staff_id, "name": p.roster_name(),
                            "gender": p.gender, "birth_month": p.birth, "post": p.post, "frontline": p.frontline,
                            "team_leader": p.leader, "political": status,
                            "joined_on": joined if status in PARTY else None})
        sheets = [("人员名册", _grid("roster", fields, records, style, unit=unit, period_text=period, filled_on=filled))]
        # 班组信息
        blank = set(w.blank_teams(m))
        fields = self._fields("team_info", style, period="month")
        if unit == "综掘队":
            fields = [f for f in fields if f != "branch"]
        records = []
        for u, team in w.teams:
            if u != unit:
                continue
            record = {"month": d, "unit": unit, "team": team, "team_type": TEAM_TYPE[(u, team)],
                      "branch": BRANCH[unit]}
            liaison = w.liaisons.get((u, team))
            relapse_start = next((r[2] for r in RELAPSES if (r[0], r[1]) == (u, team)), None)
            if (u, team) in blank and liaison is not None and m >= LIAISON_FROM.get((u, team), 0) \
                    and m != relapse_start:
                record.update(liaison_id=liaison.staff_id, liaison_name=liaison.name)
            records.append(record)
        team_style = replace(style, total=False, notes=False)
        sheets.append(("班组信息", _grid("team_info", fields, records, team_style, unit=unit, period_text=period,
                                       filled_on=filled)))
        # 谈心记录
        talks = w.talks_by_month.get((m, unit), [])
        if talks:
            fields = list(SHEETS_BY_KEY["talks"].fields)
            if not style.talk_unit_col:
                fields.remove("member_unit")
            records = [{"talk_date": t.date, "member_id": t.member.staff_id, "member_name": t.member.name,
                        "member_unit": t.unit, "worker_id": t.worker.staff_id, "worker_name": t.worker.name,
                        "method": t.method, "content": t.content, "found_problem": t.problem_id is not None,
                        "problem_id": t.problem_id} for t in talks]
            talk_style = replace(style, title=style.title or not style.talk_unit_col, total=False)
            sheets.append(("谈心记录", _grid("talks", fields, records, talk_style, unit=unit, period_text=period,
                                           filled_on=filled)))
        return FileSpec(self._name(unit, style, m), sheets)

    # -------------------------------------------------------------- quarterly
    def quarterly(self, unit: str, q: int) -> FileSpec:
        w, style, rng = self.w, UNIT_STYLES[unit], self.rng
        label = quarter_label(q)
        year, n = FIRST_YEAR + q // 4, q % 4 + 1
        period = f"{year}年第{CN_QUARTERS[n - 1]}季度"
        m = 3 * q + 2
        filled = _add_days(month_start(m + 1), rng.randint(3, 9))
        people = w.roster[m][unit]
        # 比学争优: every member, and the 班组长 and activists among the others.
        dev_ids = {id(d["person"]) for d in w.dev if d["activist_on"] and month_of(d["activist_on"]) <= m}
        fields = self._fields("scores", style, period="quarter")
        i = fields.index("self_score")
        fields[i:i] = [f"item:{name}" for name, _ in SCORE_ITEMS]
        records = []
        for p in people:
            if not (p.member(m) or p.leader or id(p) in dev_ids):
                continue
            items = {}
            for name, top in SCORE_ITEMS:
                items[f"item:{name}"] = max(0, top - rng.choice((0, 0, 1, 1, 2, 2, 3, 4, 5, 6)))
            total = sum(items.values())
            review = max(0, total - rng.choice((0, 0, 1, 1, 2, 2, 3, 5)))
            status = "已审核"
            if q == 15 and rng.random() < 0.2:
                status, review = "待审核", None
            elif rng.random() < 0.01:
                status, review = "退回", None
            records.append({"quarter": label, "unit": unit, "team": p.place(m)[1], "staff_id": p.staff_id,
                            "name": p.name, **items, "self_score": total, "review_score": review,
                            "review_status": status})
        sheets = [("比学争优", _grid("scores", fields, records, style, unit=unit, period_text=period, filled_on=filled))]
        # 党员示范岗
        records = []
        for post_name, holder in w.model_posts(unit, q):
            goods = {}
            if style.goods == "score":
                for f, _, _ in SIX_GOODS:
                    goods[f] = rng.randint(78, 100) if rng.random() < 0.9 else rng.randint(60, 80)
                mean = sum(goods.values()) / 6
                result = "优秀" if mean >= 90 else ("良好" if mean >= 80 else "合格")
            else:
                for f, _, _ in SIX_GOODS:
                    goods[f] = rng.random() < 0.95
                result = "优秀" if all(goods.values()) else "合格"
                goods = {f: _cell("bool", v, style) for f, v in goods.items()}
            records.append({"quarter": label, "post_name": post_name, "unit": unit, "team": holder.place(m)[1],
                            "member_id": holder.staff_id, "member_name": holder.name, **goods, "result": result})
        fields = self._fields("model_posts", style, period="quarter")
        post_style = replace(style, total=False)
        sheets.append(("党员示范岗", _grid("model_posts", fields, records, post_style, unit=unit,
                                        period_text=period, filled_on=filled)))
        name = f"{unit}_{year}年第{CN_QUARTERS[n - 1]}季度比学争优及示范岗评定.xlsx"
        if unit in ("掘锚队", "准备队"):
            name = f"{unit}{year}Q{n}考评.xlsx"
        return FileSpec(name, sheets)

    # -------------------------------------------------------------- one-off lists
    def development(self, unit: str, as_of: dt.date | None = None) -> FileSpec | None:
        style = UNIT_STYLES[unit]
        records = []
        for d in self.w.dev:
            if d["unit"] != unit:
                continue
            p = d["person"]
            record = {"unit": unit, "team": d["team"], "staff_id": p.staff_id, "name": p.name,
                      "frontline": p.frontline, "team_leader": p.leader, "mentor": d["mentor"]}
            for f in ("applied_on", "activist_on", "candidate_on", "probation_on", "full_on"):
                value = d[f]
                record[f] = value if value is not None and (as_of is None or value <= as_of) else None
            if record["applied_on"] is None:
                continue
            records.append(record)
        if not records:
            return None
        records.sort(key=lambda r: (r["applied_on"], r["staff_id"]))
        fields = self._fields("development", style)
        filled = as_of or dt.date(2024, 1, 8)
        suffix = f"（{as_of.year}年底）" if as_of else ""
        return FileSpec(f"{unit}_发展党员名单{suffix}.xlsx",
                        [("发展党员", _grid("development", fields, records, replace(style, total=False), unit=unit,
                                          period_text="", filled_on=filled))])

    def pairs(self, unit: str) -> FileSpec | None:
        style = UNIT_STYLES[unit]
        records = []
        for pair in self.w.pairs:
            member_unit = pair.member.place(month_of(pair.ended_on) if pair.ended_on else N_MONTHS - 1)[0]
            if member_unit != unit:
                continue
            records.append({"member_id": pair.member.staff_id, "member_name": pair.member.name,
                            "member_unit": unit, "worker_id": pair.worker.staff_id, "worker_name": pair.worker.name,
                            "worker_unit": pair.worker_unit, "worker_team": pair.worker_team,
                            "paired_on": pair.paired_on, "ended_on": pair.ended_on})
        if not records:
            return None
        records.sort(key=lambda r: (r["member_id"], r["paired_on"], r["worker_id"]))
        fields = self._fields("pairs", style, unit_fields=("member_unit",))
        return FileSpec(f"{unit}_党员包保对子名单.xlsx",
                        [("包保对子", _grid("pairs", fields, records, replace(style, total=False), unit=unit,
                                          period_text="", filled_on=dt.date(2024, 1, 5)))])

    def zones(self, unit: str, start_no: int) -> tuple[FileSpec, int]:
        w, rng, style = self.w, self.rng, UNIT_STYLES[unit]
        last = N_MONTHS - 1
        owners_per_zone = ZONE_OWNERS[unit]
        teams = [t for u, t in w.teams if u == unit]
        shuffled = teams[:]
        rng.shuffle(shuffled)
        groups = [shuffled[i::len(owners_per_zone)] for i in range(len(owners_per_zone))]
        members = [p for p in w.roster[last][unit] if p.member(last)]
        owners = rng.sample(members, sum(owners_per_zone))
        records = []
        k = 0
        for z, (n_owners, group) in enumerate(zip(owners_per_zone, groups)):
            zone_no = start_no + z
            group = sorted(group, key=teams.index)
            set_up = dt.date(2020, rng.randint(6, 9), rng.randint(1, 28))
            for owner in owners[k:k + n_owners]:
                records.append({"zone_id": f"ZRQ{zone_no:02d}", "zone_name": f"{group[0].removesuffix('班')}片区党员责任区",
                                "unit": unit, "covered_teams": "、".join(group), "owner_id": owner.staff_id,
                                "owner_name": owner.name, "duty": rng.choice(ZONE_DUTIES), "set_up_on": set_up})
            k += n_owners
        fields = self._fields("zones", style)
        spec = FileSpec(f"{unit}_党员责任区.xlsx",
                        [("党员责任区", _grid("zones", fields, records, replace(style, total=False), unit=unit,
                                           period_text="", filled_on=dt.date(2024, 1, 6)))])
        return spec, start_no + len(owners_per_zone)

    def committee(self, unit: str) -> FileSpec:
        w, rng, style = self.w, self.rng, UNIT_STYLES[unit]
        last = N_MONTHS - 1
        teams = [t for u, t in w.teams if u == unit]
        without = set(rng.sample(teams, 1 if unit != HQ else 2))
        records = []
        for team in teams:
            if team in without:
                continue
            people = [p for p in w.roster[last][unit] if p.place(last)[1] == team]
            size = rng.randint(3, 5)
            chosen = [p for p in people if p.leader or p.member(last)][:2]
            rest = [p for p in people if p not in chosen]
            chosen += rng.sample(rest, size - len(chosen))
            roles = rng.sample(COMMITTEE_ROLES[:5], min(size, 5)) + list(COMMITTEE_ROLES[5:])[:max(0, size - 5)]
            appointed = dt.date(rng.randint(2020, 2023), rng.randint(1, 12), rng.randint(1, 28))
            for p, role in zip(chosen, roles):
                records.append({"unit": unit, "team": team, "staff_id": p.staff_id, "name": p.name, "role": role,
                                "appointed_on": appointed})
        fields = self._fields("committee", style)
        return FileSpec(f"{unit}_班组管理委员会.xlsx",
                        [("管理委员会", _grid("committee", fields, records, replace(style, total=False), unit=unit,
                                           period_text="", filled_on=dt.date(2024, 1, 6)))])

    def slogans(self, unit: str) -> FileSpec:
        w, rng = self.w, self.rng
        style = UNIT_STYLES[unit]
        csv_file = unit in ("通防部", "准备队")
        if csv_file:
            style = CSV_STYLE
        teams = [t for u, t in w.teams if u == unit]
        chosen = sorted(rng.sample(teams, 3), key=teams.index)
        records = []
        for team in chosen:
            for category, texts in SLOGANS.items():
                records.append({"unit": unit, "team": team, "category": category, "content": rng.choice(texts)})
        fields = self._fields("slogans", style)
        ext = ".csv" if csv_file else ".xlsx"
        return FileSpec(f"{unit}_班组理念口号{ext}",
                        [("理念口号", _grid("slogans", fields, records, replace(style, total=False), unit=unit,
                                          period_text="", filled_on=dt.date(2024, 1, 6)))])

    # -------------------------------------------------------------- yearly
    def honours(self, year: int) -> FileSpec:
        w, rng = self.w, self.rng
        m = (year - FIRST_YEAR) * 12 + 11
        non_blank = [k for k in w.teams if k not in w.blank_teams(m) and k[0] != HQ]
        members = [p for u in UNITS for p in w.roster[m][u] if p.member(m)]
        records = []

        def teams_award(title, by, teams):
            for unit, team in teams:
                records.append({"year": year, "title": title, "awarded_by": by, "unit": unit, "team": team})

        def people_award(title, by, people):
            for p in people:
                unit, team = p.place(m)
                records.append({"year": year, "title": title, "awarded_by": by, "unit": unit, "team": team,
                                "recipient": p.name, "staff_id": p.staff_id})

        if year == 2020:
            people_award("优秀共产党员", "矿党委", rng.sample(members, 3))
            teams_award("先进班组", "矿工会", rng.sample(non_blank, 2))
        elif year == 2021:
            teams_award("党员先锋岗", "矿党委", rng.sample(non_blank, 3))
            people_award("优秀共产党员", "集团公司党委", rng.sample(members, 2))
            people_award("优秀党务工作者", "矿党委", rng.sample([p for p in members if p.place(m)[0] == HQ], 1))
        elif year == 2022:
            pioneers = rng.sample(non_blank, 5)
            teams_award("党员先锋岗", "矿党委", pioneers)
            teams_award("党员先锋岗", "集团公司党委", pioneers[2:3])
            people_award("优秀共产党员", "矿党委", rng.sample(members, 4))
            # Also a 党员先锋岗 team: 2022's honoured teams are exactly the report's five.
            teams_award("工人先锋号", "集团公司工会", pioneers[4:5])
        else:
            pioneers = rng.sample(non_blank, 4)
            teams_award("党员先锋岗", "矿党委", pioneers)
            teams_award("党员先锋岗", "集团公司党委", pioneers[:2])
            people_award("优秀共产党员", "矿党委", rng.sample(members, 3))
            teams_award("先进班组", "矿工会", rng.sample(non_blank, 3))
        csv_file = year == 2021
        style = CSV_STYLE if csv_file else LEDGER_STYLE
        fields = list(SHEETS_BY_KEY["honours"].fields)
        name = f"{year}年度荣誉表彰汇总{'.csv' if csv_file else '.xlsx'}"
        return FileSpec(name, [("荣誉", _grid("honours", fields, records, style, unit=None,
                                            period_text=f"{year}年度", filled_on=dt.date(year + 1, 1, 10)))])

    def problems(self, year: int) -> FileSpec:
        end = dt.date(year, 12, 31)
        records = []
        for pr in self.w.problems:
            found = pr.talk.date
            if found > end:
                continue
            resolved = pr.resolved_on if pr.resolved_on and pr.resolved_on <= end else None
            if found.year < year and pr.resolved_on is not None and pr.resolved_on.year < year:
                continue    # settled in an earlier year's ledger
            feedback = pr.feedback_on if pr.feedback_on and pr.feedback_on <= end else None
            status = "已解决" if resolved else ("办理中" if feedback else "待办理")
            records.append({"problem_id": pr.problem_id, "found_on": found, "unit": pr.unit, "team": pr.team,
                            "reporter": pr.talk.worker.name, "category": pr.category,
                            "description": pr.description, "owner": pr.talk.member.name, "feedback_on": feedback,
                            "resolved_on": resolved, "status": status,
                            "satisfaction": pr.satisfaction if resolved else None})
        csv_file = year == 2020
        style = CSV_STYLE if csv_file else replace(LEDGER_STYLE, dates="cn" if year == 2022 else "date")
        fields = list(SHEETS_BY_KEY["problems"].fields)
        name = f"{year}年微民生问题解决台帐{'.csv' if csv_file else '.xlsx'}"
        return FileSpec(name, [("问题台帐", _grid("problems", fields, records, style, unit=None,
                                              period_text=f"{year}年", filled_on=dt.date(year + 1, 1, 6)))])

    # -------------------------------------------------------------- everything, in import order
    def all(self) -> list[FileSpec]:
        specs = []
        for m in range(N_MONTHS):
            for unit in UNITS:
                specs.append(self.monthly(unit, m))
            if m % 3 == 2:
                for unit in UNITS:
                    specs.append(self.quarterly(unit, m // 3))
            if m % 12 == 11:
                year = FIRST_YEAR + m // 12
                specs.append(self.honours(year))
                specs.append(self.problems(year))
                if year == 2021:
                    for unit in UNITS:
                        spec = self.development(unit, as_of=dt.date(2021, 12, 31))
                        if spec:
                            specs.append(spec)
        for unit in UNITS:
            for spec in (self.development(unit), self.pairs(unit)):
                if spec:
                    specs.append(spec)
        zone_no = 1
        for unit in UNITS:
            spec, zone_no = self.zones(unit, zone_no)
            specs.append(spec)
        for unit in UNITS:
            specs.append(self.committee(unit))
        for unit in UNITS:
            specs.append(self.slogans(unit))
        return specs


def demo_specs() -> list[FileSpec]:
    """Every file of the demo data set, in import order (computed, not yet written)."""
    return Files(World()).all()


# ------------------------------------------------------------------------------------ public API

def write_demo_workbooks(folder: Path) -> list[Path]:
    """Write every demo workbook into `folder`; return them in the order they should be imported."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    return [_write(spec, folder) for spec in demo_specs()]


def build_demo_database(db_path: Path, progress=None) -> str:
    """A fresh demo database at `db_path`, loaded file by file through the importer.

    Deletes `db_path` (and its .wal), writes the workbooks to `db_path.parent / "demo_workbooks"`
    and imports them in order as user 演示数据. The workbooks are written by a child process
    while this one imports (writing would otherwise add a third to the time). Raises
    RuntimeError listing the errors if any file is rejected. Returns e.g. "导入 568 个文件，68,789 行".
    """
    from lib.access.auth import ADMIN, User
    from lib.store.importer import REJECTED, import_file
    from lib.store.database import Store

    importer = User(DEMO_IMPORTER_NAME, ADMIN)

    def say(text: str) -> None:
        if progress is not None:
            progress(text)

    db_path = Path(db_path)
    for stale in (db_path, db_path.with_name(db_path.name + ".wal")):
        if stale.exists():
            stale.unlink()
    folder = db_path.parent / "demo_workbooks"
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    say("正在生成演示报表…")
    started = time.monotonic()
    rejected: list[str] = []
    rows = files = 0
    with _Writer(folder) as writer:
        store = Store(db_path)
        try:
            for path in writer.paths():
                result = import_file(store, path.read_bytes(), path.name, importer)
                files += 1
                if result.status == REJECTED:
                    for problem in result.errors[:5]:
                        where = " ".join(str(x) for x in (problem.sheet, f"第{problem.row}行" if problem.row else "",
                                                          problem.column) if x)
                        rejected.append(f"{path.name} {where}：{problem.message}")
                else:
                    rows += sum(s.rows_loaded for s in result.loadable)
                if files % 40 == 0:
                    say(f"已导入 {files}/{writer.total or '…'} 个文件（{time.monotonic() - started:.0f} 秒）")
        finally:
            store.close()
    if rejected:
        raise RuntimeError("演示数据有文件被拒绝：\n" + "\n".join(rejected[:40]))
    say(f"演示数据导入完成，用时 {time.monotonic() - started:.0f} 秒")
    return f"导入 {files:,} 个文件，{rows:,} 行"


def rebuild_demo(user: User, db_path: Path | None = None, progress=None) -> str:
    """build_demo_database for a person (app or CLI): 管理员 only, since it replaces the demo database."""
    from lib.access.auth import MANAGE, require
    from lib.config import demo_db_path

    require(user, MANAGE, action="重置演示数据")
    return build_demo_database(Path(db_path) if db_path else demo_db_path(), progress=progress)


class _Writer:
    """The demo files in import order, each yielded once it is completely written.

    A child process (`python -m demo.dataset --write FOLDER`) writes them and prints each name; it
    recomputes the same data from the seed. Not `multiprocessing`: its 'spawn' re-runs the
    caller's main script and 'fork' would copy an open DuckDB connection. If no child can be
    started, a thread writes them instead (slower: openpyxl then competes for the GIL).
    """

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.total: int | None = None
        self.proc: subprocess.Popen | None = None
        self.errors = None
        self.pool: ThreadPoolExecutor | None = None

    def __enter__(self) -> "_Writer":
        root = str(Path(__file__).resolve().parent.parent)
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(p for p in (root, env.get("PYTHONPATH")) if p)
        env["PYTHONIOENCODING"] = "utf-8"
        self.errors = tempfile.TemporaryFile()
        try:
            self.proc = subprocess.Popen([sys.executable, "-m", "demo.dataset", "--write", str(self.folder)],
                                         cwd=root, env=env, stdout=subprocess.PIPE, stderr=self.errors,
                                         stdin=subprocess.DEVNULL, text=True, encoding="utf-8")
        except OSError:
            self.proc = None
        return self

    def paths(self):
        if self.proc is None:
            yield from self._thread_paths()
            return
        written = 0
        for line in self.proc.stdout:
            line = line.rstrip("\n")
            if line.startswith("#"):
                self.total = int(line[1:])
            elif line:
                written += 1
                yield self.folder / line
        if self.proc.wait() != 0:
            if not written:     # the child could not run here (e.g. no interpreter path): write in-process
                self.proc.stdout.close()
                self.proc = None
                yield from self._thread_paths()
                return
            self.errors.seek(0)
            tail = self.errors.read().decode("utf-8", errors="replace")[-2000:]
            raise RuntimeError(f"生成演示报表失败：\n{tail}")

    def _thread_paths(self):
        specs = demo_specs()
        self.total = len(specs)
        self.pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="demo-writer")
        chunk = 8
        futures = [self.pool.submit(_write_many, specs[i:i + chunk], str(self.folder))
                   for i in range(0, len(specs), chunk)]
        try:
            for future in futures:
                for path in future.result():
                    yield Path(path)
        finally:
            for future in futures:
                future.cancel()

    def __exit__(self, *exc) -> None:
        if self.proc is not None:
            if self.proc.poll() is None:
                self.proc.kill()
            self.proc.wait()
            self.proc.stdout.close()
        if self.pool is not None:
            self.pool.shutdown(wait=True)
        if self.errors is not None:
            self.errors.close()


def _write_in_order(folder: Path) -> None:
    """The child's side of _Writer: '#<count>', then each file name once it is written."""
    folder.mkdir(parents=True, exist_ok=True)
    specs = demo_specs()
    print(f"#{len(specs)}", flush=True)
    for spec in specs:
        print(_write(spec, folder).name, flush=True)


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--write":
        _write_in_order(Path(sys.argv[2]))
    else:
        print("用法：python -m demo.dataset --write 目录（生成演示数据请用 python -m lib.cli demo）", file=sys.stderr)
        sys.exit(2)

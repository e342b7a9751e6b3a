"""指标口径 for users: what each figure means, how it is counted, from which sheet, and the thresholds
as sentences. The developer version (indicator ids, settings, where the SQL lives) is docs/metrics.md.

Sheet names come from the sheet declarations, threshold numbers from lib/metrics/thresholds.py, so
the page says what the program does.
"""
from __future__ import annotations

from dataclasses import dataclass

from lib.ingest.sheets import SHEETS_BY_KEY
from lib.metrics import thresholds as t


@dataclass(frozen=True)
class Definition:
    name: str                      # as the pages call it
    meaning: str                   # 含义
    counting: tuple[str, ...]      # 怎么算
    sheets: tuple[str, ...]        # sheet keys; shown by their Chinese names
    rules: tuple[str, ...] = ()    # thresholds and checks, as sentences with the numbers in them

    @property
    def sheet_names(self) -> tuple[str, ...]:
        return tuple(SHEETS_BY_KEY[k].label for k in self.sheets)


@dataclass(frozen=True)
class Section:
    title: str
    items: tuple[Definition, ...]


GENERAL_RULES = (
    "每个数字都按左侧所选的队、班组和月份区间计算；不选队或班组即为全部。“截至日期”是区间最后一个月的最后一天。",
    "谈心、发现问题、确定发展对象这类“发生的事”，统计日期落在区间内的。",
    ("班组数、空白班组、党员人数这类“某一时点的情况”，看区间最后一个月的《人员名册》；该月没有报送的，"
    "用此前最近一个月的名册，页面上会注明“数据截至某年某月”。"),
    "党员指政治面貌为中共党员或中共预备党员的人员。",
    "比例都同时写出分子和分母（如 7/8）；没有可统计的对象时不算比例，直接说明（如“无空白班组”“本期无新问题”）。",
    ("未报送不是 0：所需报表在所选队和区间内没有数据时，显示“未报送”和要上传的报表，不显示 0% 或 0 次；"
    "与上期比较时，上期未报送的不计增减。"),
    ("报表按队报送：包保对子算党员所在队和职工所在队双方的（如机关党员包保综采队职工），谈心记录算党员所在队的。"
    "队已报送、但所选班组没有记录的，按 0 统计。"),
    "与上期比较时，上期是紧挨在本区间之前、月数相同的一段时间。",
    f"打开看板时默认显示最近 {t.DEFAULT_MONTHS} 个月。",
)

SECTIONS = (
    Section("一、三个加力", (
        Definition(
            "发展对象中一线职工占比、班组长占比",
            "区间内新确定的发展对象中，有多少来自一线职工、有多少是班组长。",
            ("分母：确定发展对象的时间在区间内的人数。",
             "分子：其中是一线职工（或是班组长）的人数。",
             "例：2020 年全年确定发展对象 8 人，其中一线职工 7 人（87.5%），班组长 5 人（62.5%）。"),
            ("development",)),
        Definition(
            "发展党员进度",
            "入党申请人、入党积极分子、发展对象、预备党员、正式党员各阶段现在各有多少人，以及谁该办的事还没办。",
            ("每人算在截至日期时已到达的最后一个阶段；同时列出区间内进入各阶段的人数。",
             "各阶段用时：相邻两个阶段都有日期的人员，两阶段间隔天数的中位数。"),
            ("development",),
            (f"接收为预备党员满 {t.PROBATION_DAYS} 天（预备期一年）仍未转为正式党员的，列为待转正，并写出逾期天数。",
             (f"从确定积极分子到确定发展对象不足 {t.FAST_PROMOTION_DAYS} 天的，列为培养期不足一年"
             "（积极分子应培养一年以上）。"))),
        Definition(
            "班组党员覆盖、空白班组",
            "有多少班组里有党员；没有党员的班组叫空白班组。",
            ("班组数：名册中所选范围内出现的班组。",
             "空白班组：没有中共党员、中共预备党员的班组。",
             "覆盖率 = 有党员的班组数 ÷ 班组数。",
             "党员占比 = 党员人数 ÷ 名册总人数；每个班组的人数、党员数也逐一列出。"),
            ("roster",),
            ("目标是没有空白班组（空白班组数为 0）。",)),
        Definition(
            "空白班组变化",
            "每个月有多少空白班组，哪些班组新消除、哪些新出现。",
            ("区间内每个已报送名册的月份各算一次空白班组数；没有报送名册的月份空着不画。",
             "与上一个有名册的月份相比：上月空白、本月有党员的为新消除；上月有党员、本月空白的为新出现。"),
            ("roster",)),
        Definition(
            "挂靠率",
            "空白班组中，已经安排党员挂靠联系人的占多少。",
            ("挂靠率 = 登记了挂靠联系人（姓名或工号）的空白班组数 ÷ 空白班组数。",
             "用名册当月的班组信息；该队当月没有报送的，用此前最近一个月的。没有挂靠联系人的空白班组逐一列出。"),
            ("roster", "team_info"),
            ("没有空白班组时不算挂靠率，显示“无空白班组”。",)),
    )),
    Section("二、三个动作", (
        Definition(
            "包保覆盖",
            "党员与职工结成的包保对子，覆盖了多少职工、多少党员参与。",
            ("有效对子：结对日期不晚于截至日期，且还没有解除（或解除日期在截至日期之后）。",
             "职工覆盖率 = 在有效对子中的职工人数 ÷ 名册中所选范围内的非党员人数（按职工所在队、班组计）。",
             "党员参与率 = 有有效对子的党员人数 ÷ 名册中所选范围内的党员人数（按党员所在队计）。",
             "人均包保 = 有效对子数 ÷ 有对子的党员人数，并按队列出。",
             "例：演示数据截至 2023 年 12 月，104 名党员与 223 名职工结对。"),
            ("pairs", "roster")),
        Definition(
            "谈心谈话",
            "党员与包保职工谈了多少次心、谈到了多少人，哪些对子太久没谈。",
            ("谈心次数：谈心日期在区间内的记录数，按谈心方式分列，并写出谈心时发现问题的次数。",
             "谈心覆盖率 = 有效对子中、区间内和包保党员谈过心的职工人数 ÷ 有效对子中的职工人数。"),
            ("talks", "pairs"),
            ((f"超过 {t.OVERDUE_TALK_DAYS} 天没有谈心的有效对子列为逾期未谈，写出最近一次谈心日期和相隔天数；"
             f"结对不满 {t.OVERDUE_TALK_DAYS} 天的对子不算逾期。"),)),
        Definition(
            "问题台帐",
            "谈心和日常工作中发现的问题，解决了多少、反馈快不快、还有哪些拖着没办。",
            ("新发现问题：发现日期在区间内的问题数。",
             "解决率 = 截至日期已解决的 ÷ 新发现的。",
             "解决用时：已解决问题从发现到解决天数的中位数。按问题类别、按队分列。"),
            ("problems",),
            ((f"发现后 {t.TIMELY_FEEDBACK_DAYS} 天内（含第 {t.TIMELY_FEEDBACK_DAYS} 天）有反馈的，算作及时反馈；"
             "及时反馈率 = 及时反馈的问题 ÷ 新发现问题。"),
             (f"截至日期仍未解决、且发现已超过 {t.OPEN_PROBLEM_DAYS} 天的问题列为超期未办结，"
             "不论是否在区间内发现，逐条列出。"))),
        Definition(
            "党员责任区",
            "划了多少责任区、有多少党员承包，每个班组是否都在某个责任区内。",
            ("责任区数按责任区编号计，承包人数按承包人计（同一人只算一次），按队分列。",
             "班组覆盖率 = 被本队至少一个责任区列为覆盖班组的班组数 ÷ 班组数；未被覆盖的班组逐一列出。",
             "承包人在名册中不是党员（或不在名册中）的，单独提醒。",
             "例：演示数据有 32 个责任区、73 名承包人。"),
            ("zones", "roster")),
        Definition(
            "党员示范岗",
            "各季度有多少党员示范岗，按“六好”标准有多少全部达标。",
            ("按区间涉及的季度统计示范岗个数。",
             "六好达标率 = 六项全部达标的示范岗数 ÷ 示范岗数；另给出每一项的达标率和各队情况。"),
            ("model_posts",),
            (f"“六好”中的每一项，得分不低于 {t.MODEL_POST_PASS_SCORE} 分或填写“是”，即为达标。",)),
    )),
    Section("三、三个体系", (
        Definition(
            "比学争优",
            "党员每季度的综合得分，各班组、各队的平均分和班组内排名。",
            ("每人每季度取支部审核分；还没有审核的取自评总分，并标为“未审核”。",
             "按季度算出每个班组、每个队的平均分（按人数平均）。",
             "班组内排名：得分从高到低，同分同名次（如 1、2、2、4）；名次变化 = 上季度名次 − 本季度名次，正数为进步。",
             "审核完成率 = 已有支部审核分的人数 ÷ 参评人数；自评与审核差 = 自评总分减支部审核分的平均值。"),
            ("scores",)),
        Definition(
            "班组管理委员会",
            "有多少班组成立了管理委员会，委员占班组人数多少。",
            ("有管理委员会的班组数 ÷ 名册中的班组数；委员人数 ÷ 这些班组的总人数；没有管理委员会的班组逐一列出。",),
            ("committee", "roster")),
        Definition(
            "理念口号",
            "各班组写了多少条争一流口号、学习愿景和安全理念。",
            ("按班组分三类计条数；缺少某一类的班组逐一列出。",
             "例：演示数据共 72 条。"),
            ("slogans",)),
        Definition(
            "荣誉",
            "各年度获得了哪些荣誉，多少班组获得集体荣誉。",
            ("按年度、授予单位统计荣誉数。",
             "集体荣誉：写明了班组、没有写获得者个人的荣誉；统计区间涉及年度内获得集体荣誉的班组数。",
             "例：演示数据 2022 年有 5 个班组获得集体荣誉（党员先锋岗）。"),
            ("honours",)),
    )),
    Section("数据报送", (
        Definition(
            "报送情况",
            "各队每个月（按季度报送的表为每个季度）各类报表是否已经上传。",
            (("每格写出是否已上传、行数和最近上传时间；整份名单类的报表（发展党员、包保对子、党员责任区、管理委员会、"
             "理念口号）只看每队是否已上传。"),
             "已报送 / 应报送、缺报清单只统计应报送的格子。"),
            tuple(SHEETS_BY_KEY),
            (("一个队从它第一次报送某类报表的月份（季度）起应按期报送该表，此前的月份不算缺报（显示“—”）；"
             "从未报送过的报表不算缺报。"),
             "管理员可以为某队某类报表设定“应报送起始月份”，设定后从该月起算；设定和取消都记入操作记录。")),
        Definition(
            "总览",
            "一页看全矿（或所选队、班组）的主要数字，并与上期比较。",
            (("空白班组数、班组党员覆盖率、党员人数、发展对象一线职工占比、包保职工覆盖率、谈心次数、逾期未谈对子、"
             "新发现问题、问题解决率、比学争优平均分（最后一个季度，按人数加权），每项与上期比较，口径同上。"),),
            ("roster", "development", "pairs", "talks", "problems", "scores")),
    )),
)


def definitions_markdown() -> str:
    """The whole 指标口径 text for the page, in Markdown."""
    out = ["### 通用规则", ""]
    out += [f"- {rule}" for rule in GENERAL_RULES]
    for section in SECTIONS:
        out += ["", f"### {section.title}"]
        for d in section.items:
            out += ["", f"#### {d.name}", "", f"**含义**：{d.meaning}", "", "**怎么算**：", ""]
            out += [f"- {line}" for line in d.counting]
            if d.rules:
                out += ["", "**判断标准**：", ""]
                out += [f"- {line}" for line in d.rules]
            out += ["", "**来自哪张表**：" + "、".join(f"《{name}》" for name in d.sheet_names)]
    return "\n".join(out) + "\n"


def markdown_sections(text: str, prefix: str = "### ", intro: str = "说明") -> list[tuple[str, str]]:
    """A document cut at its headings of one level: (heading, the section's text with its heading).
    Text before the first heading, if any, is its own section, titled `intro`."""
    sections: list[tuple[str, list[str]]] = []
    for line in text.splitlines():
        if line.startswith(prefix):
            sections.append((line[len(prefix):].strip(), [line]))
        elif sections:
            sections[-1][1].append(line)
        elif line.strip():
            sections.append((intro, [line]))
    return [(title, "\n".join(lines).strip() + "\n") for title, lines in sections]


def screen_parts(text: str, max_lines: int = 34, intro: str = "说明") -> list[tuple[str, str]]:
    """The document as screens for 会议模式: one a section, a long one cut between its subsections
    into parts of at most about `max_lines` lines, each under its heading with (1/2), (2/2)."""
    parts: list[tuple[str, str]] = []
    for title, body in markdown_sections(text, intro=intro):
        if body.count("\n") <= max_lines:
            parts.append((title, body))
            continue
        chunks: list[list[str]] = [[]]
        for _, piece in markdown_sections(body.split("\n", 1)[1], prefix="#### "):
            if chunks[-1] and sum(c.count("\n") for c in chunks[-1]) + piece.count("\n") > max_lines:
                chunks.append([])
            chunks[-1].append(piece)
        for i, chunk in enumerate(chunks, start=1):
            name = f"{title}（{i}/{len(chunks)}）"
            parts.append((name, f"### {name}\n" + "\n".join(chunk)))
    return parts

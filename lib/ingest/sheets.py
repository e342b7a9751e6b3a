"""The sheet types units send, declared once.

Everything that knows about a sheet — the importer, the template writer, the schema,
the docs and the tests — reads these declarations. Field names are English identifiers
(they are the DuckDB column names); every label is the Chinese the users see.
"""
from __future__ import annotations

from dataclasses import dataclass, field

# Column kinds and what they become in DuckDB.
SQL_TYPES = {
    "text": "VARCHAR",
    "org": "VARCHAR",        # 队 / 班组 names: the join keys across sheets
    "org_list": "VARCHAR",   # several 班组 in one cell, stored joined by 、
    "name": "VARCHAR",
    "id": "VARCHAR",
    "bool": "BOOLEAN",
    "date": "DATE",
    "month": "DATE",         # first day of the month
    "quarter": "VARCHAR",    # '2024Q2'
    "year": "INTEGER",
    "enum": "VARCHAR",
    "number": "DOUBLE",
    "good": "VARCHAR",       # 六好 item: '是' / '否' or a score such as '85'
}

KIND_LABELS = {
    "text": "文本", "org": "单位或班组名称", "org_list": "班组名称（多个用、分隔）", "name": "姓名",
    "id": "工号（文本）", "bool": "是/否", "date": "日期（如 2024-06-03）",
    "month": "月份（如 2024-06 或 2024年6月）", "quarter": "季度（如 2024Q2 或 2024年第二季度）",
    "year": "年度（如 2024）", "enum": "从下拉列表中选择", "number": "数字", "good": "分数（0–100）或 是/否",
}

POLITICAL_STATUSES = ("中共党员", "中共预备党员", "共青团员", "群众")
PARTY_STATUSES = ("中共党员", "中共预备党员")
PROBLEM_STATUSES = ("待办理", "办理中", "已解决")
SLOGAN_CATEGORIES = ("争一流口号", "学习愿景", "安全理念")
REVIEW_STATUSES = ("已审核", "待审核", "退回")
SATISFACTION_LEVELS = ("满意", "基本满意", "不满意")
GENDERS = ("男", "女")

# The 六好 standard of a 党员示范岗 (mines vary the wording; synonyms below absorb that).
SIX_GOODS = (
    ("good_political", "政治素质好", ("思想政治好", "政治素养好")),
    ("good_skill", "业务技能好", ("业务能力好", "技术技能好")),
    ("good_performance", "工作业绩好", ("工作成绩好", "业绩好")),
    ("good_safety", "安全生产好", ("安全工作好",)),
    ("good_teamwork", "团结协作好", ("团结协作", "协作配合好")),
    ("good_discipline", "遵章守纪好", ("遵纪守法好", "纪律作风好")),
)


@dataclass(frozen=True)
class Column:
    field: str                      # DuckDB column name
    label: str                      # canonical Chinese header
    kind: str                       # a key of SQL_TYPES
    required: bool = False
    synonyms: tuple[str, ...] = ()  # other headers units use for the same column
    allowed: tuple[str, ...] = ()   # enum values
    aliases: dict = field(default_factory=dict)  # enum spelling → allowed value
    lo: float | None = None         # number range
    hi: float | None = None
    context: str | None = None      # 'unit' / 'month' / 'quarter' / 'year': may come from the title or file name
    # A 队 column that may be left out altogether: each row's 队 is then the one the store knows
    # for the person whose 工号 is in this field (lib/store/derive_units.py).
    derived_from: str | None = None
    hint: str = ""                  # shown in the template's 填表说明

    @property
    def sql_type(self) -> str:
        return SQL_TYPES[self.kind]

    @property
    def headers(self) -> tuple[str, ...]:
        return (self.label, *self.synonyms)


@dataclass(frozen=True)
class SheetType:
    key: str                        # DuckDB table name
    label: str                      # Chinese sheet name (also the template's sheet name)
    columns: tuple[Column, ...]
    grain: tuple[str, ...]          # primary key fields
    scope: tuple[str, ...]          # fields: a new upload replaces the stored rows sharing their values
    scope_label: str                # what a new upload replaces, in the users' words
    name_keywords: tuple[str, ...] = ()   # a workbook sheet whose name contains one of these is this type
    period: str | None = None       # 'month' / 'quarter' / 'year' / 'date' — what 报送情况 counts by
    period_field: str | None = None
    score_items: bool = False       # extra numeric columns are score items (比学争优)
    # Date fields of the scope that match by their month: a 谈心记录 upload replaces every talk of
    # the months it covers, not only those on the days it lists.
    scope_by_month: tuple[str, ...] = ()
    # Dates that must come in this order when present: (field, strictly before the next?).
    date_chain: tuple[tuple[str, bool], ...] = ()
    # Allowed but suspicious: (earlier, later, minimum days, warning).
    min_gaps: tuple[tuple[str, str, int, str], ...] = ()
    description: str = ""

    def column(self, field_name: str) -> Column:
        for col in self.columns:
            if col.field == field_name:
                return col
        raise KeyError(field_name)

    @property
    def required(self) -> tuple[Column, ...]:
        return tuple(c for c in self.columns if c.required)

    @property
    def fields(self) -> tuple[str, ...]:
        return tuple(c.field for c in self.columns)


def _c(field_name, label, kind, required=False, *synonyms, **kw) -> Column:
    return Column(field_name, label, kind, required, tuple(synonyms), **kw)


# Columns that recur, with the synonyms seen in real sheets.
def _unit(field_name="unit", label="队", *extra):
    return _c(field_name, label, "org", True, *extra, context="unit")


UNIT_SYNONYMS = ("队别", "所在队", "单位", "所在单位", "区队", "单位名称", "部门", "所在部门", "队组")
TEAM_SYNONYMS = ("所在班组", "班组名称", "班组名", "班次")
# 学工号 / 工作证号: the words of public party-work systems' import templates.
ID_SYNONYMS = ("职工工号", "员工编号", "员工工号", "人员编号", "职工编号", "工作证号", "学工号", "工作证编号", "职工号")
NAME_SYNONYMS = ("职工姓名", "员工姓名", "人员姓名")
MONTH_SYNONYMS = ("统计月份", "年月", "报送月份", "所属月份")
QUARTER_SYNONYMS = ("所属季度", "考核季度", "统计季度")
YES_NO = "是/否"

UNIT = _unit("unit", "队", *UNIT_SYNONYMS)
TEAM = _c("team", "班组", "org", True, *TEAM_SYNONYMS)
STAFF_ID = _c("staff_id", "工号", "id", True, *ID_SYNONYMS)
STAFF_NAME = _c("name", "姓名", "name", True, *NAME_SYNONYMS)
FRONTLINE = _c("frontline", "是否一线职工", "bool", True, "一线职工", "是否一线", "是否为一线职工", hint=YES_NO)
TEAM_LEADER = _c("team_leader", "是否班组长", "bool", True, "班组长", "是否为班组长", hint=YES_NO)
MONTH = _c("month", "月份", "month", True, *MONTH_SYNONYMS, context="month")


SHEETS: tuple[SheetType, ...] = (
    SheetType(
        key="roster", label="人员名册",
        columns=(
            MONTH, UNIT, TEAM, STAFF_ID, STAFF_NAME,
            _c("gender", "性别", "enum", False, allowed=GENDERS, aliases={"男性": "男", "女性": "女"}),
            _c("birth_month", "出生年月", "month", False, "出生日期", "出生年月日"),
            _c("post", "岗位", "text", False, "岗位名称", "工种", "职务"),
            FRONTLINE, TEAM_LEADER,
            _c("political", "政治面貌", "enum", True, "党籍状态", "政治身份", allowed=POLITICAL_STATUSES,
               aliases={"党员": "中共党员", "正式党员": "中共党员", "共产党员": "中共党员",
                        "预备党员": "中共预备党员", "团员": "共青团员", "共青团": "共青团员",
                        "群众": "群众", "无党派": "群众", "普通群众": "群众"}),
            _c("joined_on", "入党时间", "date", False, "入党日期", "入党年月"),
        ),
        grain=("month", "staff_id"), scope=("month", "unit"), scope_label="该月份 × 该队的名册",
        name_keywords=("人员名册", "花名册", "职工名册", "名册", "人员信息", "人员台账"),
        period="month", period_field="month",
        description="每月每队一份：每名职工一行。空白班组、党员占比等快照指标都以它为准。",
    ),
    SheetType(
        key="team_info", label="班组信息",
        columns=(
            MONTH, UNIT, TEAM,
            _c("team_type", "班组类型", "text", False, "班组性质", "类型"),
            _c("branch", "党支部", "text", False, "所属党支部", "支部"),
            _c("liaison_id", "挂靠联系人工号", "id", False, "联系人工号", "挂靠党员工号"),
            _c("liaison_name", "挂靠联系人", "name", False, "挂靠联系人姓名", "挂靠党员", "联系人"),
        ),
        grain=("month", "unit", "team"), scope=("month", "unit"), scope_label="该月份 × 该队的班组信息",
        name_keywords=("班组信息", "班组情况", "班组名单", "班组基本"),
        period="month", period_field="month",
        description="每月每队一份：每个班组一行，空白班组在此登记挂靠联系人。",
    ),
    SheetType(
        key="development", label="发展党员",
        columns=(
            UNIT, TEAM, STAFF_ID, STAFF_NAME, FRONTLINE, TEAM_LEADER,
            _c("applied_on", "申请入党时间", "date", True, "递交入党申请书时间", "申请时间", "递交申请书时间",
               "提交书面申请书时间", "提交入党申请书时间", "递交入党申请时间", "申请入党日期"),
            _c("activist_on", "确定积极分子时间", "date", False, "确定为入党积极分子时间", "确定入党积极分子时间", "积极分子时间",
               "列为入党积极分子时间", "确定为入党积极分子日期"),
            _c("candidate_on", "确定发展对象时间", "date", False, "确定为发展对象时间", "发展对象时间", "列为发展对象时间",
               "确定为发展对象日期"),
            # In a development ledger 入党时间 is the day one became a 预备党员 (加入党组织日期 in public systems).
            _c("probation_on", "接收预备党员时间", "date", False, "接收为预备党员时间", "预备党员时间", "入党时间",
               "加入党组织日期", "接收为中共预备党员时间", "入党日期"),
            _c("full_on", "转为正式党员时间", "date", False, "转正时间", "转为正式党员日期", "转正日期"),
            _c("mentor", "培养联系人", "name", False, "培养人", "入党介绍人"),
        ),
        grain=("staff_id",), scope=("unit",), scope_label="该队的发展党员名单（以最新名单为准）",
        date_chain=(("applied_on", False), ("activist_on", True), ("candidate_on", True),
                    ("probation_on", True), ("full_on", False)),
        min_gaps=(("activist_on", "candidate_on", 365, "积极分子培养不足一年即确定为发展对象"),
                  ("probation_on", "full_on", 365, "预备期不足一年即转为正式党员")),
        name_keywords=("发展党员", "入党积极分子", "发展对象", "入党申请"),
        period=None,
        description="每队一份完整名单，新名单整体替换旧名单。",
    ),
    SheetType(
        key="pairs", label="包保对子",
        columns=(
            _c("member_id", "党员工号", "id", True, "包保党员工号"),
            _c("member_name", "党员姓名", "name", True, "包保党员", "包保党员姓名"),
            _unit("member_unit", "党员所在队", "党员单位", "党员所在单位"),
            _c("worker_id", "职工工号", "id", True, "联系职工工号", "结对职工工号", "群众工号"),
            _c("worker_name", "职工姓名", "name", True, "联系职工", "结对职工", "结对职工姓名", "群众姓名"),
            _c("worker_unit", "职工所在队", "org", True, "职工单位", "职工所在单位"),
            _c("worker_team", "职工所在班组", "org", True, "职工班组"),
            _c("paired_on", "结对日期", "date", True, "结对时间", "包保日期"),
            _c("ended_on", "解除日期", "date", False, "解除时间", "结束日期"),
        ),
        grain=("member_id", "worker_id", "paired_on"), scope=("member_unit",),
        scope_label="该队党员的全部包保对子",
        date_chain=(("paired_on", False), ("ended_on", False)),
        name_keywords=("包保", "结对", "对子"),
        period=None,
        description="党员与职工结成的包保对子，按党员所在队整体报送。",
    ),
    SheetType(
        key="talks", label="谈心记录",
        columns=(
            _c("talk_date", "谈心日期", "date", True, "谈话日期", "谈心时间", "谈话时间"),
            _c("member_id", "党员工号", "id", True, "谈心党员工号"),
            _c("member_name", "党员姓名", "name", False, "谈心党员"),
            _c("member_unit", "党员所在队", "org", True, "队", "队别", "单位", "所在队", context="unit",
               derived_from="member_id", hint="队名；不填时按该党员的包保对子或人员名册确定"),
            _c("worker_id", "职工工号", "id", True, "谈心对象工号", "谈话对象工号"),
            _c("worker_name", "职工姓名", "name", False, "谈心对象", "谈话对象"),
            _c("method", "谈心方式", "text", False, "谈话方式", "方式"),
            _c("content", "谈心内容", "text", False, "谈话内容", "主要内容"),
            _c("found_problem", "是否发现问题", "bool", False, "发现问题", hint=YES_NO),
            _c("problem_id", "问题编号", "id", False, "台帐编号"),
        ),
        grain=("talk_date", "member_id", "worker_id"),
        scope=("talk_date", "member_unit"), scope_by_month=("talk_date",),
        scope_label="所涉月份 × 该队党员的谈心记录",
        name_keywords=("谈心", "谈话"),
        period="month", period_field="talk_date",
        description="党员亲情谈心记录。党员所在队可以填一列、在表头上方或文件名中注明，也可以不填："
                    "不填时逐行按该党员的包保对子（谈心当日有效的优先）或人员名册（谈心当月或之前最近一个月）确定，"
                    "全矿的谈心记录可以放在一张表中。",
    ),
    SheetType(
        key="problems", label="问题台帐",
        columns=(
            _c("problem_id", "问题编号", "id", True, "编号", "台帐编号"),
            _c("found_on", "发现日期", "date", True, "发现时间", "反映日期", "收集日期"),
            UNIT,
            _c("team", "班组", "org", False, *TEAM_SYNONYMS),
            _c("reporter", "反映人", "name", False, "反映职工", "提出人"),
            _c("category", "问题类别", "text", True, "问题类型", "类别"),
            _c("description", "问题描述", "text", True, "问题内容", "具体问题", "反映问题"),
            _c("owner", "责任人", "name", False, "办理责任人", "承办人"),
            _c("feedback_on", "反馈日期", "date", False, "反馈时间", "答复日期"),
            _c("resolved_on", "解决日期", "date", False, "解决时间", "办结日期", "办结时间"),
            _c("status", "办理状态", "enum", True, "状态", "办理情况", "是否解决", allowed=PROBLEM_STATUSES,
               aliases={"已完成": "已解决", "已办结": "已解决", "办结": "已解决", "已处理": "已解决", "完成": "已解决",
                        "已解决": "已解决", "解决": "已解决", "未办理": "待办理", "待办": "待办理", "未解决": "待办理",
                        "未处理": "待办理", "正在办理": "办理中", "处理中": "办理中", "办理中": "办理中", "在办": "办理中",
                        # a 是否解决 column answers 是/否
                        "是": "已解决", "否": "待办理"}),
            _c("satisfaction", "群众满意度", "enum", False, "满意度", "职工满意度", allowed=SATISFACTION_LEVELS,
               aliases={"非常满意": "满意", "比较满意": "基本满意", "一般": "基本满意"}),
        ),
        grain=("problem_id",), scope=("problem_id",), scope_label="相同问题编号的台帐行（台帐按编号更新）",
        date_chain=(("found_on", False), ("feedback_on", False), ("resolved_on", False)),
        name_keywords=("问题台帐", "问题台账", "台帐", "台账", "微民生"),
        period="month", period_field="found_on",
        description="谈心中发现的问题及办理情况；同一编号再次上传即更新该行。",
    ),
    SheetType(
        key="zones", label="党员责任区",
        columns=(
            _c("zone_id", "责任区编号", "id", True, "编号", "区域编号"),
            _c("zone_name", "责任区名称", "text", True, "责任区", "区域名称"),
            UNIT,
            _c("covered_teams", "覆盖班组", "org_list", False, "包含班组", "涉及班组", hint="多个班组用、分隔"),
            _c("owner_id", "承包人工号", "id", True, "责任人工号", "党员工号"),
            _c("owner_name", "承包人姓名", "name", True, "承包人", "责任党员", "党员姓名"),
            _c("duty", "责任内容", "text", False, "责任", "主要职责"),
            _c("set_up_on", "设立日期", "date", False, "设立时间", "划定日期"),
        ),
        grain=("zone_id", "owner_id"), scope=("unit",), scope_label="该队的全部责任区",
        name_keywords=("责任区",),
        period=None,
        description="“划一块地”：每个责任区的每名承包人一行。",
    ),
    SheetType(
        key="model_posts", label="党员示范岗",
        columns=(
            _c("quarter", "评定季度", "quarter", True, "季度", *QUARTER_SYNONYMS, context="quarter"),
            _c("post_name", "示范岗名称", "text", True, "示范岗", "岗位名称"),
            UNIT, TEAM,
            _c("member_id", "党员工号", "id", True, "工号"),
            _c("member_name", "党员姓名", "name", True, "姓名"),
            *(_c(f, label, "good", False, *syn, hint="分数（0–100）或 是/否") for f, label, syn in SIX_GOODS),
            _c("result", "评定结果", "text", False, "评定等次", "结果"),
        ),
        grain=("quarter", "member_id"), scope=("quarter", "unit"), scope_label="该季度 × 该队的示范岗评定",
        name_keywords=("示范岗",),
        period="quarter", period_field="quarter",
        description="“点一盏灯”：每季度按“六好”标准评定。",
    ),
    SheetType(
        key="scores", label="比学争优",
        columns=(
            _c("quarter", "季度", "quarter", True, *QUARTER_SYNONYMS, "评定季度", context="quarter"),
            UNIT, TEAM, STAFF_ID, STAFF_NAME,
            _c("self_score", "自评总分", "number", True, "自评分", "自评得分", "自评合计", lo=0, hi=100),
            _c("review_score", "支部审核分", "number", False, "审核分", "支部审核得分", "审核得分", lo=0, hi=100),
            _c("review_status", "审核状态", "enum", False, "审核情况", allowed=REVIEW_STATUSES,
               aliases={"通过": "已审核", "审核通过": "已审核", "已通过": "已审核", "未审核": "待审核",
                        "审核中": "待审核", "退回修改": "退回", "驳回": "退回"}),
        ),
        grain=("quarter", "staff_id"), scope=("quarter", "unit"), scope_label="该季度 × 该队的比学争优得分",
        name_keywords=("比学争优", "积分", "综合评分", "考评"),
        period="quarter", period_field="quarter",
        score_items=True,
        description="每季度自评、支部审核；总分前的各项分数列（如 安全、生产、学习）按原表头保存。",
    ),
    SheetType(
        key="committee", label="管理委员会",
        columns=(
            UNIT, TEAM, STAFF_ID, STAFF_NAME,
            _c("role", "委员职务", "text", True, "职务", "委员分工", "分工"),
            _c("appointed_on", "任职日期", "date", False, "任职时间"),
        ),
        grain=("unit", "team", "staff_id", "role"), scope=("unit",), scope_label="该队全部班组管理委员会",
        name_keywords=("管理委员会", "管委会", "委员会"),
        period=None,
        description="班组自主管理：委员会成员及分工。",
    ),
    SheetType(
        key="slogans", label="理念口号",
        columns=(
            UNIT, TEAM,
            _c("category", "类别", "enum", True, "类型", "口号类别", allowed=SLOGAN_CATEGORIES,
               aliases={"口号": "争一流口号", "争一流": "争一流口号", "愿景": "学习愿景", "理念": "安全理念",
                        "安全口号": "安全理念"}),
            _c("content", "内容", "text", True, "口号内容", "理念内容"),
        ),
        grain=("unit", "team", "category", "content"), scope=("unit",), scope_label="该队全部理念口号",
        name_keywords=("理念", "口号", "愿景"),
        period=None,
        description="每个班组的争一流口号、学习愿景和安全理念。",
    ),
    SheetType(
        key="honours", label="荣誉",
        columns=(
            _c("year", "年度", "year", True, "年份", "获奖年度", context="year"),
            _c("title", "荣誉名称", "text", True, "荣誉称号", "奖项名称", "称号"),
            _c("awarded_by", "授予单位", "text", True, "表彰单位", "颁发单位"),
            UNIT,
            _c("team", "班组", "org", False, *TEAM_SYNONYMS),
            _c("recipient", "获得者", "name", False, "获奖人", "获奖个人"),
            _c("staff_id", "工号", "id", False, *ID_SYNONYMS),
        ),
        grain=("year", "title", "awarded_by", "unit", "team", "recipient"),
        scope=("year", "awarded_by", "unit"), scope_label="该年度 × 授予单位 × 该队的荣誉",
        name_keywords=("荣誉", "表彰", "先锋岗"),
        period="year", period_field="year",
        description="班组和个人获得的荣誉，如党员先锋岗。",
    ),
)

SHEETS_BY_KEY = {s.key: s for s in SHEETS}

# Headers that carry no data: dropped silently (counted) wherever they appear.
IGNORED_HEADERS = ("序号", "编号序", "备注", "说明", "填表说明")
# Words in the first cell of a row that make it a total row, not data.
TOTAL_WORDS = ("合计", "小计", "总计", "共计")
# Words that mark a hint row under the header (必填/说明 lines).
HINT_WORDS = ("必填", "选填", "说明", "示例", "格式", "填写", "例：", "例如")

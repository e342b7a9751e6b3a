"""Files of other kinds: say plainly that a sheet is none of the types, list them once, point to the template.

Real files sent by mistake — a 党支部委员 list, a meeting record, an organisation list, an HR list —
used to be "closest to" a type they share only 姓名/单位/工号 with (管理委员会, 谈心记录, 党员责任区,
人员名册), and a six-sheet workbook repeated one unnamed hint six times. Each sheet here is built as
such files are; each outcome is stated exactly: every message names its sheet, the list of types and
the template pointer appear once (the file's error), and a closest type is named only when the sheet
has that type's distinctive columns (a near-miss 发展党员 ledger still is).
"""
from __future__ import annotations

import subprocess
import sys

import pytest

from lib.ingest.findings import ERROR, WARNING
from lib.ingest.recognise import find_header, suggestable
from lib.ingest.sheets import SHEETS
from lib.store.importer import REJECTED, import_file
from lib.store.upload import READY, parse_file
from tests.conftest import ROOT
from tests.fingerprint import fingerprint
from tests.users import ADMIN_USER
from tests.workbooks import roster, xlsx_bytes

KINDS = f"系统接收 {len(SHEETS)} 种报表：" + "、".join(s.label for s in SHEETS) + "。"
TEMPLATE = "请按报表模板的表头填写：数据上传页「下载报表模板」，或运行 python -m lib.cli template。"


def _not_taken(sheet: str) -> str:
    return f"工作表「{sheet}」不是系统接收的报表（没有找到任何一种报表的表头），未导入"


BRANCH_COMMITTEE = [["综采队党支部委员会成员名单"],
                    ["序号", "姓名", "性别", "出生年月", "职务", "单位", "任职时间", "联系电话"],
                    [1, "张建国", "男", "1978-05", "党支部书记", "综采队", "2021-06-18", "13800001111"],
                    [2, "李卫东", "男", "1983-11", "组织委员", "综采队", "2021-06-18", "13800002222"],
                    [3, "王秀英", "女", "1986-02", "宣传委员", "综采队", "2021-06-18", "13800003333"]]
MEETING_RECORD = [["2024年第二季度“三会一课”会议记录"],
                  ["序号", "会议时间", "会议地点", "会议类型", "主持人", "参会人员", "主要内容", "记录人"],
                  [1, "2024-04-08", "综采队会议室", "支部委员会", "张建国", "李卫东、王秀英", "学习安全生产规程", "王秀英"],
                  [2, "2024-05-10", "综采队会议室", "党员大会", "张建国", "全体党员", "讨论发展对象", "王秀英"]]
ORGANISATIONS = [["序号", "编号", "党组织名称", "组织类别", "上级党组织", "单位", "书记", "党员人数", "设立时间", "主要职责"],
                 [1, "001", "综采队党支部", "党支部", "矿党委", "综采队", "张建国", 35, "2015-03-01", "组织生活"],
                 [2, "002", "机运队党支部", "党支部", "矿党委", "机运队", "赵志刚", 28, "2015-03-01", "组织生活"]]
HR_LIST = [["姓名", "单位", "工号", "性别"],
           ["张三", "综采队", "000001", "男"],
           ["李四", "机运队", "000002", "女"]]
STUDY_RECORD = [["学习时间", "学习内容", "参加人员", "学时"],
                ["2024-06-03", "安全生产法", "全体职工", 2]]
WAGES = [["工号", "姓名", "单位", "基本工资", "绩效工资", "实发工资"],
         ["000001", "张三", "综采队", 4200, 3100, 7300]]
# A development ledger from a public party-work system: its own words, no 队, no 班组.
DEV_LEDGER = [["学工号", "姓名", "性别", "民族", "提交书面申请书时间", "确定为入党积极分子时间", "确定为发展对象时间",
               "入党时间", "转正时间"],
              ["000001", "张三", "男", "汉族", "2021-03-05", "2021-09-01", "2022-10-08", "2023-06-20", "2024-06-21"],
              ["000002", "李四", "女", "汉族", "2022-04-11", "2022-10-09", None, None, None]]
DEV_CLOSEST = "工作表「发展党员台账」未能识别：最接近「发展党员」，但缺少表头 班组、是否一线职工、是否班组长"


def _findings(result):
    return [(p.level, p.sheet, p.row, p.message) for p in result.all_findings]


def _file_error(result):
    """The one error of a file with nothing recognisable: (message, hint)."""
    assert [(p.sheet, p.row, p.message) for p in result.errors] == [("", None, "文件中没有可识别的报表")]
    return result.errors[0].hint


@pytest.mark.parametrize("sheet, rows, wrong", [
    ("党支部委员", BRANCH_COMMITTEE, "管理委员会"),
    ("会议记录", MEETING_RECORD, "谈心记录"),
    ("组织名单", ORGANISATIONS, "党员责任区"),
    ("职工信息", HR_LIST, "人员名册"),
], ids=["branch-committee", "meeting-record", "organisations", "hr-list"])
def test_a_sheet_of_another_kind_is_said_to_be_none_of_the_types(sheet, rows, wrong):
    result = parse_file(xlsx_bytes({sheet: rows}), "综采队上报材料.xlsx")
    assert result.status == REJECTED
    assert _findings(result) == [(ERROR, "", None, "文件中没有可识别的报表"), (WARNING, sheet, None, _not_taken(sheet))]
    assert _file_error(result) == f"工作表「{sheet}」不是系统接收的报表。{KINDS}{TEMPLATE}"
    assert not any(wrong in p.message or "最接近" in p.message for p in result.all_findings)
    parsed = result.sheets[0]
    assert (parsed.sheet_type, parsed.skipped, parsed.mapping_offer) == (None, "未识别的工作表", None)


def test_the_old_generic_roster_example_is_gone():
    """244 files got “例如人员名册需要：月份、队…”; now a file of another kind gets the list of types."""
    hint = _file_error(parse_file(xlsx_bytes({"Sheet1": HR_LIST}), "职工信息.xlsx"))
    assert "例如人员名册需要" not in hint
    for sheet in SHEETS:
        assert f"{sheet.label}、" in hint or f"{sheet.label}。" in hint


def test_six_sheets_each_named_the_types_listed_once():
    sheets = {"党支部委员": BRANCH_COMMITTEE, "会议记录": MEETING_RECORD, "组织名单": ORGANISATIONS,
              "职工信息": HR_LIST, "学习记录": STUDY_RECORD, "工资表": WAGES}
    result = parse_file(xlsx_bytes(sheets), "2024年6月党建材料.xlsx")
    assert result.status == REJECTED
    assert [(p.sheet, p.row, p.message) for p in result.warnings] == [(s, None, _not_taken(s)) for s in sheets]
    assert _file_error(result) == ("工作表「党支部委员」「会议记录」「组织名单」「职工信息」「学习记录」「工资表」"
                                   f"都不是系统接收的报表。{KINDS}{TEMPLATE}")
    texts = [t for p in result.all_findings for t in (p.message, p.hint)]
    assert sum(t.count("系统接收 12 种报表") for t in texts) == 1
    assert sum(t.count("python -m lib.cli template") for t in texts) == 1
    assert len({p.message for p in result.warnings}) == 6


def test_near_miss_development_ledger_still_names_the_closest_type():
    result = parse_file(xlsx_bytes({"发展党员台账": DEV_LEDGER}), "发展党员.xlsx")
    assert result.status == REJECTED
    assert _findings(result) == [(ERROR, "", None, "文件中没有可识别的报表"), (WARNING, "发展党员台账", 1, DEV_CLOSEST)]
    assert _file_error(result) == f"{DEV_CLOSEST}。{KINDS}{TEMPLATE}"
    offer = result.sheets[0].mapping_offer
    assert offer is not None and offer.sheet_key == "development"
    assert offer.missing == ("班组", "是否一线职工", "是否班组长")


def test_closest_type_and_other_kinds_in_one_workbook():
    result = parse_file(xlsx_bytes({"发展党员台账": DEV_LEDGER, "会议记录": MEETING_RECORD}), "材料.xlsx")
    assert [(p.sheet, p.message) for p in result.warnings] == [("发展党员台账", DEV_CLOSEST),
                                                               ("会议记录", _not_taken("会议记录"))]
    assert _file_error(result) == f"{DEV_CLOSEST}。工作表「会议记录」不是系统接收的报表。{KINDS}{TEMPLATE}"


def test_a_sheet_of_another_kind_beside_a_roster_is_named_and_the_roster_imports(store):
    data = xlsx_bytes({"人员名册": roster(n=3), "会议记录": MEETING_RECORD})
    preview = parse_file(data, "综采队_2024年6月.xlsx")
    assert preview.status == READY and not preview.errors
    other = [p for p in preview.warnings if p.sheet != "人员名册"]
    assert [(p.sheet, p.row, p.message) for p in other] == [("会议记录", None, _not_taken("会议记录"))]
    assert "下载报表模板" in other[0].hint
    assert not any("种报表：" in p.message + p.hint for p in preview.all_findings)   # no list of types
    result = import_file(store, data, "综采队_2024年6月.xlsx", ADMIN_USER)
    assert store.cursor().execute("SELECT count(*) FROM roster").fetchone() == (3,)
    assert [r["type"] for r in result.sheet_rows()] == ["人员名册", None]


def test_a_rejected_file_of_another_kind_leaves_the_database_alone(store):
    import_file(store, xlsx_bytes({"人员名册": roster(n=3)}), "综采队_2024年6月.xlsx", ADMIN_USER)
    before = fingerprint(store)
    result = import_file(store, xlsx_bytes({"党支部委员": BRANCH_COMMITTEE}), "党支部委员.xlsx", ADMIN_USER)
    assert result.status == REJECTED and result.import_id is None
    assert fingerprint(store) == before


def test_a_workbook_of_blank_sheets_says_so_and_still_lists_the_types():
    hint = _file_error(parse_file(xlsx_bytes({"Sheet1": [], "Sheet2": [[None, "  "]]}), "名册.xlsx"))
    assert hint == f"文件中只有空白表、填表说明页或隐藏的工作表。{KINDS}{TEMPLATE}"


def test_cli_prints_the_sheet_the_types_and_the_template(tmp_path):
    """The command line prints errors only: the file's error carries the sheet names and the list."""
    path = tmp_path / "党建材料.xlsx"
    path.write_bytes(xlsx_bytes({"会议记录": MEETING_RECORD, "发展党员台账": DEV_LEDGER}))
    run = subprocess.run([sys.executable, "-m", "lib.cli", "import", str(path), "--db", str(tmp_path / "cli.duckdb")],
                         capture_output=True, text=True, timeout=120, cwd=ROOT, check=False)
    assert run.returncode == 1, run.stderr
    assert f"错误 ：文件中没有可识别的报表（{DEV_CLOSEST}。工作表「会议记录」不是系统接收的报表。{KINDS}{TEMPLATE}）" \
        in run.stdout


# ---------------------------------------------------------------- which closest type is worth naming

def _named(header: list[str]) -> str | None:
    """The type a sheet with this header is said to be closest to, or None."""
    match = find_header([header, ["x"] * len(header)], "Sheet1", "上报.xlsx")
    assert match is not None and match.missing_blocking
    return match.sheet.label if suggestable(match) else None


@pytest.mark.parametrize("header, expected", [
    # only generic personnel columns or bare words: nothing named
    (["姓名", "单位", "工号", "性别", "出生年月", "岗位"], None),
    (["姓名", "职务", "单位", "任职时间"], None),  # 党支部委员: 职务 is any list's word
    (["编号", "名称", "单位", "类型", "状态"], None),
    (["单位", "设立时间", "主要职责", "书记"], None),  # no column a 责任区 requires
    (["会议时间", "参会人员", "主要内容", "单位"], None),
    (["姓名", "申请时间", "请假事由"], None),  # a leave list's 申请时间 alone
    (["党员姓名", "党员工号", "性别", "入党时间", "转正时间", "所在支部"], None),  # a 党员名册
    # a near miss of a type: named
    (["班组", "工号", "姓名", "政治面貌"], "人员名册"),
    (["学工号", "姓名", "提交书面申请书时间", "确定为入党积极分子时间"], "发展党员"),
    (["学号", "姓名", "班组", "一线", "带班", "申请入党时间"], "发展党员"),  # 队 may come from the title
    (["党员工号", "党员姓名", "职工工号", "职工姓名", "职工所在队", "职工所在班组"], "包保对子"),
    (["党员工号", "职工工号", "谈心方式", "谈心内容", "是否发现问题"], "谈心记录"),
    (["季度", "队", "工号", "姓名", "政治素质好", "业务技能好", "安全生产好"], "党员示范岗"),
    (["队", "班组", "工号", "姓名", "支部审核分", "审核状态"], "比学争优"),
    (["队", "工号", "姓名", "委员职务"], "管理委员会"),
])
def test_closest_type_is_named_only_with_its_distinctive_columns(header, expected):
    assert _named(header) == expected


@pytest.mark.parametrize("sheet", [s for s in SHEETS if s.key not in ("committee", "slogans")],
                         ids=lambda s: s.key)
def test_the_template_header_less_one_required_column_is_still_named(sheet):
    """Every type but 管理委员会 and 理念口号 (whose other columns are 队/班组/工号/姓名 or bare words
    such as 类别、内容) is still named when one required column was deleted from its template header."""
    for col in sheet.required:
        if col.context:
            continue
        header = [c.label for c in sheet.columns if c is not col]
        assert _named(header) == sheet.label, col.label

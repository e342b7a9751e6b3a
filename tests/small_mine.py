"""A small mine built through the real importer, for tests whose numbers are worked out by hand.

The mine: 甲队 (A班, B班) and 乙队 (C班), rosters for 2024-01 and 2024-02.
  2024-01  A班: 001 党员, 002, 003 | B班: 004, 005 (blank) | C班: 006 预备党员, 007
  2024-02  A班: 001 党员, 002, 003 | B班: 004 党员, 005    | C班: 007 (blank; 006 left)
"""
from lib.access.auth import ADMIN, User
from lib.store.database import Store
from lib.store.importer import IMPORTED, import_file
from tests.workbooks import canonical_header, xlsx_bytes

ROSTER = {
    "2024-01": [("甲队", "A班", "001", "中共党员"), ("甲队", "A班", "002", "群众"), ("甲队", "A班", "003", "群众"),
                ("甲队", "B班", "004", "群众"), ("甲队", "B班", "005", "共青团员"),
                ("乙队", "C班", "006", "中共预备党员"), ("乙队", "C班", "007", "群众")],
    "2024-02": [("甲队", "A班", "001", "中共党员"), ("甲队", "A班", "002", "群众"), ("甲队", "A班", "003", "群众"),
                ("甲队", "B班", "004", "中共党员"), ("甲队", "B班", "005", "共青团员"),
                ("乙队", "C班", "007", "群众")],
}


def _sheet(key, rows):
    return [canonical_header(key), *rows]


def build_small_mine(store: Store) -> None:
    files = []
    for month, people in ROSTER.items():
        for unit in ("甲队", "乙队"):
            rows = [[month, u, t, i, f"人员{i}", "男", None, None, "是", "否", pol, None]
                    for u, t, i, pol in people if u == unit]
            files.append({"人员名册": _sheet("roster", rows)})
    files.append({"班组信息": _sheet("team_info", [["2024-01", "甲队", "A班", "生产", "甲队支部", None, None],
                                                  ["2024-01", "甲队", "B班", "生产", "甲队支部", None, None]])})
    files.append({"班组信息": _sheet("team_info", [["2024-02", "乙队", "C班", "辅助", "乙队支部", "001", "人员001"]])})
    files.append({"包保对子": _sheet("pairs", [
        ["001", "人员001", "甲队", "002", "人员002", "甲队", "A班", "2023-06-01", None],
        ["001", "人员001", "甲队", "003", "人员003", "甲队", "A班", "2023-06-01", "2024-01-15"],
        ["004", "人员004", "甲队", "005", "人员005", "甲队", "B班", "2024-02-10", None],
        ["001", "人员001", "甲队", "007", "人员007", "乙队", "C班", "2023-01-01", None]])})
    files.append({"谈心记录": _sheet("talks", [
        ["2023-12-01", "001", "人员001", "甲队", "007", "人员007", "面谈", None, "否", None],
        ["2024-01-05", "001", "人员001", "甲队", "002", "人员002", "面谈", None, "是", "P1"],
        ["2024-02-20", "001", "人员001", "甲队", "002", "人员002", "电话", None, "否", None]])})
    files.append({"问题台帐": _sheet("problems", [
        ["P1", "2024-01-05", "甲队", "A班", None, "生活困难", "家中困难", None, "2024-01-08", "2024-01-20", "已解决", "满意"],
        ["P2", "2024-01-10", "乙队", "C班", None, "设备安全", "照明不足", None, "2024-01-25", None, "办理中", None],
        ["P3", "2024-02-25", "甲队", "B班", None, "工作环境", "更衣室漏水", None, None, None, "待办理", None],
        ["P4", "2023-11-01", "甲队", "A班", None, "生活困难", "子女入学", None, "2023-11-02", "2023-11-30", "已解决", None]])})
    files.append({"党员责任区": _sheet("zones", [
        ["Z1", "综采面", "甲队", "A班、B班", "001", "人员001", None, None],
        ["Z1", "综采面", "甲队", "A班、B班", "004", "人员004", None, None],
        ["Z2", "运输巷", "乙队", None, "007", "人员007", None, None]])})
    files.append({"党员示范岗": _sheet("model_posts", [
        ["2024Q1", "安全岗", "甲队", "A班", "001", "人员001", 90, 85, "是", 80, "是", 95, "优秀"],
        ["2024Q1", "技术岗", "甲队", "B班", "004", "人员004", 90, 79, "是", 88, "否", 95, "良好"]])})
    files.append({"比学争优": _sheet("scores", [
        ["2023Q4", "甲队", "A班", "001", "人员001", 90, 88, "已审核"],
        ["2023Q4", "甲队", "A班", "002", "人员002", 85, 85, "已审核"],
        ["2023Q4", "甲队", "A班", "003", "人员003", 80, None, "待审核"],
        ["2024Q1", "甲队", "A班", "001", "人员001", 86, 84, "已审核"],
        ["2024Q1", "甲队", "A班", "002", "人员002", 90, 88, "已审核"],
        ["2024Q1", "甲队", "A班", "003", "人员003", 84, None, "待审核"]])})
    files.append({"管理委员会": _sheet("committee", [["甲队", "A班", "001", "人员001", "安全委员", None],
                                                    ["甲队", "A班", "002", "人员002", "学习委员", None]])})
    files.append({"理念口号": _sheet("slogans", [["甲队", "A班", "争一流口号", "争一流"], ["甲队", "A班", "学习愿景", "学"],
                                              ["甲队", "A班", "安全理念", "安全"], ["甲队", "B班", "安全理念", "安全第一"]])})
    files.append({"荣誉": _sheet("honours", [[2024, "党员先锋岗", "矿党委", "甲队", "A班", None, None],
                                           [2024, "优秀共产党员", "矿党委", "甲队", "A班", "人员001", "001"]])})
    files.append({"发展党员": _sheet("development", [
        ["甲队", "A班", "101", "甲一", "是", "是", "2021-03-01", "2021-09-01", "2022-10-01", "2022-12-01", None, None],
        ["甲队", "B班", "102", "甲二", "是", "否", "2023-01-01", "2023-06-01", "2024-01-15", None, None, None],
        ["甲队", "A班", "104", "甲四", "否", "否", "2024-01-10", None, None, None, None, None]])})
    files.append({"发展党员": _sheet("development", [
        ["乙队", "C班", "103", "乙三", "否", "否", "2023-02-01", "2023-02-01", "2024-02-20", None, None, None]])})
    for i, sheets in enumerate(files):
        result = import_file(store, xlsx_bytes(sheets), f"f{i}.xlsx", User("测试", ADMIN))
        assert result.status == IMPORTED, [e.message for e in result.errors]

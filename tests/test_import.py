"""The import path end to end: real workbooks into a real DuckDB file."""
import datetime as dt
import json
import subprocess
import sys

import pytest

from lib.access.auth import ADMIN, User
from lib.ingest.sheets import SHEETS
from lib.store.importer import IMPORTED, REJECTED, UNCHANGED, import_file, preview
from lib.store.logs import history
from lib.store.undo import UndoRefused, undo
from tests.fingerprint import fingerprint
from tests.users import ADMIN_USER
from tests.workbooks import ROSTER_HEADER, canonical_header, roster, xlsx_bytes


def test_roster_imports_with_its_scope(store):
    result = import_file(store, xlsx_bytes({"人员名册": roster(n=12)}), "名册.xlsx", User("测试员", ADMIN))
    assert result.status == IMPORTED, result.errors
    assert result.sheet_rows()[0]["scope"] == ["综采队 2024年6月"]
    rows = store.query("SELECT * FROM roster ORDER BY staff_id")
    assert len(rows) == 12
    assert rows.staff_id.iloc[0] == "000001"
    assert rows.month.iloc[0] == dt.date(2024, 6, 1) or str(rows.month.iloc[0])[:10] == "2024-06-01"
    assert set(rows.political) == {"中共党员", "群众"}
    log = history(store)
    assert list(log["导入人"]) == ["测试员"] and list(log["导入行数"]) == [12]


def test_same_file_twice_is_unchanged(store):
    data = xlsx_bytes({"人员名册": roster()})
    first = import_file(store, data, "a.xlsx", ADMIN_USER)
    before = fingerprint(store)
    again = import_file(store, data, "a-copy.xlsx", ADMIN_USER)
    assert (first.status, again.status) == (IMPORTED, UNCHANGED)
    assert again.unchanged_since == first.import_id
    assert fingerprint(store) == before


def test_changed_file_replaces_exactly_its_scope(store):
    import_file(store, xlsx_bytes({"人员名册": roster(unit="综采队", n=10)}), "a.xlsx", ADMIN_USER)
    import_file(store, xlsx_bytes({"人员名册": roster(unit="机运队", n=5, start=100)}), "b.xlsx", ADMIN_USER)
    import_file(store, xlsx_bytes({"人员名册": roster(month="2024-07", unit="综采队", n=4, start=200)}),
                "c.xlsx", ADMIN_USER)
    replaced = preview(store, xlsx_bytes({"人员名册": roster(unit="综采队", n=7, start=300)}), "d.xlsx")
    assert [r.text for r in replaced.replacements] == ["将替换 综采队 2024年6月 人员名册（已有 10 行，新 7 行）"]
    result = import_file(store, xlsx_bytes({"人员名册": roster(unit="综采队", n=7, start=300)}), "d.xlsx", ADMIN_USER)
    assert result.status == IMPORTED
    counts = dict(store.cursor().execute(
        "SELECT unit || strftime(month, '%m'), count(*) FROM roster GROUP BY ALL").fetchall())
    assert counts == {"综采队06": 7, "机运队06": 5, "综采队07": 4}


def test_undo_restores_previous_content_and_refuses_out_of_order(store):
    import_file(store, xlsx_bytes({"人员名册": roster(n=10)}), "a.xlsx", ADMIN_USER)
    state_a = fingerprint(store)
    second = import_file(store, xlsx_bytes({"人员名册": roster(n=6, start=50)}), "b.xlsx", ADMIN_USER)
    state_b = fingerprint(store)
    third = import_file(store, xlsx_bytes({"人员名册": roster(n=3, start=90)}), "c.xlsx", ADMIN_USER)
    with pytest.raises(UndoRefused, match="请先撤销较新的导入"):
        undo(store, second.import_id, ADMIN_USER)
    undo(store, third.import_id, ADMIN_USER)
    assert fingerprint(store) == state_b
    undo(store, second.import_id, ADMIN_USER)
    assert fingerprint(store) == state_a
    with pytest.raises(UndoRefused, match="已经撤销过"):
        undo(store, second.import_id, ADMIN_USER)
    assert list(history(store)["状态"]) == ["已撤销", "已撤销", "有效"]
    # The undone file can be imported again.
    assert import_file(store, xlsx_bytes({"人员名册": roster(n=6, start=50)}), "b.xlsx", ADMIN_USER).status == IMPORTED


def test_rejected_file_changes_nothing(store):
    import_file(store, xlsx_bytes({"人员名册": roster(n=10)}), "a.xlsx", ADMIN_USER)
    before = fingerprint(store)
    bad = roster(n=10, start=500)
    bad[3][8] = "党外人士"  # not a 政治面貌
    result = import_file(store, xlsx_bytes({"人员名册": bad}), "bad.xlsx", ADMIN_USER)
    assert result.status == REJECTED
    (error,) = result.errors
    assert (error.sheet, error.row, error.column, error.value) == ("人员名册", 4, "政治面貌", "党外人士")
    assert "允许的取值" in error.hint
    assert fingerprint(store) == before


def test_staff_id_in_another_units_roster_the_same_month_is_an_error(store):
    import_file(store, xlsx_bytes({"人员名册": roster(unit="综采队", n=5)}), "a.xlsx", ADMIN_USER)
    before = fingerprint(store)
    result = import_file(store, xlsx_bytes({"人员名册": roster(unit="机运队", n=3, start=4)}), "b.xlsx", ADMIN_USER)
    assert result.status == REJECTED
    assert [e.row for e in result.errors] == [2, 3]
    assert "其他范围（综采队 2024年6月）" in result.errors[0].message
    assert fingerprint(store) == before


def test_unknown_team_is_warned_with_the_closest_spelling(store):
    import_file(store, xlsx_bytes({"人员名册": roster(n=6)}), "a.xlsx", ADMIN_USER)
    team_info = [canonical_header("team_info"),
                 ["2024-06", "综采队", "赵林班", "生产班组", "综采队党支部", None, None],
                 ["2024-06", "综采队", "检修班", "辅助班组", "综采队党支部", "000001", "职工1"]]
    result = import_file(store, xlsx_bytes({"班组信息": team_info}), "t.xlsx", ADMIN_USER)
    assert result.status == IMPORTED
    messages = [w.message for w in result.warnings]
    assert "班组 '赵林班' 不在2024年6月人员名册中，是否为 '赵林生产班'？" in messages


def test_every_sheet_type_round_trips_through_the_template(tmp_path, store):
    """The blank template, filled with one row per sheet, imports every type."""
    from openpyxl import load_workbook

    from lib.ingest.template import write_template

    path = write_template(tmp_path / "模板.xlsx")
    wb = load_workbook(path)
    assert wb.sheetnames == ["填表说明", *(s.label for s in SHEETS)]
    rows = {
        "人员名册": ["2024-06", "综采队", "检修班", "000001", "张三", "男", "2001-05", "采煤工", "是", "否", "中共党员", "2020-07-01"],
        "班组信息": ["2024-06", "综采队", "检修班", "生产班组", "综采队党支部", None, None],
        "发展党员": ["综采队", "检修班", "000002", "李四", "是", "是", "2019-03-01", "2019-09-01", "2020-10-01", "2021-06-01", None, "张三"],
        "包保对子": ["000001", "张三", "综采队", "000002", "李四", "综采队", "检修班", "2023-01-05", None],
        "谈心记录": ["2024-06-03", "000001", "张三", "综采队", "000002", "李四", "面谈", "家中老人看病难", "是", "P001"],
        "问题台帐": ["P001", "2024-06-03", "综采队", "检修班", "李四", "医疗健康", "家中老人看病难", "王五", "2024-06-05", None, "办理中", None],
        "党员责任区": ["Z01", "综采工作面责任区", "综采队", "检修班", "000001", "张三", "安全巡查", "2023-01-01"],
        "党员示范岗": ["2024Q2", "安全示范岗", "综采队", "检修班", "000001", "张三", 90, 85, "是", 88, "是", 95, "优秀"],
        "比学争优": ["2024Q2", "综采队", "检修班", "000001", "张三", 92, 90, "已审核"],
        "管理委员会": ["综采队", "检修班", "000001", "张三", "安全委员", "2023-01-01"],
        "理念口号": ["综采队", "检修班", "争一流口号", "安全第一，争创一流"],
        "荣誉": [2022, "党员先锋岗", "矿党委", "综采队", "检修班", None, None],
    }
    for sheet in SHEETS:
        header = [c.value for c in wb[sheet.label][1]]
        assert header == canonical_header(sheet.key)
        assert len(rows[sheet.label]) == len(header)
        wb[sheet.label].append(rows[sheet.label])
    wb.save(path)
    result = import_file(store, path.read_bytes(), path.name, ADMIN_USER)
    assert result.status == IMPORTED, [e.message for e in result.errors]
    loaded = {r["type"]: r["rows_loaded"] for r in result.sheet_rows() if r["type"]}
    assert loaded == {s.label: 1 for s in SHEETS}


def test_cli_import_json_and_exit_codes(tmp_path):
    good = tmp_path / "综采队_2024年6月.xlsx"
    good.write_bytes(xlsx_bytes({"人员名册": roster(n=4)}))
    bad = tmp_path / "坏文件.xlsx"
    bad.write_bytes(b"this is not a workbook at all")
    db = tmp_path / "cli.duckdb"
    cmd = [sys.executable, "-m", "lib.cli", "import", str(good), str(bad), "--db", str(db), "--json",
           "--user", "张管理"]
    run = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    assert run.returncode == 1, run.stderr
    out = json.loads(run.stdout)
    assert [o["status"] for o in out] == ["imported", "rejected"]
    assert out[0]["sheets"] == [{"sheet": "人员名册", "type": "人员名册", "scope": ["综采队 2024年6月"],
                                 "rows_loaded": 4, "rows_dropped": 0}]
    assert out[1]["errors"][0]["message"]
    again = subprocess.run(cmd[:5] + cmd[6:], capture_output=True, text=True, timeout=120)
    assert again.returncode == 0 and json.loads(again.stdout)[0]["status"] == "unchanged"
    usage = subprocess.run([sys.executable, "-m", "lib.cli", "import"], capture_output=True, text=True)
    assert usage.returncode == 2


def test_context_from_title_and_file_name(store):
    rows = [["综采队2024年3月份人员名册"], ["填报单位：综采队", None, "填报日期：2024-04-02"],
            [h for h in ROSTER_HEADER if h not in ("月份", "队")]]
    rows += [r[2:] for r in roster(n=3)[1:]]
    result = import_file(store, xlsx_bytes({"Sheet1": rows}), "名册.xlsx", ADMIN_USER)
    assert result.status == IMPORTED, result.errors
    assert result.sheet_rows()[0]["scope"] == ["综采队 2024年3月"]
    no_title = [rows[2]] + rows[3:]
    from_name = import_file(store, xlsx_bytes({"人员名册": no_title}), "机运队_2024年6月.xlsx", ADMIN_USER)
    assert from_name.sheet_rows()[0]["scope"] == ["机运队 2024年6月"]
    unknown = import_file(store, xlsx_bytes({"人员名册": no_title}), "名册.xlsx", ADMIN_USER)
    assert unknown.status == REJECTED and unknown.missing_context == ["month", "unit"]
    supplied = import_file(store, xlsx_bytes({"人员名册": no_title}), "名册.xlsx", ADMIN_USER,
                           context={"unit": "通防部", "month": "2024-05"})
    assert supplied.status == IMPORTED and supplied.sheet_rows()[0]["scope"] == ["通防部 2024年5月"]

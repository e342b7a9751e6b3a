"""A mine-wide 谈心记录 without 党员所在队: each row's 队 from the 包保对子 or the 人员名册.

The 党群工作部 keeps one talk log for the whole mine, with no 队 column and no 队 in the title or
the file name. Each 党员's 队 is known from the stored 包保对子 (党员所在队, the pair active on the
talk date first) or from the 人员名册 of the talk's month (or the nearest earlier one). Every case
is a workbook built here and imported into a real DuckDB file.
"""
from __future__ import annotations

import datetime as dt

from lib.store.importer import IMPORTED, READY, REJECTED, import_file, import_preview, preview, preview_parsed
from lib.store.upload import parse_file
from tests.fingerprint import fingerprint
from tests.users import ADMIN_USER, uploader
from tests.workbooks import ROSTER_HEADER, canonical_header, xlsx_bytes

D = dt.date
TALK_HEADER = ["谈心日期", "党员工号", "党员姓名", "职工工号", "职工姓名", "谈心方式", "谈心内容"]
PAIRS_HEADER = canonical_header("pairs")

# 党员: 综采 from a 包保对子 only, 机运 from the June roster only, 通防 from the May roster (nearest earlier).
ZC, JY, TF = "100001", "200001", "300001"
UNKNOWN_1, UNKNOWN_2 = "900001", "900002"


def _roster(month, unit, people):
    return [ROSTER_HEADER, *[[month, unit, "检修班", sid, f"职工{sid}", "男", "是", "否", political]
                             for sid, political in people]]


def _pairs(unit, rows):
    """rows: (member_id, worker_id, paired_on, ended_on)."""
    return [PAIRS_HEADER, *[[m, f"党员{m}", unit, w, f"职工{w}", unit, "检修班", on, off] for m, w, on, off in rows]]


def _talk(day, member, worker="500001"):
    return [day, member, f"党员{member}", worker, f"职工{worker}", "面对面", "家常"]


def _talk_log(*rows, sheet="谈心记录", title=None) -> bytes:
    above = [[title]] if title else []
    return xlsx_bytes({sheet: [*above, TALK_HEADER, *rows]})


def _seed(store):
    """What the store knows about the 党员 before the talk log arrives."""
    for name, data in [
        ("综采队包保.xlsx", xlsx_bytes({"包保对子": _pairs("综采队", [(ZC, "500001", "2024-01-05", None)])})),
        ("机运队_2024年6月.xlsx", xlsx_bytes({"人员名册": _roster("2024-06", "机运队",
                                                           [(JY, "中共党员"), ("500002", "群众")])})),
        ("通防部_2024年5月.xlsx", xlsx_bytes({"人员名册": _roster("2024-05", "通防部",
                                                           [(TF, "中共党员"), ("500003", "群众")])})),
    ]:
        assert import_file(store, data, name, ADMIN_USER).status == IMPORTED


MINE_WIDE = [_talk("2024-06-03", ZC), _talk("2024-06-10", JY, "500002"), _talk("2024-06-12", TF, "500003"),
             _talk("2024-07-02", ZC), _talk("2024-07-15", JY, "500002")]


def _talks(store):
    return store.cursor().execute(
        "SELECT talk_date, member_id, member_unit FROM talks ORDER BY talk_date, member_id").fetchall()


def test_mine_wide_log_gets_each_members_unit_and_replaces_months_times_derived_units(store):
    _seed(store)
    data = _talk_log(*MINE_WIDE, title="2024年谈心谈话记录")
    parsed = parse_file(data, "谈心记录.xlsx")
    assert parsed.status == READY and parsed.missing_context == [] and parsed.errors == []

    shown = preview_parsed(store, parsed, ADMIN_USER)
    assert shown.status == READY, shown.errors
    assert shown.sheet_rows()[0]["scope"] == ["综采队 2024年6月", "机运队 2024年6月", "通防部 2024年6月",
                                              "综采队 2024年7月", "机运队 2024年7月"]
    assert sorted(r.text for r in shown.replacements) == sorted([
        "将新增 综采队 2024年6月 谈心记录（1 行）", "将新增 机运队 2024年6月 谈心记录（1 行）",
        "将新增 通防部 2024年6月 谈心记录（1 行）", "将新增 综采队 2024年7月 谈心记录（1 行）",
        "将新增 机运队 2024年7月 谈心记录（1 行）"])
    # The parse the preview and the import share is left as it was read: no 队 in it.
    assert parsed.sheets[0].frame["member_unit"].isna().all()

    result = import_preview(store, parsed, data, ADMIN_USER)
    assert result.status == IMPORTED, result.errors
    assert _talks(store) == [(D(2024, 6, 3), ZC, "综采队"), (D(2024, 6, 10), JY, "机运队"),
                             (D(2024, 6, 12), TF, "通防部"), (D(2024, 7, 2), ZC, "综采队"),
                             (D(2024, 7, 15), JY, "机运队")]
    logged = store.cursor().execute("SELECT sheets FROM imports WHERE id = ?", [result.import_id]).fetchone()[0]
    assert "通防部 2024年6月" in logged
    assert parsed.sheets[0].frame["member_unit"].isna().all()


def test_reupload_replaces_only_the_derived_scopes(store):
    _seed(store)
    # Stored before: 综采队 June (one talk the new log drops), 掘锚队 June, 综采队 August.
    for name, rows in [("综采队_2024年6月谈心.xlsx", [_talk("2024-06-20", ZC, "500009")]),
                       ("掘锚队_2024年6月谈心.xlsx", [_talk("2024-06-21", "400001")]),
                       ("综采队_2024年8月谈心.xlsx", [_talk("2024-08-01", ZC)])]:
        assert import_file(store, _talk_log(*rows), name, ADMIN_USER).status == IMPORTED
    new = preview(store, _talk_log(_talk("2024-06-03", ZC), _talk("2024-07-15", JY, "500002")), "谈心记录.xlsx")
    assert sorted(r.text for r in new.replacements) == [
        "将新增 机运队 2024年7月 谈心记录（1 行）", "将替换 综采队 2024年6月 谈心记录（已有 1 行，新 1 行）"]
    result = import_file(store, _talk_log(_talk("2024-06-03", ZC), _talk("2024-07-15", JY, "500002")),
                         "谈心记录.xlsx", ADMIN_USER)
    assert result.status == IMPORTED, result.errors
    assert _talks(store) == [(D(2024, 6, 3), ZC, "综采队"), (D(2024, 6, 21), "400001", "掘锚队"),
                             (D(2024, 7, 15), JY, "机运队"), (D(2024, 8, 1), ZC, "综采队")]
    replaced = store.cursor().execute(
        "SELECT talk_date, member_id, member_unit FROM talks__replaced WHERE replaced_by = ?",
        [result.import_id]).fetchall()
    assert replaced == [(D(2024, 6, 20), ZC, "综采队")]


def test_unknown_members_are_named_and_nothing_is_written(store):
    _seed(store)
    before = fingerprint(store)
    imports = store.cursor().execute("SELECT count(*) FROM imports").fetchone()
    data = _talk_log(_talk("2024-06-03", ZC), _talk("2024-06-04", UNKNOWN_2), _talk("2024-06-05", UNKNOWN_1),
                     _talk("2024-06-06", UNKNOWN_2, "500002"), sheet="6月谈心")
    result = import_file(store, data, "谈心记录.xlsx", ADMIN_USER)
    assert result.status == REJECTED
    assert [(p.sheet, p.row, p.column, p.value) for p in result.errors] == [
        ("6月谈心", 3, "党员所在队", f"{UNKNOWN_1}、{UNKNOWN_2}")]
    message = result.errors[0].message
    assert message == (f"不知道这些党员属于哪个队：党员工号 {UNKNOWN_1}、{UNKNOWN_2} 在包保对子和人员名册中都找不到"
                       "（共 3 行：第 3、4、5 行）")
    assert "上传时选择队" in result.errors[0].hint
    assert result.sheet_rows()[0]["scope"] == ["综采队 2024年6月", "党员所在队未确定 2024年6月"]
    assert fingerprint(store) == before
    assert store.cursor().execute("SELECT count(*) FROM imports").fetchone() == imports
    # A 填报 user gets the same one error: an unknown 队 is not "another 队".
    as_uploader = import_file(store, data, "谈心记录.xlsx", uploader("综采队"))
    assert [(p.sheet, p.row, p.column) for p in as_uploader.errors] == [("6月谈心", 3, "党员所在队")]
    assert fingerprint(store) == before


def test_unknown_members_in_an_empty_database(store):
    result = import_file(store, _talk_log(_talk("2024-06-03", ZC)), "谈心记录.xlsx", ADMIN_USER)
    assert result.status == REJECTED
    assert [(p.sheet, p.row, p.column, p.value) for p in result.errors] == [("谈心记录", 2, "党员所在队", ZC)]
    assert _talks(store) == []


def test_a_unit_given_for_the_file_wins_for_every_row(store):
    _seed(store)
    data = _talk_log(_talk("2024-06-03", ZC), _talk("2024-06-10", JY, "500002"), _talk("2024-06-11", UNKNOWN_1))
    result = import_file(store, data, "谈心记录.xlsx", ADMIN_USER, context={"unit": "综掘队"})
    assert result.status == IMPORTED, result.errors
    assert {u for _, _, u in _talks(store)} == {"综掘队"}


def test_a_unit_in_the_title_wins_as_before(store):
    _seed(store)
    result = import_file(store, _talk_log(_talk("2024-06-10", JY, "500002"), title="填报单位：综采队"),
                         "谈心记录.xlsx", ADMIN_USER)
    assert result.status == IMPORTED, result.errors
    assert _talks(store) == [(D(2024, 6, 10), JY, "综采队")]


def test_uploader_of_one_unit_cannot_send_another_units_member(store):
    _seed(store)
    before = fingerprint(store)
    data = _talk_log(_talk("2024-06-03", ZC), _talk("2024-06-10", JY, "500002"))
    result = import_file(store, data, "谈心记录.xlsx", uploader("综采队"))
    assert result.status == REJECTED
    assert [(p.sheet, p.row, p.column, p.value) for p in result.errors] == [("谈心记录", 3, "党员所在队", "机运队")]
    assert "其他队（机运队）" in result.errors[0].message and "本队（综采队）" in result.errors[0].message
    assert fingerprint(store) == before
    # Only the 队's own 党员: accepted, under the derived 队.
    own = import_file(store, _talk_log(_talk("2024-06-03", ZC)), "谈心记录.xlsx", uploader("综采队"))
    assert own.status == IMPORTED, own.errors
    assert _talks(store) == [(D(2024, 6, 3), ZC, "综采队")]


def test_uploader_preview_also_refuses(store):
    _seed(store)
    shown = preview(store, _talk_log(_talk("2024-06-10", JY, "500002")), "谈心记录.xlsx", user=uploader("综采队"))
    assert shown.status == REJECTED
    assert [p.column for p in shown.errors] == ["党员所在队"]


def test_pair_active_on_the_talk_date_wins_then_roster_then_other_pairs(store):
    """A 党员 moved: paired in 综采队 until 2024-05-31, in the 机运队 roster from June; an old pair in
    掘锚队 and a later one in 通防部 are only used when nothing else knows them."""
    moved, only_old_pair = "600001", "600002"
    for name, data in [
        ("综采队包保.xlsx", xlsx_bytes({"包保对子": _pairs("综采队", [(moved, "500001", "2024-01-05", "2024-05-31")])})),
        ("掘锚队包保.xlsx", xlsx_bytes({"包保对子": _pairs("掘锚队", [(only_old_pair, "500005", "2023-01-05",
                                                                     "2023-12-31")])})),
        ("通防部包保.xlsx", xlsx_bytes({"包保对子": _pairs("通防部", [(only_old_pair, "500006", "2024-09-01", None)])})),
        ("机运队_2024年6月.xlsx", xlsx_bytes({"人员名册": _roster("2024-06", "机运队", [(moved, "中共党员")])})),
    ]:
        assert import_file(store, data, name, ADMIN_USER).status == IMPORTED
    data = _talk_log(_talk("2024-05-20", moved), _talk("2024-06-20", moved), _talk("2024-06-21", only_old_pair))
    result = import_file(store, data, "谈心记录.xlsx", ADMIN_USER)
    assert result.status == IMPORTED, result.errors
    assert _talks(store) == [(D(2024, 5, 20), moved, "综采队"), (D(2024, 6, 20), moved, "机运队"),
                             (D(2024, 6, 21), only_old_pair, "掘锚队")]


def test_only_an_earlier_roster_counts(store):
    """A roster of a later month does not say where the 党员 was at the talk."""
    assert import_file(store, xlsx_bytes({"人员名册": _roster("2024-08", "机运队", [(JY, "中共党员")])}),
                       "机运队_2024年8月.xlsx", ADMIN_USER).status == IMPORTED
    result = import_file(store, _talk_log(_talk("2024-06-10", JY), _talk("2024-09-10", JY)), "谈心记录.xlsx",
                         ADMIN_USER)
    assert result.status == REJECTED
    assert [(p.row, p.value) for p in result.errors] == [(2, JY)]
    assert "共 1 行：第 2 行" in result.errors[0].message


def test_roster_and_pairs_in_the_same_upload_count(store):
    data = xlsx_bytes({
        "人员名册": _roster("2024-06", "机运队", [(JY, "中共党员"), ("500002", "群众")]),
        "包保对子": _pairs("综采队", [(ZC, "500001", "2024-01-05", None)]),
        "谈心记录": [TALK_HEADER, _talk("2024-06-03", ZC), _talk("2024-06-10", JY, "500002")]})
    result = import_file(store, data, "6月报表.xlsx", ADMIN_USER, context={"month": "2024-06"})
    assert result.status == IMPORTED, result.errors
    assert _talks(store) == [(D(2024, 6, 3), ZC, "综采队"), (D(2024, 6, 10), JY, "机运队")]

"""对应表头 (#11): near-miss files read by a mapping the user chose, remembered per 队 + sheet type +
header layout, applied again to the same layout and asked again for a changed one; the CLI's --map;
the synonyms of public party-work systems; a template with one filled sheet."""
from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from openpyxl import Workbook

from lib.access.auth import ADMIN, UPLOADER, PermissionDenied, User
from lib.cli import main
from lib.ingest.column_map import EVERY_SHEET, GIVEN, SAVED, HeaderMaps, header_signature
from lib.ingest.template import template_workbook
from lib.store.column_maps import mapping_history, save_used_maps, saved_maps
from lib.store.database import Store
from lib.store.importer import IMPORTED, REJECTED, UNCHANGED, import_file, preview
from lib.store.upload import parse_file
from tests.fingerprint import fingerprint
from tests.workbooks import xlsx_bytes

ADMIN_USER = User("党群工作部", ADMIN)
CLERK = User("综采队文书", UPLOADER, unit="综采队")

# The development ledger of the issue, as exported from a public party-work system.
PUBLIC_HEADER = ["学工号", "姓名", "班组", "是否一线职工", "是否班组长", "提交书面申请书时间",
                 "确定为入党积极分子时间", "确定为发展对象时间", "入党时间", "转正时间"]
PUBLIC_ROWS = [["000101", "张三", "检修班", "是", "否", "2021-03-01", "2021-09-01", "2022-10-01", "2023-11-05",
                "2024-11-08"],
               ["000102", "李四", "运转班", "否", "否", "2022-04-01", "2022-10-01", None, None, None]]

# A layout no synonym covers: 学号 / 一线 / 带班 must be pointed out by the user.
ODD_HEADER = ["学号", "姓名", "班组", "一线", "带班", "申请入党时间"]
ODD_ROWS = [["000201", "王五", "检修班", "是", "否", "2023-02-01"],
            ["000202", "赵六", "运转班", "否", "是", "2023-03-01"]]
ODD_MAPPING = {"学号": "工号", "一线": "是否一线职工", "带班": "是否班组长"}


def odd_file(rows=ODD_ROWS, header=ODD_HEADER) -> bytes:
    return xlsx_bytes({"发展党员台账": [header, *rows]})


def stored(store: Store, sql: str):
    return store.cursor().execute(sql).fetchall()


def test_a_public_systems_ledger_imports_by_the_synonyms(store):
    result = import_file(store, xlsx_bytes({"发展党员": [PUBLIC_HEADER, *PUBLIC_ROWS]}), "综采队发展党员.xlsx",
                         ADMIN_USER)
    assert result.status == IMPORTED, result.errors
    assert not [w for w in result.warnings if "未识别的列" in w.message], "入党时间 is no longer dropped"
    assert stored(store, "SELECT staff_id, unit, applied_on, probation_on, full_on FROM development ORDER BY 1") == [
        ("000101", "综采队", dt.date(2021, 3, 1), dt.date(2023, 11, 5), dt.date(2024, 11, 8)),
        ("000102", "综采队", dt.date(2022, 4, 1), None, None)]


def test_a_near_miss_sheet_is_offered_its_mapping_with_guesses(store):
    before = fingerprint(store)
    result = preview(store, odd_file(), "综采队发展党员.xlsx", user=ADMIN_USER)
    assert result.status == REJECTED
    assert fingerprint(store) == before
    offer = result.sheets[0].mapping_offer
    assert offer.sheet_key == "development"
    assert offer.missing == ("工号", "是否一线职工", "是否班组长")
    assert offer.unused == ("学号", "一线", "带班")
    assert offer.guesses == {"工号": "学号", "是否一线职工": "一线", "是否班组长": "带班"}
    assert offer.signature == header_signature(ODD_HEADER)


def test_a_mapping_is_remembered_and_applied_to_the_same_layout_and_asked_again_for_another(store):
    first = import_file(store, odd_file(), "综采队发展党员.xlsx", ADMIN_USER, mapping={"发展党员台账": ODD_MAPPING})
    assert first.status == IMPORTED, first.errors
    assert stored(store, "SELECT staff_id, frontline, team_leader FROM development ORDER BY 1") == [
        ("000201", True, False), ("000202", False, True)]
    # The import log records which mapping read the sheet.
    sheets = json.loads(stored(store, f"SELECT sheets FROM imports WHERE id = {first.import_id}")[0][0])
    assert sheets[0]["mapping"] == ODD_MAPPING and sheets[0]["mapping_source"] == GIVEN
    history = mapping_history(store)
    assert list(history["unit"]) == ["综采队"] and list(history["sheet"]) == ["development"]
    assert json.loads(history["mapping"][0]) == ODD_MAPPING and history["import_id"][0] == first.import_id

    # Next month: the same layout, other rows — read by the remembered mapping, nothing asked.
    again = preview(store, odd_file([["000203", "孙七", "检修班", "是", "否", "2023-05-01"]]), "综采队发展党员.xlsx",
                    user=ADMIN_USER)
    assert again.status == "ready", again.errors
    assert again.sheets[0].mapping_source == SAVED and again.sheets[0].mapping_used == ODD_MAPPING

    # A changed layout (one more column) is another signature: asked again.
    changed = preview(store, odd_file([r + ["x"] for r in ODD_ROWS], ODD_HEADER + ["联系电话"]),
                      "综采队发展党员.xlsx", user=ADMIN_USER)
    assert changed.status == REJECTED
    assert changed.sheets[0].mapping_source == "" and changed.sheets[0].mapping_offer.missing


def test_a_saved_mapping_can_be_changed_by_a_given_one(store):
    import_file(store, odd_file(), "综采队发展党员.xlsx", ADMIN_USER, mapping={"发展党员台账": ODD_MAPPING})
    swapped = {"学号": "工号", "一线": "是否班组长", "带班": "是否一线职工"}
    result = import_file(store, odd_file([["000201", "王五", "检修班", "是", "否", "2023-02-01"]]),
                         "综采队发展党员.xlsx", ADMIN_USER, mapping={"发展党员台账": swapped})
    assert result.status == IMPORTED, result.errors
    assert stored(store, "SELECT frontline, team_leader FROM development") == [(False, True)]
    assert saved_maps(store)[("development", header_signature(ODD_HEADER))] == swapped
    assert len(mapping_history(store)) == 2, "the earlier choice is kept, not overwritten"


def test_a_units_own_mapping_wins_and_only_its_clerk_or_an_admin_saves_one(store):
    import_file(store, odd_file(), "综采队发展党员.xlsx", ADMIN_USER, mapping={"发展党员台账": ODD_MAPPING})
    other = {"学号": "工号", "一线": "是否班组长", "带班": "是否一线职工"}
    rows = [[r[0].replace("0002", "0003"), *r[1:]] for r in ODD_ROWS]
    import_file(store, odd_file(rows), "机运队发展党员.xlsx", ADMIN_USER, mapping={"发展党员台账": other})
    signature = header_signature(ODD_HEADER)
    assert saved_maps(store, "综采队")[("development", signature)] == ODD_MAPPING
    assert saved_maps(store, "机运队")[("development", signature)] == other
    assert saved_maps(store)[("development", signature)] == other, "without a 队: the newest"
    # A 综采队 clerk cannot save a mapping for 机运队's rows.
    parsed = parse_file(odd_file(rows), "机运队发展党员.xlsx", maps=None)
    mapped = parse_file(odd_file(rows), "机运队发展党员.xlsx", maps=HeaderMaps(given={EVERY_SHEET: other}))
    assert parsed.status == REJECTED and mapped.status == "ready"
    with pytest.raises(PermissionDenied):
        save_used_maps(store.cursor(), mapped, 99, CLERK)
    # The clerk's own file is refused whole (rows of another 队), and nothing is saved.
    refused = import_file(store, odd_file(rows), "机运队发展党员.xlsx", CLERK, mapping={"发展党员台账": other})
    assert refused.status == REJECTED
    assert len(mapping_history(store)) == 2


def test_the_same_bytes_read_by_another_mapping_are_another_import(store):
    data = odd_file()
    import_file(store, data, "综采队发展党员.xlsx", ADMIN_USER, mapping={"发展党员台账": ODD_MAPPING})
    assert import_file(store, data, "综采队发展党员.xlsx", ADMIN_USER).status == UNCHANGED
    swapped = {"学号": "工号", "一线": "是否班组长", "带班": "是否一线职工"}
    assert import_file(store, data, "综采队发展党员.xlsx", ADMIN_USER,
                       mapping={"发展党员台账": swapped}).status == IMPORTED


def test_the_cli_takes_map_and_then_uses_the_saved_mapping(tmp_path, capsys):
    db = tmp_path / "cli.duckdb"
    path = tmp_path / "综采队发展党员.xlsx"
    path.write_bytes(odd_file())
    assert main(["import", "--db", str(db), str(path)]) == 1
    out = capsys.readouterr().out
    assert "缺少 工号、是否一线职工、是否班组长" in out and "--map" in out
    args = ["--map", "学号=工号", "--map", "一线=是否一线职工", "--map", "带班=是否班组长"]
    assert main(["import", "--db", str(db), str(path), *args]) == 0
    assert "按 --map 读取：学号 → 工号" in capsys.readouterr().out
    path.write_bytes(odd_file([["000209", "周八", "检修班", "是", "否", "2023-06-01"]]))
    assert main(["import", "--db", str(db), str(path)]) == 0
    assert "按上次的对应关系读取：学号 → 工号，一线 → 是否一线职工，带班 → 是否班组长" in capsys.readouterr().out
    store = Store(db)
    try:
        assert stored(store, "SELECT count(*) FROM development") == [(1,)]
    finally:
        store.close()


@pytest.mark.parametrize("bad, said", [("学号", "请写成"), ("学号=学籍号", "模板中没有「学籍号」")])
def test_the_cli_refuses_a_wrong_map_and_changes_nothing(tmp_path, capsys, bad, said):
    db = tmp_path / "cli.duckdb"
    path = tmp_path / "综采队发展党员.xlsx"
    path.write_bytes(odd_file())
    assert main(["import", "--db", str(db), str(path), "--map", bad]) == 2
    assert said in capsys.readouterr().err
    assert not db.exists()


def filled_template() -> bytes:
    """The blank template with only its 人员名册 filled in (rows 2–4, where a clerk types them)."""
    wb = template_workbook()
    ws = wb["人员名册"]
    header = [c.value for c in ws[1]]
    people = [("000301", "张三", "中共党员"), ("000302", "李四", "群众"), ("000303", "王五", "群众")]
    for r, (staff_id, name, political) in enumerate(people, start=2):
        values = {"月份": "2024-06", "队": "综采队", "班组": "检修班", "工号": staff_id, "姓名": name,
                  "是否一线职工": "是", "是否班组长": "否", "政治面貌": political}
        for c, h in enumerate(header, start=1):
            ws.cell(row=r, column=c, value=values.get(h))
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def test_a_template_with_one_filled_sheet_lists_one_sheet_and_logs_one_type(store):
    result = import_file(store, filled_template(), "报表模板.xlsx", ADMIN_USER)
    assert result.status == IMPORTED, result.errors
    assert [r["sheet"] for r in result.sheet_rows() if r["type"]] == ["人员名册"]
    assert result.empty_sheets == 11
    assert not result.warnings, "nothing to say about the empty sheets"
    logged = json.loads(stored(store, f"SELECT sheets FROM imports WHERE id = {result.import_id}")[0][0])
    assert [s["type"] for s in logged if s["type"]] == ["人员名册"]


def test_an_empty_template_is_a_file_without_data_rows(store):
    wb: Workbook = template_workbook()
    buffer = io.BytesIO()
    wb.save(buffer)
    result = preview(store, buffer.getvalue(), "报表模板.xlsx", user=ADMIN_USER)
    assert result.status == REJECTED
    assert [p.message for p in result.errors] == ["文件中的报表没有数据行"]
    assert result.empty_sheets == 12 and not result.missing_context

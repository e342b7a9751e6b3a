"""Roles and access control: enforced in the importer, the store, the demo rebuild and the exports."""
import io

import pandas as pd
import pytest
from openpyxl import load_workbook

from lib.access import auth
from lib.access.auth import (
    ADMIN,
    DEMO_USER,
    UPLOAD,
    UPLOADER,
    VIEWER,
    AccountConfigError,
    PermissionDenied,
    User,
    cli_user,
    hash_password,
    load_config,
    require,
    user_for_email,
    verify_password,
)
from lib.present.exports import export_table
from lib.store.backup import backup, restore
from lib.store.importer import IMPORTED, REJECTED, import_file, import_paths, preview
from lib.store.logs import export_history, history
from lib.store.undo import undo
from tests.fingerprint import fingerprint
from tests.users import ADMIN_USER, VIEWER_USER, uploader
from tests.workbooks import canonical_header, roster, xlsx_bytes

# Cheap hashes: the cost factor does not change what is tested.
PASSWORD = "煤矿党建2024!"
HASH = hash_password(PASSWORD, rounds=4)


def account(role, unit=None, name="张三", password_hash=HASH):
    entry = {"name": name, "password_hash": password_hash, "role": role}
    if unit is not None:
        entry["unit"] = unit
    return entry


# ---------------------------------------------------------------- passwords and configuration

def test_password_hash_verifies_only_the_right_password():
    accounts = load_config({"accounts": {"zhangsan": account(UPLOADER, "综采队")}}).accounts
    assert HASH.startswith("$2b$04$") and PASSWORD not in HASH
    assert verify_password(accounts, "zhangsan", PASSWORD) == User("张三", UPLOADER, "综采队")
    assert verify_password(accounts, " zhangsan ", PASSWORD) is not None, "surrounding spaces in the login"
    assert verify_password(accounts, "zhangsan", PASSWORD + " ") is None
    assert verify_password(accounts, "zhangsan", "") is None
    assert verify_password(accounts, "lisi", PASSWORD) is None, "unknown login"
    # bcrypt 5 raises for more than 72 bytes; signing in must just fail.
    assert verify_password(accounts, "zhangsan", "长" * 40) is None


def test_hash_password_refuses_what_bcrypt_cannot_hash_safely():
    with pytest.raises(ValueError, match="至少需要 8 个字符"):
        hash_password("short")
    with pytest.raises(ValueError, match="最多支持 72 字节"):
        hash_password("密" * 25)  # 75 bytes in UTF-8


def test_hash_command_prints_a_hash_that_verifies(monkeypatch, capsys):
    typed = iter([PASSWORD, PASSWORD])
    monkeypatch.setattr(auth.getpass, "getpass", lambda prompt="": next(typed))
    assert auth.main(["hash"]) == 0
    printed = capsys.readouterr().out.strip()
    accounts = load_config({"accounts": {"a": account(ADMIN, password_hash=printed)}}).accounts
    assert verify_password(accounts, "a", PASSWORD) == User("张三", ADMIN)

    typed = iter([PASSWORD, PASSWORD + "x"])
    assert auth.main(["hash"]) == 1
    assert "两次输入的密码不一致" in capsys.readouterr().err


@pytest.mark.parametrize("entry, message", [
    (account("编辑"), "[accounts.bad]：角色「编辑」不存在，只能是 查看、填报、管理员 之一"),
    (account(UPLOADER), "[accounts.bad]：「填报」角色必须填写所属队（unit）"),
    (account(VIEWER, password_hash="secret123"), "[accounts.bad]：password_hash 不是 bcrypt 哈希值"),
    ({"name": "无角色", "password_hash": HASH}, "[accounts.bad]：缺少 role"),
    ("管理员", "[accounts.bad]：应为一个表"),
])
def test_bad_account_config_is_refused_with_a_chinese_message(entry, message):
    with pytest.raises(AccountConfigError) as refused:
        load_config({"accounts": {"good": account(VIEWER), "bad": entry}})
    assert message in refused.value.message
    assert refused.value.message.endswith("请按 .streamlit/secrets.toml.example 修改 .streamlit/secrets.toml")


def test_every_config_problem_is_listed_at_once():
    with pytest.raises(AccountConfigError) as refused:
        load_config({"accounts": {"a": account("编辑"), "b": account(UPLOADER)}})
    assert "[accounts.a]" in refused.value.message and "[accounts.b]" in refused.value.message


def test_no_accounts_means_demo_mode_and_accounts_mean_sign_in():
    assert load_config({}).demo
    assert load_config({"accounts": {}}).demo
    config = load_config({"accounts": {"a": account(VIEWER)}})
    assert not config.demo and not config.oidc and set(config.accounts) == {"a"}


def test_oidc_roles_map_e_mail_to_role_and_unit():
    config = load_config({
        "auth": {"redirect_uri": "http://localhost:8501/oauth2callback", "cookie_secret": "x", "client_id": "id",
                 "client_secret": "s", "server_metadata_url": "https://sso.example.com/.well-known"},
        "roles": {"Li@Example.com": {"role": UPLOADER, "unit": "综采队"}, "zhao@example.com": VIEWER,
                  "wang@example.com": {"name": "王主任", "role": ADMIN}}})
    assert config.oidc and not config.demo and config.oidc_providers == ("",)
    assert user_for_email(config, "li@example.com", "李四") == User("李四", UPLOADER, "综采队")
    assert user_for_email(config, "ZHAO@example.com") == User("zhao@example.com", VIEWER)
    assert user_for_email(config, "wang@example.com", "provider name") == User("王主任", ADMIN)
    assert user_for_email(config, "stranger@example.com") is None
    assert user_for_email(config, None) is None


def test_oidc_without_roles_is_a_config_error():
    with pytest.raises(AccountConfigError, match=r"\[roles\] 中没有任何邮箱"):
        load_config({"auth": {"client_id": "id"}})
    with pytest.raises(AccountConfigError, match="填报.*必须填写所属队"):
        load_config({"auth": {"client_id": "id"}, "roles": {"a@b.cn": UPLOADER}})


def test_roles_and_their_permissions():
    viewer, clerk, admin = VIEWER_USER, uploader("综采队"), ADMIN_USER
    assert (viewer.can_upload, clerk.can_upload, admin.can_upload) == (False, True, True)
    assert (viewer.can_undo, clerk.can_undo, admin.can_undo) == (False, False, True)
    assert (viewer.can_admin, clerk.can_admin, admin.can_admin) == (False, False, True)
    assert (viewer.can_see_full_names, clerk.can_see_full_names, admin.can_see_full_names) == (False, False, True)
    assert clerk.may_write_unit("综采队") and clerk.may_write_unit("综采 队") and not clerk.may_write_unit("机运队")
    assert admin.may_write_unit("机运队") and not viewer.may_write_unit("综采队")
    assert clerk.label == "填报员 · 填报（综采队）"
    # 演示模式: 管理员 in everything but full names.
    assert DEMO_USER.can_upload and DEMO_USER.can_undo and DEMO_USER.can_admin
    assert not DEMO_USER.can_see_full_names
    assert cli_user("张三") == User("张三", ADMIN)
    with pytest.raises(ValueError, match="角色「超级用户」不存在"):
        User("x", "超级用户")
    with pytest.raises(ValueError, match="必须填写所属队"):
        User("x", UPLOADER)


def test_require_refuses_with_chinese_messages():
    with pytest.raises(PermissionDenied, match="不能上传"):
        require(VIEWER_USER, UPLOAD)
    with pytest.raises(PermissionDenied, match="只能上传本队（综采队）的报表，不能上传机运队的数据"):
        require(uploader("综采队"), UPLOAD, unit="机运队")
    assert require(uploader("综采队"), UPLOAD, unit="综采队") == uploader("综采队")
    with pytest.raises(TypeError):
        require("管理员", UPLOAD)  # a plain name from an old call site is not a user


# ---------------------------------------------------------------- the importer

def _archived(store) -> list:
    return sorted(store.archive_dir.glob("*")) if store.archive_dir.exists() else []


def test_a_viewer_cannot_import_even_calling_the_importer(store, tmp_path):
    import_file(store, xlsx_bytes({"人员名册": roster(n=5)}), "a.xlsx", ADMIN_USER)
    before, archived = fingerprint(store), _archived(store)
    data = xlsx_bytes({"人员名册": roster(n=8, start=100)})
    with pytest.raises(PermissionDenied, match="不能上传或导入数据") as denied:
        import_file(store, data, "b.xlsx", VIEWER_USER)
    assert "「填报」" in denied.value.message
    path = tmp_path / "b.xlsx"
    path.write_bytes(data)
    with pytest.raises(PermissionDenied):
        import_paths(store, [path], VIEWER_USER)
    assert fingerprint(store) == before
    assert _archived(store) == archived, "nothing archived"
    assert len(history(store)) == 1


def test_an_uploader_cannot_import_another_units_sheets(store):
    import_file(store, xlsx_bytes({"人员名册": roster(unit="机运队", n=4, start=500)}), "old.xlsx", ADMIN_USER)
    before, archived = fingerprint(store), _archived(store)
    talks = [canonical_header("talks"),
             ["2024-06-03", "000501", "职工501", "机运队", "000502", "职工502", "面谈", None, "否", None]]
    data = xlsx_bytes({"人员名册": roster(unit="机运队", n=6), "谈心记录": talks})
    result = import_file(store, data, "机运队.xlsx", uploader("综采队"))
    assert result.status == REJECTED
    assert [(e.sheet, e.column) for e in result.errors] == [("人员名册", "队"), ("谈心记录", "党员所在队")]
    assert all("你只能上传本队（综采队）的报表" in e.message and "机运队" in e.message for e in result.errors)
    assert "数据库未做任何改动" in result.summary
    assert fingerprint(store) == before
    assert _archived(store) == archived
    # The upload page sees the same refusal before anything is confirmed.
    assert [e.message for e in preview(store, data, "机运队.xlsx", user=uploader("综采队")).errors] == \
        [e.message for e in result.errors]


def test_one_foreign_row_refuses_the_sheet(store):
    rows = roster(unit="综采队", n=5)
    rows[3][1] = "机运队"
    result = import_file(store, xlsx_bytes({"人员名册": rows}), "a.xlsx", uploader("综采队"))
    (error,) = result.errors
    assert result.status == REJECTED and (error.row, error.value) == (4, "机运队")
    assert "其他队（机运队）的 1 行" in error.message
    assert fingerprint(store)["roster"][0] == 0


def test_an_uploader_imports_their_own_unit_and_is_logged(store):
    clerk = uploader("综采队", name="李四")
    result = import_file(store, xlsx_bytes({"人员名册": roster(unit="综采队", n=6)}), "a.xlsx", clerk)
    assert result.status == IMPORTED, result.errors
    assert list(history(store)["导入人"]) == ["李四"]
    # 包保对子 belong to the member's 队: a 机关 member paired with a 综采队 worker is 机关's to report.
    pairs = [canonical_header("pairs"),
             ["900001", "机关党员", "机关", "000002", "职工2", "综采队", "检修班", "2024-01-01", None]]
    result = import_file(store, xlsx_bytes({"包保对子": pairs}), "机关包保.xlsx", uploader("机关"))
    assert result.status == IMPORTED, result.errors


def _ledger(*rows):
    return xlsx_bytes({"问题台帐": [canonical_header("problems"), *rows]})


def test_a_problem_id_filed_by_another_unit_is_refused_for_an_uploader(store):
    assert import_file(store, _ledger(["P1", "2024-06-01", "机运队", None, None, "生活困难", "家中困难", None, None,
                                       None, "待办理", None]), "机运队台帐.xlsx", ADMIN_USER).status == IMPORTED
    before = fingerprint(store)
    takeover = _ledger(["P1", "2024-06-02", "综采队", None, None, "生活困难", "改成综采队的", None, None, None,
                        "办理中", None])
    result = import_file(store, takeover, "综采队台帐.xlsx", uploader("综采队"))
    assert result.status == REJECTED
    (error,) = result.errors
    assert "问题编号 P1（机运队）已登记在其他队的问题台帐中" in error.message
    assert (error.column, error.value, error.row) == ("问题编号", "P1", 2)
    assert fingerprint(store) == before
    # Their own new problem goes in; an admin may update anyone's.
    own = _ledger(["P9", "2024-06-02", "综采队", None, None, "工作环境", "漏水", None, None, None, "待办理", None])
    assert import_file(store, own, "综采队台帐2.xlsx", uploader("综采队")).status == IMPORTED
    assert import_file(store, takeover, "综采队台帐.xlsx", ADMIN_USER).status == IMPORTED


def test_only_an_admin_can_undo(store):
    first = import_file(store, xlsx_bytes({"人员名册": roster(n=5)}), "a.xlsx", uploader("综采队"))
    before = fingerprint(store)
    for user in (uploader("综采队"), VIEWER_USER):
        with pytest.raises(PermissionDenied, match="只有管理员可以撤销导入"):
            undo(store, first.import_id, user)
    assert fingerprint(store) == before
    assert list(history(store)["状态"]) == ["有效"]
    undo(store, first.import_id, User("王主任", ADMIN))
    assert fingerprint(store)["roster"][0] == 0
    assert store.cursor().execute("SELECT undone_by FROM imports").fetchone() == ("王主任",)


# ---------------------------------------------------------------- backup, restore, demo reset

def test_backup_restore_and_demo_reset_need_an_admin(store, tmp_path):
    import_file(store, xlsx_bytes({"人员名册": roster(n=5)}), "a.xlsx", ADMIN_USER)
    for user in (VIEWER_USER, uploader("综采队")):
        with pytest.raises(PermissionDenied, match="只有管理员可以备份数据库"):
            backup(store, tmp_path / "x.duckdb", user)
        assert not (tmp_path / "x.duckdb").exists()
    copy = backup(store, tmp_path / "copy.duckdb", ADMIN_USER)
    import_file(store, xlsx_bytes({"人员名册": roster(n=3, start=50)}), "b.xlsx", ADMIN_USER)
    changed = fingerprint(store)
    with pytest.raises(PermissionDenied, match="只有管理员可以恢复数据库"):
        restore(store, copy, uploader("综采队"))
    assert fingerprint(store) == changed
    restore(store, copy, ADMIN_USER)
    assert fingerprint(store)["roster"][0] == 5

    from demo.build import rebuild_demo

    with pytest.raises(PermissionDenied, match="只有管理员可以重置演示数据"):
        rebuild_demo(VIEWER_USER, tmp_path / "demo.duckdb")
    assert not (tmp_path / "demo.duckdb").exists()


def test_cli_acts_as_admin_and_records_its_user(store, tmp_path):
    from lib.cli import main

    path = tmp_path / "综采队_2024年6月.xlsx"
    path.write_bytes(xlsx_bytes({"人员名册": roster(n=4)}))
    db = str(store.path)
    assert main(["import", str(path), "--db", db, "--user", "张三"]) == 0
    assert main(["undo", "1", "--db", db, "--user", "李四"]) == 0
    assert main(["backup", str(tmp_path / "b.duckdb"), "--db", db, "--user", "李四"]) == 0
    assert store.cursor().execute("SELECT user_name, undone_by FROM imports").fetchall() == [("张三", "李四")]


# ---------------------------------------------------------------- exports

PEOPLE = pd.DataFrame({"队": ["综采队", "机运队"], "党员姓名": ["张三丰", "李四"], "工号": ["0081234", "0090001"],
                       "得分": [90, 85]})


def _cells(data: bytes, sheet: str = "名单") -> list[list]:
    ws = load_workbook(io.BytesIO(data))[sheet]
    return [[c.value for c in row] for row in ws.iter_rows()]


@pytest.mark.parametrize("user, meeting, wanted, full", [
    (VIEWER_USER, False, True, False),
    (uploader("综采队"), False, True, False),
    (DEMO_USER, False, True, False),
    (ADMIN_USER, False, False, False),
    (ADMIN_USER, True, True, False),
    (ADMIN_USER, False, True, True),
])
def test_export_masks_names_unless_an_admin_asks_outside_meeting_mode(store, user, meeting, wanted, full):
    data = export_table(store, user, {"名单": PEOPLE}, "表格：名单", "全矿 · 2024年6月", meeting=meeting,
                        full_names_wanted=wanted)
    rows = _cells(data)
    assert rows[0] == ["队", "党员姓名", "工号", "得分"]
    if full:
        assert rows[1:] == [["综采队", "张三丰", "0081234", 90], ["机运队", "李四", "0090001", 85]]
    else:
        assert rows[1:] == [["综采队", "张*丰", "00***34", 90], ["机运队", "李*", "00***01", 85]]
    logged = store.query("SELECT * FROM export_log")
    assert len(logged) == 1
    row = logged.iloc[0]
    assert (row.user_name, row.what) == (user.name, "表格：名单")
    assert row.detail.startswith("全矿 · 2024年6月；2 行；")
    assert row.detail.endswith("含完整姓名和工号" if full else "姓名和工号已打码")


def test_every_export_is_logged_with_its_user(store):
    export_table(store, VIEWER_USER, {"名单": PEOPLE}, "表格：名单", "", False, False)
    export_table(store, ADMIN_USER, {"名单": PEOPLE, "另表": PEOPLE}, "会议材料", "综采队", False, True)
    logged = store.query("SELECT user_name, what, detail FROM export_log ORDER BY exported_at")
    assert logged.values.tolist() == [["查看员", "表格：名单", "2 行；姓名和工号已打码"],
                                      ["测试管理员", "会议材料", "综采队；4 行；含完整姓名和工号"]]


def test_only_an_admin_reads_the_export_log(store):
    export_table(store, VIEWER_USER, {"名单": PEOPLE}, "表格：名单", "全矿", False, False)
    export_table(store, uploader(), {"名单": PEOPLE}, "表格：名单", "综采队", False, False)
    for user in (VIEWER_USER, uploader()):
        with pytest.raises(PermissionDenied):
            export_history(store, user)
    log = export_history(store, ADMIN_USER)
    assert list(log.columns) == ["导出时间", "导出人", "导出内容", "范围和说明"]
    assert list(log["导出人"]) == ["填报员", "查看员"], "newest first"
    assert log["范围和说明"].iloc[0].startswith("综采队")

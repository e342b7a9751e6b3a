"""The import log and the operations log on 数据上传 (ui/logs.py), run by AppTest on a real
database: who imported or operated is shown to a 管理员 only; a restore shows in the 操作记录."""
import pytest
from streamlit.testing.v1 import AppTest

from lib.access.auth import ADMIN, UPLOADER, VIEWER
from lib.store.backup import backup, restore
from lib.store.database import Store
from lib.store.importer import import_file
from tests.users import ADMIN_USER
from tests.workbooks import roster, xlsx_bytes


def _logs_script(db_path: str, role: str, unit: str | None) -> None:
    from lib.access.auth import User
    from lib.store.database import Store
    from ui.logs import import_log

    import_log(Store.shared(db_path), User("某人", role, unit), lambda import_id: None)


@pytest.fixture
def restored(tmp_path, monkeypatch):
    """A real database: one import kept, one taken away by a restore of a backup taken between."""
    path = tmp_path / "dangjian.duckdb"
    monkeypatch.setenv("DANGJIAN_DB", str(path))
    store = Store.shared(path)
    import_file(store, xlsx_bytes({"人员名册": roster(n=4)}), "综采队.xlsx", ADMIN_USER)
    copy = backup(store, tmp_path / "备份.duckdb", ADMIN_USER)
    import_file(store, xlsx_bytes({"人员名册": roster(unit="机运队", n=3, start=100)}), "机运队.xlsx", ADMIN_USER)
    restore(store, copy, ADMIN_USER)
    yield path
    store.close()


def _tables(db_path, role, unit=None):
    at = AppTest.from_function(_logs_script, args=(str(db_path), role, unit), default_timeout=60).run()
    assert not at.exception, at.exception
    imports = next(t.value for t in at.dataframe if "状态" in t.value.columns)
    operations = next(t.value for t in at.dataframe if "操作" in t.value.columns)
    return at, imports, operations


def test_an_admin_sees_who_imported_and_who_restored(restored):
    at, imports, operations = _tables(restored, ADMIN)
    assert list(imports["导入人"]) == [ADMIN_USER.name] * 2
    assert list(imports["状态"]) == ["已被恢复操作撤回", "有效"]
    assert list(operations["操作"]) == ["恢复备份", "备份"]
    assert list(operations["操作人"]) == [ADMIN_USER.name] * 2
    assert "备份.duckdb" in operations["说明"].iloc[0]
    # Only the import still in the data may be undone.
    assert at.selectbox(key="undo-choice").options == [f"第 1 次 · 综采队.xlsx · {imports['导入时间'].iloc[1]}"]


@pytest.mark.parametrize("role, unit", [(VIEWER, None), (UPLOADER, "综采队")])
def test_other_roles_see_the_logs_without_names(restored, role, unit):
    at, imports, operations = _tables(restored, role, unit)
    assert "导入人" not in imports.columns and "操作人" not in operations.columns
    assert list(imports["文件"]) == ["机运队.xlsx", "综采队.xlsx"]
    assert list(operations["操作"]) == ["恢复备份", "备份"]
    shown = " ".join(str(v) for t in at.dataframe for v in t.value.to_numpy().ravel())
    assert ADMIN_USER.name not in shown


def test_on_the_upload_page_a_viewer_sees_no_importer(restored):
    """The whole page, signed in with an account: 查看 reads the import log without 导入人."""
    from lib.access.auth import hash_password

    digest = hash_password("煤矿党建2024!", rounds=4)
    at = AppTest.from_file("../dashboard.py", default_timeout=120)
    at.secrets["accounts"] = {"chakan": {"name": "党群工作部", "password_hash": digest, "role": "查看"},
                              "admin": {"name": "王主任", "password_hash": digest, "role": "管理员"}}
    at.run()
    at.sidebar.text_input(key="sign-in-login").input("chakan")
    at.sidebar.text_input(key="sign-in-password").input("煤矿党建2024!")
    at.sidebar.button[0].click().run()
    at.switch_page("pages/upload_page.py").run()
    assert not at.exception, at.exception
    logs = [t.value for t in at.dataframe if "状态" in t.value.columns]
    assert logs and list(logs[0]["文件"]) == ["机运队.xlsx", "综采队.xlsx"]
    assert not [t for t in at.dataframe if {"导入人", "操作人", "导出人"} & set(t.value.columns)]

"""数据上传 in the real app (AppTest), on an empty real database without demo data: each file is
read, cleaned and hashed once; the page keeps only the previews it shows."""
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

import lib.store.upload as upload
from lib.config import MAX_UPLOAD_MB
from lib.store.database import Store
from lib.store.importer import import_file
from tests.accounts import accounts_secrets, sign_in
from tests.users import ADMIN_USER
from tests.workbooks import ROSTER_HEADER, roster, xlsx_bytes

ENTRY = str(Path(__file__).resolve().parent.parent / "dashboard.py")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def db(tmp_path, monkeypatch):
    """An empty real database and no demo one beside it: the app shows the real store."""
    path = tmp_path / "dangjian.duckdb"
    monkeypatch.setenv("DANGJIAN_DB", str(path))
    yield path
    Store.shared(path).close()


@pytest.fixture
def calls(monkeypatch):
    """Counts of reading, cleaning and hashing a file, from the moment the test asks."""
    counts = {"read_workbook": 0, "parse_sheet": 0, "file_hash": 0}
    for name in counts:
        original = getattr(upload, name)

        def counted(*args, _name=name, _original=original, **kwargs):
            counts[_name] += 1
            return _original(*args, **kwargs)
        monkeypatch.setattr(upload, name, counted)
    return counts


def upload_page() -> AppTest:
    """数据上传, signed in as 管理员 (without accounts the first import asks for one first)."""
    at = AppTest.from_file(ENTRY, default_timeout=120)
    at.secrets.update(accounts_secrets())
    at.run()
    sign_in(at, "admin")
    at.switch_page("pages/upload_page.py").run()
    assert not at.exception, at.exception
    return at


def import_log_table(at: AppTest):
    """The import log (the 操作记录 and the export log follow it)."""
    return next(t.value for t in at.dataframe if "状态" in t.value.columns)


def shown_text(at: AppTest) -> str:
    return " ".join(m.value for m in at.markdown)


def test_the_uploader_has_the_one_upload_limit(db):
    at = upload_page()
    assert at.file_uploader(key="upload-files-0").proto.max_upload_size_mb == MAX_UPLOAD_MB


def test_a_file_is_read_and_hashed_once_from_preview_to_import(db, calls):
    at = upload_page()
    at.file_uploader(key="upload-files-0").set_value([("综采队_2024年6月.xlsx", xlsx_bytes({"人员名册": roster(n=6)}),
                                                       XLSX)]).run()
    assert "将新增 综采队 2024年6月 人员名册（6 行）" in shown_text(at)
    assert calls == {"read_workbook": 1, "parse_sheet": 1, "file_hash": 1}
    at.run()  # a rerun reads nothing
    # Another import of the same 队 and month meanwhile: the page redoes only the checks.
    import_file(Store.shared(db), xlsx_bytes({"人员名册": roster(n=4, start=100)}), "other.xlsx", ADMIN_USER)
    calls.update(read_workbook=0, parse_sheet=0, file_hash=0)
    at.run()
    assert "将替换 综采队 2024年6月 人员名册（已有 4 行，新 6 行）" in shown_text(at)
    at.button(key="upload-confirm").click().run()
    assert not at.exception, at.exception
    assert any("已导入 6 行" in s.value for s in at.success)
    assert "已替换 综采队 2024年6月 人员名册（已有 4 行，新 6 行）" in shown_text(at)
    assert calls == {"read_workbook": 0, "parse_sheet": 0, "file_hash": 0}, "confirm imported the preview's parse"
    counts = Store.shared(db).cursor().execute("SELECT count(*), count(DISTINCT import_id) FROM roster").fetchone()
    assert counts == (6, 1)


def test_previews_are_kept_only_for_the_files_shown(db):
    at = upload_page()
    no_unit = [[h for h in ROSTER_HEADER if h != "队"]] + [r[:1] + r[2:] for r in roster(n=3)[1:]]
    files = [("综采队_2024年6月.xlsx", xlsx_bytes({"人员名册": roster(n=5)}), XLSX),
             ("机运队_2024年6月.xlsx", xlsx_bytes({"人员名册": roster(unit="机运队", n=5, start=50)}), XLSX),
             ("名册.xlsx", xlsx_bytes({"人员名册": no_unit}), XLSX)]
    at.file_uploader(key="upload-files-0").set_value(files).run()
    assert len(at.session_state["upload_previews"]) == 3
    unit_input = next(t for t in at.text_input if t.key.endswith("-unit"))
    unit_input.input("通防部").run()
    assert len(at.session_state["upload_previews"]) == 4, "名册.xlsx as uploaded, and with its 队"
    assert "将新增 通防部 2024年6月 人员名册（3 行）" in shown_text(at)
    next(t for t in at.text_input if t.key.endswith("-unit")).input("开拓队").run()
    assert len(at.session_state["upload_previews"]) == 4, "the preview for the 队 typed before is dropped"
    at.file_uploader(key="upload-files-0").set_value(files[:1]).run()
    assert [k[0] for k in at.session_state["upload_previews"]] == [upload.file_hash(files[0][1])]
    assert len(at.session_state["upload_hashes"]) == 1
    at.file_uploader(key="upload-files-0").set_value([]).run()
    assert not at.session_state["upload_previews"] and not at.session_state["upload_hashes"]


def test_undo_from_the_import_log_puts_back_what_the_import_replaced(db):
    store = Store.shared(db)
    import_file(store, xlsx_bytes({"人员名册": roster(n=4)}), "first.xlsx", ADMIN_USER)
    second = import_file(store, xlsx_bytes({"人员名册": roster(n=6, start=100)}), "second.xlsx", ADMIN_USER)
    at = upload_page()
    log_table = import_log_table(at)
    assert list(log_table["文件"]) == ["second.xlsx", "first.xlsx"]
    at.selectbox(key="undo-choice").set_value(second.import_id).run()
    at.button(key="undo-button").click().run()
    assert not at.exception, at.exception
    assert any(f"已撤销第 {second.import_id} 次导入" in s.value for s in at.success)
    assert store.cursor().execute("SELECT count(*) FROM roster").fetchone() == (4,)
    assert list(import_log_table(at)["状态"]) == ["已撤销", "有效"]


def test_undo_refused_when_a_later_import_replaced_the_same_scope(db):
    store = Store.shared(db)
    first = import_file(store, xlsx_bytes({"人员名册": roster(n=4)}), "first.xlsx", ADMIN_USER)
    import_file(store, xlsx_bytes({"人员名册": roster(n=6, start=100)}), "second.xlsx", ADMIN_USER)
    at = upload_page()
    at.selectbox(key="undo-choice").set_value(first.import_id).run()
    at.button(key="undo-button").click().run()
    assert not at.exception, at.exception
    assert at.error, "a refused undo says why"
    assert store.cursor().execute("SELECT count(*) FROM roster").fetchone() == (6,)

"""What bounds the memory of an upload (#12): the parse lets each sheet's raw cells go as soon as
that sheet is cleaned, and after a confirm the upload page keeps each file's outcome, not its parsed
rows. Real workbooks, a real DuckDB file, the real page (AppTest). The figures are in
benchmarks/upload_memory_bench.py; nothing here measures memory."""
import gc
import weakref
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

import lib.store.upload as upload
from lib.store.database import Store
from lib.store.importer import IMPORTED, READY, import_preview, preview
from tests.accounts import accounts_secrets, sign_in
from tests.users import ADMIN_USER
from tests.test_upload_page import db  # noqa: F401  (the fixture: an empty real database)
from tests.workbooks import roster, xlsx_bytes

ENTRY = str(Path(__file__).resolve().parent.parent / "dashboard.py")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def test_the_parse_does_not_keep_the_raw_cells(monkeypatch):
    """Sheet by sheet: the raw cells of the first are gone while the second is cleaned, and none
    outlive the parse, though its result holds every cleaned table."""
    raw_sheets: list[weakref.ref] = []
    alive_at_second = []
    read, parse_sheet = upload.read_workbook, upload.parse_sheet

    def reading(*args, **kwargs):
        workbook = read(*args, **kwargs)
        raw_sheets.extend(weakref.ref(s) for s in workbook.sheets)
        return workbook

    def parsing(raw, *args, **kwargs):
        if raw is not raw_sheets[0]():
            gc.collect()
            alive_at_second.append(raw_sheets[0]() is not None)
        return parse_sheet(raw, *args, **kwargs)

    monkeypatch.setattr(upload, "read_workbook", reading)
    monkeypatch.setattr(upload, "parse_sheet", parsing)
    data = xlsx_bytes({"人员名册": roster(n=30), "机运队": roster(unit="机运队", n=20, start=100)})
    result = upload.parse_file(data, "2024年6月.xlsx")
    gc.collect()
    assert [s.rows_loaded for s in result.sheets] == [30, 20]
    assert len(raw_sheets) == 2 and alive_at_second == [False]
    assert [ref() for ref in raw_sheets] == [None, None], "the raw cells outlived the parse"


def test_an_outcome_without_rows_keeps_what_is_shown_and_cannot_be_imported(store):
    data = xlsx_bytes({"人员名册": roster(n=12)})
    previewed = preview(store, data, "综采队.xlsx", user=ADMIN_USER)
    result = import_preview(store, previewed, data, ADMIN_USER)
    assert result.status == IMPORTED
    kept = result.without_rows()
    assert kept.rows_released and not result.rows_released, "the import's own result is left as it was"
    assert [len(s.frame) for s in kept.loadable] == [0]
    assert list(kept.loadable[0].frame.columns) == list(result.loadable[0].frame.columns)
    assert kept.summary == result.summary and "已导入 12 行" in kept.summary
    assert (kept.status, kept.import_id, kept.replacements) == (result.status, result.import_id, result.replacements)
    assert [p.message for p in kept.all_findings] == [p.message for p in result.all_findings]
    with pytest.raises(ValueError, match="released"):
        import_preview(store, previewed.without_rows(), data, ADMIN_USER)
    assert store.query("SELECT count(*) AS n FROM imports")["n"].iloc[0] == 1




def held_rows(at: AppTest) -> int:
    """The parsed rows the session holds, over every kept preview and import outcome."""
    results = list(at.session_state["upload_done"].values())
    for kept in at.session_state["upload_previews"].values():
        results += [kept.shown] + ([kept.parsed] if kept.parsed is not None else [])
    return sum(len(s.frame) for r in results for s in r.sheets if s.frame is not None)


def test_after_confirm_the_page_keeps_no_parsed_rows_and_reads_again_after_an_undo(db):
    at = AppTest.from_file(ENTRY, default_timeout=120)
    at.secrets.update(accounts_secrets())
    at.run()
    sign_in(at, "admin")
    at.switch_page("pages/upload_page.py").run()
    files = [("综采队_2024年6月.xlsx", xlsx_bytes({"人员名册": roster(n=7)}), XLSX)]
    at.file_uploader(key="upload-files-0").set_value(files).run()
    assert held_rows(at) > 0, "the preview keeps its parse for confirm"
    at.button(key="upload-confirm").click().run()
    assert not at.exception, at.exception
    assert any("已导入 7 行" in s.value for s in at.success)
    assert held_rows(at) == 0, "after confirm only the outcome is kept"
    at.run()
    assert held_rows(at) == 0 and any("已导入 7 行" in s.value for s in at.success)
    # Undone: the file still chosen is read again and can be imported again.
    (done,) = at.session_state["upload_done"].values()
    at.selectbox(key="undo-choice").set_value(done.import_id).run()
    at.button(key="undo-button").click().run()
    assert not at.exception, at.exception
    assert not at.session_state["upload_done"]
    assert held_rows(at) > 0
    assert any("可导入 7 行" in s.value for s in at.success)
    preview_status = [k.shown.status for k in at.session_state["upload_previews"].values()]
    assert preview_status == [READY]
    at.button(key="upload-confirm").click().run()
    assert any("已导入 7 行" in s.value for s in at.success)
    assert Store.shared(db).query("SELECT count(*) AS n FROM roster")["n"].iloc[0] == 7

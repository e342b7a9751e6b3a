"""Each upload is parsed once: confirm imports the preview's parse and redoes only the checks
against the store, which may have changed in between. Real workbooks, a real DuckDB file."""
import pytest

import lib.store.upload as upload
from lib.store.importer import IMPORTED, READY, REJECTED, UNCHANGED, import_file, import_preview, preview
from lib.store.logs import history
from lib.store.undo import UndoRefused, undo
from tests.fingerprint import fingerprint
from tests.users import ADMIN_USER, uploader
from tests.workbooks import canonical_header, roster, xlsx_bytes


@pytest.fixture
def no_reading(monkeypatch):
    """From here on, reading, cleaning or hashing any file fails the test."""
    def refuse(*args, **kwargs):
        raise AssertionError("the file was read, cleaned or hashed again")

    def arm():
        for name in ("read_workbook", "parse_sheet", "file_hash"):
            monkeypatch.setattr(upload, name, refuse)
    return arm


def test_confirm_imports_the_previews_parse_without_reading_the_file_again(store, no_reading):
    data = xlsx_bytes({"人员名册": roster(n=8)})
    previewed = preview(store, data, "综采队.xlsx", user=ADMIN_USER)
    assert previewed.status == READY
    no_reading()
    result = import_preview(store, previewed, data, ADMIN_USER)
    assert result.status == IMPORTED, result.errors
    assert store.cursor().execute("SELECT count(*) FROM roster").fetchone()[0] == 8
    assert list(history(store)["导入行数"]) == [8]
    # The archived copy is named by the hash the preview computed.
    assert [p.name for p in store.archive_dir.iterdir()] == [f"{previewed.file_hash}.xlsx"]
    assert previewed.status == READY and previewed.import_id is None, "the preview itself is left as it was"


def test_a_known_hash_is_not_computed_again(store, monkeypatch):
    data = xlsx_bytes({"人员名册": roster(n=3)})
    digest = upload.file_hash(data)
    monkeypatch.setattr(upload, "file_hash", lambda _: pytest.fail("hashed twice"))
    assert preview(store, data, "a.xlsx", known_hash=digest).file_hash == digest


def test_an_import_of_the_same_scope_between_preview_and_confirm_is_what_gets_replaced(store, no_reading):
    import_file(store, xlsx_bytes({"人员名册": roster(n=10)}), "first.xlsx", ADMIN_USER)
    state_first = fingerprint(store)
    data = xlsx_bytes({"人员名册": roster(n=7, start=300)})
    previewed = preview(store, data, "third.xlsx", user=ADMIN_USER)
    assert [r.text for r in previewed.replacements] == ["将替换 综采队 2024年6月 人员名册（已有 10 行，新 7 行）"]

    # Someone else imports the same 队 and month meanwhile.
    middle = import_file(store, xlsx_bytes({"人员名册": roster(n=4, start=100)}), "second.xlsx", ADMIN_USER)
    state_middle = fingerprint(store)
    no_reading()
    result = import_preview(store, previewed, data, ADMIN_USER)
    assert result.status == IMPORTED
    assert [r.text for r in result.replacements] == ["将替换 综采队 2024年6月 人员名册（已有 4 行，新 7 行）"]
    assert [r.text for r in previewed.replacements] == ["将替换 综采队 2024年6月 人员名册（已有 10 行，新 7 行）"]

    # Undo walks back through exactly those states.
    with pytest.raises(UndoRefused, match="请先撤销较新的导入"):
        undo(store, middle.import_id, ADMIN_USER)
    undo(store, result.import_id, ADMIN_USER)
    assert fingerprint(store) == state_middle
    undo(store, middle.import_id, ADMIN_USER)
    assert fingerprint(store) == state_first


def test_a_clash_that_appears_between_preview_and_confirm_refuses_the_import(store, no_reading):
    data = xlsx_bytes({"人员名册": roster(unit="机运队", n=3, start=4)})
    previewed = preview(store, data, "机运队.xlsx", user=ADMIN_USER)
    assert previewed.status == READY and not previewed.errors
    # 工号 000004–000006 go into 综采队's roster of the same month first.
    import_file(store, xlsx_bytes({"人员名册": roster(unit="综采队", n=6)}), "综采队.xlsx", ADMIN_USER)
    before = fingerprint(store)
    no_reading()
    result = import_preview(store, previewed, data, ADMIN_USER)
    assert result.status == REJECTED
    assert [e.row for e in result.errors] == [2, 3, 4]
    assert "其他范围（综采队 2024年6月）" in result.errors[0].message
    assert fingerprint(store) == before
    assert len(history(store)) == 1
    assert not previewed.errors, "the preview itself is left as it was"


def test_the_same_file_imported_between_preview_and_confirm_comes_back_unchanged(store, no_reading):
    data = xlsx_bytes({"人员名册": roster(n=5)})
    previewed = preview(store, data, "a.xlsx", user=ADMIN_USER)
    first = import_file(store, data, "a-again.xlsx", ADMIN_USER)
    before = fingerprint(store)
    no_reading()
    result = import_preview(store, previewed, data, ADMIN_USER)
    assert (result.status, result.unchanged_since) == (UNCHANGED, first.import_id)
    assert fingerprint(store) == before


def test_a_problem_id_taken_by_another_unit_after_the_preview_is_refused_for_an_uploader(store, no_reading):
    def ledger(unit, description):
        return xlsx_bytes({"问题台帐": [canonical_header("problems"),
                                      ["P1", "2024-06-01", unit, None, None, "生活困难", description, None, None,
                                       None, "待办理", None]]})

    clerk = uploader("综采队")
    mine = ledger("综采队", "综采队的问题")
    previewed = preview(store, mine, "综采队台帐.xlsx", user=clerk)
    assert previewed.status == READY
    import_file(store, ledger("机运队", "机运队的问题"), "机运队台帐.xlsx", ADMIN_USER)
    no_reading()
    result = import_preview(store, previewed, mine, clerk)
    assert result.status == REJECTED
    (error,) = result.errors
    assert "问题编号 P1（机运队）已登记在其他队的问题台帐中" in error.message


def test_a_rejected_preview_is_not_imported_and_the_bytes_must_be_the_previewed_ones(store):
    bad = roster(n=4)
    bad[2][8] = "党外人士"
    data = xlsx_bytes({"人员名册": bad})
    previewed = preview(store, data, "bad.xlsx")
    assert import_preview(store, previewed, data, ADMIN_USER).status == REJECTED
    good = preview(store, xlsx_bytes({"人员名册": roster(n=4)}), "good.xlsx")
    with pytest.raises(ValueError, match="not the previewed file"):
        import_preview(store, good, data + b"extra", ADMIN_USER)
    assert fingerprint(store)["roster"][0] == 0

"""Every sheet declaration is consistent, and everything derived from it follows it."""
import re

import pytest

from lib.ingest.recognise import HEADER_INDEX, normalize_header
from lib.ingest.sheet_docs import DOC_PATH, render_sheet_docs
from lib.ingest.sheets import SHEETS, SQL_TYPES
from lib.store.database import data_columns
from tests.fingerprint import fingerprint


@pytest.mark.parametrize("sheet", SHEETS, ids=lambda s: s.label)
def test_declaration_is_consistent(sheet):
    fields = sheet.fields
    assert len(set(fields)) == len(fields)
    assert set(sheet.grain) <= set(fields)
    assert sheet.scope and set(sheet.scope) <= set(fields)
    for field in sheet.scope_by_month:
        assert field in sheet.scope and sheet.column(field).kind == "date"
    for col in sheet.columns:
        assert col.kind in SQL_TYPES
        assert re.fullmatch(r"[a-z_]+", col.field)
        assert re.search(r"[\u4e00-\u9fff]", col.label)
        if col.kind == "enum":
            assert col.allowed and set(col.aliases.values()) <= set(col.allowed)
        if col.context:
            assert col.context in ("unit", "month", "quarter", "year")
    for field, _ in sheet.date_chain:
        assert sheet.column(field).kind == "date"
    for earlier, later, days, message in sheet.min_gaps:
        assert {earlier, later} <= set(fields) and days > 0 and message


@pytest.mark.parametrize("sheet", SHEETS, ids=lambda s: s.label)
def test_headers_and_synonyms_are_unambiguous_within_a_sheet(sheet):
    seen = {}
    for col in sheet.columns:
        for header in col.headers:
            norm = normalize_header(header)
            assert seen.setdefault(norm, col.field) == col.field, f"{header} 同时指向两列"
    assert set(HEADER_INDEX[sheet.key].values()) == set(sheet.fields)


def test_schema_follows_the_declarations(store):
    for sheet in SHEETS:
        columns = [r[0] for r in store.cursor().execute(
            "SELECT column_name FROM information_schema.columns WHERE table_name = ? ORDER BY ordinal_position",
            [sheet.key]).fetchall()]
        assert columns == data_columns(sheet) + ["import_id"]
        pk = store.cursor().execute(
            "SELECT constraint_column_names FROM duckdb_constraints() WHERE table_name = ? "
            "AND constraint_type = 'PRIMARY KEY'", [sheet.key]).fetchone()[0]
        assert tuple(pk) == sheet.grain


def test_schema_is_created_idempotently(tmp_path):
    from lib.store.database import Store

    first = Store(tmp_path / "x.duckdb")
    first.close()
    again = Store(tmp_path / "x.duckdb")  # opening an existing file changes nothing
    assert fingerprint(again) == {s.key: (0, fingerprint(again)[s.key][1]) for s in SHEETS}
    again.close()


def test_sheet_docs_are_up_to_date():
    assert DOC_PATH.read_text(encoding="utf-8") == render_sheet_docs(), "请运行 python -m lib.ingest.sheet_docs"

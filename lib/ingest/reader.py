"""Uploaded bytes → raw sheets: the importer's entry point, read_workbook.

Safety comes before parsing. sniff decides the format (and checks the zip directory or the
compound-file container); an xlsx is then verified member by member and its worksheets scanned
(ooxml), an .xls has its BIFF records walked (guards/ole, guards/biff); only then is the file
given to python-calamine. Its cells are returned exactly as the workbook stores them.
"""
from __future__ import annotations

import datetime as dt
import io
import itertools
import struct

import defusedxml  # noqa: F401  (a hard dependency: openpyxl switches to it when installed)
import python_calamine

from lib.ingest.clean.cells import strip_controls
from lib.ingest.csv_reader import read_csv
from lib.ingest.guards.biff import check_biff
from lib.ingest.guards.ole import OLE_MAGIC, workbook_stream
from lib.ingest.ooxml import OoxmlScan, verify_and_scan
from lib.ingest.raw import RawSheet, RawWorkbook
from lib.ingest.rejections import (
    HINT_RESAVE_ET,
    HINT_UPLOAD_TYPES,
    FileRejected,
    corrupt,
    password_protected,
)
from lib.ingest.sniff import detect

__all__ = ["FileRejected", "RawSheet", "RawWorkbook", "read_workbook"]

# Exceptions calamine's wrappers must let through; anything else it raises means a broken file.
_PASS_THROUGH = (KeyboardInterrupt, SystemExit, GeneratorExit, FileRejected)
_ONE_DAY = dt.timedelta(days=1)


def read_workbook(data: bytes, filename: str = "") -> RawWorkbook:
    """Read an uploaded file into raw sheets; raises FileRejected with a Chinese message."""
    if not isinstance(data, bytes):
        data = bytes(data)
    fmt, context = detect(data, filename)
    if fmt == "csv":
        text, encoding = context
        return read_csv(text, encoding, filename)
    if data.startswith(OLE_MAGIC):
        _check_xls(data, fmt)
        return RawWorkbook(format=fmt, sheets=_read_sheets(_open(data, fmt), None))
    try:
        scan = verify_and_scan(context)
    finally:
        context.close()
    return RawWorkbook(format=fmt, sheets=_read_sheets(_open(data, fmt), scan),
                       formula_cells_without_value=scan.bare_formulas)


def _check_xls(data: bytes, fmt: str) -> None:
    """Find the BIFF stream in the compound file and check it before calamine parses it."""
    stream = workbook_stream(data)
    if stream is None:
        if fmt == "et":
            raise FileRejected("无法读取这个WPS表格文件", hint=HINT_RESAVE_ET)
        raise FileRejected("不是Excel表格文件（可能是Word或其他Office文档）", hint=HINT_UPLOAD_TYPES)
    try:
        check_biff(stream)
    except struct.error:
        raise corrupt() from None


def _open(data: bytes, fmt: str):
    try:
        return python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
    except python_calamine.PasswordError:
        raise password_protected() from None
    except _PASS_THROUGH:
        raise
    except BaseException:  # CalamineError, pyo3 PanicException (a BaseException), ...
        pass
    raise corrupt(hint=HINT_RESAVE_ET) if fmt == "et" else corrupt()


def _read_sheets(wb, scan: OoxmlScan | None) -> list[RawSheet]:
    visible = python_calamine.SheetVisibleEnum.Visible
    worksheet = python_calamine.SheetTypeEnum.WorkSheet
    sheets = []
    try:
        for meta in wb.sheets_metadata:
            if meta.typ != worksheet:  # chart sheets, dialog/macro sheets, VBA modules
                continue
            sheet = wb.get_sheet_by_name(meta.name)
            merged = [(int(a[0]), int(a[1]), int(b[0]), int(b[1]))
                      for a, b in (sheet.merged_cell_ranges or ())]
            rows = _clean_rows(_rows_from_a1(sheet))
            # calamine's own copy of the cells (some 250 MiB for a 20 MB roster) goes now, not when
            # the next sheet is loaded beside it.
            del sheet
            if scan is not None:
                for r, c, text in scan.errors.get(meta.name, ()):
                    _put(rows, r, c, text)
            sheets.append(RawSheet(
                name=strip_controls(meta.name) or "Sheet",  # shown in findings; cells stay raw
                rows=rows,
                hidden=meta.visible != visible,
                hidden_rows=scan.hidden_rows.get(meta.name, frozenset()) if scan else frozenset(),
                merged=merged,
            ))
    except python_calamine.PasswordError:
        raise password_protected() from None
    except _PASS_THROUGH:
        raise
    except BaseException:
        raise corrupt() from None
    finally:
        try:
            wb.close()
        except BaseException:
            pass
    return sheets


def _rows_from_a1(sheet):
    """calamine's rows one at a time, placed so that rows[0][0] is cell A1: iter_rows yields rows
    from row 1 but columns from the first used column
    (https://github.com/dimastbk/python-calamine/issues/177; tests/test_read.py checks data placed
    at C3)."""
    start = sheet.start
    if start is None:
        return
    pad = [None] * int(start[1])
    for row in sheet.iter_rows():
        yield pad + row if pad else row


def _clean_rows(source) -> list[list]:
    """calamine's '' (empty cell) → None, durations → time/float, trailing empties trimmed.

    Rows are taken one at a time and equal strings share one object: a 300,000-row roster repeats
    the same 队, 班组, 是/否 and 政治面貌 hundreds of thousands of times, and one copy each keeps
    the peak memory of a large import within bounds.
    """
    shared: dict[str, str] = {}
    rows = []
    for row in source:
        row = [None if v == "" else (shared.setdefault(v, v) if v.__class__ is str else v) for v in row]
        while row and row[-1] is None:
            row.pop()
        rows.append(row)
    # durations are rare: one C-level type sweep per sheet finds them
    if dt.timedelta in set(map(type, itertools.chain.from_iterable(rows))):
        for row in rows:
            for i, v in enumerate(row):
                if v.__class__ is dt.timedelta:
                    row[i] = _duration(v)
    while rows and not rows[-1]:
        rows.pop()
    return rows


def _duration(v: dt.timedelta):
    """Calamine returns timedelta for [h]:mm-style cells; keep them in the reader's value types."""
    if dt.timedelta(0) <= v < _ONE_DAY:
        return (dt.datetime.min + v).time()
    return v / _ONE_DAY  # Excel's own value: days as a float


def _put(rows: list[list], r: int, c: int, value) -> None:
    """Put an error cell's text where calamine left it empty (never over a value)."""
    while len(rows) <= r:
        rows.append([])
    row = rows[r]
    if len(row) <= c:
        row.extend([None] * (c + 1 - len(row)))
    if row[c] is None:
        row[c] = value

"""lib/ingest (sniff, guards, reader, csv_reader): bytes → raw sheets, format sniffing and refusals.

Every file is built for real in tmp_path: xlsx with openpyxl, legacy .xls with a tiny BIFF8
writer inside an OLE2 container (xlwt is not available), CSV in several encodings, and hostile
files (zip bombs, lying zip directories, entity declarations, truncated and random bytes).
"""
from __future__ import annotations

import datetime as dt
import io
import random
import re
import resource
import struct
import sys
import time
import tracemalloc
import zipfile
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from lib import config  # noqa: E402
from lib.ingest.guards import cell_area  # noqa: E402
from lib.ingest.guards.ole import OLE_MAGIC  # noqa: E402
from lib.ingest.ooxml import verify_member  # noqa: E402
from lib.ingest.raw import RawSheet, RawWorkbook  # noqa: E402
from lib.ingest.reader import FileRejected, read_workbook  # noqa: E402
from lib.ingest.sheet_xml_scan import SheetScan  # noqa: E402
from lib.ingest.sniff import sniff_format  # noqa: E402


# ---------------------------------------------------------------------------------------------
# Builders
# ---------------------------------------------------------------------------------------------
def save_xlsx(tmp_path: Path, wb: openpyxl.Workbook, name: str = "book.xlsx") -> bytes:
    path = tmp_path / name
    wb.save(path)
    return path.read_bytes()


def rezip(data: bytes, replace: dict | None = None, add: dict | None = None, drop=()) -> bytes:
    """Copy a zip, changing members: replace maps name → bytes or a function old → new."""
    replace = replace or {}
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            if info.filename in drop:
                continue
            body = zin.read(info)
            if info.filename in replace:
                new = replace[info.filename]
                body = new(body) if callable(new) else new
            zout.writestr(info.filename, body)
        for name, body in (add or {}).items():
            zout.writestr(name, body)
    return out.getvalue()


def edit_sheet_xml(data: bytes, fn, member: str = "xl/worksheets/sheet1.xml") -> bytes:
    return rezip(data, replace={member: lambda b: fn(b.decode("utf-8")).encode("utf-8")})


# ---- a minimal OLE2 (CFB v3) writer and BIFF8 workbook writer ------------------------------
_ENDOFCHAIN, _FREESECT, _FATSECT, _NOSTREAM = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD, 0xFFFFFFFF


def ole_file(streams: dict[str, bytes], mini: bool = False) -> bytes:
    """A compound file (CFB v3, 512-byte sectors) holding the given streams.

    mini=False pads every stream past the 4096-byte cutoff so it lives in regular sectors;
    mini=True stores streams smaller than 4096 bytes in the mini stream, as Excel does.
    """
    items = list(streams.items())
    if not mini:
        items = [(n, b.ljust(4096, b"\0")) for n, b in items]
    small = [(n, b) for n, b in items if len(b) < 4096]
    container, mini_starts, minifat = b"", {}, []
    for name, body in small:
        k = -(-len(body) // 64) or 1
        mini_starts[name] = len(minifat)
        minifat += list(range(len(minifat) + 1, len(minifat) + k)) + [_ENDOFCHAIN]
        container += body.ljust(k * 64, b"\0")
    # sector plan: FAT sectors, directory, [miniFAT], [mini container], streams
    n_dir = -(-(len(items) + 1) // 4)
    body_secs = [-(-len(b) // 512) for n, b in items if len(b) >= 4096]
    extra = (1 if small else 0) + (-(-len(container) // 512) if small else 0)
    n_fat = 1
    while n_fat * 128 < n_fat + n_dir + extra + sum(body_secs):
        n_fat += 1
    assert n_fat <= 109
    fat = [_FATSECT] * n_fat
    nxt = n_fat

    def run(count):
        nonlocal nxt
        start = nxt
        fat.extend(list(range(nxt + 1, nxt + count)) + [_ENDOFCHAIN])
        nxt += count
        return start

    dir_start = run(n_dir)
    minifat_start = run(1) if small else _ENDOFCHAIN
    root_start = run(-(-len(container) // 512)) if small else _ENDOFCHAIN
    payload = b""
    starts = {}
    for name, body in items:
        if len(body) >= 4096:
            starts[name] = run(-(-len(body) // 512))
            payload += body.ljust(-(-len(body) // 512) * 512, b"\0")
    fat += [_FREESECT] * (n_fat * 128 - len(fat))

    def entry(name, typ, child=_NOSTREAM, right=_NOSTREAM, start=_ENDOFCHAIN, size=0):
        if not name:
            return b"\0" * 64 + struct.pack("<HBBIII", 0, 0, 0, _NOSTREAM, _NOSTREAM, _NOSTREAM) + b"\0" * 48
        raw = (name + "\0").encode("utf-16-le")
        return (raw.ljust(64, b"\0") + struct.pack("<HBBIII", len(raw), typ, 1, _NOSTREAM, right, child)
                + b"\0" * 36 + struct.pack("<IQ", start, size))

    entries = [entry("Root Entry", 5, child=1, start=root_start, size=len(container))]
    for i, (name, body) in enumerate(items):
        start = starts[name] if len(body) >= 4096 else mini_starts[name]
        entries.append(entry(name, 2, right=i + 2 if i + 1 < len(items) else _NOSTREAM, start=start, size=len(body)))
    entries += [entry("", 0)] * (n_dir * 4 - len(entries))
    difat = list(range(n_fat)) + [_FREESECT] * (109 - n_fat)
    header = (OLE_MAGIC + b"\0" * 16 + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6) + b"\0" * 6
              + struct.pack("<9I", 0, n_fat, dir_start, 0, 4096, minifat_start, 1 if small else 0, _ENDOFCHAIN, 0)
              + struct.pack("<109I", *difat))
    assert len(header) == 512
    minifat_sec = struct.pack(f"<{len(minifat)}I", *minifat).ljust(512, b"\xff") if small else b""
    assert len(minifat) <= 128
    return (header + struct.pack(f"<{len(fat)}I", *fat) + b"".join(entries) + minifat_sec
            + container.ljust(-(-len(container) // 512) * 512, b"\0") + payload)


def _rec(typ: int, body: bytes = b"") -> bytes:
    return struct.pack("<HH", typ, len(body)) + body


def _bof(kind: int) -> bytes:
    return _rec(0x0809, struct.pack("<HHHHII", 0x0600, kind, 0x0DBB, 0x07CC, 0, 6))


def biff_xls(sheets: list[dict], password: bool = False, mini: bool = False, dims=None) -> bytes:
    """A real BIFF8 .xls. sheets: dicts of name, hidden (0/1/2), cells {(r, c): value}, merged.

    Values: str (shared string), bool, int/float (NUMBER), ('date', serial) (NUMBER with the
    built-in date format 14).
    """
    strings: list[str] = []
    for sh in sheets:
        for v in sh["cells"].values():
            if isinstance(v, str) and v not in strings:
                strings.append(v)
    bodies = []
    for sh in sheets:
        cells = sh["cells"]
        rows = [r for r, _ in cells] or [0]
        cols = [c for _, c in cells] or [0]
        body = _bof(0x0010) + _rec(0x0200, struct.pack("<IIHHH", *(dims or (min(rows), max(rows) + 1, min(cols), max(cols) + 1)), 0))
        for (r, c), v in sorted(cells.items()):
            if isinstance(v, bool):
                body += _rec(0x0205, struct.pack("<HHHBB", r, c, 0, int(v), 0))
            elif isinstance(v, str):
                body += _rec(0x00FD, struct.pack("<HHHI", r, c, 0, strings.index(v)))
            elif isinstance(v, tuple):
                body += _rec(0x0203, struct.pack("<HHHd", r, c, 1, v[1]))
            else:
                body += _rec(0x0203, struct.pack("<HHHd", r, c, 0, float(v)))
        if sh.get("merged"):
            body += _rec(0x00E5, struct.pack("<H", len(sh["merged"])) + b"".join(
                struct.pack("<HHHH", r1, r2, c1, c2) for r1, c1, r2, c2 in sh["merged"]))
        bodies.append(body + _rec(0x000A))

    def globals_(offsets):
        g = _bof(0x0005)
        if password:
            g += _rec(0x002F, struct.pack("<HHH", 1, 1, 1) + b"\0" * 48)  # FILEPASS, RC4
        g += _rec(0x0042, struct.pack("<H", 1200)) + _rec(0x0022, struct.pack("<H", 0))
        g += _rec(0x00E0, struct.pack("<HHHBBBBIIH", 0, 0, 0, 0, 0, 0, 0, 0, 0, 0))   # XF 0: General
        g += _rec(0x00E0, struct.pack("<HHHBBBBIIH", 0, 14, 0, 0, 0, 0, 0, 0, 0, 0))  # XF 1: date
        for sh, off in zip(sheets, offsets):
            g += _rec(0x0085, struct.pack("<IBBBB", off, sh.get("hidden", 0), 0, len(sh["name"]), 1)
                      + sh["name"].encode("utf-16-le"))
        g += _rec(0x00FC, struct.pack("<II", len(strings), len(strings)) + b"".join(
            struct.pack("<HB", len(s), 1) + s.encode("utf-16-le") for s in strings))
        return g + _rec(0x000A)

    size = len(globals_([0] * len(sheets)))
    offsets = []
    for body in bodies:
        offsets.append(size)
        size += len(body)
    return ole_file({"Workbook": globals_(offsets) + b"".join(bodies)}, mini=mini)


def rejected(data: bytes, filename: str = "") -> FileRejected:
    with pytest.raises(FileRejected) as info:
        read_workbook(data, filename)
    err = info.value
    assert isinstance(err.message, str) and err.message
    assert re.search(r"[\u4e00-\u9fff]", err.message), "user-facing message must be Chinese"
    return err


# ---------------------------------------------------------------------------------------------
# xlsx
# ---------------------------------------------------------------------------------------------
def test_openpyxl_uses_defusedxml():
    import openpyxl.xml
    assert openpyxl.xml.DEFUSEDXML is True


def test_xlsx_values_start_at_a1_and_keep_their_types(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "人员名册"
    ws["C3"] = "hello"
    ws["D3"] = 123
    ws["E3"] = 1.5
    ws["C4"] = dt.date(2024, 6, 3)
    ws["D4"] = dt.datetime(2019, 2, 3, 14, 30)
    ws["E4"] = dt.time(8, 30)
    ws["F4"] = True
    ws["G4"] = "2023.10"          # text stays text
    ws["H4"] = 2023.10            # the number Excel stores as 2023.1
    ws["I4"] = "  张　三 "         # spaces are kept: cleaning is not the reader's job
    ws["J4"] = dt.timedelta(hours=3)
    ws["K4"] = dt.timedelta(hours=30)
    data = save_xlsx(tmp_path, wb)

    book = read_workbook(data, "book.xlsx")
    assert isinstance(book, RawWorkbook) and book.format == "xlsx" and book.encoding is None
    assert [s.name for s in book.sheets] == ["人员名册"]
    rows = book.sheets[0].rows
    assert rows[0] == [] and rows[1] == []
    assert rows[2][2] == "hello"                      # C3 → rows[2][2]
    assert rows[2][:2] == [None, None]
    assert rows[2][3] == 123 and isinstance(rows[2][3], (int, float))
    assert rows[2][4] == 1.5
    r4 = rows[3]
    assert r4[2] == dt.date(2024, 6, 3)
    assert r4[3] == dt.datetime(2019, 2, 3, 14, 30)
    assert r4[4] == dt.time(8, 30)
    assert r4[5] is True
    assert r4[6] == "2023.10" and isinstance(r4[6], str)
    assert r4[7] == 2023.1 and isinstance(r4[7], float)
    assert r4[8] == "  张　三 "
    assert r4[9] == dt.time(3, 0)                     # durations become time of day …
    assert r4[10] == pytest.approx(1.25)              # … or Excel's day count past 24 h
    allowed = (type(None), str, int, float, bool, dt.date, dt.datetime, dt.time)
    assert all(isinstance(v, allowed) for row in rows for v in row)


def test_xlsx_hidden_sheets_hidden_rows_and_merges(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "名册"
    for r in range(1, 11):
        ws.cell(r, 1, f"行{r}")
    ws.auto_filter.ref = "A1:A10"
    ws.row_dimensions[4].hidden = True     # hidden by the filter → 0-based 3
    ws.row_dimensions[7].hidden = True     # → 6
    ws.merge_cells("C7:E8")
    ws.merge_cells("A12:F12")
    hidden = wb.create_sheet("说明")
    hidden["A1"] = "x"
    hidden.sheet_state = "hidden"
    very = wb.create_sheet("代码表")
    very["B2"] = "y"
    very.sheet_state = "veryHidden"
    wb.create_sheet("空表")
    book = read_workbook(save_xlsx(tmp_path, wb))

    assert [s.name for s in book.sheets] == ["名册", "说明", "代码表", "空表"]
    main, hid, vhid, empty = book.sheets
    assert not main.hidden and hid.hidden and vhid.hidden and not empty.hidden
    assert main.hidden_rows == frozenset({3, 6})
    assert isinstance(main.hidden_rows, frozenset)
    assert sorted(main.merged) == [(6, 2, 7, 4), (11, 0, 11, 5)]
    assert main.rows[3] == ["行4"]                    # hidden rows are still read
    assert vhid.rows == [[], [None, "y"]]
    assert empty.rows == [] and empty.merged == [] and empty.hidden_rows == frozenset()


def test_formula_cells_without_cached_value_are_counted(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws["A1"] = "=1+1"                 # openpyxl writes no cached value
    ws["B2"] = "=SUM(A1:A3)"
    ws["C3"] = 5
    other = wb.create_sheet("第二页")
    other["A1"] = "=A2*2"
    data = save_xlsx(tmp_path, wb)
    book = read_workbook(data)
    assert book.formula_cells_without_value == 3
    assert book.sheets[0].rows[0] == []               # the formula has no value to read
    assert book.sheets[0].rows[2] == [None, None, 5]

    # the same formula with a cached value (as Excel saves it) is read and not counted
    cached = edit_sheet_xml(data, lambda x: x.replace("<f>1+1</f><v />", "<f>1+1</f><v>2</v>")
                            .replace("<f>1+1</f><v></v>", "<f>1+1</f><v>2</v>"))
    assert "<v>2</v>" in zipfile.ZipFile(io.BytesIO(cached)).read("xl/worksheets/sheet1.xml").decode()
    book = read_workbook(cached)
    assert book.formula_cells_without_value == 2
    assert book.sheets[0].rows[0] == [2]


def test_error_cells_are_kept_as_their_text(tmp_path):
    wb = openpyxl.Workbook()
    wb.active["A1"] = "班组"
    data = edit_sheet_xml(save_xlsx(tmp_path, wb), lambda x: re.sub(
        r"</row>", '<c r="C1" t="e"><f>VLOOKUP(A1,Z:Z,1,0)</f><v>#N/A</v></c></row>', x, count=1))
    book = read_workbook(data)
    assert book.sheets[0].rows[0] == ["班组", None, "#N/A"]
    assert book.formula_cells_without_value == 0


def test_xlsm_and_wps_et_in_ooxml_form(tmp_path):
    wb = openpyxl.Workbook()
    wb.active["A1"] = "宏"
    data = save_xlsx(tmp_path, wb)
    xlsm = rezip(data, replace={"[Content_Types].xml": lambda b: b.replace(
        b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
        b"application/vnd.ms-excel.sheet.macroEnabled.main+xml")})
    assert sniff_format(xlsm, "a.xlsm") == "xlsm"
    assert read_workbook(xlsm, "a.xlsm").sheets[0].rows == [["宏"]]
    assert sniff_format(data, "综采队6月.ET") == "et"
    book = read_workbook(data, "综采队6月.et")
    assert book.format == "et" and book.sheets[0].rows == [["宏"]]


def test_extension_lies_bytes_decide(tmp_path):
    wb = openpyxl.Workbook()
    wb.active["A1"] = "工号"
    data = save_xlsx(tmp_path, wb)
    assert sniff_format(data, "名册.csv") == "xlsx"
    assert read_workbook(data, "名册.csv").format == "xlsx"
    csv_bytes = "工号,姓名\n001,张三\n".encode("utf-8")
    assert read_workbook(csv_bytes, "名册.xls").format == "csv"


def test_namespace_prefixed_sheet_xml(tmp_path):
    """Some generators write <x:row>/<x:c>; hidden rows must still be found."""
    wb = openpyxl.Workbook()
    for r in range(1, 4):
        wb.active.cell(r, 1, r)
    wb.active.row_dimensions[2].hidden = True
    data = save_xlsx(tmp_path, wb)

    def prefix(x: str) -> str:
        x = x.replace('<worksheet xmlns="', '<x:worksheet xmlns:x="').replace("</worksheet>", "</x:worksheet>")
        return re.sub(r"<(/?)(sheetPr|outlinePr|pageSetUpPr|dimension|sheetViews|sheetView|selection|"
                      r"sheetFormatPr|sheetData|row|c|v|pageMargins)\b", r"<\1x:\2", x)
    book = read_workbook(edit_sheet_xml(data, prefix))
    assert book.sheets[0].rows == [[1], [2], [3]]
    assert book.sheets[0].hidden_rows == frozenset({1})


def test_far_away_stray_value_is_refused_before_allocation(tmp_path):
    """A value in XFD1 above 700 rows would make calamine allocate 700 × 16,384 cells."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "名册"
    for r in range(1, 701):
        ws.cell(r, 1, r)
    ws["XFD1"] = "x"
    t0 = time.perf_counter()
    err = rejected(save_xlsx(tmp_path, wb))
    assert "名册" in err.message and "范围过大" in err.message
    assert time.perf_counter() - t0 < 30  # generous: the point is it never builds the dense range


def test_tall_narrow_sheet_measures_columns_exactly(tmp_path, monkeypatch):
    wb = openpyxl.Workbook()
    for r in range(1, 11):
        for c in range(1, 4):
            wb.active.cell(r, c, r * c)
    data = save_xlsx(tmp_path, wb)
    monkeypatch.setattr(cell_area, "MAX_SHEET_CELLS", 50)   # 10 rows × 26 > 50, but 10 × 3 = 30
    assert len(read_workbook(data).sheets[0].rows) == 10
    monkeypatch.setattr(cell_area, "MAX_SHEET_CELLS", 29)
    assert "范围过大" in rejected(data).message


# ---------------------------------------------------------------------------------------------
# legacy .xls / WPS .et (OLE2)
# ---------------------------------------------------------------------------------------------
XLS_SHEETS = [
    {"name": "名册", "cells": {(2, 2): "张三", (2, 3): 123, (2, 4): 1.5, (3, 2): ("date", 45446.0),
                              (3, 3): True, (3, 4): "2023.10"}, "merged": [(5, 1, 6, 3)]},
    {"name": "隐藏表", "hidden": 1, "cells": {(0, 0): "x"}},
]


def test_real_biff_xls_is_read():
    data = biff_xls(XLS_SHEETS)
    assert sniff_format(data, "a.xls") == "xls"
    book = read_workbook(data, "名册.xls")
    assert book.format == "xls" and book.formula_cells_without_value == 0
    main, hid = book.sheets
    assert main.name == "名册" and not main.hidden and hid.hidden
    assert main.rows[:2] == [[], []]
    assert main.rows[2] == [None, None, "张三", 123, 1.5]
    assert main.rows[3] == [None, None, dt.date(2024, 6, 3), True, "2023.10"]
    assert main.merged == [(5, 1, 6, 3)]
    assert main.hidden_rows == frozenset()
    assert read_workbook(data, "名册.et").format == "et"


def test_small_xls_in_the_mini_stream_and_large_xls():
    """Excel keeps a Workbook stream under 4096 bytes in the OLE mini stream."""
    small = biff_xls([{"name": "表", "cells": {(0, 0): "工号", (1, 0): 7}}], mini=True)
    assert len(small) < 4096
    assert read_workbook(small, "a.xls").sheets[0].rows == [["工号"], [7]]
    cells = {(r, c): (f"名{r}" if c == 1 else r * 10 + c) for r in range(3000) for c in range(6)}
    big = biff_xls([{"name": "名册", "cells": cells}])
    assert len(big) > 200_000                          # several FAT sectors
    rows = read_workbook(big, "a.xls").sheets[0].rows
    assert len(rows) == 3000 and rows[2999][:2] == [29990, "名2999"]


def test_xls_that_would_make_calamine_allocate_too_much():
    """A damaged DIMENSIONS record once made calamine reserve 469 GB and abort the process."""
    broken = biff_xls([{"name": "名册", "cells": {(2, 2): "x"}}], dims=(2, 0xE9000004, 2, 5))
    assert rejected(broken, "a.xls").message == "文件已损坏或不完整"
    inverted = biff_xls([{"name": "名册", "cells": {(2, 2): "x"}}], dims=(60000, 3, 0, 200))
    assert rejected(inverted, "a.xls").message == "文件已损坏或不完整"
    far = biff_xls([{"name": "名册", "cells": {(0, 0): "a", (65535, 255): "stray"}}], dims=(0, 1, 0, 1))
    err = rejected(far, "a.xls")
    assert "名册" in err.message and "范围过大" in err.message


def test_password_protected_xls_filepass():
    err = rejected(biff_xls(XLS_SHEETS[:1], password=True), "a.xls")
    assert err.message == "文件设置了密码，无法读取" and err.hint == "请取消密码后上传"


def test_password_protected_xlsx_stored_as_ole():
    data = ole_file({"EncryptionInfo": b"\x04\x00\x04\x00" + b"\0" * 200,
                     "EncryptedPackage": b"\0" * 5000})
    for name in ("a.xlsx", "a.xls", ""):
        with pytest.raises(FileRejected) as info:
            sniff_format(data, name)
        assert info.value.message == "文件设置了密码，无法读取" and info.value.hint == "请取消密码后上传"
    assert rejected(data).message == "文件设置了密码，无法读取"


def test_corrupt_ole_is_reported_as_corrupt():
    good = biff_xls(XLS_SHEETS)
    assert rejected(good[:1000], "a.xls").message == "文件已损坏或不完整"
    broken = bytearray(good)
    broken[1536:1536 + 64] = b"\xff" * 64                 # smash the start of the Workbook stream
    err = rejected(bytes(broken), "a.xls")
    assert err.message == "文件已损坏或不完整" and err.hint
    err = rejected(OLE_MAGIC + bytes(600), "a.xls")
    assert err.message == "文件已损坏或不完整"


def test_ole_that_is_not_a_workbook():
    err = rejected(ole_file({"WordDocument": b"\x01" * 5000}), "a.xls")
    assert err.message.startswith("不是Excel表格文件")


# ---------------------------------------------------------------------------------------------
# CSV
# ---------------------------------------------------------------------------------------------
CSV_TEXT = "工号,姓名,班组,入党时间,备注\n001,张三,赵林生产班,2023.10,\n002,\"李,四\",检修班,2023/7/3,无\n"


@pytest.mark.parametrize("encoding, expected", [
    ("utf-8", "utf-8"), ("utf-8-sig", "utf-8-sig"), ("gb18030", "gb18030"), ("gbk", "gb18030"),
])
def test_csv_encodings_round_trip_chinese(encoding, expected):
    book = read_workbook(CSV_TEXT.encode(encoding), "综采队人员名册.csv")
    assert book.format == "csv" and book.encoding == expected
    assert [s.name for s in book.sheets] == ["综采队人员名册"]
    rows = book.sheets[0].rows
    assert rows[0] == ["工号", "姓名", "班组", "入党时间", "备注"]
    assert rows[1] == ["001", "张三", "赵林生产班", "2023.10"]        # strings, empty tail trimmed
    assert rows[2] == ["002", "李,四", "检修班", "2023/7/3", "无"]
    assert all(isinstance(v, str) for row in rows for v in row)


@pytest.mark.parametrize("sep", ["\t", ";"])
def test_csv_other_separators(sep):
    text = sep.join(["工号", "姓名", "班组"]) + "\r\n" + sep.join(["007", "", "电修班"]) + "\r\n"
    book = read_workbook(text.encode("gb18030"), "x.txt")
    assert book.sheets[0].rows == [["工号", "姓名", "班组"], ["007", None, "电修班"]]


def test_csv_utf16_excel_unicode_text():
    data = "\ufeff工号\t姓名\n001\t张三\n".encode("utf-16-le")
    book = read_workbook(data, "unicode.txt")
    assert book.encoding == "utf-16" and book.sheets[0].rows == [["工号", "姓名"], ["001", "张三"]]


def test_csv_without_filename_gets_a_sheet_name():
    assert read_workbook(b"a,b\n1,2\n").sheets[0].name


# ---------------------------------------------------------------------------------------------
# refusals
# ---------------------------------------------------------------------------------------------
WEB_PAGES = [
    b"<html><body><table><tr><td>1</td></tr></table></body></html>",
    b"\xef\xbb\xbf  \r\n<!DOCTYPE html><html><head></head></html>",
    b"<TABLE border=1><TR><TD>\xe5\xb7\xa5\xe5\x8f\xb7</TD></TR></TABLE>",
    b'<?xml version="1.0"?>\n<html xmlns:o="urn:schemas-microsoft-com:office:office"></html>',
    b"MIME-Version: 1.0\r\nX-Document-Type: Workbook\r\nContent-Type: multipart/related; boundary=x\r\n",
    "<html><body>工号,姓名</body></html>".encode("utf-16"),
]


@pytest.mark.parametrize("data", WEB_PAGES)
def test_web_page_saved_as_xls(data):
    err = rejected(data, "名册.xls")
    assert err.message == "这是网页文件（另存为了.xls），不是真正的Excel表格"
    assert err.hint == "请用Excel/WPS打开后另存为 .xlsx 再上传"


@pytest.mark.parametrize("data", [b"", b"   \r\n\t ", b"\xef\xbb\xbf", b"\xef\xbb\xbf \n", "  ".encode("utf-16")])
def test_empty_file(data):
    assert rejected(data, "a.xlsx").message == "文件是空的"


@pytest.mark.parametrize("data", [
    random.Random(0).randbytes(4096),
    random.Random(1).randbytes(100),
    b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj",
    "就是一段普通的文字，没有表格结构".encode("utf-8").replace("，".encode(), b" "),
    b"\x00\x01\x02,\x03\n",
])
def test_unrecognised_bytes(data):
    err = rejected(data, "a.xlsx")
    assert err.message == "无法识别的文件格式，不是Excel表格或CSV文件"
    assert err.hint == "请上传 .xlsx、.xls、.et 或 .csv 文件"


def test_truncated_xlsx(tmp_path):
    wb = openpyxl.Workbook()
    for r in range(1, 200):
        wb.active.cell(r, 1, f"第{r}行")
    data = save_xlsx(tmp_path, wb)
    err = rejected(data[: len(data) // 2], "a.xlsx")
    assert err.message == "文件已损坏或不完整" and err.hint == "请重新保存或重新导出后上传"


def test_damaged_member_inside_intact_zip(tmp_path):
    wb = openpyxl.Workbook()
    wb.active["A1"] = "x" * 5000
    data = bytearray(save_xlsx(tmp_path, wb))
    info = zipfile.ZipFile(io.BytesIO(bytes(data))).getinfo("xl/worksheets/sheet1.xml")
    start = info.header_offset + 30 + len(info.filename.encode()) + 10
    data[start:start + 20] = bytes(20)                      # flip compressed bytes: CRC or inflate fails
    assert rejected(bytes(data)).message == "文件已损坏或不完整"


def test_zip_that_is_not_a_workbook(tmp_path):
    docx = io.BytesIO()
    with zipfile.ZipFile(docx, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document/>")
    err = rejected(docx.getvalue(), "月报.xlsx")
    assert err.message.startswith("不是Excel表格文件")
    plain = io.BytesIO()
    with zipfile.ZipFile(plain, "w") as z:
        z.writestr("photo.jpg", b"\xff\xd8\xff" + bytes(100))
    assert rejected(plain.getvalue()).message.startswith("不是Excel表格文件")
    xlsb = io.BytesIO()
    with zipfile.ZipFile(xlsb, "w") as z:
        z.writestr("xl/workbook.bin", b"\0")
    assert "xlsb" in rejected(xlsb.getvalue()).message


def test_zip_bomb_refused_fast_with_little_memory(tmp_path):
    path = tmp_path / "bomb.xlsx"
    chunk = bytes(8 * 1024 * 1024)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/workbook.xml", "<workbook/>")
        with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as f:
            for _ in range(500 * 1024 * 1024 // len(chunk)):
                f.write(chunk)
    data = path.read_bytes()
    assert len(data) < 5 * 1024 * 1024

    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    tracemalloc.start()
    t0 = time.perf_counter()
    try:
        with pytest.raises(FileRejected) as info:
            read_workbook(data, "bomb.xlsx")
        elapsed = time.perf_counter() - t0
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    rss_growth_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss_before
    print(f"\nzip bomb ({len(data) / 1024:.0f} KiB → 500 MiB) refused in {elapsed * 1000:.1f} ms, "
          f"traced peak {peak / 2**20:.1f} MiB, max RSS growth {rss_growth_kib / 1024:.1f} MiB")
    assert info.value.message == "文件解压后过大，疑似压缩炸弹，已拒绝"
    assert peak < 200 * 2**20
    assert rss_growth_kib < 200 * 1024


def _lie_about_size(data: bytes, member: str, fake_size: int) -> bytes:
    """Rewrite the central directory so `member` claims fake_size uncompressed bytes."""
    out = bytearray(data)
    pos = out.find(b"PK\x01\x02")
    while pos >= 0:
        name_len = struct.unpack_from("<H", out, pos + 28)[0]
        if out[pos + 46:pos + 46 + name_len] == member.encode():
            struct.pack_into("<I", out, pos + 24, fake_size)
            return bytes(out)
        pos = out.find(b"PK\x01\x02", pos + 4)
    raise AssertionError(member)


def test_zip_lying_about_member_size_is_stopped_while_inflating(tmp_path):
    """The directory says 1,000 bytes (too small for the ratio check); the data inflates to 24 MB."""
    wb = openpyxl.Workbook()
    data = save_xlsx(tmp_path, wb)
    rows = ('<row r="1"><c r="A1" t="n"><v>0</v></c></row>' * 600_000).encode()
    big = rezip(data, replace={"xl/worksheets/sheet1.xml": lambda b: re.sub(
        rb"<sheetData\s*/>|<sheetData>.*</sheetData>", lambda _m: b"<sheetData>" + rows + b"</sheetData>", b)})
    real = zipfile.ZipFile(io.BytesIO(big)).getinfo("xl/worksheets/sheet1.xml").file_size
    assert real > 20_000_000
    liar = _lie_about_size(big, "xl/worksheets/sheet1.xml", 1000)
    assert zipfile.ZipFile(io.BytesIO(liar)).getinfo("xl/worksheets/sheet1.xml").file_size == 1000
    tracemalloc.start()
    try:
        assert rejected(liar).message == "文件解压后过大，疑似压缩炸弹，已拒绝"
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 64 * 2**20                                    # streamed, never held whole

    # a directory that is only slightly wrong is damage, not a bomb
    small = rezip(data, replace={"xl/worksheets/sheet1.xml": lambda b: b + b" " * 3000})
    info = zipfile.ZipFile(io.BytesIO(small)).getinfo("xl/worksheets/sheet1.xml")
    assert rejected(_lie_about_size(small, info.filename, info.file_size - 2000)).message == "文件已损坏或不完整"


def test_zip_directory_limits(tmp_path, monkeypatch):
    wb = openpyxl.Workbook()
    wb.active["A1"] = 1
    data = save_xlsx(tmp_path, wb)
    monkeypatch.setattr(config, "MAX_UNZIPPED_BYTES", 2000)
    assert rejected(data).message == "文件解压后过大，疑似压缩炸弹，已拒绝"
    monkeypatch.undo()

    many = io.BytesIO()
    with zipfile.ZipFile(many, "w", zipfile.ZIP_STORED) as z:
        z.writestr("xl/workbook.xml", "<workbook/>")
        for i in range(10_001):
            z.writestr(f"xl/m/{i}.xml", b"")
    assert rejected(many.getvalue()).message == "文件解压后过大，疑似压缩炸弹，已拒绝"


def test_file_too_large(monkeypatch):
    monkeypatch.setattr(config, "MAX_FILE_BYTES", 100)
    err = rejected(b"a,b\n" * 100, "a.csv")
    assert err.message.startswith("文件过大")


def _entity_xlsx(tmp_path, member: str = "xl/worksheets/sheet1.xml") -> bytes:
    wb = openpyxl.Workbook()
    wb.active["A1"] = "x"
    lol = '<!DOCTYPE worksheet [<!ENTITY lol "lol">' + "".join(
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">' for i in range(1, 10)) + "]>"

    def inject(text: str) -> str:
        if text.startswith("<?xml"):
            end = text.index("?>") + 2
            text = text[:end] + lol + text[end:]
        else:
            text = '<?xml version="1.0"?>' + lol + text
        return re.sub(r'<c r="A1"[^>]*>.*?</c>', '<c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c>', text)
    return edit_sheet_xml(save_xlsx(tmp_path, wb), inject, member)


def test_billion_laughs_is_refused_quickly(tmp_path):
    data = _entity_xlsx(tmp_path)
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    t0 = time.perf_counter()
    err = rejected(data)
    print(f"\nentity xlsx refused in {(time.perf_counter() - t0) * 1000:.1f} ms")
    assert err.message == "文件包含不安全的内容，已拒绝"
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss_before < 100 * 1024
    assert rejected(_entity_xlsx(tmp_path, "xl/workbook.xml")).message == "文件包含不安全的内容，已拒绝"


def test_doctype_hidden_behind_a_long_comment(tmp_path):
    wb = openpyxl.Workbook()
    wb.active["A1"] = "x"
    data = edit_sheet_xml(save_xlsx(tmp_path, wb),
                          lambda x: "<!--" + "c" * 5000 + '--><!DOCTYPE worksheet [<!ENTITY e "e">]>' + x)
    assert rejected(data).message == "文件包含不安全的内容，已拒绝"


# ---------------------------------------------------------------------------------------------
# robustness and speed
# ---------------------------------------------------------------------------------------------
_SMALL_XLSX: dict[str, bytes] = {}


def _small_xlsx() -> bytes:
    if "x" not in _SMALL_XLSX:
        wb = openpyxl.Workbook()
        ws = wb.active
        for r in range(1, 6):
            ws.append([r, f"名{r}", dt.date(2024, r, 1), "=A1*2"])
        ws.merge_cells("A7:B8")
        buf = io.BytesIO()
        wb.save(buf)
        _SMALL_XLSX["x"] = buf.getvalue()
    return _SMALL_XLSX["x"]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(kind=st.sampled_from(["xlsx", "xls"]), seed=st.integers(0, 2**32 - 1),
       flips=st.integers(1, 8), cut=st.none() | st.floats(0.05, 0.99))
def test_damaged_files_never_leak_library_errors(kind, seed, flips, cut):
    data = bytearray(_small_xlsx() if kind == "xlsx" else biff_xls(XLS_SHEETS))
    rnd = random.Random(seed)
    for _ in range(flips):
        data[rnd.randrange(len(data))] = rnd.randrange(256)
    if cut is not None:
        data = data[: max(1, int(len(data) * cut))]
    try:
        book = read_workbook(bytes(data), f"x.{kind}")
    except FileRejected as err:
        assert err.message
    else:
        assert isinstance(book, RawWorkbook) and all(isinstance(s, RawSheet) for s in book.sheets)


def _big_xlsx(path: Path, n_rows: int) -> bytes:
    """A 12-column sheet written directly as XML (openpyxl would need ~15 s for 100k rows)."""
    wb = openpyxl.Workbook()
    wb.active.title = "人员名册"
    base = io.BytesIO()
    wb.save(base)
    teams = ["赵林生产班", "检修班", "电修班", "监测监控班"]
    parts = ['<sheetData><row r="1">' + "".join(
        f'<c r="{c}1" t="inlineStr"><is><t>列{c}</t></is></c>' for c in "ABCDEFGHIJKL") + "</row>"]
    for i in range(2, n_rows + 2):
        hidden = ' hidden="1"' if i % 1000 == 0 else ""
        parts.append(
            f'<row r="{i}"{hidden}><c r="A{i}"><v>{i}</v></c><c r="B{i}" t="inlineStr"><is><t>{i:06d}</t></is></c>'
            f'<c r="C{i}" t="inlineStr"><is><t>张{i % 97}林</t></is></c><c r="D{i}" t="inlineStr"><is><t>综采队</t></is></c>'
            f'<c r="E{i}" t="inlineStr"><is><t>{teams[i % 4]}</t></is></c><c r="F{i}" t="inlineStr"><is><t>群众</t></is></c>'
            f'<c r="G{i}"><v>{45000 + i % 300}</v></c><c r="H{i}"><v>{20 + i % 40}</v></c>'
            f'<c r="I{i}" t="b"><v>{i % 2}</v></c><c r="J{i}" t="inlineStr"><is><t>2023.10</t></is></c>'
            f'<c r="K{i}"><v>{i / 7}</v></c><c r="L{i}"><f>K{i}*2</f></c></row>')
    parts.append("</sheetData>")
    sheet_data = "".join(parts).encode()
    data = rezip(base.getvalue(), replace={"xl/worksheets/sheet1.xml": lambda b: re.sub(
        rb"<sheetData\s*/>|<sheetData>.*</sheetData>", lambda _m: sheet_data, b)})
    path.write_bytes(data)
    return data


def test_100k_rows_are_read_fast(tmp_path):
    n = 100_000
    data = _big_xlsx(tmp_path / "big.xlsx", n)
    info = zipfile.ZipFile(io.BytesIO(data)).getinfo("xl/worksheets/sheet1.xml")

    t0 = time.perf_counter()
    scan = SheetScan()
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        verify_member(zf, info, sink=scan)
    t_scan = time.perf_counter() - t0

    t0 = time.perf_counter()
    book = read_workbook(data, "big.xlsx")
    t_read = time.perf_counter() - t0
    print(f"\n{n:,} rows × 12 columns ({info.file_size / 2**20:.0f} MiB of sheet XML): "
          f"inflate+verify+scan {t_scan:.2f} s, read_workbook {t_read:.2f} s")

    sheet = book.sheets[0]
    assert len(sheet.rows) == n + 1
    assert sheet.rows[1][:3] == [2, "000002", "张2林"]
    assert sheet.rows[1][9] == "2023.10" and sheet.rows[1][8] is False
    assert len(sheet.rows[1]) == 11                  # L (a formula without value) trimmed
    assert sheet.hidden_rows == frozenset(i - 1 for i in range(2, n + 2) if i % 1000 == 0)
    assert book.formula_cells_without_value == n
    assert scan.hidden == set(sheet.hidden_rows) and scan.bare_formulas == n

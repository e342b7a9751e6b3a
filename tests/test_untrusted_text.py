"""Uploaded text is data (issue #10, item 5, the import side): the same rules in every format.

* Control characters (C0 except tab and line breaks, DEL, C1, the bidi overrides and isolates) are
  removed with the warning “已删除不可见的控制字符”, one per cell, and the cleaned value is stored.
  Excel writes them as `_x0007_`-style escapes, which calamine decodes; a CSV or an .xls carries
  them raw. Literal text that merely looks like an escape (Excel writes it as `_x005F_x0007_`)
  stays as it is.
* 姓名, 队/班组 and 工号 longer than 50 characters are errors; free text longer than an Excel cell
  (32,767 characters) is an error too — never cut.
* Markdown, HTML, `javascript:` and Plotly tags are ordinary text: imported without a word and
  stored literally (escaping them for display is the UI's job).

Every workbook is built here: openpyxl (and xlsxwriter, which escapes like Excel) for .xlsx, the
csv module for CSV, the corpus's BIFF8 + OLE2 writer for .xls and WPS .et.
"""
from __future__ import annotations

import io
import re

import openpyxl
import pytest
import xlsxwriter

from lib.access.auth import ADMIN, User
from lib.ingest.clean import clean_name, clean_org, clean_text
from lib.ingest.clean.cells import MSG_CONTROLS
from lib.ingest.clean.text import MAX_KEY_CHARS, MAX_TEXT_CHARS
from lib.ingest.reader import read_workbook
from lib.store.importer import IMPORTED, REJECTED, import_file
from tests.test_corpus import biff8, csv_text, ole, rezip
from tests.workbooks import ROSTER_HEADER, canonical_header, xlsx_bytes

USER = User("测试", ADMIN)
PROBLEMS_HEADER = canonical_header("problems")
SHEET = "问题台帐"
_ESCAPED = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")


def excel_escaped(value):
    """What Excel writes into the XML for a string holding C0 controls: `_xHHHH_` escapes (XML
    1.0 cannot hold them raw). A literal `_x` is written `_x005F_x` so it is not read as one."""
    if not isinstance(value, str):
        return value
    value = value.replace("_x", "_x005F_x")
    return _ESCAPED.sub(lambda m: f"_x{ord(m.group()):04X}_", value)


def build(fmt: str, rows: list[list], sheet: str = SHEET) -> tuple[str, bytes]:
    """(file name, bytes) of a one-sheet workbook in the given format."""
    if fmt == "xlsx":        # openpyxl with the escapes Excel writes
        return f"{sheet}.xlsx", xlsx_bytes({sheet: [[excel_escaped(v) for v in r] for r in rows]})
    if fmt == "xlsx·xlsxwriter":   # escapes itself, into shared strings, as Excel does
        buffer = io.BytesIO()
        wb = xlsxwriter.Workbook(buffer)
        ws = wb.add_worksheet(sheet)
        for r, row in enumerate(rows):
            for c, v in enumerate(row):
                if v is not None:
                    ws.write_string(r, c, v) if isinstance(v, str) else ws.write(r, c, v)
        wb.close()
        return f"{sheet}.xlsx", buffer.getvalue()
    if fmt == "csv":
        return f"{sheet}.csv", csv_text(rows).encode("utf-8")
    if fmt in ("xls", "et"):
        return f"{sheet}.{fmt}", ole({"Workbook": biff8({sheet: rows})})
    raise AssertionError(fmt)


FORMATS = ["xlsx", "xlsx·xlsxwriter", "csv", "xls", "et"]
FILE_FORMAT = {"xlsx·xlsxwriter": "xlsx"}


def problem(pid, team="检修班", reporter="李四", category="生活保障", description="澡堂热水不稳定",
            owner="王五") -> list:
    return [pid, "2024-06-03", "综采队", team, reporter, category, description, owner, None, None, "待办理", None]


def stored(store, *fields) -> list[tuple]:
    return store.cursor().execute(f"SELECT {', '.join(fields)} FROM problems ORDER BY problem_id").fetchall()


def findings(problems) -> list[tuple]:
    return sorted((p.sheet, p.row, p.column, p.message) for p in problems)


# ============================================================================ control characters
CONTROL_ROWS = [
    PROBLEMS_HEADER,
    problem("WM-001", team="检修\x07班", reporter="李\x1b四", description="澡堂\x00热水\x08不稳定"),
    problem("WM-002", category="生活\x7f保障", description="第一行\n第二行\t(制表符保留)\x0b"),
    problem("WM-003", team="\u202e班修检", reporter="王\u2066五\u2069", description="C1\x85控制\x9b符"),
    problem("WM-004", description="字面文字 _x0007_ 不是转义"),
]


@pytest.mark.parametrize("fmt", FORMATS)
def test_control_characters_are_removed_with_a_warning_in_every_format(fmt, store):
    name, data = build(fmt, CONTROL_ROWS)
    result = import_file(store, data, name, USER)
    assert result.status == IMPORTED, findings(result.errors)
    assert result.file_format == FILE_FORMAT.get(fmt, fmt)
    assert findings(result.warnings) == sorted([
        (SHEET, 2, "班组", MSG_CONTROLS), (SHEET, 2, "反映人", MSG_CONTROLS), (SHEET, 2, "问题描述", MSG_CONTROLS),
        (SHEET, 3, "问题类别", MSG_CONTROLS), (SHEET, 3, "问题描述", MSG_CONTROLS),
        (SHEET, 4, "班组", MSG_CONTROLS), (SHEET, 4, "反映人", MSG_CONTROLS), (SHEET, 4, "问题描述", MSG_CONTROLS),
    ])
    # the error table shows where they were, as visible symbols
    shown = {(p.row, p.column): p.value for p in result.warnings}
    assert shown[(2, "班组")] == "检修␇班" and shown[(2, "问题描述")] == "澡堂␀热水␈不稳定"
    assert shown[(4, "班组")] == "\ufffd班修检"
    assert stored(store, "problem_id", "team", "reporter", "category", "description") == [
        ("WM-001", "检修班", "李四", "生活保障", "澡堂热水不稳定"),
        ("WM-002", "检修班", "李四", "生活保障", "第一行\n第二行\t(制表符保留)"),
        ("WM-003", "班修检", "王五", "生活保障", "C1控制符"),
        ("WM-004", "检修班", "李四", "生活保障", "字面文字 _x0007_ 不是转义"),
    ]


def test_calamine_decodes_excel_escapes_and_keeps_escaped_underscores():
    """What the reader gets: `_x0007_` in the XML is BEL, `_x005F_x0007_` is the text `_x0007_`."""
    _, data = build("xlsx", [["班组", "原文"], ["检修\x07班", "_x0007_"]], sheet="s")
    rows = read_workbook(data, "s.xlsx").sheets[0].rows
    assert rows == [["班组", "原文"], ["检修\x07班", "_x0007_"]]


def test_raw_control_bytes_inside_the_sheet_xml(store):
    """Not well-formed XML, but calamine reads it: the cells are cleaned like any other."""
    data = xlsx_bytes({SHEET: [PROBLEMS_HEADER, problem("WM-001", team="TEAM", description="DESC")]})
    data = rezip(data, {"xl/worksheets/sheet1.xml": lambda b: b.replace(b"TEAM", b"\xe6\xa3\x80\x07\x00\x1b")
                        .replace(b"DESC", "问题\x01描述".encode())})
    result = import_file(store, data, "台帐.xlsx", USER)
    assert result.status == IMPORTED, findings(result.errors)
    assert findings(result.warnings) == [(SHEET, 2, "班组", MSG_CONTROLS), (SHEET, 2, "问题描述", MSG_CONTROLS)]
    assert stored(store, "team", "description") == [("检", "问题描述")]


def test_headers_and_sheet_names_with_control_characters(store):
    header = [("班\x07组" if h == "班组" else h) for h in PROBLEMS_HEADER]
    raw = read_workbook(xlsx_bytes({"问题_x0001_台帐\u202e": [[excel_escaped(h) for h in header]]}), "a.xlsx")
    assert raw.sheets[0].name == "问题_x0001_台帐"     # calamine leaves names undecoded; U+202E removed
    assert raw.sheets[0].rows[0][3] == "班\x07组"
    _, data = build("csv", [header, problem("WM-001")])
    result = import_file(store, data, "问题\x07台帐.csv", USER)
    assert result.status == IMPORTED, findings(result.errors)
    assert result.sheets[0].name == "问题台帐"
    assert stored(store, "team") == [("检修班",)]


def test_a_csv_with_a_few_controls_is_read_but_a_binary_file_is_still_refused(store):
    """A NUL or BEL in a cell is cleaned; a file full of them is not text (a format check)."""
    _, data = build("csv", CONTROL_ROWS)
    assert read_workbook(data, "台帐.csv").format == "csv"
    utf16_without_bom = "\n".join(",".join(str(v or "") for v in r) for r in CONTROL_ROWS).encode("utf-16-le")
    for binary in (utf16_without_bom, b"\x00\x01\x02,\x03\n", b"a,b\n" + bytes(200)):
        result = import_file(store, binary, "台帐.csv", USER)
        assert result.status == REJECTED
        assert [p.message for p in result.errors] == ["无法识别的文件格式，不是Excel表格或CSV文件"]


# ============================================================================ length limits
def _roster(team="检修班", name="张三") -> list[list]:
    return [ROSTER_HEADER, ["2024-06", "综采队", team, "000001", name, "男", "是", "否", "中共党员"],
            ["2024-06", "综采队", "检修班", "000002", "李四", "男", "是", "否", "群众"]]


@pytest.mark.parametrize("fmt", FORMATS)
def test_names_and_teams_over_50_characters_are_refused(fmt, store):
    ok_name, ok_team = "买" * MAX_KEY_CHARS, "班" * MAX_KEY_CHARS
    name, data = build(fmt, _roster(team=ok_team, name=ok_name), sheet="人员名册")
    assert import_file(store, data, name, USER).status == IMPORTED
    name, data = build(fmt, _roster(team="班" * 51, name="张" * 51), sheet="人员名册")
    result = import_file(store, data, name, USER)
    assert result.status == REJECTED
    assert [(p.row, p.column, p.message) for p in result.errors] == [
        (2, "班组", "名称过长（51 个字），超过 50 个字的上限"),
        (2, "姓名", "姓名过长（51 个字），超过 50 个字的上限"),
    ]
    assert all("不超过 50 个字" in p.hint for p in result.errors)


def test_key_limits_in_the_cleaners():
    assert clean_org("班" * 50).value == "班" * 50
    assert clean_org(" 班 " * 50).value == "班" * 50      # counted after cleaning
    assert clean_name("张" * 51).error == "姓名过长（51 个字），超过 50 个字的上限"


def _long_text_xlsx(text: str) -> bytes:
    """openpyxl cuts every string to 32,767 characters without a word (openpyxl/cell/cell.py,
    check_string) — the silent cut issue #10 saw — so the long cell is written into the XML here."""
    wb = openpyxl.Workbook()
    wb.active["A1"] = "y" * 40_000
    assert len(wb.active["A1"].value) == 32_767
    data = xlsx_bytes({SHEET: [PROBLEMS_HEADER, problem("WM-001", description="LONG")]})
    return rezip(data, {"xl/worksheets/sheet1.xml": lambda b: b.replace(b"LONG", text.encode())})


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_free_text_longer_than_an_excel_cell_is_reported_not_cut(fmt, store):
    text = "问" * 40_000
    if fmt == "xlsx":
        name, data = "台帐.xlsx", _long_text_xlsx(text)
    else:
        name, data = build("csv", [PROBLEMS_HEADER, problem("WM-001", description=text)])
    assert read_workbook(data, name).sheets[0].rows[1][6] == text      # the reader keeps it whole
    result = import_file(store, data, name, USER)
    assert result.status == REJECTED
    assert [(p.row, p.column, p.message) for p in result.errors] == [
        (2, "问题描述", "内容过长（40000 个字），超过 Excel 单元格 32767 个字的上限")]
    assert result.errors[0].value.endswith("…") and len(result.errors[0].value) == 58


def test_free_text_up_to_the_excel_limit_is_kept_whole():
    assert clean_text("问" * MAX_TEXT_CHARS).value == "问" * MAX_TEXT_CHARS
    assert clean_text("问" * (MAX_TEXT_CHARS + 1)).error


# ============================================================================ markup is data
MARKUP_ROWS = [
    PROBLEMS_HEADER,
    problem("WM-001", team="![x](http://host/x.png)", reporter="[张三](http://host/phish)",
            category='<a href="http://host/phish">官方通知</a>',
            description="[官方通知](http://host/phish) ![图](http://host/x.png)"),
    problem("WM-002", team="<b>检修班</b>", reporter="<i>李四</i>",
            category='<span style="font-size:60px">生活</span>',
            description='<img src=x onerror="alert(1)"> <script>alert(document.cookie)</script>'),
    problem("WM-003", team="[班](javascript:alert)", reporter="王五",
            category="<br><sub>医疗</sub><sup>健康</sup>",
            description="javascript:alert(1) <a href='javascript:alert(1)'>点我</a> **加粗** $x$\x07"),
]
MARKUP_STORED = [
    ("WM-001", "![x](http://host/x.png)", "[张三](http://host/phish)", '<a href="http://host/phish">官方通知</a>',
     "[官方通知](http://host/phish) ![图](http://host/x.png)"),
    ("WM-002", "<b>检修班</b>", "<i>李四</i>", '<span style="font-size:60px">生活</span>',
     '<img src=x onerror="alert(1)"> <script>alert(document.cookie)</script>'),
    ("WM-003", "[班](javascript:alert)", "王五", "<br><sub>医疗</sub><sup>健康</sup>",
     "javascript:alert(1) <a href='javascript:alert(1)'>点我</a> **加粗** $x$"),
]


@pytest.mark.parametrize("fmt", FORMATS)
def test_markup_imports_as_literal_text(fmt, store):
    name, data = build(fmt, MARKUP_ROWS)
    result = import_file(store, data, name, USER)
    assert result.status == IMPORTED, findings(result.errors)
    assert findings(result.warnings) == [(SHEET, 4, "问题描述", MSG_CONTROLS)]
    assert stored(store, "problem_id", "team", "reporter", "category", "description") == MARKUP_STORED

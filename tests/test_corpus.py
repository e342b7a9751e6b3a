"""A corpus of messy and malformed uploads, each with its exact outcome.

Every file is built here, the way units really produce them (openpyxl for .xlsx, the csv
module and codecs for CSV, a small BIFF8 + OLE2 writer for legacy .xls / WPS .et, raw bytes
for broken files): nothing binary is committed. Each case states what must happen:

* a rejected file: every error's sheet, Excel row number, column and message substance — and
  the database fingerprint is unchanged afterwards;
* an accepted file: rows loaded and dropped per sheet (with the reason counts), every warning,
  and the cleaned values that matter, read back from DuckDB.
"""
from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import json
import random
import re
import struct
import zipfile
from dataclasses import dataclass, field
from typing import Callable

import pytest
from openpyxl import Workbook

from lib.access.auth import ADMIN, User
from lib.ingest.reader import FileRejected
from lib.ingest.sheets import SHEETS
from lib.ingest.sniff import sniff_format
from lib.store.database import Store
from lib.store.importer import IMPORTED, REJECTED, import_file
from tests.fingerprint import fingerprint
from tests.workbooks import ROSTER_HEADER, canonical_header, xlsx_bytes

CORPUS_USER = User("语料", ADMIN)

D = dt.date
EPOCH = D(1899, 12, 30)


def serial(d: dt.date) -> int:
    """The Excel serial number of a date (what a date cell holds without a date format)."""
    return (d - EPOCH).days


# =============================================================================================
# Builders
# =============================================================================================
def xlsx(sheets: dict[str, list[list]], **kw) -> bytes:
    return xlsx_bytes(sheets, **kw)


def rezip(data: bytes, edit: dict[str, Callable[[bytes], bytes]]) -> bytes:
    """Rewrite a zip member by member, editing some."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = src.read(info.filename)
            if info.filename in edit:
                body = edit[info.filename](body)
            dst.writestr(info.filename, body)
    return out.getvalue()


def csv_text(rows: list[list], delimiter: str = ",") -> str:
    buf = io.StringIO()
    csv.writer(buf, delimiter=delimiter, lineterminator="\r\n").writerows(
        [["" if v is None else v for v in row] for row in rows])
    return buf.getvalue()


# ---- legacy .xls: a minimal BIFF8 workbook inside an OLE2 compound file ------------------------
def _rec(kind: int, body: bytes = b"") -> bytes:
    return struct.pack("<HH", kind, len(body)) + body


def _bof(kind: int) -> bytes:
    return _rec(0x0809, struct.pack("<HHHHII", 0x0600, kind, 0x0DBB, 0x07CC, 0, 0x06))


def _str8(s: str) -> bytes:
    return struct.pack("<BB", len(s), 1) + s.encode("utf-16-le")


def _str16(s: str) -> bytes:
    return struct.pack("<HB", len(s), 1) + s.encode("utf-16-le")


def _xf(fmt: int, style: bool) -> bytes:
    return _rec(0x00E0, struct.pack("<HHHBBBBIIH", 0, fmt, 0xFFF5 if style else 0x0001, 0x20, 0, 0, 0, 0, 0, 0x20C0))


XF_GENERAL, XF_DATE = 15, 16


def biff8(sheets: dict[str, list[list]], password: bool = False) -> bytes:
    """A BIFF8 'Workbook' stream: text as shared strings, numbers as NUMBER, dates with format 14.
    password=True adds a FILEPASS record (what Excel writes for a password-protected .xls)."""
    strings: list[str] = []
    index: dict[str, int] = {}
    bodies = []
    for rows in sheets.values():
        recs = [_bof(0x10), _rec(0x0200, struct.pack("<IIHHH", 0, len(rows), 0, max(map(len, rows)), 0))]
        for r, row in enumerate(rows):
            for c, v in enumerate(row):
                if v is None:
                    continue
                if isinstance(v, str):
                    if v not in index:
                        index[v] = len(strings)
                        strings.append(v)
                    recs.append(_rec(0x00FD, struct.pack("<HHHI", r, c, XF_GENERAL, index[v])))
                elif isinstance(v, dt.date):
                    recs.append(_rec(0x0203, struct.pack("<HHHd", r, c, XF_DATE, float(serial(v)))))
                else:
                    recs.append(_rec(0x0203, struct.pack("<HHHd", r, c, XF_GENERAL, float(v))))
        recs.append(_rec(0x000A))
        bodies.append(b"".join(recs))
    font = _rec(0x0031, struct.pack("<HHHHHBBBB", 200, 0, 0x7FFF, 400, 0, 0, 0, 0, 0) + _str8("Arial"))
    head = b"".join([_bof(0x05),
                     _rec(0x002F, struct.pack("<HHH", 1, 1, 1) + bytes(48)) if password else b"",
                     _rec(0x0042, struct.pack("<H", 1200)), font * 5,
                     _xf(0, True) * 15, _xf(0, False), _xf(14, False)])
    tail = _rec(0x00FC, struct.pack("<II", len(strings), len(strings)) + b"".join(map(_str16, strings)))
    tail += _rec(0x000A)
    offset = len(head) + sum(4 + 8 + 2 * len(n) for n in sheets) + len(tail)
    bound = b""
    for name, body in zip(sheets, bodies):
        bound += _rec(0x0085, struct.pack("<IBB", offset, 0, 0) + _str8(name))
        offset += len(body)
    return head + bound + tail + b"".join(bodies)


_FREE, _END, _FATSECT, _NONE = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF


def _dirent(name: str, kind: int, child: int, right: int, start: int, size: int) -> bytes:
    raw = (name + "\0").encode("utf-16-le") if name else b""
    return (raw.ljust(64, b"\0") + struct.pack("<HBBIII", len(raw), kind, 1, _NONE, right, child)
            + bytes(36) + struct.pack("<II", start, size) + bytes(4))


def ole(streams: dict[str, bytes]) -> bytes:
    """An OLE2 compound file (v3, 512-byte sectors) holding up to three streams, each padded to
    4096 bytes so that no mini stream is needed."""
    assert len(streams) <= 3
    datas = [d.ljust(4096, b"\0") for d in streams.values()]
    fat, starts, nxt = [_FATSECT, _END], [], 2
    for d in datas:
        k = -(-len(d) // 512)
        starts.append(nxt)
        fat += [nxt + i + 1 for i in range(k - 1)] + [_END]
        nxt += k
    assert len(fat) <= 128
    fat += [_FREE] * (128 - len(fat))
    entries = [_dirent("Root Entry", 5, 1 if streams else _NONE, _NONE, _END, 0)]
    for i, (name, d, start) in enumerate(zip(streams, datas, starts)):
        entries.append(_dirent(name, 2, _NONE, i + 2 if i + 1 < len(datas) else _NONE, start, len(d)))
    entries += [_dirent("", 0, _NONE, _NONE, 0, 0)] * (4 - len(entries))
    header = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(16) + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6)
              + bytes(6) + struct.pack("<9I", 0, 1, 1, 0, 4096, _END, 0, _END, 0)
              + struct.pack("<I", 0) + struct.pack("<I", _FREE) * 108)
    return header + struct.pack("<128I", *fat) + b"".join(entries) + b"".join(
        d.ljust(-(-len(d) // 512) * 512, b"\0") for d in datas)


# ---- common sheets ---------------------------------------------------------------------------
_SURNAMES = "张王李赵刘陈杨黄周吴徐孙马朱胡郭何高林罗"
_GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚英华建国志"


def name_of(i: int) -> str:
    """A plausible person name for staff number i (names with digits draw a warning)."""
    return _SURNAMES[i % 20] + _GIVEN[(i * 7) % len(_GIVEN)] + _GIVEN[(i * 11 + 3) % len(_GIVEN)]


def person(i: int, unit="综采队", team="赵林生产班", political="群众", frontline="是", leader="否",
           month="2024-06") -> list:
    return [month, unit, team, f"{i:06d}", name_of(i), "男", frontline, leader, political]


def roster(month="2024-06", unit="综采队", n=10, start=1, teams=("赵林生产班", "检修班")) -> list[list]:
    """A clean roster: every third person a party member."""
    return [ROSTER_HEADER] + [person(start + k, unit, teams[k % len(teams)], "中共党员" if k % 3 == 0 else "群众",
                                     month=month) for k in range(n)]


ROSTER_NO_CONTEXT = ROSTER_HEADER[2:]  # 班组 … 政治面貌 (队 and 月份 come from elsewhere)


def roster_body(n=3, start=1, **kw) -> list[list]:
    """Data rows without 月份/队, to sit under a title."""
    return [r[2:] for r in roster(n=n, start=start, **kw)[1:]]


DEV_HEADER = canonical_header("development")
PAIRS_HEADER = canonical_header("pairs")
PROBLEMS_HEADER = canonical_header("problems")
SCORES_HEADER = canonical_header("scores")
TALKS_HEADER = canonical_header("talks")
TEAM_HEADER = canonical_header("team_info")


def dev_row(i, applied, activist=None, candidate=None, probation=None, full=None):
    return ["综采队", "检修班", f"{i:06d}", name_of(i), "是", "否", applied, activist, candidate, probation, full, "张三"]


def problem_row(pid, found="2024-06-03", status="待办理", feedback=None, resolved=None, desc="家中老人看病难"):
    return [pid, found, "综采队", "检修班", "李四", "医疗健康", desc, "王五", feedback, resolved, status, None]


def score_row(i, quarter="2024Q2", self_score=90, review=88, status="已审核"):
    return [quarter, "综采队", "检修班", f"{i:06d}", name_of(i), self_score, review, status]


SEED = ("机运队_2023年1月名册.xlsx", xlsx({"人员名册": roster(month="2023-01", unit="机运队", n=4, start=900)}))


# =============================================================================================
# The case record
# =============================================================================================
@dataclass
class Case:
    id: str
    build: Callable[[], tuple[str, bytes]]          # → (file name, bytes); built lazily
    rejected: bool = False
    file_error: tuple[str, str] | None = None        # (exact message, hint substring) of a whole-file failure
    errors: list[tuple] = field(default_factory=list)     # (sheet, row, column, substring): all errors
    warnings: list[tuple] = field(default_factory=list)   # (sheet, row, column, substring): all warnings
    sheets: dict[str, tuple] | None = None           # sheet → (type label or None, loaded, {reason: n}, skipped)
    sql: list[tuple[str, list]] = field(default_factory=list)  # (query, rows) after the import
    fmt: str | None = None
    context: dict | None = None
    missing_context: list[str] = field(default_factory=list)
    before: list[Callable[[], tuple[str, bytes]]] = field(default_factory=list)
    check: Callable | None = None                    # extra assertions (result, store)


CASES: list[Case] = []


def case(**kw) -> None:
    CASES.append(Case(**kw))


def reject(id, build, message, hint="", **kw) -> None:
    """A whole-file failure: exactly one error, the file's, with this message."""
    case(id=id, build=build, rejected=True, file_error=(message, hint), **kw)


# =============================================================================================
# 1. Formats
# =============================================================================================
ROSTER3_SQL = ("SELECT month, unit, team, staff_id, name, frontline, team_leader, political FROM roster ORDER BY staff_id",
               [(D(2024, 6, 1), "综采队", "赵林生产班", "000001", name_of(1), True, False, "中共党员"),
                (D(2024, 6, 1), "综采队", "检修班", "000002", name_of(2), True, False, "群众"),
                (D(2024, 6, 1), "综采队", "赵林生产班", "000003", name_of(3), True, False, "群众")])
ROSTER3 = {"人员名册": ("人员名册", 3, {}, "")}

case(id="xlsx·标准名册", build=lambda: ("名册.xlsx", xlsx({"人员名册": roster(n=3)})),
     fmt="xlsx", sheets=ROSTER3, sql=[ROSTER3_SQL])


def _xlsm():
    data = xlsx({"人员名册": roster(n=3)})
    return "名册.xlsm", rezip(data, edit={"[Content_Types].xml": lambda b: b.replace(
        b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
        b"application/vnd.ms-excel.sheet.macroEnabled.main+xml")})


case(id="xlsm·启用宏的工作簿", build=_xlsm, fmt="xlsm", sheets=ROSTER3, sql=[ROSTER3_SQL])

CSV_ROWS = [["综采队2024年6月人员名册"], ROSTER_NO_CONTEXT,
            ["赵林生产班", "000123", "张三", "男", "是", "否", "中共党员"],
            ["检修班", "000124", "李四", "女", "是", "是", "群众"],
            ["检修班", "000125", "王𠮷", "男", "否", "否", "共青团员"]]
CSV_SQL = ("SELECT month, unit, team, staff_id, name, gender, frontline, team_leader, political FROM roster ORDER BY staff_id",
           [(D(2024, 6, 1), "综采队", "赵林生产班", "000123", "张三", "男", True, False, "中共党员"),
            (D(2024, 6, 1), "综采队", "检修班", "000124", "李四", "女", True, True, "群众"),
            (D(2024, 6, 1), "综采队", "检修班", "000125", "王𠮷", "男", False, False, "共青团员")])
CSV_SHEETS = {"综采队名册": ("人员名册", 3, {}, "")}

case(id="csv·UTF-8（标题行给出队和月份，工号保留开头的0）",
     build=lambda: ("综采队名册.csv", csv_text(CSV_ROWS).encode("utf-8")),
     fmt="csv", sheets=CSV_SHEETS, sql=[CSV_SQL],
     check=lambda r, s: r.sheets[0].header_row == 2)
case(id="csv·UTF-8带BOM", build=lambda: ("综采队名册.csv", codecs.BOM_UTF8 + csv_text(CSV_ROWS).encode("utf-8")),
     fmt="csv", sheets=CSV_SHEETS, sql=[CSV_SQL])
case(id="csv·GB18030（含四字节汉字）", build=lambda: ("综采队名册.csv", csv_text(CSV_ROWS).encode("gb18030")),
     fmt="csv", sheets=CSV_SHEETS, sql=[CSV_SQL])
GBK_ROWS = [r if "王𠮷" not in r else ["检修班", "000125", "王五", "男", "否", "否", "共青团员"] for r in CSV_ROWS]
case(id="csv·GBK（WPS导出）", build=lambda: ("综采队名册.csv", csv_text(GBK_ROWS).encode("gbk")),
     fmt="csv", sheets=CSV_SHEETS,
     sql=[("SELECT staff_id, name FROM roster ORDER BY staff_id",
           [("000123", "张三"), ("000124", "李四"), ("000125", "王五")])])
case(id="csv·UTF-16制表符（Excel“Unicode文本”）",
     build=lambda: ("综采队名册.txt", codecs.BOM_UTF16_LE + csv_text(CSV_ROWS, "\t").encode("utf-16-le")),
     fmt="csv", sheets={"综采队名册": ("人员名册", 3, {}, "")}, sql=[CSV_SQL])
case(id="xlsx改名为.xls（按内容识别）", build=lambda: ("名册.xls", xlsx({"人员名册": roster(n=3)})),
     fmt="xlsx", sheets=ROSTER3, sql=[ROSTER3_SQL])
case(id="xlsx改名为.csv（按内容识别）", build=lambda: ("名册.csv", xlsx({"人员名册": roster(n=3)})),
     fmt="xlsx", sheets=ROSTER3, sql=[ROSTER3_SQL])

XLS_ROWS = [["综采队2024年6月人员名册"], [*ROSTER_NO_CONTEXT, "入党时间"],
            ["检修班", 100123, "张三", "男", "是", "否", "中共党员", D(2015, 7, 1)],
            ["检修班", 100124, "李四", "男", "否", "否", "群众"]]
XLS_SQL = ("SELECT month, unit, staff_id, name, political, joined_on FROM roster ORDER BY staff_id",
           [(D(2024, 6, 1), "综采队", "100123", "张三", "中共党员", D(2015, 7, 1)),
            (D(2024, 6, 1), "综采队", "100124", "李四", "群众", None)])
case(id="旧版.xls（BIFF8，数字工号与日期单元格）",
     build=lambda: ("名册.xls", ole({"Workbook": biff8({"Sheet1": XLS_ROWS, "Sheet2": [["说明"]]})})),
     fmt="xls", sheets={"Sheet1": ("人员名册", 2, {}, ""), "Sheet2": (None, 0, {}, "未识别的工作表")},
     warnings=[("Sheet2", None, "", "工作表「Sheet2」不是系统接收的报表")],
     sql=[XLS_SQL])
case(id="WPS .et（OLE格式）",
     build=lambda: ("名册.et", ole({"Workbook": biff8({"Sheet1": XLS_ROWS})})),
     fmt="et", sheets={"Sheet1": ("人员名册", 2, {}, "")}, sql=[XLS_SQL])

XLS_TALKS = [TALKS_HEADER, [D(2024, 6, 3), 100123, "张三", "综采队", 100124, "李四", "面谈", "孩子上学", "是", "P001"],
             [D(2024, 6, 20), 100123, "张三", "综采队", 100125, "王五", "电话", None, "否", None]]
case(id="旧版.xls含两种报表（名册+谈心记录，日期单元格）",
     build=lambda: ("综采队6月.xls", ole({"Workbook": biff8({"人员名册": XLS_ROWS, "谈心记录": XLS_TALKS})})),
     fmt="xls", sheets={"人员名册": ("人员名册", 2, {}, ""), "谈心记录": ("谈心记录", 2, {}, "")},
     warnings=[("谈心记录", 3, "职工工号", "工号 '100125' 不在2024年6月人员名册中")],
     sql=[XLS_SQL, ("SELECT talk_date, member_id, worker_id, found_problem FROM talks ORDER BY 1",
                    [(D(2024, 6, 3), "100123", "100124", True), (D(2024, 6, 20), "100123", "100125", False)])])
GBK_LEDGER = [["问题编号", "发现日期", "队别", "班组", "反映人", "问题类别", "问题描述", "办理状态", "办结日期"],
              ["WM-001", "2024/6/3", "综采队", "检修班", "李四", "生活保障", "澡堂热水不稳定", "已办结", "2024年6月10日"],
              ["WM-002", "2024.06.05", "综采队", "检修班", "王五", "医疗健康", "家中老人看病难", "办理中", None]]
case(id="csv·GBK问题台帐（同义表头、日期文本）",
     build=lambda: ("微民生问题台账.csv", csv_text(GBK_LEDGER).encode("gbk")),
     fmt="csv", sheets={"微民生问题台账": ("问题台帐", 2, {}, "")},
     sql=[("SELECT problem_id, found_on, unit, status, resolved_on FROM problems ORDER BY 1",
           [("WM-001", D(2024, 6, 3), "综采队", "已解决", D(2024, 6, 10)),
            ("WM-002", D(2024, 6, 5), "综采队", "办理中", None)])])


def _cached_formulas():
    """Formulas that Excel/WPS saved with their results: read as the results."""
    rows = [["序号", *ROSTER_HEADER]] + [["=ROW()-1", *r] for r in roster(n=3)[1:]]
    data = xlsx({"人员名册": rows})
    counter = iter(range(1, 100))
    # An empty cached value is <v/> or, from openpyxl 3.1.5, <v></v>.
    return "名册.xlsx", rezip(data, edit={"xl/worksheets/sheet1.xml": lambda b: re.sub(
        rb"<f>ROW\(\)-1</f>(?:<v ?/>|<v></v>)", lambda m: b"<f>ROW()-1</f><v>%d</v>" % next(counter), b)})


case(id="公式有缓存值（Excel保存过）照常导入", build=_cached_formulas, sheets=ROSTER3, sql=[ROSTER3_SQL])

# =============================================================================================
# 2. Whole-file failures (one Chinese message each; the store keeps its content)
# =============================================================================================
reject("随机字节", lambda: ("名册.xlsx", random.Random(7).randbytes(4000)),
       "无法识别的文件格式，不是Excel表格或CSV文件", "请上传 .xlsx、.xls、.et 或 .csv 文件")


def _docx():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>')
        z.writestr("word/document.xml", '<?xml version="1.0"?><w:document xmlns:w="x"><w:body/></w:document>')
    return "名册.xlsx", out.getvalue()


reject("Word文档（.docx）改名为.xlsx", _docx, "不是Excel表格文件（可能是Word文档或普通压缩包）")
reject("Word文档（.doc，OLE）改名为.xls", lambda: ("名册.xls", ole({"WordDocument": b"\xec\xa5" + bytes(5000)})),
       "不是Excel表格文件（可能是Word或其他Office文档）")
reject("设置了打开密码的.xlsx（OLE加密包）",
       lambda: ("名册.xlsx", ole({"EncryptionInfo": b"\x04\x00\x04\x00" + bytes(300),
                                 "EncryptedPackage": random.Random(3).randbytes(6000)})),
       "文件设置了密码，无法读取", "请取消密码后上传")
reject("设置了密码的旧版.xls（FILEPASS）",
       lambda: ("名册.xls", ole({"Workbook": biff8({"Sheet1": XLS_ROWS}, password=True)})),
       "文件设置了密码，无法读取", "请取消密码后上传")
reject("只传了一半的旧版.xls（截断）",
       lambda: ("名册.xls", ole({"Workbook": biff8({"Sheet1": XLS_ROWS})})[:2500]),
       "文件已损坏或不完整", "请重新保存或重新导出后上传")
reject("网页另存为.xls",
       lambda: ("名册.xls", "<html><head><meta charset='utf-8'></head><body><table><tr><td>工号</td><td>姓名</td></tr>"
                           "<tr><td>000001</td><td>张三</td></tr></table></body></html>".encode()),
       "这是网页文件（另存为了.xls），不是真正的Excel表格", "另存为 .xlsx")
reject("单个文件网页（MHT）另存为.xls",
       lambda: ("名册.xls", b"MIME-Version: 1.0\r\nContent-Type: multipart/related; boundary=\"----=_NextPart\"\r\n\r\n"
                           b"------=_NextPart\r\nContent-Type: text/html\r\n\r\n<html></html>\r\n"),
       "这是网页文件（另存为了.xls），不是真正的Excel表格")
reject("Excel 2003 XML表格另存为.xls",
       lambda: ("名册.xls", '<?xml version="1.0"?>\n<?mso-application progid="Excel.Sheet"?>\n'
                           '<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet"></Workbook>'.encode()),
       "这是Excel 2003 XML表格，不是真正的Excel表格文件")
reject("只传了一半的xlsx（截断）", lambda: ("名册.xlsx", xlsx({"人员名册": roster(n=30)})[:3000]),
       "文件已损坏或不完整", "请重新保存或重新导出后上传")


def _bad_crc():
    data = bytearray(xlsx({"人员名册": roster(n=5)}))
    name = b"xl/worksheets/sheet1.xml"
    pos = data.find(b"PK\x01\x02")
    while True:  # the central directory entry of the sheet
        pos = data.find(b"PK\x01\x02", pos)
        n = struct.unpack_from("<H", data, pos + 28)[0]
        if bytes(data[pos + 46:pos + 46 + n]) == name:
            break
        pos += 4
    crc = struct.unpack_from("<I", data, pos + 16)[0]
    struct.pack_into("<I", data, pos + 16, crc ^ 0x5A5A5A5A)
    return "名册.xlsx", bytes(data)


reject("工作表校验和错误的xlsx（损坏）", _bad_crc, "文件已损坏或不完整")
reject("空文件（0字节）", lambda: ("名册.xlsx", b""), "文件是空的")
reject("只有BOM和空白的文件", lambda: ("名册.csv", codecs.BOM_UTF8 + b"  \r\n\r\n "), "文件是空的")


def _bomb():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/workbook.xml", "<workbook/>")
        z.writestr("xl/worksheets/sheet1.xml", bytes(8 * 1024 * 1024))
    return "名册.xlsx", out.getvalue()


def _refused_from_directory(result, store):
    name, data = _bomb()
    with pytest.raises(FileRejected, match="压缩炸弹"):
        sniff_format(data, name)   # the zip directory alone decides; nothing is inflated


reject("压缩炸弹（8 MB的零压到几KB）", _bomb, "文件解压后过大，疑似压缩炸弹，已拒绝", check=_refused_from_directory)
reject("超过20 MB的文件", lambda: ("名册.xlsx", b"PK\x03\x04" + bytes(21 * 1024 * 1024)),
       "文件过大（21.0 MB），超过 20.0 MB 的上限", "按队拆分")  # the one upload limit: lib/config.py


def _far_cell():
    wb = Workbook()
    ws = wb.active
    ws.title = "人员名册"
    for row in roster(n=3):
        ws.append(row)
    ws["XFD30000"] = "x"
    buf = io.BytesIO()
    wb.save(buf)
    return "名册.xlsx", buf.getvalue()


reject("很远的单元格里有内容（数据范围过大）", _far_cell,
       "工作表「人员名册」的数据范围过大（约 30000 行 × 16384 列），可能在很远的单元格里有多余内容",
       "请删除数据区域以外的多余内容")


def _entity():
    data = xlsx({"人员名册": roster(n=3)})
    return "名册.xlsx", rezip(data, edit={"xl/worksheets/sheet1.xml": lambda b: b.replace(
        b"<worksheet", b'<!DOCTYPE worksheet [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;">]><worksheet', 1)})


reject("XML实体声明（实体扩展攻击）", _entity, "文件包含不安全的内容，已拒绝")


def _formulas():
    rows = [["序号", *ROSTER_HEADER]] + [["=ROW()-1", *r] for r in roster(n=4)[1:]]
    return "名册.xlsx", xlsx({"人员名册": rows})


reject("公式没有缓存值（程序生成、未用Excel保存）", _formulas,
       "表格中有 4 个公式单元格没有计算结果", "请用Excel/WPS打开并保存后再上传")


def _formulas_in_data():
    rows = roster(n=3)
    for r in rows[1:]:
        r[4] = '="职工"&ROW()'
    return "名册.xlsx", xlsx({"人员名册": rows})


reject("必填列全是公式且没有缓存值", _formulas_in_data,
       "表格中有 3 个公式单元格没有计算结果", "请用Excel/WPS打开并保存后再上传")

# No recognisable sheet: the one error lists the types the system takes and where the template is;
# a closest type is named only when the sheet has its distinctive columns (not merely 姓名/性别/岗位).
case(id="没有可识别的工作表（只有姓名、性别、岗位：不猜人员名册）",
     build=lambda: ("综采队人员名册.xlsx", xlsx({"Sheet1": [["序号", "姓名", "性别", "岗位", "联系电话"],
                                                        [1, "张三", "男", "采煤工", "13800001111"]]})),
     rejected=True,
     errors=[("", None, "", "文件中没有可识别的报表")],
     warnings=[("Sheet1", None, "", "工作表「Sheet1」不是系统接收的报表")],
     check=lambda r, s: r.errors[0].hint == (
         "工作表「Sheet1」不是系统接收的报表。系统接收 12 种报表：人员名册、班组信息、发展党员、包保对子、谈心记录、"
         "问题台帐、党员责任区、党员示范岗、比学争优、管理委员会、理念口号、荣誉。"
         "请按报表模板的表头填写：数据上传页「下载报表模板」，或运行 python -m lib.cli template。"))
case(id="没有可识别的工作表（按表头最接近人员名册）",
     build=lambda: ("6月报表.xlsx", xlsx({"Sheet1": [["班组", "工号", "姓名", "政治面貌", "联系电话"],
                                                    ["检修班", "000001", "张三", "群众", "13800001111"]]})),
     rejected=True,
     errors=[("", None, "", "文件中没有可识别的报表")],
     warnings=[("Sheet1", 1, "", "工作表「Sheet1」未能识别：最接近「人员名册」，但缺少表头 是否一线职工、是否班组长")],
     check=lambda r, s: r.errors[0].hint.startswith(
         "工作表「Sheet1」未能识别：最接近「人员名册」，但缺少表头 是否一线职工、是否班组长。系统接收 12 种报表："))
case(id="只有表头和合计行，没有数据",
     build=lambda: ("名册.xlsx", xlsx({"人员名册": [ROSTER_HEADER, ["合计", None, "0人"]]})),
     rejected=True, errors=[("", None, "", "文件中的报表没有数据行")],
     sheets={"人员名册": ("人员名册", 0, {"合计行": 1}, "")})
case(id="工作簿里只有空白表",
     build=lambda: ("名册.xlsx", xlsx({"Sheet1": [], "Sheet2": [[None], [None, "  "]]})),
     rejected=True, errors=[("", None, "", "文件中没有可识别的报表")],
     sheets={})   # blank sheets are counted in one line (FileResult.empty_sheets), not listed

# =============================================================================================
# 3. Sheet recognition
# =============================================================================================
DEV_LIKE_ROSTER = [["综采队2024年6月人员名册"],
                   ["班组", "工号", "姓名", "是否一线职工", "是否班组长", "政治面貌", "队", "申请入党时间"],
                   ["检修班", "000001", "张三", "是", "否", "群众", "综采队", "2023-03-01"]]
case(id="按工作表名识别（表头同时符合发展党员）",
     build=lambda: ("6月.xlsx", xlsx({"人员名册": DEV_LIKE_ROSTER})),
     sheets={"人员名册": ("人员名册", 1, {}, "")},
     warnings=[("人员名册", 2, "申请入党时间", "未识别的列「申请入党时间」，未导入")],
     sql=[("SELECT month, unit, staff_id FROM roster", [(D(2024, 6, 1), "综采队", "000001")]),
          ("SELECT count(*) FROM development", [(0,)])])
case(id="工作表名是Sheet1，按表头识别（问题台帐）",
     build=lambda: ("6月上报.xlsx", xlsx({"Sheet1": [PROBLEMS_HEADER, problem_row("P001"), problem_row("P002")]})),
     sheets={"Sheet1": ("问题台帐", 2, {}, "")},
     sql=[("SELECT problem_id, found_on, unit, status FROM problems ORDER BY 1",
           [("P001", D(2024, 6, 3), "综采队", "待办理"), ("P002", D(2024, 6, 3), "综采队", "待办理")])])
case(id="一个工作簿里有多种报表",
     build=lambda: ("综采队6月.xlsx", xlsx({
         "人员名册": roster(n=4),
         "班组信息": [TEAM_HEADER, ["2024-06", "综采队", "赵林生产班", "生产班组", "综采队党支部", None, None],
                  ["2024-06", "综采队", "检修班", "辅助班组", "综采队党支部", "000001", name_of(1)]],
         "谈心记录": [TALKS_HEADER, ["2024-06-03", "000001", name_of(1), "综采队", "000002", name_of(2), "面谈", "家里老人看病难", "是", "P001"]],
     })),
     sheets={"人员名册": ("人员名册", 4, {}, ""), "班组信息": ("班组信息", 2, {}, ""), "谈心记录": ("谈心记录", 1, {}, "")},
     sql=[("SELECT count(*) FROM roster", [(4,)]),
          ("SELECT team, liaison_id FROM team_info ORDER BY team", [("检修班", "000001"), ("赵林生产班", None)]),
          ("SELECT talk_date, member_unit, found_problem FROM talks", [(D(2024, 6, 3), "综采队", True)])])
case(id="一个工作簿里两张名册（两个队）一起导入",
     build=lambda: ("6月名册.xlsx", xlsx({"综采队": roster(n=2), "机运队": roster(unit="机运队", n=2, start=50)})),
     sheets={"综采队": ("人员名册", 2, {}, ""), "机运队": ("人员名册", 2, {}, "")},
     sql=[("SELECT unit, staff_id FROM roster ORDER BY 2",
           [("综采队", "000001"), ("综采队", "000002"), ("机运队", "000050"), ("机运队", "000051")])],
     check=lambda r, s: sorted(x for row in r.sheet_rows() for x in row["scope"]) == ["机运队 2024年6月", "综采队 2024年6月"])
case(id="两张名册里出现同一工号：指出另一张表",
     build=lambda: ("6月名册.xlsx", xlsx({"综采队": roster(n=2), "机运队": roster(unit="机运队", n=2, start=2)})),
     rejected=True,
     errors=[("机运队", 2, "", "与同一文件另一张「人员名册」表中的记录重复（2024-06-01、000002）")])
case(id="隐藏的工作表被跳过并提示",
     build=lambda: ("名册.xlsx", xlsx({"人员名册": roster(n=3), "旧名册": roster(n=5, start=50)}, hidden_sheets=["旧名册"])),
     sheets={"人员名册": ("人员名册", 3, {}, ""), "旧名册": (None, 0, {}, "隐藏的工作表，未导入")},
     warnings=[("旧名册", None, "", "工作表「旧名册」是隐藏的，已跳过")],
     sql=[ROSTER3_SQL])
case(id="填表说明页不导入也不提示",
     build=lambda: ("名册.xlsx", xlsx({"填表说明": [["填表说明"], ["1. 工号请设为文本"], ["2. 政治面貌", "工号", "姓名", "班组"]],
                                     "人员名册": roster(n=3)})),
     sheets={"人员名册": ("人员名册", 3, {}, "")},   # the guide: in FileResult.skipped_text, not listed
     sql=[ROSTER3_SQL])
GUIDE = [["填写说明"], ["列名", "说明"], ["月份", "如 2024-06"], ["队", "填写队的全称"], ["班组", "填写班组全称，如 赵林生产班"],
         ["工号", "6位数字，设为文本"], ["政治面貌", "从下拉列表选择"]]
case(id="“填写说明（必读）”页：不当作班组信息导入",
     build=lambda: ("综采队_2024年6月.xlsx", xlsx({"填写说明（必读）": GUIDE, "人员名册": roster(n=3)})),
     sheets={"人员名册": ("人员名册", 3, {}, "")},
     sql=[ROSTER3_SQL, ("SELECT count(*) FROM team_info", [(0,)])])
case(id="班组信息表多了工号、姓名列：仍按班组信息导入",
     build=lambda: ("班组.xlsx", xlsx({"班组信息": [["月份", "队", "班组", "班组长工号", "工号", "姓名", "党支部"],
                                                 ["2024-06", "综采队", "检修班", "000001", "000001", "赵六", "综采队党支部"]]})),
     sheets={"班组信息": ("班组信息", 1, {}, "")},
     warnings=[("班组信息", 1, "班组长工号", "未识别的列"), ("班组信息", 1, "工号", "未识别的列"),
               ("班组信息", 1, "姓名", "未识别的列")],
     sql=[("SELECT unit, team, branch FROM team_info", [("综采队", "检修班", "综采队党支部")]),
          ("SELECT count(*) FROM roster", [(0,)])])
case(id="被筛选隐藏的行：提醒并照常导入",
     build=lambda: ("名册.xlsx", xlsx({"人员名册": roster(n=5)}, hidden_rows={"人员名册": [3, 5]})),
     sheets={"人员名册": ("人员名册", 5, {}, "")},
     warnings=[("人员名册", 3, "", "有 2 行被隐藏或筛选掉了（第 3、5 行），仍已导入")],
     sql=[("SELECT count(*) FROM roster", [(5,)])])

# =============================================================================================
# 4. Header rows
# =============================================================================================
TITLED = [["综采队2024年6月人员名册"], ["填报单位：综采队", None, None, None, "填报日期：2024年7月2日"], [],
          ROSTER_NO_CONTEXT, *roster_body(3)]
case(id="表头在标题行、填报单位行和空行之下（第4行）",
     build=lambda: ("名册.xlsx", xlsx({"Sheet1": TITLED}, merges={"Sheet1": ["A1:G1"]})),
     sheets={"Sheet1": ("人员名册", 3, {}, "")}, sql=[ROSTER3_SQL],
     check=lambda r, s: (r.sheets[0].header_row, r.sheets[0].context_used) == (4, {"unit": "综采队", "month": "2024-06"}))
def _header_at(row: int) -> list[list]:
    above = [["综采队2024年6月人员名册"]] + [[f"（填报要求第{k}条）"] for k in range(1, row - 1)]
    return [*above, ROSTER_NO_CONTEXT, *roster_body(3)]


case(id="表头在第15行：找得到",
     build=lambda: ("名册.xlsx", xlsx({"人员名册": _header_at(15)})),
     sheets=ROSTER3, sql=[ROSTER3_SQL], check=lambda r, s: r.sheets[0].header_row == 15)
case(id="表头在第16行：超出查找范围",
     build=lambda: ("名册.xlsx", xlsx({"人员名册": _header_at(16)})),
     rejected=True, errors=[("", None, "", "文件中没有可识别的报表")],
     warnings=[("人员名册", None, "", "工作表「人员名册」不是系统接收的报表（没有找到任何一种报表的表头）")],
     sheets={"人员名册": (None, 0, {}, "未识别的工作表")})
case(id="表头带提示括号、尾随空格、全角括号和*号",
     build=lambda: ("名册.xlsx", xlsx({"人员名册": [
         ["月份*", "*队", "班组 ", "工号（文本，保留开头的0）", "姓名  ", "性别(男/女)",
          "是否一线职工【是/否】", "＊是否班组长", "政治面貌（中共党员/群众）"], *roster(n=3)[1:]]})),
     sheets=ROSTER3, sql=[ROSTER3_SQL])
case(id="同义表头（名册：统计月份/队别/所在班组/职工工号/职工姓名/党籍状态）",
     build=lambda: ("名册.xlsx", xlsx({"人员名册": [
         ["统计月份", "队别", "所在班组", "职工工号", "职工姓名", "性别", "是否一线", "是否为班组长", "党籍状态（正式党员或预备党员）"],
         *roster(n=3)[1:]]})),
     sheets=ROSTER3, sql=[ROSTER3_SQL])
case(id="同义表头（比学争优：考核季度/单位/班组名称/员工编号/员工姓名/自评分）",
     build=lambda: ("积分.xlsx", xlsx({"比学争优": [
         ["考核季度", "单位", "班组名称", "员工编号", "员工姓名", "自评分", "审核分", "审核情况"],
         score_row(1), score_row(2, status="通过")]})),
     sheets={"比学争优": ("比学争优", 2, {}, "")},
     sql=[("SELECT quarter, unit, team, staff_id, self_score, review_status FROM scores ORDER BY staff_id",
           [("2024Q2", "综采队", "检修班", "000001", 90.0, "已审核"), ("2024Q2", "综采队", "检修班", "000002", 90.0, "已审核")])])
case(id="同义表头（班组信息：所在队/班组名/报送月份）",
     build=lambda: ("班组.xlsx", xlsx({"班组信息": [["报送月份", "所在队", "班组名", "所属党支部"],
                                                 ["2024-06", "综采队", "检修班", "综采队党支部"]]})),
     sheets={"班组信息": ("班组信息", 1, {}, "")},
     sql=[("SELECT month, unit, team, branch FROM team_info", [(D(2024, 6, 1), "综采队", "检修班", "综采队党支部")])])

ID_CARD, PHONE = "142401199003151234", "13912345678"


def _no_personal_data(result, store):
    cur = store.cursor()
    for table in ALL_TABLES:
        text = repr(cur.execute(f"SELECT * FROM {table}").fetchall())
        assert ID_CARD not in text and PHONE not in text, table
    for sheet in SHEETS:
        columns = {r[0] for r in cur.execute(f"DESCRIBE {sheet.key}").fetchall()}
        assert not columns & {"身份证号", "联系电话", "id_card", "phone"}


case(id="多余的列（身份证号、联系电话）只提醒、不保存",
     build=lambda: ("名册.xlsx", xlsx({"人员名册": [[*ROSTER_HEADER, "身份证号", "联系电话"],
                                                 *[[*r, ID_CARD, PHONE] for r in roster(n=3)[1:]]]})),
     sheets=ROSTER3, sql=[ROSTER3_SQL],
     warnings=[("人员名册", 1, "身份证号", "未识别的列「身份证号」，未导入"),
               ("人员名册", 1, "联系电话", "未识别的列「联系电话」，未导入")],
     check=_no_personal_data)

TWO_ROW_HEADER = [["综采队2024年6月人员名册"],
                  ["序号", "班组", "工号", "姓名", "政治面貌", "是否", None],
                  [None, None, None, None, None, "一线职工", "班组长"],
                  [1, "检修班", "000001", "张三", "中共党员", "是", "否"],
                  [2, "检修班", "000002", "李四", "群众", "是", "是"]]
case(id="合并单元格的两行表头",
     build=lambda: ("名册.xlsx", xlsx({"人员名册": TWO_ROW_HEADER},
                                    merges={"人员名册": ["A1:G1", "A2:A3", "B2:B3", "C2:C3", "D2:D3", "E2:E3", "F2:G2"]})),
     sheets={"人员名册": ("人员名册", 2, {}, "")},
     sql=[("SELECT month, unit, team, staff_id, political, frontline, team_leader FROM roster ORDER BY staff_id",
           [(D(2024, 6, 1), "综采队", "检修班", "000001", "中共党员", True, False),
            (D(2024, 6, 1), "综采队", "检修班", "000002", "群众", True, True)])],
     check=lambda r, s: r.sheets[0].header_row == 3)
MERGED_BLOCKS = [ROSTER_HEADER,
                 ["2024-06", "综采队", "赵林生产班", "000001", "张三", "男", "是", "是", "中共党员"],
                 [None, None, None, "000002", "李四", "男", "是", "否", "群众"],
                 [None, None, None, "000003", "王五", "男", "是", "否", "群众"],
                 [None, None, "检修班", "000004", "赵六", "男", "否", "否", "群众"],
                 [None, None, None, "000005", "钱七", "男", "否", "否", "共青团员"]]
case(id="队和班组是向下合并的单元格块",
     build=lambda: ("名册.xlsx", xlsx({"人员名册": MERGED_BLOCKS}, merges={"人员名册": ["A2:A6", "B2:B6", "C2:C4", "C5:C6"]})),
     sheets={"人员名册": ("人员名册", 5, {}, "")},
     sql=[("SELECT month, unit, team, staff_id FROM roster ORDER BY staff_id",
           [(D(2024, 6, 1), "综采队", "赵林生产班", "000001"), (D(2024, 6, 1), "综采队", "赵林生产班", "000002"),
            (D(2024, 6, 1), "综采队", "赵林生产班", "000003"), (D(2024, 6, 1), "综采队", "检修班", "000004"),
            (D(2024, 6, 1), "综采队", "检修班", "000005")])])

# =============================================================================================
# 5. Context: 队 and 月份/季度 from outside the columns
# =============================================================================================
case(id="队和月份来自标题（综采队2024年3月份人员名册）",
     build=lambda: ("名册.xlsx", xlsx({"Sheet1": [["综采队2024年3月份人员名册"], ROSTER_NO_CONTEXT, *roster_body(2)]})),
     sheets={"Sheet1": ("人员名册", 2, {}, "")},
     sql=[("SELECT DISTINCT month, unit FROM roster", [(D(2024, 3, 1), "综采队")])],
     check=lambda r, s: r.sheet_rows()[0]["scope"] == ["综采队 2024年3月"])
case(id="队和月份来自填报单位/统计月份行（填报日期在前）",
     build=lambda: ("名册.xlsx", xlsx({"人员名册": [["人员名册"], ["填报日期：2024年7月2日", None, "填报单位：机运队", None, "统计月份：2024年5月"],
                                                 ROSTER_NO_CONTEXT, *roster_body(2)]})),
     sheets={"人员名册": ("人员名册", 2, {}, "")},
     sql=[("SELECT DISTINCT month, unit FROM roster", [(D(2024, 5, 1), "机运队")])])
case(id="队和月份来自文件名（综采队_2024年6月.xlsx）",
     build=lambda: ("综采队_2024年6月.xlsx", xlsx({"人员名册": [ROSTER_NO_CONTEXT, *roster_body(3)]})),
     sheets=ROSTER3, sql=[ROSTER3_SQL])
case(id="填报日期不是数据月份：缺月份被拒绝",
     build=lambda: ("名册.xlsx", xlsx({"人员名册": [["填报单位：综采队", None, None, "填报日期：2024-07-02"],
                                                 ROSTER_NO_CONTEXT, *roster_body(3)]})),
     rejected=True, missing_context=["month"],
     errors=[("人员名册", None, "月份", "不知道这张表属于哪个月份：表中没有「月份」列，标题和文件名中也没有注明")],
     check=lambda r, s: "统计月份：2024年6月" in r.errors[0].hint and "综采队_2024年6月.xlsx" in r.errors[0].hint)
case(id="队和月份都无从得知：被拒绝并说明要补什么",
     build=lambda: ("名册.xlsx", xlsx({"人员名册": [ROSTER_NO_CONTEXT, *roster_body(3)]})),
     rejected=True, missing_context=["month", "unit"],
     errors=[("人员名册", None, "月份", "不知道这张表属于哪个月份"),
             ("人员名册", None, "队", "不知道这张表属于哪个队")])
case(id="上传时补充队和月份后导入",
     build=lambda: ("名册.xlsx", xlsx({"人员名册": [ROSTER_NO_CONTEXT, *roster_body(3)]})),
     context={"unit": "综采队", "month": "2024-06"}, sheets=ROSTER3, sql=[ROSTER3_SQL])
case(id="填报单位（盖章）：综采队",
     build=lambda: ("名册.xlsx", xlsx({"人员名册": [["2024年6月人员名册"], ["填报单位（盖章）：综采队（公章）", None, None, "填报日期：2024年7月2日"],
                                                 ROSTER_NO_CONTEXT, *roster_body(3)]})),
     sheets=ROSTER3, sql=[ROSTER3_SQL])
case(id="表头上方只有“日期：2024年7月2日”：不当作数据月份",
     build=lambda: ("综采队名册.xlsx", xlsx({"人员名册": [["人员名册", None, None, "日期：2024年7月2日"],
                                                     ROSTER_NO_CONTEXT, *roster_body(3)]})),
     rejected=True, missing_context=["month"],
     errors=[("人员名册", None, "月份", "不知道这张表属于哪个月份")])
case(id="文件名写成 人员名册-综采队-202406.xlsx",
     build=lambda: ("人员名册-综采队-202406.xlsx", xlsx({"人员名册": [ROSTER_NO_CONTEXT, *roster_body(3)]})),
     sheets=ROSTER3, sql=[ROSTER3_SQL])
case(id="文件名只写了“6月”：队可知、缺年份月份被拒绝",
     build=lambda: ("综采队6月名册.xlsx", xlsx({"人员名册": [ROSTER_NO_CONTEXT, *roster_body(3)]})),
     rejected=True, missing_context=["month"],
     errors=[("人员名册", None, "月份", "不知道这张表属于哪个月份")],
     check=lambda r, s: r.sheets[0].context_used == {"unit": "综采队"})
case(id="季度和队来自标题（综掘队2024年第二季度比学争优积分表）",
     build=lambda: ("积分.xlsx", xlsx({"Sheet1": [["综掘队2024年第二季度比学争优积分表"],
                                                ["班组", "工号", "姓名", "自评总分"],
                                                ["掘进一班", "000001", "张三", 95]]})),
     sheets={"Sheet1": ("比学争优", 1, {}, "")},
     sql=[("SELECT quarter, unit, team, self_score FROM scores", [("2024Q2", "综掘队", "掘进一班", 95.0)])])
case(id="合并单元格里只有“单位名称：”：标签不是队名，要求补充队",
     build=lambda: ("名册.xlsx", xlsx({"Sheet1": [["单位名称："], ["2024年6月人员名册"], ROSTER_NO_CONTEXT, *roster_body(3)]},
                                    merges={"Sheet1": ["A1:G1", "A2:G2"]})),
     rejected=True, missing_context=["unit"],
     errors=[("Sheet1", None, "队", "不知道这张表属于哪个队：表中没有「队」列，标题和文件名中也没有注明")],
     check=lambda r, s: r.sheets[0].context_used == {"month": "2024-06"})
case(id="合并的“填报单位：”后一格才是队名，“统计月份：”同样",
     build=lambda: ("名册.xlsx", xlsx({"Sheet1": [["填报单位：", None, "机运队", "统计月份：", None, "2024年5月"],
                                                ROSTER_NO_CONTEXT, *roster_body(2)]},
                                    merges={"Sheet1": ["A1:B1", "D1:E1"]})),
     sheets={"Sheet1": ("人员名册", 2, {}, "")},
     sql=[("SELECT DISTINCT month, unit FROM roster", [(D(2024, 5, 1), "机运队")])])
case(id="合并单元格里只有“统计月份：”：要求补充月份",
     build=lambda: ("名册.xlsx", xlsx({"Sheet1": [["综采队人员名册"], ["统计月份："], ROSTER_NO_CONTEXT, *roster_body(3)]},
                                    merges={"Sheet1": ["A1:G1", "A2:G2"]})),
     rejected=True, missing_context=["month"],
     errors=[("Sheet1", None, "月份", "不知道这张表属于哪个月份")])
case(id="合并单元格里只有“考核季度：”：要求补充季度",
     build=lambda: ("积分.xlsx", xlsx({"Sheet1": [["综掘队比学争优积分表"], ["考核季度："], ["班组", "工号", "姓名", "自评总分"],
                                                ["掘进一班", "000001", "张三", 95]]},
                                    merges={"Sheet1": ["A1:D1", "A2:D2"]})),
     rejected=True, missing_context=["quarter"],
     errors=[("Sheet1", None, "季度", "不知道这张表属于哪个季度")])

# =============================================================================================
# 6. Rows that carry no data
# =============================================================================================
NOISY = [["综采队2024年6月人员名册"],
         ["序号", *ROSTER_NO_CONTEXT],
         [None, "必填", "必填，文本格式", "必填", "选填", "必填：是/否", "必填：是/否", "必填，从下拉列表选择"],
         [1, *roster_body(1)[0]],
         [None],
         [2, *roster_body(2)[1]],
         [3, *roster_body(3)[2]],
         ["合计", None, "共3人"],
         [],
         ["注意事项：1. 工号请设为文本格式；2. 政治面貌从下拉列表选择"],
         ["填表人：张三"]]
case(id="序号列、说明行、空行、合计行、表尾注意事项都剔除并计数",
     build=lambda: ("名册.xlsx", xlsx({"人员名册": NOISY}, merges={"人员名册": ["A10:H10"]})),
     sheets={"人员名册": ("人员名册", 3, {"空行": 2, "填写说明行": 1, "合计行": 1, "表尾说明": 2}, "")},
     sql=[ROSTER3_SQL])
PRENUMBERED = [["序号", *ROSTER_HEADER],
               ["", "例：2024-06", "例：综采队", "例：检修班", "例：000123", "例：张三", "男/女", "是/否", "是/否", "下拉选择"],
               *[[k, *r] for k, r in enumerate(roster(n=3)[1:], 1)], *[[k] for k in range(4, 11)],
               ["填表人：张三", None, None, None, "审核人：李四", None, None, "联系电话：13800001111"]]
case(id="模板预先编好序号的空行、“例：”说明行、填表人/审核人落款",
     build=lambda: ("名册.xlsx", xlsx({"人员名册": PRENUMBERED})),
     sheets={"人员名册": ("人员名册", 3, {"填写说明行": 1, "空行": 7, "表尾说明": 1}, "")},
     sql=[ROSTER3_SQL])
case(id="小计/总计行（问题台帐）",
     build=lambda: ("台帐.xlsx", xlsx({"问题台帐": [PROBLEMS_HEADER, problem_row("P001"), ["小计", None, None, None, None, None, "1项"],
                                                 problem_row("P002"), ["总计：2项"], [None, None], ["说明：状态从下拉列表选择"]]})),
     sheets={"问题台帐": ("问题台帐", 2, {"合计行": 2, "空行": 1, "表尾说明": 1}, "")},
     sql=[("SELECT problem_id FROM problems ORDER BY 1", [("P001",), ("P002",)])])

# =============================================================================================
# 7. Cells
# =============================================================================================
DEV_DATES = [DEV_HEADER,
             dev_row(1, dt.datetime(2019, 3, 1), serial(D(2019, 9, 2)), "2020.10.08", "2021/11/3", "2022年11月3日"),
             dev_row(2, "2019/2/3  14:30", "2019年3月5日", D(2020, 4, 1), "2021.05.06", None),
             dev_row(3, serial(D(2020, 1, 2)), None, None, None, None)]
case(id="日期：真日期、Excel序号、2023.07.03、2023/7/3、2023年7月3日、带时间",
     build=lambda: ("发展.xlsx", xlsx({"发展党员": DEV_DATES})),
     sheets={"发展党员": ("发展党员", 3, {}, "")},
     sql=[("SELECT staff_id, applied_on, activist_on, candidate_on, probation_on, full_on FROM development ORDER BY 1",
           [("000001", D(2019, 3, 1), D(2019, 9, 2), D(2020, 10, 8), D(2021, 11, 3), D(2022, 11, 3)),
            ("000002", D(2019, 2, 3), D(2019, 3, 5), D(2020, 4, 1), D(2021, 5, 6), None),
            ("000003", D(2020, 1, 2), None, None, None, None)])])
MONTHS = [ROSTER_HEADER,
          person(1, month="2023-07"), person(2, month="2023.07"), person(3, month="2023年7月"),
          person(4, month=dt.datetime(2023, 7, 1)), person(5, month=serial(D(2023, 7, 15))), person(6, month="202307")]
case(id="月份：2023-07、文本2023.07、2023年7月、日期、序号、202307",
     build=lambda: ("名册.xlsx", xlsx({"人员名册": MONTHS})),
     sheets={"人员名册": ("人员名册", 6, {}, "")},
     sql=[("SELECT DISTINCT month FROM roster", [(D(2023, 7, 1),)])])
case(id="月份写成数字2023.1：拒绝、不猜",
     build=lambda: ("名册.xlsx", xlsx({"人员名册": [ROSTER_HEADER, person(1, month=2023.1), person(2, month="2023-10")]})),
     rejected=True,
     errors=[("人员名册", 2, "月份", "月份被存成了数字，无法区分1月和10月")],
     check=lambda r, s: r.errors[0].hint == "请把单元格设为文本，写成 2023-10 或 2023年10月" and r.errors[0].value == "2023.1")
QUARTERS = [SCORES_HEADER, score_row(1, "2024Q2"), score_row(2, "2024-Q2"), score_row(3, "2024年第二季度"),
            score_row(4, "2024年二季度"), score_row(5, "2024年2季度"), score_row(6, "2024 q2")]
case(id="季度：2024Q2、2024-Q2、2024年第二季度、2024年二季度、2024年2季度",
     build=lambda: ("积分.xlsx", xlsx({"比学争优": QUARTERS})),
     sheets={"比学争优": ("比学争优", 6, {}, "")},
     sql=[("SELECT quarter, count(*) FROM scores GROUP BY 1", [("2024Q2", 6)])])
case(id="季度（党员示范岗）：2024年二季度",
     build=lambda: ("示范岗.xlsx", xlsx({"党员示范岗": [canonical_header("model_posts"),
                                                    ["2024年二季度", "安全示范岗", "综采队", "检修班", "000001", "张三",
                                                     90, "√", "是", 88, "×", " 是 ", "优秀"]]})),
     sheets={"党员示范岗": ("党员示范岗", 1, {}, "")},
     sql=[("SELECT quarter, good_political, good_skill, good_performance, good_safety, good_teamwork, good_discipline "
           "FROM model_posts", [("2024Q2", "90", "是", "是", "88", "否", "是")])])
BOOLS = [ROSTER_HEADER, person(1, frontline="√", leader="×"), person(2, frontline="Y", leader="N"),
         person(3, frontline="有", leader="无"), person(4, frontline="是 ", leader=" 否"),
         person(5, frontline="　是　", leader="y")]
case(id="是/否：√/×、Y/N、有/无、带空格的是",
     build=lambda: ("名册.xlsx", xlsx({"人员名册": BOOLS})),
     sheets={"人员名册": ("人员名册", 5, {}, "")},
     sql=[("SELECT staff_id, frontline, team_leader FROM roster ORDER BY 1",
           [("000001", True, False), ("000002", True, False), ("000003", True, False), ("000004", True, False),
            ("000005", True, True)])])
PLACEHOLDERS = [[*ROSTER_HEADER, "岗位", "入党时间", "出生年月"],
                [*person(1), "—", "无", "/"], [*person(2), "--", "——", "无"], [*person(3), "采煤工", "2015-07-01", "1990.05"]]
case(id="“无”“—”“/”当作空白",
     build=lambda: ("名册.xlsx", xlsx({"人员名册": PLACEHOLDERS})),
     sheets={"人员名册": ("人员名册", 3, {}, "")},
     sql=[("SELECT staff_id, post, joined_on, birth_month FROM roster ORDER BY 1",
           [("000001", None, None, None), ("000002", None, None, None),
            ("000003", "采煤工", D(2015, 7, 1), D(1990, 5, 1))])])
case(id="必填列写“无”：必填项为空",
     build=lambda: ("名册.xlsx", xlsx({"人员名册": [ROSTER_HEADER, person(1), person(2, team="无"), person(3, political="—")]})),
     rejected=True,
     errors=[("人员名册", 3, "班组", "必填项为空"), ("人员名册", 4, "政治面貌", "必填项为空")])
LOST_ZEROS = [ROSTER_HEADER] + [[*person(i)[:3], sid, *person(i)[4:]]
                                 for i, sid in ((1, 1234), (2, 102345), (3, 102346), (4, "102347"))]
case(id="工号开头的0被Excel去掉：按文本保存并提醒",
     build=lambda: ("名册.xlsx", xlsx({"人员名册": LOST_ZEROS})),
     sheets={"人员名册": ("人员名册", 4, {}, "")},
     warnings=[("人员名册", 2, "工号", "工号是数字格式且比其他工号短（4 位，多数为 6 位），开头的0可能已丢失")],
     sql=[("SELECT staff_id FROM roster ORDER BY 1", [("102345",), ("102346",), ("102347",), ("1234",)])])
case(id="全角数字（工号０００１２３、分数８５）",
     build=lambda: ("积分.xlsx", xlsx({"比学争优": [SCORES_HEADER, ["２０２４Ｑ２", "综采队", "检修班", "０００１２３", "张三", "８５", "８０.５", "已审核"]]})),
     sheets={"比学争优": ("比学争优", 1, {}, "")},
     sql=[("SELECT quarter, staff_id, self_score, review_score FROM scores", [("2024Q2", "000123", 85.0, 80.5)])])
NAMES = [ROSTER_HEADER, [*person(1)[:4], "张　三", *person(1)[5:]], [*person(2)[:4], " 李 四 ", *person(2)[5:]],
         [*person(3)[:4], "买买提•艾力", *person(3)[5:]]]
case(id="姓名中的全角/半角空格被去掉并提醒",
     build=lambda: ("名册.xlsx", xlsx({"人员名册": NAMES})),
     sheets={"人员名册": ("人员名册", 3, {}, "")},
     warnings=[("人员名册", 2, "姓名", "姓名中含空格，已去除"), ("人员名册", 3, "姓名", "姓名中含空格，已去除")],
     sql=[("SELECT name FROM roster ORDER BY staff_id", [("张三",), ("李四",), ("买买提·艾力",)])])
ALIASES = [ROSTER_HEADER, person(1, political="党员"), person(2, political="预备党员"), person(3, political="团员"),
           person(4, political=" 群众 "), person(5, political="正式党员")]
case(id="政治面貌别名：党员、预备党员、团员",
     build=lambda: ("名册.xlsx", xlsx({"人员名册": ALIASES})),
     sheets={"人员名册": ("人员名册", 5, {}, "")},
     sql=[("SELECT political FROM roster ORDER BY staff_id",
           [("中共党员",), ("中共预备党员",), ("共青团员",), ("群众",), ("中共党员",)])])
case(id="办理状态别名：已办结、在办、未处理",
     build=lambda: ("台帐.xlsx", xlsx({"问题台帐": [PROBLEMS_HEADER,
                                                 problem_row("P1", status="已办结", feedback="2024-06-04", resolved="2024-06-05"),
                                                 problem_row("P2", status="在办"), problem_row("P3", status="未处理")]})),
     sheets={"问题台帐": ("问题台帐", 3, {}, "")},
     sql=[("SELECT problem_id, status, resolved_on FROM problems ORDER BY 1",
           [("P1", "已解决", D(2024, 6, 5)), ("P2", "办理中", None), ("P3", "待办理", None)])])
case(id="未知的政治面貌：拒绝并列出允许的取值",
     build=lambda: ("名册.xlsx", xlsx({"人员名册": [ROSTER_HEADER, person(1), person(2, political="民主党派")]})),
     rejected=True, errors=[("人员名册", 3, "政治面貌", "不是允许的取值")],
     check=lambda r, s: r.errors[0].hint == "允许的取值：中共党员、中共预备党员、共青团员、群众")
case(id="分数带“分”字",
     build=lambda: ("积分.xlsx", xlsx({"比学争优": [SCORES_HEADER, score_row(1, self_score="92分", review="90.5 分"),
                                                 score_row(2, self_score=" 88 ", review=None, status=None)]})),
     sheets={"比学争优": ("比学争优", 2, {}, "")},
     sql=[("SELECT staff_id, self_score, review_score, review_status FROM scores ORDER BY 1",
           [("000001", 92.0, 90.5, "已审核"), ("000002", 88.0, None, None)])])
case(id="分数超出范围（含千分位1,000分、负数）",
     build=lambda: ("积分.xlsx", xlsx({"比学争优": [SCORES_HEADER, score_row(1, self_score="1,000分"),
                                                 score_row(2, self_score=105), score_row(3, review=-3),
                                                 score_row(4, self_score="优秀")]})),
     rejected=True,
     errors=[("比学争优", 2, "自评总分", "超出范围 0–100"), ("比学争优", 3, "自评总分", "超出范围 0–100"),
             ("比学争优", 4, "支部审核分", "超出范围 0–100"), ("比学争优", 5, "自评总分", "不是数字")])

# =============================================================================================
# 8. Rows checked against each other
# =============================================================================================
case(id="完全相同的重复行：去重并提醒",
     build=lambda: ("名册.xlsx", xlsx({"人员名册": [*roster(n=3), roster(n=3)[1]]})),
     sheets={"人员名册": ("人员名册", 3, {"重复行": 1}, "")},
     warnings=[("人员名册", 5, "月份+工号", "与第 2 行完全相同，已去重")],
     sql=[ROSTER3_SQL])
case(id="同一工号两行内容不同：指出两行",
     build=lambda: ("名册.xlsx", xlsx({"人员名册": [*roster(n=3), person(1, political="群众")]})),
     rejected=True,
     errors=[("人员名册", 5, "月份+工号", "与第 2 行的月份+工号相同（2024-06-01、000001）但内容不同")])
case(id="发展党员日期顺序颠倒：该行报错",
     build=lambda: ("发展.xlsx", xlsx({"发展党员": [DEV_HEADER,
                                                dev_row(1, "2020-01-01", "2020-06-01", "2021-07-01", "2022-08-01", "2023-09-01"),
                                                dev_row(2, "2020-01-01", "2021-06-01", "2021-03-01", "2022-06-01", "2023-07-01")]})),
     rejected=True,
     errors=[("发展党员", 3, "确定发展对象时间", "「确定积极分子时间」应早于「确定发展对象时间」")])
case(id="积极分子不足一年即为发展对象：只提醒",
     build=lambda: ("发展.xlsx", xlsx({"发展党员": [DEV_HEADER,
                                                dev_row(1, "2020-01-01", "2020-06-01", "2020-12-18", "2022-01-01", "2023-01-05")]})),
     sheets={"发展党员": ("发展党员", 1, {}, "")},
     warnings=[("发展党员", 2, "确定发展对象时间", "积极分子培养不足一年即确定为发展对象（相隔 200 天）")],
     sql=[("SELECT count(*) FROM development", [(1,)])])
PAIR = ["000001", "张三", "机关", "000101", "李四", "综采队", "检修班"]
case(id="结对日期晚于解除日期：报错",
     build=lambda: ("包保.xlsx", xlsx({"包保对子": [PAIRS_HEADER, [*PAIR, "2023-01-05", "2023-12-31"],
                                                [*PAIR[:3], "000102", "王五", *PAIR[5:], "2024-03-01", "2024-01-01"]]})),
     rejected=True, errors=[("包保对子", 3, "解除日期", "「结对日期」应不晚于「解除日期」")])
case(id="问题台帐：发现≤反馈≤解决被打破",
     build=lambda: ("台帐.xlsx", xlsx({"问题台帐": [PROBLEMS_HEADER,
                                                problem_row("P1", found="2024-06-10", feedback="2024-06-05", status="办理中"),
                                                problem_row("P2", found="2024-06-10", feedback="2024-06-12", resolved="2024-06-11", status="已解决"),
                                                problem_row("P3", found="2024-06-10", feedback="2024-06-10", resolved="2024-06-10", status="已解决")]})),
     rejected=True,
     errors=[("问题台帐", 2, "反馈日期", "「发现日期」应不晚于「反馈日期」"),
             ("问题台帐", 3, "解决日期", "「反馈日期」应不晚于「解决日期」")])

# =============================================================================================
# 9. Checked against the stored 人员名册 (warnings only)
# =============================================================================================
ROSTER_0624 = lambda: ("综采队_2024年6月名册.xlsx", xlsx({"人员名册": roster(n=6)}))
case(id="名册里没有的队、班组、工号：提醒最接近的写法",
     before=[ROSTER_0624],
     build=lambda: ("综采队6月.xlsx", xlsx({
         "班组信息": [TEAM_HEADER, ["2024-06", "综采队", "赵林班", "生产班组", "综采队党支部", None, None],
                  ["2024-06", "综采队", "检修班", "辅助班组", "综采队党支部", "000001", name_of(1)]],
         "谈心记录": [TALKS_HEADER, ["2024-06-03", "000001", name_of(1), "综菜队", "000099", "张三", "面谈", None, "否", None]]})),
     sheets={"班组信息": ("班组信息", 2, {}, ""), "谈心记录": ("谈心记录", 1, {}, "")},
     warnings=[("班组信息", 2, "班组", "班组 '赵林班' 不在2024年6月人员名册中，是否为 '赵林生产班'？"),
               ("谈心记录", 2, "党员所在队", "队 '综菜队' 不在2024年6月人员名册中，是否为 '综采队'？"),
               ("谈心记录", 2, "职工工号", "工号 '000099' 不在2024年6月人员名册中")],
     sql=[("SELECT team FROM team_info ORDER BY team", [("检修班",), ("赵林班",)]),
          ("SELECT member_unit, worker_id FROM talks", [("综菜队", "000099")])])

# =============================================================================================
# 10. 问题台帐 is updated in place by 问题编号
# =============================================================================================
LEDGER_1 = lambda: ("台帐6月.xlsx", xlsx({"问题台帐": [PROBLEMS_HEADER, problem_row("P001"), problem_row("P002"),
                                                    problem_row("P003")]}))


def _ledger_replaced(result, store):
    assert [r.text for r in result.replacements] == ["将替换 2 个问题编号 问题台帐（已有 1 行，新 2 行）"]


case(id="问题台帐按编号更新：只替换相同编号的行",
     before=[LEDGER_1],
     build=lambda: ("台帐7月.xlsx", xlsx({"问题台帐": [PROBLEMS_HEADER,
                                                   problem_row("P002", status="已办结", feedback="2024-06-05", resolved="2024-07-01"),
                                                   problem_row("P004", found="2024-07-02")]})),
     sheets={"问题台帐": ("问题台帐", 2, {}, "")},
     sql=[("SELECT problem_id, found_on, status, resolved_on FROM problems ORDER BY 1",
           [("P001", D(2024, 6, 3), "待办理", None), ("P002", D(2024, 6, 3), "已解决", D(2024, 7, 1)),
            ("P003", D(2024, 6, 3), "待办理", None), ("P004", D(2024, 7, 2), "待办理", None)])],
     check=_ledger_replaced)

# =============================================================================================
# 11. 比学争优 score items
# =============================================================================================
ITEMS_HEADER = ["季度", "队", "班组", "工号", "姓名", "安全", "生产", "学习（满分20）", "自评总分", "支部审核分"]
case(id="比学争优的分项列保存到items",
     build=lambda: ("积分.xlsx", xlsx({"比学争优": [ITEMS_HEADER,
                                                ["2024Q2", "综采队", "检修班", "000001", "张三", 30, "35分", 18.5, 83.5, 80],
                                                ["2024Q2", "综采队", "检修班", "000002", "李四", 28, None, "—", 60, None]]})),
     sheets={"比学争优": ("比学争优", 2, {}, "")},
     sql=[("SELECT staff_id, self_score, items FROM scores ORDER BY 1",
           [("000001", 83.5, json.dumps({"安全": 30.0, "生产": 35.0, "学习": 18.5}, ensure_ascii=False)),
            ("000002", 60.0, json.dumps({"安全": 28.0}, ensure_ascii=False))])])
case(id="比学争优：岗位、联系电话、身份证号不是分项，只提醒",
     build=lambda: ("积分.xlsx", xlsx({"比学争优": [
         ["季度", "队", "班组", "工号", "姓名", "岗位", "安全", "生产", "自评总分", "联系电话", "身份证号"],
         ["2024Q2", "综采队", "检修班", "000001", "张三", "采煤工", 30, 35, 65, PHONE, ID_CARD],
         ["2024Q2", "综采队", "检修班", "000002", "李四", "电工", 28, 30, 58, int(PHONE) + 1, None]]})),
     sheets={"比学争优": ("比学争优", 2, {}, "")},
     warnings=[("比学争优", 1, "岗位", "未识别的列「岗位」，未导入"), ("比学争优", 1, "联系电话", "未识别的列「联系电话」，未导入"),
               ("比学争优", 1, "身份证号", "未识别的列「身份证号」，未导入")],
     sql=[("SELECT staff_id, items FROM scores ORDER BY 1",
           [("000001", '{"安全": 30.0, "生产": 35.0}'), ("000002", '{"安全": 28.0, "生产": 30.0}')])],
     check=_no_personal_data)
case(id="比学争优分项超出范围：报错",
     build=lambda: ("积分.xlsx", xlsx({"比学争优": [ITEMS_HEADER,
                                                ["2024Q2", "综采队", "检修班", "000001", "张三", 130, 35, 18, 83, 80],
                                                ["2024Q2", "综采队", "检修班", "000002", "李四", 30, "良好", 18, 83, 80]]})),
     rejected=True,
     errors=[("比学争优", 2, "安全", "分项得分：超出范围 0–100"), ("比学争优", 3, "生产", "分项得分：不是数字")])


# =============================================================================================
# 12. A mine-wide 谈心记录 without 党员所在队: each row's 队 from the 包保对子 or the 人员名册
# =============================================================================================
MINE_ROSTERS = lambda: ("2024年6月名册.xlsx", xlsx({"综采队": roster(n=4), "机运队": roster(unit="机运队", n=4, start=101)}))
ZONGJUE_PAIRS = lambda: ("综掘队包保.xlsx", xlsx({"包保对子": [PAIRS_HEADER, [
    "000201", name_of(201), "综掘队", "000002", name_of(2), "综采队", "检修班", "2024-01-05", None]]}))
TALKS_NO_UNIT = ["谈心日期", "党员工号", "党员姓名", "职工工号", "职工姓名", "谈心方式", "谈心内容"]


def _talk(day, member, worker):
    return [day, f"{member:06d}", name_of(member), f"{worker:06d}", name_of(worker), "面对面", "家常"]


case(id="全矿谈心记录没有党员所在队：按包保对子和人员名册逐行确定",
     before=[MINE_ROSTERS, ZONGJUE_PAIRS],
     build=lambda: ("谈心记录.xlsx", xlsx({"谈心记录": [["2024年6月党员亲情谈心记录"], TALKS_NO_UNIT,
                                                    _talk("2024-06-03", 1, 2), _talk("2024-06-05", 101, 102),
                                                    _talk("2024-06-07", 201, 3)]})),
     sheets={"谈心记录": ("谈心记录", 3, {}, "")},
     warnings=[("谈心记录", 5, "党员所在队", "队 '综掘队' 不在2024年6月人员名册中"),
               ("谈心记录", 5, "党员工号", "工号 '000201' 不在2024年6月人员名册中")],
     sql=[("SELECT talk_date, member_id, member_unit FROM talks ORDER BY talk_date",
           [(D(2024, 6, 3), "000001", "综采队"), (D(2024, 6, 5), "000101", "机运队"),
            (D(2024, 6, 7), "000201", "综掘队")])],
     check=lambda r, s: r.sheet_rows()[0]["scope"] == ["综采队 2024年6月", "机运队 2024年6月", "综掘队 2024年6月"])
case(id="全矿谈心记录中有包保对子和名册都没有的党员：报错并列出工号",
     before=[MINE_ROSTERS, ZONGJUE_PAIRS],
     build=lambda: ("谈心记录.xlsx", xlsx({"谈心记录": [TALKS_NO_UNIT, _talk("2024-06-03", 1, 2),
                                                    _talk("2024-06-04", 888, 3), _talk("2024-06-05", 777, 4)]})),
     rejected=True,
     errors=[("谈心记录", 3, "党员所在队",
              "不知道这些党员属于哪个队：党员工号 000777、000888 在包保对子和人员名册中都找不到（共 2 行：第 3、4 行）")])

# =============================================================================================
# 13. Files of other kinds: each sheet named, the 12 types listed once, a closest type only with its own columns
# =============================================================================================
BRANCH_COMMITTEE = [["综采队党支部委员会成员名单"], ["序号", "姓名", "性别", "出生年月", "职务", "单位", "任职时间"],
                    [1, "张建国", "男", "1978-05", "党支部书记", "综采队", "2021-06-18"],
                    [2, "李卫东", "男", "1983-11", "组织委员", "综采队", "2021-06-18"]]
MEETING_RECORD = [["序号", "会议时间", "会议地点", "主持人", "参会人员", "主要内容", "记录人"],
                  [1, "2024-04-08", "综采队会议室", "张建国", "李卫东、王秀英", "学习安全生产规程", "王秀英"]]
KINDS_AND_TEMPLATE = ("系统接收 12 种报表：人员名册、班组信息、发展党员、包保对子、谈心记录、问题台帐、党员责任区、党员示范岗、"
                      "比学争优、管理委员会、理念口号、荣誉。请按报表模板的表头填写：数据上传页「下载报表模板」，"
                      "或运行 python -m lib.cli template。")
case(id="另一类文件：党支部委员名单和会议记录（不说“最接近管理委员会/谈心记录”）",
     build=lambda: ("2024年6月党建材料.xlsx", xlsx({"党支部委员": BRANCH_COMMITTEE, "会议记录": MEETING_RECORD})),
     rejected=True,
     errors=[("", None, "", "文件中没有可识别的报表")],
     warnings=[("党支部委员", None, "", "工作表「党支部委员」不是系统接收的报表（没有找到任何一种报表的表头），未导入"),
               ("会议记录", None, "", "工作表「会议记录」不是系统接收的报表（没有找到任何一种报表的表头），未导入")],
     sheets={"党支部委员": (None, 0, {}, "未识别的工作表"), "会议记录": (None, 0, {}, "未识别的工作表")},
     check=lambda r, s: r.errors[0].hint == "工作表「党支部委员」「会议记录」都不是系统接收的报表。" + KINDS_AND_TEMPLATE)
case(id="另一类文件：公开系统的发展党员台账（学工号、提交书面申请书时间…，没有队）仍提示最接近发展党员",
     build=lambda: ("发展党员.xlsx", xlsx({"发展党员台账": [
         ["学工号", "姓名", "提交书面申请书时间", "确定为入党积极分子时间", "确定为发展对象时间", "入党时间", "转正时间"],
         ["000001", "张三", "2021-03-05", "2021-09-01", "2022-10-08", "2023-06-20", "2024-06-21"]]})),
     rejected=True,
     errors=[("", None, "", "文件中没有可识别的报表")],
     warnings=[("发展党员台账", 1, "",
                "工作表「发展党员台账」未能识别：最接近「发展党员」，但缺少表头 班组、是否一线职工、是否班组长")],
     check=lambda r, s: r.errors[0].hint == ("工作表「发展党员台账」未能识别：最接近「发展党员」，但缺少表头 班组、是否一线职工、"
                                            "是否班组长。" + KINDS_AND_TEMPLATE))

# =============================================================================================
# The test
# =============================================================================================
def _match(problems, expected, kind):
    """Every expected (sheet, row, column, text) matches one problem, and nothing is left over."""
    left = list(problems)
    for sheet, row, column, text in expected:
        found = next((p for p in left if (p.sheet, p.row, p.column) == (sheet, row, column) and text in p.message),
                     None)
        assert found is not None, f"{kind} not found: {(sheet, row, column, text)}; got {_show(left)}"
        left.remove(found)
    assert not left, f"unexpected {kind}: {_show(left)}"


def _show(problems):
    return [(p.sheet, p.row, p.column, p.message, p.hint) for p in problems]


ALL_TABLES = [s.key for s in SHEETS] + [f"{s.key}__replaced" for s in SHEETS] + ["imports"]


@pytest.fixture(scope="module")
def corpus_store(tmp_path_factory):
    s = Store(tmp_path_factory.mktemp("corpus") / "corpus.duckdb")
    yield s
    s.close()


@pytest.fixture
def empty_store(corpus_store):
    """One database for the corpus, emptied before each case (cheaper than creating one each time)."""
    with corpus_store.transaction() as cur:
        for table in ALL_TABLES:
            cur.execute(f"DELETE FROM {table}")
    return corpus_store


def test_corpus_is_large_enough():
    assert len(CASES) >= 40
    assert len({c.id for c in CASES}) == len(CASES)


# pytest shows non-ASCII ids escaped; the ASCII prefix lets `-k Case07` pick one case.
@pytest.mark.parametrize("c", CASES, ids=[f"Case{i:02d}_{c.id}" for i, c in enumerate(CASES, 1)])
def test_corpus(c: Case, empty_store):
    store = empty_store
    assert c.rejected or (c.sheets and c.sql), "an accepted case states its rows and values"
    for setup in c.before or ([lambda: SEED] if c.rejected else []):
        name, data = setup()
        assert import_file(store, data, name, CORPUS_USER).status == IMPORTED
    before = fingerprint(store)
    imports_before = store.cursor().execute("SELECT count(*) FROM imports").fetchone()
    name, data = c.build()
    result = import_file(store, data, name, CORPUS_USER, context=c.context)

    if c.rejected:
        assert result.status == REJECTED, _show(result.all_findings)
        assert fingerprint(store) == before
        assert store.cursor().execute("SELECT count(*) FROM imports").fetchone() == imports_before
        assert result.import_id is None
    else:
        assert result.status == IMPORTED, _show(result.errors)

    if c.file_error:
        message, hint = c.file_error
        assert _show(result.errors) == [("", None, "", message, result.errors[0].hint)]
        assert hint in result.errors[0].hint
    else:
        _match(result.errors, c.errors, "error")
    _match(result.warnings, c.warnings, "warning")

    if c.fmt:
        assert result.file_format == c.fmt
    assert result.missing_context == c.missing_context
    if c.sheets is not None:
        got = {r["sheet"]: (r["type"], r["rows_loaded"], r["dropped"], r["skipped"]) for r in result.sheet_rows()}
        assert got == c.sheets
    for query, rows in c.sql:
        assert store.cursor().execute(query).fetchall() == rows, query
    if c.check:
        outcome = c.check(result, store)
        assert outcome is None or outcome is True

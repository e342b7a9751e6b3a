"""Uploaded bytes → raw sheets.

The lowest layer of the importer. It decides the format from the bytes (never from the file
name), refuses dangerous or broken files with one Chinese message each (``FileRejected``),
and returns the cells exactly as the workbook stores them: no value is turned into text, no
header is looked for, nothing is cleaned. The cleaners above decide what a cell means.

Safety comes before parsing: the size of the upload, the zip directory (sizes, compression
ratio, member count), every zip member's real size and checksum (a zip may lie in its
directory), XML prologs (no DTD, no entities) and the cell area a sheet would occupy in memory
are all checked before python-calamine is given the file.
"""
from __future__ import annotations

import array
import codecs
import csv
import datetime as dt
import io
import itertools
import posixpath
import re
import struct
import sys
import zipfile
import zlib
from dataclasses import dataclass, field

import defusedxml  # noqa: F401  (a hard dependency: openpyxl switches to it when installed)
import python_calamine
from defusedxml import ElementTree as SafeET

from lib import config

__all__ = ["FileRejected", "RawSheet", "RawWorkbook", "sniff_format", "read_workbook"]

FORMATS = ("xlsx", "xlsm", "xls", "et", "csv")

# Limits that only the reader needs. config.py may override them.
MAX_ZIP_MEMBERS = getattr(config, "MAX_ZIP_MEMBERS", 10_000)
# A member this small cannot be a bomb, whatever its ratio (tiny XML parts compress 300×).
RATIO_CHECK_MIN_BYTES = 1024 * 1024
# Width × height of the cell area calamine materialises for one sheet (about 32 bytes a cell in
# Rust, plus 8 in Python). A stray value in cell XFD1 above 10,000 rows would otherwise cost 5 GB.
MAX_SHEET_CELLS = getattr(config, "MAX_SHEET_CELLS", 10_000_000)
MAX_WORKBOOK_CELLS = getattr(config, "MAX_WORKBOOK_CELLS", 2 * MAX_SHEET_CELLS)
# workbook.xml / its .rels / [Content_Types].xml are read whole; real ones are a few KB.
MAX_SMALL_PART_BYTES = 32 * 1024 * 1024

_OUT_CHUNK = 4 * 1024 * 1024    # decompressed bytes handed on at a time
_IN_CHUNK = 1024 * 1024         # compressed bytes fed to zlib at a time
_XML_HEAD = 64 * 1024           # an XML part's prolog must end within this
_BOMB_MARGIN = 16 * 1024 * 1024 # inflating this far past a member's declared size = a bomb

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_BINARY_MAGICS = (b"%PDF", b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"Rar!", b"7z\xbc\xaf",
                  b"\x1f\x8b", b"BM", b"MZ", b"PK\x05\x06", b"PK\x07\x08")

# ---------------------------------------------------------------------------------------------
# Messages (shown to the user as they are)
# ---------------------------------------------------------------------------------------------
HINT_UPLOAD_TYPES = "请上传 .xlsx、.xls、.et 或 .csv 文件"
HINT_RESAVE_XLSX = "请用Excel/WPS打开后另存为 .xlsx 再上传"
MSG_EMPTY = "文件是空的"
MSG_BOMB = "文件解压后过大，疑似压缩炸弹，已拒绝"
MSG_UNSAFE = "文件包含不安全的内容，已拒绝"
MSG_PASSWORD = "文件设置了密码，无法读取"
HINT_PASSWORD = "请取消密码后上传"
MSG_WEBPAGE = "这是网页文件（另存为了.xls），不是真正的Excel表格"
MSG_NOT_EXCEL = "不是Excel表格文件（可能是Word文档或普通压缩包）"
MSG_UNKNOWN = "无法识别的文件格式，不是Excel表格或CSV文件"
MSG_CORRUPT = "文件已损坏或不完整"
HINT_CORRUPT = "请重新保存或重新导出后上传"


class FileRejected(Exception):
    """A whole-file failure the user caused; .message is Chinese, shown as is."""

    def __init__(self, message: str, hint: str = ""):
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return f"{self.message}（{self.hint}）" if self.hint else self.message


@dataclass
class RawSheet:
    name: str
    # rows[0] is Excel row 1, rows[r][0] is column A; trailing empty cells are trimmed.
    # Values: None, str, int, float, bool, datetime.date, datetime.datetime, datetime.time.
    rows: list[list]
    hidden: bool = False
    hidden_rows: frozenset[int] = frozenset()
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)


@dataclass
class RawWorkbook:
    format: str                      # 'xlsx' | 'xlsm' | 'xls' | 'et' | 'csv'
    sheets: list[RawSheet]
    formula_cells_without_value: int = 0
    encoding: str | None = None      # for csv


def _corrupt(hint: str = HINT_CORRUPT) -> FileRejected:
    return FileRejected(MSG_CORRUPT, hint=hint)


def _bomb() -> FileRejected:
    return FileRejected(MSG_BOMB, hint="请确认上传的是正常导出的报表文件")


def _password() -> FileRejected:
    return FileRejected(MSG_PASSWORD, hint=HINT_PASSWORD)


def _too_large(sheet: str, rows: int, cols: int) -> FileRejected:
    return FileRejected(
        f"工作表「{sheet}」的数据范围过大（约 {rows} 行 × {cols} 列），可能在很远的单元格里有多余内容",
        hint="请删除数据区域以外的多余内容（或把需要的数据复制到新表）后再上传")


def _is_et(filename: str) -> bool:
    return filename.lower().rstrip().endswith(".et")


def _human_size(n: int) -> str:
    return f"{n / 1024 / 1024:.1f} MB"


# ---------------------------------------------------------------------------------------------
# Format detection
# ---------------------------------------------------------------------------------------------
def sniff_format(data: bytes, filename: str = "") -> str:
    """'xlsx' | 'xlsm' | 'xls' | 'et' | 'csv', decided from the bytes; raises FileRejected.

    Zip files are checked from their directory here (size, ratio, member count); the deeper
    checks (real member sizes, XML prologs) happen in read_workbook before parsing.
    """
    fmt, context = _sniff(data, filename)
    if isinstance(context, zipfile.ZipFile):
        context.close()
    return fmt


def _sniff(data: bytes, filename: str):
    """(format, context): context is the ZipFile for OOXML, (text, encoding) for csv."""
    if not isinstance(data, bytes):
        data = bytes(data)
    if len(data) > config.MAX_FILE_BYTES:
        raise FileRejected(
            f"文件过大（{_human_size(len(data))}），超过 {_human_size(config.MAX_FILE_BYTES)} 的上限",
            hint="请删除多余的工作表和图片后重新保存，或按队拆分后分别上传")
    if _is_blank(data):
        raise FileRejected(MSG_EMPTY, hint="请确认选择了正确的文件")
    if data.startswith(ZIP_MAGIC):
        zf = _open_zip(data)
        return _ooxml_format(zf, filename), zf
    if data.startswith(OLE_MAGIC):
        _check_ole(data)
        return ("et" if _is_et(filename) else "xls"), None
    if data.startswith(_BINARY_MAGICS):
        raise FileRejected(MSG_UNKNOWN, hint=HINT_UPLOAD_TYPES)
    _check_markup(data)
    decoded = _decode_text(data)
    if decoded is None or not _looks_delimited(decoded[0]):
        raise FileRejected(MSG_UNKNOWN, hint=HINT_UPLOAD_TYPES)
    return "csv", decoded


def _is_blank(data: bytes) -> bool:
    """0 bytes, or only whitespace (optionally after a BOM, in UTF-8 or UTF-16)."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        if len(data) > 65536:
            return False
        try:
            return not data.decode("utf-16").strip()
        except UnicodeDecodeError:
            return False
    if data.startswith(codecs.BOM_UTF8):
        data = data[3:]
    return not data[:65536].strip() and not data.strip()


def _text_head(data: bytes, size: int = 4096) -> str:
    head = data[:size]
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text = head.decode("utf-16", errors="ignore")
    elif head[:2] in (b"<\x00", b"\x00<"):
        text = head.decode("utf-16-le" if head[0] == 0x3C else "utf-16-be", errors="ignore")
    else:
        text = head.decode("utf-8", errors="ignore")
    return text.lstrip("\ufeff \t\r\n\x00").lower()


_HTML_MARKERS = ("<html", "<!doctype html", "<table", "<head", "<body", "<meta", "<style")


def _check_markup(data: bytes) -> None:
    """Refuse web pages and other markup that Excel users save with an .xls name."""
    head = _text_head(data)
    if head.startswith("mime-version") or (
            re.match(r"[a-z][a-z-]*:", head) and "mime-version:" in head[:2048]):
        raise FileRejected(MSG_WEBPAGE, hint=HINT_RESAVE_XLSX)
    if not head.startswith("<"):
        return
    if head.startswith(_HTML_MARKERS) or any(m in head for m in ("<html", "<table")):
        raise FileRejected(MSG_WEBPAGE, hint=HINT_RESAVE_XLSX)
    if "urn:schemas-microsoft-com:office:spreadsheet" in head or "excel.sheet" in head:
        raise FileRejected("这是Excel 2003 XML表格，不是真正的Excel表格文件", hint=HINT_RESAVE_XLSX)
    raise FileRejected(MSG_UNKNOWN, hint=HINT_UPLOAD_TYPES)


# ---------------------------------------------------------------------------------------------
# Zip (xlsx / xlsm / WPS .et in OOXML form)
# ---------------------------------------------------------------------------------------------
def _zip_entry_count(data: bytes) -> int:
    """Member count from the end-of-central-directory record, before zipfile builds anything."""
    pos = data.rfind(b"PK\x05\x06", max(0, len(data) - 65557))
    if pos < 0 or pos + 22 > len(data):
        raise _corrupt()
    count = struct.unpack_from("<H", data, pos + 10)[0]
    if count == 0xFFFF and pos >= 20 and data[pos - 20:pos - 16] == b"PK\x06\x07":
        z64 = struct.unpack_from("<Q", data, pos - 12)[0]
        if z64 + 56 <= len(data) and data[z64:z64 + 4] == b"PK\x06\x06":
            count = struct.unpack_from("<Q", data, z64 + 32)[0]
    return count


def _open_zip(data: bytes) -> zipfile.ZipFile:
    if _zip_entry_count(data) > MAX_ZIP_MEMBERS:
        raise _bomb()
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = zf.infolist()
    except Exception:  # BadZipFile, LargeZipFile, struct.error, ValueError, ...
        raise _corrupt() from None
    if len(infos) > MAX_ZIP_MEMBERS:
        raise _bomb()
    if len({i.filename for i in infos}) != len(infos):
        raise _corrupt()  # duplicate member names: readers would disagree on which one counts
    total = 0
    for info in infos:
        total += info.file_size
        if info.file_size > RATIO_CHECK_MIN_BYTES and (
                info.compress_size <= 0
                or info.file_size / info.compress_size > config.MAX_ZIP_RATIO):
            raise _bomb()
    if total > config.MAX_UNZIPPED_BYTES:
        raise _bomb()
    return zf


def _ooxml_format(zf: zipfile.ZipFile, filename: str) -> str:
    names = set(zf.namelist())
    if "xl/workbook.xml" not in names:
        if "xl/workbook.bin" in names:
            raise FileRejected("这是Excel二进制工作簿（.xlsb），暂不支持", hint=HINT_RESAVE_XLSX)
        if "mimetype" in names and _read_small(zf, "mimetype", 1024).startswith(
                b"application/vnd.oasis.opendocument.spreadsheet"):
            raise FileRejected("这是OpenDocument表格（.ods），暂不支持", hint=HINT_RESAVE_XLSX)
        raise FileRejected(MSG_NOT_EXCEL, hint=HINT_UPLOAD_TYPES)
    if any(i.flag_bits & 0x1 for i in zf.infolist()):
        raise _password()
    if _is_et(filename):
        return "et"
    content_types = _read_small(zf, "[Content_Types].xml", 1024 * 1024)
    return "xlsm" if b"macroenabled" in content_types.lower() else "xlsx"


def _read_small(zf: zipfile.ZipFile, name: str, limit: int) -> bytes:
    """Up to `limit` bytes of a member (zipfile never inflates past the declared size)."""
    try:
        with zf.open(name) as f:
            return f.read(limit)
    except KeyError:
        return b""
    except Exception:
        raise _corrupt() from None


def _inflate(data: bytes, info: zipfile.ZipInfo):
    """Yield a member's bytes in chunks, checking its REAL size against the directory.

    zlib is driven directly so that a member which inflates past its declared size (a zip
    that lies in its directory) is stopped after at most one chunk, and a wrong checksum or a
    truncated stream is reported as a corrupt file.
    """
    off = info.header_offset
    if off < 0 or data[off:off + 4] != ZIP_MAGIC:
        raise _corrupt()
    name_len, extra_len = struct.unpack_from("<HH", data, off + 26)
    start = off + 30 + name_len + extra_len
    end = start + info.compress_size
    if end > len(data):
        raise _corrupt()
    view = memoryview(data)
    crc = 0
    total = 0
    if info.compress_type == zipfile.ZIP_STORED:
        if info.compress_size != info.file_size:
            raise _corrupt()
        for pos in range(start, end, _OUT_CHUNK):
            chunk = bytes(view[pos:min(pos + _OUT_CHUNK, end)])
            crc = zlib.crc32(chunk, crc)
            yield chunk
        total = info.file_size
    elif info.compress_type == zipfile.ZIP_DEFLATED:
        inflater = zlib.decompressobj(-15)
        pos = start
        try:
            while not inflater.eof:
                piece, pos = _next_piece(inflater, view, pos, end)
                if piece is None:
                    break
                out = inflater.decompress(piece, _OUT_CHUNK)
                total += len(out)
                if total > info.file_size:
                    _overflow(inflater, view, pos, end, total - info.file_size)
                if out:
                    crc = zlib.crc32(out, crc)
                    yield out
        except zlib.error:
            raise _corrupt() from None
        if not inflater.eof:
            raise _corrupt()
    else:
        raise _corrupt()
    if total != info.file_size or (crc & 0xFFFFFFFF) != info.CRC:
        raise _corrupt()


def _next_piece(inflater, view, pos: int, end: int):
    """The next compressed input for `inflater`: what it left unconsumed, else the next chunk."""
    if inflater.unconsumed_tail:
        return inflater.unconsumed_tail, pos
    if pos < end:
        piece = view[pos:min(pos + _IN_CHUNK, end)]
        return piece, pos + len(piece)
    return None, pos


def _overflow(inflater, view, pos: int, end: int, excess: int) -> None:
    """A member inflates past its declared size: a lying directory (bomb) or a damaged file.

    Inflate (and discard) up to _BOMB_MARGIN more bytes: a stream that ends within it is
    damaged; one that keeps going is treated as a bomb.
    """
    try:
        while excess <= _BOMB_MARGIN and not inflater.eof:
            piece, pos = _next_piece(inflater, view, pos, end)
            if piece is None:
                break
            excess += len(inflater.decompress(piece, _OUT_CHUNK))
    except zlib.error:
        raise _corrupt() from None
    if excess > _BOMB_MARGIN:
        raise _bomb()
    raise _corrupt()


_XML_SUFFIXES = (".xml", ".rels", ".vml")
_PROLOG = re.compile(rb"(?:\s+|<\?.*?\?>|<!--.*?-->)*", re.S)


def _xml_head_unsafe(head: bytes, complete: bool) -> bool:
    """True if an XML part declares a DTD/entities (or hides its prolog beyond the head)."""
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or head[:2] in (b"<\x00", b"\x00<"):
        enc = "utf-16" if head[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE) else (
            "utf-16-le" if head[:1] == b"<" else "utf-16-be")
        head = head.decode(enc, errors="ignore").encode("utf-8")
    if head.startswith(codecs.BOM_UTF8):
        head = head[3:]
    if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
        return True
    rest = head[_PROLOG.match(head).end():]
    if not rest:
        return not complete
    return rest.startswith(b"<!")


def _verify_member(data: bytes, info: zipfile.ZipInfo, sink=None, keep: bool = False) -> bytes:
    """Inflate one member completely (real size, CRC, XML prolog); feed `sink`; return bytes if keep."""
    is_xml = info.filename.lower().endswith(_XML_SUFFIXES)
    head = b""
    head_done = not is_xml
    kept = []
    for chunk in _inflate(data, info):
        if not head_done:
            head += chunk[:_XML_HEAD - len(head)]
            if len(head) >= _XML_HEAD:
                if _xml_head_unsafe(head, complete=False):
                    raise FileRejected(MSG_UNSAFE, hint=HINT_RESAVE_XLSX)
                head_done = True
        if sink is not None:
            sink.feed(chunk)
        if keep:
            kept.append(chunk)
    if not head_done and _xml_head_unsafe(head, complete=True):
        raise FileRejected(MSG_UNSAFE, hint=HINT_RESAVE_XLSX)
    if sink is not None:
        sink.close()
    return b"".join(kept)


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _sheet_paths(workbook_xml: bytes, rels_xml: bytes) -> list[tuple[str, str]]:
    """[(sheet name, zip path of its XML)] in workbook order (worksheets and others)."""
    try:
        wb_root = SafeET.fromstring(workbook_xml)
        rels_root = SafeET.fromstring(rels_xml) if rels_xml else None
    except SafeET.ParseError:
        raise _corrupt() from None
    except Exception:  # defusedxml's DTD / entity refusals
        raise FileRejected(MSG_UNSAFE, hint=HINT_RESAVE_XLSX) from None
    targets = {}
    if rels_root is not None:
        for rel in rels_root.iter():
            if _local(rel.tag) == "Relationship" and rel.get("TargetMode") != "External":
                target = (rel.get("Target") or "").replace("\\", "/")
                path = target.lstrip("/") if target.startswith("/") else posixpath.normpath(
                    posixpath.join("xl", target))
                targets[rel.get("Id")] = path
    out = []
    for el in wb_root.iter():
        if _local(el.tag) != "sheet":
            continue
        rid = next((v for k, v in el.attrib.items() if _local(k) == "id"), None)
        if el.get("name") is not None and rid in targets:
            out.append((el.get("name"), targets[rid]))
    return out


# ---- the streaming worksheet scan -----------------------------------------------------------
_ROOT_RE = re.compile(rb"<(?:(\w+):)?(?:worksheet|dialogsheet|macrosheet)\b")
_R_ATTR = re.compile(rb"""\br\s*=\s*["'](\d+)["']""")
_CELL_REF = re.compile(rb"""\br\s*=\s*["']([A-Z]{1,3})(\d+)["']""")
_REGEX_CACHE: dict[bytes, dict] = {}


def _sheet_regexes(p: bytes) -> dict:
    """Patterns and tags for one namespace prefix (b'' or e.g. b'x:'), built once."""
    got = _REGEX_CACHE.get(p)
    if got is None:
        e = re.escape(p)
        value_ahead = rb"(?=\s*<" + e + rb"(?:f|v|is)[\s>/])"
        got = {
            "prefix": p,
            "row": b"<" + p + b"row",
            "cell": b"<" + p + b"c",
            "cell_end": b"</" + p + b"c>",
            "cell_r_first": b"<" + p + b'c r="',
            "hidden_row": re.compile(rb"<" + e + rb"row\s[^>]*?\bhidden\s*=\s*[\"'](?:1|true)[\"']"),
            # a formula element not followed by a non-empty cached value
            "bare_formula": re.compile(
                rb"<" + e + rb"f(?:\s[^>]*)?(?:/>|>[^<]*</" + e + rb"f>)(?!\s*<" + e
                + rb"v(?:\s[^>]*)?>[^<])"),
            "error_type": re.compile(rb"""t\s*=\s*["']e["']"""),
            "valued": re.compile(rb"<" + e + rb"(?:v|is|f)[\s>/]"),
            # cells holding a value in a column of two or three letters (AA and beyond)
            "wide_fast": re.compile(rb"<" + e + rb'c r="([A-Z]{2,3})[0-9]+"[^>]*>' + value_ahead),
            "wide_any": re.compile(rb"<" + e + rb"c\s[^>]*?\br\s*=\s*[\"']([A-Z]{2,3})[0-9]+[\"'][^>]*>"
                                   + value_ahead),
            "any_col": re.compile(rb"<" + e + rb"c\s[^>]*?\br\s*=\s*[\"']([A-Z]{1,3})[0-9]+[\"'][^>]*>"
                                  + value_ahead),
            "value": re.compile(rb"<" + e + rb"v(?:\s[^>]*)?>([^<]*)</" + e + rb"v>"),
        }
        _REGEX_CACHE[p] = got
    return got


def _col_index(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + (ch - 64)
    return n - 1


def _sheet_prefix(head: bytes) -> bytes | None:
    """Namespace prefix of the root element (b'' for the default namespace); None if not seen yet."""
    m = _ROOT_RE.search(head, 0, 1 << 20)
    if m is None:
        return None
    return (m.group(1) + b":") if m.group(1) else b""


def _last_row_start(seg: bytes, row_tag: bytes, end: int) -> int:
    """Offset of the last row element starting before `end` (not <rowBreaks> etc.), or -1."""
    n = len(row_tag)
    while True:
        i = seg.rfind(row_tag, 0, end)
        if i < 0 or seg[i + n:i + n + 1] in (b" ", b">", b"/", b"\t", b"\n", b"\r"):
            return i
        end = i


class _SheetScan:
    """One pass over a worksheet's XML bytes, chunk by chunk, cut at row boundaries.

    Collects hidden rows, formula cells without a cached value, error cells (calamine turns
    them into empty strings) and the extent of the cells holding a value. Everything is a
    C-level search over bytes; Python only touches the (rare) matches.
    """

    _MAX_BUFFER = 64 * 1024 * 1024

    def __init__(self):
        self.buf = b""
        self.rx: dict | None = None
        self.hidden: set[int] = set()
        self.bare_formulas = 0
        self.errors: list[tuple[int, int, str]] = []
        self.rows_seen = 0            # index of the first row of the current segment
        self.max_row = -1             # last row index holding a value
        self.max_col = -1             # widest valued column among those of 2+ letters
        self._count_at = (0, 0)       # (offset in segment, row elements before it)

    def feed(self, chunk: bytes) -> None:
        buf = self.buf + chunk if self.buf else chunk
        if self.rx is None:
            prefix = _sheet_prefix(buf)
            if prefix is None and len(buf) < (1 << 20):
                self.buf = buf
                return
            self.rx = _sheet_regexes(prefix or b"")
        cut = _last_row_start(buf, self.rx["row"], len(buf))
        if cut <= 0:
            if len(buf) < self._MAX_BUFFER:
                self.buf = buf
                return
            cut = len(buf)
        self._segment(buf[:cut])
        self.buf = buf[cut:]

    def close(self) -> None:
        if self.rx is None:
            self.rx = _sheet_regexes(_sheet_prefix(self.buf) or b"")
        if self.buf:
            self._segment(self.buf)
            self.buf = b""

    def _row_index_at(self, seg: bytes, row_start: int) -> int:
        """0-based index of the row element that starts at row_start."""
        tag_end = seg.find(b">", row_start)
        m = _R_ATTR.search(seg, row_start, tag_end if tag_end >= 0 else len(seg))
        if m:
            return int(m.group(1)) - 1
        # no r attribute (optional in OOXML): count the row elements before it, incrementally
        row_tag = self.rx["row"]
        pos, before = self._count_at
        if row_start < pos:
            pos, before = 0, 0
        before += seg.count(row_tag + b" ", pos, row_start) + seg.count(row_tag + b">", pos, row_start)
        self._count_at = (row_start, before)
        return self.rows_seen + before

    def _segment(self, seg: bytes) -> None:
        rx = self.rx
        self._count_at = (0, 0)
        # cheap literal checks first: most sheets have no hidden rows and no error cells
        if b"hidden" in seg:
            for m in rx["hidden_row"].finditer(seg):
                self.hidden.add(self._row_index_at(seg, m.start()))
        self.bare_formulas += len(rx["bare_formula"].findall(seg))
        if b't="e"' in seg:
            for m in rx["error_type"].finditer(seg):
                self._error_cell(seg, m)
        self._extent(seg)
        last = _last_row_start(seg, rx["row"], len(seg))
        if last >= 0:
            self.rows_seen = self._row_index_at(seg, last) + 1

    def _extent(self, seg: bytes) -> None:
        rx = self.rx
        # the last row holding a value: walk back a few rows, else search backwards for a value tag
        end = len(seg)
        found = -1
        for _ in range(32):
            start = _last_row_start(seg, rx["row"], end)
            if rx["valued"].search(seg, max(start, 0), end):
                found = start
                break
            if start <= 0:
                break
            end = start
        else:
            p = rx["prefix"]
            last = max(seg.rfind(b"<" + p + tag, 0, end) for tag in (b"v>", b"v ", b"is>", b"f>", b"f "))
            if last >= 0:
                found = _last_row_start(seg, rx["row"], last)
        if found >= 0:
            self.max_row = max(self.max_row, self._row_index_at(seg, found))
        wide = rx["wide_fast"] if rx["cell_r_first"] in seg else rx["wide_any"]
        letters = set(wide.findall(seg))
        if letters:
            self.max_col = max(self.max_col, _col_index(max(letters, key=lambda s: (len(s), s))))

    def _error_cell(self, seg: bytes, m: re.Match) -> None:
        """Record an error cell (#N/A, #DIV/0! …) with its cached text."""
        rx = self.rx
        cell = rx["cell"]
        start = seg.rfind(b"<", 0, m.start())
        after = start + len(cell)
        if start < 0 or not seg.startswith(cell, start) or seg[after:after + 1] not in (b" ", b"\t", b"\n", b"\r"):
            return
        tag_end = seg.find(b">", m.end())
        if tag_end < 0 or seg[tag_end - 1:tag_end] == b"/":
            return
        ref = _CELL_REF.search(seg, start, tag_end)
        if ref is None:
            return
        end = seg.find(rx["cell_end"], tag_end)
        value = rx["value"].search(seg, tag_end, end if end >= 0 else len(seg))
        if value and value.group(1):
            text = value.group(1).decode("utf-8", errors="replace")
            self.errors.append((int(ref.group(2)) - 1, _col_index(ref.group(1)), text))

    def cell_area(self) -> int:
        """Upper bound of rows × columns calamine will allocate (single-letter columns count as 26)."""
        if self.max_row < 0:
            return 0
        return (self.max_row + 1) * (max(self.max_col, 25) + 1)


def _exact_max_col(data: bytes, info: zipfile.ZipInfo) -> int:
    """Second, slower pass (only for sheets with very many rows): the widest valued column."""
    widest = -1
    buf = b""
    rx = None
    for chunk in _inflate(data, info):
        buf += chunk
        if rx is None:
            rx = _sheet_regexes(_sheet_prefix(buf) or b"")
        cut = _last_row_start(buf, rx["row"], len(buf))
        if cut <= 0:
            continue
        for letters in set(rx["any_col"].findall(buf, 0, cut)):
            widest = max(widest, _col_index(letters))
        buf = buf[cut:]
    if rx is not None:
        for letters in set(rx["any_col"].findall(buf)):
            widest = max(widest, _col_index(letters))
    return widest


@dataclass
class _OoxmlScan:
    hidden_rows: dict[str, frozenset[int]]
    errors: dict[str, list[tuple[int, int, str]]]
    bare_formulas: int


def _verify_and_scan(data: bytes, zf: zipfile.ZipFile) -> _OoxmlScan:
    """Inflate every member once (bounded), checking sizes, CRCs and XML prologs; scan sheets."""
    infos = {i.filename: i for i in zf.infolist()}  # names are unique (checked in _open_zip)
    small = {}
    for name in ("[Content_Types].xml", "xl/workbook.xml", "xl/_rels/workbook.xml.rels"):
        info = infos.get(name)
        if info is None:
            small[name] = b""
            continue
        if info.file_size > MAX_SMALL_PART_BYTES:
            raise _corrupt()
        small[name] = _verify_member(data, info, keep=True)
    sheet_paths = _sheet_paths(small["xl/workbook.xml"], small["xl/_rels/workbook.xml.rels"])
    by_path = {}
    for name, path in sheet_paths:
        by_path.setdefault(path, name)
    scans: dict[str, _SheetScan] = {}
    for name, info in infos.items():
        if name in small:
            continue
        sink = None
        if name in by_path:
            sink = scans[by_path[name]] = _SheetScan()
        _verify_member(data, info, sink=sink)
    total = 0
    for sheet, scan in scans.items():
        area = scan.cell_area()
        if area > MAX_SHEET_CELLS and scan.max_col < 26:
            # only single-letter columns were counted as 26; measure them exactly
            path = next(p for p, n in by_path.items() if n == sheet)
            scan.max_col = _exact_max_col(data, infos[path])
            area = (scan.max_row + 1) * (scan.max_col + 1)
        if area > MAX_SHEET_CELLS:
            raise _too_large(sheet, scan.max_row + 1, scan.max_col + 1)
        total += area
    if total > MAX_WORKBOOK_CELLS:
        raise FileRejected("工作簿的数据总量过大", hint="请删除无关的工作表，或按队拆分后分别上传")
    return _OoxmlScan(
        hidden_rows={s: frozenset(v.hidden) for s, v in scans.items()},
        errors={s: v.errors for s, v in scans.items() if v.errors},
        bare_formulas=sum(v.bare_formulas for v in scans.values()),
    )


# ---------------------------------------------------------------------------------------------
# OLE2 (legacy .xls, WPS .et) checks
# ---------------------------------------------------------------------------------------------
def _utf16(name: str) -> bytes:
    return name.encode("utf-16-le")


def _check_ole(data: bytes) -> None:
    """Byte-level checks of an OLE2 compound file (an encrypted xlsx is stored in one)."""
    if len(data) < 1536:  # header + at least a FAT and a directory sector
        raise _corrupt()
    if _utf16("EncryptedPackage") in data or _utf16("EncryptionInfo") in data:
        raise _password()


_CFB_LAST = 0xFFFFFFFA  # sector ids from here up are markers (end of chain, free, FAT, DIFAT)


def _u32_array(raw: bytes) -> array.array:
    arr = array.array("I")
    arr.frombytes(raw[: len(raw) // 4 * 4])
    if sys.byteorder == "big":
        arr.byteswap()
    return arr


def _ole_stream(data: bytes, wanted: tuple[str, ...]) -> bytes | None:
    """The first stream named in `wanted` (case-insensitive) from a compound file, or None.

    A small, bounds-checked reader: every sector id is checked against the file, every chain
    is cut at the number of sectors (no cycles), so a damaged file is reported, never looped on.
    """
    n = len(data)
    major, _, shift, mini_shift = struct.unpack_from("<HHHH", data, 26)
    if shift not in (9, 12) or mini_shift != 6:
        raise _corrupt()
    sec = 1 << shift
    num_fat, first_dir = struct.unpack_from("<II", data, 44)
    mini_cutoff, first_minifat, _num_minifat, first_difat, _num_difat = struct.unpack_from("<IIIII", data, 56)
    nsec = (n - sec + sec - 1) // sec if n > sec else 0
    if num_fat == 0 or num_fat > nsec:
        raise _corrupt()

    def sector(i: int) -> bytes:
        if i >= nsec:
            raise _corrupt()
        return data[(i + 1) * sec:(i + 2) * sec]

    difat = list(struct.unpack_from("<109I", data, 76))
    nxt, steps = first_difat, 0
    while nxt < _CFB_LAST and len(difat) < num_fat:
        entries = _u32_array(sector(nxt))
        difat.extend(entries[:-1])
        nxt = entries[-1]
        steps += 1
        if steps > nsec:
            raise _corrupt()
    fat_sectors = difat[:num_fat]
    if len(fat_sectors) < num_fat or any(x >= nsec for x in fat_sectors):
        raise _corrupt()
    fat = _u32_array(b"".join(sector(x) for x in fat_sectors))

    def chain(start: int, table: array.array, limit: int) -> list[int]:
        out = []
        i = start
        while i < _CFB_LAST:
            if i >= len(table) or len(out) > limit:
                raise _corrupt()
            out.append(i)
            i = table[i]
        return out

    directory = b"".join(sector(i) for i in chain(first_dir, fat, nsec))
    entries = []
    for off in range(0, len(directory) - 127, 128):
        name_len = struct.unpack_from("<H", directory, off + 64)[0]
        typ = directory[off + 66]
        start = struct.unpack_from("<I", directory, off + 116)[0]
        size = struct.unpack_from("<Q", directory, off + 120)[0]
        if major == 3:
            size &= 0xFFFFFFFF
        name = directory[off:off + max(0, min(name_len, 64) - 2)].decode("utf-16-le", errors="replace")
        entries.append((name, typ, start, size))
    if not entries or entries[0][1] != 5:
        raise _corrupt()
    for want in wanted:
        found = next((e for e in entries if e[1] == 2 and e[0].lower() == want.lower()), None)
        if found is not None:
            break
    else:
        return None
    _, _, start, size = found
    if size > n:
        raise _corrupt()
    if size < mini_cutoff:
        _, _, root_start, root_size = entries[0]
        if root_size > n:
            raise _corrupt()
        mini_stream = b"".join(sector(i) for i in chain(root_start, fat, nsec))[:root_size]
        minifat = _u32_array(b"".join(sector(i) for i in chain(first_minifat, fat, nsec)))
        ids = chain(start, minifat, len(mini_stream) // 64 + 1)
        stream = b"".join(mini_stream[i * 64:(i + 1) * 64] for i in ids)
    else:
        stream = b"".join(sector(i) for i in chain(start, fat, nsec))
    if len(stream) < size:
        raise _corrupt()
    return stream[:size]


# BIFF records that put a cell into calamine's range (BLANK/MULBLANK do not).
_BIFF_CELLS = frozenset((0x0006, 0x0203, 0x0204, 0x0205, 0x027E, 0x00FD))
_BIFF_MULRK, _BIFF_DIMENSIONS, _BIFF_EOF, _BIFF_FILEPASS, _BIFF_SHEET = 0x00BD, 0x0200, 0x000A, 0x002F, 0x0085


def _check_biff(stream: bytes) -> None:
    """Walk the BIFF records once, before calamine does, and refuse what would hurt it.

    calamine reserves DIMENSIONS' rows × columns cells and builds each sheet's cell area
    densely, for every sheet at once when an .xls is opened; a damaged DIMENSIONS record made
    it try to allocate 469 GB and abort the whole process. Also detects FILEPASS (encryption).
    """
    n = len(stream)
    unpack = struct.unpack_from
    sheets: list[tuple[int, str]] = []
    pos = 0
    while pos + 4 <= n:
        typ, size = unpack("<HH", stream, pos)
        body = pos + 4
        if body + size > n:
            raise _corrupt()
        if typ == _BIFF_FILEPASS and size >= 2 and unpack("<H", stream, body)[0] != 0:
            raise _password()
        if typ == _BIFF_SHEET and size >= 6:
            name = ""
            if size >= 8:
                cch, flags = stream[body + 6], stream[body + 7]
                raw = stream[body + 8:body + size]
                name = raw[:cch * 2].decode("utf-16-le", "replace") if flags & 1 else raw[:cch].decode("latin-1")
            sheets.append((unpack("<I", stream, body)[0], name or f"第{len(sheets) + 1}个工作表"))
        elif typ == _BIFF_EOF:
            break
        pos = body + size
    total = 0
    cells, mulrk, dims, eof = _BIFF_CELLS, _BIFF_MULRK, _BIFF_DIMENSIONS, _BIFF_EOF
    for offset, name in sheets:
        if offset >= n:
            raise _corrupt()
        max_r = max_c = -1
        pos = offset
        while pos + 4 <= n:
            typ, size = unpack("<HH", stream, pos)
            body = pos + 4
            if typ in cells:
                if size >= 4:
                    r, c = unpack("<HH", stream, body)
                    if r > max_r:
                        max_r = r
                    if c > max_c:
                        max_c = c
            elif typ == mulrk:
                if size >= 6:
                    r = unpack("<H", stream, body)[0]
                    c = unpack("<H", stream, body + size - 2)[0]
                    max_r, max_c = max(max_r, r), max(max_c, c)
            elif typ == dims:
                if size == 14:
                    rf, rl, cf, cl = unpack("<IIHH", stream, body)
                elif size == 10:
                    rf, rl, cf, cl = unpack("<HHHH", stream, body)
                else:
                    rf = rl = cf = cl = 0
                if rl >= 1 and cl >= 1:  # what calamine reserves (u32 arithmetic)
                    rows = ((rl - 1) - rf + 1) & 0xFFFFFFFF
                    cols = ((cl - 1) - cf + 1) & 0xFFFFFFFF
                    if rows * cols > MAX_SHEET_CELLS:
                        if rf >= rl or cf >= cl or rl > 65536 or cl > 256:
                            raise _corrupt()
                        raise _too_large(name, rows, cols)
            elif typ == eof:
                break
            pos = body + size
        if max_r >= 0:
            area = (max_r + 1) * (max_c + 1)
            if area > MAX_SHEET_CELLS:
                raise _too_large(name, max_r + 1, max_c + 1)
            total += area
    if total > MAX_WORKBOOK_CELLS:
        raise FileRejected("工作簿的数据总量过大", hint="请删除无关的工作表，或按队拆分后分别上传")


# ---------------------------------------------------------------------------------------------
# Calamine
# ---------------------------------------------------------------------------------------------
_PASS_THROUGH = (KeyboardInterrupt, SystemExit, GeneratorExit, FileRejected)


def _calamine_open(data: bytes, fmt: str):
    try:
        return python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
    except python_calamine.PasswordError:
        raise _password() from None
    except _PASS_THROUGH:
        raise
    except BaseException:  # CalamineError, pyo3 PanicException (a BaseException), ...
        pass
    if fmt == "et":
        raise _corrupt(hint="请用WPS打开后另存为 .xlsx 再上传")
    raise _corrupt()


def _check_xls(data: bytes, fmt: str) -> None:
    """Find the BIFF stream in the compound file and check it before calamine parses it."""
    try:
        stream = _ole_stream(data, ("Workbook", "Book"))
    except (struct.error, IndexError, ValueError):
        raise _corrupt() from None
    if stream is None:
        if fmt == "et":
            raise FileRejected("无法读取这个WPS表格文件", hint="请用WPS打开后另存为 .xlsx 再上传")
        raise FileRejected("不是Excel表格文件（可能是Word或其他Office文档）", hint=HINT_UPLOAD_TYPES)
    try:
        _check_biff(stream)
    except struct.error:
        raise _corrupt() from None


_TIMEDELTA = dt.timedelta
_ONE_DAY = dt.timedelta(days=1)


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
    if _TIMEDELTA in set(map(type, itertools.chain.from_iterable(rows))):
        for row in rows:
            for i, v in enumerate(row):
                if v.__class__ is _TIMEDELTA:
                    row[i] = _duration(v)
    while rows and not rows[-1]:
        rows.pop()
    return rows


def _rows_from_a1(sheet):
    """calamine's rows one at a time, placed so that rows[0][0] is cell A1: with the pinned
    python-calamine, iter_rows yields rows from row 1 but columns from the first used column
    (tests/test_read.py checks data placed at C3)."""
    start = sheet.start
    if start is None:
        return
    pad = [None] * int(start[1])
    for row in sheet.iter_rows():
        yield pad + row if pad else row


def _duration(v: dt.timedelta):
    """Calamine returns timedelta for [h]:mm-style cells; keep them in the reader's value types."""
    if dt.timedelta(0) <= v < _ONE_DAY:
        return (dt.datetime.min + v).time()
    return v / _ONE_DAY  # Excel's own value: days as a float


def _put(rows: list[list], r: int, c: int, value) -> None:
    while len(rows) <= r:
        rows.append([])
    row = rows[r]
    if len(row) <= c:
        row.extend([None] * (c + 1 - len(row)))
    if row[c] is None:
        row[c] = value


def _read_calamine(wb, scan: _OoxmlScan | None) -> list[RawSheet]:
    visible = python_calamine.SheetVisibleEnum.Visible
    worksheet = python_calamine.SheetTypeEnum.WorkSheet
    sheets = []
    try:
        for meta in wb.sheets_metadata:
            if meta.typ != worksheet:  # chart sheets, dialog/macro sheets, VBA modules
                continue
            sheet = wb.get_sheet_by_name(meta.name)
            rows = _clean_rows(_rows_from_a1(sheet))
            if scan is not None:
                for r, c, text in scan.errors.get(meta.name, ()):
                    _put(rows, r, c, text)
            merged = [(int(a[0]), int(a[1]), int(b[0]), int(b[1]))
                      for a, b in (sheet.merged_cell_ranges or ())]
            sheets.append(RawSheet(
                name=meta.name,
                rows=rows,
                hidden=meta.visible != visible,
                hidden_rows=scan.hidden_rows.get(meta.name, frozenset()) if scan else frozenset(),
                merged=merged,
            ))
    except python_calamine.PasswordError:
        raise _password() from None
    except _PASS_THROUGH:
        raise
    except BaseException:
        raise _corrupt() from None
    finally:
        try:
            wb.close()
        except BaseException:
            pass
    return sheets


# ---------------------------------------------------------------------------------------------
# CSV
# ---------------------------------------------------------------------------------------------
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")


def _decode_text(data: bytes) -> tuple[str, str] | None:
    if data.startswith(codecs.BOM_UTF8):
        candidates = ("utf-8-sig",)
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        candidates = ("utf-16",)  # Excel's "Unicode text" export
    else:
        candidates = ("utf-8", "gb18030")
    for enc in candidates:
        try:
            text = data.decode(enc, errors="strict")
        except UnicodeDecodeError:
            continue
        if _CONTROL.search(text):
            return None
        return text, enc
    return None


def _looks_delimited(text: str) -> bool:
    lines = [ln for ln in text[:65536].splitlines()[:50] if ln.strip()]
    return any(d in ln for ln in lines for d in (",", "\t", ";"))


def _file_stem(filename: str) -> str:
    base = re.split(r"[\\/]", filename or "")[-1].strip()
    stem = base.rsplit(".", 1)[0].strip() if "." in base else base
    return stem or "Sheet1"


def _read_csv(text: str, encoding: str, filename: str) -> RawWorkbook:
    sample = text[:65536]
    if len(text) > len(sample) and "\n" in sample:
        sample = sample[:sample.rindex("\n")]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",\t;")
        if dialect.delimiter not in ",\t;":
            raise csv.Error
    except csv.Error:
        # e.g. a title line without delimiters above the header: take the delimiter most lines have
        lines = sample.splitlines()[:50]
        delimiter = max(",\t;", key=lambda d: sum(d in ln for ln in lines))
        dialect = type("Fallback", (csv.excel,), {"delimiter": delimiter})
    try:
        rows = [[cell if cell != "" else None for cell in row]
                for row in csv.reader(io.StringIO(text, newline=""), dialect)]
    except csv.Error:
        raise FileRejected("CSV文件格式有误，无法读取", hint=HINT_RESAVE_XLSX) from None
    for row in rows:
        while row and row[-1] is None:
            row.pop()
    while rows and not rows[-1]:
        rows.pop()
    return RawWorkbook(format="csv", sheets=[RawSheet(name=_file_stem(filename), rows=rows)],
                       encoding=encoding)


# ---------------------------------------------------------------------------------------------
# Entry point
# ---------------------------------------------------------------------------------------------
def read_workbook(data: bytes, filename: str = "") -> RawWorkbook:
    """Read an uploaded file into raw sheets; raises FileRejected with a Chinese message."""
    if not isinstance(data, bytes):
        data = bytes(data)
    fmt, context = _sniff(data, filename)
    if fmt == "csv":
        text, encoding = context
        return _read_csv(text, encoding, filename)
    if data.startswith(OLE_MAGIC):
        _check_xls(data, fmt)
        wb = _calamine_open(data, fmt)
        return RawWorkbook(format=fmt, sheets=_read_calamine(wb, None))
    try:
        scan = _verify_and_scan(data, context)
    finally:
        context.close()
    wb = _calamine_open(data, fmt)
    return RawWorkbook(format=fmt, sheets=_read_calamine(wb, scan),
                       formula_cells_without_value=scan.bare_formulas)

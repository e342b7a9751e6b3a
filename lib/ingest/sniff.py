"""Which format an upload is, decided from its bytes (never from the file name).

'xlsx' | 'xlsm' | 'et' (a zip), 'xls' | 'et' (a compound file), or 'csv' (delimited text).
Empty files, oversized files, web pages and Excel 2003 XML saved as .xls, other binary formats,
.xlsb, .ods and non-workbook zips are refused here with their own message. The zip directory and
the compound-file container are checked on the way (guards/zip_directory, guards/ole).
"""
from __future__ import annotations

import codecs
import re
import zipfile

from lib import config
from lib.ingest.csv_reader import decode_text, looks_delimited
from lib.ingest.guards.ole import OLE_MAGIC, check_container
from lib.ingest.guards.zip_directory import open_zip, refuse_encrypted_members
from lib.ingest.rejections import (
    HINT_RESAVE_XLSX,
    HINT_UPLOAD_TYPES,
    MSG_EMPTY,
    MSG_NOT_EXCEL,
    MSG_UNKNOWN,
    MSG_WEBPAGE,
    FileRejected,
    corrupt,
)

ZIP_MAGIC = b"PK\x03\x04"
_BINARY_MAGICS = (b"%PDF", b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"Rar!", b"7z\xbc\xaf",
                  b"\x1f\x8b", b"BM", b"MZ", b"PK\x05\x06", b"PK\x07\x08")
_HTML_MARKERS = ("<html", "<!doctype html", "<table", "<head", "<body", "<meta", "<style")


def sniff_format(data: bytes, filename: str = "") -> str:
    """'xlsx' | 'xlsm' | 'xls' | 'et' | 'csv', decided from the bytes; raises FileRejected.

    Zip files are checked from their directory here (size, ratio, member count); the deeper
    checks (real member sizes, XML prologs) happen in read_workbook before parsing.
    """
    fmt, context = detect(data if isinstance(data, bytes) else bytes(data), filename)
    if isinstance(context, zipfile.ZipFile):
        context.close()
    return fmt


def detect(data: bytes, filename: str):
    """(format, context): context is the open ZipFile for OOXML, (text, encoding) for csv, else None."""
    if len(data) > config.MAX_FILE_BYTES:
        raise FileRejected(
            f"文件过大（{_megabytes(len(data))}），超过 {_megabytes(config.MAX_FILE_BYTES)} 的上限",
            hint="请删除多余的工作表和图片后重新保存，或按队拆分后分别上传")
    if _is_blank(data):
        raise FileRejected(MSG_EMPTY, hint="请确认选择了正确的文件")
    if data.startswith(ZIP_MAGIC):
        zf = open_zip(data)
        return _ooxml_format(zf, filename), zf
    if data.startswith(OLE_MAGIC):
        check_container(data)
        return ("et" if _is_et(filename) else "xls"), None
    if data.startswith(_BINARY_MAGICS):
        raise FileRejected(MSG_UNKNOWN, hint=HINT_UPLOAD_TYPES)
    _refuse_markup(data)
    decoded = decode_text(data)
    if decoded is None or not looks_delimited(decoded[0]):
        raise FileRejected(MSG_UNKNOWN, hint=HINT_UPLOAD_TYPES)
    return "csv", decoded


def _megabytes(n: int) -> str:
    return f"{n / 1024 / 1024:.1f} MB"


def _is_et(filename: str) -> bool:
    return filename.lower().rstrip().endswith(".et")


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


def _refuse_markup(data: bytes) -> None:
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


def _ooxml_format(zf: zipfile.ZipFile, filename: str) -> str:
    names = set(zf.namelist())
    if "xl/workbook.xml" not in names:
        if "xl/workbook.bin" in names:
            raise FileRejected("这是Excel二进制工作簿（.xlsb），暂不支持", hint=HINT_RESAVE_XLSX)
        if "mimetype" in names and _read_head(zf, "mimetype", 1024).startswith(
                b"application/vnd.oasis.opendocument.spreadsheet"):
            raise FileRejected("这是OpenDocument表格（.ods），暂不支持", hint=HINT_RESAVE_XLSX)
        raise FileRejected(MSG_NOT_EXCEL, hint=HINT_UPLOAD_TYPES)
    refuse_encrypted_members(zf)
    if _is_et(filename):
        return "et"
    content_types = _read_head(zf, "[Content_Types].xml", 1024 * 1024)
    return "xlsm" if b"macroenabled" in content_types.lower() else "xlsx"


def _read_head(zf: zipfile.ZipFile, name: str, limit: int) -> bytes:
    """Up to `limit` bytes of a member (zipfile never inflates past the declared size)."""
    try:
        with zf.open(name) as f:
            return f.read(limit)
    except KeyError:
        return b""
    except Exception:
        raise corrupt() from None

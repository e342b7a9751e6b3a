"""CSV and Excel's "Unicode text": decoding, telling delimited text from prose, reading rows.

Every value stays a string (or None for an empty field); the cleaners decide what it means.
"""
from __future__ import annotations

import codecs
import csv
import io
import re

from lib.ingest.clean.cells import strip_controls
from lib.ingest.raw import RawSheet, RawWorkbook
from lib.ingest.rejections import HINT_RESAVE_XLSX, FileRejected

_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
_BINARY_SAMPLE = 65536
_DELIMITERS = ",\t;"


def decode_text(data: bytes) -> tuple[str, str] | None:
    """(text, encoding) for UTF-8 (with or without BOM), UTF-16 with BOM or GB18030; None for
    bytes that are not text (undecodable, or binary: see _looks_binary).

    A few control characters in cells do not make a file binary: the cleaners remove them with a
    warning, as they do for the same characters in an Excel workbook (issue #10)."""
    if data.startswith(codecs.BOM_UTF8):
        candidates = ("utf-8-sig",)
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        candidates = ("utf-16",)  # Excel's "Unicode text" export
    else:
        candidates = ("utf-8", "gb18030")
    for encoding in candidates:
        try:
            text = data.decode(encoding, errors="strict")
        except UnicodeDecodeError:
            continue
        if _looks_binary(text):
            return None
        return text, encoding
    return None


def _looks_binary(text: str) -> bool:
    """A format check, not a cell check: bytes that decode but are a binary file (or UTF-16
    without its BOM, NUL every other byte) carry NULs and controls everywhere, while a CSV whose
    cells picked up a stray BEL or NUL carries a handful. More than 1 NUL per 100 characters, or
    more than 1 control character per 20, in the first 64 KiB means binary."""
    sample = text[:_BINARY_SAMPLE]
    controls = len(_CONTROL.findall(sample))
    if not controls:
        return False
    return controls * 20 > len(sample) or sample.count("\x00") * 100 > len(sample)


def looks_delimited(text: str) -> bool:
    lines = [ln for ln in text[:65536].splitlines()[:50] if ln.strip()]
    return any(d in ln for ln in lines for d in _DELIMITERS)


def _file_stem(filename: str) -> str:
    base = re.split(r"[\\/]", strip_controls(filename or ""))[-1].strip()
    stem = base.rsplit(".", 1)[0].strip() if "." in base else base
    return stem or "Sheet1"


def read_csv(text: str, encoding: str, filename: str) -> RawWorkbook:
    """One sheet named after the file, rows as the csv module splits them."""
    sample = text[:65536]
    if len(text) > len(sample) and "\n" in sample:
        sample = sample[:sample.rindex("\n")]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=_DELIMITERS)
        if dialect.delimiter not in _DELIMITERS:
            raise csv.Error
    except csv.Error:
        # e.g. a title line without delimiters above the header: take the delimiter most lines have
        lines = sample.splitlines()[:50]
        delimiter = max(_DELIMITERS, key=lambda d: sum(d in ln for ln in lines))
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

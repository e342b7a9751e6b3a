"""The compound-file (OLE2) container of a legacy .xls or WPS .et, and encrypted OOXML.

Defends against calamine's own compound-file reader trusting the header: the FAT, DIFAT and
mini-FAT sector counts size allocations before any sector is read, so a crafted 612-byte file
aborts the process with "memory allocation of 17179869180 bytes failed"
(https://github.com/tafia/calamine/issues/714 and https://github.com/tafia/calamine/issues/684,
both open; the earlier https://github.com/tafia/calamine/issues/550 was fixed). The header counts
are checked against the file's real size here, then olefile (strict: any structural defect is
an error) finds the workbook stream so that guards/biff can walk it before calamine does.

Also: an xlsx saved with a password is not a zip but a compound file holding EncryptionInfo and
EncryptedPackage; calamine reports it as a broken archive
(https://github.com/tafia/calamine/issues/102), so it is recognised here by those stream names.
"""
from __future__ import annotations

import struct

import olefile

from lib.ingest.rejections import corrupt, password_protected

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# olefile takes bytes shorter than this for a file name; a real header + FAT + directory is longer.
_MIN_OLE_BYTES = 1536


def _utf16(name: str) -> bytes:
    return name.encode("utf-16-le")


def check_container(data: bytes) -> None:
    """Byte-level checks of any compound file, before its format is decided."""
    if len(data) < _MIN_OLE_BYTES:
        raise corrupt()
    if _utf16("EncryptedPackage") in data or _utf16("EncryptionInfo") in data:
        raise password_protected()


def _check_header_counts(data: bytes) -> None:
    """Sector counts no larger than the number of sectors the file holds (calamine#714)."""
    shift = struct.unpack_from("<H", data, 30)[0]
    if shift not in (9, 12):
        raise corrupt()
    sectors = (len(data) >> shift) - 1
    num_fat = struct.unpack_from("<I", data, 44)[0]
    num_minifat, _, num_difat = struct.unpack_from("<III", data, 64)
    if num_fat == 0 or max(num_fat, num_minifat, num_difat) > sectors:
        raise corrupt()


def workbook_stream(data: bytes) -> bytes | None:
    """The BIFF workbook stream ("Workbook", or "Book" in BIFF5 files), or None if there is none."""
    _check_header_counts(data)
    try:
        with olefile.OleFileIO(data, raise_defects=olefile.DEFECT_INCORRECT) as ole:
            for name in ("Workbook", "Book"):
                if ole.exists(name) and ole.get_type(name) == olefile.STGTY_STREAM:
                    return ole.openstream(name).read()
    except Exception:  # olefile raises OSError for defects, plus struct/Index/Value errors on junk
        raise corrupt() from None
    return None

"""The zip directory of an xlsx / xlsm / OOXML .et, checked before anything is inflated.

Defends against decompression bombs: python-calamine (through tafia/calamine and the Rust
``zip`` crate) has no limit on how much it inflates; a 500 KB workbook whose sheet XML expands
to 512 MiB is read in full (measured in https://github.com/bobmatnyc/trusty-tools/issues/4894;
no option for a limit exists in calamine or python-calamine). Python's zipfile builds one
ZipInfo per directory entry with no limit either (its documentation lists decompression bombs
under "Decompression pitfalls"), so the member count is read from the end record first.

Checks: member count, duplicate member names (readers disagree on which one counts), the declared
total size and each large member's compression ratio, and members flagged as encrypted.
"""
from __future__ import annotations

import io
import struct
import zipfile

from lib import config
from lib.ingest.rejections import bomb, corrupt, password_protected

MAX_ZIP_MEMBERS = 10_000
# A member this small cannot be a bomb, whatever its ratio (tiny XML parts compress 300×).
RATIO_CHECK_MIN_BYTES = 1024 * 1024
_END_OF_DIRECTORY = b"PK\x05\x06"
_ZIP64_LOCATOR, _ZIP64_END = b"PK\x06\x07", b"PK\x06\x06"


def _member_count(data: bytes) -> int:
    """Member count from the end-of-central-directory record, before zipfile builds anything."""
    pos = data.rfind(_END_OF_DIRECTORY, max(0, len(data) - 65557))
    if pos < 0 or pos + 22 > len(data):
        raise corrupt()
    count = struct.unpack_from("<H", data, pos + 10)[0]
    if count == 0xFFFF and pos >= 20 and data[pos - 20:pos - 16] == _ZIP64_LOCATOR:
        z64 = struct.unpack_from("<Q", data, pos - 12)[0]
        if z64 + 56 <= len(data) and data[z64:z64 + 4] == _ZIP64_END:
            count = struct.unpack_from("<Q", data, z64 + 32)[0]
    return count


def open_zip(data: bytes) -> zipfile.ZipFile:
    """The ZipFile, once its directory is within every limit; raises FileRejected."""
    if _member_count(data) > MAX_ZIP_MEMBERS:
        raise bomb()
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = zf.infolist()
    except Exception:  # BadZipFile, LargeZipFile, struct.error, ValueError, ...
        raise corrupt() from None
    if len(infos) > MAX_ZIP_MEMBERS:
        raise bomb()
    if len({i.filename for i in infos}) != len(infos):
        raise corrupt()
    total = 0
    for info in infos:
        total += info.file_size
        if info.file_size > RATIO_CHECK_MIN_BYTES and (
                info.compress_size <= 0
                or info.file_size / info.compress_size > config.MAX_ZIP_RATIO):
            raise bomb()
    if total > config.MAX_UNZIPPED_BYTES:
        raise bomb()
    return zf


def refuse_encrypted_members(zf: zipfile.ZipFile) -> None:
    """Zip-level (legacy ZipCrypto) encryption: calamine cannot read it and says nothing useful."""
    if any(i.flag_bits & 0x1 for i in zf.infolist()):
        raise password_protected()

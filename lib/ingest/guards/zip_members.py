"""Every zip member inflated once, proving that its real size and checksum match the directory.

Defends against a zip that lies in its directory: the Rust ``zip`` crate that calamine reads
xlsx with bounds only the compressed input of a member and checks the CRC at its end, so a
member declaring 1,000 bytes may inflate to gigabytes before anything notices (analysis of
zip 2.4's ``make_reader`` in https://github.com/omznc/mbrd-rs/issues/27). No calamine or
python-calamine issue tracks this; the guard is defence in depth for the directory checks in
``zip_directory``, which trust the declared sizes.

zipfile does the inflating, the local-header checks and the CRC check. What zipfile does not do
is notice that a deflate stream runs on past the declared size (it stops there and compares
the CRC of what it read), so each member is opened with a declared size raised by a margin:
a stream that ends within the margin is damage, one that keeps going is a bomb.
"""
from __future__ import annotations

import copy
import zipfile
from collections.abc import Iterator

from lib.ingest.rejections import FileRejected, bomb, corrupt

CHUNK = 4 * 1024 * 1024           # decompressed bytes handed on at a time
BOMB_MARGIN = 16 * 1024 * 1024    # inflating this far past a member's declared size = a bomb


def member_chunks(zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> Iterator[bytes]:
    """A member's bytes in chunks of at most CHUNK; raises FileRejected for a lying or damaged member."""
    if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        raise corrupt()
    if info.compress_type == zipfile.ZIP_STORED and info.compress_size != info.file_size:
        raise corrupt()
    declared = info.file_size
    # zipfile never returns more than file_size bytes: let it run past the declared size so the
    # overflow is seen, and never so far that it stops (and checks the CRC) before the margin.
    probe = copy.copy(info)
    probe.file_size = declared + BOMB_MARGIN + CHUNK
    total = 0
    try:
        with zf.open(probe) as member:
            while chunk := member.read(CHUNK):
                total += len(chunk)
                if total > declared + BOMB_MARGIN:
                    raise bomb()
                if total <= declared:
                    yield chunk
    except FileRejected:
        raise
    except Exception:  # BadZipFile (CRC, local header), zlib.error, EOFError (truncated), ...
        raise corrupt() from None
    if total != declared:
        raise corrupt()

"""The records of a legacy .xls workbook stream, walked once before calamine parses them.

Defends against calamine reserving DIMENSIONS' rows × columns for every sheet at once when an
.xls is opened: a damaged DIMENSIONS record made it try to allocate 469 GB and abort the whole
process (the same dense-range allocation as https://github.com/ToucanToco/fastexcel/issues/487,
open; older reports: https://github.com/tafia/calamine/issues/174 and
https://github.com/tafia/calamine/issues/444). A DIMENSIONS record that is impossible (inverted,
beyond BIFF8's 65,536 × 256) is damage; a possible one that is too large, or cells placed far
away, is refused through guards/cell_area.

Also detects FILEPASS (a workbook encrypted with a password): calamine reports such files with
unrelated errors such as CodePageNotFound (https://github.com/tafia/calamine/issues/385).
"""
from __future__ import annotations

import struct

from lib.ingest.guards import cell_area
from lib.ingest.rejections import corrupt, password_protected

# BIFF records that put a cell into calamine's range (BLANK/MULBLANK do not).
_BIFF_CELLS = frozenset((0x0006, 0x0203, 0x0204, 0x0205, 0x027E, 0x00FD))
_BIFF_MULRK, _BIFF_DIMENSIONS, _BIFF_EOF, _BIFF_FILEPASS, _BIFF_SHEET = 0x00BD, 0x0200, 0x000A, 0x002F, 0x0085


def check_biff(stream: bytes) -> None:
    """Walk the BIFF records once, before calamine does, and refuse what would hurt it.

    Raises FileRejected; struct.error from a truncated record is the caller's to translate.
    """
    n = len(stream)
    unpack = struct.unpack_from
    sheets: list[tuple[int, str]] = []
    pos = 0
    while pos + 4 <= n:
        typ, size = unpack("<HH", stream, pos)
        body = pos + 4
        if body + size > n:
            raise corrupt()
        if typ == _BIFF_FILEPASS and size >= 2 and unpack("<H", stream, body)[0] != 0:
            raise password_protected()
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
            raise corrupt()
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
                    if rows * cols > cell_area.MAX_SHEET_CELLS:
                        if rf >= rl or cf >= cl or rl > 65536 or cl > 256:
                            raise corrupt()
                        cell_area.check_sheet(name, rows, cols)
            elif typ == eof:
                break
            pos = body + size
        if max_r >= 0:
            total += cell_area.check_sheet(name, max_r + 1, max_c + 1)
    cell_area.check_workbook(total)

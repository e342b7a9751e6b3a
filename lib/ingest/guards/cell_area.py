"""The dense cell area calamine would allocate for each sheet, refused before it tries.

Defends against calamine building every sheet as one dense rows × columns array: a single stray
value in XFD1 above 10,000 rows costs about 5 GB, and the process dies with "memory allocation
… failed" rather than raising (https://github.com/ToucanToco/fastexcel/issues/487, open; the
calamine fix is in progress in https://github.com/tafia/calamine/pull/661; reported to
python-calamine as https://github.com/dimastbk/python-calamine/issues/130). For .xls the same
area comes from the BIFF records (guards/biff).
"""
from __future__ import annotations

from lib.ingest.rejections import sheet_too_large, workbook_too_large

# Width × height of the cell area calamine materialises for one sheet (about 32 bytes a cell in
# Rust, plus 8 in Python).
MAX_SHEET_CELLS = 10_000_000
MAX_WORKBOOK_CELLS = 2 * MAX_SHEET_CELLS


def check_sheet(name: str, rows: int, cols: int) -> int:
    """rows × cols, or FileRejected when one sheet is too large."""
    if rows * cols > MAX_SHEET_CELLS:
        raise sheet_too_large(name, rows, cols)
    return rows * cols


def check_workbook(total_cells: int) -> None:
    if total_cells > MAX_WORKBOOK_CELLS:
        raise workbook_too_large()

"""Table downloads: a cell that starts like a formula is written as text, never as a formula."""
import io
import re
import zipfile

import pandas as pd
import pytest
from openpyxl import load_workbook

from lib.access.export import FORMULA_STARTS, xlsx_bytes

DANGEROUS = ["=1+1", "+SUM(A1:A2)", "-2+3", "@SUM(A1)", "\t=cmd", "\r=cmd", '=HYPERLINK("http://x","点我")']


def _sheet_xml(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return z.read("xl/worksheets/sheet1.xml").decode()


@pytest.mark.parametrize("value", DANGEROUS)
def test_a_formula_like_cell_is_stored_as_text(value):
    data = xlsx_bytes({"问题台帐": pd.DataFrame({"问题描述": [value], "队": ["综采队"]})})
    xml = _sheet_xml(data)
    assert "<f>" not in xml and "<f " not in xml
    cell = load_workbook(io.BytesIO(data))["问题台帐"]["A2"]
    # (XML turns a stored CR into LF on reading; what matters is that it stays text.)
    assert cell.data_type == "s" and cell.value.replace("\n", "\r") == value.replace("\n", "\r")


def test_every_dangerous_start_is_guarded_and_ordinary_values_keep_their_types():
    assert set(FORMULA_STARTS) == {"=", "+", "-", "@", "\t", "\r"}
    frame = pd.DataFrame({"文本": ["综采队", "-5", "=A1"], "数": [1, 2.5, None]})
    data = xlsx_bytes({"表": frame})
    assert not re.search(r"<f[ >]", _sheet_xml(data))
    ws = load_workbook(io.BytesIO(data))["表"]
    assert [c.value for c in ws["B"]] == ["数", 1, 2.5, None]


def test_numpy_scalars_dates_and_timestamps_inside_object_columns_are_written_as_plain_values():
    import datetime as dt

    import numpy as np

    frame = pd.DataFrame({"值": pd.Series([np.int64(3), np.float64(2.5), np.bool_(True), pd.NA, dt.date(2024, 6, 1),
                                          pd.Timestamp("2024-06-03 14:05")], dtype=object)})
    ws = load_workbook(io.BytesIO(xlsx_bytes({"表": frame})))["表"]
    assert [c.value for c in ws["A"]] == ["值", 3, 2.5, True, None, dt.datetime(2024, 6, 1),
                                          dt.datetime(2024, 6, 3, 14, 5)]

"""队 and period from the lines above the header: a label with nothing after it gives nothing.

A merged title cell holding only "单位名称：" used to be read as the 队 "单位名称" (filling the merge
repeats the label, and the label was taken for its own value). Each layout is built here merged and
unmerged; both must end alike: the sheet asks for what is missing, naming the sheet and the column.
"""
from __future__ import annotations

import datetime as dt

import pytest

from lib.ingest.context import infer_context
from lib.store.importer import IMPORTED, REJECTED, import_file
from lib.store.upload import parse_file
from tests.fingerprint import fingerprint
from tests.users import ADMIN_USER
from tests.workbooks import ROSTER_HEADER, roster, xlsx_bytes

ROSTER_BODY_HEADER = ROSTER_HEADER[2:]          # 班组 … 政治面貌: 队 and 月份 come from above
ROSTER_BODY = [r[2:] for r in roster(n=3)[1:]]
SCORES_HEADER = ["班组", "工号", "姓名", "自评总分"]
SCORES_BODY = [["掘进一班", "000001", "张三", 95], ["掘进一班", "000002", "李四", 88]]
WIDTH = len(ROSTER_BODY_HEADER)                 # the title merges span the table: A…G


def _outcome(rows: list[list], merges: list[str], sheet="Sheet1", name="名册.xlsx"):
    result = parse_file(xlsx_bytes({sheet: rows}, merges={sheet: merges}), name)
    parsed = result.sheets[0]
    errors = [(p.sheet, p.row, p.column, p.message) for p in result.errors]
    return parsed.context_used, result.missing_context, errors


ASK_UNIT = ("Sheet1", None, "队", "不知道这张表属于哪个队：表中没有「队」列，标题和文件名中也没有注明")
ASK_MONTH = ("Sheet1", None, "月份", "不知道这张表属于哪个月份：表中没有「月份」列，标题和文件名中也没有注明")
ASK_QUARTER = ("Sheet1", None, "季度", "不知道这张表属于哪个季度：表中没有「季度」列，标题和文件名中也没有注明")


@pytest.mark.parametrize("label", ["单位名称：", "填报单位：", "填报单位（盖章）：", "所在队：", "单位:"])
@pytest.mark.parametrize("merged", [True, False], ids=["merged", "unmerged"])
def test_unit_label_with_nothing_after_asks_for_the_unit(label, merged):
    rows = [[label], ["2024年6月人员名册"], ROSTER_BODY_HEADER, *ROSTER_BODY]
    context, missing, errors = _outcome(rows, ["A1:G1"] if merged else [])
    assert context == {"month": "2024-06"}
    assert missing == ["unit"]
    assert errors == [ASK_UNIT]


@pytest.mark.parametrize("merges", [["A1:G2"], ["A1:C1", "A2:C2"]], ids=["across-two-rows", "two-merged-rows"])
def test_label_repeated_down_a_merge_is_not_the_value_of_the_line_below(merges):
    """A merge over two rows repeats the label on the next line: still no 队 (nor a month)."""
    rows = [["填报单位："], ["填报单位："] if len(merges) == 2 else [], ROSTER_BODY_HEADER, *ROSTER_BODY]
    context, missing, errors = _outcome(rows, merges)
    assert (context, missing) == ({}, ["month", "unit"])
    assert sorted(errors) == sorted([ASK_UNIT, ASK_MONTH])


@pytest.mark.parametrize("merged", [True, False], ids=["merged", "unmerged"])
def test_unit_label_followed_by_another_label_is_not_a_unit(merged):
    """单位名称：（空）  统计月份：2024年6月 — the next label is not the 队; the month is still read."""
    rows = [["单位名称：", None, None, "统计月份：2024年6月"], ROSTER_BODY_HEADER, *ROSTER_BODY]
    context, missing, errors = _outcome(rows, ["A1:C1"] if merged else [])
    assert (context, missing, errors) == ({"month": "2024-06"}, ["unit"], [ASK_UNIT])


def test_unit_label_followed_by_a_fill_date_is_not_a_unit():
    rows = [["填报单位：", None, None, "填报日期：2024年7月2日"], ["2024年6月人员名册"], ROSTER_BODY_HEADER,
            *ROSTER_BODY]
    context, missing, errors = _outcome(rows, ["A1:C1", "D1:G1", "A2:G2"])
    assert (context, missing, errors) == ({"month": "2024-06"}, ["unit"], [ASK_UNIT])


def test_unit_label_followed_by_a_month_cell_is_not_a_unit():
    """所在队：（merged, blank） then a cell 2024年6月: the month is the month, not the 队."""
    rows = [["所在队：", None, "2024年6月"], ROSTER_BODY_HEADER, *ROSTER_BODY]
    context, missing, errors = _outcome(rows, ["A1:B1"])
    assert (context, missing, errors) == ({"month": "2024-06"}, ["unit"], [ASK_UNIT])


@pytest.mark.parametrize("label", ["统计月份：", "月份：", "报送月份（年月）："])
@pytest.mark.parametrize("merged", [True, False], ids=["merged", "unmerged"])
def test_month_label_with_nothing_after_asks_for_the_month(label, merged):
    rows = [["综采队人员名册"], [label], ROSTER_BODY_HEADER, *ROSTER_BODY]
    context, missing, errors = _outcome(rows, ["A1:G1", "A2:G2"] if merged else [])
    assert (context, missing, errors) == ({"unit": "综采队"}, ["month"], [ASK_MONTH])


@pytest.mark.parametrize("label", ["考核季度：", "统计季度：", "季度："])
@pytest.mark.parametrize("merged", [True, False], ids=["merged", "unmerged"])
def test_quarter_label_with_nothing_after_asks_for_the_quarter(label, merged):
    rows = [["综掘队比学争优积分表"], [label], SCORES_HEADER, *SCORES_BODY]
    context, missing, errors = _outcome(rows, ["A1:D1", "A2:D2"] if merged else [], name="积分.xlsx")
    assert (context, missing, errors) == ({"unit": "综掘队"}, ["quarter"], [ASK_QUARTER])


@pytest.mark.parametrize("merged", [True, False], ids=["merged", "unmerged"])
def test_labels_with_values_still_give_unit_and_month(merged):
    rows = [["填报单位：机运队", None, None, "统计月份：2024年5月"], ROSTER_BODY_HEADER, *ROSTER_BODY]
    context, missing, errors = _outcome(rows, ["A1:C1", "D1:G1"] if merged else [])
    assert (context, missing, errors) == ({"unit": "机运队", "month": "2024-05"}, [], [])


@pytest.mark.parametrize("merged", [True, False], ids=["merged", "unmerged"])
def test_label_and_value_in_separate_cells(merged):
    """填报单位：| 综采队 | 统计月份：| 2024年6月 — the value in the cell after its (merged) label."""
    rows = [["填报单位：", None, "综采队", "统计月份：", None, "2024年6月"], ROSTER_BODY_HEADER, *ROSTER_BODY]
    context, missing, errors = _outcome(rows, ["A1:B1", "D1:E1"] if merged else [])
    assert (context, missing, errors) == ({"unit": "综采队", "month": "2024-06"}, [], [])


@pytest.mark.parametrize("merged", [True, False], ids=["merged", "unmerged"])
def test_quarter_label_with_value(merged):
    rows = [["单位名称：综掘队", None, "考核季度：2024年第二季度"], SCORES_HEADER, *SCORES_BODY]
    context, missing, errors = _outcome(rows, ["A1:B1", "C1:D1"] if merged else [], name="积分.xlsx")
    assert (context, missing, errors) == ({"unit": "综掘队", "quarter": "2024Q2"}, [], [])


def test_blank_label_falls_back_to_the_file_name():
    rows = [["单位名称："], ["统计月份："], ROSTER_BODY_HEADER, *ROSTER_BODY]
    context, missing, errors = _outcome(rows, ["A1:G1", "A2:G2"], name="综采队_2024年6月.xlsx")
    assert (context, missing, errors) == ({"unit": "综采队", "month": "2024-06"}, [], [])


def test_merged_blank_label_imports_nothing_and_imports_with_the_unit_given(store):
    """The symptom end to end: refused without a 队 (database untouched), stored under the 队 given."""
    data = xlsx_bytes({"Sheet1": [["单位名称："], ["2024年6月人员名册"], ROSTER_BODY_HEADER, *ROSTER_BODY]},
                      merges={"Sheet1": ["A1:G1", "A2:G2"]})
    before = fingerprint(store)
    refused = import_file(store, data, "名册.xlsx", ADMIN_USER)
    assert refused.status == REJECTED and refused.missing_context == ["unit"]
    assert [(p.sheet, p.column) for p in refused.errors] == [("Sheet1", "队")]
    assert fingerprint(store) == before
    assert store.cursor().execute("SELECT count(*) FROM imports").fetchone() == (0,)

    done = import_file(store, data, "名册.xlsx", ADMIN_USER, context={"unit": "综采队"})
    assert done.status == IMPORTED, done.errors
    assert store.cursor().execute("SELECT DISTINCT unit, month FROM roster").fetchall() == [
        ("综采队", dt.date(2024, 6, 1))]


@pytest.mark.parametrize("text, expected", [
    ("填报单位（盖章）：综采队（公章）", {"unit": "综采队"}),
    ("单位：掘进2队", {"unit": "掘进2队"}),
    ("部门：通防部  填报人：张三", {"unit": "通防部"}),
    ("单位名称：  填报日期：2024年7月2日", {}),
    ("单位名称：\n综采队2024年6月名册", {"unit": "综采队", "month": "2024-06", "year": "2024"}),
    ("所属队：  2024年6月", {"month": "2024-06", "year": "2024"}),
])
def test_infer_context_on_title_texts(text, expected):
    assert infer_context(text.split("\n"), "", "") == expected

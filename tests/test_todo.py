"""待办督办 on the small mine (tests/small_mine.py) plus boundary cases, every figure worked out by hand.

On top of the small mine this module imports (through the real importer):
- 包保对子 of 甲队 again with three more pairs, and the 谈心记录 of 2023-12 and 2024-01 again with their
  last talks: 004→002 on 2023-12-31, 001→005 on 2023-12-30, 004→003 on 2024-01-01. As of 2024-02-29
  that is 60, 61 and 59 days: the first two are 逾期未谈 (no talk within the last 60 days: a talk exactly
  60 days ago is overdue), the third is not. The small mine's 001→007 (last talk 2023-12-01) is 90 days.
- 问题 P5 found 2024-01-30 and P6 found 2024-01-29, both open: 30 and 31 days as of 2024-02-29 —
  only P6 is 超期 (more than 30 days). The small mine's P2 (found 2024-01-10, 办理中) is 50 days.
- 发展党员 of 甲队 again with 105 (接收预备党员 2023-01-31) and 106 (2023-02-01). As of 2024-01-31, 105 is
  exactly one year (365 days) a 预备党员: due, 0 days; 106 (364 days) is not; 101 (2022-12-01) is due
  since 2023-12-01, 61 days.
- 丙队, whose first report (a 人员名册 of 2024-02) is the range's last month: its 2024-01 is not 缺报,
  and the lists it never sent (管理委员会, 理念口号) give no team items.
"""
from __future__ import annotations

import datetime as dt
import io

import pandas as pd
import pytest
from openpyxl import load_workbook
from pptx import Presentation

from lib.access.auth import ADMIN, VIEWER, User
from lib.metrics.query import Filter
from lib.metrics.registry import Indicators
from lib.metrics.todo import COLUMNS, KINDS
from lib.present import todo_view
from lib.present.exports import export_table
from lib.store.database import Store
from lib.store.importer import IMPORTED, import_file
from tests.small_mine import build_small_mine
from tests.workbooks import canonical_header, xlsx_bytes

JAN, FEB = dt.date(2024, 1, 1), dt.date(2024, 2, 1)
RANGE = Filter((), (), JAN, FEB)        # as of 2024-02-29
JANUARY = Filter((), (), JAN, JAN)      # as of 2024-01-31
D = dt.date


def _sheet(key, rows):
    return [canonical_header(key), *rows]


EXTRA = [
    {"包保对子": _sheet("pairs", [
        ["001", "人员001", "甲队", "002", "人员002", "甲队", "A班", "2023-06-01", None],
        ["001", "人员001", "甲队", "003", "人员003", "甲队", "A班", "2023-06-01", "2024-01-15"],
        ["004", "人员004", "甲队", "005", "人员005", "甲队", "B班", "2024-02-10", None],
        ["001", "人员001", "甲队", "007", "人员007", "乙队", "C班", "2023-01-01", None],
        ["004", "人员004", "甲队", "002", "人员002", "甲队", "A班", "2023-06-01", None],
        ["004", "人员004", "甲队", "003", "人员003", "甲队", "A班", "2023-06-01", None],
        ["001", "人员001", "甲队", "005", "人员005", "甲队", "B班", "2023-06-01", None]])},
    {"谈心记录": _sheet("talks", [
        ["2023-12-01", "001", "人员001", "甲队", "007", "人员007", "面谈", None, "否", None],
        ["2023-12-31", "004", "人员004", "甲队", "002", "人员002", "面谈", None, "否", None],
        ["2023-12-30", "001", "人员001", "甲队", "005", "人员005", "面谈", None, "否", None],
        ["2024-01-05", "001", "人员001", "甲队", "002", "人员002", "面谈", None, "是", "P1"],
        ["2024-01-01", "004", "人员004", "甲队", "003", "人员003", "电话", None, "否", None]])},
    {"问题台帐": _sheet("problems", [
        ["P5", "2024-01-30", "甲队", "A班", None, "生活困难", "班车太早", "人员004", None, None, "办理中", None],
        ["P6", "2024-01-29", "甲队", "B班", None, "工作环境", "澡堂水凉", "人员001", None, None, "待办理", None]])},
    {"发展党员": _sheet("development", [
        ["甲队", "A班", "101", "甲一", "是", "是", "2021-03-01", "2021-09-01", "2022-10-01", "2022-12-01", None, None],
        ["甲队", "B班", "102", "甲二", "是", "否", "2023-01-01", "2023-06-01", "2024-01-15", None, None, None],
        ["甲队", "A班", "104", "甲四", "否", "否", "2024-01-10", None, None, None, None, None],
        ["甲队", "A班", "105", "甲五", "是", "否", "2021-01-01", "2021-06-01", "2022-11-01", "2023-01-31", None, None],
        ["甲队", "B班", "106", "甲六", "是", "否", "2021-01-01", "2021-06-01", "2022-11-01", "2023-02-01", None, None]])},
    {"人员名册": _sheet("roster", [["2024-02", "丙队", "D班", "008", "人员008", "男", None, None, "是", "否",
                                    "中共党员", None],
                                   ["2024-02", "丙队", "D班", "009", "人员009", "男", None, None, "是", "否",
                                    "群众", None]])},
]


def build_todo_mine(store: Store) -> None:
    build_small_mine(store)
    for i, sheets in enumerate(EXTRA):
        result = import_file(store, xlsx_bytes(sheets), f"extra{i}.xlsx", User("测试", ADMIN))
        assert result.status == IMPORTED, [e.message for e in result.errors]


@pytest.fixture(scope="module")
def todo_mine(tmp_path_factory):
    store = Store(tmp_path_factory.mktemp("todo") / "mine.duckdb")
    build_todo_mine(store)
    yield store
    store.close()


def _items(store, f: Filter) -> pd.DataFrame:
    return Indicators(store).get("todo", f).items


def _rows(items: pd.DataFrame, kind: str) -> list[tuple]:
    part = items[items["kind"] == kind]
    return [(r.unit, r.team, r.who, r.since, None if pd.isna(r.days) else int(r.days)) for r in part.itertuples()]


# As of 2024-02-29 (RANGE), every kind of item: (队, 班组, who, since, days), worked out by hand
# (the CLI's --json must say the same: tests/test_todo_cli.py).
EXPECTED = {
    # 90, 61 and exactly 60 days without a talk are overdue; 59 days (004→003) is not.
    "overdue_talk": [("乙队", "C班", "人员001", D(2023, 12, 1), 90),
                     ("甲队", "B班", "人员001", D(2023, 12, 30), 61),
                     ("甲队", "A班", "人员004", D(2023, 12, 31), 60)],
    # 31 days open is 超期, exactly 30 (P5) is not; P3 (4 days) neither.
    "overdue_problem": [("乙队", "C班", None, D(2024, 1, 10), 50),
                        ("甲队", "B班", "人员001", D(2024, 1, 29), 31)],
    # As of 2024-02-29 all three 预备党员 are due: since = 接收预备党员 + 365 days.
    "due_full_membership": [("甲队", "A班", "甲一", D(2023, 12, 1), 90),
                            ("甲队", "A班", "甲五", D(2024, 1, 31), 29),
                            ("甲队", "B班", "甲六", D(2024, 2, 1), 28)],
    # In 2024-02 the only blank team (乙队 C班) has a liaison.
    "blank_team_without_liaison": [],
    # 甲队 sent 班组信息 for 2024-01 only; 乙队 a 问题台帐 for 2024-01 only. 乙队's 班组信息 starts 2024-02
    # and 丙队's first report is 2024-02: neither has a 缺报 before it.
    "missing_report": [("乙队", "", None, D(2024, 2, 1), 28),
                       ("甲队", "", None, D(2024, 2, 1), 28)],
    "failed_six_good": [("甲队", "B班", "人员004", D(2024, 1, 1), 59)],
    # Only 甲队 sent 管理委员会 and 理念口号: 乙队 and 丙队 never did, so their teams are not listed.
    "team_without_committee": [("甲队", "B班", None, None, None)],
    "missing_slogan_category": [("甲队", "B班", None, None, None)],
}


def test_every_kind_of_item_with_its_boundaries(todo_mine):
    items = _items(todo_mine, RANGE)
    assert list(items.columns) == list(COLUMNS)
    assert Indicators(todo_mine).get("todo", RANGE).as_of == D(2024, 2, 29)
    assert set(EXPECTED) == set(KINDS)
    for kind, rows in EXPECTED.items():
        assert _rows(items, kind) == rows, kind
    assert len(items) == sum(len(rows) for rows in EXPECTED.values())
    assert "P2" in items[items["kind"] == "overdue_problem"]["action"].iloc[0]
    missing = items[items["kind"] == "missing_report"]
    assert list(missing["action"]) == ["《问题台帐》缺报2024年2月：督促该队补报。", "《班组信息》缺报2024年2月：督促该队补报。"]
    assert "丙队" not in set(missing["unit"])
    assert "业务技能好、团结协作好" in items[items["kind"] == "failed_six_good"]["action"].iloc[0]
    assert "争一流口号、学习愿景" in items[items["kind"] == "missing_slogan_category"]["action"].iloc[0]
    # Most urgent first: by kind in KINDS order.
    ranks = [KINDS.index(k) for k in items["kind"]]
    assert ranks == sorted(ranks)
    assert all(isinstance(a, str) and a.endswith("。") for a in items["action"])


def test_one_year_after_admission_is_due_the_day_before_is_not(todo_mine):
    items = _items(todo_mine, JANUARY)   # as of 2024-01-31
    assert _rows(items, "due_full_membership") == [("甲队", "A班", "甲一", D(2023, 12, 1), 61),
                                                   ("甲队", "A班", "甲五", D(2024, 1, 31), 0)]
    # In 2024-01 甲队 B班 is blank and its 班组信息 names no liaison.
    assert _rows(items, "blank_team_without_liaison") == [("甲队", "B班", None, None, None)]
    # 2024-01 is the first month of the range and of everyone's reports: nothing is 缺报.
    assert _rows(items, "missing_report") == []


def test_the_items_follow_the_filter(todo_mine):
    items = _items(todo_mine, Filter(("乙队",), (), JAN, FEB))
    assert set(items["unit"]) == {"乙队"}
    assert set(items["kind"]) == {"overdue_talk", "overdue_problem", "missing_report"}
    team = _items(todo_mine, Filter((), (("甲队", "A班"),), JAN, FEB))
    assert set(team["team"]) <= {"A班", ""} and set(team["unit"]) == {"甲队"}


def test_each_item_agrees_with_the_indicator_that_counts_it(todo_mine):
    ind = Indicators(todo_mine)
    items = ind.get("todo", RANGE).items
    assert (items["kind"] == "overdue_talk").sum() == len(ind.get("talk_activity", RANGE).overdue)
    assert (items["kind"] == "overdue_problem").sum() == len(ind.get("problem_ledger", RANGE).overdue_open)
    assert (items["kind"] == "due_full_membership").sum() == len(ind.get("dev_pipeline", RANGE).awaiting_full)


# ---------------------------------------------------------------- presentation

def test_view_counts_and_chart(todo_mine):
    ind = Indicators(todo_mine)
    view = todo_view.todo_view(ind.get, RANGE)
    cards = {k.label: k.value for k in view.sections[0].kpis}
    items = ind.get("todo", RANGE).items
    assert cards["待办事项"] == len(items) == 13
    assert cards["涉及的队"] == 2 and cards["问题超期未办结"] == 2 and cards["对子逾期未谈心"] == 3
    counts = todo_view.counts(items)
    assert dict(zip(zip(counts["unit"], counts["kind"]), counts["items"]))[("甲队", "due_full_membership")] == 3
    chart = view.sections[0].charts[0]
    assert not chart.empty and {t.name for t in chart.figure.data} >= {"预备党员到期待转正", "报表缺报"}


def test_duban_workbook_is_masked_logged_and_formula_safe(todo_mine):
    items = Indicators(todo_mine).get("todo", RANGE).items
    frames = todo_view.workbook_frames(items, "甲队")
    data = export_table(todo_mine, User("查看员", VIEWER), frames, "督办单：甲队", "测试", meeting=False,
                        full_names_wanted=True)
    sheet = load_workbook(io.BytesIO(data)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("事项", "队", "班组", "相关人员姓名", "起算日期", "已过天数", "督办事项")
    assert len(rows) == 1 + (items["unit"] == "甲队").sum()
    people = [r[3] for r in rows[1:] if r[3]]
    assert people and all("*" in p for p in people) and "人员004" not in people
    assert {r[2] for r in rows[1:]} >= {"（全队）", "B班"}
    logged = todo_mine.query("SELECT what, detail FROM export_log ORDER BY exported_at DESC LIMIT 1")
    assert logged["what"][0] == "督办单：甲队" and "姓名和工号已打码" in logged["detail"][0]


def test_slide_rows_put_the_most_urgent_first_and_count_the_rest(todo_mine):
    items = Indicators(todo_mine).get("todo", RANGE).items
    mine = todo_view.per_unit(items, "甲队")
    rows, more = todo_view.slide_rows(mine, 3)
    assert len(rows) == 3 and more == len(mine) - 3
    assert rows[0][0] == "问题超期未办结" and rows[0][3] == "人员001"


def test_one_todo_slide_per_unit_masked(todo_mine):
    """The deck's 待办 slides (no charts on them, so no browser is needed to build them here)."""
    from lib.present import deck

    todo: list = []
    deck.deck_content(Indicators(todo_mine), RANGE, full_names=False, todo=todo)
    items = todo[0]
    builder = deck._Builder(RANGE, 0, None)
    for unit in todo_view.units_of(items):
        builder.todo_slide(unit, items[items["unit"] == unit], limit=4)
    prs = Presentation(io.BytesIO(builder.data()))
    slides = list(prs.slides)
    titles = [next(s.text_frame.text for s in slide.shapes if s.has_text_frame and s.text_frame.text.strip())
              for slide in slides]
    assert titles == ["待办督办 · 乙队", "待办督办 · 甲队"]
    table = next(s.table for s in slides[1].shapes if s.has_table)
    cells = [[c.text for c in row.cells] for row in table.rows]
    assert cells[0][0] == "事项" and len(cells) == 1 + 4
    assert cells[1][:4] == ["问题超期未办结", "甲队", "B班", "人***1"]
    text = "\n".join(s.text_frame.text for s in slides[1].shapes if s.has_text_frame)
    assert f"另有 {(items['unit'] == '甲队').sum() - 4} 项未列出" in text
    assert "人员001" not in "\n".join(c for row in cells for c in row)


def test_view_says_which_sheets_could_not_be_checked(todo_mine):
    ind = Indicators(todo_mine)
    assert todo_view.todo_view(ind.get, RANGE).sections[0].notice == ""   # the whole mine sent every source
    # 丙队 sent only a 人员名册: its list is empty, but that is not known to be nothing to chase.
    view = todo_view.todo_view(ind.get, Filter(("丙队",), (), FEB, FEB))
    assert ind.get("todo", Filter(("丙队",), (), FEB, FEB)).items.empty
    notice = view.sections[0].notice
    assert notice.startswith("所选范围内未报送《班组信息》《发展党员》《包保对子》《问题台帐》") and "无法检查" in notice
    # Nothing at all for the range: the page explains what to upload instead of 没有待办事项.
    empty = todo_view.todo_view(ind.get, Filter((), (), D(2010, 1, 1), D(2010, 1, 1)))
    assert empty.empty == todo_view.NOTHING_SENT and not empty.sections

"""待办督办 as people read it: the list in urgency order with Chinese kinds, counts per 队 and per kind,
the 督办单 of one 队 (a workbook through lib.present.exports) and its slide rows for the 汇报 deck.

Built from `get("todo", f)` (lib.metrics.todo) with the caller's getter: masked on screen in 会议模式
and in the deck unless full names are allowed, like every other view. No Streamlit here.
"""
from __future__ import annotations

import pandas as pd

from lib.labels import COLUMN_LABELS, TODO_KIND_LABELS
from lib.metrics import thresholds
from lib.metrics.query import Filter
from lib.metrics.registry import Getter
from lib.natural_order import natural_sorted
from lib.present import charts
from lib.present.view_parts import Chart, Kpi, PageView, Section

TITLE = "待办督办"
# What a 督办单 and the page's table show, in this order (English field → Chinese header).
SHOWN = {"kind_label": "事项", "unit": COLUMN_LABELS["unit"], "team": COLUMN_LABELS["team"],
         "who": COLUMN_LABELS["who"], "since": COLUMN_LABELS["since"], "days": "已过天数",
         "action": COLUMN_LABELS["action"]}
NO_TEAM = "（全队）"   # an item of the whole 队 (a report not sent)
HELP = (f"截至区间末：超过{thresholds.OPEN_PROBLEM_DAYS}天未解决的问题、{thresholds.OVERDUE_TALK_DAYS}天以上未谈心的有效对子、"
        f"接收满{thresholds.PROBATION_DAYS}天未转正的预备党员、应报送未报送的报表、无挂靠联系人的空白班组、"
        "最近一个季度六好未全部达标的示范岗、无管理委员会或缺少某类理念口号的班组（只看已报送该名单的队）")


def with_labels(items: pd.DataFrame) -> pd.DataFrame:
    """The items (already most urgent first) with the kind in Chinese, for tables and slides."""
    out = items.copy()
    out.insert(1, "kind_label", out["kind"].map(TODO_KIND_LABELS))
    return out


def units_of(items: pd.DataFrame) -> list[str]:
    """The 队 with items, in natural order."""
    return natural_sorted(items["unit"].dropna().unique())


def per_unit(items: pd.DataFrame, unit: str) -> pd.DataFrame:
    return items[items["unit"] == unit].reset_index(drop=True)


def counts(items: pd.DataFrame) -> pd.DataFrame:
    """unit, kind, kind_label, items — one row per 队 and kind with items."""
    table = items.groupby(["unit", "kind"]).size().rename("items").reset_index()
    table["kind_label"] = table["kind"].map(TODO_KIND_LABELS)
    return table


def count_chart(items: pd.DataFrame) -> Chart:
    """Items per 队, stacked by kind."""
    name = "各队待办事项"
    if items.empty:
        return Chart(name, charts.empty_figure("没有待办事项", name), wide=True)
    return Chart(name, charts.stacked_counts(counts(items), "unit", "items", "kind_label", name, "事项数"), wide=True)


def kind_chart(items: pd.DataFrame) -> Chart:
    name = "各类待办事项"
    table = items.groupby("kind").size().rename("items").reset_index()
    table["kind_label"] = table["kind"].map(TODO_KIND_LABELS)
    if table.empty:
        return Chart(name, charts.empty_figure("没有待办事项", name))
    return Chart(name, charts.count_bars(table, "kind_label", "items", name, "事项数"))


def shown_table(items: pd.DataFrame) -> pd.DataFrame:
    """The items as a 督办单 shows them: Chinese headers, a 队-wide item's 班组 said in words."""
    table = with_labels(items)
    table["team"] = [t if t else NO_TEAM for t in table["team"]]
    table["since"] = [None if pd.isna(d) else d for d in table["since"]]
    return table[list(SHOWN)].rename(columns=SHOWN)


def workbook_frames(items: pd.DataFrame, unit: str) -> dict[str, pd.DataFrame]:
    """One 队's 督办单 for lib.present.exports.export_table (masking goes by the Chinese headers too)."""
    return {f"{unit}督办单"[:31]: shown_table(per_unit(items, unit))}


def file_name(unit: str, f: Filter) -> str:
    return f"督办单_{unit}_{f.end:%Y%m}"


def todo_view(get: Getter, f: Filter) -> PageView:
    items = get("todo", f).items
    kinds = items["kind"].value_counts()
    cards = (
        Kpi("待办事项", len(items), unit=" 项", lower_is_better=True, help=HELP),
        Kpi("涉及的队", items["unit"].nunique(), unit=" 个"),
        Kpi(TODO_KIND_LABELS["overdue_problem"], int(kinds.get("overdue_problem", 0)), unit=" 个",
            lower_is_better=True),
        Kpi(TODO_KIND_LABELS["overdue_talk"], int(kinds.get("overdue_talk", 0)), unit=" 对", lower_is_better=True),
    )
    return PageView(TITLE, note=f"截至{f.as_of:%Y-%m-%d}", sections=(
        Section(kpis=cards, charts=(count_chart(items), kind_chart(items)), name="summary"),))


def slide_rows(items: pd.DataFrame, limit: int) -> tuple[list[list[str]], int]:
    """A 队's most urgent items as text rows for its 待办 slide, and how many did not fit."""
    table = shown_table(items)
    rows = [["" if pd.isna(v) else str(v) for v in record] for record in table.head(limit).itertuples(index=False)]
    return rows, max(0, len(table) - limit)

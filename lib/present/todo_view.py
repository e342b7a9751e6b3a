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
from lib.present.formatting import sheet_names
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
# The sheets the items are read from (lib.metrics.todo): one not sent for the range cannot be checked,
# so an empty list there means "not known", never "nothing to chase" (未报送 is not 0).
SOURCES = ("roster", "team_info", "development", "pairs", "problems", "model_posts", "committee", "slogans")
NOTHING_SENT = ("所选范围内没有任何队报送《人员名册》或《班组信息》，无法列出待办事项",
                "请在“数据上传”页上传各队的《人员名册》和《班组信息》，或调整左侧的队和月份。")
NOTHING_TO_DO = "没有待办事项"


def nothing_sent(reported) -> bool:
    """Neither a 人员名册 nor a 班组信息 for the range: there is nothing to check the items against."""
    return not {"roster", "team_info"} & set(reported.sent)


def unchecked(reported) -> tuple[str, ...]:
    """The Chinese names of the source sheets not sent for the range."""
    return reported.missing(*SOURCES)


def unchecked_text(reported) -> str:
    """A sentence on the sheets not sent ('' when every one was): their items cannot be listed."""
    missing = unchecked(reported)
    if not missing:
        return ""
    return (f"所选范围内未报送{sheet_names(missing)}，这些报表涉及的待办事项无法检查，"
            "列表中没有不等于没有待办。")


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


def records(items: pd.DataFrame) -> list[dict]:
    """The items as the CLI's JSON objects: kind, unit, team (None for a whole 队), who, since (ISO date
    or None), days (int or None), action — most urgent first."""
    out = []
    for r in items.itertuples(index=False):
        out.append({"kind": r.kind, "unit": r.unit, "team": r.team or None,
                    "who": None if r.who is None or pd.isna(r.who) else str(r.who),
                    "since": None if r.since is None or pd.isna(r.since) else r.since.isoformat(),
                    "days": None if pd.isna(r.days) else int(r.days), "action": r.action})
    return out


def todo_view(get: Getter, f: Filter) -> PageView:
    reported = get("reported_sheets", f)
    if nothing_sent(reported):
        return PageView(TITLE, empty=NOTHING_SENT)
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
        Section(kpis=cards, charts=(count_chart(items), kind_chart(items)), name="summary",
                notice=unchecked_text(reported)),))


def slide_rows(items: pd.DataFrame, limit: int) -> tuple[list[list[str]], int]:
    """A 队's most urgent items as text rows for its 待办 slide, and how many did not fit."""
    table = shown_table(items)
    rows = [["" if pd.isna(v) else str(v) for v in record] for record in table.head(limit).itertuples(index=False)]
    return rows, max(0, len(table) - limit)

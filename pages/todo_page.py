"""待办督办: every overdue or missing item as of the end of the range (lib.metrics.todo), grouped by
队 and most urgent first, each with the page that explains it; a 督办单 (.xlsx) per 队.

Names are masked as on every page (ui.metric: 会议模式, roles without full names); the 督办单 goes
through the logged, formula-safe export (ui.excel_download → lib.present.exports.export_table).
"""
from urllib.parse import urlencode

import pandas as pd
import streamlit as st

import ui
from lib.labels import TODO_KIND_LABELS
from lib.present import todo_view
from lib.present.literal import markdown_literal
from lib.present.todo_view import NOTHING_TO_DO, per_unit, shown_table, units_of

# The page that explains each kind of item: its script (for st.page_link), URL path and title.
EXPLAINED_BY = {
    "overdue_problem": ("pages/problems_page.py", "problems", "问题台帐", ":material/assignment:"),
    "overdue_talk": ("pages/pairs_talks_page.py", "pairs", "包保谈心", ":material/forum:"),
    "due_full_membership": ("pages/development_page.py", "development", "发展党员", ":material/person_add:"),
    "blank_team_without_liaison": ("pages/coverage_page.py", "coverage", "党员覆盖", ":material/groups:"),
    "missing_report": ("pages/submissions_page.py", "submissions", "报送情况", ":material/fact_check:"),
    "failed_six_good": ("pages/model_posts_page.py", "model-posts", "党员示范岗", ":material/lightbulb:"),
    "team_without_committee": ("pages/team_building_page.py", "team-building", "班组建设", ":material/diversity_3:"),
    "missing_slogan_category": ("pages/team_building_page.py", "team-building", "班组建设",
                                ":material/diversity_3:"),
}
LINK = "相关页面"


def link_query(unit: str, selection) -> dict:
    """What a link to an explaining page carries: the item's 队, the same months, and 会议模式."""
    query = {"unit": unit, "from": selection.start.strftime("%Y-%m"), "to": selection.end.strftime("%Y-%m")}
    if ui.meeting_mode():
        query["mode"] = "meeting"
    return query


def link(kind: str, unit: str, selection) -> str:
    """A relative link to the explaining page for the item's 队; the page's title after # is what
    the cell shows."""
    _, path, title, _ = EXPLAINED_BY[kind]
    return f"{path}?{urlencode(link_query(unit, selection))}#{title}"


def unit_table(items: pd.DataFrame, unit: str, selection) -> pd.DataFrame:
    """One 队's rows as the 督办单 shows them, with the link to the page that explains each."""
    mine = per_unit(items, unit)
    table = shown_table(mine)
    table[LINK] = [link(kind, unit, selection) for kind in mine["kind"]]
    return table


selection = ui.current_filter()
items = ui.metric("todo", selection).items
units = units_of(items)
# 会议模式: the counts on the first screen, then one screen a 队.
screens = ui.Screens("todo", ["待办概况", *units])
ui.show_page(todo_view.todo_view, screens, "待办概况")

if items.empty:
    st.success(markdown_literal(f"{NOTHING_TO_DO}：截至{selection.as_of:%Y-%m-%d}，所选范围内没有需要督办的事项。"),
               icon=":material/task_alt:")
    st.stop()

kinds = [k for k in TODO_KIND_LABELS if k in set(items["kind"])]
if not screens.meeting:
    st.markdown("##### 相关页面")
    pages = list(dict.fromkeys(EXPLAINED_BY[k] for k in kinds))
    for col, (script, _, title, icon) in zip(st.columns(len(pages)), pages):
        col.page_link(script, label=title, icon=icon)

    st.markdown("##### 督办清单（按队，最紧急的在前）")
    st.caption("同一队内先按事项的紧急程度（问题超期、对子逾期、待转正……），再按已过天数从长到短排列；"
               "“（全队）”为整个队的事项（如缺报）。点“相关页面”一列在新标签页中打开说明该事项的页面。")
for unit in units:
    if not screens.show(unit):
        continue
    table = unit_table(items, unit, selection)
    per_kind = table["事项"].value_counts()
    st.markdown(f"###### {markdown_literal(unit)} · {len(table)} 项")
    st.caption(markdown_literal(" · ".join(f"{TODO_KIND_LABELS[k]} {per_kind[TODO_KIND_LABELS[k]]}"
                                           for k in kinds if TODO_KIND_LABELS[k] in per_kind)))
    if screens.meeting:  # large print; the explaining pages as buttons under it, no downloads
        ui.meeting_table(table.drop(columns=[LINK, "队"]), rows=10)  # the 队 is the screen's heading
        related = list(dict.fromkeys(EXPLAINED_BY[k] for k in per_unit(items, unit)["kind"]))
        for col, (script, _, title, icon) in zip(st.columns(len(related)), related):
            col.page_link(script, label=title, icon=icon, query_params=link_query(unit, selection))
        continue
    st.dataframe(table, hide_index=True, width="stretch", placeholder="",
                 column_config={LINK: st.column_config.LinkColumn(LINK, display_text=r"#(.+)$"),
                                "督办事项": st.column_config.TextColumn("督办事项", width="large")})
    ui.excel_download(f"下载督办单（{markdown_literal(unit)}）", todo_view.workbook_frames(items, unit),
                      todo_view.file_name(unit, selection), key=f"duban-{unit}", what=f"督办单：{unit}")

"""班组建设: the three systems inside each team — 管理委员会, 理念口号, and the honours that result."""
import streamlit as st

import ui
from lib.present.page_views import team_building_view

selection = ui.current_filter()
view = team_building_view(ui.metric, selection)
ui.show_view(view, selection)
sections = [view.section(name) for name in ("committee", "slogans", "honours")]
committee_section, slogan_section, honour_section = sections
committee, slogans, honours = (ui.metric(name, selection) for name in ("committee", "slogans", "honours"))


def committee_part() -> None:
    ui.show_section(committee_section, heading=False)
    if not committee_section.empty:
        left, right = st.columns(2)
        with left:
            st.subheader("没有管理委员会的班组")
            ui.table(committee.teams_without, "没有管理委员会的班组", empty="每个班组都有管理委员会。",
                     meeting_rows=8)
        with right:
            st.subheader("各班组委员情况")
            ui.table(ui.percent_columns(committee.per_team, "share"), "各班组管理委员会",
                     columns={"unit": "队", "team": "班组", "headcount": "人数", "committee_members": "委员人数",
                              "share": "委员占比"}, meeting_rows=8)


def slogan_part() -> None:
    ui.show_section(slogan_section, heading=False)
    if not slogan_section.empty:
        st.subheader("缺少某一类的班组")
        ui.table(slogans.teams_missing, "缺少理念口号的班组", empty="每个班组三类理念口号都已齐全。",
                 meeting_rows=8)
        if not ui.meeting_mode():  # counts and texts per team: too long for a projector screen
            st.subheader("各班组理念口号条数")
            ui.table(slogans.per_team, "各班组理念口号",
                     columns={"unit": "队", "team": "班组", **{c: c for c in slogans.by_category["category"]}})
            st.subheader("理念口号内容")
            ui.table(slogans.entries, "理念口号内容",
                     columns={"unit": "队", "team": "班组", "category": "类别", "content": "内容"})


def honour_part() -> None:
    ui.show_section(honour_section, heading=False)
    if not honour_section.empty:
        st.subheader("荣誉明细")
        ui.table(honours.entries, "荣誉明细",
                 columns={"year": "年度", "title": "荣誉名称", "awarded_by": "授予单位", "unit": "队", "team": "班组",
                          "recipient": "获得者"}, meeting_rows=6)


parts = [committee_part, slogan_part, honour_part]
headings = [s.heading for s in sections]
screens = ui.Screens("team-building", headings)
if screens.meeting:  # one screen a part, its heading where the tab was
    for heading, part in zip(headings, parts):
        if screens.show(heading):
            st.markdown(f"##### {heading}")
            part()
else:
    for tab, part in zip(st.tabs(headings), parts):
        with tab:
            part()

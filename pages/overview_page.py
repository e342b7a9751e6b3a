"""总览: the whole 3+3+3 at a glance — 本月要点, a row of KPIs per part, then the four charts that matter.

In 会议模式 the same content is laid out to fit one 1920×1080 screen: 本月要点 in two columns, the
three parts side by side (cards two by two), the four charts in one row.
"""
import streamlit as st

import ui
from lib.present.literal import markdown_literal
from lib.present.page_views import overview_view
from ui.data import shared_view

MEETING_CHART_HEIGHT = 330  # px: four charts in one row under the cards still fit 1080 px

selection = ui.current_filter()
view = shared_view(overview_view, selection)  # one build for every session with this filter and data
ui.show_view(view, selection)
kpi_sections = [view.section(name) for name in ("three_efforts", "three_actions", "three_systems")]
chart_section = view.section("charts")
meeting = ui.meeting_mode()

TONE_ICONS = {"good": ":green[▲]", "bad": ":red[▼]", "neutral": ":gray[●]"}
points = ui.highlights(selection)
if points:
    with st.container(border=True):
        st.markdown("**本月要点**")
        lines = [f"- {TONE_ICONS[p.tone]} {markdown_literal(p.text)}" for p in points]  # 队/班组 are data
        if meeting:
            half = (len(lines) + 1) // 2
            for col, part in zip(st.columns(2), (lines[:half], lines[half:])):
                col.markdown("\n".join(part))
        else:
            st.markdown("\n".join(lines))

if meeting:
    for col, section in zip(st.columns(len(kpi_sections), gap="medium"), kpi_sections):
        with col:
            st.markdown(f"##### {markdown_literal(section.heading)}")
            for i in range(0, len(section.kpis), 2):
                ui.kpi_row(list(section.kpis[i:i + 2]))
    for col, item in zip(st.columns(len(chart_section.charts)), chart_section.charts):
        with col:
            ui.show_chart(item, height=MEETING_CHART_HEIGHT)  # on a copy: the view is shared
else:
    for section in view.sections:
        ui.show_section(section)

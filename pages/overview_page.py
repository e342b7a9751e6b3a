"""总览: the whole 3+3+3 at a glance — 本月要点, a row of KPIs per part, then the four charts that matter."""
import streamlit as st

from lib import ui
from lib.views import overview_view

f = ui.current_filter()
view = overview_view(ui.metric, f)
ui.show_view(view, f)

TONE_ICONS = {"good": ":green[▲]", "bad": ":red[▼]", "neutral": ":gray[●]"}
points = ui.highlights(f)
if points:
    with st.container(border=True):
        st.markdown("**本月要点**")
        st.markdown("\n".join(f"- {TONE_ICONS[p.tone]} {p.text}" for p in points))

for section in view.sections:
    ui.show_section(section)

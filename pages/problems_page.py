"""问题台帐: the 微民生 problems found in talks — 早发现、早反馈、早解决."""
import streamlit as st

import ui
from lib.present.page_views import overdue_problems_label, problems_view

screens = ui.Screens("problems", ["问题概况", "超期未办结问题", "按类别和按队"])
selection = ui.show_page(problems_view, screens, "问题概况")

ledger = ui.metric("problem_ledger", selection)
if screens.show("超期未办结问题"):
    st.subheader(overdue_problems_label())
    ui.table(ledger.overdue_open, "超期未办结问题", empty="没有超期未办结的问题。", meeting_rows=18)

if screens.show("按类别和按队"):
    left, right = st.columns(2)
    with left:
        st.subheader("按问题类别")
        ui.table(ledger.by_category, "问题按类别", meeting_rows=18)
    with right:
        st.subheader("按队")
        ui.table(ledger.by_unit, "问题按队", meeting_rows=18)

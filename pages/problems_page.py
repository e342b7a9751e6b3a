"""问题台帐: the 微民生 problems found in talks — 早发现、早反馈、早解决."""
import streamlit as st

import ui
from lib.present.page_views import overdue_problems_label, problems_view

selection = ui.show_page(problems_view)

ledger = ui.metric("problem_ledger", selection)
st.subheader(overdue_problems_label())
ui.table(ledger.overdue_open, "超期未办结问题", empty="没有超期未办结的问题。")

left, right = st.columns(2)
with left:
    st.subheader("按问题类别")
    ui.table(ledger.by_category, "问题按类别")
with right:
    st.subheader("按队")
    ui.table(ledger.by_unit, "问题按队")

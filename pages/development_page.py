"""发展党员 (发展上加力): who the development targets are, where the pipeline stands, what is late."""
import streamlit as st

import ui
from lib.metrics import thresholds
from lib.present.formatting import date_text
from lib.present.page_views import development_view

screens = ui.Screens("development", ["发展概况", "待转正与培养期", "各阶段人数和用时"])
selection = ui.show_page(development_view, screens, "发展概况")

pipeline = ui.metric("dev_pipeline", selection)
as_of = date_text(pipeline.as_of)

if screens.show("待转正与培养期"):
    st.markdown("##### 待转正人员")
    st.caption(f"接收预备党员满 {thresholds.PROBATION_DAYS} 天（预备期一年）、截至{as_of}仍未转正的人员，按逾期天数排列。")
    ui.table(pipeline.awaiting_full, "待转正人员",
             columns={"unit": "队", "team": "班组", "staff_id": "工号", "name": "姓名",
                      "probation_on": "接收预备党员时间", "due_on": "应转正日期", "days_overdue": "逾期天数"},
             empty="没有逾期未转正的预备党员", meeting_rows=7)

    st.markdown("##### 培养期不足一年")
    st.caption("区间内确定的发展对象中，从确定积极分子到确定发展对象不足一年的人员（应培养一年以上）。")
    ui.table(pipeline.fast_promotions, "培养期不足一年",
             columns={"unit": "队", "team": "班组", "staff_id": "工号", "name": "姓名",
                      "activist_on": "确定积极分子时间", "candidate_on": "确定发展对象时间", "days": "培养天数"},
             empty="没有培养期不足一年的发展对象", meeting_rows=7)

if screens.show("各阶段人数和用时"):
    left, right = st.columns(2)
    with left:
        st.markdown("##### 各阶段人数")
        ui.table(pipeline.stage_counts, "发展党员各阶段人数",
                 columns={"stage": "阶段", "people": f"截至{as_of}人数", "entered": "区间内进入"})
    with right:
        st.markdown("##### 各阶段用时")
        ui.table(pipeline.stage_days, "发展党员各阶段用时",
                 columns={"from_stage": "从", "to_stage": "到", "people": "人数", "median_days": "用时中位数（天）"})

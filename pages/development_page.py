"""发展党员 (发展上加力): who the development targets are, where the pipeline stands, what is late."""
import streamlit as st

from lib import charts, settings, ui

UPLOAD_HINT = "请在“数据上传”页上传各队的《发展党员》名单，或调整左侧的队、班组和月份。"

f = ui.current_filter()
shares, shares_before = ui.metric("dev_shares", f), ui.metric("dev_shares", f.previous())
pipeline, pipeline_before = ui.metric("dev_pipeline", f), ui.metric("dev_pipeline", f.previous())
as_of = f"{pipeline.as_of.year}年{pipeline.as_of.month}月{pipeline.as_of.day}日"
ui.page_header("发展党员", f, note=f"阶段人数截至{as_of}")

if not pipeline.stage_counts[["people", "entered"]].to_numpy().any():
    ui.empty_state("所选范围内没有发展党员记录", UPLOAD_HINT)
    st.stop()

ui.kpi_row([
    {"label": "发展对象中一线职工", "value": shares.frontline, "previous": shares_before.frontline,
     "help": "区间内确定为发展对象的人员中，一线职工所占比例。"},
    {"label": "发展对象中班组长", "value": shares.leader, "previous": shares_before.leader,
     "help": "区间内确定为发展对象的人员中，班组长所占比例。"},
    {"label": "待转正", "value": len(pipeline.awaiting_full), "previous": len(pipeline_before.awaiting_full),
     "unit": " 人", "lower_is_better": True,
     "help": f"接收预备党员满 {settings.PROBATION_DAYS} 天仍未转为正式党员的人数（截至{as_of}）。"},
    {"label": "培养期不足一年", "value": len(pipeline.fast_promotions),
     "previous": len(pipeline_before.fast_promotions), "unit": " 人", "lower_is_better": True,
     "help": f"区间内确定的发展对象中，距确定积极分子不足 {settings.FAST_PROMOTION_DAYS} 天的人数（违反培养一年以上的规定）。"},
])


def render_charts() -> None:
    left, right = st.columns(2)
    with left:
        counts = pipeline.stage_counts
        ui.chart(charts.funnel(list(counts["stage"]), [int(v) for v in counts["people"]],
                               f"各阶段人数（截至{as_of}）"), "发展党员各阶段人数")
    with right:
        steps = pipeline.stage_days.assign(
            step=[f"{a}→{b}" for a, b in zip(pipeline.stage_days["from_stage"], pipeline.stage_days["to_stage"])])
        ui.chart(charts.ordered_bars(steps, "step", "median_days", "各阶段用时（中位数）", "天数", n="people"),
                 "发展党员各阶段用时")


def render_tables() -> None:
    st.markdown("##### 待转正人员")
    st.caption(f"接收预备党员满 {settings.PROBATION_DAYS} 天（预备期一年）、截至{as_of}仍未转正的人员，按逾期天数排列。")
    ui.table(pipeline.awaiting_full, "待转正人员",
             columns={"unit": "队", "team": "班组", "staff_id": "工号", "name": "姓名",
                      "probation_on": "接收预备党员时间", "due_on": "应转正日期", "days_overdue": "逾期天数"},
             empty="没有逾期未转正的预备党员")

    st.markdown("##### 培养期不足一年")
    st.caption("区间内确定的发展对象中，从确定积极分子到确定发展对象不足一年的人员（应培养一年以上）。")
    ui.table(pipeline.fast_promotions, "培养期不足一年",
             columns={"unit": "队", "team": "班组", "staff_id": "工号", "name": "姓名",
                      "activist_on": "确定积极分子时间", "candidate_on": "确定发展对象时间", "days": "培养天数"},
             empty="没有培养期不足一年的发展对象")

    left, right = st.columns(2)
    with left:
        st.markdown("##### 各阶段人数")
        ui.table(pipeline.stage_counts, "发展党员各阶段人数",
                 columns={"stage": "阶段", "people": f"截至{as_of}人数", "entered": "区间内进入"})
    with right:
        st.markdown("##### 各阶段用时")
        ui.table(pipeline.stage_days, "发展党员各阶段用时",
                 columns={"from_stage": "从", "to_stage": "到", "people": "人数", "median_days": "用时中位数（天）"})


render_charts()
render_tables()

"""报送情况: which 队 has sent which sheet for which month or quarter, and what is missing.

The grid is every 队 (from the 人员名册/班组信息 in range) × every month (or quarter) of the chosen
range; a cell is 已报送 when the sheet has rows for that 队 and period. Whole-list sheets (发展党员,
包保对子, 责任区 …) have no period: their table shows the rows loaded and the last import.
"""
import datetime as dt

import streamlit as st

import ui
from lib.ingest.sheets import SHEETS
from lib.metrics.query import Ratio
from lib.present import charts
from lib.present.formatting import period_text, timestamp_text

selection = ui.current_filter()
status = ui.metric("submission_status", selection)
ui.page_header("报送情况", selection, note="各队各期报表是否已导入")

matrix, lists = status.matrix, status.lists
if matrix.empty and lists.empty:
    ui.empty_state("所选范围内还没有任何队的人员名册或班组信息，无法列出应报送的队",
                   "请先在“数据上传”页上传各队的人员名册，或调整左侧的队和月份。")
    st.stop()

PERIOD_WORDS = {"month": "月份", "quarter": "季度"}
periodic = [s for s in SHEETS if s.period in PERIOD_WORDS and s.label in set(matrix["sheet"])]
BY_DATE = {"talks": "谈心日期", "problems": "发现日期"}  # counted by a date in the rows, not a reported period


def period_column(period: str):
    """What the heat map's columns sort by: a date for a month (shown as 2024年6月), text for a quarter."""
    if "Q" in period:
        return period_text(period)
    return dt.date(int(period[:4]), int(period[5:7]), 1)


def readable(fig):
    """Column labels below the grid (on top they collide with the title), on two lines when they fit."""
    fig.update_xaxes(side="bottom")
    if fig.data and len(fig.data[0].x) <= 14:
        x = [str(v) for v in fig.data[0].x]
        fig.update_xaxes(tickmode="array", tickvals=x, ticktext=[v.replace("年", "年<br>", 1) for v in x],
                         tickangle=0)
    return fig


if periodic:
    chosen = st.radio("报表", [s.label for s in periodic], horizontal=True, key="submissions-sheet")
    sheet = next(s for s in periodic if s.label == chosen)
    word = PERIOD_WORDS[sheet.period]
    cells = matrix[matrix["sheet"] == sheet.label].copy()
    cells = cells.sort_values("period", kind="stable")
    loaded = int(cells["loaded"].sum())
    missing = cells[~cells["loaded"]]
    latest = cells["imported_at"].max()

    ui.kpi_row([
        {"label": f"{sheet.label} 已报送 / 应报送", "value": Ratio(loaded, len(cells)),
         "help": f"应报送 = 范围内的队数 × {word}数；有数据行即算已报送"},
        {"label": "缺报", "value": len(missing), "unit": " 份", "lower_is_better": True},
        {"label": "涉及的队", "value": int(cells["unit"].nunique()), "unit": " 个"},
        {"label": "最近一次导入", "value": timestamp_text(latest, with_time=False) or None},
    ])
    if sheet.key in BY_DATE:
        st.caption(f"{sheet.label}没有报送期间，按表中的“{BY_DATE[sheet.key]}”归入月份：某月没有记录即显示为“缺”，"
                   "可能是漏报，也可能当月确实没有记录。")

    # Missing cells are what the department chases, so they carry the colour.
    cells["state"] = cells["loaded"].astype(int)
    cells["text"] = [str(r) if ok else "缺" for r, ok in zip(cells["rows"], cells["loaded"])]
    cells["column"] = [period_column(p) for p in cells["period"]]
    fig = charts.heatmap(cells, "unit", "column", "state", f"各队{sheet.label}报送情况（数字为行数，“缺”为未报送）",
                         "行数", text="text", colors=((0, charts.RED_LIGHT), (1, "#F2F2F2")), zmax=1)
    ui.chart(readable(fig), f"{sheet.label}报送情况")

    st.markdown(f"##### 缺报清单 · {sheet.label}")
    shown = missing.assign(period=[period_text(p) for p in missing["period"]])
    ui.table(shown, f"{sheet.label}缺报清单", columns={"unit": "队", "sheet": "报表", "period": word},
             empty=f"所选范围内各队的{sheet.label}均已报送。", key="download-missing")

    all_missing = matrix[~matrix["loaded"]]
    if len(all_missing) > len(missing):
        every = all_missing.assign(period=[period_text(p) for p in all_missing["period"]])
        every = ui.labelled(every, {"unit": "队", "sheet": "报表", "period": "期间"})
        ui.excel_download(f"下载全部报表的缺报清单（{len(all_missing)} 项）", {"全部缺报清单": every},
                          "全部缺报清单", key="download-all-missing")

st.markdown("##### 名单类报表（整份报送，无月份）")
st.caption("发展党员、包保对子、责任区、管理委员会、理念口号、荣誉等按队整份报送，重新上传即替换该队原有名单。"
           "下表为每个队当前的行数和最近一次导入时间。")
if lists.empty:
    st.caption("没有名单类报表。")
else:
    listed = lists.copy()
    listed["imported_at"] = [timestamp_text(t)
                             for t in listed["imported_at"]]
    listed["text"] = [str(r) if ok else "缺" for r, ok in zip(listed["rows"], listed["loaded"])]
    listed["state"] = listed["loaded"].astype(int)
    fig = charts.heatmap(listed, "unit", "sheet", "state", "各队名单类报表（数字为行数，“缺”为未报送）", "行数",
                         text="text", colors=((0, charts.RED_LIGHT), (1, "#F2F2F2")), zmax=1)
    ui.chart(readable(fig), "名单类报表报送情况")
    ui.table(listed, "名单类报表报送情况",
             columns={"unit": "队", "sheet": "报表", "loaded": "已报送", "rows": "行数", "imported_at": "最近导入时间"},
             key="download-lists")

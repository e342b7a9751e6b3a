"""报送情况: which 队 has sent which sheet for which month or quarter, and what is missing.

The grid is every 队 (from the 人员名册/班组信息 in range) × every month (or quarter) of the chosen
range; a cell is 已报送 when the sheet has rows for that 队 and period. A 队 is expected to send a
sheet from its first report of it onward, or from the start month a 管理员 sets below
(lib/store/expectations.py): earlier cells are not 缺报 ("—"). Whole-list sheets (发展党员, 包保对子,
责任区 …) have no period: their table shows the rows loaded and the last import.
"""
import datetime as dt

import streamlit as st

import ui
from lib.access.auth import PermissionDenied
from lib.ingest.sheets import SHEETS
from lib.metrics.query import Ratio
from lib.natural_order import natural_sorted
from lib.present import charts
from lib.present.formatting import month_text, period_text, timestamp_text
from lib.present.literal import markdown_literal
from lib.store.expectations import clear_expected_start, expected_starts, set_expected_start

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
NOT_EXPECTED = "—"
# Cell colours: 缺 carries the colour (what the department chases), 已报送 light grey, not yet expected white.
MISSING, BEFORE, SENT = 0, 0.5, 1
CELL_COLOURS = ((MISSING, charts.RED_LIGHT), (BEFORE, "#FFFFFF"), (SENT, "#F2F2F2"))


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


def cell_states(frame):
    """Heat-map value and text per row: the rows sent, 缺 when expected and missing, — before it is expected."""
    frame = frame.copy()
    frame["state"] = [SENT if ok else (MISSING if due else BEFORE) for ok, due in zip(frame["loaded"], frame["expected"])]
    frame["text"] = [str(r) if ok else ("缺" if due else NOT_EXPECTED)
                     for r, ok, due in zip(frame["rows"], frame["loaded"], frame["expected"])]
    return frame


def expected_from_text(frame) -> str:
    """Which 队 are expected from when, for the chosen sheet: 综采队 2024年3月起（管理员设置）…"""
    parts = []
    for unit, start, set_by_admin in (frame[["unit", "expected_from", "start_set"]].drop_duplicates()
                                      .itertuples(index=False)):
        if start is None:
            parts.append(f"{unit} 尚未报送过")
        else:
            parts.append(f"{unit} {period_text(start)}起" + ("（管理员设置）" if set_by_admin else ""))
    return "；".join(parts)


screens = ui.Screens("submissions", ["报送情况", "缺报清单", "名单类报表"])
if periodic and (screens.show("报送情况") or screens.show("缺报清单")):
    chosen = st.radio("报表", [s.label for s in periodic], horizontal=True, key="submissions-sheet")
    sheet = next(s for s in periodic if s.label == chosen)
    word = PERIOD_WORDS[sheet.period]
    cells = matrix[matrix["sheet"] == sheet.label].copy()
    cells = cells.sort_values("period", kind="stable")
    due = cells[cells["expected"]]
    loaded = int(due["loaded"].sum())
    missing = due[~due["loaded"]]
    latest = cells["imported_at"].max()

    if screens.show("报送情况"):
        ui.kpi_row([
            {"label": f"{sheet.label} 已报送 / 应报送", "value": Ratio(loaded, len(due)), "none_text": "尚无应报送",
             "help": f"应报送：各队从首次报送该表的{word}起（或管理员设置的起始月份起）的每个{word}；"
                     "有数据行即算已报送"},
            {"label": "缺报", "value": len(missing), "unit": " 份", "lower_is_better": True},
            {"label": "涉及的队", "value": int(cells["unit"].nunique()), "unit": " 个"},
            {"label": "最近一次导入", "value": timestamp_text(latest, with_time=False) or None, "none_text": "尚未导入"},
        ])
        if sheet.key in BY_DATE:
            st.caption(f"{sheet.label}没有报送期间，按表中的“{BY_DATE[sheet.key]}”归入月份：某月没有记录即显示为“缺”，"
                       "可能是漏报，也可能当月确实没有记录。")
        st.caption(markdown_literal(f"应报送起始：{expected_from_text(cells)}。“{NOT_EXPECTED}”为起始之前，不算缺报。"))

        cells = cell_states(cells)
        cells["column"] = [period_column(p) for p in cells["period"]]
        fig = charts.heatmap(cells, "unit", "column", "state",
                             f"各队{sheet.label}报送情况（数字为行数，“缺”为未报送，“{NOT_EXPECTED}”为应报送起始之前）",
                             "行数", text="text", colors=CELL_COLOURS, zmax=SENT)
        ui.chart(readable(fig), f"{sheet.label}报送情况")

    if screens.show("缺报清单"):
        st.markdown(f"##### 缺报清单 · {sheet.label}")
        shown = missing.assign(period=[period_text(p) for p in missing["period"]])
        ui.table(shown, f"{sheet.label}缺报清单", columns={"unit": "队", "sheet": "报表", "period": word},
                 empty=f"所选范围内各队应报送的{sheet.label}均已报送。", key="download-missing", meeting_rows=16)

        all_missing = matrix[matrix["expected"] & ~matrix["loaded"]]
        if len(all_missing) > len(missing):
            every = all_missing.assign(period=[period_text(p) for p in all_missing["period"]])
            every = ui.labelled(every, {"unit": "队", "sheet": "报表", "period": "期间"})
            ui.excel_download(f"下载全部报表的缺报清单（{len(all_missing)} 项）", {"全部缺报清单": every},
                              "全部缺报清单", key="download-all-missing")

if screens.show("名单类报表"):
    st.markdown("##### 名单类报表（整份报送，无月份）")
    st.caption("发展党员、包保对子、责任区、管理委员会、理念口号、荣誉等按队整份报送，重新上传即替换该队原有名单。"
               f"下表为每个队当前的行数和最近一次导入时间；从未报送、管理员也未设置起始月份的显示为“{NOT_EXPECTED}”。")
    if lists.empty:
        st.caption("没有名单类报表。")
    else:
        listed = cell_states(lists)
        listed["imported_at"] = [timestamp_text(t) for t in listed["imported_at"]]
        fig = charts.heatmap(listed, "unit", "sheet", "state",
                             f"各队名单类报表（数字为行数，“缺”为未报送，“{NOT_EXPECTED}”为尚不要求）", "行数",
                             text="text", colors=CELL_COLOURS, zmax=SENT)
        ui.chart(readable(fig), "名单类报表报送情况")
        if not screens.meeting:  # on the projector the chart says it all
            ui.table(listed, "名单类报表报送情况",
                     columns={"unit": "队", "sheet": "报表", "loaded": "已报送", "expected": "应报送", "rows": "行数",
                              "imported_at": "最近导入时间"},
                     key="download-lists")


# ---------------------------------------------------------------- 应报送起始月份 (管理员)

def start_settings() -> None:
    """A 管理员 sets (or removes) from which month a 队 is expected to send a sheet; logged."""
    store, _ = ui.get_store()
    user = ui.signed_in_user()
    starts = expected_starts(store)
    labels = {s.key: s.label for s in SHEETS}
    with st.expander("应报送起始月份", icon=":material/event:"):
        st.caption("默认各队从首次报送某类报表的月份起应报送；新接入的队或新增的报表可由管理员指定起始月份，"
                   "此前的月份不算缺报。设置记入操作记录。")
        if starts.empty:
            st.caption("目前没有设置。")
        else:
            shown = starts.assign(sheet=starts["sheet"].map(labels),
                                  start_month=[month_text(m) for m in starts["start_month"]],
                                  set_at=[timestamp_text(t) for t in starts["set_at"]])
            columns = {"unit": "队", "sheet": "报表", "start_month": "起始月份", "set_by": "设置人", "set_at": "设置时间"}
            if not user.can_admin:  # who did what is for a 管理员's eyes only, as in the logs
                del columns["set_by"]
            ui.table(shown, "应报送起始月份", columns=columns, key="download-starts")
        if not user.can_admin:
            st.caption("只有管理员可以设置应报送起始月份。")
            return
        units = natural_sorted(set(matrix["unit"]) | set(lists["unit"]))
        with st.form("expected-start-form", border=False):
            chosen_units = st.multiselect("队", units, key="start-units", placeholder="选择一个或多个队")
            chosen_sheets = st.multiselect("报表", list(labels), format_func=labels.get, key="start-sheets",
                                           placeholder="选择一类或多类报表")
            month = st.text_input("起始月份", key="start-month", placeholder="例如 2024-06 或 2024年6月")
            left, right = st.columns(2)
            save = left.form_submit_button("设置起始月份", type="primary", icon=":material/save:")
            clear = right.form_submit_button("取消设置（改为从首次报送起）", icon=":material/undo:")
        if not (save or clear):
            return
        try:
            if save:
                set_expected_start(store, user, chosen_units, chosen_sheets, month)
            else:
                clear_expected_start(store, user, chosen_units, chosen_sheets)
        except (ValueError, PermissionDenied) as problem:
            st.error(markdown_literal(str(problem)), icon=":material/error:")
            return
        ui.clear_caches()
        st.session_state["start-saved"] = "已保存应报送起始月份。" if save else "已取消所选队和报表的起始月份设置。"
        st.rerun()


if not screens.meeting:  # a 管理员's setting, not for the projector
    start_settings()
if "start-saved" in st.session_state:
    st.success(st.session_state.pop("start-saved"), icon=":material/check:")

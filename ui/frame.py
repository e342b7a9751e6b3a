"""The page frame every page is drawn with: title and scope line, KPI cards, sections of a view,
charts with a PNG download, tables with an Excel download, empty states, and the error guard.

Text that may come from a workbook (队, 班组, categories, anything inside a label, caption or
message) is handed to Streamlit's Markdown only through lib.present.literal.markdown_literal:
data is shown as the characters it is, never as a link, an image or markup."""
from __future__ import annotations

import datetime as dt
import logging
from contextlib import contextmanager

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from lib.labels import COLUMN_LABELS
from lib.metrics.query import Filter
from lib.present import charts, render
from lib.present.exports import export_chart_png, export_table
from lib.present.formatting import percent
from lib.present.literal import markdown_literal
from lib.present.team_profile_view import team_from_points
from lib.present.view_parts import Chart, Kpi, PageView, Section, scope_text
from lib.store.database import Store
from lib.store.faults import StoreFault
from ui import chinese
from ui.data import get_store, shared_view, units_and_teams
from ui.filters import current_filter, pick_team
from ui.meeting import meeting_mode
from ui.signin import full_names_shown, signed_in_user

log = logging.getLogger("dangjian")
TEAM_PROFILE_PAGE = "pages/team_profile_page.py"  # where a click on a team in a chart goes (班组画像)
ERROR_MESSAGE = "页面出现了意外问题，已记录。请刷新页面重试；如仍出现，请联系管理员。"


# Nothing is cut on a narrow screen (1366×768 with the sidebar open): a KPI card's label, value and
# change wrap instead of ending in "…", and the value is a little smaller when six cards share a row.
FIT_CSS = """<style>
[data-testid="stMetric"] [data-testid="stMarkdownContainer"], [data-testid="stMetric"] p {
  white-space: normal !important; text-overflow: clip !important; overflow: visible !important;}
[data-testid="stMetricDelta"] {height: auto !important;}
@media (max-width: 1600px) {[data-testid="stMetricValue"] {font-size: 1.8rem;}}
</style>"""


def page_style() -> None:
    """Once per run, before the page (st.html of a lone <style> takes no room)."""
    st.html(FIT_CSS)


def page_header(title: str, f: Filter, data_month: dt.date | None = None, note: str = "") -> None:
    st.title(markdown_literal(title))
    st.caption(markdown_literal(scope_text(f, data_month) + (f" · {note}" if note else "")))


def percent_columns(frame: pd.DataFrame, *columns: str) -> pd.DataFrame:
    """A copy with the given share columns (0–1) as text, 17.2% (无数据 where there is no base)."""
    out = frame.copy()
    for col in columns:
        out[col] = [percent(None if pd.isna(v) else float(v)) for v in out[col]]
    return out


def kpi(label: str, value, previous=None, help: str | None = None, lower_is_better: bool = False,
        unit: str = "", not_reported: tuple[str, ...] = (), none_text: str = "") -> None:
    """A KPI card: a Ratio shows its percentage with n/N under it; delta against the previous period;
    未报送 and what to upload when its sheets were not sent (lib.present.view_parts.Kpi)."""
    text = Kpi(label, value, previous, help, lower_is_better, unit, tuple(not_reported), none_text).text()
    st.metric(markdown_literal(label), text.shown, text.delta, help=markdown_literal(help) if help else None,
              border=True,
              delta_color="off" if text.flat else ("inverse" if lower_is_better else "normal"),
              delta_arrow="off" if text.flat else "auto")
    if text.caption:
        st.caption(markdown_literal(text.caption))


def kpi_row(cards: list[dict | Kpi]) -> None:
    for col, card in zip(st.columns(len(cards)), cards):
        with col:
            kpi(**(card if isinstance(card, dict) else vars(card)))


def show_view(view: PageView, f: Filter) -> None:
    """A page's header; a page with nothing to show explains what to upload and stops the run."""
    page_header(view.title, f, view.scope_month, view.note)
    if view.empty:
        empty_state(*view.empty)
        st.stop()


def show_page(make_view, screens=None, screen: str | None = None) -> Filter:
    """The common page: its view for the current filter, header (or empty state), every section
    (in 会议模式 only on the given screen of ui.screens.Screens); returns the filter for the
    page's own tables."""
    f = current_filter()
    view = shared_view(make_view, f)  # built once for every session with this filter and data
    show_view(view, f)
    if screens is None or screens.show(screen):
        for section in view.sections:
            show_section(section)
    return f


def show_section(section: Section, heading: bool = True) -> None:
    """Heading, caption, data notice, KPI cards, then the charts: wide ones alone, the others two a row."""
    if heading and section.heading:
        st.markdown(f"##### {markdown_literal(section.heading)}")
    if section.empty:
        empty_state(*section.empty)
        return
    if section.caption:
        st.caption(markdown_literal(section.caption))
    if section.notice:
        st.warning(markdown_literal(section.notice), icon=":material/warning:")
    if section.kpis:
        kpi_row(list(section.kpis))
    pending: list[Chart] = []
    for item in section.charts:
        if item.wide and not meeting_mode():  # on the projector two a row, to fit one screen
            _chart_row(pending)
            pending = []
            _chart_row([item])
        else:
            pending.append(item)
            if len(pending) == 2:
                _chart_row(pending)
                pending = []
    _chart_row(pending)


def _chart_row(items: list[Chart]) -> None:
    if len(items) == 1 and (items[0].wide or meeting_mode()):
        show_chart(items[0])
    elif items:
        for col, item in zip(st.columns(2), items):
            with col:
                show_chart(item)


def show_chart(item: Chart, **layout) -> None:
    chart(item.figure, item.name, wide=item.wide, layout=layout, team_click=item.teams)
    if item.caption:
        st.caption(markdown_literal(item.caption))


MEETING_CHART_HEIGHT = 360  # px at most in 会议模式: cards and two rows of charts fit one 1080 px screen


def chart(fig, name: str, wide: bool = False, layout: dict | None = None, team_click: bool = False) -> None:
    """A Plotly chart, and under it a PNG of it rendered on the server (built only when clicked);
    a chart with nothing drawn (无数据, 未报送) only says so and offers no picture.

    `team_click`: the chart's categories are teams (队·班组, or a person as 队·班组·姓名); clicking
    one opens its 班组画像 with the filter set to that team (in the URL too).

    The figure may belong to a view every session shares (ui.data.shared_view): it is never changed
    here; `layout` and 会议模式's larger text go onto a copy."""
    layout = {**(layout or {}), **({"font_size": 19, "title_font_size": 22} if meeting_mode() else {})}
    if meeting_mode() and "height" not in layout and (fig.layout.height or 0) > MEETING_CHART_HEIGHT:
        layout["height"] = MEETING_CHART_HEIGHT  # a long bar list is squeezed rather than cut by the screen
    if layout:  # larger text for the projector, a page's own height
        fig = go.Figure(fig)
        fig.update_layout(**layout)
    config = {**charts.chart_config(name), **chinese.PLOTLY_CONFIG}
    if team_click and fig.data:
        event = st.plotly_chart(fig, config=config, theme=None, on_select="rerun", selection_mode="points",
                                key=f"team-click-{name}")
        picked = team_from_points(event["selection"]["points"] if event else [], units_and_teams()[1])
        if picked:
            pick_team(*picked)
            st.switch_page(TEAM_PROFILE_PAGE)
    else:
        st.plotly_chart(fig, config=config, theme=None)
    if not fig.data or meeting_mode() or render.problem():  # no browser on the server: no picture either
        return
    user, store = signed_in_user(), get_store()[0]
    detail = scope_text(current_filter()) if "filter" in st.session_state else ""
    # The figure as it is now (a plain dict, a few ms; a go.Figure copy took 60 ms a chart, each run).
    picture = fig.to_dict()
    st.download_button("下载图片", lambda: export_chart_png(store, user, go.Figure(picture), name, detail, wide),
                       file_name=f"{name}.png", mime="image/png", key=f"png-{name}",
                       icon=":material/image:", type="tertiary", on_click="ignore")


def labelled(frame: pd.DataFrame, columns: dict[str, str] | None = None) -> pd.DataFrame:
    """English field names → the Chinese headers users read (COLUMN_LABELS, or the given ones)."""
    names = {**COLUMN_LABELS, **(columns or {})}
    keep = [c for c in frame.columns if c in names] if columns is None else list(columns)
    out = frame[keep].rename(columns=names)
    for col in out.columns:
        if out[col].dtype == bool:
            out[col] = out[col].map({True: "是", False: "否"})
    return out


MEETING_TABLE_ROWS = 12  # rows a table shows in 会议模式: with its heading it fits a screen's half


def table(frame: pd.DataFrame, file_name: str, columns: dict[str, str] | None = None,
          empty: str = "没有符合条件的记录", key: str | None = None, meeting_rows: int = MEETING_TABLE_ROWS) -> None:
    """A detail table with a .xlsx download of what is shown (names masked unless allowed);
    in 会议模式 its first rows in large print instead (a projector has no scrolling or downloads)."""
    if frame.empty:
        st.caption(empty)
        return
    shown = labelled(frame, columns)
    if meeting_mode():
        meeting_table(shown, meeting_rows)
        return
    st.dataframe(shown, hide_index=True, width="stretch", placeholder="")  # missing values: empty, not "None"
    excel_download("下载 Excel", {file_name: shown}, file_name, key=key or f"download-{file_name}")


def meeting_table(shown: pd.DataFrame, rows: int = MEETING_TABLE_ROWS) -> None:
    """A table for the projector: static, large print, at most `rows` rows and how many more there are."""
    st.table(shown.head(rows).astype(object).fillna(""), hide_index=True)  # a missing value: empty
    if len(shown) > rows:
        st.caption(f"共 {len(shown)} 条，此处显示前 {rows} 条；退出会议模式可查看全部或下载。")


XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def excel_download(label: str, frames: dict[str, pd.DataFrame], file_name: str, key: str,
                   what: str | None = None, detail: str | None = None, store: Store | None = None) -> None:
    """A download button for tables, through lib.present.exports.export_table: role check, masking, export log.

    The workbook is built (and the download logged) only when someone clicks, not on every rerun;
    everything the callable needs is taken now, since it runs outside this script run.
    """
    user, meeting, full = signed_in_user(), meeting_mode(), full_names_shown()
    target = store or get_store()[0]
    if detail is None:
        detail = scope_text(current_filter()) if "filter" in st.session_state else ""
    what = what or f"表格：{file_name}"
    st.download_button(label, lambda: export_table(target, user, frames, what, detail, meeting, full),
                       file_name=f"{file_name}.xlsx", mime=XLSX_MIME, key=key, icon=":material/download:",
                       on_click="ignore")


def empty_state(what: str, upload_hint: str) -> None:
    st.info(markdown_literal(f"{what}。{upload_hint}"), icon=":material/info:")


@contextmanager
def stop_on_store_fault():
    """Before any page: a store that cannot be used stops the run with its Chinese message (the
    next run tries again, so the app recovers by itself once the cause is gone)."""
    try:
        yield
    except StoreFault as fault:
        log.warning("store unavailable: %s", fault)
        st.error(fault.message, icon=":material/error:")
        st.stop()


def run_page(page) -> None:
    """Run the chosen page; an unexpected error shows a short Chinese message and is logged."""
    try:
        page.run()
    except StoreFault as fault:  # busy, damaged, read-only, disk full: say which, and what to do
        log.warning("page %s: %s", getattr(page, "title", page), fault)
        st.error(fault.message, icon=":material/error:")
    except Exception:  # noqa: BLE001 — st.stop/st.rerun are BaseException and pass through
        log.exception("page %s failed", getattr(page, "title", page))
        st.error(ERROR_MESSAGE, icon=":material/error:")

"""会议模式: the dashboard on a projector — no sidebar or toolbars, larger text, names masked."""
from __future__ import annotations

import streamlit as st

MEETING_CSS = """<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stHeader"],
[data-testid="stToolbar"], [data-testid="stDecoration"], .stDownloadButton, [data-testid="stElementToolbar"]
  {display: none !important;}
[data-testid="stMainBlockContainer"] {padding: 0.8rem 2.5rem 0.5rem; max-width: 100%;}
[data-testid="stMainBlockContainer"] [data-testid="stVerticalBlock"] {gap: 0.55rem;}
.st-key-meeting-exit {position: fixed; top: 0.4rem; right: 1rem; z-index: 1000; width: auto !important;}
h1 {font-size: 2.6rem !important; padding: 0.2rem 0 0 !important;}
[data-testid="stCaptionContainer"] {font-size: 1.25rem; color: #404040;}
[data-testid="stMetric"] {padding: 0.55rem 0.9rem !important;}
[data-testid="stMetricValue"] {font-size: 2.4rem;}
[data-testid="stMetricLabel"] p {font-size: 1.1rem;}
h5 {padding: 0.3rem 0 0.4rem !important;}
/* 上一屏 / 下一屏 (ui.screens) at the top right, left of the exit button: they never cover content. */
.st-key-meeting-screens {position: fixed; top: 0.3rem; right: 10.5rem; left: auto; z-index: 1000;
  width: max-content !important; flex-wrap: nowrap !important; gap: 0.6rem;
  background: rgba(255, 255, 255, 0.92); border-radius: 0.5rem; padding: 0 0.4rem;}
.st-key-meeting-screens > div {width: auto !important; flex: 0 0 auto !important;}
.st-key-meeting-screens p {font-size: 1.05rem; margin: 0; white-space: nowrap;}
/* Tables (static in 会议模式: ui.frame.meeting_table), tabs and choices in large print. */
[data-testid="stTable"] th, [data-testid="stTable"] td {font-size: 1.15rem !important; padding: 0.3rem 0.6rem !important;}
[data-testid="stTab"] p, [data-testid="stWidgetLabel"] p, [data-testid="stMarkdownContainer"] li,
[data-testid="stRadio"] p, [data-testid="stButtonGroup"] p {font-size: 1.15rem !important;}
h3 {font-size: 1.7rem !important; padding: 0.4rem 0 0.2rem !important;}
/* Printed or exported as PDF: no card, chart or table is cut across two pages. */
@media print {[data-testid="stElementContainer"], [data-testid="stHorizontalBlock"] {break-inside: avoid;}}
</style>"""


def meeting_mode() -> bool:
    """会议模式: on with the sidebar switch or a link carrying mode=meeting."""
    if "meeting_mode" not in st.session_state:
        st.session_state.meeting_mode = st.query_params.get("mode") == "meeting"
    return bool(st.session_state.meeting_mode)


def meeting_controls() -> None:
    """The switch in the sidebar; in 会议模式 the sidebar is hidden, so a small exit button instead."""
    on = meeting_mode()
    if on:
        st.markdown(MEETING_CSS, unsafe_allow_html=True)
        if st.button("退出会议模式", key="meeting-exit", type="tertiary", icon=":material/close_fullscreen:"):
            st.session_state.meeting_mode = False
            st.query_params.pop("mode", None)
            st.rerun()
    else:
        st.sidebar.toggle("会议模式", key="meeting_mode",
                          help="隐藏侧栏和工具栏、放大文字，姓名和工号自动打码，适合投影和截图")
    if st.session_state.meeting_mode:
        st.query_params["mode"] = "meeting"
    elif st.query_params.get("mode") == "meeting":
        del st.query_params["mode"]

"""The filters in the sidebar — 队, 班组, month range — mirrored in the URL so a link reopens the view."""
from __future__ import annotations

import datetime as dt

import streamlit as st

from lib.metrics.query import Filter, add_months
from lib.metrics.scope import default_filter
from lib.present.formatting import month_text
from lib.present.view_parts import team_label
from ui.data import get_store, units_and_teams


def _parse_month(text: str | None) -> dt.date | None:
    try:
        return dt.datetime.strptime(text, "%Y-%m").date() if text else None
    except ValueError:
        return None


def sidebar_filters() -> Filter:
    """队 (multi), 班组 (narrowed by 队), month range; mirrored in the URL so a link reopens the view."""
    units, teams, months = units_and_teams()
    params = st.query_params
    if "filter_units" not in st.session_state:  # first run of this session: take the URL's view
        st.session_state.filter_units = [u for u in params.get_all("unit") if u in units]
        wanted = set(params.get_all("team"))
        st.session_state.filter_teams = [team_label(t) for t in teams if team_label(t) in wanted]
        default = default_filter(get_store()[0])
        start = _parse_month(params.get("from")) or default.start
        end = _parse_month(params.get("to")) or default.end
        st.session_state.filter_start, st.session_state.filter_end = min(start, end), max(start, end)
    options = _month_options(months, (st.session_state.filter_start, st.session_state.filter_end))
    with st.sidebar:
        st.markdown("#### 筛选")
        chosen_units = st.multiselect("队", units, key="filter_units", placeholder="全部队")
        team_options = [team_label(t) for t in teams if not chosen_units or t[0] in chosen_units]
        st.session_state.filter_teams = [t for t in st.session_state.filter_teams if t in team_options]
        chosen_teams = st.multiselect("班组", team_options, key="filter_teams", placeholder="全部班组")
        left, right = st.columns(2)
        start = left.selectbox("起始月份", options, key="filter_start", format_func=month_text)
        end = right.selectbox("结束月份", [m for m in options if m >= start], key="filter_end",
                              format_func=month_text)
    by_label = {team_label(t): t for t in teams}
    end = max(start, end)
    f = Filter(tuple(chosen_units), tuple(by_label[t] for t in chosen_teams), start, end)
    _write_url(f)
    return f


def _month_options(months: list[dt.date], chosen: tuple[dt.date, dt.date]) -> list[dt.date]:
    """Every month from the first loaded to the last (gaps included), plus what the URL asked for."""
    ends = [m for m in (*months, *chosen) if m]
    first, last = min(ends), max(ends)
    count = (last.year - first.year) * 12 + last.month - first.month + 1
    return [add_months(first, i) for i in range(count)]


def _write_url(f: Filter) -> None:
    wanted = {"unit": list(f.units), "team": [team_label(t) for t in f.teams],
              "from": f.start.strftime("%Y-%m"), "to": f.end.strftime("%Y-%m")}
    for key, value in wanted.items():
        current = st.query_params.get_all(key) if isinstance(value, list) else st.query_params.get(key)
        if current != value:
            if value:
                st.query_params[key] = value
            elif key in st.query_params:
                del st.query_params[key]


def current_filter() -> Filter:
    return st.session_state["filter"]


def reset_filters() -> None:
    """Forget the chosen 队/班组/months (session and URL): the next run starts from the default view.

    For when the app switches between demo and real data, whose units and months differ.
    """
    for key in ("filter_units", "filter_teams", "filter_start", "filter_end"):
        st.session_state.pop(key, None)
    for key in ("unit", "team", "from", "to"):
        if key in st.query_params:
            del st.query_params[key]

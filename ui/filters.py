"""The filters in the sidebar — 队, 班组, month range — mirrored in the URL so a link reopens the view.

Whatever the session or the URL holds is settled before the widgets are drawn: a widget value can
arrive stale (a browser still showing the options of the previous run sends a month no longer
offered, which Streamlit hands back as the option's text), of the wrong type, or out of order
(起始月份 after 结束月份). Such a value is read as the month it names, or replaced by the default;
it never reaches a comparison with a date.
"""
from __future__ import annotations

import datetime as dt

import streamlit as st

from lib.metrics.query import Filter, add_months
from lib.metrics.scope import default_filter
from lib.present.formatting import month_text
from lib.present.view_parts import team_label
from ui.data import get_store, units_and_teams

MONTH_FORMATS = ("%Y-%m", "%Y年%m月", "%Y-%m-%d")
TEAM_PICK = "team_pick"  # (队, 班组 or None) asked for by a chart click or the 班组画像 chooser
SPAN_YEARS = 20  # months further than this from the loaded ones are not offered (a URL of 9999-12)


def _as_month(value) -> dt.date | None:
    """The month a value names: a date, or text as the URL (2024-06) or the widget (2024年6月) writes it."""
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return value.replace(day=1)
    if isinstance(value, str):
        for fmt in MONTH_FORMATS:
            try:
                return dt.datetime.strptime(value.strip(), fmt).date().replace(day=1)
            except ValueError:
                continue
    return None


def _texts(value, allowed: list[str]) -> list[str]:
    """The allowed texts among a value that should be a list of them (anything else: none)."""
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, (list, tuple)):
        return []
    return list(dict.fromkeys(v for v in value if isinstance(v, str) and v in allowed))


def _within(month: dt.date | None, months: list[dt.date]) -> dt.date | None:
    if month is None or not months:
        return month
    low, high = add_months(months[0], -12 * SPAN_YEARS), add_months(months[-1], 12 * SPAN_YEARS)
    return month if low <= month <= high else None


def _settle_months(months: list[dt.date]) -> list[dt.date]:
    """A valid start ≤ end in the session (the default for what cannot be read); the months offered."""
    state = st.session_state
    start = _within(_as_month(state.get("filter_start")), months)
    end = _within(_as_month(state.get("filter_end")), months)
    if start is None or end is None:
        default = default_filter(get_store()[0])
        start, end = start or default.start, end or default.end
    start, end = min(start, end), max(start, end)  # both months chosen stay the ends of the range
    state.filter_start, state.filter_end = start, end
    return _month_options(months, (start, end))


def sidebar_filters() -> Filter:
    """队 (multi), 班组 (narrowed by 队), month range; mirrored in the URL so a link reopens the view."""
    units, teams, months = units_and_teams()
    params = st.query_params
    if "filter_units" not in st.session_state:  # first run of this session: take the URL's view
        st.session_state.filter_units = _texts(params.get_all("unit"), units)
        st.session_state.filter_teams = _texts(params.get_all("team"), [team_label(t) for t in teams])
        st.session_state.filter_start = _as_month(params.get("from"))
        st.session_state.filter_end = _as_month(params.get("to"))
    pick = st.session_state.pop(TEAM_PICK, None)
    if pick:  # applied here, before the widgets are drawn: the sidebar and the URL then show it
        st.session_state.filter_units = [pick[0]]
        st.session_state.filter_teams = [team_label(pick)] if pick[1] else []
    st.session_state.filter_units = _texts(st.session_state.filter_units, units)
    options = _settle_months(months)
    with st.sidebar:
        st.markdown("#### 筛选")
        chosen_units = st.multiselect("队", units, key="filter_units", placeholder="全部队")
        chosen_units = _texts(chosen_units, units)
        team_options = [team_label(t) for t in teams if not chosen_units or t[0] in chosen_units]
        st.session_state.filter_teams = _texts(st.session_state.get("filter_teams"), team_options)
        chosen_teams = st.multiselect("班组", team_options, key="filter_teams", placeholder="全部班组")
        # One under the other: side by side, "2023年12月" did not fit a 1366 px screen's sidebar.
        start = st.selectbox("起始月份", options, key="filter_start", format_func=_month_label)
        start = _as_month(start) or st.session_state.filter_start
        end = st.selectbox("结束月份", [m for m in options if m >= start], key="filter_end",
                              format_func=_month_label)
        end = max(start, _as_month(end) or start)
    by_label = {team_label(t): t for t in teams}
    f = Filter(tuple(chosen_units), tuple(by_label[t] for t in _texts(chosen_teams, team_options)), start, end)
    _write_url(f)
    return f


def _month_label(value) -> str:
    """2024年6月; a stale value Streamlit checks against the options is shown as the month it names."""
    month = _as_month(value)
    return month_text(month) if month else str(value)


def _month_options(months: list[dt.date], chosen: tuple[dt.date, dt.date]) -> list[dt.date]:
    """Every month from the first loaded to the last (gaps included), plus what the URL asked for."""
    ends = [m for m in (*months, *chosen) if isinstance(m, dt.date)] or [dt.date.today().replace(day=1)]
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


def pick_team(unit: str, team: str | None = None) -> None:
    """Make the filter one 队 (and one of its 班组) from the next run on (a widget's value cannot be
    set once it is drawn, so the sidebar applies it before drawing its widgets)."""
    st.session_state[TEAM_PICK] = (unit, team)


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

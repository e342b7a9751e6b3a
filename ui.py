"""The one Streamlit helper module: store, who is signed in, filters in the sidebar and the URL,
cached metric calls, the page frame (scope line, KPI cards, charts, tables with downloads) and
empty states.

Pages call these and the metric functions; they do no arithmetic of their own.
"""
from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Mapping
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from lib.present import charts
from lib.metrics import indicators as metrics
from lib.present import render
from lib.access.auth import (DEMO_USER, AccountConfigError, AuthConfig, PermissionDenied, User, load_config,
                      user_for_email, verify_password)
from lib.config import default_db_path, demo_db_path
from lib.present.deck import export_deck, file_name as deck_file_name
from lib.present.exports import export_chart_png, export_table
from lib.labels import COLUMN_LABELS
from lib.access.masking import mask_result
from lib.metrics.indicators import Filter
from lib.store.database import Store
from lib.present.page_views import Chart, Kpi, PageView, Section, month_text, pct, scope_text, team_label

log = logging.getLogger("dangjian")
ERROR_MESSAGE = "页面出现了意外问题，已记录。请刷新页面重试；如仍出现，请联系管理员。"


# ---------------------------------------------------------------- the store

@st.cache_resource(max_entries=4)
def _open_store(path: str) -> Store:
    return Store.shared(path)


def real_store() -> Store:
    return _open_store(str(default_db_path()))


def get_store() -> tuple[Store, bool]:
    """Real data once any is imported; until then the separate demo database (is_demo=True)."""
    real = real_store()
    if real.has_data() or not demo_db_path().exists():
        return real, False
    return _open_store(str(demo_db_path())), True


def data_version(store: Store) -> tuple:
    """Changes with every import or undo, so cached figures never outlive the data."""
    return tuple(store.cursor().execute(
        "SELECT count(*), coalesce(max(id), 0), count(*) FILTER (WHERE status = 'undone') FROM imports").fetchone())


@st.cache_data(max_entries=512, show_spinner=False)
def _cached_metric(name: str, db_path: str, version: tuple, f: Filter):
    return getattr(metrics, name)(_open_store(db_path), f)


def metric(name: str, f: Filter):
    """A metric function by name, cached per database, data version and filter.

    Unless full names may be shown (full_names_shown: never in 会议模式) every table inside the
    result has its names and 工号 masked, so tables, chart labels, hover text and downloads built
    from it never show them.
    """
    store, _ = get_store()
    result = _cached_metric(name, str(store.path), data_version(store), f)
    return result if full_names_shown() else mask_result(result)


# ---------------------------------------------------------------- 会议模式

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


# ---------------------------------------------------------------- 汇报材料

PPTX_MIME = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
DECK_KEY = "deck"  # session state: (what it was built for, bytes, file name, slide count)


def report_controls() -> None:
    """汇报材料 in the sidebar: build the deck for the current filter, with progress; then offer it."""
    if meeting_mode():
        return
    f, (store, _), user = current_filter(), get_store(), signed_in_user()
    with st.sidebar:
        st.markdown("#### 汇报材料")
        hint = render.problem()
        if hint:  # say what to install instead of failing on click
            st.button("生成汇报材料（PPTX）", disabled=True, key="deck-build", icon=":material/slideshow:")
            st.caption(hint)
            return
        full = full_names_shown()
        wanted = (str(store.path), data_version(store), f, full)
        if st.button("生成汇报材料（PPTX）", key="deck-build", icon=":material/slideshow:",
                     help="按当前选择的队、班组和月份生成 16:9 汇报幻灯片：封面、本月要点、各页指标卡片和图表（附口径）"):
            bar = st.progress(0.0, text="正在生成汇报材料…")
            try:
                result = export_deck(store, user, f, full_names_wanted=full,
                                     progress=lambda done, total, text: bar.progress(done / total, text=text))
            except (PermissionDenied, render.RendererUnavailable) as exc:
                bar.empty()
                st.error(exc.message, icon=":material/error:")
                return
            bar.empty()
            st.session_state[DECK_KEY] = (wanted, result.data, deck_file_name(f), result.slides)
        ready = st.session_state.get(DECK_KEY)
        if ready and ready[0] == wanted:
            st.download_button(f"下载汇报材料（{ready[3]} 页）", ready[1], file_name=ready[2], mime=PPTX_MIME,
                               key="deck-download", type="primary", icon=":material/download:")


@st.cache_data(max_entries=128, show_spinner=False)
def _cached_highlights(db_path: str, version: tuple, f: Filter):
    from lib.present.highlights import highlights

    return highlights(_open_store(db_path), f)


def highlights(f: Filter):
    """本月要点 for the filter, cached like the metrics."""
    store, _ = get_store()
    return _cached_highlights(str(store.path), data_version(store), f)


def clear_caches() -> None:
    _cached_highlights.clear()
    _cached_metric.clear()
    _units_and_teams.clear()


# ---------------------------------------------------------------- filters (sidebar + URL)

@st.cache_data(max_entries=32, show_spinner=False)
def _units_and_teams(db_path: str, version: tuple) -> tuple[list[str], list[tuple[str, str]], list[dt.date]]:
    store = _open_store(db_path)
    pairs = store.cursor().execute("SELECT DISTINCT unit, team FROM roster").fetchall()
    units = charts.natural_sorted({u for u, _ in pairs})
    teams = sorted(pairs, key=lambda p: (charts.natural_key(p[0]), charts.natural_key(p[1])))
    return units, teams, metrics.loaded_months(store)


def _parse_month(text: str | None) -> dt.date | None:
    try:
        return dt.datetime.strptime(text, "%Y-%m").date() if text else None
    except ValueError:
        return None


def sidebar_filters() -> Filter:
    """队 (multi), 班组 (narrowed by 队), month range; mirrored in the URL so a link reopens the view."""
    store, _ = get_store()
    units, teams, months = _units_and_teams(str(store.path), data_version(store))
    params = st.query_params
    if "filter_units" not in st.session_state:  # first run of this session: take the URL's view
        st.session_state.filter_units = [u for u in params.get_all("unit") if u in units]
        wanted = set(params.get_all("team"))
        st.session_state.filter_teams = [team_label(t) for t in teams if team_label(t) in wanted]
        default = metrics.default_filter(store)
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
    return [metrics.add_months(first, i) for i in range(count)]


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


# ---------------------------------------------------------------- page frame

def page_header(title: str, f: Filter, data_month: dt.date | None = None, note: str = "") -> None:
    st.title(title)
    st.caption(scope_text(f, data_month) + (f" · {note}" if note else ""))


def percent_columns(frame: pd.DataFrame, *columns: str) -> pd.DataFrame:
    """A copy with the given share columns (0–1) as text, 17.2% (无数据 where there is no base)."""
    out = frame.copy()
    for col in columns:
        out[col] = [pct(None if pd.isna(v) else float(v)) for v in out[col]]
    return out


def kpi(label: str, value, previous=None, help: str | None = None, lower_is_better: bool = False,
        unit: str = "") -> None:
    """A KPI card: a Ratio shows its percentage with n/N under it; delta against the previous period."""
    text = Kpi(label, value, previous, help, lower_is_better, unit).text()
    st.metric(label, text.shown, text.delta, help=help, border=True,
              delta_color="off" if text.flat else ("inverse" if lower_is_better else "normal"),
              delta_arrow="off" if text.flat else "auto")
    if text.caption:
        st.caption(text.caption)


def kpi_row(cards: list[dict | Kpi]) -> None:
    for col, card in zip(st.columns(len(cards)), cards):
        with col:
            kpi(**(card if isinstance(card, dict) else vars(card)))


def show_view(view: PageView, f: Filter) -> None:
    """A page's header, then its sections; a page with nothing to show explains what to upload and stops."""
    page_header(view.title, f, view.scope_month, view.note)
    if view.empty:
        empty_state(*view.empty)
        st.stop()


def show_page(make_view) -> Filter:
    """The common page: its view for the current filter, header (or empty state), every section;
    returns the filter for the page's own tables."""
    f = current_filter()
    view = make_view(metric, f)
    show_view(view, f)
    for section in view.sections:
        show_section(section)
    return f


def show_section(section: Section, heading: bool = True) -> None:
    """Heading, caption, data notice, KPI cards, then the charts: wide ones alone, the others two a row."""
    if heading and section.heading:
        st.markdown(f"##### {section.heading}")
    if section.empty:
        empty_state(*section.empty)
        return
    if section.caption:
        st.caption(section.caption)
    if section.notice:
        st.warning(section.notice, icon=":material/warning:")
    if section.kpis:
        kpi_row(list(section.kpis))
    pending: list[Chart] = []
    for item in section.charts:
        if item.wide:
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
    if len(items) == 1 and items[0].wide:
        show_chart(items[0])
    elif items:
        for col, item in zip(st.columns(2), items):
            with col:
                show_chart(item)


def show_chart(item: Chart) -> None:
    chart(item.figure, item.name, wide=item.wide)
    if item.caption:
        st.caption(item.caption)


def chart(fig, name: str, key: str | None = None, wide: bool = False) -> None:
    """A Plotly chart, and under it a PNG of it rendered on the server (built only when clicked)."""
    if meeting_mode():  # larger text for the projector
        fig.update_layout(font_size=19, title_font_size=22)
    st.plotly_chart(fig, config=charts.chart_config(name), key=key, theme=None)
    if meeting_mode() or render.problem():  # no browser on the server: the chart toolbar's PNG remains
        return
    user, store = signed_in_user(), get_store()[0]
    detail = scope_text(current_filter()) if "filter" in st.session_state else ""
    picture = go.Figure(fig)  # the figure as it is now, not as a later rerun may change it
    st.download_button("下载图片", lambda: export_chart_png(store, user, picture, name, detail, wide),
                       file_name=f"{name}.png", mime="image/png", key=f"png-{key or name}",
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


def table(frame: pd.DataFrame, file_name: str, columns: dict[str, str] | None = None,
          empty: str = "没有符合条件的记录", key: str | None = None) -> None:
    """A detail table with a .xlsx download of what is shown (names masked unless allowed)."""
    if frame.empty:
        st.caption(empty)
        return
    shown = labelled(frame, columns)
    st.dataframe(shown, hide_index=True, width="stretch", placeholder="")  # missing values: empty, not "None"
    excel_download("下载 Excel", {file_name: shown}, file_name, key=key or f"download-{file_name}")


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
    st.info(f"{what}。{upload_hint}", icon=":material/info:")


def run_page(page) -> None:
    """Run the chosen page; an unexpected error shows a short Chinese message and is logged."""
    try:
        page.run()
    except Exception:  # noqa: BLE001 — st.stop/st.rerun are BaseException and pass through
        log.exception("page %s failed", getattr(page, "title", page))
        st.error(ERROR_MESSAGE, icon=":material/error:")


# ---------------------------------------------------------------- accounts and sign-in

SECRETS_EXAMPLE = ".streamlit/secrets.toml.example"
DEMO_BANNER = ("演示模式：未配置账号，任何人都可以上传和撤销数据。下载的表格中姓名和工号打码。"
               f"配置账号见 {SECRETS_EXAMPLE}")
LOGIN_KEY = "auth_login"          # session state: the login name of the signed-in account


def _secrets() -> Mapping:
    """The secrets sections auth reads. No secrets file means no accounts (st.secrets raises then).

    A secrets file that exists but cannot be read must not quietly turn into 演示模式, where anyone
    may upload: that raises AccountConfigError instead.
    """
    try:
        return {key: st.secrets[key] for key in ("accounts", "auth", "roles") if key in st.secrets}
    except FileNotFoundError:  # StreamlitSecretNotFoundError: missing, or present but unreadable
        from streamlit import config

        existing = [p for p in config.get_option("secrets.files") if Path(p).is_file()]
        if existing:
            raise AccountConfigError(f"无法读取账号配置文件 {existing[0]}，请检查其 TOML 格式"
                                     f"（可参照 {SECRETS_EXAMPLE}）") from None
        return {}


def auth_config() -> AuthConfig:
    """Accounts and OIDC settings from secrets (cheap: no password hashing here)."""
    return load_config(_secrets())


def _oidc_info() -> dict:
    return st.user.to_dict()


def current_user(config: AuthConfig | None = None) -> User | None:
    """Who is signed in, or None. 演示模式 (nothing configured): DEMO_USER."""
    config = config or auth_config()
    if config.demo:
        return DEMO_USER
    if config.oidc:
        info = _oidc_info()
        if not info.get("is_logged_in"):
            return None
        return user_for_email(config, info.get("email"), info.get("name"))
    account = config.accounts.get(st.session_state.get(LOGIN_KEY) or "")
    return account.user if account else None  # an account removed from secrets is signed out


def is_signed_in() -> bool:
    """Someone (or 演示模式's anyone) is signed in; False also when the configuration is broken."""
    try:
        return current_user() is not None
    except AccountConfigError:
        return False


def signed_in_user() -> User:
    """The signed-in user (DEMO_USER in 演示模式). Pages only run after sign_in() found one."""
    user = current_user()
    if user is None:
        raise PermissionDenied("请先登录")
    return user


def full_names_shown() -> bool:
    """Whether tables carry full names and 工号.

    Never in 会议模式. In 演示模式 as before accounts existed (on screen; downloads are still masked,
    see lib.access.export). With accounts only a 管理员 who switched on 显示完整姓名 sees them.
    """
    if meeting_mode():
        return False
    user = current_user()
    if user is None:
        return False
    if user.demo:
        return True
    return user.can_see_full_names and bool(st.session_state.get("show_full_names", False))


def sign_in() -> User:
    """The sidebar's account block, run before any page.

    演示模式: a banner. Signed in: 姓名 · 角色（队）, sign-out, and for 管理员 the 显示完整姓名 switch.
    Otherwise the sign-in form (or the OIDC button) and nothing else: the run stops here, so no
    page and no data is shown to someone who has not signed in.
    """
    try:
        config = auth_config()
    except AccountConfigError as exc:
        st.error(exc.message, icon=":material/error:")
        st.stop()
    if config.demo:
        st.sidebar.warning(DEMO_BANNER, icon=":material/lock_open:")
        return DEMO_USER
    user = current_user(config)
    if user is not None:
        with st.sidebar:
            left, right = st.columns([3, 2], vertical_alignment="center")
            left.markdown(f":material/account_circle: {user.label}")
            if right.button("退出登录", key="sign-out", type="tertiary"):
                _sign_out(config)
            if user.can_see_full_names:
                st.toggle("显示完整姓名", key="show_full_names", value=False,
                          help="默认姓名和工号打码；打开后页面表格和下载的 Excel 显示完整姓名（会议模式下始终打码）。"
                               "每次下载都记入导出日志。")
        return user
    st.title("班组党建看板")
    if config.oidc:
        _oidc_prompt(config)
    else:
        _password_form(config)
    st.stop()


def _sign_out(config: AuthConfig) -> None:
    # Everything of this session goes: previews of uploaded files, filters, the switches.
    st.session_state.clear()
    if config.oidc:
        st.logout()
    st.rerun()


def _password_form(config: AuthConfig) -> None:
    st.info("请先登录：在左侧输入账号和密码。没有账号请联系管理员。", icon=":material/login:")
    with st.sidebar.form("sign-in"):
        st.markdown("#### 登录")
        login = st.text_input("账号", key="sign-in-login")
        password = st.text_input("密码", type="password", key="sign-in-password")
        submitted = st.form_submit_button("登录", type="primary")
    if submitted:
        if verify_password(config.accounts, login, password) is None:
            st.sidebar.error("账号或密码不正确", icon=":material/error:")
            st.error("账号或密码不正确，请重新输入。", icon=":material/error:")
        else:
            st.session_state[LOGIN_KEY] = login.strip()
            st.rerun()


def _oidc_prompt(config: AuthConfig) -> None:
    info = _oidc_info()
    if info.get("is_logged_in"):  # signed in with the provider, but not in [roles]
        st.error(f"你的账号（{info.get('email') or '未提供邮箱'}）还没有分配角色，请联系管理员在账号配置的 "
                 "[roles] 中添加。", icon=":material/block:")
        if st.button("退出登录", key="sign-out"):
            _sign_out(config)
        return
    st.info("请先用单位账号登录。", icon=":material/login:")
    for provider in config.oidc_providers:
        label = f"用 {provider} 账号登录" if provider else "登录"
        if st.button(label, key=f"sign-in-{provider or 'default'}", type="primary"):
            if provider:
                st.login(provider)
            else:
                st.login()

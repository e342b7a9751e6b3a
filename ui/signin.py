"""Accounts and sign-in: who is signed in (accounts in secrets, OIDC, or 演示模式) and whether
they may see full names.

Under serve.py (the real server) who is signed in comes from the session cookie on every run
(lib/access/sessions.py): a correct password gets a one-time ticket, the browser exchanges it for
an HttpOnly cookie at serve.py's route and comes back. Nothing kept in st.session_state signs
anyone in there, so a second client that presents a signed-in session's id is not signed in.
Only without a real server (Streamlit's AppTest, which cannot carry cookies) the password form
signs in through st.session_state.

演示模式 (no accounts) only while the demo database is shown; with real data and no accounts the
app shows nothing but the setup page (how to create the first 管理员).
"""
from __future__ import annotations

import time
from collections.abc import Mapping
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import streamlit as st

from lib.access import sessions
from lib.access.auth import (
    ADMIN,
    DEMO_USER,
    AccountConfigError,
    AuthConfig,
    PermissionDenied,
    User,
    load_config,
    user_for_email,
)
from lib.access.lockout import attempt_sign_in
from ui.meeting import meeting_mode

SECRETS_EXAMPLE = ".streamlit/secrets.toml.example"
DEMO_BANNER = ("演示模式：未配置账号，任何人都可以查看演示数据；导入正式数据前须先创建管理员账号。"
               f"下载的表格中姓名和工号打码。配置账号见 {SECRETS_EXAMPLE}")
LOGIN_KEY = "auth_login"          # session state: the signed-in login, only where no cookie can exist (AppTest)
FLASH_KEY = "auth_flash"          # session state: a message for the sign-in form (account just created)
ADD_USER_COMMAND = "python -m lib.access.auth add-user"


def _secrets() -> Mapping:
    """The secrets sections auth reads. No secrets file means no accounts (st.secrets raises then).

    A secrets file that exists but cannot be read must not quietly turn into 演示模式, where anyone
    may upload: that raises AccountConfigError instead.
    """
    try:
        # Every section: load_config refuses the ones it does not know (fail closed).
        return {key: st.secrets[key] for key in st.secrets}
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


def _no_real_data() -> bool:
    """No import in the real database: the demo data (or nothing) is shown, 演示模式 may stay."""
    from ui.data import real_store  # ui.data imports this module

    return not real_store().has_data()


def _cookie_sessions() -> bool:
    """Sign-in state must come from the session cookie: always on a real Streamlit server.

    Only a run without one (AppTest's stand-in runtime) may sign in through st.session_state.
    """
    from streamlit.runtime import Runtime

    return sessions.served() or type(Runtime._instance) is Runtime


def _cookie_login(config: AuthConfig) -> str | None:
    """The login of this browser's valid session cookie, for an account that still has that password."""
    session = sessions.read_cookie(sessions.signing_key(), st.context.cookies.get(sessions.COOKIE_NAME), time.time())
    account = config.accounts.get(session.login) if session else None
    if account is None or sessions.account_fingerprint(account.password_hash) != session.fingerprint:
        return None
    return account.login


def _oidc_verified(info: Mapping) -> bool:
    return info.get("email_verified") is True or str(info.get("email_verified")).lower() == "true"


def current_user(config: AuthConfig | None = None) -> User | None:
    """Who is signed in, or None. 演示模式 (nothing configured, demo data shown): DEMO_USER."""
    config = config or auth_config()
    if config.demo:
        return DEMO_USER if _no_real_data() else None
    if config.oidc:
        info = _oidc_info()
        if not info.get("is_logged_in") or not _oidc_verified(info):
            return None
        return user_for_email(config, info.get("email"), info.get("name"))
    login = _cookie_login(config) if _cookie_sessions() else st.session_state.get(LOGIN_KEY)
    account = config.accounts.get(login or "")
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
        if not _no_real_data():
            _setup_page()
            st.stop()
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
    elif _cookie_sessions():
        _redirect(sessions.SIGNOUT_PATH, {"next": _here()})  # the route revokes and deletes the cookie
        st.stop()
    st.rerun()


def _base() -> str:
    from streamlit import config

    base = (config.get_option("server.baseUrlPath") or "").strip("/")
    return f"/{base}" if base else ""


def _here() -> str:
    """This page's path and query, to come back to after the cookie route."""
    path = urlsplit(st.context.url or "").path or "/"
    query = urlencode(st.query_params.to_dict())
    return path + (f"?{query}" if query else "")


def _redirect(route: str, params: dict[str, str]) -> None:
    """Send the browser to one of serve.py's session routes (the same message st.login uses)."""
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    url = f"{_base()}{route}?{urlencode(params)}"
    ctx = get_script_run_ctx()
    if ctx is not None:
        msg = ForwardMsg()
        msg.auth_redirect.url = url
        ctx.enqueue(msg)
    st.info("正在登录……如果页面没有自动跳转，请点下面的按钮。", icon=":material/hourglass_top:")
    st.link_button("继续", url, type="primary")


def _password_form(config: AuthConfig) -> None:
    flash = st.session_state.pop(FLASH_KEY, None)
    if flash:
        st.success(flash, icon=":material/check_circle:")
    st.info("请先登录：在左侧输入账号和密码。没有账号请联系管理员。", icon=":material/login:")
    if _cookie_sessions() and not sessions.served():
        st.error("要登录，请用 python serve.py（或 start.sh）启动看板：登录状态保存在只有它提供的会话 Cookie 中。",
                 icon=":material/error:")
        return
    with st.sidebar.form("sign-in"):
        st.markdown("#### 登录")
        login = st.text_input("账号", key="sign-in-login")
        password = st.text_input("密码", type="password", key="sign-in-password")
        submitted = st.form_submit_button("登录", type="primary")
    if not submitted:
        return
    attempt = attempt_sign_in(config.accounts, login, password)
    if attempt.user is None:
        st.sidebar.error(attempt.message, icon=":material/error:")
        st.error(attempt.message + ("" if attempt.locked_seconds else "，请重新输入。"), icon=":material/error:")
        return
    account = config.accounts[login.strip()]
    if _cookie_sessions():
        ticket = sessions.TICKETS.issue(account.login, sessions.account_fingerprint(account.password_hash))
        _redirect(sessions.SESSION_PATH, {"ticket": ticket, "next": _here()})
        st.stop()
    st.session_state[LOGIN_KEY] = account.login
    st.rerun()


def _setup_page() -> None:
    """Real data and no accounts: nobody may see or change anything until a 管理员 exists."""
    st.title("班组党建看板")
    st.error("看板已有正式数据，但还没有配置任何账号。为保护人员信息，配置账号之前不显示任何页面。",
             icon=":material/lock:")
    st.markdown("请在服务器上、看板所在的目录中运行下面的命令，按提示输入登录名、姓名、角色（直接回车为管理员）"
                "和两遍密码，创建第一个**管理员**账号：")
    st.code(ADD_USER_COMMAND, language="bash")
    st.markdown("账号写入 `.streamlit/secrets.toml`（密码只保存 bcrypt 哈希）。完成后刷新本页，用新账号登录；"
                "其他账号可由管理员用同一命令添加，角色说明见 `.streamlit/secrets.toml.example`。"
                "命令行工具（python -m lib.cli）不受影响。")


def first_admin_form() -> None:
    """演示模式, 数据上传: the first import needs a 管理员 account first; create it here."""
    from lib.access.accounts_file import add_account

    st.warning("第一次导入正式数据之前，请先创建管理员账号：导入后看板显示真实人员信息，只有登录的用户才能查看。",
               icon=":material/admin_panel_settings:")
    with st.form("first-admin"):
        st.markdown("#### 创建管理员账号")
        login = st.text_input("登录名", key="first-admin-login", help="英文字母、数字和 _ . -，例如 admin")
        name = st.text_input("姓名", key="first-admin-name", help="侧栏和导入记录中显示的名字")
        password = st.text_input("密码", type="password", key="first-admin-password", help="至少 8 个字符")
        again = st.text_input("再输入一次密码", type="password", key="first-admin-again")
        submitted = st.form_submit_button("创建管理员账号", type="primary")
    if not submitted:
        return
    if password != again:
        st.error("两次输入的密码不一致", icon=":material/error:")
        return
    try:
        path = add_account(login, name, password, ADMIN)
    except ValueError as exc:
        st.error(str(exc), icon=":material/error:")
        return
    try:
        st.secrets._reset()  # read the new file on the next run
    except AttributeError:
        pass
    message = f"已创建管理员账号 {login.strip()}（写入 {path.name}）。请用它登录，然后上传报表。"
    st.session_state[FLASH_KEY] = message
    st.success(message, icon=":material/check_circle:")
    st.rerun()


def _oidc_prompt(config: AuthConfig) -> None:
    info = _oidc_info()
    if info.get("is_logged_in") and not _oidc_verified(info):
        st.error(f"单点登录提供的邮箱（{info.get('email') or '未提供邮箱'}）未经验证，不能用它登录。"
                 "请在单位统一身份认证中验证邮箱，或联系管理员。", icon=":material/block:")
        if st.button("退出登录", key="sign-out"):
            _sign_out(config)
        return
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

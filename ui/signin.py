"""Accounts and sign-in: who is signed in (accounts in secrets, OIDC, or 演示模式) and whether
they may see full names."""
from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import streamlit as st

from lib.access.auth import (
    DEMO_USER,
    AccountConfigError,
    AuthConfig,
    PermissionDenied,
    User,
    load_config,
    user_for_email,
    verify_password,
)
from ui.meeting import meeting_mode

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

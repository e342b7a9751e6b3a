"""Accounts for AppTests: secrets with cheap bcrypt hashes, and signing in through the sidebar form."""
from streamlit.testing.v1 import AppTest

from lib.access.auth import hash_password

PASSWORD = "煤矿党建2024!"
_HASH = hash_password(PASSWORD, rounds=4)  # cheap: the cost factor is not what is tested


def accounts_secrets() -> dict:
    return {"accounts": {
        "chakan": {"name": "党群工作部", "password_hash": _HASH, "role": "查看"},
        "zongcai": {"name": "综采填报员", "password_hash": _HASH, "role": "填报", "unit": "综采队"},
        "admin": {"name": "王主任", "password_hash": _HASH, "role": "管理员"}}}


def sign_in(at: AppTest, login: str, password: str = PASSWORD) -> AppTest:
    at.sidebar.text_input(key="sign-in-login").input(login)
    at.sidebar.text_input(key="sign-in-password").input(password)
    at.sidebar.button[0].click().run()
    return at

"""Sign-in hardening (issue #10): no anonymous rights on real data, the first 管理员, lockout, the
same work for a wrong name, verified OIDC e-mail only, fail-closed configuration, and the signed
one-time tickets and session cookies (the browser half is tests/test_browser_signin.py)."""
import io
import logging
import tomllib
from pathlib import Path

import bcrypt
import pytest
from streamlit.testing.v1 import AppTest

from lib.access import auth, lockout, sessions
from lib.access.accounts_file import AccountExists, add_account
from lib.access.auth import ADMIN, UPLOADER, load_config
from lib.access.lockout import LOCKOUT, Lockout, attempt_sign_in
from lib.store.database import Store
from lib.store.importer import IMPORTED, import_file
from tests.accounts import PASSWORD, accounts_secrets, sign_in
from tests.users import ADMIN_USER
from tests.workbooks import roster, xlsx_bytes

ENTRY = str(Path(__file__).resolve().parent.parent / "dashboard.py")


class Clock:
    def __init__(self, now: float = 1_000_000.0):
        self.now = now

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch):
    """The process-wide lockout, emptied, on a clock the test moves."""
    c = Clock()
    LOCKOUT.clear()
    monkeypatch.setattr(LOCKOUT, "clock", c)
    yield c
    LOCKOUT.clear()


@pytest.fixture
def demo_env(demo_copy, monkeypatch):
    """The demo database beside an empty real one: the app shows the demo data."""
    monkeypatch.setenv("DANGJIAN_DB", str(demo_copy.parent / "dangjian.duckdb"))
    monkeypatch.setenv("DANGJIAN_SECRETS", str(demo_copy.parent / "secrets.toml"))
    return demo_copy.parent


@pytest.fixture
def real_env(tmp_path, monkeypatch):
    """A real database with one import (and no demo database)."""
    db = tmp_path / "dangjian.duckdb"
    monkeypatch.setenv("DANGJIAN_DB", str(db))
    monkeypatch.setenv("DANGJIAN_SECRETS", str(tmp_path / "secrets.toml"))
    store = Store.shared(db)
    assert import_file(store, xlsx_bytes({"人员名册": roster(n=6)}), "综采队_2024年6月.xlsx",
                       ADMIN_USER).status == IMPORTED
    yield tmp_path
    store.close()


def app(secrets: dict | None = None, page: str | None = None) -> AppTest:
    at = AppTest.from_file(ENTRY, default_timeout=120)
    at.secrets.update(secrets or {})
    at.run()
    if page:
        at.switch_page(f"pages/{page}.py").run()
    return at


def shown(at: AppTest) -> str:
    parts = [e.value for kind in ("markdown", "error", "info", "warning", "success", "caption", "code")
             for e in getattr(at, kind)]
    return " ".join(str(p) for p in parts) + " ".join(str(e.value) for e in at.sidebar.error)


# ---------------------------------------------------------------- no anonymous rights on real data

def test_real_data_without_accounts_shows_only_the_setup_page(real_env):
    for page in (None, "upload_page", "pairs_talks_page"):
        at = app(page=page)
        assert not at.exception
        assert "python -m lib.access.auth add-user" in [c.value for c in at.code]
        assert "还没有配置任何账号" in shown(at)
        assert not at.file_uploader and not at.metric and not at.dataframe and not at.get("plotly_chart")
        assert "职工" not in shown(at), "no name from the data"
        assert not any(w.value.startswith("演示模式") for w in at.sidebar.warning)


def test_demo_data_without_accounts_is_demo_mode_and_the_first_import_needs_an_admin(demo_env):
    at = app(page="upload_page")
    assert not at.exception
    assert any(w.value.startswith("演示模式") for w in at.sidebar.warning)
    assert not at.file_uploader
    at.text_input(key="first-admin-login").input("admin")
    at.text_input(key="first-admin-name").input("王主任")
    at.text_input(key="first-admin-password").input(PASSWORD)
    at.text_input(key="first-admin-again").input(PASSWORD + "x")
    at.button[[b.label for b in at.button].index("创建管理员账号")].click().run()
    assert any("两次输入的密码不一致" in e.value for e in at.error)
    assert not (demo_env / "secrets.toml").exists()
    at.text_input(key="first-admin-again").input(PASSWORD)
    at.button[[b.label for b in at.button].index("创建管理员账号")].click().run()
    assert not at.exception
    written = tomllib.loads((demo_env / "secrets.toml").read_text(encoding="utf-8"))
    config = load_config(written)
    assert config.accounts["admin"].user == auth.User("王主任", ADMIN)
    # The app with that file signs the new admin in, and the uploader appears.
    signed = sign_in(app(written), "admin")
    signed.switch_page("pages/upload_page.py").run()
    assert not signed.exception and signed.file_uploader
    assert any("王主任 · 管理员" in m.value for m in signed.sidebar.markdown)


def test_cli_add_user_writes_an_account_the_app_signs_in_with(real_env, monkeypatch, capsys):
    path = real_env / "secrets.toml"
    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
    assert auth.main(["add-user", "--login", "wang", "--name", "王主任", "--password-stdin"]) == 0
    assert "已写入账号 wang（管理员）" in capsys.readouterr().out
    assert path.stat().st_mode & 0o077 == 0, "only its owner may read the hashes"
    monkeypatch.setattr("sys.stdin", io.StringIO("另一个密码123\n"))
    assert auth.main(["add-user", "--login", "wang", "--name", "别人", "--password-stdin"]) == 1
    assert "已存在" in capsys.readouterr().err
    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
    assert auth.main(["add-user", "--login", "zc", "--name", "综采", "--role", UPLOADER, "--unit", "综采队",
                      "--password-stdin"]) == 0
    written = tomllib.loads(path.read_text(encoding="utf-8"))
    assert set(written["accounts"]) == {"wang", "zc"}
    at = sign_in(app(written), "wang")
    assert not at.exception and at.metric, "the real data, once signed in"
    assert any("王主任 · 管理员" in m.value for m in at.sidebar.markdown)


def test_add_account_replaces_only_when_asked_and_keeps_other_sections(tmp_path):
    path = tmp_path / "secrets.toml"
    path.write_text('# 说明\n[roles]\n"a@b.cn" = "查看"\n\n[auth]\nclient_id = "x"\n', encoding="utf-8")
    add_account("admin", "王主任", PASSWORD, path=path)
    with pytest.raises(AccountExists):
        add_account("admin", "李四", PASSWORD, path=path)
    add_account("admin", "李四", "新的密码12345", path=path, replace=True)
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# 说明") and text.count("[accounts.admin]") == 1
    config = load_config(tomllib.loads(text))
    assert config.accounts["admin"].user.name == "李四" and config.roles
    with pytest.raises(ValueError, match="登录名只能用"):
        add_account("王 主任", "x", PASSWORD, path=path)
    with pytest.raises(ValueError, match="至少需要 8 个字符"):
        add_account("li", "李", "short", path=path)


# ---------------------------------------------------------------- lockout

def test_five_wrong_passwords_lock_the_account_for_every_session_until_the_lock_expires(demo_env, clock, caplog):
    secrets = accounts_secrets()
    at = app(secrets)
    for _ in range(4):
        sign_in(at, "admin", "wrong password")
        assert any("账号或密码不正确" in e.value for e in at.error)
    with caplog.at_level(logging.WARNING, logger="dangjian.auth"):
        sign_in(at, "admin", "wrong password")
    assert any("已锁定" in e.value and "5 分钟" in e.value for e in at.error)
    assert any("admin" in r.getMessage() and "锁定" in r.getMessage() for r in caplog.records), "the lock is logged"
    # Another session (another address) with the right password: refused while locked.
    other = sign_in(app(secrets), "admin")
    assert not other.metric and any("已锁定" in e.value for e in other.error)
    clock.now += 4 * 60
    other = sign_in(app(secrets), "admin")
    assert not other.metric and any("已锁定" in e.value for e in other.error)
    clock.now += 61
    other = sign_in(app(secrets), "admin")
    assert not other.exception and other.metric, "signed in once the lock has expired"
    # Other accounts were never locked.
    assert LOCKOUT.seconds_left("chakan") == 0


def test_unknown_names_are_counted_and_locked_like_real_ones():
    c = Clock()
    book = Lockout(clock=c)
    accounts = load_config(accounts_secrets()).accounts
    results = [attempt_sign_in(accounts, name, "wrong", book) for name in ("nobody",) * 5]
    assert [r.locked_seconds > 0 for r in results] == [False] * 4 + [True]
    real = [attempt_sign_in(accounts, "admin", "wrong", book) for _ in range(5)]
    assert [r.message for r in results] == [r.message for r in real], "the same words for both"
    assert attempt_sign_in(accounts, "admin", PASSWORD, book).user is None
    c.now += lockout.LOCK_SECONDS + 1
    assert attempt_sign_in(accounts, "admin", PASSWORD, book).user is not None


def test_a_wrong_name_costs_the_same_bcrypt_check_as_a_wrong_password(demo_env, clock, monkeypatch):
    checked = []
    real_check = bcrypt.checkpw

    def counting(password, hashed):
        checked.append(hashed)
        return real_check(password, hashed)

    monkeypatch.setattr(auth.bcrypt, "checkpw", counting)
    secrets = accounts_secrets()
    sign_in(app(secrets), "admin", "wrong password")
    assert len(checked) == 1 and checked[0] == secrets["accounts"]["admin"]["password_hash"].encode()
    at = sign_in(app(secrets), "nobody", "wrong password")
    assert len(checked) == 2 and checked[1] == auth._dummy_hash(), "the dummy hash is verified"
    assert checked[1][:7] == b"$2b$12$", "at the cost of a real account's hash"
    assert any("账号或密码不正确" in e.value for e in at.error)


# ---------------------------------------------------------------- OIDC and configuration

OIDC = {"auth": {"redirect_uri": "http://localhost:8501/oauth2callback", "cookie_secret": "x" * 32,
                 "client_id": "id", "client_secret": "secret",
                 "server_metadata_url": "https://sso.example.com/.well-known/openid-configuration"},
        "roles": {"li@example.com": {"role": "管理员"}}}


@pytest.mark.parametrize("verified", [None, False, "false"])
def test_oidc_without_a_verified_e_mail_is_refused(demo_env, verified):
    at = AppTest.from_file(ENTRY, default_timeout=120)
    at.secrets.update(OIDC)
    info = {"is_logged_in": True, "email": "li@example.com", "name": "李四"}
    if verified is not None:
        info["email_verified"] = verified
    at.user = info
    at.run()
    at.switch_page("pages/upload_page.py").run()
    assert not at.exception and not at.metric and not at.file_uploader
    assert any("未经验证" in e.value for e in at.error)


@pytest.mark.parametrize("secrets, wording", [
    ({"account": {"admin": {"name": "王", "password_hash": "x", "role": "管理员"}}}, "未知的配置小节 [account]"),
    ({"accounts": {"admin": {"name": "王", "password_hash": auth.hash_password(PASSWORD, rounds=4),
                             "role": "管理员", "unti": "综采队"}}}, "[accounts.admin]：未知的设置 unti"),
])
def test_a_misnamed_section_or_key_stops_the_app(demo_env, secrets, wording):
    at = app(secrets, page="upload_page")
    assert not at.exception
    assert any(wording in e.value for e in at.error), [e.value for e in at.error]
    assert not at.file_uploader and not at.metric
    assert not any(w.value.startswith("演示模式") for w in at.sidebar.warning)


# ---------------------------------------------------------------- tickets and cookies

def test_a_ticket_is_used_once_and_expires():
    c = Clock()
    tickets = sessions.Tickets(clock=c)
    ticket = tickets.issue("admin", "fp")
    assert tickets.redeem(ticket) == ("admin", "fp")
    assert tickets.redeem(ticket) is None, "single use"
    late = tickets.issue("admin", "fp")
    c.now += sessions.TICKET_SECONDS + 1
    assert tickets.redeem(late) is None
    assert tickets.redeem("made-up") is None and tickets.redeem(None) is None


def test_a_session_cookie_is_signed_expires_and_can_be_revoked(tmp_path):
    key = sessions.signing_key(tmp_path / "session.key")
    assert (tmp_path / "session.key").stat().st_mode & 0o077 == 0
    assert sessions.signing_key(tmp_path / "session.key") == key, "created once, then kept"
    value = sessions.make_cookie(key, "admin", "fp", now=1000.0)
    session = sessions.read_cookie(key, value, now=1001.0)
    assert (session.login, session.fingerprint) == ("admin", "fp")
    assert sessions.read_cookie(key, value, now=1000.0 + sessions.SESSION_SECONDS + 1) is None, "expired"
    assert sessions.read_cookie(b"k" * 32, value, now=1001.0) is None, "another key"
    payload, signature = value.split(".")
    forged = sessions.make_cookie(b"k" * 32, "admin", "fp", now=1000.0).split(".")[0] + "." + signature
    assert sessions.read_cookie(key, forged, now=1001.0) is None, "a payload with another signature"
    for junk in ("", "abc", "a.b.c", payload + ".", "." + signature):
        assert sessions.read_cookie(key, junk, now=1001.0) is None
    sessions.REVOKED.revoke(session)
    assert sessions.read_cookie(key, value, now=1001.0) is None, "signed out"
    header = sessions.cookie_header(value, secure=False)
    assert "HttpOnly" in header and "SameSite=Strict" in header and "Max-Age=" in header


@pytest.mark.parametrize("target, expected", [
    ("/upload?unit=综采队", "/upload?unit=综采队"), ("/", "/"), (None, "/"), ("https://evil.example/", "/"),
    ("//evil.example/x", "/"), ("/\\evil.example", "/"), ("javascript:alert(1)", "/"), ("/a\r\nSet-Cookie: x", "/"),
])
def test_the_routes_only_return_to_this_server(target, expected):
    assert sessions.safe_next(target) == expected


def _get(route, path: str, params: dict, cookie: str | None = None):
    """Call one of lib/access/web.py's routes as Starlette would, without a network client."""
    import asyncio
    from urllib.parse import urlencode

    from starlette.requests import Request

    headers = [(b"cookie", f"{sessions.COOKIE_NAME}={cookie}".encode())] if cookie else []
    scope = {"type": "http", "method": "GET", "path": path, "query_string": urlencode(params).encode(),
             "headers": headers, "scheme": "http", "server": ("127.0.0.1", 8501), "root_path": ""}
    return asyncio.run(route.endpoint(Request(scope)))


def test_the_routes_exchange_a_ticket_for_the_cookie_and_sign_out(tmp_path, monkeypatch):
    import time

    from lib.access.web import session_routes

    monkeypatch.setenv("DANGJIAN_DB", str(tmp_path / "dangjian.duckdb"))
    session_route, signout_route = session_routes()
    assert (session_route.path, signout_route.path) == (sessions.SESSION_PATH, sessions.SIGNOUT_PATH)
    ticket = sessions.TICKETS.issue("admin", "fp")
    response = _get(session_route, sessions.SESSION_PATH, {"ticket": ticket, "next": "/upload?unit=x"})
    assert response.status_code == 303 and response.headers["location"] == "/upload?unit=x"
    assert response.headers["cache-control"] == "no-store"
    cookie = response.headers["set-cookie"]
    assert cookie.startswith(sessions.COOKIE_NAME + "=") and "HttpOnly" in cookie and "SameSite=Strict" in cookie
    value = cookie.split(";")[0].split("=", 1)[1]
    assert sessions.read_cookie(sessions.signing_key(), value, time.time()).login == "admin"
    again = _get(session_route, sessions.SESSION_PATH, {"ticket": ticket, "next": "//evil.example"})
    assert "set-cookie" not in again.headers and again.headers["location"] == "/", "a ticket works once"
    out = _get(signout_route, sessions.SIGNOUT_PATH, {"next": "/"}, cookie=value)
    assert "Max-Age=0" in out.headers["set-cookie"]
    assert sessions.read_cookie(sessions.signing_key(), value, time.time()) is None, "revoked"

"""Sign-in on the real server (serve.py) in a real browser: the HttpOnly session cookie keeps a
reload signed in; another browser without the cookie is not signed in; signing out ends it."""
import subprocess
import sys
import urllib.request

import pytest
from playwright.sync_api import expect, sync_playwright  # noqa: E402

from tests.accounts import PASSWORD
from tests.test_browser import CHROMIUM, CHROMIUM_ARGS, ROOT, _serve, _wait_idle  # noqa: F401 (skips without chromium)

SIDEBAR = '[data-testid="stSidebar"]'


@pytest.fixture(scope="module")
def signin_server(demo_db, tmp_path_factory):
    home = tmp_path_factory.mktemp("signin")
    secrets = home / "secrets.toml"
    subprocess.run([sys.executable, "-m", "lib.access.auth", "add-user", "--login", "wang", "--name", "王主任",
                    "--password-stdin", "--secrets", str(secrets)], input=PASSWORD + "\n", text=True, cwd=ROOT,
                   check=True, capture_output=True)
    with _serve(demo_db, home) as url:
        yield url


def _sign_in(page, url: str, login: str, password: str) -> None:
    page.goto(url)
    _wait_idle(page)
    page.locator(SIDEBAR).locator('input[aria-label="账号"]').fill(login)
    page.locator(SIDEBAR).locator('input[aria-label="密码"]').fill(password)
    page.locator(SIDEBAR).get_by_role("button", name="登录").click()


def test_sign_in_survives_a_reload_and_is_not_shared_without_the_cookie(signin_server):
    target = f"{signin_server}/coverage?unit=%E7%BB%BC%E9%87%87%E9%98%9F"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        first = browser.new_context(viewport={"width": 1400, "height": 900}, locale="zh-CN")
        page = first.new_page()
        _sign_in(page, target, "wang", PASSWORD)
        expect(page.locator(SIDEBAR).get_by_text("王主任 · 管理员")).to_be_visible(timeout=60000)
        _wait_idle(page)
        assert "/coverage" in page.url and "unit=" in page.url, "back on the page and view asked for"
        cookies = {c["name"]: c for c in first.cookies()}
        session = cookies["dangjian_session"]
        assert session["httpOnly"] and session["sameSite"] == "Strict" and session["expires"] > 0
        assert page.evaluate("() => document.cookie").find("dangjian_session") == -1, "no script can read it"

        page.reload()
        _wait_idle(page)
        expect(page.locator(SIDEBAR).get_by_text("王主任 · 管理员")).to_be_visible(timeout=60000)
        expect(page.get_by_role("heading", name="党员覆盖")).to_be_visible()

        # Another browser opening the same link, without the cookie: the sign-in form only.
        second = browser.new_context(viewport={"width": 1400, "height": 900}, locale="zh-CN")
        other = second.new_page()
        other.goto(page.url)
        _wait_idle(other)
        expect(other.get_by_text("请先登录")).to_be_visible(timeout=30000)
        assert other.locator('[data-testid="stMetric"]').count() == 0
        assert other.get_by_text("王主任").count() == 0

        # A forged cookie does not sign anyone in either.
        second.add_cookies([{"name": "dangjian_session", "value": session["value"][:-4] + "AAAA",
                             "url": signin_server}])
        other.reload()
        _wait_idle(other)
        expect(other.get_by_text("请先登录")).to_be_visible(timeout=30000)

        # Signing out deletes the cookie; the old value is refused from then on.
        page.locator(SIDEBAR).get_by_role("button", name="退出登录").click()
        expect(page.get_by_text("请先登录")).to_be_visible(timeout=60000)
        assert "dangjian_session" not in {c["name"] for c in first.cookies()}
        second.clear_cookies()
        second.add_cookies([{"name": "dangjian_session", "value": session["value"], "url": signin_server}])
        other.reload()
        _wait_idle(other)
        expect(other.get_by_text("请先登录")).to_be_visible(timeout=30000)
        browser.close()


def test_a_wrong_password_or_a_made_up_ticket_gives_no_session_cookie(signin_server):
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        context = browser.new_context(locale="zh-CN")
        page = context.new_page()
        _sign_in(page, signin_server, "wang", "wrong password")
        expect(page.get_by_text("账号或密码不正确").first).to_be_visible(timeout=30000)
        assert not context.cookies() or "dangjian_session" not in {c["name"] for c in context.cookies()}
        browser.close()
    # A made-up ticket: redirected back, no cookie.
    request = urllib.request.Request(f"{signin_server}/_dangjian/session?ticket=made-up&next=/")

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(NoRedirect)
    try:
        opener.open(request, timeout=10)
        raise AssertionError("expected a redirect")
    except urllib.error.HTTPError as redirect:
        assert redirect.code == 303 and redirect.headers["Location"] == "/"
        assert not any("dangjian_session" in c for c in redirect.headers.get_all("Set-Cookie") or [])

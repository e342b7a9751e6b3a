"""The server's own exits (issue #10): no framework download beside the app's exports, downloads only
to the browser that asked and only briefly, security headers, client cache-clearing ignored.

The patches live in server_hardening.py; the "Streamlit internals" tests below fail when an upgrade
moves what a patch relies on (then re-read server_hardening.py against the new version)."""
import inspect
import re
import time
import tomllib
import urllib.error
import urllib.request

import pytest
from playwright.sync_api import sync_playwright  # noqa: E402  (after test_browser's chromium check)

import server_hardening
from server_hardening import DownloadGrants
from tests.test_browser import CHROMIUM, CHROMIUM_ARGS, ROOT, _serve, _wait_idle

PAGES = ["overview", "development", "coverage", "model-posts", "zones", "pairs", "problems", "scores",
         "team-building", "upload", "submissions", "definitions"]


# --- Streamlit internals the patches rely on (Streamlit 1.67) -------------------------------------

def test_streamlit_internals_the_patches_rely_on_are_still_there():
    from streamlit.runtime import Runtime
    from streamlit.runtime.app_session import AppSession
    from streamlit.runtime.media_file_manager import MediaFileManager
    from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage
    from streamlit.web.server.starlette import starlette_app, starlette_websocket

    dispatch = inspect.getsource(AppSession.handle_backmsg)
    assert '"clear_cache"' in dispatch and "self._handle_clear_cache_request()" in dispatch
    assert '"load_git_info"' in dispatch and "self._handle_git_information_request()" in dispatch
    handled = set(re.findall(r'msg_type == "(\w+)"', dispatch))
    assert handled == {"rerun_script", "load_git_info", "clear_cache", "app_heartbeat", "set_run_on_save",
                       "stop_script", "file_urls_request", "backend_operation_request"}, \
        "a new client message: check whether it acts beyond its own session"
    socket = inspect.getsource(starlette_websocket)
    assert '"debug_shutdown_runtime"' in socket and 'config.get_option("global.developmentMode")' in socket
    assert "create_streamlit_middleware()" in inspect.getsource(starlette_app.create_starlette_app)
    assert list(inspect.signature(MediaFileManager.__dict__["add"].__wrapped__
                                  if hasattr(MediaFileManager.add, "__wrapped__") else MediaFileManager.add
                                  ).parameters) == ["self", "path_or_data", "mimetype", "coordinates",
                                                    "file_name", "is_for_static_download"]
    deferred = inspect.getsource(getattr(MediaFileManager.execute_deferred, "__wrapped__",
                                         MediaFileManager.execute_deferred))
    assert "self._deferred_callables" in deferred and "self._storage.get_url(" in deferred
    assert '"session_id": session_id' in inspect.getsource(MediaFileManager.add_deferred)
    assert "read_file" in vars(MediaFileManager) and "get_client" in vars(Runtime)
    assert 'f"{self._media_endpoint}/{file_id}{extension}"' in inspect.getsource(MemoryMediaFileStorage.get_url)


def test_config_turns_off_the_frameworks_own_exports():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["client"]["disableDataExport"] is True
    assert config["server"]["enableAgentApi"] is False
    assert config["server"]["enableStaticServing"] is False
    assert config["server"]["enableXsrfProtection"] is True


# --- units -----------------------------------------------------------------------------------------

def test_a_download_grant_is_for_one_cookie_and_expires():
    now = [1000.0]
    grants = DownloadGrants(clock=lambda: now[0])
    grants.grant("f1", "cookie-a", 60)
    assert grants.allows("f1", "cookie-a")
    assert not grants.allows("f1", "cookie-b") and not grants.allows("f1", None)
    grants.grant("f2", None, 60)  # a session without a browser: nobody may fetch it
    assert grants.known("f2") and not grants.allows("f2", None)
    now[0] += 61
    assert not grants.allows("f1", "cookie-a")
    assert set(grants.expired()) == {"f1", "f2"} and not grants.known("f1")


def test_a_client_clear_cache_message_leaves_every_cache_alone(caplog):
    import streamlit as st
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.runtime.app_session import AppSession

    server_hardening.install()
    calls = []

    @st.cache_data
    def figure(x):
        calls.append(x)
        return x * 2

    figure(3)
    class Bare(AppSession):  # only the dispatch runs; it needs no other state
        def __del__(self):
            pass

    session = Bare.__new__(Bare)
    session.id = "test-session"
    for kind in ("clear_cache", "load_git_info"):
        msg = BackMsg()
        setattr(msg, kind, True)
        session.handle_backmsg(msg)
    figure(3)
    assert calls == [3], "the cache was emptied by a client message"
    assert "clear_cache" in caplog.text and "load_git_info" in caplog.text
    figure.clear()


def test_the_middleware_is_in_front_of_streamlits_own():
    from streamlit.web.server.starlette import starlette_app

    server_hardening.install()
    stack = starlette_app.create_streamlit_middleware()
    assert stack[0].cls is server_hardening.HardeningMiddleware


# --- a real server ---------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def served(demo_db, tmp_path_factory):
    home = tmp_path_factory.mktemp("security")
    with _serve(demo_db, home) as url:
        yield url, home


def _get(url: str, cookie: str | None = None):
    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def test_every_answer_carries_the_security_headers(served):
    url, _ = served
    status, index, body = _get(url + "/")
    script = re.search(rb'src="\./(static/js/[^"]+\.js)"', body).group(1).decode()
    for path in ["/", "/_stcore/health", "/" + script, "/media/0123456789abcdef.xlsx", "/problems"]:
        status, headers, _ = _get(url + path)
        assert headers["X-Frame-Options"] == "DENY", path
        assert headers["X-Content-Type-Options"] == "nosniff", path
        assert headers["Referrer-Policy"] == "no-referrer", path
        csp = headers["Content-Security-Policy"]
        assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp and "object-src 'none'" in csp
    assert "HttpOnly" in index["Set-Cookie"] and index["Set-Cookie"].startswith("dangjian_client=")


def test_a_client_clear_cache_message_is_ignored_by_the_server(served):
    import websockets.sync.client
    from streamlit.proto.BackMsg_pb2 import BackMsg

    url, home = served
    with websockets.sync.client.connect(url.replace("http", "ws") + "/_stcore/stream",
                                        subprotocols=["streamlit"], open_timeout=10) as ws:
        for kind in ("clear_cache", "load_git_info"):
            msg = BackMsg()
            setattr(msg, kind, True)
            ws.send(msg.SerializeToString())
        time.sleep(1.5)
    log = (home / "streamlit.log").read_text(encoding="utf-8")
    assert "（clear_cache），已忽略" in log and "（load_git_info），已忽略" in log


def _browser(p):
    return p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)


def test_a_download_is_served_only_to_the_browser_that_asked(served):
    url, _ = served
    with sync_playwright() as p:
        browser = _browser(p)
        context = browser.new_context(viewport={"width": 1600, "height": 1000}, locale="zh-CN",
                                      accept_downloads=True)
        page = context.new_page()
        page.goto(f"{url}/problems")
        _wait_idle(page)
        button = page.locator('[data-testid="stDownloadButton"] button').filter(has_text="Excel").first
        with page.expect_download(timeout=60000) as info:
            button.click()
        download = info.value
        assert download.failure() is None
        link = download.url
        assert "/media/" in link
        # The browser that asked may fetch it again (its cookie), within the time.
        assert context.request.get(link).status == 200
        # A fresh client, no cookie, and another browser with its own cookie: not found.
        assert _get(link)[0] == 404
        other = browser.new_context()
        other.new_page().goto(url)
        assert other.request.get(link).status == 404
        browser.close()


def test_a_download_is_gone_after_its_time(served, monkeypatch):
    """The server's clock is not ours: check the grant's expiry against the real storage in-process."""
    from streamlit.runtime.media_file_manager import MediaFileManager
    from streamlit.runtime.media_file_storage import MediaFileKind
    from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage

    server_hardening.install()
    storage = MemoryMediaFileStorage("/media")
    manager = MediaFileManager(storage)
    now = [0.0]
    monkeypatch.setattr(server_hardening, "GRANTS", DownloadGrants(clock=lambda: now[0]))
    monkeypatch.setattr(server_hardening, "_session_cookie", lambda session_id: "cookie-a")

    class FakeRuntime:
        media_file_mgr = manager

        @staticmethod
        def exists():
            return True

        @staticmethod
        def instance():
            return FakeRuntime

    monkeypatch.setattr("streamlit.runtime.Runtime", FakeRuntime)
    file_url = manager.add_deferred(lambda: b"names", "application/octet-stream", "0.1", "x.xlsx")
    link = manager.execute_deferred(file_url)
    file_id = link.rsplit("/", 1)[-1].split(".")[0]
    middleware = server_hardening.HardeningMiddleware(app=None, base_url="")
    assert storage.get_file(file_id).kind == MediaFileKind.DOWNLOADABLE
    assert middleware._may_fetch(link.rsplit("/", 1)[-1], "cookie-a")
    assert not middleware._may_fetch(link.rsplit("/", 1)[-1], None)
    now[0] += server_hardening.DOWNLOAD_TTL_S + 1
    middleware._may_fetch(link.rsplit("/", 1)[-1], "cookie-a")
    assert not server_hardening.GRANTS.allows(file_id, "cookie-a")
    assert manager.read_file(link.rsplit("/", 1)[-1]) is None, "an expired download stays in memory"
    # so Streamlit's own /media/ route answers 404 for it.


def _settled(page) -> None:
    """The script has finished and what it drew has stopped changing (tables appear after the run)."""
    page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=60000)
    last, stable = None, 0
    while stable < 3:
        now = page.evaluate("() => [...document.querySelectorAll('[data-testid=\"stElementContainer\"],"
                            " [data-testid=\"stDataFrame\"] canvas')].length")
        stable = stable + 1 if now == last else 0
        last = now
        page.wait_for_timeout(250)


HOVERED_TABLES = 3  # a page's first visible tables of each kind: one config and one style rule serve them all


def _table_toolbar_labels(page) -> list[str]:
    """Hover the page's first tables of each kind; the labels of the buttons their toolbars show."""
    labels = []
    for kind in ("stDataFrame", "stDataEditor", "stTable"):
        tables = page.locator(f'[data-testid="{kind}"]:visible')  # (not in a closed expander or tab)
        for i in range(min(tables.count(), HOVERED_TABLES)):
            labels += _hovered_toolbar(page, tables.nth(i))
    return labels


def _hovered_toolbar(page, table) -> list[str]:
    """The labels of the buttons a table's toolbar shows while the mouse is on it."""
    table.scroll_into_view_if_needed()
    table.hover()
    page.wait_for_timeout(200)
    return table.locator('[data-testid="stElementToolbar"] button, [data-testid="stElementToolbarButton"]'
                         ).evaluate_all("els => els.map(e => (e.getAttribute('aria-label') || '') + ' '"
                                        " + (e.innerText || ''))")


def test_no_table_offers_its_own_download(served):
    """Every page, normal and 会议模式: the only download buttons are the app's own exports."""
    url, _ = served
    with sync_playwright() as p:
        browser = _browser(p)
        page = browser.new_page(viewport={"width": 1600, "height": 1000}, locale="zh-CN")
        outside = []  # answered from another host: must stay empty (the CSP blocks such requests)
        page.on("response", lambda r: outside.append(r.url) if not r.url.startswith(url) and
                not r.url.startswith(("data:", "blob:")) else None)
        violations = []  # what the CSP blocked: nothing (the page icon is an emoji since #13)
        page.on("console", lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None)
        seen_tables = 0
        for mode in ("", "?mode=meeting"):
            for name in PAGES:
                page.goto(f"{url}/{name}{mode}")
                _wait_idle(page)
                _settled(page)
                seen_tables += page.locator('[data-testid="stDataFrame"]').count()
                labels = _table_toolbar_labels(page)
                assert not [x for x in labels if re.search(r"download|csv|下载|导出", x, re.I)], (name, mode, labels)
                # Any other download control on the page is one of the app's own st.download_button.
                others = page.locator('button:not([data-testid="stDownloadButton"] button):not(.modebar-btn)'
                                      ).evaluate_all("els => els.map(e => e.getAttribute('aria-label') || '')"
                                                     ".filter(l => /download|csv/i.test(l))")
                assert not others, (name, mode, others)
                assert page.locator('[data-testid="stImage"] [data-testid="stElementToolbar"]').count() == 0
        assert seen_tables > 5, "the walk saw hardly any table"
        assert not outside, f"requests to another host: {outside[:5]}"
        assert not violations, violations[:5]
        browser.close()

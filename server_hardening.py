"""The server's own exits closed (issue #10): downloads bound to the browser that asked and short-lived,
security headers on every answer, and no client-initiated message that acts on other users.

serve.py calls `install()` before the server starts. Each patch below names the Streamlit internal
it relies on; all were written against Streamlit 1.67.0 (Starlette server) and
tests/test_server_security.py fails if an upgrade moves one of them.

What each part does:

* Client cookie. Every HTTP answer to a browser without one sets `dangjian_client`: random,
  HttpOnly, SameSite=Lax (Secure behind TLS). The websocket handshake carries it, so a session
  knows its browser's cookie (`Runtime.get_client(id).client_context.cookies`).
* Downloads (st.download_button files, kind DOWNLOADABLE in Streamlit's media storage) are granted
  to the cookie of the session that made them. A click's file (a deferred download: bytes made
  when the button is pressed) may be fetched for DOWNLOAD_TTL_S seconds; a file shown with the
  page (bytes given to the button up front) for SHOWN_DOWNLOAD_TTL_S seconds after the page last
  showed it. `/media/<id>` of a download without the right cookie, or after that time, is a 404,
  and an expired file is removed from memory. Media that is not a download (images) is untouched.
* Headers: X-Frame-Options DENY, a Content-Security-Policy of 'self' (plus inline styles,
  data:/blob: images and the hashes of index.html's own inline scripts), nosniff, no-referrer.
* BackMsgs: `clear_cache` (empties every user's st.cache_data/st.cache_resource) and
  `load_git_info` (answers with the repository, branch and untracked file names) are ignored and
  logged. The debug messages are refused by Streamlit itself unless global.developmentMode or
  global.e2eTest is on; `check_no_debug_mode()` stops the server if either is.
"""
from __future__ import annotations

import base64
import hashlib
import logging
import re
import secrets
import threading
import time
from http.cookies import SimpleCookie
from pathlib import Path

COOKIE = "dangjian_client"
DOWNLOAD_TTL_S = 60  # a clicked download: the browser fetches it at once
SHOWN_DOWNLOAD_TTL_S = 15 * 60  # a download whose bytes came with the page (template, deck)

log = logging.getLogger("dangjian.server")

_INSTALLED = False


# --- download grants ------------------------------------------------------------------------------

class DownloadGrants:
    """Which browser cookie may fetch which download file id until when. Thread-safe."""

    def __init__(self, clock=time.monotonic):
        self._clock = clock
        self._lock = threading.Lock()
        self._grants: dict[str, dict[str, float]] = {}  # file id -> {cookie: expiry}

    def grant(self, file_id: str, cookie: str | None, ttl_s: float) -> None:
        with self._lock:
            holders = self._grants.setdefault(file_id, {})
            if cookie:
                holders[cookie] = max(holders.get(cookie, 0.0), self._clock() + ttl_s)

    def known(self, file_id: str) -> bool:
        with self._lock:
            return file_id in self._grants

    def allows(self, file_id: str, cookie: str | None) -> bool:
        with self._lock:
            expiry = self._grants.get(file_id, {}).get(cookie or "")
            return expiry is not None and expiry > self._clock()

    def expired(self) -> list[str]:
        """Drop every expired grant; the ids no browser may fetch any more (the caller deletes them)."""
        now = self._clock()
        gone = []
        with self._lock:
            for file_id, holders in list(self._grants.items()):
                for cookie in [c for c, t in holders.items() if t <= now]:
                    del holders[cookie]
                if not holders:
                    del self._grants[file_id]
                    gone.append(file_id)
        return gone


GRANTS = DownloadGrants()


def _session_cookie(session_id: str | None) -> str | None:
    """The client cookie of the browser connected to a session (None without a browser, e.g. AppTest)."""
    from streamlit.runtime import Runtime

    if not session_id or not Runtime.exists():
        return None
    client = Runtime.instance().get_client(session_id)  # Streamlit 1.67: Runtime.get_client
    context = getattr(client, "client_context", None)  # 1.67: SessionClient.client_context (st.context)
    cookies = getattr(context, "cookies", None) or {}
    return cookies.get(COOKIE)


def _file_id(url: str) -> str:
    """`/media/<id>.<ext>` → id (MemoryMediaFileStorage.get_url's form)."""
    return url.rsplit("/", 1)[-1].split(".", 1)[0]


def _forget_expired() -> None:
    """Remove downloads no browser may fetch any more from Streamlit's memory."""
    from streamlit.runtime import Runtime

    gone = GRANTS.expired()
    if gone and Runtime.exists():
        storage = Runtime.instance().media_file_mgr._storage  # 1.67: MediaFileManager._storage
        for file_id in gone:
            storage.delete_file(file_id)  # MemoryMediaFileStorage.delete_file ignores unknown ids


def _patch_media_file_manager() -> None:
    """Streamlit 1.67 `MediaFileManager.add` (is_for_static_download=True: st.download_button with
    bytes) and `MediaFileManager.execute_deferred` (st.download_button with a callable, run on the
    click): record which browser may fetch the file they return the URL of."""
    from streamlit.runtime.media_file_manager import MediaFileManager
    from streamlit.runtime.scriptrunner_utils.script_run_context import get_script_run_ctx

    add, execute_deferred = MediaFileManager.add, MediaFileManager.execute_deferred

    def hardened_add(self, path_or_data, mimetype, coordinates, file_name=None, is_for_static_download=False):
        url = add(self, path_or_data, mimetype, coordinates, file_name, is_for_static_download)
        if is_for_static_download:
            ctx = get_script_run_ctx()
            GRANTS.grant(_file_id(url), _session_cookie(ctx.session_id if ctx else None), SHOWN_DOWNLOAD_TTL_S)
            _forget_expired()
        return url

    def hardened_execute_deferred(self, file_id):
        with self._lock:  # 1.67: MediaFileManager._deferred_callables[id]["session_id"]
            entry = self._deferred_callables.get(file_id)
        session_id = entry["session_id"] if entry else None
        url = execute_deferred(self, file_id)
        GRANTS.grant(_file_id(url), _session_cookie(session_id), DOWNLOAD_TTL_S)
        _forget_expired()
        return url

    hardened_add.__wrapped__ = add
    hardened_execute_deferred.__wrapped__ = execute_deferred
    MediaFileManager.add = hardened_add
    MediaFileManager.execute_deferred = hardened_execute_deferred


def _is_download(name: str) -> bool:
    """A stored file of kind DOWNLOADABLE (fail closed: a download nobody was granted is refused)."""
    from streamlit.runtime import Runtime
    from streamlit.runtime.media_file_storage import MediaFileKind

    if not Runtime.exists():
        return False
    stored = Runtime.instance().media_file_mgr.read_file(name)  # 1.67: MediaFileManager.read_file
    return stored is not None and stored.kind == MediaFileKind.DOWNLOADABLE


# --- headers and the cookie -----------------------------------------------------------------------

def _inline_script_hashes() -> list[str]:
    """CSP hashes of the inline scripts of Streamlit's index.html (1.67 has one: prerenderReady)."""
    import streamlit

    index = Path(streamlit.__file__).parent / "static" / "index.html"
    scripts = re.findall(r"<script>(.*?)</script>", index.read_text(encoding="utf-8"), re.S)
    return [f"'sha256-{base64.b64encode(hashlib.sha256(s.encode()).digest()).decode()}'" for s in scripts]


def content_security_policy() -> str:
    return "; ".join([
        "default-src 'self'",
        "script-src 'self' " + " ".join(_inline_script_hashes()),
        "style-src 'self' 'unsafe-inline'",  # emotion and Plotly write inline styles
        "img-src 'self' data: blob:",
        "font-src 'self' data:",
        "connect-src 'self'",  # same-origin fetch and the /_stcore/stream websocket (ws: and wss:)
        "worker-src 'self' blob:",
        "frame-src 'self'",
        "frame-ancestors 'none'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
    ])


def security_headers() -> list[tuple[bytes, bytes]]:
    return [(b"x-frame-options", b"DENY"),
            (b"content-security-policy", content_security_policy().encode()),
            (b"x-content-type-options", b"nosniff"),
            (b"referrer-policy", b"no-referrer")]


def _cookie_of(scope) -> str | None:
    for name, value in scope.get("headers", []):
        if name == b"cookie":
            jar = SimpleCookie()
            try:
                jar.load(value.decode("latin-1"))
            except Exception:  # noqa: BLE001 - a malformed cookie header is no cookie
                return None
            if COOKIE in jar:
                return jar[COOKIE].value
    return None


def _is_https(scope) -> bool:
    headers = dict(scope.get("headers", []))
    return scope.get("scheme") == "https" or headers.get(b"x-forwarded-proto", b"").lower() == b"https"


class HardeningMiddleware:
    """Pure ASGI middleware, outermost: headers and the client cookie on every HTTP answer; downloads
    under /media/ only to the cookie they were granted to."""

    def __init__(self, app, base_url: str | None = None):
        from streamlit import config

        self.app = app
        base = (base_url if base_url is not None else config.get_option("server.baseUrlPath") or "").strip("/")
        self.media_prefix = f"/{base}/media/" if base else "/media/"
        self.headers = security_headers()

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        cookie = _cookie_of(scope)
        path = scope.get("path", "")
        if path.startswith(self.media_prefix) and not self._may_fetch(path[len(self.media_prefix):], cookie):
            await self._not_found(send)
            return
        extra = list(self.headers)
        if cookie is None:
            value = secrets.token_urlsafe(32)
            flags = "; HttpOnly; SameSite=Lax; Path=/" + ("; Secure" if _is_https(scope) else "")
            extra.append((b"set-cookie", f"{COOKIE}={value}{flags}".encode()))

        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                present = {name.lower() for name, _ in message.get("headers", [])}
                message = {**message, "headers": [*message.get("headers", []),
                                                  *[(n, v) for n, v in extra if n not in present or n == b"set-cookie"]]}
            await send(message)

        await self.app(scope, receive, send_with_headers)

    def _may_fetch(self, name: str, cookie: str | None) -> bool:
        _forget_expired()
        file_id = name.split(".", 1)[0]
        if GRANTS.allows(file_id, cookie):
            return True
        if GRANTS.known(file_id) or _is_download(name):
            log.warning("下载文件 %s 拒绝：不是生成它的会话，或已过期", file_id[:12])
            return False
        return True  # an image or other page media, not a download

    async def _not_found(self, send):
        body = "下载已过期，或不是这个浏览器生成的。请回到看板重新点击下载按钮。".encode()
        await send({"type": "http.response.start", "status": 404,
                    "headers": [(b"content-type", b"text/plain; charset=utf-8"),
                                (b"content-length", str(len(body)).encode()), *self.headers]})
        await send({"type": "http.response.body", "body": body})


def _patch_middleware() -> None:
    """Streamlit 1.67 builds its Starlette app with `starlette_app.create_streamlit_middleware()`
    (both `streamlit run` and st.App); put HardeningMiddleware in front of what it returns."""
    from starlette.middleware import Middleware
    from streamlit.web.server.starlette import starlette_app

    original = starlette_app.create_streamlit_middleware

    def hardened_middleware():
        check_no_debug_mode()  # config is loaded by now
        return [Middleware(HardeningMiddleware), *original()]

    hardened_middleware.__wrapped__ = original
    starlette_app.create_streamlit_middleware = hardened_middleware


# --- messages from clients ------------------------------------------------------------------------

def _ignore_clear_cache(self) -> None:
    log.warning("客户端请求清空缓存（clear_cache），已忽略：会话 %s", str(getattr(self, "id", ""))[:8])


def _ignore_git_info(self) -> None:
    log.warning("客户端请求 Git 信息（load_git_info），已忽略：会话 %s", str(getattr(self, "id", ""))[:8])


def _patch_back_messages() -> None:
    """Streamlit 1.67 `AppSession.handle_backmsg` dispatches "clear_cache" to
    `self._handle_clear_cache_request()` (st.cache_data.clear() and st.cache_resource.clear() for the
    whole process) and "load_git_info" to `self._handle_git_information_request()`."""
    from streamlit.runtime.app_session import AppSession

    AppSession._handle_clear_cache_request = _ignore_clear_cache
    AppSession._handle_git_information_request = _ignore_git_info


def check_no_debug_mode() -> None:
    """Streamlit obeys the websocket's debug_shutdown_runtime (stops the server for everyone) only in
    development or e2e mode; refuse to serve in either."""
    from streamlit import config

    for option in ("global.developmentMode", "global.e2eTest"):
        if config.get_option(option):
            raise SystemExit(f"{option} 已开启：生产环境不得使用（客户端可借此关闭服务器）")


def install() -> None:
    """All patches, once, before the server starts."""
    global _INSTALLED
    if _INSTALLED:
        return
    _patch_middleware()
    _patch_media_file_manager()
    _patch_back_messages()
    _INSTALLED = True

"""The HTTP routes serve.py adds to Streamlit's server: the two of the session cookie
(lib.access.sessions; a script run cannot set an HttpOnly cookie, a plain HTTP response can) and the
store's health for monitoring (lib.store.health).

- SESSION_PATH?ticket=…&next=/page — exchanges a one-time ticket for the cookie, then back to `next`;
- SIGNOUT_PATH?next=/page — revokes and deletes the cookie, then back to `next`;
- HEALTH_PATH — 200 when the database the app shows can be read (or is only busy), 503 when not.

Starlette only (no Streamlit); `base` is Streamlit's server.baseUrlPath as a path prefix ("" or "/x").
"""
from __future__ import annotations

import logging
import time

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from lib.access import sessions
from lib.store.health import HEALTH_PATH, check_store

log = logging.getLogger("dangjian.auth")

_NO_STORE = {"Cache-Control": "no-store", "Referrer-Policy": "no-referrer"}


def _secure(request: Request) -> bool:
    return request.url.scheme == "https" or request.headers.get("x-forwarded-proto", "").lower() == "https"


def _back(request: Request, base: str) -> RedirectResponse:
    target = sessions.safe_next(request.query_params.get("next"))
    if base and not target.startswith(base + "/") and target != base:
        target = base + target
    return RedirectResponse(target, status_code=303, headers=dict(_NO_STORE))


def _session(base: str):
    async def session(request: Request) -> RedirectResponse:
        response = _back(request, base)
        redeemed = sessions.TICKETS.redeem(request.query_params.get("ticket"))
        if redeemed is None:
            log.info("登录票据无效或已过期")
            return response
        login, fingerprint = redeemed
        value = sessions.make_cookie(sessions.signing_key(), login, fingerprint, time.time())
        response.headers.append("Set-Cookie", sessions.cookie_header(value, secure=_secure(request)))
        return response
    return session


def _signout(base: str):
    async def signout(request: Request) -> RedirectResponse:
        current = sessions.read_cookie(sessions.signing_key(), request.cookies.get(sessions.COOKIE_NAME), time.time())
        if current is not None:
            sessions.REVOKED.revoke(current)
            log.info("退出登录：%s", current.login)
        response = _back(request, base)
        response.headers.append("Set-Cookie", sessions.cookie_header("", secure=_secure(request), max_age=0))
        return response
    return signout


async def store_health(request: Request) -> Response:
    health = await run_in_threadpool(check_store)  # opening the file may wait: not on the event loop
    return Response(health.as_json(), status_code=health.http_status, media_type="application/json",
                    headers=dict(_NO_STORE))


def session_routes(base: str = "") -> list[Route]:
    return [Route(base + sessions.SESSION_PATH, _session(base), methods=["GET"]),
            Route(base + sessions.SIGNOUT_PATH, _signout(base), methods=["GET"])]


def health_routes(base: str = "") -> list[Route]:
    return [Route(base + HEALTH_PATH, store_health, methods=["GET"])]

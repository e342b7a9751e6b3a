"""Browser sessions that survive a reload and cannot be taken over with a copied Streamlit session id.

After a correct password the app issues a one-time *ticket* (random, valid TICKET_SECONDS, used
once). The browser is sent to `SESSION_PATH?ticket=…`, a route serve.py adds to Streamlit's
server, which exchanges the ticket for a *session cookie* — HttpOnly (no script can read it),
SameSite=Strict, expiring after SESSION_SECONDS — and redirects back to the page. Every script run
reads the cookie again (st.context.cookies, i.e. from the websocket of the browser connected now)
and trusts nothing else: a second client that presents a signed-in session's id but not the
cookie is not signed in. `SIGNOUT_PATH` revokes the cookie and deletes it.

The cookie is `payload.signature`: payload = base64url(JSON {login, expiry, nonce, account
fingerprint}), signature = HMAC-SHA256 with the key in `session.key` beside the database (created
on first start, readable only by its owner). The fingerprint ties it to the account's current
password hash, so a changed password or a removed account ends its sessions. Revoked cookies
(signed out) are remembered in memory until they would have expired.

No Streamlit here: the route in serve.py and the app share these functions.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from lib.config import default_db_path

COOKIE_NAME = "dangjian_session"
SESSION_PATH = "/_dangjian/session"
SIGNOUT_PATH = "/_dangjian/signout"
TICKET_SECONDS = 30
SESSION_SECONDS = 12 * 60 * 60
KEY_FILE = "session.key"
# serve.py sets this: the app runs on the real server, where only the cookie signs anyone in.
SERVED_ENV = "DANGJIAN_SERVED"


def key_path() -> Path:
    return default_db_path().with_name(KEY_FILE)


_key_lock = threading.Lock()
_keys: dict[Path, bytes] = {}


def signing_key(path: Path | None = None) -> bytes:
    """The HMAC key, created (32 random bytes, mode 600) the first time it is needed."""
    path = path or key_path()
    with _key_lock:
        if path in _keys and path.exists():
            return _keys[path]
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w") as f:
                f.write(secrets.token_hex(32))
        key = bytes.fromhex(path.read_text().strip())
    if len(key) < 32:
        raise ValueError(f"会话密钥文件 {path} 已损坏：请删除它后重启看板（所有人需要重新登录）")
    _keys[path] = key
    return key


def account_fingerprint(password_hash: str) -> str:
    """Changes when the password does; stands in the cookie instead of the hash itself."""
    return hashlib.sha256(password_hash.encode("utf-8")).hexdigest()[:16]


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode("ascii").rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@dataclass(frozen=True)
class Session:
    login: str
    expires: float
    nonce: str
    fingerprint: str


def make_cookie(key: bytes, login: str, fingerprint: str, now: float,
                seconds: float = SESSION_SECONDS) -> str:
    payload = _b64(json.dumps({"l": login, "e": int(now + seconds), "n": secrets.token_urlsafe(16),
                               "f": fingerprint}, ensure_ascii=False).encode("utf-8"))
    return f"{payload}.{_b64(hmac.new(key, payload.encode('ascii'), hashlib.sha256).digest())}"


def read_cookie(key: bytes, value: str | None, now: float) -> Session | None:
    """The session a cookie carries, if its signature is right and it has not expired or been revoked."""
    if not value or value.count(".") != 1:
        return None
    payload, signature = value.split(".")
    expected = _b64(hmac.new(key, payload.encode("ascii", "replace"), hashlib.sha256).digest())
    if not hmac.compare_digest(expected, signature):
        return None
    try:
        data = json.loads(_unb64(payload))
        session = Session(str(data["l"]), float(data["e"]), str(data["n"]), str(data["f"]))
    except (ValueError, KeyError, TypeError):
        return None
    if session.expires <= now or REVOKED.is_revoked(session.nonce, now):
        return None
    return session


class Revoked:
    """Nonces of signed-out cookies, kept until those cookies would have expired anyway."""

    def __init__(self):
        self._until: dict[str, float] = {}
        self._lock = threading.Lock()

    def revoke(self, session: Session) -> None:
        with self._lock:
            self._until[session.nonce] = session.expires

    def is_revoked(self, nonce: str, now: float) -> bool:
        with self._lock:
            for old in [n for n, until in self._until.items() if until <= now]:
                del self._until[old]
            return nonce in self._until


REVOKED = Revoked()


class Tickets:
    """One-time tickets: issued by the app after a correct password, exchanged once by the route."""

    def __init__(self, seconds: float = TICKET_SECONDS, clock: Callable[[], float] = time.time):
        self.seconds = seconds
        self.clock = clock
        self._tickets: dict[str, tuple[str, str, float]] = {}
        self._lock = threading.Lock()

    def issue(self, login: str, fingerprint: str) -> str:
        ticket = secrets.token_urlsafe(32)
        with self._lock:
            now = self.clock()
            for old in [t for t, (_, _, until) in self._tickets.items() if until <= now]:
                del self._tickets[old]
            self._tickets[ticket] = (login, fingerprint, now + self.seconds)
        return ticket

    def redeem(self, ticket: str | None) -> tuple[str, str] | None:
        """(login, fingerprint) of a valid ticket, which is used up; None for any other."""
        if not ticket:
            return None
        with self._lock:
            entry = self._tickets.pop(ticket, None)
        if entry is None or entry[2] <= self.clock():
            return None
        return entry[0], entry[1]


TICKETS = Tickets()


def safe_next(target: str | None) -> str:
    """A path on this server to return to; anything else (another host, //host, a scheme) → '/'."""
    target = (target or "").strip()
    if not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or any(ord(c) < 32 for c in target):
        return "/"
    return target


def cookie_header(value: str, *, secure: bool, max_age: int = SESSION_SECONDS) -> str:
    """The Set-Cookie value; max_age 0 deletes the cookie."""
    parts = [f"{COOKIE_NAME}={value}", "Path=/", f"Max-Age={max_age}", "HttpOnly", "SameSite=Strict"]
    if secure:
        parts.append("Secure")
    return "; ".join(parts)


def served() -> bool:
    """serve.py started this process: sign-in state comes from the session cookie only."""
    return os.environ.get(SERVED_ENV) == "1"

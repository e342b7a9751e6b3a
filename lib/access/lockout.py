"""Wrong passwords: after MAX_FAILURES failed sign-ins a login name is locked for LOCK_SECONDS.

The count is process-wide (one `Lockout` shared by every session and every address), kept per
login name whether or not such an account exists: an unknown name is counted and locked exactly
like a real one, so neither the lock nor its message tells which names exist. Every attempt that
is not locked costs one bcrypt check (`lib.access.auth.verify_password`), for a wrong name too.

No Streamlit here; the clock is injectable so tests can move time.
"""
from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from lib.access.auth import Account, User, verify_password

log = logging.getLogger("dangjian.auth")

MAX_FAILURES = 5
LOCK_SECONDS = 5 * 60


@dataclass
class _Record:
    failures: int = 0
    locked_until: float = 0.0


class Lockout:
    """Failed sign-ins per login name; `clock` returns seconds (time.time by default)."""

    def __init__(self, max_failures: int = MAX_FAILURES, lock_seconds: float = LOCK_SECONDS,
                 clock: Callable[[], float] = time.time):
        self.max_failures = max_failures
        self.lock_seconds = lock_seconds
        self.clock = clock
        self._records: dict[str, _Record] = {}
        self._lock = threading.Lock()

    @staticmethod
    def _key(login: str) -> str:
        return (login or "").strip()

    def seconds_left(self, login: str) -> float:
        """How long the login stays locked (0: not locked)."""
        with self._lock:
            record = self._records.get(self._key(login))
            return max(0.0, record.locked_until - self.clock()) if record else 0.0

    def failed(self, login: str) -> bool:
        """Count one failure; True when this failure locks the login."""
        key = self._key(login)
        with self._lock:
            now = self.clock()
            if len(self._records) > 10_000:  # guessed names must not grow this without end
                self._records = {k: r for k, r in self._records.items() if r.locked_until > now}
            record = self._records.setdefault(key, _Record())
            if record.locked_until and record.locked_until <= now:  # an expired lock starts afresh
                record.failures, record.locked_until = 0, 0.0
            record.failures += 1
            if record.failures < self.max_failures:
                return False
            record.failures, record.locked_until = 0, now + self.lock_seconds
        log.warning("登录锁定：账号 %r 连续 %d 次密码错误，锁定 %d 分钟（%s 起）", key, self.max_failures,
                    round(self.lock_seconds / 60), time.strftime("%Y-%m-%d %H:%M:%S", time.localtime()))
        return True

    def succeeded(self, login: str) -> None:
        with self._lock:
            self._records.pop(self._key(login), None)

    def clear(self) -> None:
        with self._lock:
            self._records.clear()


# The one lockout of the process: every session and every address shares it.
LOCKOUT = Lockout()


@dataclass(frozen=True)
class Attempt:
    user: User | None            # signed in as this user, or None
    locked_seconds: float = 0.0  # > 0: refused because the login is locked (for this long still)

    @property
    def message(self) -> str:
        """Chinese, for the sign-in form; empty when signed in."""
        if self.user is not None:
            return ""
        if self.locked_seconds > 0:
            minutes = max(1, round(self.locked_seconds / 60 + 0.49))
            return (f"该账号连续 {MAX_FAILURES} 次密码错误，已锁定，请约 {minutes} 分钟后再试。"
                    "如非本人操作，请告知管理员。")
        return "账号或密码不正确"


def attempt_sign_in(accounts: Mapping[str, Account], login: str, password: str,
                    lockout: Lockout = LOCKOUT) -> Attempt:
    """Check a password against the lockout and the accounts, counting a failure.

    A locked name is refused without a password check (whether or not it exists); any other
    name, known or not, goes through the same bcrypt check.
    """
    left = lockout.seconds_left(login)
    if left > 0:
        return Attempt(None, left)
    user = verify_password(accounts, login, password)
    if user is None:
        if lockout.failed(login):
            return Attempt(None, lockout.seconds_left(login))
        return Attempt(None)
    lockout.succeeded(login)
    return Attempt(user)

"""One database file shared by many processes: the app (one or several) and any CLI command.

DuckDB lets one process at a time open a file for writing, and it keeps the file for as long as
the connection is open. So no process keeps it: each opens it for the work at hand under an
exclusive `flock` on `<database>.lock`, and closes it again when the work is done (docs/architecture.md,
"One database, many processes").

Within a process all threads share one `Lease` per file: the first use opens the file (waiting for
the lock), later uses share the open connection, and the file is closed `linger` seconds after the
last use ends — at once if another process is waiting. A process that waits leaves a marker
`<database>.waiting.<pid>.<ns>`; the holder sees it, lets running uses finish, hands the file over,
and then waits behind the marker, so a busy app cannot starve a nightly backup (and the reverse).
A wait longer than `wait` seconds raises StoreBusy and changes nothing.
"""
from __future__ import annotations

import atexit
import fcntl
import os
import threading
import time
from pathlib import Path

import duckdb

from lib.store.faults import StoreBusy, busy_message, invalidates_connection, translate

POLL_SECONDS = 0.05


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class _Queue:
    """Waiting markers beside the database: who waits, in the order they started waiting."""

    def __init__(self, db_path: Path):
        self.folder = db_path.parent
        self.prefix = f"{db_path.name}.waiting."

    def enter(self) -> Path:
        marker = self.folder / f"{self.prefix}{os.getpid()}.{time.time_ns()}.{threading.get_ident()}"
        marker.touch()
        return marker

    def others(self, before: Path | None = None) -> list[Path]:
        """Markers of other live processes (older than `before` if given); dead ones are removed."""
        found = []
        try:
            names = [p for p in self.folder.iterdir() if p.name.startswith(self.prefix)]
        except OSError:
            return []
        for marker in names:
            parts = marker.name[len(self.prefix):].split(".")
            try:
                pid, since = int(parts[0]), int(parts[1])
            except (IndexError, ValueError):
                continue
            if pid == os.getpid():
                continue
            if not _alive(pid):
                marker.unlink(missing_ok=True)
                continue
            if before is None or since < int(before.name[len(self.prefix):].split(".")[1]):
                found.append(marker)
        return found


def _take_file_lock(lock_path: Path, queue: _Queue, wait: float) -> int:
    """An fd holding the exclusive flock, after everyone who was already waiting; StoreBusy after `wait` s."""
    try:
        fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o664)
    except OSError as exc:
        raise translate(exc, lock_path.with_suffix("")) or exc
    started = time.monotonic()
    marker = None
    try:
        while True:
            # Queue behind earlier waiters: try only when nobody who waits longer is still waiting.
            ahead = queue.others(before=marker) if marker else queue.others()
            if not ahead:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    return fd
                except BlockingIOError:
                    pass
            if marker is None:
                marker = queue.enter()
            waited = time.monotonic() - started
            if waited >= wait:
                raise StoreBusy(busy_message(round(wait, 1)))
            time.sleep(min(POLL_SECONDS, wait - waited))
    except BaseException:
        os.close(fd)
        raise
    finally:
        if marker is not None:
            marker.unlink(missing_ok=True)


class Lease:
    """The open connection to one file in this process, shared by its threads (see module text)."""

    def __init__(self, path: Path, linger: float):
        self.path = path
        self.lock_path = path.with_name(path.name + ".lock")
        self.queue = _Queue(path)
        self.linger = linger
        self.cond = threading.Condition()
        self.con: duckdb.DuckDBPyConnection | None = None
        self.fd: int | None = None
        self.users = 0
        self.opening = False
        self.draining = False
        self.timer: threading.Timer | None = None
        self.idle_since = 0.0
        self.queue_checked, self.queue_seen = -1.0, False
        self.local = threading.local()
        self.on_open = None  # called with the new connection each time the file is opened
        # Serialises this process's writers (every Store of the file shares the lease and this);
        # other processes are kept out by the file lock.
        self.write_lock = threading.RLock()

    # ---------------------------------------------------------------- a use
    def enter(self, wait: float) -> duckdb.DuckDBPyConnection:
        depth = getattr(self.local, "depth", 0)
        if depth:  # nested in this thread: the file is already ours
            with self.cond:
                self.users += 1
            self.local.depth = depth + 1
            return self.con
        deadline = time.monotonic() + wait
        with self.cond:
            while True:
                if self.con is not None and not self.draining:
                    if self._others_waiting():  # someone else waits: finish what runs, then hand over
                        self.draining = True
                        self._close_if_idle()
                        continue
                    self.users += 1
                    self.local.depth = 1
                    return self.con
                if self.con is None and not self.opening:
                    self.opening = True
                    break
                left = deadline - time.monotonic()
                if left <= 0:
                    raise StoreBusy(busy_message(round(wait, 1)))
                self.cond.wait(left)
        try:
            fd = _take_file_lock(self.lock_path, self.queue, max(0.0, deadline - time.monotonic()))
            try:
                con = duckdb.connect(str(self.path))
                if self.on_open is not None:
                    self.on_open(con)
            except BaseException as exc:
                if "con" in locals():
                    con.close()
                fcntl.flock(fd, fcntl.LOCK_UN)
                os.close(fd)
                raise translate(exc, self.path) or exc
        except BaseException:
            with self.cond:
                self.opening = False
                self.cond.notify_all()
            raise
        with self.cond:
            self.con, self.fd, self.opening = con, fd, False
            self.queue_checked = -1.0  # whoever waited before is served: look afresh
            self.users += 1
            self.cond.notify_all()
        self.local.depth = 1
        return con

    def exit(self, exc: BaseException | None = None) -> None:
        self.local.depth -= 1
        with self.cond:
            self.users -= 1
            if exc is not None and invalidates_connection(exc):
                self.draining = True  # DuckDB refuses this instance now: reopen on the next use
            if self.users == 0:
                self.idle_since = time.monotonic()
                if self.draining or self.linger <= 0 or self._others_waiting():
                    self._close_if_idle()
                elif self.timer is None:  # one timer at a time; it looks again when it fires
                    self._start_timer(self.linger)

    def _others_waiting(self) -> bool:
        """Does another process wait? The folder is listed at most every POLL_SECONDS: a page run
        is hundreds of short uses, and a waiter polls no faster than that anyway."""
        now = time.monotonic()
        if now - self.queue_checked >= POLL_SECONDS:
            self.queue_checked, self.queue_seen = now, bool(self.queue.others())
        return self.queue_seen

    # ---------------------------------------------------------------- closing
    def _start_timer(self, seconds: float) -> None:
        self.timer = threading.Timer(seconds, self._linger_over)
        self.timer.daemon = True
        self.timer.start()

    def _linger_over(self) -> None:
        with self.cond:
            self.timer = None
            if self.users or self.con is None:
                return  # in use again: its last exit starts the next timer
            idle = time.monotonic() - self.idle_since
            if idle < self.linger and not self._others_waiting():
                self._start_timer(self.linger - idle)
            else:
                self._close_if_idle()

    def _cancel_timer(self) -> None:
        if self.timer is not None:
            self.timer.cancel()
            self.timer = None

    def _close_if_idle(self) -> None:
        """Close the file and release the lock if no use runs (call with self.cond held)."""
        if self.users or self.con is None:
            return
        self._cancel_timer()
        con, fd = self.con, self.fd
        self.con = self.fd = None
        self.draining = False
        try:
            con.close()
        except duckdb.Error:
            pass  # an invalidated instance may refuse its checkpoint; the WAL is replayed on open
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
            os.close(fd)
        self.cond.notify_all()

    def close(self) -> None:
        with self.cond:
            self._close_if_idle()

    @property
    def is_open(self) -> bool:
        return self.con is not None


_leases: dict[Path, Lease] = {}
_leases_lock = threading.Lock()


def lease_for(path: Path, linger: float) -> Lease:
    """The process's one lease for a file (every Store of that file shares it)."""
    key = path.resolve()
    with _leases_lock:
        lease = _leases.get(key)
        if lease is None:
            lease = _leases[key] = Lease(key, linger)
        lease.linger = max(lease.linger, linger)
        return lease


@atexit.register
def _close_all() -> None:
    for lease in list(_leases.values()):
        try:
            lease.close()
        except Exception:  # noqa: BLE001 - the process ends anyway; the OS drops the flock
            pass

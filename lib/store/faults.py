"""Store faults a user can meet, each with a Chinese message saying what happened and what to do.

DuckDB reports them as English exceptions of a few classes; `translate` turns the ones that are
about the file, the folder or the disk (not bugs in a query) into a `StoreFault`. Pages show
`fault.message`; the CLI prints it and exits 1; `/health/store` reports it.
"""
from __future__ import annotations

import errno

import duckdb


class StoreFault(Exception):
    """The database cannot be used right now; nothing was changed."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class StoreBusy(StoreFault):
    """Another process (an import, a backup, the CLI) held the database longer than we waited."""


class StoreDamaged(StoreFault):
    """The file is not a readable DuckDB database."""


class StoreReadOnly(StoreFault):
    """The data folder or the file cannot be written."""


class StoreDiskFull(StoreFault):
    """A write found no space; DuckDB rolled it back (and may have invalidated the connection)."""


def busy_message(waited: float) -> str:
    return (f"数据库正被其他程序使用（如命令行导入、备份或另一个看板进程），已等待 {waited:g} 秒仍未轮到。"
            "数据没有任何改动，请稍后再试。")


def damaged_message(path) -> str:
    return (f"数据库文件 {path} 已损坏或无法读取，看板暂时无法显示数据。数据没有任何改动。"
            "请管理员从最近的备份恢复：python -m lib.cli restore 备份文件.duckdb（见 README 的“备份与恢复”）。")


def read_only_message(path) -> str:
    return (f"数据文件夹 {path} 不可写（权限或磁盘被设为只读），无法读写数据库。数据没有任何改动。"
            "请管理员检查该文件夹的权限后再试，看板会自动恢复。")


def disk_full_message(path) -> str:
    return (f"数据文件夹 {path} 所在的磁盘空间已满，本次操作没有完成，数据没有任何改动。"
            "请管理员清理磁盘空间后再试，看板会自动恢复。")


def is_lock_conflict(exc: BaseException) -> bool:
    """DuckDB could not lock the file: a process outside our lock (an old version, a tool) holds it."""
    return isinstance(exc, duckdb.IOException) and "lock" in str(exc).lower()


def invalidates_connection(exc: BaseException) -> bool:
    """After a fatal error (a failed write, a full disk) DuckDB refuses every further query on the
    same database instance until it is closed and opened again."""
    text = str(exc).lower()
    return isinstance(exc, duckdb.FatalException) or "invalidated" in text or "fatal" in text


def translate(exc: BaseException, path) -> StoreFault | None:
    """The StoreFault for an exception about the file, folder or disk; None for anything else."""
    if isinstance(exc, StoreFault):
        return exc
    text = str(exc).lower()
    folder = getattr(path, "parent", path)
    if isinstance(exc, OSError) and exc.errno == errno.ENOSPC or "no space left" in text:
        return StoreDiskFull(disk_full_message(folder))
    if isinstance(exc, OSError) and exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS) \
            or "read-only file system" in text or "permission denied" in text:
        return StoreReadOnly(read_only_message(folder))
    if is_lock_conflict(exc):
        return StoreBusy(busy_message(0).replace("已等待 0 秒仍未轮到", "且不受看板的排队控制"))
    if isinstance(exc, duckdb.Error) and ("not a valid duckdb database" in text or "corrupt" in text
                                          or "checksum" in text or "magic" in text
                                          or "unable to open" in text or "failed to read" in text):
        return StoreDamaged(damaged_message(path))
    if invalidates_connection(exc):
        return StoreDiskFull(disk_full_message(folder)) if "space" in text else StoreDamaged(
            "数据库在一次写入失败后已被关闭，本次操作没有完成，数据没有任何改动。请稍后再试，看板会自动重新打开数据库。")
    return None


def fault_text(exc: BaseException) -> str | None:
    """The Chinese message for a store fault (to show instead of a generic one); None otherwise."""
    if isinstance(exc, StoreFault):
        return exc.message
    if is_lock_conflict(exc):
        return translate(exc, "").message
    return None

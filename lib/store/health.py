"""Is the store usable? For monitoring: `/health/store` on the served app (serve.py).

`/_stcore/health` only says the web server answers; this one opens the database the app shows (the
real one, or the demo while nothing is imported) and reads from it, as a page would. A broken store
answers 503 so that a health timer or a reverse proxy notices; a store that is only busy (a backup,
a long import) answers 200 — it is working and will be free again.

The answer carries the kind of fault and the Chinese message without file paths: the route needs no
sign-in, and paths are for the operator's log (the app logs them).
"""
from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from pathlib import Path

from lib.config import default_db_path, demo_db_path
from lib.store.database import APP_LINGER, Store
from lib.store.faults import StoreBusy, StoreDamaged, StoreDiskFull, StoreFault, StoreReadOnly

HEALTH_PATH = "/health/store"
HEALTH_WAIT = 5.0  # seconds a health check waits for another process before it says "busy"

log = logging.getLogger("dangjian.health")

KINDS = {StoreBusy: "busy", StoreDamaged: "damaged", StoreReadOnly: "read_only", StoreDiskFull: "disk_full"}
MESSAGES = {
    "ok": "数据库正常。",
    "busy": "数据库正被其他程序使用（导入或备份），稍后会恢复。",
    "damaged": "数据库文件已损坏或无法读取，请从最近的备份恢复。",
    "read_only": "数据文件夹不可写，请检查权限。",
    "disk_full": "数据所在磁盘已满，请清理磁盘空间。",
    "fault": "数据库暂时无法使用，请查看看板日志。",
}


@dataclass(frozen=True)
class StoreHealth:
    status: str        # ok, busy, damaged, read_only, disk_full, fault
    demo: bool         # the app shows the demo data (nothing imported yet)

    @property
    def healthy(self) -> bool:
        return self.status in ("ok", "busy")

    @property
    def http_status(self) -> int:
        return 200 if self.healthy else 503

    def as_json(self) -> str:
        return json.dumps({"status": self.status, "demo": self.demo, "message": MESSAGES[self.status]},
                          ensure_ascii=False)


def check_store(real: Path | None = None, demo: Path | None = None, wait: float = HEALTH_WAIT) -> StoreHealth:
    """Read from the database the app would show now."""
    real, demo = real or default_db_path(), demo or demo_db_path()
    shows_demo = False
    try:
        store = Store(real, wait=wait, linger=APP_LINGER)
        if not store.has_data() and demo.exists():
            shows_demo = True
            Store(demo, wait=wait, linger=APP_LINGER).has_data()
        return StoreHealth("ok", shows_demo)
    except StoreFault as fault:
        kind = next((k for cls, k in KINDS.items() if isinstance(fault, cls)), "fault")
        log.warning("store health: %s", fault.message)
        return StoreHealth(kind, shows_demo)
    except Exception:  # noqa: BLE001 - a bug, but the monitor must still hear that the store fails
        log.exception("store health check failed")
        return StoreHealth("fault", shows_demo)

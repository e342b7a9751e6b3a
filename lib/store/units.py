"""What the store knows about the organisation (SQL only)."""
from __future__ import annotations

from lib.natural_order import natural_sorted
from lib.store.database import Store


def known_units(store: Store) -> list[str]:
    """Every 队 named in a 人员名册 or 班组信息, in natural order."""
    rows = store.fetchall("SELECT DISTINCT unit FROM roster UNION SELECT DISTINCT unit FROM team_info")
    return natural_sorted(r[0] for r in rows if r[0])

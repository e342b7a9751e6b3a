"""What a filter can choose from and which roster it reads: the months loaded, the default
filter, 班组 names as (队, 班组) pairs, and the roster month snapshot indicators use.

Scoping rules, applied the same way by every indicator module:
- event metrics count events dated inside the range [start, as_of];
- snapshot metrics use the 人员名册 of the last month of the range, or the latest month loaded
  before it (`roster_month` says which);
- 队/班组 come from the sheet itself when it carries them, else from that roster month.
"""
from __future__ import annotations

import datetime as dt

from lib.metrics import thresholds
from lib.metrics.query import Filter, Source, add_months, row, scope_sql
from lib.store.database import Store


def loaded_months(store: Store) -> list[dt.date]:
    """Months that have a 人员名册, oldest first."""
    return [r[0] for r in store.fetchall("SELECT DISTINCT month FROM roster ORDER BY 1")]


def default_filter(store: Store, units=(), teams=()) -> Filter:
    """All units, the latest DEFAULT_MONTHS months loaded (or the current year when empty)."""
    months = loaded_months(store)
    end = months[-1] if months else dt.date.today().replace(day=1)
    return Filter(tuple(units), tuple(teams), add_months(end, -(thresholds.DEFAULT_MONTHS - 1)), end)


def resolve_teams(store: Store, units, names) -> tuple[tuple[str, str], ...]:
    """班组 given as '队/班组' or a bare name (every 队 that has a 班组 of that name)."""
    pairs = []
    for name in names:
        if "/" in name:
            unit, team = name.split("/", 1)
            pairs.append((unit, team))
            continue
        found = store.fetchall("SELECT DISTINCT unit FROM roster WHERE team = ? ORDER BY 1", [name])
        pairs += [(u, name) for (u,) in found if not units or u in units] or [("", name)]
    return tuple(pairs)


def roster_month(source: Source, f: Filter) -> dt.date | None:
    """The roster snapshot metrics use: the last month of the range, or the latest one before it."""
    found = row(source.store, f"SELECT max(month) FROM roster WHERE month <= $end AND {scope_sql('unit', 'team')}",
                f.params(end=f.end))
    return found[0] if found else None

"""What every indicator module shares: the Filter a user picks, Ratio, and running SQL on the store.

An indicator is a function `(source, f)`: it queries `source.store` with `frame` / `row` and
fetches any indicator it builds on through `source.get(name, f)` (lib.metrics.registry), so that
within one page or one deck each (indicator, filter) is computed once.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from typing import Any, Protocol

import pandas as pd

from lib.ingest.sheets import PARTY_STATUSES
from lib.store.database import Store

PARTY_SQL = "(" + ", ".join(f"'{s}'" for s in PARTY_STATUSES) + ")"
IN_QUARTERS = "quarter BETWEEN $first_q AND $last_q"  # the quarters overlapping the month range


def month_end(month: dt.date) -> dt.date:
    nxt = (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return nxt - dt.timedelta(days=1)


def add_months(month: dt.date, n: int) -> dt.date:
    index = month.year * 12 + month.month - 1 + n
    return dt.date(index // 12, index % 12 + 1, 1)


def quarter_of(month: dt.date) -> str:
    """'2024Q2': quarter labels sort as text, so ranges are plain BETWEENs."""
    return f"{month.year}Q{(month.month - 1) // 3 + 1}"


@dataclass(frozen=True)
class Filter:
    """What the user picked: 队 (none = all), 班组 as (队, 班组) pairs (none = all), months."""
    units: tuple[str, ...] = ()
    teams: tuple[tuple[str, str], ...] = ()
    start: dt.date | None = None     # first day of the first month
    end: dt.date | None = None       # first day of the last month

    @property
    def as_of(self) -> dt.date:
        return month_end(self.end)

    @property
    def months(self) -> int:
        return (self.end.year - self.start.year) * 12 + self.end.month - self.start.month + 1

    def previous(self) -> "Filter":
        """The same-length range just before this one (for deltas)."""
        return replace(self, start=add_months(self.start, -self.months), end=add_months(self.start, -1))

    def in_quarter(self, quarter: str) -> "Filter":
        """The same 队/班组, months narrowed to one quarter ('2024Q2'); previous() is then the quarter before."""
        year, number = (int(x) for x in str(quarter).split("Q"))
        start = dt.date(year, 3 * number - 2, 1)
        return replace(self, start=start, end=add_months(start, 2))

    def params(self, **extra) -> dict:
        return {"units": list(self.units), "teams": [f"{u}/{t}" for u, t in self.teams],
                "start": self.start, "as_of": self.as_of,
                "first_q": quarter_of(self.start), "last_q": quarter_of(self.end), **extra}


@dataclass(frozen=True)
class Ratio:
    n: int
    N: int

    @property
    def value(self) -> float | None:
        return None if not self.N else self.n / self.N

    def as_json(self) -> dict:
        return {"n": self.n, "N": self.N, "value": self.value}


def ratio(n, N) -> Ratio:
    """A Ratio from SQL counts, which are None over no rows."""
    return Ratio(int(n or 0), int(N or 0))


class Source(Protocol):
    """What an indicator computes from (lib.metrics.registry.Indicators)."""
    store: Store

    def get(self, name: str, f: Filter) -> Any: ...


# ---------------------------------------------------------------- SQL

def scope_sql(unit_col: str, team_col: str | None = None) -> str:
    """The 队/班组 part of a WHERE clause; `$units`/`$teams` come from Filter.params()."""
    sql = f"(len($units) = 0 OR list_contains($units, {unit_col}))"
    if team_col:
        sql += f" AND (len($teams) = 0 OR list_contains($teams, {unit_col} || '/' || {team_col}))"
    return sql


def team_scope_via_roster(col_id: str) -> str:
    """班组 filter for a sheet without a 班组 column: the person's team in the roster month."""
    return (f"(len($teams) = 0 OR EXISTS (SELECT 1 FROM roster r WHERE r.month = $month AND r.staff_id = {col_id} "
            f"AND list_contains($teams, r.unit || '/' || r.team)))")


def _execute(store: Store, sql: str, params: dict, consume):
    # Lists need a type even when empty, and DuckDB refuses parameters a query does not use.
    sql = sql.replace("$units", "CAST($units AS VARCHAR[])").replace("$teams", "CAST($teams AS VARCHAR[])")
    used = {k: v for k, v in params.items() if f"${k}" in sql}
    with store.reading() as cur:
        return consume(cur.execute(sql, used))


def _dated_frame(result) -> pd.DataFrame:
    dates = [d[0] for d in result.description if str(d[1]) == "DATE"]
    table = result.df()
    for col in dates:
        table[col] = [None if pd.isna(v) else v.date() for v in table[col]]
    return table


def frame(store: Store, sql: str, params: dict) -> pd.DataFrame:
    """The query's rows as a DataFrame; DATE columns hold calendar dates, not midnight timestamps."""
    return _execute(store, sql, params, _dated_frame)


def row(store: Store, sql: str, params: dict) -> tuple:
    """The query's first row (aggregates: the one row)."""
    return _execute(store, sql, params, lambda result: result.fetchone())

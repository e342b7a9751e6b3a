"""Never sent is not zero: which sheets have any data for a filter's 队 and months.

An indicator whose source sheet has no data for the scope and range carries `not_reported` (the
Chinese names of the sheets to send, in the order asked) instead of counting zero; the pages, 本月要点,
the deck and the metrics JSON then say 未报送, never 0 % or 0 次.

What counts as "sent for the range" follows how each sheet is used:
- 人员名册: a roster month the snapshot figures can read (roster_month: the last month of the range
  or the latest before it);
- 班组信息: any month up to the last of the range (liaisons are read from the latest);
- 谈心记录: a 谈心日期 in the range;
- 问题台帐: a problem found by the as-of date (the ledger is kept cumulatively, by 问题编号);
- 党员示范岗, 比学争优: a quarter overlapping the range; 荣誉: a year of the range;
- whole lists (发展党员, 包保对子, 党员责任区, 管理委员会, 理念口号): any row.

A sheet is sent per 队: the 队 asked for (with those of the chosen 班组; none chosen = every 队). A
班组 without rows in a sheet its 队 sent counts zero. 包保对子 belongs to the member's and to the
worker's 队 (机关 members pair with 综采队 workers); 谈心记录 to the member's.
"""
from __future__ import annotations

from dataclasses import dataclass

from lib.ingest.sheets import SHEETS
from lib.metrics.query import IN_QUARTERS, Filter, Source, row

SHEET_LABELS = {s.key: s.label for s in SHEETS}

_UNITS = "(len($units) = 0 OR list_contains($units, {col}))"


def _sent_sql(key: str) -> str:
    """Whether sheet `key` has a row for the 队 and the range (roster: see reported_sheets)."""
    unit = _UNITS.format(col="unit")
    where = {
        "team_info": f"{unit} AND month <= $end",
        "talks": f"{_UNITS.format(col='member_unit')} AND talk_date BETWEEN $start AND $as_of",
        "problems": f"{unit} AND found_on <= $as_of",
        "model_posts": f"{unit} AND {IN_QUARTERS}",
        "scores": f"{unit} AND {IN_QUARTERS}",
        "honours": f"{unit} AND year BETWEEN $first_year AND $last_year",
        "pairs": f"({_UNITS.format(col='member_unit')} OR {_UNITS.format(col='worker_unit')})",
    }.get(key, unit)
    return f"EXISTS (SELECT 1 FROM {key} WHERE {where})"


@dataclass(frozen=True)
class ReportedSheets:
    sent: frozenset[str]   # keys of the sheets with data for the filter

    def missing(self, *keys: str) -> tuple[str, ...]:
        """The Chinese names of those of `keys` not sent, in the order given."""
        return tuple(SHEET_LABELS[k] for k in dict.fromkeys(keys) if k not in self.sent)


def reported_sheets(source: Source, f: Filter) -> ReportedSheets:
    """Which sheets have any data for the filter's 队 and months (see the module's text)."""
    keys = [s.key for s in SHEETS if s.key != "roster"]
    units = tuple(dict.fromkeys((*f.units, *(u for u, _ in f.teams))))
    # The 队 only: a sheet is sent per 队 (the team filter is each indicator's own business).
    params = Filter(units, (), f.start, f.end).params(end=f.end, first_year=f.start.year, last_year=f.end.year)
    found = row(source.store, "SELECT " + ", ".join(_sent_sql(k) for k in keys), params)
    sent = {k for k, yes in zip(keys, found) if yes}
    if source.get("roster_month", f) is not None:
        sent.add("roster")
    return ReportedSheets(frozenset(sent))


def not_reported(source: Source, f: Filter, *keys: str) -> tuple[str, ...]:
    """The sheets among `keys` with no data for the filter (their Chinese names): what an indicator carries."""
    return source.get("reported_sheets", f).missing(*keys)

"""14. 报送情况: which 队 has sent which sheet for which month or quarter, and which it was expected to send.

A 队 is expected to send a sheet from its first report of that sheet onward (its earliest month or
quarter with rows, over all time), or from the start month a 管理员 set for that 队 and sheet
(lib/store/expectations.py; it replaces the first report). Earlier periods are not 缺报: their
cells carry `expected` false. A whole list (发展党员, 包保对子 …) has no period: it is expected once
it was sent, or once the start month set for it has come (its expected_from is only that month).
"""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from lib.ingest.sheets import SHEETS
from lib.metrics.query import IN_QUARTERS, Filter, Source, frame, scope_sql

MONTH_TEXT = "strftime({}, '%Y-%m')"
QUARTER_TEXT = "strftime({0}, '%Y') || 'Q' || quarter({0})"


@dataclass(frozen=True)
class SubmissionStatus:
    # unit, sheet, period, loaded, rows, imported_at, expected, expected_from, start_set —
    # every 队 × period × periodic sheet
    matrix: pd.DataFrame
    # unit, sheet, loaded, rows, imported_at, expected, expected_from, start_set — the sheets sent as whole lists
    lists: pd.DataFrame


def submission_status(source: Source, f: Filter) -> SubmissionStatus:
    """For every 队 × month (or quarter) × sheet type in the range: loaded or missing, when, and whether expected.

    expected_from is the first period the 队 is expected to send ('2024-06' or '2024Q2'; None: not
    yet expected), start_set whether a 管理员 set it.
    """
    p = f.params()
    # The 队 and periods are computed once; each sheet's counts only over the range and scope.
    shared = f"""WITH u AS (SELECT DISTINCT unit FROM roster WHERE {scope_sql('unit')}
                           UNION SELECT DISTINCT unit FROM team_info WHERE {scope_sql('unit')}),
                 mo AS (SELECT unnest(generate_series($start, $as_of, INTERVAL 1 MONTH))::DATE AS m),
                 months AS (SELECT DISTINCT strftime(m, '%Y-%m') AS period FROM mo),
                 quarters AS (SELECT DISTINCT strftime(m, '%Y') || 'Q' || quarter(m) AS period FROM mo) """
    periodic, lists = [], []
    for sheet in SHEETS:
        unit = "unit" if "unit" in sheet.fields else "member_unit"
        start = f"SELECT unit, start_month FROM submission_starts WHERE sheet = '{sheet.key}'"
        if sheet.period in ("month", "quarter"):
            if sheet.period == "month":
                group = f"date_trunc('month', {sheet.period_field})"
                in_range, periods, shown = f"{sheet.period_field} BETWEEN $start AND $as_of", "months", \
                    MONTH_TEXT.format("period")
                first, set_from = MONTH_TEXT.format(f"min({sheet.period_field})"), MONTH_TEXT.format("s.start_month")
            else:
                group, in_range, periods, shown = sheet.period_field, IN_QUARTERS, "quarters", "period"
                first, set_from = f"min({sheet.period_field})", QUARTER_TEXT.format("s.start_month")
            periodic.append(f"""
                SELECT u.unit, '{sheet.label}' AS sheet, pe.period, d.rows, d.imported_at,
                       coalesce({set_from}, fr.first) AS expected_from, s.start_month IS NOT NULL AS start_set
                FROM u CROSS JOIN {periods} pe
                LEFT JOIN (SELECT unit, {shown} AS period, rows, imported_at FROM (
                               SELECT {unit} AS unit, {group} AS period, count(*) AS rows,
                                      max(i.imported_at) AS imported_at
                               FROM {sheet.key} JOIN imports i ON i.id = import_id
                               WHERE {in_range} AND {scope_sql(unit)} GROUP BY ALL)) d
                  ON d.unit = u.unit AND d.period = pe.period
                LEFT JOIN (SELECT {unit} AS unit, {first} AS first FROM {sheet.key} GROUP BY 1) fr
                  ON fr.unit = u.unit
                LEFT JOIN ({start}) s ON s.unit = u.unit""")
        else:
            lists.append(f"""
                SELECT u.unit, '{sheet.label}' AS sheet, d.rows, d.imported_at,
                       {MONTH_TEXT.format('s.start_month')} AS expected_from,
                       s.start_month IS NOT NULL AS start_set
                FROM u LEFT JOIN (
                    SELECT {unit} AS unit, count(*) AS rows, max(i.imported_at) AS imported_at
                    FROM {sheet.key} JOIN imports i ON i.id = import_id WHERE {scope_sql(unit)}
                    GROUP BY ALL) d USING (unit)
                LEFT JOIN ({start}) s USING (unit)""")
    matrix = frame(source.store, shared + " UNION ALL ".join(periodic) + " ORDER BY unit, sheet, period", p)
    whole = frame(source.store, shared + " UNION ALL ".join(lists) + " ORDER BY unit, sheet", p)
    for table in (matrix, whole):
        table["rows"] = table["rows"].fillna(0).astype(int)
        table.insert(table.columns.get_loc("rows"), "loaded", table["rows"] > 0)
    matrix.insert(matrix.columns.get_loc("expected_from"), "expected",
                  [e is not None and not pd.isna(e) and str(period) >= str(e)
                   for period, e in zip(matrix["period"], matrix["expected_from"])])
    # A list is expected once sent, or from the month set for it (if that month has come by the range's end).
    last = f.end.strftime("%Y-%m")
    whole.insert(whole.columns.get_loc("expected_from"), "expected",
                 [bool(loaded) or (e is not None and not pd.isna(e) and str(e) <= last)
                  for loaded, e in zip(whole["loaded"], whole["expected_from"])])
    for table in (matrix, whole):
        table["expected_from"] = [None if e is None or pd.isna(e) else str(e) for e in table["expected_from"]]
        table["start_set"] = table["start_set"].astype(bool)
    return SubmissionStatus(matrix, whole)

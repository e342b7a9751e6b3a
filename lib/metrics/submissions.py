"""14. 报送情况: which 队 has sent which sheet for which month or quarter."""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from lib.ingest.sheets import SHEETS
from lib.metrics.query import IN_QUARTERS, Filter, Source, frame, scope_sql


@dataclass(frozen=True)
class SubmissionStatus:
    matrix: pd.DataFrame   # unit, sheet, period, loaded, rows, imported_at — every 队 × period × periodic sheet
    lists: pd.DataFrame    # unit, sheet, loaded, rows, imported_at — the sheets sent as whole lists


def submission_status(source: Source, f: Filter) -> SubmissionStatus:
    """For every 队 × month (or quarter) × sheet type in the range: loaded or missing, and when."""
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
        if sheet.period in ("month", "quarter"):
            if sheet.period == "month":
                group = f"date_trunc('month', {sheet.period_field})"
                in_range, periods, shown = f"{sheet.period_field} BETWEEN $start AND $as_of", "months", \
                    "strftime(period, '%Y-%m')"
            else:
                group, in_range, periods, shown = sheet.period_field, IN_QUARTERS, "quarters", "period"
            periodic.append(f"""
                SELECT u.unit, '{sheet.label}' AS sheet, pe.period, d.rows, d.imported_at
                FROM u CROSS JOIN {periods} pe
                LEFT JOIN (SELECT unit, {shown} AS period, rows, imported_at FROM (
                               SELECT {unit} AS unit, {group} AS period, count(*) AS rows,
                                      max(i.imported_at) AS imported_at
                               FROM {sheet.key} JOIN imports i ON i.id = import_id
                               WHERE {in_range} AND {scope_sql(unit)} GROUP BY ALL)) d
                  ON d.unit = u.unit AND d.period = pe.period""")
        else:
            lists.append(f"""
                SELECT u.unit, '{sheet.label}' AS sheet, d.rows, d.imported_at
                FROM u LEFT JOIN (
                    SELECT {unit} AS unit, count(*) AS rows, max(i.imported_at) AS imported_at
                    FROM {sheet.key} JOIN imports i ON i.id = import_id WHERE {scope_sql(unit)}
                    GROUP BY ALL) d USING (unit)""")
    matrix = frame(source.store, shared + " UNION ALL ".join(periodic) + " ORDER BY unit, sheet, period", p)
    whole = frame(source.store, shared + " UNION ALL ".join(lists) + " ORDER BY unit, sheet", p)
    for table in (matrix, whole):
        table["rows"] = table["rows"].fillna(0).astype(int)
        table.insert(table.columns.get_loc("rows"), "loaded", table["rows"] > 0)
    return SubmissionStatus(matrix, whole)

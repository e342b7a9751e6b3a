"""9. 党员示范岗 (点一盏灯): the posts of each quarter judged against the 六好 standard."""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from lib.metrics import thresholds
from lib.metrics.query import IN_QUARTERS, Filter, Source, frame, scope_sql
from lib.metrics.reporting import not_reported


def _good_met(field: str) -> str:
    return (f"CASE WHEN {field} = '是' THEN true WHEN {field} = '否' THEN false "
            f"ELSE TRY_CAST({field} AS DOUBLE) >= $pass END")


@dataclass(frozen=True)
class ModelPosts:
    per_quarter: pd.DataFrame    # quarter, posts, all_met, pass_rate (六好达标率)
    item_rates: pd.DataFrame     # quarter, item, met, posts, rate
    per_unit: pd.DataFrame       # quarter, unit, posts, all_met, pass_rate
    posts: pd.DataFrame          # the posts themselves, with all_met
    not_reported: tuple[str, ...] = ()   # sheets with no data for the scope and range (lib.metrics.reporting)


def model_posts(source: Source, f: Filter) -> ModelPosts:
    p = f.params(**{"pass": thresholds.MODEL_POST_PASS_SCORE})
    items = thresholds.SIX_GOOD_ITEMS
    met_cols = ", ".join(f"coalesce({_good_met(fld)}, false) AS met_{fld}" for fld, _ in items)
    all_met = " AND ".join(f"met_{fld}" for fld, _ in items)
    base = (f"SELECT *, {all_met} AS all_met FROM (SELECT *, {met_cols} FROM model_posts "
            f"WHERE {IN_QUARTERS} AND {scope_sql('unit', 'team')})")
    posts = frame(source.store, base + " ORDER BY quarter, unit, team, member_id", p)
    per_quarter = frame(source.store, f"SELECT quarter, count(*) AS posts, count(*) FILTER (WHERE all_met) AS all_met "
                           f"FROM ({base}) GROUP BY 1 ORDER BY 1", p)
    per_unit = frame(source.store, f"SELECT quarter, unit, count(*) AS posts, count(*) FILTER (WHERE all_met) AS all_met "
                        f"FROM ({base}) GROUP BY 1, 2 ORDER BY 1, 2", p)
    item_rates = frame(source.store, " UNION ALL ".join(
        f"SELECT quarter, '{label}' AS item, {i} AS item_order, count(*) FILTER (WHERE met_{fld}) AS met, "
        f"count(*) AS posts FROM ({base}) GROUP BY quarter" for i, (fld, label) in enumerate(items))
        + " ORDER BY quarter, item_order", p).drop(columns="item_order")
    for table in (per_quarter, per_unit):
        table["pass_rate"] = table["all_met"] / table["posts"].where(table["posts"] > 0)
    item_rates["rate"] = item_rates["met"] / item_rates["posts"].where(item_rates["posts"] > 0)
    return ModelPosts(per_quarter, item_rates, per_unit, posts, not_reported(source, f, "model_posts"))

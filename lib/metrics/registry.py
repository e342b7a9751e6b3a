"""Every indicator, named once, and the one way to get one: `Indicators(store).get(name, f)`.

Pages, headline cards and their deltas (`get(name, f)` beside `get(name, f.previous())`),
本月要点, the deck, the CLI and the benchmarks all ask by name through a getter; an indicator
that builds on another (the roster month, 总览's headline figures, the per-队 score means) asks
through the same getter. `Indicators` keeps each result per (name, filter), so within one page
run or one deck each distinct (indicator, filter) is computed once.
"""
from __future__ import annotations

import threading
from collections import OrderedDict
from concurrent.futures import Future
from typing import Any, Callable

from lib.metrics.coverage import blank_team_trend, liaison_rate, team_coverage
from lib.metrics.development import dev_pipeline, dev_shares
from lib.metrics.ledger import problem_ledger
from lib.metrics.model_posts import model_posts
from lib.metrics.overview import headlines, overview
from lib.metrics.pairs_talks import pair_coverage, pair_talks, talk_activity
from lib.metrics.query import Filter, Source
from lib.metrics.reporting import reported_sheets
from lib.metrics.scope import roster_month
from lib.metrics.scores import mean_score, score_means, score_trend
from lib.metrics.submissions import submission_status
from lib.metrics.team_building import committee, honours, slogans
from lib.metrics.todo import todo
from lib.metrics.zones import team_zones, zones
from lib.store.database import Store

Getter = Callable[[str, Filter], Any]

INDICATORS: dict[str, Callable[[Source, Filter], Any]] = {
    "roster_month": roster_month,            # which 人员名册 the snapshot figures read
    "reported_sheets": reported_sheets,      # which sheets have data for the filter (未报送 is not 0)
    "dev_shares": dev_shares,
    "dev_pipeline": dev_pipeline,
    "team_coverage": team_coverage,
    "blank_team_trend": blank_team_trend,
    "liaison_rate": liaison_rate,
    "pair_coverage": pair_coverage,
    "talk_activity": talk_activity,
    "pair_talks": pair_talks,                # every active pair with the days since its last talk (班组画像)
    "problem_ledger": problem_ledger,
    "zones": zones,
    "team_zones": team_zones,                # which zones cover each team (班组画像)
    "model_posts": model_posts,
    "score_means": score_means,              # per quarter and 队; the ranking (score_trend) is not needed for it
    "mean_score": mean_score,
    "score_trend": score_trend,
    "committee": committee,
    "slogans": slogans,
    "honours": honours,
    "submission_status": submission_status,
    "headlines": headlines,                  # 总览's figures for one filter
    "overview": overview,                    # … beside the previous period's
    "todo": todo,                            # 待办督办: every overdue or missing item, from the indicators above
}

MAX_RESULTS = 1024  # per store and data version: every page of a few hundred filters


class Indicators:
    """The indicators of one store, each kept per (name, filter) once computed.

    Thread-safe: the dashboard's sessions share one per database and data version, and a result
    another thread is computing is waited for, not computed again. Results are shared, not
    copied: whoever gets one must not change it. `computations` counts the indicator functions run.
    """

    def __init__(self, store: Store, max_results: int = MAX_RESULTS):
        self.store = store
        self.max_results = max_results
        self.computations = 0
        self._results: OrderedDict[tuple[str, Filter], Any] = OrderedDict()
        self._running: dict[tuple[str, Filter], Future] = {}
        self._lock = threading.Lock()

    def get(self, name: str, f: Filter) -> Any:
        compute = INDICATORS[name]
        key = (name, f)
        with self._lock:
            if key in self._results:
                self._results.move_to_end(key)
                return self._results[key]
            running = self._running.get(key)
            if running is None:
                running = self._running[key] = Future()
                ours = True
            else:
                ours = False
        if not ours:
            return running.result()  # raises what the computing thread raised
        try:
            result = compute(self, f)
        except BaseException as exc:
            with self._lock:
                del self._running[key]
            running.set_exception(exc)
            raise
        with self._lock:
            self.computations += 1
            self._results[key] = result
            while len(self._results) > self.max_results:
                self._results.popitem(last=False)
            del self._running[key]
        running.set_result(result)
        return result

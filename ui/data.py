"""The store the app shows (real data, or the demo database until any is imported) and the
indicators computed from it, shared by every session of the process.

One `Indicators` per database and data version (st.cache_resource): its memo is process-wide and
thread-safe, and nested fetches inside an indicator (the roster month, 总览's headline figures)
hit the same memo as the pages. Pages get their own copy of each result, as st.cache_data gave
them before, so nothing a page does can change what another session sees.
"""
from __future__ import annotations

import copy
import datetime as dt

import streamlit as st

from lib.access.masking import mask_result
from lib.config import default_db_path, demo_db_path
from lib.metrics.query import Filter
from lib.metrics.registry import Indicators
from lib.metrics.scope import loaded_months
from lib.natural_order import natural_key, natural_sorted
from lib.present.highlights import Highlight, highlights as highlights_from
from lib.present.people import people_masker
from lib.store.database import Store
from lib.store.uploads import cleanup_if_due
from ui.signin import full_names_shown


@st.cache_resource(max_entries=4)
def _open_store(path: str) -> Store:
    return Store.shared(path)


def real_store() -> Store:
    store = _open_store(str(default_db_path()))
    cleanup_if_due(store)  # expired raw uploads go: at most once a day (lib/store/uploads.py)
    return store


def get_store() -> tuple[Store, bool]:
    """Real data once any is imported; until then the separate demo database (is_demo=True)."""
    real = real_store()
    if real.has_data() or not demo_db_path().exists():
        return real, False
    return _open_store(str(demo_db_path())), True


def data_version(store: Store) -> tuple:
    """Changes with every import, undo or restore, and with every 应报送起始月份 a 管理员 sets
    (报送情况 reads it), so cached figures never outlive the data."""
    return tuple(store.cursor().execute(
        "SELECT count(*), coalesce(max(id), 0), count(*) FILTER (WHERE status = 'undone'), "
        "(SELECT count(*) FROM operations WHERE action = 'restore'), "
        "(SELECT count(*) FROM operations WHERE action = 'expected_start') FROM imports").fetchone())


@st.cache_resource(max_entries=4, show_spinner=False)
def _indicators_for(db_path: str, version: tuple) -> Indicators:
    return Indicators(_open_store(db_path))


def indicators() -> Indicators:
    """The shared indicators of the store shown now, for its current data version."""
    store, _ = get_store()
    return _indicators_for(str(store.path), data_version(store))


def metric(name: str, f: Filter):
    """An indicator by name for the filter: the page's own copy of the shared result.

    Unless full names may be shown (full_names_shown: never in 会议模式) every table inside the
    result has its names and 工号 masked, and the roster's names and 工号 inside its free text
    (问题描述, 内容 …), so tables, chart labels, hover text and downloads built from it never show them.
    """
    result = copy.deepcopy(indicators().get(name, f))
    return result if full_names_shown() else mask_result(result, text=free_text_masker())


def free_text_masker():
    """Masks the names and 工号 of the store's roster inside a text; built once per data version."""
    store, _ = get_store()
    return people_masker(store, data_version(store))


def highlights(f: Filter) -> list[Highlight]:
    """本月要点 for the filter. They cite 队 and 班组, never a person, and only read the results."""
    return highlights_from(indicators().get, f)


@st.cache_data(max_entries=32, show_spinner=False)
def _units_and_teams(db_path: str, version: tuple) -> tuple[list[str], list[tuple[str, str]], list[dt.date]]:
    store = _open_store(db_path)
    pairs = store.cursor().execute("SELECT DISTINCT unit, team FROM roster").fetchall()
    units = natural_sorted({u for u, _ in pairs})
    teams = sorted(pairs, key=lambda p: (natural_key(p[0]), natural_key(p[1])))
    return units, teams, loaded_months(store)


def units_and_teams() -> tuple[list[str], list[tuple[str, str]], list[dt.date]]:
    """What the filters offer: the 队, the (队, 班组) pairs and the months of the rosters loaded."""
    store, _ = get_store()
    return _units_and_teams(str(store.path), data_version(store))


def clear_caches() -> None:
    """After an import or undo (the data version changes anyway; this frees the memory now)."""
    _indicators_for.clear()
    _units_and_teams.clear()

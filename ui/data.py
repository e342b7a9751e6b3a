"""The store the app shows (real data, or the demo database until any is imported) and the
indicators computed from it, shared by every session of the process.

One `Indicators` per database and data version (st.cache_resource): its memo is process-wide and
thread-safe, and nested fetches inside an indicator (the roster month, 总览's headline figures)
hit the same memo as the pages. Pages get their own copy of each result (`metric`), so nothing a
page does can change what another session sees.

What many sessions ask again is kept once for all of them (issue #12: 20 sessions on 总览): a
page's whole view per (view, filter, data version, masked or not) and 本月要点 per (filter, data
version) — built once even when several sessions ask at the same moment — and the masked result
each view is built from. Views are shared, not copied: ui.frame draws them without changing them.
Which store is shown and its data version are asked of the database again only when its files
changed on disk (or after FRESH_S), not dozens of times a run.
"""
from __future__ import annotations

import copy
import datetime as dt
import threading
import time
from collections import OrderedDict
from concurrent.futures import Future
from pathlib import Path
from typing import Any, Callable

import streamlit as st

from lib.access.masking import mask_result
from lib.config import default_db_path, demo_db_path
from lib.metrics.query import Filter
from lib.metrics.registry import Indicators
from lib.metrics.scope import loaded_months
from lib.natural_order import natural_key, natural_sorted
from lib.present.highlights import Highlight
from lib.present.highlights import highlights as highlights_from
from lib.present.people import people_masker
from lib.store.database import Store
from lib.store.uploads import cleanup_if_due
from ui.signin import full_names_shown


@st.cache_resource(max_entries=4, show_spinner=False)
def _open_store(path: str) -> Store:
    return Store.shared(path)


def real_store() -> Store:
    store = _open_store(str(default_db_path()))
    cleanup_if_due(store)  # expired raw uploads go: at most once a day (lib/store/uploads.py)
    return store


def get_store() -> tuple[Store, bool]:
    """Real data once any is imported; until then the separate demo database (is_demo=True)."""
    store, is_demo, _ = _shown()
    return store, is_demo


FRESH_S = 2.0  # at most this long without asking the database, even when its files look unchanged
_fresh_lock = threading.Lock()
_fresh: dict[tuple, tuple] = {}


def _files(*paths: Path) -> tuple:
    """Size and time of each database file and its write-ahead log: any commit changes one of them."""
    out = []
    for path in paths:
        for file in (path, path.with_name(path.name + ".wal")):
            try:
                found = file.stat()
                out.append((found.st_mtime_ns, found.st_size))
            except OSError:
                out.append(None)
    return tuple(out)


def _shown() -> tuple[Store, bool, tuple]:
    """The store shown, whether it is the demo, and its data version. Asked of the database only
    when a file changed or FRESH_S passed; every session of the process shares the answer."""
    real_path, demo_path = default_db_path(), demo_db_path()
    key, files, now = (str(real_path), str(demo_path)), _files(real_path, demo_path), time.monotonic()
    with _fresh_lock:
        found = _fresh.get(key)
    if found is not None and found[0] == files and now - found[1] < FRESH_S:
        return found[2]
    real = real_store()
    if real.has_data() or not demo_path.exists():
        store, is_demo = real, False
    else:
        store, is_demo = _open_store(str(demo_path)), True
    answer = (store, is_demo, data_version(store))
    with _fresh_lock:
        _fresh[key] = (files, now, answer)
    return answer


def data_version(store: Store) -> tuple:
    """Changes with every import, undo or restore, and with every 应报送起始月份 a 管理员 sets
    (报送情况 reads it), so cached figures never outlive the data."""
    return tuple(store.fetchone(
        "SELECT count(*), coalesce(max(id), 0), count(*) FILTER (WHERE status = 'undone'), "
        "(SELECT count(*) FROM operations WHERE action = 'restore'), "
        "(SELECT count(*) FROM operations WHERE action = 'expected_start') FROM imports"))


@st.cache_resource(max_entries=4, show_spinner=False)
def _indicators_for(db_path: str, version: tuple) -> Indicators:
    return Indicators(_open_store(db_path))


def indicators() -> Indicators:
    """The shared indicators of the store shown now, for its current data version."""
    store, _, version = _shown()
    return _indicators_for(str(store.path), version)


class SharedMemo:
    """Values per key for every session of the process, the least recently used dropped beyond
    `max_entries`; a value another thread is building is waited for, not built again (twenty
    sessions asking for the same view at once build it once). Values are shared: never change one."""

    def __init__(self, max_entries: int):
        self.max_entries = max_entries
        self._values: OrderedDict[Any, Any] = OrderedDict()
        self._building: dict[Any, Future] = {}
        self._lock = threading.Lock()

    def get(self, key, build: Callable[[], Any]) -> Any:
        with self._lock:
            if key in self._values:
                self._values.move_to_end(key)
                return self._values[key]
            building = self._building.get(key)
            ours = building is None
            if ours:
                building = self._building[key] = Future()
        if not ours:
            try:
                return building.result()  # raises what the building thread raised
            except Exception:
                raise
            except BaseException:  # that session's run was stopped (a rerun): build it here
                return self.get(key, build)
        try:
            value = build()
        except BaseException as exc:  # st.stop included: the next one to ask builds it
            with self._lock:
                del self._building[key]
            building.set_exception(exc)
            raise
        with self._lock:
            self._values[key] = value
            while len(self._values) > self.max_entries:
                self._values.popitem(last=False)
            del self._building[key]
        building.set_result(value)
        return value

    def clear(self) -> None:
        with self._lock:
            self._values.clear()


_MASKED = SharedMemo(1024)   # masked results: (indicator, filter, database, version)
_VIEWS = SharedMemo(256)     # page views: (view, filter, database, version, masked)
_HIGHLIGHTS = SharedMemo(256)


def _shown_result(name: str, f: Filter):
    """The shared result as this session may see it: masked (once for every session) unless full
    names may be shown. Shared: only for building views, which never change what they read."""
    if full_names_shown():
        return indicators().get(name, f)
    store, _, version = _shown()
    return _MASKED.get((name, f, str(store.path), version),
                       lambda: mask_result(indicators().get(name, f), text=free_text_masker()))


def metric(name: str, f: Filter):
    """An indicator by name for the filter: the page's own copy of the shared result.

    Unless full names may be shown (full_names_shown: never in 会议模式) every table inside the
    result has its names and 工号 masked, and the roster's names and 工号 inside its free text
    (问题描述, 内容 …), so tables, chart labels, hover text and downloads built from it never show them.
    """
    return copy.deepcopy(_shown_result(name, f))


def shared_view(make_view: Callable, f: Filter, *args):
    """A page's view (lib.present.page_views) for the filter, built once for every session that
    sees the same data the same way: per view, filter, arguments, data version and masking."""
    store, _, version = _shown()
    key = (make_view.__module__, make_view.__qualname__, f, args, str(store.path), version,
           not full_names_shown())
    return _VIEWS.get(key, lambda: make_view(_shown_result, f, *args))


def free_text_masker():
    """Masks the names and 工号 of the store's roster inside a text; built once per data version."""
    store, _, version = _shown()
    return people_masker(store, version)


def highlights(f: Filter) -> list[Highlight]:
    """本月要点 for the filter. They cite 队 and 班组, never a person, and only read the results."""
    store, _, version = _shown()
    return _HIGHLIGHTS.get((f, str(store.path), version), lambda: highlights_from(indicators().get, f))


@st.cache_data(max_entries=32, show_spinner=False)
def _units_and_teams(db_path: str, version: tuple) -> tuple[list[str], list[tuple[str, str]], list[dt.date]]:
    store = _open_store(db_path)
    pairs = store.fetchall("SELECT DISTINCT unit, team FROM roster")
    units = natural_sorted({u for u, _ in pairs})
    teams = sorted(pairs, key=lambda p: (natural_key(p[0]), natural_key(p[1])))
    return units, teams, loaded_months(store)


def units_and_teams() -> tuple[list[str], list[tuple[str, str]], list[dt.date]]:
    """What the filters offer: the 队, the (队, 班组) pairs and the months of the rosters loaded."""
    store, _, version = _shown()
    return _units_and_teams(str(store.path), version)


def clear_caches() -> None:
    """After an import or undo (the data version changes anyway; this frees the memory now)."""
    _indicators_for.clear()
    _units_and_teams.clear()
    for memo in (_MASKED, _VIEWS, _HIGHLIGHTS):
        memo.clear()
    with _fresh_lock:
        _fresh.clear()

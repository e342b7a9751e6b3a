"""The people the store knows (the 人员名册's names and 工号), as one masker for free text.

Free text (问题描述, 谈心内容, 责任内容 …) cannot be masked as a whole column, so wherever names are
masked (会议模式, roles without full names, masked downloads and decks) the names and 工号 of the
roster are masked inside it (lib.access.masking.text_masker). The masker is built once per
data version for the pages (ui/data.py) and built afresh for each table download
(lib.present.exports) and deck (lib.present.deck). No Streamlit here.
"""
from __future__ import annotations

import threading
from collections.abc import Callable

from lib.access.masking import text_masker

_LOCK = threading.Lock()
_CACHE: dict[tuple, Callable] = {}
_KEEP = 4  # databases × data versions kept (a new import makes a new version)


def roster_people(store) -> tuple[list[str], list[str]]:
    """Every name and 工号 in the store's 人员名册 (all months, all 队)."""
    rows = store.fetchall(
        "SELECT DISTINCT name, staff_id FROM roster WHERE name IS NOT NULL OR staff_id IS NOT NULL")
    names = sorted({n for n, _ in rows if isinstance(n, str) and n.strip()})
    ids = sorted({str(i) for _, i in rows if i is not None and str(i).strip()})
    return names, ids


def people_masker(store, version: tuple | None = None) -> Callable:
    """A text masker (text → text) hiding the roster's names and 工号, for the store's current data.

    With the store's data `version` (ui.data.data_version) it is built once per version and shared;
    without one (a download, a deck: once per click) it is built from what the store holds now."""
    if version is None:
        return text_masker(*roster_people(store))
    key = (str(store.path), version)
    with _LOCK:
        found = _CACHE.get(key)
    if found is not None:
        return found
    masker = text_masker(*roster_people(store))
    with _LOCK:
        _CACHE[key] = masker
        while len(_CACHE) > _KEEP:
            _CACHE.pop(next(iter(_CACHE)))
    return masker

"""对应表头: reading a sheet whose headers differ from the template's, by a mapping the user chose.

A mapping says which of the sheet's own headers holds which template column (学工号 → 工号). It is
keyed by the sheet type and the header row's signature (its headers, normalised, in order), so the
same layout arriving again is read the same way, and a changed layout asks again. Mappings come
from the user for this upload (the upload page per sheet, the CLI's `--map` for every sheet) or
were saved by an earlier import (lib/store/column_maps.py); the parse applies them here and
records which one it used. Nothing here touches the database.
"""
from __future__ import annotations

import difflib
import hashlib
from dataclasses import dataclass, field

from lib.ingest.recognise import HEADER_INDEX, IGNORED, HeaderMatch, match_header, normalize_header
from lib.ingest.sheets import SHEETS_BY_KEY, Column, SheetType

EVERY_SHEET = "*"      # a given mapping for every sheet of the file (the CLI's --map)
GIVEN, SAVED = "given", "saved"
# How many data rows a guess looks at.
SAMPLE_ROWS = 50


@dataclass(frozen=True)
class HeaderMaps:
    """The mappings a parse may apply. Each mapping: the sheet's header → the template column's label."""
    given: dict[str, dict[str, str]] = field(default_factory=dict)            # sheet name or EVERY_SHEET →
    saved: dict[tuple[str, str], dict[str, str]] = field(default_factory=dict)  # (type key, signature) →

    def __bool__(self) -> bool:
        return bool(self.given or self.saved)


def header_signature(cells: list) -> str:
    """The layout of a header row: its non-empty headers, normalised, in order."""
    headers = [normalize_header(c) for c in cells]
    return hashlib.sha256("|".join(h for h in headers if h).encode()).hexdigest()[:16]


def target_field(sheet: SheetType, label: str) -> str | None:
    """The field a target label names in this sheet type (its label or any of its synonyms)."""
    return HEADER_INDEX[sheet.key].get(normalize_header(label))


def apply_mapping(sheet: SheetType, row: int, cells: list, mapping: dict[str, str]) -> tuple[HeaderMatch, dict]:
    """The header row matched as `sheet` with `mapping` added; returns the match and the part of the
    mapping that was used (source header → label)."""
    match = match_header(sheet, row, cells)
    used = {}
    by_header = {normalize_header(k): v for k, v in mapping.items()}
    for c, cell in enumerate(cells):
        source = normalize_header(cell)
        label = by_header.get(source)
        if not source or label is None or c in match.columns:
            continue
        target = target_field(sheet, label)
        if target is None or target in match.columns.values():
            continue
        match.columns[c] = target
        used[str(cell).strip()] = sheet.column(target).label
    if used:
        found = set(match.columns.values())
        match.missing = [col for col in sheet.required if col.field not in found]
    return match, used


def choose_mapping(maps: HeaderMaps, sheet_name: str, found: HeaderMatch, cells: list) -> tuple[str, str, dict]:
    """Which mapping applies to this sheet: (source, type key, mapping), or ('', '', {})."""
    given = maps.given.get(sheet_name) or maps.given.get(EVERY_SHEET)
    if given:
        return GIVEN, found.sheet.key, given
    signature = header_signature(cells)
    saved = maps.saved.get((found.sheet.key, signature))
    if saved:
        return SAVED, found.sheet.key, saved
    # A layout saved under another type: the user chose that type for exactly these headers.
    for (key, sig), mapping in maps.saved.items():
        if sig == signature:
            return SAVED, key, mapping
    return "", "", {}


def remap(maps: HeaderMaps, sheet_name: str, found: HeaderMatch, cells: list) -> tuple[HeaderMatch, str, dict]:
    """The header match with the applicable mapping applied: (match, source, mapping used)."""
    source, key, mapping = choose_mapping(maps, sheet_name, found, cells)
    if not source:
        return found, "", {}
    match, used = apply_mapping(SHEETS_BY_KEY[key], found.row, cells, mapping)
    if not used and key == found.sheet.key:
        return found, "", {}
    return match, source, used


# ---------------------------------------------------------------- what the page offers

@dataclass(frozen=True)
class MappingOffer:
    """For a sheet recognised as a type but lacking required columns: what the user may map."""
    sheet_key: str
    signature: str
    missing: tuple[str, ...]               # labels of the required columns not found
    unused: tuple[str, ...]                # the sheet's headers no column took, in sheet order
    guesses: dict[str, str]                # missing label → best unused header (only confident ones)


def mapping_offer(match: HeaderMatch, cells: list, data_rows: list[list], cleaner_for,
                  current: dict[str, str] | None = None) -> MappingOffer:
    """`match` as found without any mapping; `current`: the mapping applied now (header → label),
    offered as the choices already made."""
    sheet = match.sheet
    data_rows = [r for r in data_rows[:SAMPLE_ROWS * 2] if any(v is not None and str(v).strip() for v in r)]
    unused = [(c, str(cell).strip()) for c, cell in enumerate(cells)
              if c not in match.columns and normalize_header(cell) and normalize_header(cell) not in IGNORED]
    missing = [col for col in match.missing if not col.context]
    guesses: dict[str, str] = {}
    taken: set[int] = set()
    for col in missing:
        scored = sorted(((_fit(col, header, [r[c] if c < len(r) else None for r in data_rows[:SAMPLE_ROWS]],
                               cleaner_for(col)), c, header) for c, header in unused if c not in taken),
                        reverse=True)
        if scored and scored[0][0] >= 0.6:
            guesses[col.label] = scored[0][2]
            taken.add(scored[0][1])
    if current:
        guesses = {label: header for header, label in current.items() if label in {c.label for c in missing}}
    return MappingOffer(sheet.key, header_signature(cells), tuple(c.label for c in missing),
                        tuple(h for _, h in unused), guesses)


def _fit(col: Column, header: str, values: list, clean) -> float:
    """How well a header and its values fit a column: name likeness plus value likeness (0–2)."""
    norm = normalize_header(header)
    name = max(difflib.SequenceMatcher(None, norm, normalize_header(h)).ratio() for h in col.headers)
    filled = [v for v in values if v is not None and str(v).strip()]
    if not filled:
        return name
    ok = 0
    for v in filled:
        cleaned = clean(v)
        ok += cleaned.value is not None and not cleaned.error
    return name + ok / len(filled)

"""An xlsx / xlsm / OOXML .et checked member by member, and its worksheets scanned, before calamine.

Every member is inflated once (guards/zip_members), every XML part's prolog checked
(guards/xml_prolog), every worksheet scanned (sheet_xml_scan) and the cell areas checked
(guards/cell_area). What the scan found that calamine does not report (hidden rows, error cells,
formulas without a cached value) goes on to the reader.
"""
from __future__ import annotations

import posixpath
import zipfile
from dataclasses import dataclass

from defusedxml import ElementTree as SafeET

from lib.ingest.guards import cell_area
from lib.ingest.guards.xml_prolog import PrologCheck, is_xml_part
from lib.ingest.guards.zip_members import member_chunks
from lib.ingest.rejections import corrupt, unsafe
from lib.ingest.sheet_xml_scan import SheetScan, exact_max_col

# workbook.xml / its .rels / [Content_Types].xml are read whole; real ones are a few KB.
MAX_SMALL_PART_BYTES = 32 * 1024 * 1024
_SMALL_PARTS = ("[Content_Types].xml", "xl/workbook.xml", "xl/_rels/workbook.xml.rels")


@dataclass
class OoxmlScan:
    hidden_rows: dict[str, frozenset[int]]
    errors: dict[str, list[tuple[int, int, str]]]   # sheet → [(row, column, cached text)]
    bare_formulas: int


def verify_member(zf: zipfile.ZipFile, info: zipfile.ZipInfo, sink=None, keep: bool = False) -> bytes:
    """Inflate one member completely (real size, CRC, XML prolog); feed `sink`; return bytes if keep."""
    prolog = PrologCheck() if is_xml_part(info.filename) else None
    kept = []
    for chunk in member_chunks(zf, info):
        if prolog is not None:
            prolog.feed(chunk)
        if sink is not None:
            sink.feed(chunk)
        if keep:
            kept.append(chunk)
    if prolog is not None:
        prolog.close()
    if sink is not None:
        sink.close()
    return b"".join(kept)


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _sheet_paths(workbook_xml: bytes, rels_xml: bytes) -> list[tuple[str, str]]:
    """[(sheet name, zip path of its XML)] in workbook order (worksheets and others)."""
    try:
        wb_root = SafeET.fromstring(workbook_xml)
        rels_root = SafeET.fromstring(rels_xml) if rels_xml else None
    except SafeET.ParseError:
        raise corrupt() from None
    except Exception:  # defusedxml's DTD / entity refusals
        raise unsafe() from None
    targets = {}
    if rels_root is not None:
        for rel in rels_root.iter():
            if _local(rel.tag) == "Relationship" and rel.get("TargetMode") != "External":
                target = (rel.get("Target") or "").replace("\\", "/")
                path = target.lstrip("/") if target.startswith("/") else posixpath.normpath(
                    posixpath.join("xl", target))
                targets[rel.get("Id")] = path
    out = []
    for el in wb_root.iter():
        if _local(el.tag) != "sheet":
            continue
        rid = next((v for k, v in el.attrib.items() if _local(k) == "id"), None)
        if el.get("name") is not None and rid in targets:
            out.append((el.get("name"), targets[rid]))
    return out


def verify_and_scan(zf: zipfile.ZipFile) -> OoxmlScan:
    """Inflate every member once (bounded), checking sizes, CRCs and XML prologs; scan sheets."""
    infos = {i.filename: i for i in zf.infolist()}  # names are unique (guards/zip_directory)
    small = {}
    for name in _SMALL_PARTS:
        info = infos.get(name)
        if info is None:
            small[name] = b""
            continue
        if info.file_size > MAX_SMALL_PART_BYTES:
            raise corrupt()
        small[name] = verify_member(zf, info, keep=True)
    path_of: dict[str, str] = {}   # sheet name → its XML part (the first sheet naming a part wins)
    sheet_of: dict[str, str] = {}
    for name, path in _sheet_paths(small["xl/workbook.xml"], small["xl/_rels/workbook.xml.rels"]):
        if path not in sheet_of:
            sheet_of[path] = name
            path_of[name] = path
    scans: dict[str, SheetScan] = {}
    for name, info in infos.items():
        if name in small:
            continue
        sink = None
        if name in sheet_of:
            sink = scans[sheet_of[name]] = SheetScan()
        verify_member(zf, info, sink=sink)
    total = 0
    for sheet, scan in scans.items():
        area = scan.cell_area()
        if area > cell_area.MAX_SHEET_CELLS:
            if scan.max_col < 26:
                # only single-letter columns were counted as 26; measure them exactly
                scan.max_col = exact_max_col(zf, infos[path_of[sheet]])
            area = cell_area.check_sheet(sheet, scan.max_row + 1, scan.max_col + 1)
        total += area
    cell_area.check_workbook(total)
    return OoxmlScan(
        hidden_rows={s: frozenset(v.hidden) for s, v in scans.items()},
        errors={s: v.errors for s, v in scans.items() if v.errors},
        bare_formulas=sum(v.bare_formulas for v in scans.values()),
    )

"""One streaming pass over a worksheet's XML: what calamine does not tell us, and how far the cells reach.

python-calamine does not expose hidden rows (https://github.com/tafia/calamine/issues/237,
closed as not planned) and reads error cells (#N/A, #DIV/0! …) as empty strings
(https://github.com/dimastbk/python-calamine/issues/105, open); it also says nothing about
formula cells saved without a cached value. The scan collects those, and the extent of the
cells holding a value, which guards/cell_area checks before calamine allocates the sheet.

Everything is a C-level regex search over bytes, chunk by chunk, cut at row boundaries;
Python only touches the (rare) matches.
"""
from __future__ import annotations

import re
import zipfile

from lib.ingest.guards.zip_members import member_chunks

_ROOT_RE = re.compile(rb"<(?:(\w+):)?(?:worksheet|dialogsheet|macrosheet)\b")
_R_ATTR = re.compile(rb"""\br\s*=\s*["'](\d+)["']""")
_CELL_REF = re.compile(rb"""\br\s*=\s*["']([A-Z]{1,3})(\d+)["']""")
_REGEX_CACHE: dict[bytes, dict] = {}


def _sheet_regexes(p: bytes) -> dict:
    """Patterns and tags for one namespace prefix (b'' or e.g. b'x:'), built once."""
    got = _REGEX_CACHE.get(p)
    if got is None:
        e = re.escape(p)
        value_ahead = rb"(?=\s*<" + e + rb"(?:f|v|is)[\s>/])"
        got = {
            "prefix": p,
            "row": b"<" + p + b"row",
            "cell": b"<" + p + b"c",
            "cell_end": b"</" + p + b"c>",
            "cell_r_first": b"<" + p + b'c r="',
            "hidden_row": re.compile(rb"<" + e + rb"row\s[^>]*?\bhidden\s*=\s*[\"'](?:1|true)[\"']"),
            # a formula element not followed by a non-empty cached value
            "bare_formula": re.compile(
                rb"<" + e + rb"f(?:\s[^>]*)?(?:/>|>[^<]*</" + e + rb"f>)(?!\s*<" + e
                + rb"v(?:\s[^>]*)?>[^<])"),
            "error_type": re.compile(rb"""t\s*=\s*["']e["']"""),
            "valued": re.compile(rb"<" + e + rb"(?:v|is|f)[\s>/]"),
            # cells holding a value in a column of two or three letters (AA and beyond)
            "wide_fast": re.compile(rb"<" + e + rb'c r="([A-Z]{2,3})[0-9]+"[^>]*>' + value_ahead),
            "wide_any": re.compile(rb"<" + e + rb"c\s[^>]*?\br\s*=\s*[\"']([A-Z]{2,3})[0-9]+[\"'][^>]*>"
                                   + value_ahead),
            "any_col": re.compile(rb"<" + e + rb"c\s[^>]*?\br\s*=\s*[\"']([A-Z]{1,3})[0-9]+[\"'][^>]*>"
                                  + value_ahead),
            "value": re.compile(rb"<" + e + rb"v(?:\s[^>]*)?>([^<]*)</" + e + rb"v>"),
        }
        _REGEX_CACHE[p] = got
    return got


def _col_index(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + (ch - 64)
    return n - 1


def _sheet_prefix(head: bytes) -> bytes | None:
    """Namespace prefix of the root element (b'' for the default namespace); None if not seen yet."""
    m = _ROOT_RE.search(head, 0, 1 << 20)
    if m is None:
        return None
    return (m.group(1) + b":") if m.group(1) else b""


def _last_row_start(seg: bytes, row_tag: bytes, end: int) -> int:
    """Offset of the last row element starting before `end` (not <rowBreaks> etc.), or -1."""
    n = len(row_tag)
    while True:
        i = seg.rfind(row_tag, 0, end)
        if i < 0 or seg[i + n:i + n + 1] in (b" ", b">", b"/", b"\t", b"\n", b"\r"):
            return i
        end = i


class SheetScan:
    """One pass over a worksheet's XML bytes, chunk by chunk, cut at row boundaries.

    Collects hidden rows, formula cells without a cached value, error cells (calamine turns
    them into empty strings) and the extent of the cells holding a value. Everything is a
    C-level search over bytes; Python only touches the (rare) matches.
    """

    _MAX_BUFFER = 64 * 1024 * 1024

    def __init__(self):
        self.buf = b""
        self.rx: dict | None = None
        self.hidden: set[int] = set()
        self.bare_formulas = 0
        self.errors: list[tuple[int, int, str]] = []
        self.rows_seen = 0            # index of the first row of the current segment
        self.max_row = -1             # last row index holding a value
        self.max_col = -1             # widest valued column among those of 2+ letters
        self._count_at = (0, 0)       # (offset in segment, row elements before it)

    def feed(self, chunk: bytes) -> None:
        buf = self.buf + chunk if self.buf else chunk
        if self.rx is None:
            prefix = _sheet_prefix(buf)
            if prefix is None and len(buf) < (1 << 20):
                self.buf = buf
                return
            self.rx = _sheet_regexes(prefix or b"")
        cut = _last_row_start(buf, self.rx["row"], len(buf))
        if cut <= 0:
            if len(buf) < self._MAX_BUFFER:
                self.buf = buf
                return
            cut = len(buf)
        self._segment(buf[:cut])
        self.buf = buf[cut:]

    def close(self) -> None:
        if self.rx is None:
            self.rx = _sheet_regexes(_sheet_prefix(self.buf) or b"")
        if self.buf:
            self._segment(self.buf)
            self.buf = b""

    def _row_index_at(self, seg: bytes, row_start: int) -> int:
        """0-based index of the row element that starts at row_start."""
        tag_end = seg.find(b">", row_start)
        m = _R_ATTR.search(seg, row_start, tag_end if tag_end >= 0 else len(seg))
        if m:
            return int(m.group(1)) - 1
        # no r attribute (optional in OOXML): count the row elements before it, incrementally
        row_tag = self.rx["row"]
        pos, before = self._count_at
        if row_start < pos:
            pos, before = 0, 0
        before += seg.count(row_tag + b" ", pos, row_start) + seg.count(row_tag + b">", pos, row_start)
        self._count_at = (row_start, before)
        return self.rows_seen + before

    def _segment(self, seg: bytes) -> None:
        rx = self.rx
        self._count_at = (0, 0)
        # cheap literal checks first: most sheets have no hidden rows and no error cells
        if b"hidden" in seg:
            for m in rx["hidden_row"].finditer(seg):
                self.hidden.add(self._row_index_at(seg, m.start()))
        self.bare_formulas += len(rx["bare_formula"].findall(seg))
        if b't="e"' in seg:
            for m in rx["error_type"].finditer(seg):
                self._error_cell(seg, m)
        self._extent(seg)
        last = _last_row_start(seg, rx["row"], len(seg))
        if last >= 0:
            self.rows_seen = self._row_index_at(seg, last) + 1

    def _extent(self, seg: bytes) -> None:
        rx = self.rx
        # the last row holding a value: walk back a few rows, else search backwards for a value tag
        end = len(seg)
        found = -1
        for _ in range(32):
            start = _last_row_start(seg, rx["row"], end)
            if rx["valued"].search(seg, max(start, 0), end):
                found = start
                break
            if start <= 0:
                break
            end = start
        else:
            p = rx["prefix"]
            last = max(seg.rfind(b"<" + p + tag, 0, end) for tag in (b"v>", b"v ", b"is>", b"f>", b"f "))
            if last >= 0:
                found = _last_row_start(seg, rx["row"], last)
        if found >= 0:
            self.max_row = max(self.max_row, self._row_index_at(seg, found))
        wide = rx["wide_fast"] if rx["cell_r_first"] in seg else rx["wide_any"]
        letters = set(wide.findall(seg))
        if letters:
            self.max_col = max(self.max_col, _col_index(max(letters, key=lambda s: (len(s), s))))

    def _error_cell(self, seg: bytes, m: re.Match) -> None:
        """Record an error cell (#N/A, #DIV/0! …) with its cached text."""
        rx = self.rx
        cell = rx["cell"]
        start = seg.rfind(b"<", 0, m.start())
        after = start + len(cell)
        if start < 0 or not seg.startswith(cell, start) or seg[after:after + 1] not in (b" ", b"\t", b"\n", b"\r"):
            return
        tag_end = seg.find(b">", m.end())
        if tag_end < 0 or seg[tag_end - 1:tag_end] == b"/":
            return
        ref = _CELL_REF.search(seg, start, tag_end)
        if ref is None:
            return
        end = seg.find(rx["cell_end"], tag_end)
        value = rx["value"].search(seg, tag_end, end if end >= 0 else len(seg))
        if value and value.group(1):
            text = value.group(1).decode("utf-8", errors="replace")
            self.errors.append((int(ref.group(2)) - 1, _col_index(ref.group(1)), text))

    def cell_area(self) -> int:
        """Upper bound of rows × columns calamine will allocate (single-letter columns count as 26)."""
        if self.max_row < 0:
            return 0
        return (self.max_row + 1) * (max(self.max_col, 25) + 1)


def exact_max_col(zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> int:
    """Second, slower pass (only for sheets with very many rows): the widest valued column."""
    widest = -1
    buf = b""
    rx = None
    for chunk in member_chunks(zf, info):
        buf += chunk
        if rx is None:
            rx = _sheet_regexes(_sheet_prefix(buf) or b"")
        cut = _last_row_start(buf, rx["row"], len(buf))
        if cut <= 0:
            continue
        for letters in set(rx["any_col"].findall(buf, 0, cut)):
            widest = max(widest, _col_index(letters))
        buf = buf[cut:]
    if rx is not None:
        for letters in set(rx["any_col"].findall(buf)):
            widest = max(widest, _col_index(letters))
    return widest

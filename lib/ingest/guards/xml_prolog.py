"""No DTD and no entity declarations in any XML part of an xlsx.

Defends against entity expansion ("billion laughs", quadratic blowup) and external entities.
calamine parses with quick-xml, which does not expand DTD entities (noted in
https://github.com/rustsec/advisory-db/pull/2661), and openpyxl is safe only while defusedxml is
installed ("By default openpyxl does not guard against quadratic blowup or billion laughs xml
attacks", https://pypi.org/project/openpyxl/3.1.5/). No reader we use is known to be open to
these today, so this guard is defence in depth: no part declaring a DTD reaches any XML parser.
Real workbooks never carry one.

Only the prolog matters (a DTD must come before the root element); it must end within HEAD_BYTES.
"""
from __future__ import annotations

import codecs
import re

from lib.ingest.rejections import unsafe

HEAD_BYTES = 64 * 1024
_XML_SUFFIXES = (".xml", ".rels", ".vml")
_PROLOG = re.compile(rb"(?:\s+|<\?.*?\?>|<!--.*?-->)*", re.S)


def is_xml_part(name: str) -> bool:
    return name.lower().endswith(_XML_SUFFIXES)


def _unsafe(head: bytes, complete: bool) -> bool:
    """True if an XML part declares a DTD/entities (or hides its prolog beyond the head)."""
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or head[:2] in (b"<\x00", b"\x00<"):
        enc = "utf-16" if head[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE) else (
            "utf-16-le" if head[:1] == b"<" else "utf-16-be")
        head = head.decode(enc, errors="ignore").encode("utf-8")
    if head.startswith(codecs.BOM_UTF8):
        head = head[3:]
    if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
        return True
    rest = head[_PROLOG.match(head).end():]
    if not rest:
        return not complete
    return rest.startswith(b"<!")


class PrologCheck:
    """Fed a part's bytes chunk by chunk; raises FileRejected once the prolog is seen to be unsafe."""

    def __init__(self):
        self.head = b""
        self.done = False

    def feed(self, chunk: bytes) -> None:
        if self.done:
            return
        self.head += chunk[:HEAD_BYTES - len(self.head)]
        if len(self.head) >= HEAD_BYTES:
            if _unsafe(self.head, complete=False):
                raise unsafe()
            self.done = True

    def close(self) -> None:
        if not self.done and _unsafe(self.head, complete=True):
            raise unsafe()

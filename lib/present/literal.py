"""Text from a workbook is data, never markup: the escapes used where such text meets the screen.

Anyone who writes a unit's workbook chooses its 队, 班组, names and free text. Shown as Markdown
(Streamlit's st.markdown, captions, KPI labels, info boxes) a 班组 named ``[官方通知](http://host/phish)``
would become a live link, ``![x](http://host/x.png)`` an image every viewer's browser fetches;
in a Plotly figure ``<a href=…>`` or ``<span style=…>`` would become a link or restyle the chart.

- `markdown_literal(text)`: the characters that start Markdown, HTML or Streamlit constructs
  backslash-escaped (CommonMark allows that for any ASCII punctuation): links and images (``[``),
  HTML and autolinks (``<``), emphasis, code, tables, ``$…$`` formulas, Streamlit's ``:red[…]`` /
  ``:material/…:`` directives and bare URLs (``http:``, ``www.``, ``a@b``); line breaks become spaces
  and leading spaces go, so the text stays on its line. Characters that are plain in their place
  (``_`` inside a word, the ``.`` of a file name) are left as they are, so the text reads the same.
- `plotly_literal(text)`: ``& < >`` as entities; Plotly turns them back into the characters when it
  draws (on screen and in the server's PNGs), so its pseudo-HTML (<a>, <span style>, <b>, <br>) never applies.
- `xml_safe(text)`: without the characters XML 1.0 cannot hold (control characters), for the deck.

No Streamlit here.
"""
from __future__ import annotations

import re

import pandas as pd

_ALWAYS = frozenset("\\`*[]<>|~$:&@#")
# Streamlit's Markdown (remark-gfm) finds bare URLs and e-mail addresses in the text *after* the
# escapes are resolved, so a backslash does not stop "http://…" from becoming a link. An invisible
# WORD JOINER before ":" and "@", and between "www" and ".", breaks those patterns; the text reads
# the same (checked in a real browser: tests/test_browser_hostile.py).
_JOINER = "\u2060"
_AT_START = frozenset("-+=")           # list items and headings only where a line starts
_LINE_BREAKS = re.compile(r"[\r\n\u2028\u2029\u0085]+")
# XML 1.0 forbids C0 controls except tab/newline/CR, and U+FFFE/U+FFFF; lone surrogates cannot be encoded.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff\ud800-\udfff]")


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and pd.isna(value):
        return ""
    return value if isinstance(value, str) else str(value)


def markdown_literal(value) -> str:
    """`value` as Markdown that Streamlit shows character for character (one line)."""
    text = _LINE_BREAKS.sub(" ", _NOT_XML.sub("", _text(value))).lstrip()
    out = []
    for i, ch in enumerate(text):
        before = text[i - 1] if i else ""
        after = text[i + 1] if i + 1 < len(text) else ""
        if ch in _ALWAYS:
            escape = True
        elif ch == "_":         # emphasis, unless inside a word (where CommonMark never sees one)
            escape = not (before.isalnum() and after.isalnum())
        elif ch == ".":         # "1." starts a list; "www." an autolink
            escape = text[:i].isdigit() or text[max(0, i - 3):i].lower() == "www"
        elif ch == ")":         # "1)" starts a list too
            escape = text[:i].isdigit()
        else:
            escape = ch in _AT_START and i == 0
        if ch in ":@" or (ch == "." and text[max(0, i - 3):i].lower() == "www"):
            out.append(_JOINER)
        out.append("\\" + ch if escape else ch)
    return "".join(out)


def plotly_literal(value) -> str:
    """`value` as text for a Plotly label, hover, legend, title or annotation: drawn literally."""
    return (_NOT_XML.sub("", _text(value))
            .replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;"))


def plotly_literals(values) -> list[str]:
    """plotly_literal for every value of a column or list (category axes, legend names)."""
    return [plotly_literal(v) for v in values]


def xml_safe(value) -> str:
    """`value` without characters an Office file's XML cannot hold (python-pptx would refuse them)."""
    return _NOT_XML.sub("", _text(value))

"""The house template keeps Plotly's defaults only for the trace types the house draws (a smaller
template is half the cost of every figure): a new trace type must be added to it."""
import re
from pathlib import Path

import plotly.io as pio

from lib.present import charts

ROOT = Path(__file__).resolve().parent.parent


def test_every_trace_type_drawn_keeps_plotlys_defaults():
    drawn = set()
    for folder in ("lib", "ui", "pages"):
        for path in (ROOT / folder).rglob("*.py"):
            drawn |= {name.lower() for name in re.findall(r"\bgo\.([A-Z][a-zA-Z]+)\(", path.read_text(encoding="utf-8"))}
    drawn -= {"figure"}
    assert drawn and drawn <= set(charts.HOUSE_TRACE_TYPES), sorted(drawn - set(charts.HOUSE_TRACE_TYPES))
    for kind in charts.HOUSE_TRACE_TYPES:
        assert charts.HOUSE_TEMPLATE.data[kind] == pio.templates["plotly"].data[kind]


def test_the_house_layout_is_plotlys_with_the_house_fonts():
    house, plotly = charts.HOUSE_TEMPLATE.layout, pio.templates["plotly"].layout
    assert house.colorway == plotly.colorway and house.xaxis == plotly.xaxis
    assert house.font.size == 15 and house.paper_bgcolor == "white"
    assert plotly.font.size is None, "Plotly's own template is left as it was"

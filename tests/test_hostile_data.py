"""#10: uploaded text is data, never markup; free text masked; one broken chart or table never
breaks the rest. A hostile workbook (tests/hostile.py) is imported through the real importer into
a copy of the demo database, then pages, charts, downloads and the deck are checked."""
from __future__ import annotations

import io
import json
import re
import zipfile

import pandas as pd
import pytest

from lib.access.masking import mask_frame, text_masker
from lib.metrics.query import Filter
from lib.metrics.registry import Indicators
from lib.metrics.scope import default_filter
from lib.present import charts
from lib.present.exports import TABLE_FAILED, export_table, workbook_bytes
from lib.present.literal import markdown_literal, plotly_literal
from lib.present.page_views import VIEWS
from lib.store.database import Store
from tests.hostile import (
    HOSTILE,
    HTML_MARKUP,
    IMAGE,
    LINK,
    MARKUP,
    PERSON,
    PERSON_ID,
    UNIT,
    import_hostile,
)
from tests.test_app import ANALYSIS_PAGES, app_env, open_page  # noqa: F401 — app_env is a fixture
from tests.test_meeting_screens import every_screen
from tests.users import VIEWER_USER

UNESCAPED = [re.compile(r"(?<!\\)" + re.escape(m)) for m in MARKUP]


def live_markup(text: str) -> list[str]:
    """Markup from the hostile data that Markdown would still read as markup (not backslash-escaped)."""
    return [p.pattern for p in UNESCAPED if p.search(text)]


# ---------------------------------------------------------------- the escapes themselves

@pytest.mark.parametrize("text", HOSTILE + ("www.evil.example", "a@evil.example", ":material/home:", "$x^2$",
                                            "1. 列表", "# 标题", "    缩进"))
def test_markdown_literal_leaves_no_markup(text):
    shown = markdown_literal(text)
    assert not live_markup(shown)
    unescaped = re.sub(r"\\(.)", "", shown)
    for construct in ("[", "<", ":", "$", "www.", "@"):
        assert construct not in unescaped, (text, shown)
    # The reader sees exactly the characters (the word joiners that stop autolinks are invisible).
    assert re.sub(r"\\(.)", r"\1", shown).replace("\u2060", "") == text.strip()
    # remark-gfm links bare URLs and addresses after escapes are resolved: the joiner must split them.
    assert not re.search(r"https?://|www\.|\w@\w", re.sub(r"\\(.)", r"\1", shown))


def test_markdown_literal_keeps_plain_text_as_it_reads():
    assert markdown_literal("机运队_2024年6月.xlsx") == "机运队_2024年6月.xlsx"
    assert markdown_literal("综采队 · 2023年1月–2023年12月") == "综采队 · 2023年1月–2023年12月"
    assert markdown_literal("一\n二\x07") == "一 二"


def test_plotly_literal_escapes_tags():
    assert plotly_literal('<a href="x">y</a> & <br>') == '&lt;a href="x"&gt;y&lt;/a&gt; &amp; &lt;br&gt;'


def test_chart_toolbar_has_no_png_button_of_its_own():
    config = charts.chart_config("图")
    assert "toImage" in config["modeBarButtonsToRemove"]
    assert "toImageButtonOptions" not in config


def test_free_text_masker_reaches_description_by_field_and_by_header():
    masker = text_masker([PERSON], [PERSON_ID])
    frame = pd.DataFrame({"description": [f"{PERSON}反映问题，工号{PERSON_ID}"], "unit": [PERSON]})
    masked = mask_frame(frame, text=masker)
    assert PERSON not in masked["description"][0] and PERSON_ID not in masked["description"][0]
    assert masked["unit"][0] == PERSON, "only free-text and personal columns change"
    labelled = mask_frame(frame.rename(columns={"description": "问题描述"}), text=masker)
    assert PERSON not in labelled["问题描述"][0]


def test_a_table_that_cannot_be_written_becomes_a_chinese_line(monkeypatch):
    from lib.present import exports

    good = pd.DataFrame({"队": ["综采队"]})
    with_controls = pd.DataFrame({"问题描述": ["响铃\x07转义\x1b"]})
    data = workbook_bytes({"甲": good, "乙": with_controls})
    assert zipfile.ZipFile(io.BytesIO(data)).testzip() is None, "control characters are dropped, not fatal"
    real = exports.xlsx_bytes

    def fussy(sheets):
        if any("问题描述" in frame.columns for frame in sheets.values()):
            raise ValueError("cannot write")
        return real(sheets)

    monkeypatch.setattr(exports, "xlsx_bytes", fussy)
    data = workbook_bytes({"甲": good, "乙": with_controls})
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(data))
    assert book["甲"]["A2"].value == "综采队"
    assert book["乙"]["A2"].value == TABLE_FAILED


# ---------------------------------------------------------------- the hostile workbook

@pytest.fixture
def hostile_db(demo_copy):
    store = Store(demo_copy)
    try:
        result = import_hostile(store)
        assert result.status == "imported", result.summary
    finally:
        store.close()
    return demo_copy


def _figure_json(fig) -> str:
    return json.dumps(json.loads(fig.to_json()), ensure_ascii=False)


@pytest.mark.parametrize("units", [(), (UNIT,)])
def test_no_figure_carries_markup_from_data(hostile_db, units):
    store = Store(hostile_db)
    try:
        base = default_filter(store)
        f = Filter(units, (), base.start, base.end)
        get = Indicators(store).get
        seen = ""
        for make in VIEWS.values():
            for section in make(get, f).sections:
                for chart in section.charts:
                    text = _figure_json(chart.figure)
                    seen += text
                    for mark in HTML_MARKUP:
                        assert mark not in text, (chart.name, mark)
        assert plotly_literal(LINK) in seen or "&lt;a" in seen, "the hostile data is in the charts, escaped"
    finally:
        store.close()


def test_masked_table_download_hides_a_roster_name_in_free_text(hostile_db):
    store = Store(hostile_db)
    try:
        ledger = Indicators(store).get("problem_ledger", default_filter(store))
        frame = ledger.overdue_open.rename(columns={"description": "问题描述"})
        assert frame["问题描述"].str.contains(PERSON).any(), "the name is in the data"
        data = export_table(store, VIEWER_USER, {"超期未办结问题": frame}, "表格", "", False, False)
        from openpyxl import load_workbook

        cells = [str(c.value) for row in load_workbook(io.BytesIO(data)).active.iter_rows() for c in row]
        assert cells and not [c for c in cells if PERSON in c or PERSON_ID in c]
    finally:
        store.close()


# ---------------------------------------------------------------- the app

def _markdown_texts(at) -> list[str]:
    texts = [e.value for kind in ("markdown", "caption", "info", "warning", "error", "success", "title",
                                  "subheader", "header")
             for e in at.get(kind)]
    texts += [m.label for m in at.metric] + [m.proto.help for m in at.metric]
    return texts


def _plotly_specs(at) -> list[str]:
    return [p.proto.spec for p in at.get("plotly_chart")]


@pytest.mark.parametrize("page", ANALYSIS_PAGES)
def test_pages_show_hostile_data_literally(app_env, page):  # noqa: F811
    store = Store(app_env / "demo.duckdb")
    try:
        import_hostile(store)
    finally:
        store.close()
    for query in ({}, {"unit": UNIT}):
        at = open_page(page, query)
        assert not at.exception and not at.error, (page, query)
        for text in _markdown_texts(at):
            assert not live_markup(text), (page, query, text)
        for spec in _plotly_specs(at):
            for mark in HTML_MARKUP:
                assert mark not in spec, (page, query, mark)
    if page == "overview_page":
        texts = " ".join(_markdown_texts(at))
        assert markdown_literal(IMAGE) in texts, "the 班组 is named in 本月要点, as text"


@pytest.mark.parametrize("page", ["problems_page", "coverage_page", "overview_page"])
def test_meeting_mode_masks_a_roster_name_inside_free_text(app_env, page):  # noqa: F811
    store = Store(app_env / "demo.duckdb")
    try:
        import_hostile(store)
    finally:
        store.close()
    at = open_page(page, {"unit": UNIT, "mode": "meeting"})
    assert not at.exception
    described = False
    for screen in every_screen(at):  # 会议模式 shows a page screen by screen
        tables = [t.value for t in [*screen.dataframe, *screen.table]]
        shown = " ".join(str(v) for t in tables for v in t.astype(str).to_numpy().ravel())
        described |= any("问题描述" in t.columns for t in tables)
        assert PERSON not in shown and PERSON_ID not in shown
        for spec in _plotly_specs(screen):
            assert PERSON not in spec and PERSON_ID not in spec
        assert not [t for t in _markdown_texts(screen) if PERSON in t]
    if page == "problems_page":
        assert described, "the free text is shown"


# ---------------------------------------------------------------- the deck

def _deck_parts(data: bytes) -> tuple[list[str], str]:
    """Every attribute value and element name of the slides (and their relationships), and all
    slide text as python-pptx reads it."""
    from lxml import etree
    from pptx import Presentation

    found = []
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        for name in z.namelist():
            if name.startswith("ppt/slides/"):
                for element in etree.fromstring(z.read(name)).iter():
                    found.append(str(element.tag))
                    found.extend(element.attrib.values())
    prs = Presentation(io.BytesIO(data))
    text = "\n".join(s.text_frame.text for slide in prs.slides for s in slide.shapes if s.has_text_frame)
    return found, text


def test_deck_has_hostile_text_literally_no_links_and_survives_a_failing_chart(hostile_db, monkeypatch):
    from lib.present import deck, render
    from lib.present.exports import CHART_FAILED

    if render.problem():
        pytest.skip(render.problem())
    real, notices = render.png, []

    def failing(fig, size=render.HALF, scale=render.SCALE):
        if any(CHART_FAILED in (a.text or "") for a in fig.layout.annotations):
            notices.append(size)
        if "各类别新发现问题" in (fig.layout.title.text or ""):  # this one chart cannot be drawn
            raise ValueError("kaleido failed")
        return real(fig, size, scale)

    monkeypatch.setattr(render, "png", failing)
    store = Store(hostile_db)
    try:
        base = default_filter(store)
        result = deck.build_deck(Indicators(store), Filter((UNIT,), (), base.start, base.end))
    finally:
        store.close()
    markup, text = _deck_parts(result.data)
    assert not [m for m in markup if "hlink" in m or "evil.example" in m], "no hyperlink or address from data"
    assert IMAGE in text or LINK in text, "the 班组 shows as the characters it is"
    assert notices, "the failing chart became a notice picture"
    assert result.slides > 5, "the rest of the deck was built"
    assert PERSON not in text and PERSON_ID not in text


def test_deck_notice_in_words_when_even_the_notice_cannot_be_drawn(hostile_db, monkeypatch):
    from lib.present import deck, render
    from lib.present.exports import CHART_FAILED

    def broken(fig, size=render.HALF, scale=render.SCALE):
        raise ValueError("kaleido failed")

    monkeypatch.setattr(render, "png", broken)
    store = Store(hostile_db)
    try:
        base = default_filter(store)
        result = deck.build_deck(Indicators(store), Filter((UNIT,), (), base.start, base.end))
    finally:
        store.close()
    _, text = _deck_parts(result.data)
    assert CHART_FAILED in text and result.charts > 0


def test_cli_report_with_a_failing_chart_ends_without_a_traceback(hostile_db, tmp_path, monkeypatch, capsys):
    from lib import cli
    from lib.present import render

    if render.problem():
        pytest.skip(render.problem())
    real = render.png

    def one_fails(fig, size=render.HALF, scale=render.SCALE):
        if "各类别新发现问题" in (fig.layout.title.text or ""):
            raise ValueError("kaleido failed")
        return real(fig, size, scale)

    monkeypatch.setattr(render, "png", one_fails)
    out = tmp_path / "汇报.pptx"
    code = cli.main(["report", "--db", str(hostile_db), "--out", str(out), "--user", "李书记", "--quiet",
                     "--unit", UNIT])
    assert code == 0 and out.exists()
    assert "Traceback" not in capsys.readouterr().err

"""汇报材料: the dashboard for one filter as a 16:9 PowerPoint deck (python-pptx), no Streamlit.

Slide 1 says who, which months and how fresh the data is; slide 2 is 本月要点; then every
indicator page of the dashboard in its order: its KPI cards, then its charts (rendered on the
server by lib.present.render, the same figures as on screen), the page's 口径 as a footnote. The cards
and charts come from lib.present.page_views, so the deck shows exactly what the pages show.
"""
from __future__ import annotations

import datetime as dt
import io
import logging
from dataclasses import dataclass
from typing import Callable

from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.shapes import MSO_SHAPE
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.oxml.ns import qn
from pptx.util import Inches, Pt

from lib.access.auth import EXPORT, User, require
from lib.access.export import names_in_full
from lib.access.masking import mask_result
from lib.metrics.query import Filter
from lib.metrics.registry import Indicators
from lib.present import render
from lib.present.exports import CHART_FAILED
from lib.present.formatting import date_text, month_text
from lib.present.highlights import Highlight, highlights
from lib.present.literal import xml_safe
from lib.present.page_views import VIEWS
from lib.present.people import people_masker
from lib.present.todo_view import TITLE as TODO_TITLE
from lib.present.todo_view import slide_rows, units_of
from lib.present.view_parts import Chart, Kpi, PageView, scope_text
from lib.store.logs import log_export

FONT = "Microsoft YaHei"      # what the department's Office/WPS has; Chinese text falls back sensibly
RED = RGBColor(0xC0, 0x00, 0x00)
GREEN = RGBColor(0x00, 0x7A, 0x3D)
DARK = RGBColor(0x26, 0x26, 0x26)
GREY = RGBColor(0x73, 0x73, 0x73)
LIGHT = RGBColor(0xF5, 0xF5, 0xF5)
LINE = RGBColor(0xD9, 0xD9, 0xD9)

SLIDE_W, SLIDE_H = Inches(13.333), Inches(7.5)
MARGIN = Inches(0.45)
CONTENT_W = SLIDE_W - 2 * MARGIN
GAP = Inches(0.2)
BODY_TOP = Inches(1.35)            # below title and scope line
FOOTNOTE_TOP = Inches(6.85)
PIXELS_PER_INCH = 100              # chart pixel size from its box: text in the PNG matches the slide

Progress = Callable[[int, int, str], None]
log = logging.getLogger("dangjian")


@dataclass(frozen=True)
class DeckResult:
    data: bytes
    slides: int
    charts: int
    names_in_full: bool


# ---------------------------------------------------------------- text helpers

def _font(run, size: float, bold: bool = False, color: RGBColor = DARK) -> None:
    run.font.size = Pt(size)
    run.font.bold = bold
    run.font.color.rgb = color
    run.font.name = FONT
    r_pr = run._r.get_or_add_rPr()  # Chinese glyphs use the east-Asian typeface, not the latin one
    ea = r_pr.find(qn("a:ea"))
    if ea is None:
        ea = r_pr.makeelement(qn("a:ea"), {})
        r_pr.append(ea)
    ea.set("typeface", FONT)


def _text(slide, left, top, width, height, lines, anchor=MSO_ANCHOR.TOP, align=PP_ALIGN.LEFT):
    """A text box; `lines` are (text, size, bold, color) paragraphs."""
    box = slide.shapes.add_textbox(left, top, width, height)
    frame = box.text_frame
    frame.word_wrap = True
    frame.vertical_anchor = anchor
    frame.margin_left = frame.margin_right = Inches(0.05)
    for i, (text, size, bold, color) in enumerate(lines):
        paragraph = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
        paragraph.alignment = align
        _font(paragraph.add_run(), size, bold, color)
        paragraph.runs[0].text = xml_safe(text)  # python-pptx writes text literally; XML cannot hold controls
    return box


def _page_frame(slide, title: str, subtitle: str, footnote: str = "") -> None:
    slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, 0, 0, Inches(0.12), SLIDE_H).fill.solid()
    bar = slide.shapes[-1]
    bar.fill.fore_color.rgb = RED
    bar.line.fill.background()
    _text(slide, MARGIN, Inches(0.3), CONTENT_W, Inches(0.6), [(title, 26, True, DARK)])
    _text(slide, MARGIN, Inches(0.85), CONTENT_W, Inches(0.4), [(subtitle, 13, False, GREY)])
    if footnote:
        _text(slide, MARGIN, FOOTNOTE_TOP, CONTENT_W, SLIDE_H - FOOTNOTE_TOP - Inches(0.1),
              [(footnote, 8.5, False, GREY)], anchor=MSO_ANCHOR.BOTTOM)


# ---------------------------------------------------------------- pieces

def _kpi_cards(slide, cards: tuple[Kpi, ...], top, height) -> None:
    n = len(cards)
    width = int((CONTENT_W - GAP * (n - 1)) / n)
    for i, card in enumerate(cards):
        left = MARGIN + i * (width + GAP)
        box = slide.shapes.add_shape(MSO_SHAPE.ROUNDED_RECTANGLE, left, top, width, height)
        box.adjustments[0] = 0.08
        box.fill.solid()
        box.fill.fore_color.rgb = LIGHT
        box.line.color.rgb = LINE
        text = card.text()
        change = text.delta or "无上期数据"
        change_color = GREY if text.better is None else (GREEN if text.better else RED)
        lines = [(card.label, 11, False, GREY), (text.shown, 24, True, DARK)]
        detail = " · ".join(x for x in (text.caption, None if text.delta is None else f"较上期 {change}") if x)
        lines.append((detail or change, 10, False, change_color if text.delta else GREY))
        _text(slide, left + Inches(0.08), top + Inches(0.05), width - Inches(0.16), height - Inches(0.1), lines,
              anchor=MSO_ANCHOR.MIDDLE)


def _chart_boxes(items: list[Chart], top, bottom) -> list[tuple[Chart, int, int, int, int]]:
    """(chart, left, top, width, height) for one row: a wide chart alone, else side by side."""
    height = bottom - top
    width = CONTENT_W if len(items) == 1 and items[0].wide else int((CONTENT_W - GAP) / 2)
    return [(item, MARGIN + i * (width + GAP), top, width, height) for i, item in enumerate(items)]


def _chart_rows(items: list[Chart]) -> list[list[Chart]]:
    """Wide charts get a row of their own, the others share rows two by two."""
    rows, pending = [], []
    for item in items:
        if item.wide:
            rows.append([item])
        else:
            pending.append(item)
            if len(pending) == 2:
                rows.append(pending)
                pending = []
    if pending:
        rows.append(pending)
    return rows


def chart_png(item: Chart, width_in: float, height_in: float) -> bytes:
    """The chart as PNG sized for its box on the slide (2×), same figure as on screen; a chart that
    cannot be drawn becomes a picture saying so (lib.present.exports.chart_png_or_notice)."""
    from lib.present.exports import chart_png_or_notice

    size = (round(width_in * PIXELS_PER_INCH), round(height_in * PIXELS_PER_INCH))
    return chart_png_or_notice(item.figure, size)


# ---------------------------------------------------------------- the deck

class _Builder:
    def __init__(self, f: Filter, total_charts: int, progress: Progress | None):
        self.prs = Presentation()
        self.prs.slide_width, self.prs.slide_height = SLIDE_W, SLIDE_H
        self.f = f
        self.done, self.total = 0, total_charts + 2
        self.progress = progress
        self.charts = 0

    def slide(self):
        return self.prs.slides.add_slide(self.prs.slide_layouts[6])  # blank

    def step(self, text: str) -> None:
        self.done += 1
        if self.progress:
            self.progress(self.done, self.total, text)

    def place_charts(self, slide, row: list[Chart], top, bottom) -> None:
        for item, left, box_top, width, height in _chart_boxes(row, top, bottom):
            try:
                png = chart_png(item, width / Inches(1), height / Inches(1))
                slide.shapes.add_picture(io.BytesIO(png), left, box_top, width=width, height=height)
            except render.RendererUnavailable:
                raise
            except Exception:  # noqa: BLE001 — even the notice picture failed: say it in words
                log.exception("deck chart %s failed", item.name)
                _text(slide, left, box_top, width, height, [(f"{item.name}：{CHART_FAILED}。", 14, False, GREY)],
                      anchor=MSO_ANCHOR.MIDDLE, align=PP_ALIGN.CENTER)
            self.charts += 1
            self.step(f"已生成图表：{item.name}")

    def page(self, view: PageView) -> None:
        subtitle = scope_text(self.f, view.scope_month) + (f" · {view.note}" if view.note else "")
        footnote = view.footnote
        if view.empty:
            slide = self.slide()
            _page_frame(slide, view.title, subtitle)
            _text(slide, MARGIN, Inches(3), CONTENT_W, Inches(1.2),
                  [(view.empty[0] + "。", 20, True, GREY), (view.empty[1], 13, False, GREY)], align=PP_ALIGN.CENTER)
            return
        groups = [s for s in view.sections if s.kpis or s.empty or s.notice]
        rows = _chart_rows([c for s in view.sections if not s.empty for c in s.charts])
        slide = self.slide()
        _page_frame(slide, view.title, subtitle, footnote)
        top = BODY_TOP
        card_h = Inches(1.25)
        for section in groups:
            if len(groups) > 1 and section.heading:
                _text(slide, MARGIN, top, CONTENT_W, Inches(0.35), [(section.heading, 13, True, RED)])
                top += Inches(0.38)
            if section.empty:
                _text(slide, MARGIN, top, CONTENT_W, Inches(0.4),
                      [(f"{section.empty[0]}。{section.empty[1]}", 11, False, GREY)])
                top += Inches(0.5)
                continue
            if section.kpis:
                _kpi_cards(slide, section.kpis, top, card_h)
                top += card_h + Inches(0.15)
            if section.notice:
                _text(slide, MARGIN, top, CONTENT_W, Inches(0.35), [(section.notice, 11, False, RED)])
                top += Inches(0.4)
        # One row of charts still fits under a single card row; the rest go on slides of their own.
        if rows and FOOTNOTE_TOP - top >= Inches(3.2):
            self.place_charts(slide, rows.pop(0), top + Inches(0.05), FOOTNOTE_TOP - Inches(0.05))
        for pair in [rows[i:i + 2] for i in range(0, len(rows), 2)]:
            slide = self.slide()
            _page_frame(slide, f"{view.title}（图表）", subtitle, footnote)
            space = (FOOTNOTE_TOP - BODY_TOP - Inches(0.1)) / len(pair)
            for i, row in enumerate(pair):
                row_top = BODY_TOP + int(i * space)
                self.place_charts(slide, row, row_top, row_top + int(space) - Inches(0.1))

    def todo_slide(self, unit: str, items, limit: int = 12) -> None:
        """One 队's 待办督办, most urgent first: a table of what fits, the rest counted under it."""
        slide = self.slide()
        _page_frame(slide, f"{TODO_TITLE} · {unit}",
                    f"{scope_text(self.f)} · 截至{date_text(self.f.as_of)} · 共 {len(items)} 项")
        rows, more = slide_rows(items, limit)
        header = ["事项", "队", "班组", "相关人员", "起算日期", "已过天数", "督办事项"]
        widths = (1.7, 0.9, 1.1, 0.9, 1.1, 0.8)
        table = slide.shapes.add_table(len(rows) + 1, len(header), MARGIN, BODY_TOP, CONTENT_W,
                                       Inches(0.3) * (len(rows) + 1)).table
        for i, width in enumerate(widths):
            table.columns[i].width = Inches(width)
        table.columns[len(widths)].width = CONTENT_W - sum(Inches(w) for w in widths)
        for r, values in enumerate([header, *rows]):
            for c, value in enumerate(values):
                cell = table.cell(r, c)
                cell.text = xml_safe(value)
                cell.fill.solid()
                cell.fill.fore_color.rgb = RED if r == 0 else (LIGHT if r % 2 else RGBColor(0xFF, 0xFF, 0xFF))
                for run in cell.text_frame.paragraphs[0].runs:
                    _font(run, 10, bold=r == 0, color=RGBColor(0xFF, 0xFF, 0xFF) if r == 0 else DARK)
        if more:
            _text(slide, MARGIN, FOOTNOTE_TOP - Inches(0.4), CONTENT_W, Inches(0.35),
                  [(f"另有 {more} 项未列出，见该队督办单。", 11, False, GREY)])

    def title_slide(self, data_month, masked: bool) -> None:
        slide = self.slide()
        band = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, 0, Inches(2.3), SLIDE_W, Inches(2.2))
        band.fill.solid()
        band.fill.fore_color.rgb = RED
        band.line.fill.background()
        _text(slide, MARGIN, Inches(2.45), CONTENT_W, Inches(1.1),
              [("“3+3+3 党建进班组”工作汇报", 36, True, RGBColor(0xFF, 0xFF, 0xFF))], anchor=MSO_ANCHOR.MIDDLE)
        _text(slide, MARGIN, Inches(3.55), CONTENT_W, Inches(0.8),
              [(scope_text(self.f), 20, False, RGBColor(0xFF, 0xFF, 0xFF))], anchor=MSO_ANCHOR.MIDDLE)
        fresh = f"数据截至{month_text(data_month)}" if data_month else "所选范围内没有人员名册"
        today = dt.date.today()
        lines = [(f"{fresh} · 生成于{date_text(today)} · 党群工作部", 14, False, GREY)]
        if masked:
            lines.append(("材料中的姓名、工号已打码。", 12, False, GREY))
        _text(slide, MARGIN, Inches(4.8), CONTENT_W, Inches(0.9), lines)

    def highlights_slide(self, points, data_month) -> None:
        slide = self.slide()
        _page_frame(slide, "本月要点", scope_text(self.f, data_month))
        if not points:
            _text(slide, MARGIN, Inches(3), CONTENT_W, Inches(1), [("所选范围内的数据不足以归纳要点。", 18, False, GREY)],
                  align=PP_ALIGN.CENTER)
            return
        marks = {"good": ("▲", GREEN), "bad": ("▼", RED), "neutral": ("●", GREY)}
        box = slide.shapes.add_textbox(MARGIN, Inches(1.6), CONTENT_W, Inches(5))
        frame = box.text_frame
        frame.word_wrap = True
        for i, point in enumerate(points):
            paragraph = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
            paragraph.space_after = Pt(14)
            mark, color = marks.get(point.tone, marks["neutral"])
            for text, size, col in ((mark + "  ", 18, color), (point.text, 20, DARK)):
                run = paragraph.add_run()
                _font(run, size, False, col)
                run.text = xml_safe(text)

    def data(self) -> bytes:
        out = io.BytesIO()
        self.prs.save(out)
        return out.getvalue()


def deck_content(indicators: Indicators, f: Filter, full_names: bool,
                 todo: list | None = None) -> tuple[list[PageView], list[Highlight]]:
    """What the deck shows: every page's view (names and 工号 masked unless full_names) and 本月要点,
    from one set of indicators, so each (indicator, filter) is computed once for the whole deck.
    Masked means also the roster's names and 工号 inside free text (lib.present.people)."""
    text = None if full_names else people_masker(indicators.store)

    def get(name: str, flt: Filter):
        result = indicators.get(name, flt)
        return result if full_names else mask_result(result, text=text)

    if todo is not None:  # 待办督办 items, masked like the pages
        todo.append(get("todo", f).items)
    # 本月要点 cite 队 and 班组, never a person: they read the indicators unmasked, as on 总览.
    return [make(get, f) for make in VIEWS.values()], highlights(indicators.get, f)


def build_deck(indicators: Indicators, f: Filter, full_names: bool = False,
               progress: Progress | None = None) -> DeckResult:
    """The deck for filter `f` (names and 工号 masked unless full_names). Needs a browser (lib.present.render)."""
    todo: list = []
    views, points = deck_content(indicators, f, full_names, todo)
    total = sum(len(s.charts) for v in views if not v.empty for s in v.sections if not s.empty)
    builder = _Builder(f, total, progress)
    data_month = views[0].scope_month
    builder.title_slide(data_month, masked=not full_names)
    builder.step("已生成封面")
    builder.highlights_slide(points, data_month)
    builder.step("已生成本月要点")
    for view in views:
        builder.page(view)
    for unit in units_of(todo[0]):  # one 待办 slide per 队
        builder.todo_slide(unit, todo[0][todo[0]["unit"] == unit])
    return DeckResult(builder.data(), len(builder.prs.slides), builder.charts, full_names)


def export_deck(indicators: Indicators, user: User, f: Filter, meeting: bool = False, full_names_wanted: bool = False,
                progress: Progress | None = None) -> DeckResult:
    """build_deck for a user: they must be allowed to export; full names only where their role allows;
    the export log records who took which deck."""
    require(user, EXPORT, action="导出汇报材料")
    full = names_in_full(user, meeting, full_names_wanted)
    result = build_deck(indicators, f, full_names=full, progress=progress)
    log_export(indicators.store, user, "汇报材料（PPTX）",
               f"{scope_text(f)} · {result.slides} 页 · {'完整姓名' if full else '姓名已打码'}")
    return result


def file_name(f: Filter) -> str:
    who = "、".join(f.units) if f.units else "全矿"
    period = f.start.strftime("%Y%m") + ("" if f.start == f.end else "-" + f.end.strftime("%Y%m"))
    return f"班组党建汇报_{who}_{period}.pptx"


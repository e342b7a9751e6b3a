"""班组画像 as files: the one-screen PNG (1920×1080) and a one-slide 16:9 PPTX of it, for a team or a
whole 队 (its teams side by side). Downloads as a person makes them, like every export
(lib.present.exports): the role must allow exporting, names and 工号 masked unless allowed, the
export logged before the bytes leave. No Streamlit here.
"""
from __future__ import annotations

import io

from pptx import Presentation
from pptx.util import Inches

from lib.access.auth import EXPORT, User, require
from lib.access.export import names_in_full
from lib.access.masking import mask_result
from lib.metrics.query import Filter
from lib.metrics.registry import Getter, Indicators
from lib.present import render
from lib.present.deck import MARGIN, SLIDE_H, SLIDE_W, _kpi_cards, _page_frame
from lib.present.people import people_masker
from lib.present.team_profile_view import (
    CANVAS,
    TeamProfile,
    UnitProfile,
    team_figure,
    team_profile,
    unit_figure,
    unit_profile,
)
from lib.present.view_parts import team_label
from lib.store.logs import log_export

PNG_MIME = "image/png"
PPTX_MIME = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
CROP_TOP = 0.2   # the canvas's title and cards (team_profile_view._frame_figure): above 20 % of its height


def getter(indicators: Indicators, full_names: bool) -> Getter:
    """The indicators as the file may show them: names and 工号 masked unless full_names (also
    inside free text, as the deck does)."""
    if full_names:
        return indicators.get
    text = people_masker(indicators.store)
    return lambda name, f: mask_result(indicators.get(name, f), text=text)


def profile(get: Getter, f: Filter, unit: str, team: str | None) -> TeamProfile | UnitProfile:
    """A team's profile, or with no team the 队's teams side by side."""
    return team_profile(get, f, unit, team) if team else unit_profile(get, f, unit)


def figure(shown: TeamProfile | UnitProfile):
    return team_figure(shown) if isinstance(shown, TeamProfile) else unit_figure(shown)


def png_bytes(shown: TeamProfile | UnitProfile) -> bytes:
    """The profile's screen as a 1920×1080 PNG (rendered on the server, lib.present.render)."""
    return render.png(figure(shown), CANVAS, scale=1)


def pptx_bytes(shown: TeamProfile | UnitProfile) -> bytes:
    """One 16:9 slide in the deck's look: title, scope line, the KPI cards, then the profile's tables
    (the canvas below its cards, as a picture)."""
    prs = Presentation()
    prs.slide_width, prs.slide_height = SLIDE_W, SLIDE_H
    slide = prs.slides.add_slide(prs.slide_layouts[6])
    _page_frame(slide, shown.title, shown.subtitle, "姓名、工号按导出权限打码；口径见“指标口径”页。")
    top, card_h = Inches(1.3), Inches(1.0)
    _kpi_cards(slide, shown.cards(), top, card_h)
    # The canvas without its own title and cards (the slide has them): its top CROP_TOP cut off.
    body = top + card_h + Inches(0.1)
    height = Inches(6.8) - body
    width = int(height * CANVAS[0] / (CANVAS[1] * (1 - CROP_TOP)))
    width = min(width, SLIDE_W - 2 * MARGIN)
    left = int((SLIDE_W - width) / 2)
    picture = slide.shapes.add_picture(io.BytesIO(png_bytes(shown)), left, body, width=width, height=height)
    picture.crop_top = CROP_TOP
    return _save(prs)


def _save(prs) -> bytes:
    out = io.BytesIO()
    prs.save(out)
    return out.getvalue()


def file_name(f: Filter, unit: str, team: str | None, ext: str) -> str:
    who = f"{unit}_{team}" if team else unit
    return f"班组画像_{who}_{f.end:%Y%m}.{ext}"


def export_profile(indicators: Indicators, user: User, f: Filter, unit: str, team: str | None, kind: str,
                   meeting: bool = False, full_names_wanted: bool = False) -> bytes:
    """The profile as `kind` ('png' or 'pptx') for `user`: export right checked, names masked unless
    allowed, the export logged first."""
    require(user, EXPORT, action="导出班组画像")
    full = names_in_full(user, meeting, full_names_wanted)
    shown = profile(getter(indicators, full), f, unit, team)
    data = png_bytes(shown) if kind == "png" else pptx_bytes(shown)
    who = team_label((unit, team)) if team else f"{unit}（各班组）"
    log_export(indicators.store, user, f"班组画像（{'图片' if kind == 'png' else 'PPTX'}）：{who}",
               f"{shown.subtitle} · {'完整姓名' if full else '姓名已打码'}")
    return data

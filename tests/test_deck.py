"""汇报材料: the PPTX deck from the demo data, built for real (charts rendered by Chromium), then
opened with python-pptx; the CLI `report` command; chart PNGs; what happens without a browser."""
import datetime as dt
import io
import json
import os
import re

import duckdb
import pytest
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE
from pptx.oxml.ns import qn
from pptx.util import Inches

from lib import cli
from lib.access.auth import PermissionDenied, User
from lib.metrics.query import Filter
from lib.metrics.registry import Indicators
from lib.metrics.scope import default_filter
from lib.present import deck, exports as export, render
from lib.present.page_views import VIEWS
from lib.store.database import Store
from tests.users import ADMIN_USER, VIEWER_USER

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"

if render.browser_path() is None:
    if os.environ.get("CI"):
        raise RuntimeError("CI 必须安装 chromium（.ci/run 会安装）")
    pytest.skip("未安装 Chromium，跳过需要在服务器上画图的测试", allow_module_level=True)


class FigureSpy:
    """Passes every chart on to the real renderer and keeps its JSON (to look for names in it)."""

    def __init__(self, monkeypatch):
        self.figures: list[str] = []
        real = render.png

        def spy(fig, size=render.HALF, scale=render.SCALE):
            self.figures.append(json.dumps(json.loads(fig.to_json()), ensure_ascii=False))
            return real(fig, size, scale)

        monkeypatch.setattr(render, "png", spy)


def _slide_text(slide) -> str:
    return "\n".join(shape.text_frame.text for shape in slide.shapes if shape.has_text_frame)


def _all_text(prs) -> str:
    return "\n".join(_slide_text(slide) for slide in prs.slides)


def _full_names(cursor) -> set[str]:
    """Every person's name in the demo data that masking must hide (two characters or more).

    Teams named after a model worker (冯磊开拓班) keep that name: it is the team's, not personal data.
    """
    rows = cursor.execute("""SELECT name FROM roster UNION SELECT member_name FROM pairs
                             UNION SELECT worker_name FROM pairs""").fetchall()
    teams = [t for (t,) in cursor.execute("SELECT DISTINCT team FROM roster").fetchall()]
    return {r[0] for r in rows if r[0] and len(r[0]) >= 2 and not any(r[0] in t for t in teams)}


@pytest.fixture(scope="module")
def cli_deck(demo_db, tmp_path_factory):
    """The deck as a scheduled monthly run makes it: `python -m lib.cli report` (names masked)."""
    home = tmp_path_factory.mktemp("deck")
    db = home / "demo.duckdb"
    db.write_bytes(demo_db.read_bytes())
    out = home / "汇报.pptx"
    mp = pytest.MonkeyPatch()
    spy = FigureSpy(mp)
    try:
        code = cli.main(["report", "--db", str(db), "--out", str(out), "--user", "李书记", "--quiet"])
    finally:
        mp.undo()
    assert code == 0
    return {"db": db, "out": out, "prs": Presentation(str(out)), "figures": spy.figures}


def _chart_count(views) -> int:
    return sum(len(s.charts) for v in views if not v.empty for s in v.sections if not s.empty)


def _expected_views(db, f=None):
    store = Store(db)
    try:
        f = f or default_filter(store)
        return f, deck.deck_content(Indicators(store), f, full_names=False)[0]
    finally:
        store.close()


def test_deck_is_16_9_with_title_highlights_and_every_page(cli_deck):
    prs = cli_deck["prs"]
    assert abs(prs.slide_width / prs.slide_height - 16 / 9) < 0.01
    f, views = _expected_views(cli_deck["db"])
    titles = [next((s.text_frame.text for s in slide.shapes if s.has_text_frame and s.text_frame.text.strip()), "")
              for slide in prs.slides]
    assert "工作汇报" in titles[0]
    first_slide = _slide_text(prs.slides[0])
    assert "全矿" in first_slide and "数据截至2023年12月" in first_slide and "已打码" in first_slide
    assert titles[1] == "本月要点"
    page_titles = [t for t in titles[2:] if not t.endswith("（图表）") and not t.startswith("待办督办 · ")]  # + one per 队
    assert page_titles == [v.title for v in views], "one opening slide per dashboard page, in its order"


def test_every_chart_is_a_picture_and_chart_slides_hold_one(cli_deck):
    prs = cli_deck["prs"]
    _, views = _expected_views(cli_deck["db"])
    expected = _chart_count(views)
    pictures = [shape for slide in prs.slides for shape in slide.shapes if shape.shape_type == MSO_SHAPE_TYPE.PICTURE]
    assert len(pictures) == expected == len(cli_deck["figures"])
    for slide in prs.slides:
        title = next(s.text_frame.text for s in slide.shapes if s.has_text_frame)
        if title.endswith("（图表）"):
            assert any(s.shape_type == MSO_SHAPE_TYPE.PICTURE for s in slide.shapes), title
    for picture in pictures:
        blob = picture.image.blob
        assert blob.startswith(PNG_SIGNATURE)
        width_px = int.from_bytes(blob[16:20], "big")
        box_px = picture.width / Inches(1) * deck.PIXELS_PER_INCH
        assert width_px == pytest.approx(2 * box_px, abs=4), "rendered at 2× the size it is shown"


def test_every_page_slide_carries_its_definitions_as_footnote(cli_deck):
    prs = cli_deck["prs"]
    _, views = _expected_views(cli_deck["db"])
    text = _all_text(prs)
    for view in views:
        if view.footnote:
            assert view.footnote in text, view.title


def test_chinese_text_uses_an_east_asian_font(cli_deck):
    runs = [r for slide in cli_deck["prs"].slides for shape in slide.shapes if shape.has_text_frame
            for p in shape.text_frame.paragraphs for r in p.runs if r.text.strip()]
    assert runs
    for run in runs:
        ea = run._r.find(qn("a:rPr")).find(qn("a:ea"))
        assert ea is not None and ea.get("typeface") == deck.FONT


def test_no_full_name_in_the_masked_deck(cli_deck):
    with duckdb.connect(str(cli_deck["db"]), read_only=True) as con:
        names = _full_names(con)
    assert len(names) > 100
    text = _all_text(cli_deck["prs"]) + "\n".join(cli_deck["figures"])
    leaked = sorted(n for n in names if n in text)
    assert not leaked, leaked[:5]
    assert any("*" in fig for fig in cli_deck["figures"]), "the rank chart shows masked names"


def test_cli_report_is_logged_with_its_user(cli_deck):
    con = duckdb.connect(str(cli_deck["db"]), read_only=True)
    try:
        rows = con.execute("SELECT user_name, what, detail FROM export_log").fetchall()
    finally:
        con.close()
    assert len(rows) == 1
    user, what, detail = rows[0]
    assert user.startswith("李书记") and what == "汇报材料（PPTX）" and "姓名已打码" in detail


def test_full_names_only_for_an_admin_who_asks(demo_copy, monkeypatch):
    store = Store(demo_copy)
    base = default_filter(store)
    f = Filter(("综采队",), (), base.start, base.end)
    spy = FigureSpy(monkeypatch)
    result = deck.export_deck(Indicators(store), ADMIN_USER, f, full_names_wanted=True)
    assert result.names_in_full
    names = _full_names(store.cursor())
    assert any(n in fig for fig in spy.figures for n in names), "the admin's deck names people in full"
    prs = Presentation(io.BytesIO(result.data))
    assert "已打码" not in _slide_text(prs.slides[0])
    assert "综采队" in _all_text(prs)

    viewer = deck.export_deck(Indicators(store), VIEWER_USER, f, full_names_wanted=True)
    assert not viewer.names_in_full, "a viewer never gets full names, even when asking"
    meeting = deck.export_deck(Indicators(store), ADMIN_USER, f, meeting=True, full_names_wanted=True)
    assert not meeting.names_in_full, "会议模式 always masks"
    log = store.query("SELECT user_name, detail FROM export_log ORDER BY exported_at")
    assert list(log["user_name"]) == [ADMIN_USER.name, VIEWER_USER.name, ADMIN_USER.name]
    assert "完整姓名" in log["detail"].iloc[0] and "姓名已打码" in log["detail"].iloc[1]
    store.close()


def test_a_user_without_export_rights_gets_nothing(demo_copy, monkeypatch):
    store = Store(demo_copy)
    monkeypatch.setattr(User, "can_export", property(lambda self: False))
    with pytest.raises(PermissionDenied):
        deck.export_deck(Indicators(store), VIEWER_USER, default_filter(store))
    assert store.query("SELECT count(*) AS n FROM export_log")["n"].iloc[0] == 0
    store.close()


def test_report_cli_bad_range_and_empty_scope(demo_copy, tmp_path, capsys):
    out = tmp_path / "x.pptx"
    assert cli.main(["report", "--db", str(demo_copy), "--out", str(out), "--from", "2024-05", "--to", "2023-01"]) == 2
    assert "起始月份晚于结束月份" in capsys.readouterr().err
    assert not out.exists()
    # A range before any data: still a deck (title, 本月要点, each page saying what is missing), no failure.
    assert cli.main(["report", "--db", str(demo_copy), "--out", str(out), "--from", "2010-01", "--to", "2010-12",
                     "--quiet"]) == 0
    prs = Presentation(str(out))
    text = _all_text(prs)
    assert "所选范围内还没有人员名册" in text and "所选范围内未报送《比学争优》得分" in text
    # Only what does not depend on the months (理念口号 are the latest list of each 队) still has a chart.
    _, views = _expected_views(demo_copy, Filter((), (), dt.date(2010, 1, 1), dt.date(2010, 12, 1)))
    pictures = [s for slide in prs.slides for s in slide.shapes if s.shape_type == MSO_SHAPE_TYPE.PICTURE]
    assert len(pictures) == _chart_count(views) <= 1


def test_single_chart_png_is_2x_and_logged(demo_copy):
    store = Store(demo_copy)
    f = default_filter(store)
    view = VIEWS["coverage"](Indicators(store).get, f)
    chart = view.section("summary").charts[0]
    data = export.export_chart_png(store, VIEWER_USER, chart.figure, chart.name, "全矿", wide=chart.wide)
    assert data.startswith(PNG_SIGNATURE)
    assert int.from_bytes(data[16:20], "big") == 2 * render.WIDE[0]
    assert int.from_bytes(data[20:24], "big") == 2 * render.WIDE[1]
    log = store.query("SELECT user_name, what FROM export_log")
    assert list(log["what"]) == [f"图表图片：{chart.name}"] and list(log["user_name"]) == [VIEWER_USER.name]
    store.close()


def test_without_a_browser_the_renderer_says_what_to_install(monkeypatch):
    render.stop()  # the next chart would start a browser: there is none now
    monkeypatch.setattr(render, "browser_path", lambda: None)
    assert render.problem() == render.INSTALL_HINT and "apt-get install chromium" in render.INSTALL_HINT
    import plotly.graph_objects as go

    with pytest.raises(render.RendererUnavailable) as caught:
        render.png(go.Figure())
    assert caught.value.message == render.INSTALL_HINT


def test_deck_of_the_first_real_month_says_not_reported(tmp_path):
    """Only a 人员名册 imported: the deck's 总览 and 本月要点 say 未报送 and what to upload, never 0 %."""
    from lib.store.importer import IMPORTED, import_file
    from tests.workbooks import roster, xlsx_bytes

    store = Store(tmp_path / "first.duckdb")
    try:
        result = import_file(store, xlsx_bytes({"人员名册": roster("2024-06", n=9)}), "综采队_2024年6月.xlsx",
                             ADMIN_USER)
        assert result.status == IMPORTED
        june = dt.date(2024, 6, 1)
        prs = Presentation(io.BytesIO(deck.build_deck(Indicators(store), Filter(start=june, end=june)).data))
    finally:
        store.close()
    texts = [_slide_text(slide).strip() for slide in prs.slides]
    points = next(t for t in texts if t.startswith("本月要点"))
    zero = re.compile(r"(?<![\d.])0(\.0%| 次| 条)")   # 0.0%, 0 次, 0 条 — not 100.0%
    assert "本期未报送《发展党员》《包保对子》《谈心记录》" in points and not zero.search(points)
    overview = next(t for t in texts if t.startswith("班组党建总览"))
    for card in ("包保职工覆盖率\n未报送\n请上传《包保对子》", "谈心次数\n未报送\n请上传《谈心记录》",
                 "有管理委员会的班组\n未报送\n请上传《管理委员会》", "理念口号\n未报送\n请上传《理念口号》"):
        assert card in overview, card
    assert not zero.search(overview), zero.search(overview)

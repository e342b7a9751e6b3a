"""班组画像 in a real browser at 1920×1080: the whole profile of a busy demo team fits one screen
(nothing to scroll), screenshot kept under test-artifacts/."""
import shutil
from urllib.parse import urlencode

from lib.metrics.registry import Indicators
from lib.metrics.scope import default_filter
from lib.store.database import Store
from tests.test_browser import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, _serve, _wait_idle

from playwright.sync_api import expect, sync_playwright  # noqa: E402  (test_browser skips without Chromium)

# The heights that would need scrolling: the page, and Streamlit's own scrolling main area.
HEIGHTS = """() => [document.documentElement.scrollHeight, document.body.scrollHeight,
  ...[...document.querySelectorAll('[data-testid="stMain"], [data-testid="stAppScrollToBottomContainer"]')]
     .map(e => e.scrollHeight)]"""


def _busiest_team(db, folder) -> tuple[str, str]:
    """The demo team with the most pairs among those with scores and open problems or 待办 items
    (read from a copy: the session's demo file may be open in this process with other settings)."""
    copy = folder / "busiest.duckdb"
    shutil.copy(db, copy)
    store = Store(copy)
    try:
        get, f = Indicators(store).get, default_filter(store)
        pairs = get("pair_talks", f).pairs.groupby(["worker_unit", "worker_team"]).size()
        scored = set(map(tuple, get("score_trend", f).ranks[["unit", "team"]].values))
        todo = set(map(tuple, get("todo", f).items[["unit", "team"]].values))
        return max((k for k in pairs.index if k in scored and k in todo), key=lambda k: pairs[k])
    finally:
        store.close()


def test_a_team_profile_fits_one_1920x1080_screen(demo_db, tmp_path):
    ARTIFACTS.mkdir(exist_ok=True)
    unit, team = _busiest_team(demo_db, tmp_path)
    with _serve(demo_db, tmp_path) as url, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        pg = browser.new_page(viewport={"width": 1920, "height": 1080}, locale="zh-CN")
        pg.goto(f"{url}/team-profile?{urlencode({'unit': unit, 'team': f'{unit}·{team}'})}")
        _wait_idle(pg)
        expect(pg.get_by_role("heading", name=f"班组画像 · {unit}·{team}")).to_be_visible(timeout=60000)
        for heading in ("基本情况", "包保对子与最近谈心", "待办事项"):
            expect(pg.get_by_text(heading).first).to_be_visible()
        _wait_idle(pg)
        pg.wait_for_timeout(800)
        pg.screenshot(path=str(ARTIFACTS / "team-profile-1920x1080.png"))
        heights = pg.evaluate(HEIGHTS)
        assert pg.locator('[data-testid="stException"]').count() == 0
        browser.close()
    assert max(heights) <= 1080, heights

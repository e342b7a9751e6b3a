"""Issue #13: every page in a real browser speaks Chinese, loads nothing from the internet, cuts no
text (at 1366×768, the smallest screen in use), and /overview opens 总览 without a popup; in 会议模式
every screen of every page fits 1920×1080, is reached with the → key, and cuts nothing at 1920 or
1366 wide either. One server and one browser for the whole file; screenshots in test-artifacts/."""
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.test_browser import (
    ARTIFACTS,
    CHROMIUM,
    CHROMIUM_ARGS,
    ROOT,
    _serve,
    _wait_idle,
    create_first_admin_and_sign_in,
)

from playwright.sync_api import expect, sync_playwright  # noqa: E402  (test_browser skips without Chromium)


def _page_paths() -> list[str]:
    """Every st.Page of dashboard.py by its URL path ("" for the default page, which lives at /)."""
    source = (ROOT / "dashboard.py").read_text(encoding="utf-8")
    paths = []
    for call in re.findall(r"st\.Page\(([^)]*)\)", source):
        path = re.search(r'url_path="([^"]*)"', call).group(1)
        paths.append("" if "default=True" in call else path)
    assert "" in paths and "overview" in paths and len(paths) >= 12, paths
    return paths


PATHS = _page_paths()
# Text cut by its box (an ellipsis, hidden overflow) or an input value wider than its field.
CLIPPED = (Path(__file__).parent / "clipped_text.js").read_text(encoding="utf-8")
SCROLL_HEIGHT = ("() => Math.max(...[...document.querySelectorAll('[data-testid=\"stMain\"], section')]"
                 ".map(e => e.scrollHeight), document.documentElement.scrollHeight)")

# Latin words a user may see: file formats, units, product names the users know by these names.
ALLOWED = {"XLSX", "XLSM", "XLS", "ET", "CSV", "PPTX", "PNG", "PDF", "MB", "KB", "GB", "Excel", "WPS"}
# A file the administrator is told to edit (ui/signin.py, 演示模式 note): a path, not a word.
ALLOWED_TEXT = [".streamlit/secrets.toml.example",
                # 报表说明: a 季度 may be typed as 2024Q2 (会议模式 shows the sheets' requirements too).
                "2024Q2"]

# What the user sees: text of visible elements (not icon ligatures, not text set to size 0, not the
# data in a table's cells), the
# native tooltips (title), Plotly's toolbar tooltips (drawn by CSS from data-title: the ::after
# content), placeholders of empty inputs, and the labels the table toolbar shows on hover.
FIND_TEXTS = """() => {
  const out = [];
  const vis = e => e && e.checkVisibility({checkOpacity: true, checkVisibilityCSS: true})
                   && e.getClientRects().length > 0;
  const icon = e => { for (let x = e; x && x !== document.body; x = x.parentElement)
      if ((getComputedStyle(x).fontFamily || '').includes('Material')) return true; return false; };
  const where = e => e.tagName.toLowerCase()
      + (e.getAttribute('data-testid') ? '[' + e.getAttribute('data-testid') + ']' : '');
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const t = n.data.trim(), e = n.parentElement;
    if (!/[A-Za-z]/.test(t) || !vis(e) || e.closest('script, style, noscript') || icon(e)) continue;
    if (e.closest('[data-testid="stTable"] td')) continue;  // a cell holds data from a workbook (an id like WMS2023-047)
    if (parseFloat(getComputedStyle(e).fontSize) === 0) continue;
    const box = e.getBoundingClientRect();
    if (box.width <= 1 || box.height <= 1) continue;  // screen-reader-only live regions
    out.push(['text', t, where(e)]);
  }
  for (const e of document.querySelectorAll('[title]'))
    if (vis(e)) out.push(['title', e.getAttribute('title'), where(e)]);
  for (const e of document.querySelectorAll('.modebar-btn[data-title]'))
    if (e.checkVisibility()) {
      const shown = getComputedStyle(e, '::after').content;
      out.push(['tooltip', shown && shown !== 'none' ? shown.replace(/^"|"$/g, '') : e.getAttribute('data-title'), where(e)]);
    }
  for (const e of document.querySelectorAll('input[placeholder]'))
    if (vis(e) && !e.value) out.push(['placeholder', e.getAttribute('placeholder'), where(e)]);
  for (const e of document.querySelectorAll('[data-testid="stBaseButton-elementToolbar"], [data-testid="stTextInputRootElement"] button'))
    if (vis(e)) out.push(['hover label', e.getAttribute('aria-label') || '', where(e)]);
  for (const e of document.querySelectorAll('[role="listbox"]'))
    if (vis(e)) { const shown = getComputedStyle(e, '::after').content;
                  if (shown && shown !== 'none') out.push(['empty list', shown, where(e)]); }
  out.push(['tab title', document.title, 'title']);
  return out;
}"""


def _english(found: list) -> list:
    bad = []
    for kind, text, where in found:
        rest = text
        for allowed in ALLOWED_TEXT:
            rest = rest.replace(allowed, "")
        words = [w for w in re.findall(r"[A-Za-z]+", rest) if w not in ALLOWED and w.upper() not in ALLOWED]
        if words:
            bad.append((kind, text[:120], where, words))
    return bad


@pytest.fixture(scope="module")
def app(demo_db, tmp_path_factory):
    """The demo-mode app (no accounts: no sign-in), one Chromium, every request's host recorded."""
    ARTIFACTS.mkdir(exist_ok=True)
    with _serve(demo_db, tmp_path_factory.mktemp("chinese")) as url, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1366, "height": 768}, locale="zh-CN")
        requests: list[str] = []
        context.on("request", lambda r: requests.append(r.url))
        pg = context.new_page()
        yield url, pg, requests
        browser.close()


def _open(pg, url: str) -> None:
    pg.goto(url)
    _wait_idle(pg)
    pg.wait_for_selector('[data-testid="stMain"] h1', timeout=60000)
    _wait_idle(pg)
    pg.wait_for_timeout(700)  # charts draw after the run


def _foreign(requests: list[str], url: str) -> list[str]:
    host = urlsplit(url).netloc
    return [r for r in requests if urlsplit(r).scheme not in ("data", "blob") and urlsplit(r).netloc != host]


@pytest.mark.parametrize("path", PATHS, ids=lambda p: p or "root")
def test_every_page_is_chinese_and_offline(app, path):
    url, pg, requests = app
    requests.clear()
    _open(pg, f"{url}/{path}")
    # Hover the first chart: its toolbar (Plotly modebar) shows, and is checked as shown.
    if pg.locator(".js-plotly-plot:visible").count():  # (a chart in a closed tab is not shown)
        pg.locator(".js-plotly-plot:visible").first.hover(timeout=5000)
        pg.wait_for_timeout(200)
    # Hover the first table: its toolbar (English tooltips) must not appear.
    if pg.locator('[data-testid="stDataFrame"]').count():
        pg.locator('[data-testid="stDataFrame"]').first.hover(timeout=5000, force=True)
        pg.wait_for_timeout(200)
        assert pg.locator('[data-testid="stBaseButton-elementToolbar"]:visible').count() == 0
    pg.screenshot(path=str(ARTIFACTS / f"chinese-{path or 'root'}.png"), full_page=True)
    found = pg.evaluate(FIND_TEXTS)
    assert any(kind == "text" for kind, *_ in found) or path == "", "nothing read from the page"
    assert not _english(found), _english(found)
    assert pg.get_by_text("Page not found").count() == 0
    assert pg.locator('[data-testid="stException"]').count() == 0
    assert not _foreign(requests, url), _foreign(requests, url)
    assert not pg.evaluate(CLIPPED), pg.evaluate(CLIPPED)


def _where(pg) -> str:
    """会议模式's navigation text, 第 2 / 4 屏 · …, or "" on a page of one screen."""
    nav = pg.locator(".st-key-meeting-screens [data-testid='stMarkdown']")
    return nav.first.inner_text() if nav.count() else ""


@pytest.mark.parametrize("path", [p for p in PATHS if p != "overview"], ids=lambda p: p or "root")
def test_meeting_mode_every_screen_fits_1920x1080_in_chinese(app, path):
    url, pg, requests = app
    requests.clear()
    pg.set_viewport_size({"width": 1920, "height": 1080})
    try:
        _open(pg, f"{url}/{path}?mode=meeting")
        where = _where(pg)
        count = int(re.search(r"/ (\d+) 屏", where).group(1)) if where else 1
        for screen in range(1, count + 1):
            name = f"meeting-{path or 'root'}-{screen}"
            if screen > 1:
                pg.evaluate("() => document.activeElement && document.activeElement.blur()")  # no field takes →
                pg.keyboard.press("ArrowRight")  # 下一屏's shortcut
                expect(pg.locator(".st-key-meeting-screens [data-testid='stMarkdown']").first
                       ).to_contain_text(f"第 {screen} / {count} 屏", timeout=30000)
                _wait_idle(pg)
                pg.wait_for_timeout(500)
            assert f"screen={screen}" in pg.url or count == 1
            pg.screenshot(path=str(ARTIFACTS / f"{name}.png"))
            height = pg.evaluate(SCROLL_HEIGHT)
            assert height <= 1080, f"{name} needs {height} px: a screen must fit 1080"
            assert not _english(pg.evaluate(FIND_TEXTS)), (name, _english(pg.evaluate(FIND_TEXTS)))
            assert not pg.evaluate(CLIPPED), (name, pg.evaluate(CLIPPED))
            assert pg.locator('[data-testid="stException"]').count() == 0
        pg.set_viewport_size({"width": 1366, "height": 768})  # the last screen on a smaller projector
        pg.wait_for_timeout(700)
        assert not pg.evaluate(CLIPPED), (path, "1366", pg.evaluate(CLIPPED))
        assert not _foreign(requests, url), _foreign(requests, url)
    finally:
        pg.set_viewport_size({"width": 1366, "height": 768})


def test_a_prepared_link_opens_its_screen(app):
    url, pg, requests = app
    pg.set_viewport_size({"width": 1920, "height": 1080})
    try:
        _open(pg, f"{url}/coverage?mode=meeting&screen=3")
        assert _where(pg).startswith("第 3 / 4 屏")
        pg.get_by_role("button", name="上一屏").click()
        expect(pg.locator(".st-key-meeting-screens [data-testid='stMarkdown']").first
               ).to_contain_text("第 2 / 4 屏", timeout=30000)
        pg.wait_for_function("() => location.search.includes('screen=2')", timeout=30000)
    finally:
        pg.set_viewport_size({"width": 1366, "height": 768})


def test_overview_link_opens_the_overview_without_a_popup(app):
    url, pg, requests = app
    _open(pg, url)
    heading = pg.locator('[data-testid="stMain"] h1').first.inner_text()
    _open(pg, f"{url}/overview")
    pg.wait_for_timeout(500)
    assert pg.get_by_text("Page not found").count() == 0
    assert pg.locator('[role="dialog"]').count() == 0
    assert pg.locator('[data-testid="stMain"] h1').first.inner_text() == heading
    assert urlsplit(pg.url).path == "/overview"


def test_empty_filter_result_says_so_in_chinese(app):
    url, pg, requests = app
    _open(pg, f"{url}/coverage")
    pg.locator('[data-testid="stSidebar"] [data-testid="stMultiSelect"] input').first.click()
    pg.keyboard.type("zzzz")
    pg.wait_for_timeout(500)
    found = pg.evaluate(FIND_TEXTS)
    assert ("empty list" in {kind for kind, *_ in found}), found
    assert any("没有匹配的选项" in text for kind, text, _ in found if kind == "empty list")
    assert not _english(found), _english(found)
    pg.keyboard.press("Escape")


def test_uploader_and_password_fields_are_chinese(app):
    """Last in this file: creating the 管理员 ends 演示模式's open access for the pages above."""
    url, pg, requests = app
    requests.clear()
    _open(pg, f"{url}/upload")

    def no_english_on_the_filled_form(page):
        found = page.evaluate(FIND_TEXTS)
        assert not _english(found), _english(found)  # no Show password button

    create_first_admin_and_sign_in(pg, no_english_on_the_filled_form)
    dropzone = pg.locator('[data-testid="stFileUploaderDropzone"]').first
    expect(dropzone).to_be_visible(timeout=30000)
    shown = dropzone.evaluate("""e => [
        getComputedStyle(e.querySelector('button [data-testid="stMarkdownContainer"]'), '::after').content,
        getComputedStyle(e.querySelector('[data-testid="stFileUploaderDropzoneInstructions"] > div'), '::after').content]""")
    assert "选择文件" in shown[0] and "MB" in shown[1], shown
    found = pg.evaluate(FIND_TEXTS)
    assert not _english(found), _english(found)
    dropzone.screenshot(path=str(ARTIFACTS / "chinese-uploader.png"))
    assert not _foreign(requests, url), _foreign(requests, url)

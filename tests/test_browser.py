"""The real app in a real browser: Streamlit served on 127.0.0.1, driven by Playwright on Debian's Chromium."""
import contextlib
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.workbooks import roster, xlsx_bytes

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run"]
ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "test-artifacts"

if not Path(CHROMIUM).exists():
    if os.environ.get("CI"):
        raise RuntimeError("CI 必须安装 chromium（.ci/run 会安装）")
    pytest.skip("未安装 /usr/bin/chromium（apt-get install chromium fonts-noto-cjk），跳过浏览器测试",
                allow_module_level=True)

from playwright.sync_api import expect, sync_playwright  # noqa: E402


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def _serve(demo_db, home: Path):
    """The app as start.sh serves it (serve.py), on a free port, over a copy of the demo data."""
    shutil.copy(demo_db, home / "demo.duckdb")
    port = _free_port()
    # Accounts from the test's own secrets file, never the project's .streamlit/secrets.toml.
    secrets = str(home / "secrets.toml")
    env = {**os.environ, "DANGJIAN_DB": str(home / "dangjian.duckdb"), "DANGJIAN_SECRETS": secrets,
           "STREAMLIT_SECRETS_FILES": secrets}
    log = open(home / "streamlit.log", "w")
    proc = subprocess.Popen(
        [sys.executable, "serve.py", "--server.headless", "true", "--server.address", "127.0.0.1",
         "--server.port", str(port), "--browser.gatherUsageStats", "false"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            if urllib.request.urlopen(f"{url}/_stcore/health", timeout=2).read() == b"ok":
                break
        except OSError:
            time.sleep(0.3)
    else:
        proc.kill()
        raise RuntimeError("Streamlit 未能启动：" + (home / "streamlit.log").read_text())
    try:
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=20)
        log.close()


@pytest.fixture(scope="module")
def server(demo_db, tmp_path_factory):
    with _serve(demo_db, tmp_path_factory.mktemp("browser")) as url:
        yield url


@pytest.fixture
def page(server, request):
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1600, "height": 1000}, locale="zh-CN")
        context.tracing.start(screenshots=True, snapshots=True)
        pg = context.new_page()
        yield pg
        failed = getattr(request.node, "rep_call", None) is not None and request.node.rep_call.failed
        context.tracing.stop(path=str(ARTIFACTS / f"{request.node.name}-trace.zip") if failed else None)
        browser.close()


def _wait_idle(pg) -> None:
    """Streamlit shows a running indicator while a script runs; wait until the app is settled."""
    pg.wait_for_selector('[data-testid="stApp"]')
    pg.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=60000)
    pg.wait_for_timeout(300)


def create_first_admin_and_sign_in(page, before_create=None) -> None:
    """On a server with real data and no account: the first-admin form (admin / 王主任), then sign in.
    `before_create(page)` runs once the form is filled."""
    main = page.locator('[data-testid="stMain"]')
    for label, value in (("登录名", "admin"), ("姓名", "王主任"), ("密码", "煤矿党建2024!"),
                         ("再输入一次密码", "煤矿党建2024!")):
        main.locator(f'input[aria-label="{label}"]').fill(value)
    if before_create is not None:
        before_create(page)
    main.get_by_role("button", name="创建管理员账号").click()
    expect(page.get_by_text("已创建管理员账号 admin")).to_be_visible(timeout=60000)
    sidebar = page.locator('[data-testid="stSidebar"]')
    sidebar.locator('input[aria-label="账号"]').fill("admin")
    sidebar.locator('input[aria-label="密码"]').fill("煤矿党建2024!")
    sidebar.get_by_role("button", name="登录").click()
    expect(sidebar.get_by_text("王主任 · 管理员")).to_be_visible(timeout=60000)
    _wait_idle(page)


def _metric(pg, label: str) -> str:
    card = pg.locator('[data-testid="stMetric"]', has_text=label).first
    return card.locator('[data-testid="stMetricValue"]').inner_text()


def _full_screenshot(pg, path: Path) -> None:
    """Streamlit scrolls inside its main element: grow the viewport to the content height first."""
    height = pg.evaluate(
        "() => Math.max(...[...document.querySelectorAll('section, [data-testid=\"stMain\"]')]"
        ".map(e => e.scrollHeight), document.body.scrollHeight)")
    pg.set_viewport_size({"width": 1600, "height": min(int(height) + 50, 12000)})
    pg.wait_for_timeout(500)
    pg.screenshot(path=str(path), full_page=True)


def test_overview_filter_changes_kpis(page, server):
    page.goto(server)
    _wait_idle(page)
    # The four charts of 总览 render one after another.
    page.wait_for_function("() => document.querySelectorAll('.js-plotly-plot .main-svg').length >= 4",
                           timeout=60000)
    members_all = _metric(page, "党员人数")
    page.locator('[data-testid="stSidebar"] [data-testid="stMultiSelect"]').first.click()
    page.keyboard.type("综采队")
    page.keyboard.press("Enter")
    page.keyboard.press("Escape")
    _wait_idle(page)
    expect(page.locator('[data-testid="stCaptionContainer"]').first).to_contain_text("综采队", timeout=30000)
    # The caption and the cards are redrawn one after the other: wait for the card too.
    card = page.locator('[data-testid="stMetric"]', has_text="党员人数").first
    expect(card.locator('[data-testid="stMetricValue"]')).not_to_have_text(members_all, timeout=30000)
    assert "unit=" in page.url
    assert page.locator('[data-testid="stException"]').count() == 0
    _full_screenshot(page, ARTIFACTS / "overview.png")


def test_meeting_mode_overview_fits_one_1920x1080_screen(page, server):
    page.set_viewport_size({"width": 1920, "height": 1080})
    page.goto(f"{server}/?mode=meeting")
    _wait_idle(page)
    page.wait_for_function("() => document.querySelectorAll('.js-plotly-plot .main-svg').length >= 4",
                           timeout=60000)
    page.wait_for_timeout(1000)
    assert not page.locator('[data-testid="stSidebar"]').is_visible(), "会议模式 hides the sidebar"
    assert not page.locator('[data-testid="stHeader"]').is_visible()
    assert page.locator('[data-testid="stException"]').count() == 0
    scroll = page.evaluate("() => Math.max(...[...document.querySelectorAll('[data-testid=\"stMain\"], section')]"
                           ".map(e => e.scrollHeight), document.documentElement.scrollHeight)")
    assert scroll <= 1080, f"总览 needs {scroll} px: it must fit 1080 without scrolling"
    # Everything that matters lies inside the screen: the 12 cards, 本月要点 and all four charts.
    boxes = [page.locator('[data-testid="stMetric"]').nth(i).bounding_box() for i in range(12)]
    boxes += [page.locator(".js-plotly-plot").nth(i).bounding_box() for i in range(4)]
    assert all(b is not None and b["y"] >= 0 and b["y"] + b["height"] <= 1080 and b["x"] + b["width"] <= 1920
               for b in boxes), boxes
    expect(page.get_by_text("本月要点")).to_be_visible()
    expect(page.locator('[data-testid="stCaptionContainer"]').first).to_contain_text("数据截至")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "meeting-overview-1920x1080.png"))


def test_shared_link_reopens_the_same_view(page, server):
    page.goto(f"{server}/coverage?unit=%E7%BB%BC%E9%87%87%E9%98%9F&from=2022-01&to=2022-06")
    _wait_idle(page)
    expect(page.locator('[data-testid="stCaptionContainer"]').first).to_contain_text(
        "综采队 · 2022年1月–2022年6月", timeout=30000)
    assert page.locator('[data-testid="stException"]').count() == 0


def test_upload_a_workbook_and_see_the_summary(page, server, tmp_path):
    workbook = tmp_path / "综采队_2024年6月.xlsx"
    workbook.write_bytes(xlsx_bytes({"人员名册": roster(n=8)}))
    page.goto(f"{server}/upload")
    _wait_idle(page)
    # 演示模式: the first import needs a 管理员 first, created here, then signed in with.
    assert page.locator('input[type="file"]').count() == 0
    create_first_admin_and_sign_in(page)
    page.locator('input[type="file"]').first.set_input_files(str(workbook))
    _wait_idle(page)
    expect(page.get_by_text("将新增 综采队 2024年6月 人员名册").first).to_be_visible(timeout=60000)
    page.get_by_role("button", name="确认导入").click()
    _wait_idle(page)
    expect(page.get_by_text("已导入").first).to_be_visible(timeout=60000)
    assert page.locator('[data-testid="stException"]').count() == 0
    _full_screenshot(page, ARTIFACTS / "upload.png")


def test_a_meeting_link_as_the_first_request_after_a_restart_opens_cleanly(demo_db, tmp_path):
    """No "Page not found" popup when the first visitor of a fresh server follows a link to a page."""
    with _serve(demo_db, tmp_path) as url, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        pg = browser.new_page(viewport={"width": 1920, "height": 1080}, locale="zh-CN")
        pg.goto(f"{url}/pairs?mode=meeting")
        _wait_idle(pg)
        expect(pg.get_by_role("heading", name="包保谈心")).to_be_visible(timeout=30000)
        assert pg.locator('[role="dialog"]').count() == 0, "a popup covers the meeting screen"
        assert pg.get_by_text("Page not found").count() == 0
        browser.close()

"""A unit's hostile workbook in the real app in a real browser (serve.py + Chromium): the pages that
show its 班组, 问题类别 and 问题描述 make no request to another host and carry no link from data."""
import shutil
from urllib.parse import urlparse

import pytest
from playwright.sync_api import expect, sync_playwright

from lib.store.database import Store
from tests.hostile import UNIT, import_hostile
from tests.test_browser import CHROMIUM, CHROMIUM_ARGS, _serve, _wait_idle  # noqa: F401 (skips without chromium)

# The pages where the hostile 班组 names, categories and descriptions appear (filtered to its 队).
PAGES = ("/", "/coverage", "/problems", "/pairs", "/team-building")


@pytest.fixture(scope="module")
def hostile_server(demo_db, tmp_path_factory):
    """演示模式 over a copy of the demo data with the hostile workbook imported into it."""
    work = tmp_path_factory.mktemp("hostile_src")
    source = work / "demo.duckdb"
    shutil.copy(demo_db, source)
    store = Store(source)
    result = import_hostile(store)
    assert result.status == "imported", result.summary
    store.close()
    with _serve(source, tmp_path_factory.mktemp("hostile")) as url:
        yield url


@pytest.mark.parametrize("path", PAGES)
def test_hostile_data_makes_no_request_elsewhere_and_no_link(hostile_server, path):
    own_host = urlparse(hostile_server).netloc
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1600, "height": 1000}, locale="zh-CN")
        elsewhere = []
        page.on("request", lambda r: elsewhere.append(r.url) if urlparse(r.url).netloc not in (own_host, "") and
                not r.url.startswith(("data:", "blob:")) else None)
        page.goto(f"{hostile_server}{path}?unit={UNIT}")
        # The first load after the server starts can take a while on a busy machine: wait for the data.
        expect(page.locator('[data-testid="stMain"]')).to_contain_text(UNIT, timeout=90000)
        _wait_idle(page)
        page.wait_for_timeout(1500)  # charts draw after the run ends
        shown = page.inner_text('[data-testid="stMain"]')
        links = page.eval_on_selector_all("a[href]", "as => as.map(a => a.getAttribute('href'))")
        images = page.eval_on_selector_all("img[src]", "is => is.map(i => i.getAttribute('src'))")
        browser.close()
    assert elsewhere == [], "no request leaves the app's host (none because of uploaded data, none at all)"
    assert not [h for h in links if "evil.example" in h or h.startswith("javascript:")]
    assert not [s for s in images if "evil.example" in s]
    assert UNIT in shown, "the page showed the hostile unit's data when it was checked"

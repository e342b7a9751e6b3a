"""One database, many processes (#12 item 1): the served app and CLI commands share one file.

A real server (serve.py) shows a real database (a copy of the demo data as the real one); from
separate processes, meanwhile, `import`, `metrics --json`, `report` and `backup` run against the
same file. Every command succeeds and the app keeps answering page loads during and after. Two
imports at once both land, one after the other; a command that cannot get the file within
`--wait` says so in Chinese and changes nothing.
"""
from __future__ import annotations

import fcntl
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from playwright.sync_api import expect, sync_playwright

from lib.store.database import Store
from tests.accounts import PASSWORD
from tests.test_browser import CHROMIUM, CHROMIUM_ARGS, _serve
from tests.test_browser_signin import _sign_in
from tests.workbooks import roster, xlsx_bytes

ROOT = Path(__file__).resolve().parent.parent


def cli(*args: str, db: Path) -> subprocess.Popen:
    """A command in its own process; its output goes to files (a pipe nobody reads yet would stall
    a command that prints much, such as metrics --json)."""
    outputs = tempfile.TemporaryFile("w+"), tempfile.TemporaryFile("w+")
    proc = subprocess.Popen([sys.executable, "-m", "lib.cli", *args, "--db", str(db)], cwd=ROOT,
                            stdout=outputs[0], stderr=outputs[1], text=True)
    proc.outputs = outputs
    return proc


def finish(proc: subprocess.Popen, timeout: float = 300) -> tuple[int, str, str]:
    if not hasattr(proc, "outputs"):  # started with pipes
        out, err = proc.communicate(timeout=timeout)
        return proc.returncode, out, err
    proc.wait(timeout=timeout)
    texts = []
    for file in proc.outputs:
        file.seek(0)
        texts.append(file.read())
        file.close()
    return proc.returncode, texts[0], texts[1]


def imports(db: Path) -> list[tuple]:
    store = Store(db)
    try:
        return store.fetchall("SELECT id, file_name, status FROM imports ORDER BY id")
    finally:
        store.close()


def health(url: str) -> tuple[int, dict]:
    try:
        with urllib.request.urlopen(f"{url}/health/store", timeout=30) as answer:
            return answer.status, json.loads(answer.read())
    except urllib.error.HTTPError as answer:
        return answer.code, json.loads(answer.read())


def workbook(folder: Path, name: str, month: str, n: int = 40, start: int = 1) -> Path:
    path = folder / name
    path.write_bytes(xlsx_bytes({"人员名册": roster(month=month, unit="综采队", n=n, start=start)}))
    return path


@pytest.fixture(scope="module")
def served(demo_db, tmp_path_factory):
    """serve.py over a real database holding the demo data (so the app shows that file, not the demo copy)."""
    home = tmp_path_factory.mktemp("many")
    shutil.copy(demo_db, home / "dangjian.duckdb")
    # Real data needs an account (the app shows nothing to nobody then): one 管理员.
    subprocess.run([sys.executable, "-m", "lib.access.auth", "add-user", "--login", "wang", "--name", "王主任",
                    "--password-stdin", "--secrets", str(home / "secrets.toml")], input=PASSWORD + "\n", text=True,
                   cwd=ROOT, check=True, capture_output=True)
    with _serve(demo_db, home) as url:
        yield url, home, home / "dangjian.duckdb"


def load_page(page, url: str) -> None:
    """A full page load that needs the database: 总览's caption names the data's last month."""
    page.goto(f"{url}/")
    main = page.locator('[data-testid="stMain"]')
    expect(page.locator('[data-testid="stCaptionContainer"]').first).to_contain_text("数据截至", timeout=90000)
    assert not page.locator('[data-testid="stException"]').count()
    assert "正被其他程序使用" not in main.inner_text()


def test_cli_commands_run_while_the_app_serves_the_same_database(served, tmp_path):
    url, _, db = served
    new_file = workbook(tmp_path, "综采队_2024年1月.xlsx", "2024-01")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1600, "height": 1000}, locale="zh-CN")
        _sign_in(page, url, "wang", PASSWORD)
        expect(page.locator('[data-testid="stSidebar"]').get_by_text("王主任 · 管理员")).to_be_visible(timeout=60000)
        load_page(page, url)  # the app has the file open now
        commands = {
            "import": cli("import", str(new_file), "--user", "测试", db=db),
            "metrics": cli("metrics", "--json", db=db),
            "report": cli("report", "--out", str(tmp_path / "汇报.pptx"), db=db),
            "backup": cli("backup", str(tmp_path / "备份 2024-01.duckdb"), db=db),
        }
        during = 0
        while any(proc.poll() is None for proc in commands.values()):
            load_page(page, url)
            assert health(url) == (200, {"status": "ok", "demo": False, "message": "数据库正常。"})
            during += 1
        outcomes = {name: finish(proc) for name, proc in commands.items()}
        load_page(page, url)
        browser.close()
    for name, (code, out, err) in outcomes.items():
        assert code == 0, (name, out, err)
    assert during >= 1, "the page was loaded while the commands ran"
    assert "已导入" in outcomes["import"][1]
    figures = json.loads(outcomes["metrics"][1])
    assert figures and not outcomes["metrics"][2]
    assert (tmp_path / "汇报.pptx").stat().st_size > 50_000
    assert (tmp_path / "备份 2024-01.duckdb").is_file()
    assert imports(db)[-1][1:] == ("综采队_2024年1月.xlsx", "imported")
    assert not list(db.parent.glob("*.waiting.*")), "no waiting marker left behind"


def test_two_imports_at_once_both_land_one_after_the_other(served, tmp_path):
    _, _, db = served
    before = imports(db)
    first = workbook(tmp_path, "综采队_2024年2月.xlsx", "2024-02", n=3000)
    second = workbook(tmp_path, "综采队_2024年3月.xlsx", "2024-03", n=3000, start=5000)
    procs = [cli("import", str(first), db=db), cli("import", str(second), db=db)]
    results = [finish(proc) for proc in procs]
    assert [code for code, _, _ in results] == [0, 0], results
    added = imports(db)[len(before):]
    assert sorted(name for _, name, _ in added) == ["综采队_2024年2月.xlsx", "综采队_2024年3月.xlsx"]
    assert [status for _, _, status in added] == ["imported", "imported"]
    assert [i for i, _, _ in added] == [before[-1][0] + 1, before[-1][0] + 2], "one after the other, no id twice"
    store = Store(db)
    try:
        counts = store.fetchall("SELECT month, count(*) FROM roster WHERE unit = '综采队' AND month >= DATE '2024-02-01' "
                                "GROUP BY month ORDER BY month")
    finally:
        store.close()
    assert [n for _, n in counts] == [3000, 3000]


# A real import made long: the holder process sleeps inside its write transaction, after writing.
SLOW_IMPORT = """
import sys, time
import lib.store.importer as importer
write = importer._replace_scope
def slow(*args):
    write(*args)
    print("holding", flush=True)
    time.sleep(float(sys.argv[1]))
importer._replace_scope = slow
from lib.cli import main
sys.exit(main(sys.argv[2:]))
"""


def lock_is_held(db: Path) -> bool:
    fd = os.open(db.with_name(db.name + ".lock"), os.O_RDWR | os.O_CREAT)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    else:
        fcntl.flock(fd, fcntl.LOCK_UN)
        return False
    finally:
        os.close(fd)


def test_a_command_that_cannot_get_the_file_in_time_says_so_and_changes_nothing(tmp_path):
    db = tmp_path / "dangjian.duckdb"
    Store(db).close()
    long_file = workbook(tmp_path, "综采队_2024年4月.xlsx", "2024-04", n=500)
    short_file = workbook(tmp_path, "综采队_2024年5月.xlsx", "2024-05")
    holder = subprocess.Popen([sys.executable, "-c", SLOW_IMPORT, "20", "import", str(long_file), "--db", str(db)],
                              cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "holding", holder.stderr.read()
        assert lock_is_held(db)
        started = time.monotonic()
        waited = {name: finish(cli(*args, "--wait", "1", db=db), timeout=60) for name, args in {
            "import": ("import", str(short_file)),
            "metrics": ("metrics", "--json"),
            "backup": ("backup", str(tmp_path / "备份.duckdb")),
        }.items()}
        assert time.monotonic() - started < 19, "they gave up while the import still held the file"
        assert holder.poll() is None
    finally:
        code, out, err = finish(holder, timeout=120)
    assert code == 0, (out, err)
    for name, (code, out, err) in waited.items():
        assert code == 1, (name, out, err)
        assert "数据库正被其他程序使用" in err and "已等待 1 秒" in err and "数据没有任何改动" in err, (name, err)
        assert "Traceback" not in err
    assert not (tmp_path / "备份.duckdb").exists()
    assert [(name, status) for _, name, status in imports(db)] == [("综采队_2024年4月.xlsx", "imported")]
    assert not list(tmp_path.glob("*.waiting.*"))
    assert not list(tmp_path.rglob("*.tmp"))


def test_health_says_ok_for_the_served_database(served):
    url, _, _ = served
    assert health(url) == (200, {"status": "ok", "demo": False, "message": "数据库正常。"})

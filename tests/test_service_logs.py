"""The served dashboard logs to a rotating file in logs/ beside the database (#12 item 7)."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from logging.handlers import RotatingFileHandler
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import serve  # noqa: E402


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def test_serve_writes_streamlit_and_app_logs_under_the_data_folder(tmp_path):
    port = _free_port()
    env = {**os.environ, "DANGJIAN_DB": str(tmp_path / "dangjian.duckdb")}
    console = open(tmp_path / "console.txt", "w")
    proc = subprocess.Popen(
        [sys.executable, "serve.py", "--server.headless", "true", "--server.address", "127.0.0.1",
         "--server.port", str(port), "--browser.gatherUsageStats", "false"],
        cwd=ROOT, env=env, stdout=console, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.time() + 60
        while True:
            try:
                if urllib.request.urlopen(f"{url}/_stcore/health", timeout=2).read() == b"ok":
                    break
            except OSError:
                if time.time() > deadline or proc.poll() is not None:
                    raise AssertionError("serve.py 未能启动：" + (tmp_path / "console.txt").read_text())
                time.sleep(0.3)
        # An app logger (dangjian.auth, INFO): a made-up sign-in ticket.
        opener = urllib.request.build_opener(_NoRedirect)
        try:
            opener.open(f"{url}/_dangjian/session?ticket=made-up&next=/", timeout=10)
        except urllib.error.HTTPError as exc:
            assert exc.code == 303
    finally:
        proc.terminate()
        proc.wait(timeout=20)
        console.close()
    log = tmp_path / "logs" / f"dashboard-{port}.log"
    assert log.is_file(), sorted(p.name for p in tmp_path.rglob("*"))
    text = log.read_text(encoding="utf-8")
    assert "dangjian.server: 看板启动" in text
    assert f"streamlit.web.server.starlette.starlette_server: Uvicorn server started on 127.0.0.1:{port}" in text
    assert "dangjian.auth: 登录票据无效或已过期" in text
    # Nothing from the app's own loggers leaks into the repository's data folder.
    assert not (ROOT / "data" / "logs" / f"dashboard-{port}.log").exists()


def test_log_file_is_per_port_beside_the_database(tmp_path, monkeypatch):
    monkeypatch.setenv("DANGJIAN_DB", str(tmp_path / "db" / "dangjian.duckdb"))
    assert serve.log_file([]) == tmp_path / "db" / "logs" / "dashboard.log"
    assert serve.log_file(["--server.port", "8502"]) == tmp_path / "db" / "logs" / "dashboard-8502.log"
    assert serve.log_file(["--server.port=8503", "--server.headless", "true"]).name == "dashboard-8503.log"


def test_the_log_rotates_and_keeps_five_old_files(tmp_path, monkeypatch):
    import logging

    from streamlit import logger as st_logger

    # setup_logging changes this process's logging: put everything back afterwards.
    monkeypatch.setattr(st_logger, "setup_formatter", st_logger.setup_formatter)
    root_handlers = list(logging.getLogger().handlers)
    level = logging.getLogger("dangjian").level
    handler = serve.setup_logging(tmp_path / "logs" / "dashboard.log")
    try:
        assert isinstance(handler, RotatingFileHandler)
        assert (handler.maxBytes, handler.backupCount) == (serve.LOG_BYTES, serve.LOG_BACKUPS)
        handler.maxBytes = 2000  # rotate after a few lines instead of 10 MB
        for i in range(200):
            logging.getLogger("dangjian.test").info("第 %d 行 %s", i, "x" * 40)
        names = sorted(p.name for p in (tmp_path / "logs").iterdir())
        assert names == ["dashboard.log", *[f"dashboard.log.{n}" for n in range(1, 6)]]
        assert "第 199 行" in (tmp_path / "logs" / "dashboard.log").read_text(encoding="utf-8")
    finally:
        for log in logging.Logger.manager.loggerDict.values():
            if isinstance(log, logging.Logger) and handler in log.handlers:
                log.removeHandler(handler)
        logging.getLogger().handlers[:] = root_handlers
        logging.getLogger("dangjian").setLevel(level)
        handler.close()


def test_an_unwritable_log_folder_does_not_stop_the_server(tmp_path, capsys):
    blocker = tmp_path / "logs"
    blocker.write_text("not a folder")
    assert serve.setup_logging(blocker / "dashboard.log") is None
    assert "无法写日志文件" in capsys.readouterr().err

"""Serve the dashboard: `python serve.py [streamlit options]` = `streamlit run dashboard.py` without
the legacy pages/ discovery.

Streamlit treats an app with a pages/ folder as an old-style multipage app until the entry script
has called st.navigation once in the process. Until then a link to a page (/pairs?mode=meeting, the
prepared meeting link) is looked up among the pages/ file names, is not found, and the first
visitor after a restart sees a "Page not found" popup on top of the right page. Turning the legacy
discovery off before the server starts avoids that; start.sh uses this.

The upload limit comes from lib/config.py (MAX_UPLOAD_MB), so the uploader and the reader refuse
the same files.

Sign-in sessions: the server also answers lib/access/web.py's two routes (the HttpOnly session
cookie after a password, and sign-out), and SERVED_ENV tells the app that only that cookie signs
anyone in (see lib/access/sessions.py).

Hardening (server_hardening.py, docs/security.md): downloads only to the browser whose session made
them and only briefly, security headers on every answer, client clear-cache messages ignored.

Logs: Streamlit's own loggers and the app's ("dangjian", INFO and up) also go to a rotating file in
logs/ beside the database (data/logs/ by default, DANGJIAN_DB moves both): dashboard.log, or
dashboard-<port>.log when a port is given, so several processes behind one proxy never rotate
each other's file. 10 MB a file, 5 old files kept. The console keeps everything it printed before
(systemd's journal gets it too).
"""
import logging
import os
import sys
from logging.handlers import RotatingFileHandler
from pathlib import Path

from streamlit.runtime.pages_manager import PagesManager
from streamlit.web import cli

import server_hardening
from lib.access import sessions
from lib.config import MAX_UPLOAD_MB, default_db_path

LOG_BYTES = 10 * 1024 * 1024
LOG_BACKUPS = 5
LOG_FORMAT = "%(asctime)s %(levelname)-7s %(process)d %(name)s: %(message)s"


def streamlit_argv(extra: list[str]) -> list[str]:
    """`streamlit run dashboard.py` with the upload limit; options given to serve.py come after and win."""
    return ["streamlit", "run", "dashboard.py", f"--server.maxUploadSize={MAX_UPLOAD_MB}", *extra]


def add_session_routes() -> None:
    """Put the session-cookie routes and /health/store (lib/store/health.py) in front of Streamlit's own
    when its Starlette app is built."""
    from streamlit import config
    from streamlit.web.server.starlette import starlette_server

    from lib.access.web import health_routes, session_routes

    build = starlette_server.create_starlette_app

    def create_app(runtime):
        app = build(runtime)
        base = config.get_option("server.baseUrlPath").strip("/")
        prefix = f"/{base}" if base else ""
        app.router.routes[0:0] = session_routes(prefix) + health_routes(prefix)
        return app

    starlette_server.create_starlette_app = create_app


def log_file(argv: list[str]) -> Path:
    """data/logs/dashboard[-<port>].log, beside the database (DANGJIAN_DB moves it)."""
    port = None
    for i, arg in enumerate(argv):
        if arg.startswith("--server.port="):
            port = arg.split("=", 1)[1]
        elif arg == "--server.port" and i + 1 < len(argv):
            port = argv[i + 1]
    name = f"dashboard-{port}.log" if port and port.isdigit() else "dashboard.log"
    return default_db_path().parent / "logs" / name


def setup_logging(path: Path) -> logging.Handler | None:
    """One rotating file for Streamlit's loggers and the app's; None (console only) if it cannot be opened.

    Streamlit gives each of its loggers its own console handler and stops propagation, so the file
    handler is added wherever Streamlit sets up that console handler (also for loggers made later).
    """
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handler = RotatingFileHandler(path, maxBytes=LOG_BYTES, backupCount=LOG_BACKUPS, encoding="utf-8")
    except OSError as exc:  # a read-only or full data folder must not keep the dashboard from starting
        print(f"无法写日志文件 {path}（{exc.strerror or exc}），日志只输出到控制台", file=sys.stderr)
        return None
    handler.setFormatter(logging.Formatter(LOG_FORMAT))

    from streamlit import logger as st_logger

    setup_console = st_logger.setup_formatter

    def setup_formatter(log: logging.Logger) -> None:
        setup_console(log)
        if handler not in log.handlers:
            log.addHandler(handler)

    st_logger.setup_formatter = setup_formatter
    for log in list(st_logger._loggers.values()):
        setup_formatter(log)
    # The app's loggers propagate to the root: the file, and the console as before (a handler on
    # the root turns off logging's last-resort console output, so one is added back).
    root = logging.getLogger()
    root.addHandler(handler)
    console = logging.StreamHandler()
    console.setFormatter(logging.Formatter(LOG_FORMAT))
    console.setLevel(logging.WARNING)
    root.addHandler(console)
    logging.getLogger("dangjian").setLevel(logging.INFO)
    logging.getLogger("dangjian.server").info("看板启动：进程 %d，日志 %s", os.getpid(), path)
    return handler


if __name__ == "__main__":
    setup_logging(log_file(sys.argv[1:]))
    PagesManager.uses_pages_directory = False  # dashboard.py declares its pages with st.navigation
    os.environ[sessions.SERVED_ENV] = "1"
    add_session_routes()
    server_hardening.install()
    sys.argv = streamlit_argv(sys.argv[1:])
    sys.exit(cli.main())

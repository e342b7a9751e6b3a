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
"""
import os
import sys

from streamlit.runtime.pages_manager import PagesManager
from streamlit.web import cli

import server_hardening
from lib.access import sessions
from lib.config import MAX_UPLOAD_MB


def streamlit_argv(extra: list[str]) -> list[str]:
    """`streamlit run dashboard.py` with the upload limit; options given to serve.py come after and win."""
    return ["streamlit", "run", "dashboard.py", f"--server.maxUploadSize={MAX_UPLOAD_MB}", *extra]


def add_session_routes() -> None:
    """Put the session-cookie routes in front of Streamlit's own when its Starlette app is built."""
    from streamlit import config
    from streamlit.web.server.starlette import starlette_server

    from lib.access.web import session_routes

    build = starlette_server.create_starlette_app

    def create_app(runtime):
        app = build(runtime)
        base = config.get_option("server.baseUrlPath").strip("/")
        app.router.routes[0:0] = session_routes(f"/{base}" if base else "")
        return app

    starlette_server.create_starlette_app = create_app


if __name__ == "__main__":
    PagesManager.uses_pages_directory = False  # dashboard.py declares its pages with st.navigation
    os.environ[sessions.SERVED_ENV] = "1"
    add_session_routes()
    server_hardening.install()
    sys.argv = streamlit_argv(sys.argv[1:])
    sys.exit(cli.main())

"""Serve the dashboard: `python serve.py [streamlit options]` = `streamlit run dashboard.py` without
the legacy pages/ discovery.

Streamlit treats an app with a pages/ folder as an old-style multipage app until the entry script
has called st.navigation once in the process. Until then a link to a page (/pairs?mode=meeting, the
prepared meeting link) is looked up among the pages/ file names, is not found, and the first
visitor after a restart sees a "Page not found" popup on top of the right page. Turning the legacy
discovery off before the server starts avoids that; start.sh uses this.

The upload limit comes from lib/config.py (MAX_UPLOAD_MB), so the uploader and the reader refuse
the same files.
"""
import sys

from streamlit.runtime.pages_manager import PagesManager
from streamlit.web import cli

from lib.config import MAX_UPLOAD_MB


def streamlit_argv(extra: list[str]) -> list[str]:
    """`streamlit run dashboard.py` with the upload limit; options given to serve.py come after and win."""
    return ["streamlit", "run", "dashboard.py", f"--server.maxUploadSize={MAX_UPLOAD_MB}", *extra]


if __name__ == "__main__":
    PagesManager.uses_pages_directory = False  # dashboard.py declares its pages with st.navigation
    sys.argv = streamlit_argv(sys.argv[1:])
    sys.exit(cli.main())

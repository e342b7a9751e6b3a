"""Serve the dashboard: `python serve.py [streamlit options]` = `streamlit run dashboard.py` without
the legacy pages/ discovery.

Streamlit treats an app with a pages/ folder as an old-style multipage app until the entry script
has called st.navigation once in the process. Until then a link to a page (/pairs?mode=meeting, the
prepared meeting link) is looked up among the pages/ file names, is not found, and the first
visitor after a restart sees a "Page not found" popup on top of the right page. Turning the legacy
discovery off before the server starts avoids that; start.sh uses this.
"""
import sys

from streamlit.runtime.pages_manager import PagesManager
from streamlit.web import cli

if __name__ == "__main__":
    PagesManager.uses_pages_directory = False  # dashboard.py declares its pages with st.navigation
    sys.argv = ["streamlit", "run", "dashboard.py", *sys.argv[1:]]
    sys.exit(cli.main())

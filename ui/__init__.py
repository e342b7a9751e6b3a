"""The Streamlit side of the dashboard, one job per module (lib/ never imports Streamlit):

- data: the store shown, the shared indicators (metric, highlights), the filters' choices;
- filters: the sidebar filters and the URL;
- frame: page header, KPI cards, view sections, charts and tables with downloads, the error guard;
- meeting: 会议模式; screens: 会议模式 one screen at a time; report: the 汇报材料 button; signin: accounts and sign-in;
- logs: the import log with undo and the export log (数据上传).

Pages `import ui` and use the names below.
"""
from ui.data import clear_caches, data_version, get_store, highlights, metric, real_store
from ui.filters import current_filter, reset_filters, sidebar_filters
from ui.frame import (
                      ERROR_MESSAGE,
                      chart,
                      empty_state,
                      excel_download,
                      kpi_row,
                      labelled,
                      meeting_table,
                      page_header,
                      page_style,
                      percent_columns,
                      run_page,
                      show_chart,
                      show_page,
                      show_section,
                      show_view,
                      stop_on_store_fault,
                      table,
)
from ui.logs import export_log, import_log
from ui.meeting import meeting_controls, meeting_mode
from ui.report import report_controls
from ui.screens import Screens
from ui.signin import is_signed_in, sign_in, signed_in_user

__all__ = ["ERROR_MESSAGE", "Screens", "chart", "clear_caches", "current_filter", "data_version", "empty_state",
           "excel_download", "export_log", "get_store", "highlights", "import_log", "is_signed_in", "kpi_row", "labelled",
           "meeting_controls", "meeting_mode", "meeting_table", "metric", "page_header", "page_style", "percent_columns", "real_store",
           "report_controls", "reset_filters", "run_page", "show_chart", "show_page", "show_section", "show_view",
           "sidebar_filters", "sign_in", "stop_on_store_fault", "signed_in_user", "table"]

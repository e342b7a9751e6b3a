"""Pure cell cleaners: one raw cell value in, a Cleaned (value, or Chinese error and hint) out.

cells    Cleaned, blanks, a cell as normalised text, the never-raise safety net
text     free text, 队/班组 names, name lists, person names, 工号
dates    dates, months, quarters, years (periods read by lib/ingest/periods)
choices  是/否, numbers in a range, enums, 六好 items

The importer calls a cleaner once per DISTINCT raw value of a column, so these are plain Python.
No Streamlit here. Identifiers are English; every message string is Chinese.
"""
from lib.ingest.clean.cells import Cleaned, is_blank, normalize_text
from lib.ingest.clean.choices import clean_bool, clean_enum, clean_good, clean_number
from lib.ingest.clean.dates import clean_date, clean_month, clean_quarter, clean_year
from lib.ingest.clean.text import clean_id, clean_name, clean_org, clean_org_list, clean_text

__all__ = [
    "Cleaned", "is_blank", "normalize_text",
    "clean_text", "clean_org", "clean_org_list", "clean_name", "clean_id", "clean_bool",
    "clean_date", "clean_month", "clean_quarter", "clean_year", "clean_number", "clean_enum",
    "clean_good",
]

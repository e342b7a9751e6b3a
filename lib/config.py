"""Paths and limits, in one place. The app and the CLI share these defaults."""
from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = ROOT / "data"

# One documented environment variable moves the database (tests and deployments use it).
DB_ENV = "DANGJIAN_DB"


def default_db_path() -> Path:
    return Path(os.environ.get(DB_ENV) or DATA_DIR / "dangjian.duckdb")


# How long a process waits for the database while another holds it (an import, a backup, another
# app process): the CLI's --wait overrides it; after that the work is refused in Chinese, nothing changed.
WAIT_ENV = "DANGJIAN_WAIT"
DEFAULT_WAIT_SECONDS = 60.0


def store_wait() -> float:
    try:
        return max(0.0, float(os.environ.get(WAIT_ENV, "").strip() or DEFAULT_WAIT_SECONDS))
    except ValueError:
        return DEFAULT_WAIT_SECONDS


# Raw uploads (the original files, kept beside the database) are removed this many days after the
# last import that used them; the app cleans up by itself, `python -m lib.cli purge-uploads` on demand.
UPLOAD_DAYS_ENV = "DANGJIAN_UPLOAD_DAYS"
DEFAULT_UPLOAD_DAYS = 180


def upload_retention_days() -> int:
    """How many days raw uploads are kept (DANGJIAN_UPLOAD_DAYS, default 180); a bad value stops with a Chinese message."""
    raw = os.environ.get(UPLOAD_DAYS_ENV, "").strip()
    if not raw:
        return DEFAULT_UPLOAD_DAYS
    try:
        days = int(raw)
    except ValueError:
        days = -1
    if days < 0:
        raise ValueError(f"环境变量 {UPLOAD_DAYS_ENV}（原始上传文件保留天数）应为 0 或正整数，现为「{raw}」")
    return days


def demo_db_path() -> Path:
    """The demo data set lives in its own database so it never mixes with real data."""
    return default_db_path().with_name("demo.duckdb")


# The one upload limit. An upload larger than this is not a monthly workbook: the reader refuses it
# before parsing (MAX_FILE_BYTES), and Streamlit's uploader refuses it before it arrives
# (server.maxUploadSize, in MiB: serve.py passes this value; .streamlit/config.toml, which
# `streamlit run` and AppTest read, holds the same number, and a test keeps the two equal).
MAX_UPLOAD_MB = 20
MAX_FILE_BYTES = MAX_UPLOAD_MB * 1024 * 1024
# Zip (xlsx) limits, checked from the zip directory alone: total uncompressed size and
# per-member compression ratio (real sheets compress ~10–30×; zip bombs ~1000×).
MAX_UNZIPPED_BYTES = 600 * 1024 * 1024
MAX_ZIP_RATIO = 200
# The header row is searched for within the first rows of a sheet.
HEADER_SEARCH_ROWS = 15

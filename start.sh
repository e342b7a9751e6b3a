#!/usr/bin/env bash
# Start the dashboard: install what is missing, build the demo database on first run, serve.
set -euo pipefail
cd "$(dirname "$0")"
python3 -m pip install --quiet --disable-pip-version-check -r requirements.txt
if [ ! -f "$(python3 -c 'from lib.config import demo_db_path; print(demo_db_path())')" ]; then
  echo "首次运行：正在生成演示数据……"
  python3 -m lib.cli demo
fi
exec python3 serve.py "$@"  # = streamlit run dashboard.py, see serve.py

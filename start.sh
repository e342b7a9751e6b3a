#!/usr/bin/env bash
# Start the dashboard: install what is missing, build the demo database on first run, serve.
#   bash start.sh [streamlit options]
#   bash start.sh --check-requirements [FILE]   only say whether FILE (requirements.txt) is met: exit 0 yes, 1 no
set -euo pipefail
cd "$(dirname "$0")"

# Every package of the requirements file installed at a version it allows? (No pip, no network:
# importlib.metadata against the pins, about 0.2 s.) Prints what is missing or different.
requirements_met() {
  python3 - "$1" <<'PY'
import sys
from importlib.metadata import PackageNotFoundError, version
try:
    from packaging.requirements import Requirement
except ImportError:          # cannot tell: let pip decide
    print("无法检查依赖（缺少 packaging）")
    sys.exit(1)
problems = []
with open(sys.argv[1], encoding="utf-8") as f:
    for line in f:
        line = line.split("#", 1)[0].strip()
        if not line or line.startswith("-"):
            continue
        req = Requirement(line)
        if req.marker is not None and not req.marker.evaluate():
            continue
        try:
            have = version(req.name)
        except PackageNotFoundError:
            problems.append(f"{req.name}（未安装，需要 {req.specifier or '任意版本'}）")
            continue
        if req.specifier and not req.specifier.contains(have, prereleases=True):
            problems.append(f"{req.name}（已安装 {have}，需要 {req.specifier}）")
if problems:
    print("依赖未满足：" + "、".join(problems))
    sys.exit(1)
print("依赖已满足，跳过安装")
PY
}

if [ "${1:-}" = "--check-requirements" ]; then
  requirements_met "${2:-requirements.txt}"
  exit $?
fi

if ! requirements_met requirements.txt; then
  echo "正在安装依赖……"
  python3 -m pip install --quiet --disable-pip-version-check -r requirements.txt
fi
if [ ! -f "$(python3 -c 'from lib.config import demo_db_path; print(demo_db_path())')" ]; then
  echo "首次运行：正在生成演示数据……"
  python3 -m lib.cli demo
fi
exec python3 serve.py "$@"  # = streamlit run dashboard.py, see serve.py

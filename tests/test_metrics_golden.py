"""Every indicator of the small mine, for several filters, exactly as recorded before the lib/
reorganisation (tests/golden/small_mine_metrics.json): a refactor must not move a single number.

The import times (imported_at) differ per build and are left out of the comparison.
"""
import json
from pathlib import Path

import pytest

from lib.cli import main as cli_main

GOLDEN = Path(__file__).parent / "golden" / "small_mine_metrics.json"
CASES = {
    "range": ["--from", "2024-01", "--to", "2024-02"],
    "one_unit": ["--from", "2024-02", "--to", "2024-02", "--unit", "甲队"],
    "one_team": ["--from", "2023-11", "--to", "2024-02", "--team", "A班"],
    "default": [],
}


def _without_import_times(value):
    if isinstance(value, dict):
        return {k: _without_import_times(v) for k, v in value.items() if k != "imported_at"}
    if isinstance(value, list):
        return [_without_import_times(v) for v in value]
    return value


def metrics_json(store, args) -> dict:
    """What `python -m lib.cli metrics --json` prints for the store, as data."""
    import contextlib
    import io

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert cli_main(["metrics", "--db", str(store.path), *args, "--json"]) == 0
    return _without_import_times(json.loads(out.getvalue()))


@pytest.mark.parametrize("case", CASES)
def test_small_mine_metrics_match_the_recorded_figures(mine, case):
    expected = json.loads(GOLDEN.read_text(encoding="utf-8"))[case]
    assert metrics_json(mine, CASES[case]) == expected

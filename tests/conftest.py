import os
import shutil
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

from lib.store.database import Store


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Let fixtures see whether the test failed (the browser fixture keeps a trace then)."""
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)


@pytest.fixture
def store(tmp_path):
    s = Store(tmp_path / "test.duckdb")
    yield s
    s.close()


ROOT = Path(__file__).resolve().parent.parent
# The determinism check's second, independent write: another process, another hash seed.
WRITE_AGAIN = ("import sys; from pathlib import Path; from demo.workbooks import write_demo_workbooks; "
               "print('\\n'.join(p.name for p in write_demo_workbooks(Path(sys.argv[1]))))")


@pytest.fixture(scope="session")
def demo_build(tmp_path_factory):
    """The demo data set, built once per test session through the real import path."""
    from demo.build import build_demo_database

    folder = tmp_path_factory.mktemp("demo")
    again = tmp_path_factory.mktemp("demo_again")
    # Started first so that it runs while the build imports (the build is bound by one core).
    writer = subprocess.Popen([sys.executable, "-c", WRITE_AGAIN, str(again)], cwd=ROOT,
                              env={**os.environ, "PYTHONIOENCODING": "utf-8"},
                              stdout=subprocess.PIPE, text=True, encoding="utf-8")
    db_path = folder / "demo.duckdb"
    db_path.write_bytes(b"not a database: build_demo_database must delete it first")
    messages = []
    try:
        summary = build_demo_database(db_path, progress=messages.append)
    finally:
        again_order, _ = writer.communicate(timeout=900)
    assert writer.returncode == 0
    return SimpleNamespace(db=db_path, workbooks=folder / "demo_workbooks", summary=summary,
                           messages=messages, again=again, again_order=again_order.splitlines())


@pytest.fixture(scope="session")
def demo_db(demo_build):
    return demo_build.db


@pytest.fixture
def demo_copy(demo_db, tmp_path):
    """A private, writable copy of the demo database."""
    target = tmp_path / "demo.duckdb"
    shutil.copy(demo_db, target)
    return target


@pytest.fixture(scope="module")
def mine(tmp_path_factory):
    """The small mine of tests/small_mine.py, built once per test module."""
    from tests.small_mine import build_small_mine

    store = Store(tmp_path_factory.mktemp("mine") / "mine.duckdb")
    build_small_mine(store)
    yield store
    store.close()

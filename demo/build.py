"""Building the demo database: every demo workbook imported through the real importer, like uploads.

`build_demo_database(db_path)` writes the workbooks (demo/workbooks.py) in a child process,
`python -m demo.build --write FOLDER`, and imports each through the importer as soon as it is
written, into a database of its own: `lib.store.importer.import_many`, the same checks, writes and
log row per file as `import_file`, 64 files a transaction. `rebuild_demo` is the same for a person
(the app's reset button, `python -m lib.cli demo`): 管理员 only.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING

from demo.sheet_layout import FileSpec, write_file
from demo.workbooks import demo_specs

if TYPE_CHECKING:
    from lib.access.auth import User

# Who the import log names for the demo files: the program itself, acting as 管理员.
DEMO_IMPORTER_NAME = "演示数据"


def build_demo_database(db_path: Path, progress=None) -> str:
    """A fresh demo database at `db_path`, loaded file by file through the importer.

    Deletes `db_path` (and its .wal), writes the workbooks to `db_path.parent / "demo_workbooks"`
    and imports them in order as user 演示数据. The workbooks are written by a child process
    while this one imports (writing would otherwise add a third to the time). Raises
    RuntimeError listing the errors if any file is rejected. Returns e.g. "导入 568 个文件，68,789 行".
    """
    # Imported here: the writer child runs this module too and needs none of the store (½ s).
    from lib.access.auth import ADMIN, User
    from lib.store.database import Store
    from lib.store.importer import REJECTED, import_many

    importer = User(DEMO_IMPORTER_NAME, ADMIN)

    def say(text: str) -> None:
        if progress is not None:
            progress(text)

    db_path = Path(db_path)
    for stale in (db_path, db_path.with_name(db_path.name + ".wal")):
        if stale.exists():
            stale.unlink()
    folder = db_path.parent / "demo_workbooks"
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    say("正在生成演示报表…")
    started = time.monotonic()
    rejected: list[str] = []
    rows = files = 0
    with _Writer(folder) as writer:
        store = Store(db_path)
        try:
            # 64 files a transaction, each file still checked, written and logged on its own.
            for result in import_many(store, ((p.name, p.read_bytes()) for p in writer.paths()), importer):
                files += 1
                if result.status == REJECTED:
                    for problem in result.errors[:5]:
                        where = " ".join(str(x) for x in (problem.sheet, f"第{problem.row}行" if problem.row else "",
                                                          problem.column) if x)
                        rejected.append(f"{result.file_name} {where}：{problem.message}")
                else:
                    rows += sum(s.rows_loaded for s in result.loadable)
                if files % 64 == 0:
                    say(f"已导入 {files}/{writer.total or '…'} 个文件（{time.monotonic() - started:.0f} 秒）")
        finally:
            store.close()
    if rejected:
        raise RuntimeError("演示数据有文件被拒绝：\n" + "\n".join(rejected[:40]))
    say(f"演示数据导入完成，用时 {time.monotonic() - started:.0f} 秒")
    return f"导入 {files:,} 个文件，{rows:,} 行"


def rebuild_demo(user: User, db_path: Path | None = None, progress=None) -> str:
    """build_demo_database for a person (app or CLI): 管理员 only, since it replaces the demo database."""
    from lib.access.auth import MANAGE, require
    from lib.config import demo_db_path

    require(user, MANAGE, action="重置演示数据")
    return build_demo_database(Path(db_path) if db_path else demo_db_path(), progress=progress)


class _Writer:
    """The demo files in import order, each yielded once it is completely written.

    A child process (`python -m demo.build --write FOLDER`) writes them and prints each name; it
    recomputes the same data from the seed. Not `multiprocessing`: its 'spawn' re-runs the
    caller's main script and 'fork' would copy an open DuckDB connection. If no child can be
    started, a thread writes them instead (slower: openpyxl then competes for the GIL).
    """

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.total: int | None = None
        self.proc: subprocess.Popen | None = None
        self.errors = None
        self.pool: ThreadPoolExecutor | None = None

    def __enter__(self) -> "_Writer":
        root = str(Path(__file__).resolve().parent.parent)
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(p for p in (root, env.get("PYTHONPATH")) if p)
        env["PYTHONIOENCODING"] = "utf-8"
        self.errors = tempfile.TemporaryFile()
        try:
            self.proc = subprocess.Popen([sys.executable, "-m", "demo.build", "--write", str(self.folder)],
                                         cwd=root, env=env, stdout=subprocess.PIPE, stderr=self.errors,
                                         stdin=subprocess.DEVNULL, text=True, encoding="utf-8")
        except OSError:
            self.proc = None
        return self

    def paths(self):
        if self.proc is None:
            yield from self._thread_paths()
            return
        written = 0
        for line in self.proc.stdout:
            line = line.rstrip("\n")
            if line.startswith("#"):
                self.total = int(line[1:])
            elif line:
                written += 1
                yield self.folder / line
        if self.proc.wait() != 0:
            if not written:     # the child could not run here (e.g. no interpreter path): write in-process
                self.proc.stdout.close()
                self.proc = None
                yield from self._thread_paths()
                return
            self.errors.seek(0)
            tail = self.errors.read().decode("utf-8", errors="replace")[-2000:]
            raise RuntimeError(f"生成演示报表失败：\n{tail}")

    def _thread_paths(self):
        specs = demo_specs()
        self.total = len(specs)
        self.pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="demo-writer")
        chunk = 8
        futures = [self.pool.submit(_write_each, specs[i:i + chunk], self.folder)
                   for i in range(0, len(specs), chunk)]
        try:
            for future in futures:
                yield from future.result()
        finally:
            for future in futures:
                future.cancel()

    def __exit__(self, *exc) -> None:
        if self.proc is not None:
            if self.proc.poll() is None:
                self.proc.kill()
            self.proc.wait()
            self.proc.stdout.close()
        if self.pool is not None:
            self.pool.shutdown(wait=True)
        if self.errors is not None:
            self.errors.close()


def _write_each(specs: list[FileSpec], folder: Path) -> list[Path]:
    return [write_file(spec, folder) for spec in specs]


def _write_in_order(folder: Path) -> None:
    """The child's side of _Writer: '#<count>', then each file name once it is written."""
    folder.mkdir(parents=True, exist_ok=True)
    specs = demo_specs()
    print(f"#{len(specs)}", flush=True)
    for spec in specs:
        print(write_file(spec, folder).name, flush=True)


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--write":
        _write_in_order(Path(sys.argv[2]))
    else:
        print("用法：python -m demo.build --write 目录（生成演示数据请用 python -m lib.cli demo）", file=sys.stderr)
        sys.exit(2)

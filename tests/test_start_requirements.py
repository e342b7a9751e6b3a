"""start.sh runs pip only when the requirements are not met: its check, run as a real process."""
import subprocess
from importlib.metadata import version
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def check(requirements: Path) -> subprocess.CompletedProcess:
    return subprocess.run(["bash", str(ROOT / "start.sh"), "--check-requirements", str(requirements)],
                          capture_output=True, text=True, encoding="utf-8", timeout=60)


def test_installed_pins_are_satisfied(tmp_path):
    req = tmp_path / "requirements.txt"
    req.write_text(f"# pins\nduckdb=={version('duckdb')}\n\npandas>=1.0  # comment\n"
                   f"olefile ; python_version < '3'\n", encoding="utf-8")
    done = check(req)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "依赖已满足" in done.stdout


def test_a_different_or_missing_package_is_not_satisfied(tmp_path):
    req = tmp_path / "requirements.txt"
    req.write_text("duckdb==0.0.1\nno-such-package-dangjian==1.0\npandas\n", encoding="utf-8")
    done = check(req)
    assert done.returncode == 1
    assert "依赖未满足" in done.stdout
    assert "duckdb（已安装" in done.stdout and "no-such-package-dangjian（未安装" in done.stdout
    assert "pandas" not in done.stdout


def test_the_projects_own_requirements_are_checked_by_default():
    done = subprocess.run(["bash", str(ROOT / "start.sh"), "--check-requirements"], cwd="/",
                          capture_output=True, text=True, encoding="utf-8", timeout=60)
    assert done.returncode in (0, 1)
    assert "依赖" in done.stdout

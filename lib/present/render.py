"""Charts as PNG on the server: kaleido driving the system's Chromium, one browser kept alive.

Starting Chromium takes seconds; a chart after that takes a fraction of one, so the browser is
started on first use and kept for the life of the process (stopped at exit). Never download a
browser (kaleido.get_chrome / playwright install): the machines here have no internet; Debian's
`chromium` and `fonts-noto-cjk` packages are what renders Chinese text.
"""
from __future__ import annotations

import atexit
import functools
import os
import shutil
import subprocess
import threading
from pathlib import Path

import plotly.graph_objects as go

BROWSER_CANDIDATES = ("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome")
INSTALL_HINT = ("服务器上没有安装 Chromium 浏览器，无法在服务器上生成图片和汇报材料。"
                "请管理员执行：apt-get install chromium fonts-noto-cjk")
FONT_HINT = "服务器上没有中文字体，图片中的汉字会显示为方框。请管理员执行：apt-get install fonts-noto-cjk"

# Pixel sizes of the PNGs (before the 2× scale): a half-width chart, a whole-width one.
HALF = (620, 410)
WIDE = (1240, 410)
SCALE = 2
START_TIMEOUT = 90  # seconds; a cold start on a loaded 2-core machine can take a while

_lock = threading.Lock()  # one browser tab: Streamlit sessions run in threads and take turns
_started = False


class RendererUnavailable(Exception):
    """No browser to render with; .message says (in Chinese) what to install."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def browser_path() -> str | None:
    """The Chromium to use: $BROWSER_PATH if it exists, else the usual system locations."""
    wanted = os.environ.get("BROWSER_PATH")
    if wanted and Path(wanted).is_file():
        return wanted
    for candidate in BROWSER_CANDIDATES:
        if Path(candidate).is_file():
            return candidate
    return shutil.which("chromium")


def problem() -> str | None:
    """Why charts cannot be rendered here (Chinese, with what to install), or None when they can."""
    if browser_path() is None:
        return INSTALL_HINT
    if not _has_chinese_font():
        return FONT_HINT
    return None


@functools.lru_cache(maxsize=1)
def _has_chinese_font() -> bool:
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return True  # cannot tell; Chromium may still find one
    try:
        found = subprocess.run([fc_list, ":lang=zh", "family"], capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.SubprocessError):
        return True
    return bool(found.stdout.strip())


def _start() -> None:
    global _started
    import kaleido

    path = browser_path()
    if path is None:
        raise RendererUnavailable(INSTALL_HINT)
    os.environ["BROWSER_PATH"] = path  # choreographer (kaleido's browser driver) reads it
    kaleido.start_sync_server(n=1, timeout=START_TIMEOUT, silence_warnings=True)
    _started = True


def stop() -> None:
    """Close the browser (at exit; tests and benchmarks may call it to measure a cold start)."""
    global _started
    with _lock:
        if _started:
            import kaleido

            kaleido.stop_sync_server(silence_warnings=True)
            _started = False


atexit.register(stop)


def png(fig: go.Figure, size: tuple[int, int] = HALF, scale: int = SCALE) -> bytes:
    """The figure as PNG bytes, `size` CSS pixels at `scale`×, white background."""
    import kaleido

    width, height = size
    shaped = go.Figure(fig).update_layout(width=width, height=height, paper_bgcolor="white")
    opts = {"format": "png", "width": width, "height": height, "scale": scale}
    with _lock:
        if not _started:
            _start()
        try:
            return kaleido.calc_fig_sync(shaped, opts=opts)
        except RendererUnavailable:
            raise
        except Exception:  # noqa: BLE001 — the browser may have died; one fresh start, then give up
            _restart()
            return kaleido.calc_fig_sync(shaped, opts=opts)


def _restart() -> None:
    global _started
    import kaleido

    try:
        kaleido.stop_sync_server(silence_warnings=True)
    finally:
        _started = False
    _start()

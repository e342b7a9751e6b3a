"""汇报材料 benchmark: the whole PPTX deck for the demo data, and the time per chart image.

    python -m benchmarks.deck_bench [--demo PATH] [--reps 3]

Uses the demo database at PATH (default: data/demo.duckdb; built if missing). With the default
filter (the latest 12 months) it prints:

- the cold first chart: starting Chromium through kaleido, then one chart;
- every chart of the deck rendered one by one with the browser kept alive: median, max and total
  seconds (goal: under 0.5 s per chart after the first);
- for comparison, the same charts each rendered by a fresh browser (kaleido's one-shot path, what
  you get without a kept-alive renderer), for the first few charts only: the ratio shows what
  keeping one renderer alive saves;
- the whole deck (`lib.present.deck.build_deck`, names masked) `--reps` times with the renderer warm:
  seconds, slides, pictures, bytes; and where that time goes (indicators + figures, images,
  python-pptx);

CPU seconds of this process are printed beside wall seconds (Chromium runs in other processes,
so its work shows only in wall time). The load average is printed because the machine is shared.
It prints figures and never asserts on them: it is not a test.
"""
from __future__ import annotations

import argparse
import os
import statistics
import time
from pathlib import Path

import kaleido

from lib.config import demo_db_path
from lib.metrics.registry import Indicators
from lib.metrics.scope import default_filter
from lib.present import deck, render
from lib.store.database import Store

ONE_SHOT_SAMPLE = 4  # fresh-browser renders are slow; a few show the ratio


def _load() -> str:
    return " ".join(f"{x:.1f}" for x in os.getloadavg())


def _timed(fn):
    wall, cpu = time.perf_counter(), time.process_time()
    result = fn()
    return result, time.perf_counter() - wall, time.process_time() - cpu


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--demo", type=Path, default=demo_db_path())
    parser.add_argument("--reps", type=int, default=3)
    args = parser.parse_args(argv)
    if render.problem():
        raise SystemExit(render.problem())
    if not args.demo.exists():
        from demo.build import build_demo_database

        print(f"building the demo database at {args.demo} …")
        build_demo_database(args.demo)
    store = Store(args.demo)
    f = default_filter(store)
    print(f"load average at start: {_load()}")

    # Every run starts from a fresh Indicators: the deck's indicators computed, not remembered.
    ((views, _), build_s, _) = _timed(lambda: deck.deck_content(Indicators(store), f, full_names=False))
    items = [(c, (deck.CONTENT_W / 2 if not c.wide else deck.CONTENT_W) / deck.Inches(1))
             for v in views if not v.empty for s in v.sections if not s.empty for c in s.charts]
    print(f"indicators + figures for the {len(views)} pages: {build_s:.2f} s; {len(items)} charts")

    render.stop()
    first, cold_s, _ = _timed(lambda: deck.chart_png(items[0][0], items[0][1], 4.0))
    print(f"cold first chart (start Chromium + render): {cold_s:.2f} s, {len(first):,} bytes")

    warm = []
    for item, width in items:
        _, seconds, _ = _timed(lambda: deck.chart_png(item, width, 4.0))
        warm.append(seconds)
    print(f"kept-alive renderer, {len(warm)} charts: median {statistics.median(warm):.3f} s, "
          f"max {max(warm):.3f} s, total {sum(warm):.2f} s  (goal < 0.5 s per chart)")

    # With the kept-alive server stopped, calc_fig_sync starts and closes a browser for each chart.
    render.stop()
    one_shot = []
    for item, width in items[:ONE_SHOT_SAMPLE]:
        size = (round(width * deck.PIXELS_PER_INCH), 400)
        _, seconds, _ = _timed(lambda: kaleido.calc_fig_sync(
            item.figure, opts={"format": "png", "width": size[0], "height": size[1], "scale": 2}))
        one_shot.append(seconds)
    kept = statistics.median(warm)
    fresh = statistics.median(one_shot)
    print(f"fresh browser per chart ({len(one_shot)} charts): median {fresh:.2f} s "
          f"→ fresh ÷ kept-alive = {fresh / kept:.1f}")

    deck.chart_png(items[0][0], items[0][1], 4.0)  # warm the kept-alive renderer again
    runs = []
    for _ in range(args.reps):
        result, wall, cpu = _timed(lambda: deck.build_deck(Indicators(store), f))
        runs.append((wall, cpu))
    wall = statistics.median(w for w, _ in runs)
    cpu = statistics.median(c for _, c in runs)
    print(f"whole deck, renderer warm, median of {args.reps}: {wall:.2f} s wall, {cpu:.2f} s CPU in Python; "
          f"{result.slides} slides, {result.charts} pictures, {len(result.data) / 1e6:.2f} MB")
    print(f"  of which images ≈ {sum(warm):.2f} s, indicators + figures ≈ {build_s:.2f} s, "
          f"python-pptx and the rest ≈ {max(0.0, wall - sum(warm) - build_s):.2f} s")
    print(f"whole deck including the cold start ≈ {wall + cold_s - kept:.2f} s")
    print(f"load average at end: {_load()}")
    render.stop()
    store.close()


if __name__ == "__main__":
    main()

"""Made-up data, outside the app's runtime package: the demo mine and the group for the benchmarks.

The demo data set (one mine, 2020–2023, imported through the real importer):
    story.py         the calendar and the figures the mine's report quotes, fixed in advance
    mine.py          the simulated mine: people, teams, careers, 发展党员, 党员示范岗 holders
    pairs.py         its 包保对子, 谈心记录 and 问题台帐
    sheet_layout.py  how each unit lays out a sheet; writing one .xlsx / .csv
    workbooks.py     the mine as the workbooks its units send, in import order
    build.py         build_demo_database / rebuild_demo: write in a child process, import each file

The group-scale data (12 mines, written straight into DuckDB for benchmarks/):
    group.py         the simulated group
    group_scale.py   build_group_database

Shared by both: vocabulary.py (organisation, names, posts, texts) and timeline.py (month indexes,
where a person is in a month).
Everything is drawn from seeded random streams, never the current date: two runs give the same data.
"""

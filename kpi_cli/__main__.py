# `python -m kpi_cli` is the console script (pyproject.toml): guarded the same way (guard.py).
from kpi_cli.guard import run

run()

"""A one-KPI config over a CSV a test rewrites between runs, so findings come and go on cue."""

from __future__ import annotations

from pathlib import Path

CONFIG = """\
version: 1
name: runs test
sources:
  - {name: crm, path: leads.csv, platform: generic}
kgi: {name: Revenue, metric: revenue, target: 1000, start: 2026-01-01, deadline: 2026-12-31, owner: Sato}
kpis:
  - id: leads
    metric: leads
    target: 100
    primary: true
    owner: Tanaka
    review_by: 2026-12-31
    rules:
      threshold: {fail: {min: 50}}
defaults:
  pace: {enabled: false}
  forecast: {enabled: false}
  stalled: {enabled: false}
  drop: {enabled: false}
  freshness: {max_age: 400d}
"""


def write(folder: Path, november_leads: int, extra: str = "") -> Path:
    """A config whose only possible finding is `threshold` on November's leads (fail below 50),
    judged on 2026-11-30 (the month complete, so no run-rate)."""
    rows = ["date,leads,revenue", "2026-10-15,80,100", f"2026-11-15,{november_leads},100"]
    (folder / "leads.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    config = folder / "runs.yaml"
    config.write_text(CONFIG + extra, encoding="utf-8")
    return config

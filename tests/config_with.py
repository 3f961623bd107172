"""A config built in memory around the KPIs a test is about: one CSV source and a placeholder KGI.

The rule, split and view tests need a valid Config but only care about their KPIs (and now and
then `metrics:` or `defaults:`); each wrote the same fourteen lines of source and KGI before.
"""

from __future__ import annotations

from typing import Any

from kpi_cli.config import Config


def config_with(name: str, kpis: list[dict[str, Any]], *, kgi_metric: str = "leads", **extra: Any) -> Config:
    """`extra`: further top-level keys as they are written in YAML (`metrics`, `defaults`, ...)."""
    kgi = {"name": "k", "metric": kgi_metric, "target": 1, "start": "2026-01-01", "deadline": "2026-12-31"}
    document = {"version": 1, "name": name, "sources": [{"name": "s", "path": "x.csv"}], "kgi": kgi}
    return Config.model_validate({**document, "kpis": kpis, **extra})

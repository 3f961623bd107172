"""Builders shared by the tests: a config from a dict, a canonical frame from rows, a rule context."""

from __future__ import annotations

import copy
from collections.abc import Callable
from datetime import date
from typing import Any

import pandas as pd
import pytest

from kpi_cli.config.models import Config
from kpi_cli.metrics.formulas import Catalog
from kpi_cli.review import build_context
from kpi_cli.rules.context import RuleContext

BASE: dict[str, Any] = {
    "version": 1,
    "name": "test",
    "sources": [{"name": "s", "path": "s.csv", "platform": "generic"}],
    "kgi": {
        "name": "Revenue",
        "metric": "revenue",
        "target": 1000,
        "start": "2026-01-01",
        "deadline": "2026-12-31",
        "owner": "Sato",
    },
    "kpis": [
        {
            "id": "leads",
            "metric": "leads",
            "target": 100,
            "primary": True,
            "owner": "Tanaka",
            "review_by": "2026-12-31",
        }
    ],
}


def make_config(**overrides: Any) -> Config:
    data = copy.deepcopy(BASE)
    data.update(overrides)
    return Config.model_validate(data)


def monthly_frame(values: dict[str, list[float | None]], first: str = "2026-01", **dims: str) -> pd.DataFrame:
    """One row on the 15th of each month from `first`, one column per metric (None = not measured)."""
    months = pd.period_range(first, periods=len(next(iter(values.values()))), freq="M")
    frame = pd.DataFrame({"date": [p.to_timestamp() + pd.Timedelta(days=14) for p in months]})
    for metric, column in values.items():
        frame[metric] = pd.Series(column, dtype=float)
    for dim, value in dims.items():
        frame[dim] = value
    return frame


def context(config: Config, frame: pd.DataFrame, as_of: date, by: str | None = None) -> RuleContext:
    return build_context(config, Catalog(config.metrics), frame, as_of, by=by)


@pytest.fixture
def ctx_for() -> Callable[..., RuleContext]:
    return context


@pytest.fixture(autouse=True)
def _own_history(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every test its own run history (`kpi check` stores each run): none writes beside the shipped
    configs, and no test sees another's runs as its previous one. Tests of the default location
    remove KPI_HISTORY themselves."""
    monkeypatch.setenv("KPI_HISTORY", str(tmp_path_factory.mktemp("history") / "history.sqlite"))

"""drop skips the statistical test of a count or money total that moves less than `warn` (issue 12).

`below_warn` decides from the run rate and baseline that compare_counts / compare_amounts would
return, so skipping the test must never change a finding. The oracle is drop with the shortcut
switched off, on 200 campaigns of seeded random data: steps down and up, zero and negative
months, gaps, money and counts, `direction: up` and `down`, a running and a finished month.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import numpy as np
import pandas as pd
import pytest

from kpi_cli.config.models import Config
from kpi_cli.metrics.formulas import Catalog
from kpi_cli.review import build_context
from kpi_cli.rules import drop, drop_baseline, drop_quiet
from kpi_cli.rules.context import RuleContext
from kpi_cli.rules.drop_quiet import Quiet
from kpi_cli.stats import shift
from tests.config_with import config_with


def _rows(seed: int, as_of: date) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    days = pd.date_range("2025-06-01", as_of.isoformat(), freq="D")
    parts = []
    for i in range(200):
        level = float(rng.choice([0.2, 3.0, 40.0, 400.0]))
        step = np.where(days >= "2026-10-01", float(rng.choice([0.3, 0.7, 0.9, 1.0, 1.3, 2.5])), 1.0)
        leads = rng.poisson(level * step).astype(float)
        if rng.random() < 0.1:
            leads[days.month == int(rng.integers(1, 13))] = 0.0  # a month without events
        if rng.random() < 0.05:
            leads[rng.random(len(days)) < 0.1] = -1.0  # a net count with negative days
        unsubscribes = rng.poisson(level * step / 10).astype(float)
        revenue = rng.gamma(2.0, level * 50.0, len(days)) * step
        revenue[rng.random(len(days)) < 0.2] = np.nan  # days without a money figure
        parts.append(
            pd.DataFrame(
                {
                    "date": days,
                    "campaign": pd.array([f"c{i:03d}"] * len(days), dtype="string"),
                    "leads": leads,
                    "unsubscribes": unsubscribes,
                    "revenue": revenue,
                }
            )
        )
    return pd.concat(parts, ignore_index=True)


def _config(window: int, baseline: str) -> Config:
    rules: dict[str, Any] = {"drop": {"window": window, "baseline": baseline, "warn": 0.15}}
    return config_with(
        "below warn",
        [
            {"id": "leads", "metric": "leads", "target": 100, "rules": rules},
            {"id": "unsubscribes", "metric": "unsubscribes", "target": 5, "direction": "down"},
            {"id": "revenue", "metric": "revenue", "target": 1000},
        ],
        kgi_metric="revenue",
    )


@pytest.fixture(autouse=True)
def _view_by_view(monkeypatch: pytest.MonkeyPatch) -> None:
    """The per-view shortcuts are tested here, so drop's pass over all views at once (which finds
    most of these views quiet first: tests/rules/test_drop_quiet.py) is switched off."""
    monkeypatch.setattr(drop_quiet, "quiet_views", lambda planned, catalog: [Quiet()] * len(planned))


@pytest.mark.parametrize(
    ("seed", "as_of", "window", "baseline"),
    [
        (1, date(2026, 11, 20), 3, "trailing"),
        (2, date(2026, 10, 31), 3, "trailing"),
        (3, date(2026, 10, 9), 1, "previous"),
    ],
)
def test_skipping_the_test_below_warn_changes_no_finding(
    seed: int, as_of: date, window: int, baseline: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    ctx: RuleContext = build_context(
        _config(window, baseline), Catalog({}), _rows(seed, as_of), as_of, by="campaign"
    )
    fast = drop.evaluate(ctx)
    skipped = 0
    real = drop_baseline.below_warn

    def counting(*args: Any) -> bool:
        nonlocal skipped
        below = real(*args)
        skipped += below
        return below

    monkeypatch.setattr(drop_baseline, "below_warn", counting)
    again = drop.evaluate(ctx)
    monkeypatch.setattr(drop_baseline, "below_warn", lambda *args: False)
    tested = drop.evaluate(ctx)
    assert [repr(f) for f in fast] == [repr(f) for f in again] == [repr(f) for f in tested]
    # Not vacuous: many views are skipped, and findings of every kind remain.
    assert skipped > 100
    assert {f.evidence["kind"] for f in tested if "kind" in f.evidence} >= {"count", "amount"}


def test_skipping_the_sustained_tail_below_half_warn_changes_no_finding(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The sustained check asks stats.shift to stop before its t tail when the move is under half
    of `warn` (issue 12); drop with the full test on every view must find the same."""
    as_of = date(2026, 11, 20)
    ctx: RuleContext = build_context(
        _config(3, "trailing"), Catalog({}), _rows(4, as_of), as_of, by="campaign"
    )
    fast = drop.evaluate(ctx)
    real = shift.sustained_shift
    skipped = 0

    def full(*args: Any, least_adverse: float | None = None) -> Any:
        nonlocal skipped
        found = real(*args)
        skipped += found is not None and real(*args, least_adverse=least_adverse) is None
        return found

    monkeypatch.setattr(shift, "sustained_shift", full)
    tested = drop.evaluate(ctx)
    assert [repr(f) for f in fast] == [repr(f) for f in tested]
    assert skipped > 50  # not vacuous: many tails were skipped
    assert any(f.code == drop.Code.SUSTAINED for f in tested)

"""drop's first look at all views of a KPI at once (rules/drop_quiet.py, issue 12) changes no finding.

The oracle is drop with the pass switched off (every view judged one by one, as before), on the
200 seeded random campaigns of test_drop_below_warn (steps down and up, months without events,
negative days, money and counts, `direction: up` and `down`, running and finished months,
`trailing` and `previous` baselines). The pass must also mark many views in both ways, or it
proves nothing.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

import numpy as np
import pandas as pd
import pytest

from kpi_cli.metrics.formulas import Catalog
from kpi_cli.metrics.history import History
from kpi_cli.review import build_context
from kpi_cli.rules import drop, drop_quiet
from kpi_cli.rules.context import RuleContext
from kpi_cli.rules.drop_quiet import Quiet
from tests.rules.test_drop_below_warn import _config, _rows


def _marked(ctx: RuleContext, monkeypatch: pytest.MonkeyPatch) -> tuple[list[Any], tuple[int, int]]:
    """drop's findings, and how many views the pass marked quiet (judge, sustained) in that run."""
    recorded: list[Quiet] = []
    real = drop_quiet.quiet_views

    def recording(planned: Any, catalog: Any) -> list[Quiet]:
        found = real(planned, catalog)
        recorded.extend(found)
        return found

    monkeypatch.setattr(drop_quiet, "quiet_views", recording)
    findings = drop.evaluate(ctx)
    monkeypatch.undo()
    return findings, (sum(q.judge for q in recorded), sum(q.sustained for q in recorded))


@pytest.mark.parametrize(
    ("seed", "as_of", "window", "baseline"),
    [
        (1, date(2026, 11, 20), 3, "trailing"),
        (2, date(2026, 10, 31), 3, "trailing"),
        (3, date(2026, 10, 9), 1, "previous"),
        (5, date(2026, 12, 1), 6, "trailing"),
    ],
)
def test_the_quiet_pass_changes_no_finding(
    seed: int, as_of: date, window: int, baseline: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    ctx: RuleContext = build_context(
        _config(window, baseline), Catalog({}), _rows(seed, as_of), as_of, by="campaign"
    )
    fast, (judged, sustained) = _marked(ctx, monkeypatch)
    monkeypatch.setattr(drop_quiet, "quiet_views", lambda planned, catalog: [Quiet()] * len(planned))
    slow = drop.evaluate(ctx)
    assert [repr(f) for f in fast] == [repr(f) for f in slow]
    assert judged > 100 and sustained > 100  # not vacuous: most views are marked quiet
    assert drop.Code.COUNT in {f.code for f in slow}  # and findings remain


def test_views_with_gaps_in_their_periods_are_left_to_the_per_view_path() -> None:
    # A campaign whose rows skip a whole month still has every month in its history (the split
    # fills the months between with NaN), so it is laid out; a hand-made history with a missing
    # period is not, and is never marked.
    as_of = date(2026, 11, 20)
    ctx = build_context(_config(3, "trailing"), Catalog({}), _rows(1, as_of), as_of, by="campaign")
    view = next(v for v in ctx.kpis if v.segment is not None)
    assert drop_quiet._laid_out(view)
    gappy = view.trail
    keep = np.r_[np.arange(len(gappy.values) - 3), np.arange(len(gappy.values) - 2, len(gappy.values))]
    holed = History(
        gappy.values[keep], gappy.ordinals[keep], gappy.freq, index=pd.PeriodIndex(gappy.index[keep])
    )
    assert not drop_quiet._laid_out(replace(view, trail=holed))


def test_a_small_review_is_judged_view_by_view(monkeypatch: pytest.MonkeyPatch) -> None:
    as_of = date(2026, 11, 20)
    rows = _rows(1, as_of)
    few = rows[rows["campaign"].isin([f"c{i:03d}" for i in range(10)])]
    ctx = build_context(_config(3, "trailing"), Catalog({}), few, as_of, by="campaign")
    assert _marked(ctx, monkeypatch)[1] == (0, 0)  # 11 views a KPI: under the group size


def test_marks_what_the_exact_rule_would_say_on_a_hand_made_group() -> None:
    """32 campaigns of leads, 100 a month (30/31-day months) before; the reviewed month (Oct 2026,
    finished) at 100 for half of them and 70 for the others: -30 % against warn 0.15 is not quiet
    for `judge`; 0 % is (adverse 0 < 0.15). By hand: Sep 100 over 30 days, Aug and Jul 100 over 31;
    the Oct run rate 70/31*31 = 70 against (300/92)*31 = 101.1: -30.8 %."""
    days = pd.date_range("2026-01-01", "2026-10-31", freq="D")
    parts: list[pd.DataFrame] = []
    for i in range(32):
        leads = np.zeros(len(days))
        for month in range(1, 11):
            in_month = np.flatnonzero(days.month == month)
            leads[in_month[0]] = 100.0 if (month < 10 or i % 2 == 0) else 70.0
        parts.append(pd.DataFrame({"date": days, "campaign": f"c{i:02d}", "leads": leads}))
    frame = pd.concat(parts, ignore_index=True)
    as_of = date(2026, 10, 31)
    config: Any = _config(3, "trailing")
    ctx = build_context(config, Catalog({}), frame, as_of, by="campaign")
    settings = drop.PerTable(ctx.config, drop.NAME, drop.DropSettings)
    views = [v for v in ctx.kpis if v.kpi.id == "leads" and v.segment is not None]
    newest = [as_of]  # one list for the KPI's views, as drop.evaluate hands them
    planned = [drop_quiet.Planned(v, settings(v.kpi.rules), newest) for v in views]
    quiet = drop_quiet.quiet_views(planned, ctx.data.catalog)
    assert [q.judge for q in quiet] == [int(v.segment[1:]) % 2 == 0 for v in views]  # type: ignore[index]


def test_weekly_views_change_no_finding_either(monkeypatch: pytest.MonkeyPatch) -> None:
    """Weekly KPIs: each view's period is its own Period object, grouped by ordinal and kind."""
    as_of = date(2026, 11, 20)
    config = _config(3, "trailing").model_dump()
    for kpi in config["kpis"]:
        kpi["period"] = "week"
    weekly = type(_config(3, "trailing")).model_validate(config)
    ctx: RuleContext = build_context(weekly, Catalog({}), _rows(6, as_of), as_of, by="campaign")
    fast, (judged, sustained) = _marked(ctx, monkeypatch)
    monkeypatch.setattr(drop_quiet, "quiet_views", lambda planned, catalog: [Quiet()] * len(planned))
    slow = drop.evaluate(ctx)
    assert [repr(f) for f in fast] == [repr(f) for f in slow]
    assert judged > 100 and sustained > 100
    assert slow  # weekly counts do move


def test_the_p_values_mark_views_that_move_more_than_warn(monkeypatch: pytest.MonkeyPatch) -> None:
    """drop_quiet_p's tests mark views below_warn cannot (a big move that is only noise): with
    them switched off, fewer views are marked, and drop still finds the same."""
    as_of = date(2026, 11, 20)
    ctx: RuleContext = build_context(
        _config(3, "trailing"), Catalog({}), _rows(1, as_of), as_of, by="campaign"
    )
    with_p, (judged, sustained) = _marked(ctx, monkeypatch)
    never = lambda laid, *args: np.zeros(laid.grid.shape[0], dtype=bool)  # noqa: E731
    monkeypatch.setattr(drop_quiet, "counts_quiet", never)
    monkeypatch.setattr(drop_quiet, "amounts_quiet", never)
    monkeypatch.setattr(drop_quiet, "clears", lambda p, alpha: np.zeros(len(p), dtype=bool))
    without_p, (judged_before, sustained_before) = _marked(ctx, monkeypatch)
    assert [repr(f) for f in with_p] == [repr(f) for f in without_p]
    assert judged > judged_before and sustained > sustained_before

"""Regression tests for metrics.progress: milestone days and curve lengths."""

from __future__ import annotations

from datetime import date

import pytest

from kpi_cli.config.models import PaceRule
from kpi_cli.metrics.progress import expected_share

START, DEADLINE = date(2026, 1, 1), date(2026, 12, 31)


def _milestones(*points: tuple[date, float]) -> PaceRule:
    return PaceRule.model_validate({"milestones": [{"date": d.isoformat(), "target": t} for d, t in points]})


def test_day_after_a_milestone_counts_once() -> None:
    # 200 by 30 Jun, 1000 by 31 Dec. On 1 Jul one day of the 184 from 1 Jul to 31 Dec has passed:
    # expected 200 + 800 * 1/184 (the old code counted 30 Jun again: 2/185).
    pace = _milestones((date(2026, 6, 30), 200))
    share = expected_share(START, DEADLINE, date(2026, 7, 1), pace, 1000)
    assert share * 1000 == pytest.approx(200 + 800 * 1 / 184)
    # On the milestone day itself: exactly the milestone; on the deadline: the target.
    assert expected_share(START, DEADLINE, date(2026, 6, 30), pace, 1000) * 1000 == pytest.approx(200)
    assert expected_share(START, DEADLINE, DEADLINE, pace, 1000) == pytest.approx(1.0)


def test_first_segment_still_counts_its_first_day() -> None:
    pace = _milestones((date(2026, 1, 10), 100))
    # 1 Jan is day 1 of 10: 100 * 1/10
    assert expected_share(START, DEADLINE, date(2026, 1, 1), pace, 1000) * 1000 == pytest.approx(10)


def test_milestone_on_the_deadline() -> None:
    pace = _milestones((DEADLINE, 1000))
    assert expected_share(START, DEADLINE, DEADLINE, pace, 1000) == pytest.approx(1.0)


def test_short_curve_is_an_error_not_zeros() -> None:
    pace = PaceRule.model_validate({"curve": [1] * 11})  # 11 weights for 12 months
    with pytest.raises(ValueError, match="11 weight"):
        expected_share(START, DEADLINE, date(2026, 6, 30), pace, 1000)


def test_full_curve_weights_months() -> None:
    # Weights 1 for Jan..Nov and 9 for December: by 30 Nov, 11 of 20
    pace = PaceRule.model_validate({"curve": [1] * 11 + [9]})
    assert expected_share(START, DEADLINE, date(2026, 11, 30), pace, 1000) == pytest.approx(11 / 20)

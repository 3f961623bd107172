"""`judge_many` judges many actuals against one target as `judge` judges each alone (issue 12:
the 40,000 views of a `--by campaign` review are judged on arrays, one Progress made per view).

Reference: `judge` itself, called once per actual, on seeded random figures that cover every
branch: no target (NaN), no data (NaN actual), a zero or negative expectation, zero and negative
actuals for `down`, a running period with each status band, and a finished one."""

from __future__ import annotations

import math

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from kpi_cli.metrics.progress import judge, judge_many
from kpi_cli.rules.pace import PaceSettings

FIGURES = st.one_of(
    st.just(math.nan),
    st.sampled_from([0.0, -0.0, 1.0, -3.0, 0.95, 0.75, 1e-300, 1e300]),
    st.floats(-1e9, 1e9, allow_nan=False),
)


@settings(max_examples=300, deadline=None)
@given(
    actuals=st.lists(FIGURES, max_size=30),
    target=st.one_of(st.just(math.nan), st.floats(-1e6, 1e9, allow_nan=False)),
    scale=st.sampled_from([1.0, 0.5, 17 / 30, 0.0]),
    direction=st.sampled_from(["up", "down"]),
    running=st.booleans(),
    bands=st.sampled_from([(0.95, 0.75), (1.0, 1.0), (1.2, 0.5)]),
)
def test_each_progress_equals_judge_of_that_actual_alone(
    actuals: list[float],
    target: float,
    scale: float,
    direction: str,
    running: bool,
    bands: tuple[float, float],
) -> None:
    pace = PaceSettings(on_track=bands[0], off_track=bands[1])
    expected, elapsed = target * scale, 0.4
    many = judge_many(
        np.array(actuals, dtype=np.float64),
        target,
        expected,
        direction=direction,
        in_progress=running,
        elapsed=elapsed,
        pace=pace,
    )
    alone = [
        judge(
            None if math.isnan(a) else a,
            target,
            expected,
            direction=direction,
            in_progress=running,
            elapsed=elapsed,
            pace=pace,
        )
        for a in actuals
    ]
    assert len(many) == len(alone)
    for got, want in zip(many, alone, strict=True):
        # repr: equal floats that print differently (-0.0, an np.float64) would change the JSON.
        assert repr(got) == repr(want)
        assert type(got.ratio) is type(want.ratio) and type(got.actual) is type(want.actual)


def test_the_bands_by_hand() -> None:
    """Target 100 half way through (expected 50): 50 on track, 40 at risk (0.8), 30 off (0.6)."""
    pace = PaceSettings()
    found = judge_many(
        np.array([50.0, 40.0, 30.0, math.nan]),
        100.0,
        50.0,
        direction="up",
        in_progress=True,
        elapsed=0.5,
        pace=pace,
    )
    assert [p.status for p in found] == ["on_track", "at_risk", "off_track", "no_data"]
    assert [p.ratio for p in found] == [1.0, 0.8, 0.6, None]
    cost = judge_many(
        np.array([0.0, 200.0]), 100.0, 100.0, direction="down", in_progress=False, elapsed=1.0, pace=pace
    )
    assert [(p.ratio, p.status) for p in cost] == [(math.inf, "met"), (0.5, "missed")]

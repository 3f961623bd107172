"""How far along a number is against what was expected by --as-of, and the status that follows."""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass
from datetime import date, timedelta

from kpi_cli.config.models import PaceRule
from kpi_cli.lazy_pandas import np
from kpi_cli.metrics import periods
from kpi_cli.metrics.alike import alike
from kpi_cli.stats.compare import Direction
from kpi_cli.stats.exposure import Coverage
from kpi_cli.stats.pace import outlook


@dataclass(frozen=True)
class Progress:
    actual: float | None
    target: float
    expected: float | None
    ratio: float | None
    status: str
    in_progress: bool
    elapsed: float
    # Set when a running count was judged on the days its data covers (see `counted`):
    probability: float | None = None  # of reaching the target by the period's end
    p_value: float | None = None  # of a pace this short if the KPI were exactly on target
    covered: Coverage | None = None

    @property
    def gap(self) -> float | None:
        """How far actual is from the target (positive: still needed for `up`, excess for `down`)."""
        if self.actual is None:
            return None
        return self.target - self.actual


def achievement(actual: float, expected: float, direction: str) -> float:
    """>= 1 means at or ahead of expectation, whichever way is better."""
    if direction == "up":
        return math.inf if expected <= 0 else actual / expected
    if actual <= 0:
        return math.inf
    return expected / actual


def judge(
    actual: float | None,
    target: float,
    expected: float,
    *,
    direction: str,
    in_progress: bool,
    elapsed: float,
    pace: PaceRule,
) -> Progress:
    if math.isnan(target):
        return Progress(actual, target, None, None, "no_target", in_progress, elapsed)
    if actual is None or math.isnan(actual):
        return Progress(None, target, expected, None, "no_data", in_progress, elapsed)
    ratio = achievement(actual, expected, direction)
    status = _status(ratio, in_progress, pace)
    return Progress(actual, target, expected, ratio, status, in_progress, elapsed)


def judge_many(
    actuals: np.ndarray,
    target: float,
    expected: float,
    *,
    direction: str,
    in_progress: bool,
    elapsed: float,
    pace: PaceRule,
) -> list[Progress]:
    """`judge` of each actual (NaN: no data) against one target, as the views of a `--by` KPI are.

    The achievements and statuses are computed on the arrays: a float64 division or comparison
    in numpy is the same IEEE operation on the same floats as in Python, so each Progress equals
    what `judge` gives that actual alone (tests/metrics/test_judge_many.py); one object a view is
    all that is left per view. The views without data share one Progress (it is frozen).
    """
    timing = {"in_progress": in_progress, "elapsed": elapsed}
    if math.isnan(target):  # a `--by` value without a segment target: most of the 40,000 views
        unjudged = {"target": target, "expected": None, "ratio": None, "status": "no_target", **timing}
        return alike(Progress, unjudged, actual=_floats(actuals))
    no_data = Progress(None, target, expected, None, "no_data", in_progress, elapsed)
    measured = ~np.isnan(actuals)
    ratios = _achievements(actuals, expected, direction)[measured].tolist()
    judged = iter(
        alike(
            Progress,
            {"target": target, "expected": expected, **timing},
            actual=actuals[measured].tolist(),
            ratio=ratios,
            # `_status` itself: the bands are written once (only views with a target get here)
            status=[_status(ratio, in_progress, pace) for ratio in ratios],
        )
    )
    return [next(judged) if one else no_data for one in measured.tolist()]


def _floats(values: np.ndarray) -> list[float | None]:
    """Python floats, None for NaN (as History.last_at hands `judge` its actual)."""
    found = values.astype(object)
    found[np.isnan(values)] = None
    return list(found.tolist())


def _achievements(actuals: np.ndarray, expected: float, direction: str) -> np.ndarray:
    """`achievement` of each actual (NaN where there is none); a quotient past the largest float
    is inf, as Python's division gives it, without numpy's warning."""
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        if direction == "up":
            return np.full(len(actuals), math.inf) if expected <= 0 else actuals / expected
        return np.where(actuals <= 0, math.inf, expected / actuals)


def _status(ratio: float, in_progress: bool, pace: PaceRule) -> str:
    if not in_progress:
        return "met" if ratio >= 1 else "missed"
    if ratio >= pace.on_track:
        return "on_track"
    return "at_risk" if ratio >= pace.off_track else "off_track"


def expected_share(start: date, deadline: date, as_of: date, pace: PaceRule, target: float) -> float:
    """Share of the target expected by as_of: linear by default, else along a curve or milestones."""
    if pace.milestones:
        return _milestone_share(start, deadline, as_of, pace, target)
    if pace.curve:
        return _curve_share(start, deadline, as_of, pace.curve)
    return periods.span_fraction(start, deadline, as_of)


def _curve_share(start: date, deadline: date, as_of: date, curve: list[float]) -> float:
    """`curve` weighs each month of start..deadline (e.g. a heavy December); weights need not sum to 1.

    A curve shorter than the span used to be padded with zeros, silently expecting nothing of the
    months it left out; it is now an error (the config loader reports it when the config loads).
    Extra weights after the deadline's month are ignored.
    """
    months = periods.periods_between(start, deadline, "month")
    if len(curve) < len(months):
        raise ValueError(
            f"pace curve has {len(curve)} weight(s) for the {len(months)} months from {start} to {deadline}"
        )
    weights = curve[: len(months)]
    total = sum(weights) or 1.0
    done = sum(w * _month_share(m, start, deadline, as_of) for w, m in zip(weights, months, strict=True))
    return done / total


def _month_share(month: object, start: date, deadline: date, as_of: date) -> float:
    first = max(periods.first_day(month), start)  # type: ignore[arg-type]
    last = min(periods.last_day(month), deadline)  # type: ignore[arg-type]
    return periods.span_fraction(first, last, as_of) if as_of >= first else 0.0


def _milestone_share(start: date, deadline: date, as_of: date, pace: PaceRule, target: float) -> float:
    """Linear between dated interim targets: (start, 0), milestones..., (deadline, target).

    The first segment runs from start's day; each later one from the day AFTER its milestone,
    whose day already belongs to the segment before (counting it in both made the day after a
    milestone count as two days of progress).
    """
    points = [(start, 0.0)] + [
        (m.date, m.target) for m in sorted(pace.milestones or [], key=lambda m: m.date)
    ]
    points.append((deadline, target))
    for index, ((d0, v0), (d1, v1)) in enumerate(itertools.pairwise(points)):
        if as_of <= d1:
            first = d0 if index == 0 else d0 + timedelta(days=1)
            share = periods.span_fraction(first, d1, as_of) if as_of >= first and d1 >= first else 0.0
            return (v0 + (v1 - v0) * share) / target if target else 1.0
    return 1.0


def counted(
    actual: float,
    target: float,
    covered: Coverage,
    direction: str,
    history: list[float],
    history_days: list[float],
) -> Progress:
    """A running count judged on the days its data covers, against the KPI's own noise.

    The ratio bands (0.95 / 0.75 of expected) made a KPI exactly on target read at risk or off
    track on 66 % of days (benchmarks/calibration.py): a 3-a-month KPI with 1 deal by the 10th is
    "33 % of pace" and a month running 10 % low is ordinary. stats.pace.outlook asks instead how
    likely a pace this short is if the KPI were on target (negative binomial with the month-to-
    month variation of its complete periods): off track below p = 0.02, at risk below 0.10.
    """
    expected = target * covered.days / covered.period_days
    result = outlook(
        actual, covered.days, covered.period_days, target, Direction(direction), history, history_days
    )
    ratio = achievement(actual, expected, direction)
    return Progress(
        actual,
        target,
        expected,
        ratio,
        str(result.status),
        True,
        covered.fraction,
        result.probability,
        result.p_value,
        covered,
    )

"""drop's measurement: the reviewed period against its baseline periods, beyond the KPI's own noise.

Split from drop.py (issue 9): this module picks the baseline window and compares the period with
it by kind (counts and money totals per day with days as exposure, shares per period, money
ratios on the log scale) through kpi_cli.stats.compare; drop.py decides, words and reports.
"""

from __future__ import annotations

import math
from bisect import bisect_left, bisect_right
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date
from functools import lru_cache

from kpi_cli.assess import KpiView
from kpi_cli.i18n import Wording
from kpi_cli.lazy_pandas import pd
from kpi_cli.metrics import periods
from kpi_cli.metrics.dataset import Dataset
from kpi_cli.metrics.history import History
from kpi_cli.rules.context import RuleContext
from kpi_cli.rules.exposure import period_coverage
from kpi_cli.sources.canonical import MONEY
from kpi_cli.stats.compare import (
    Comparison,
    Direction,
    compare_amounts,
    compare_counts,
    compare_ratios,
    compare_shares,
)
from kpi_cli.stats.exposure import Coverage

HISTORY_PERIODS = 12  # complete periods the noise is estimated from


@dataclass(frozen=True)
class Move:
    """The reviewed period against its baseline, both as a per-full-period figure."""

    kind: str  # count | rate | amount | ratio
    current: float  # as measured so far
    rate: float  # current, pro-rated to a full period where it is a flow
    baseline: float
    direction: str
    significant: bool = True
    p_value: float | None = None
    interval: tuple[float, float] | None = None
    extra: dict[str, object] = field(default_factory=dict)

    @property
    def change(self) -> float:
        if self.baseline == 0:
            return math.inf if self.rate > 0 else 0.0  # a rise from nothing: worded "from 0"
        return self.rate / self.baseline - 1

    @property
    def adverse(self) -> float:
        """The relative move the bad way (a fall for `up`, a rise for `down`); negative if good."""
        return -self.change if self.direction == "up" else self.change

    def evidence(self) -> dict[str, object]:
        return {
            "kind": self.kind,
            "current": self.current,
            "run_rate": self.rate,
            "baseline": self.baseline,
            "relative_change": self.change,
            "direction": self.direction,
            "p_value": self.p_value,
            "interval": list(self.interval) if self.interval else None,
            **self.extra,
        }


@dataclass(frozen=True)
class Window:
    """The reviewed period and its baseline, by position in the view's history.

    The periods, days and noise history are taken from the trail when read (each is read once or
    twice): drop reads only `values`, `current` and the days of most of 40,000 `--by campaign`
    views (those that move less than `warn`, `below_warn`), and building every list up front
    cost ~5 us a view."""

    period: pd.Period
    current: float
    mode: str
    in_progress: bool
    covered: Coverage
    values: list[float]  # the KPI in each baseline period
    trail: History = field(repr=False)
    chosen: list[int] = field(repr=False)  # the baseline periods' positions in the trail
    end: int = field(repr=False)  # the reviewed period's position: the periods before it are [0, end)
    all_values: list[float] = field(repr=False, compare=False)  # the trail's values as a list
    _memo: dict[str, list[int]] = field(default_factory=dict, init=False, repr=False, compare=False)

    @property
    def elapsed(self) -> float:
        return self.covered.fraction

    @property
    def baseline(self) -> list[pd.Period]:
        return [self.trail.period(i) for i in self.chosen]

    @property
    def baseline_days(self) -> list[float]:
        """Each baseline period's days (its exposure), in the same order as the periods."""
        days = self.trail.day_counts()
        return [days[i] for i in self.chosen]

    @property
    def _past(self) -> list[int]:
        """The periods with data before the reviewed one (at most HISTORY_PERIODS), for the noise."""
        past = self._memo.get("past")
        if past is None:
            values = self.all_values
            past = self._memo["past"] = [i for i in range(self.end) if not math.isnan(values[i])][
                -HISTORY_PERIODS:
            ]
        return past

    @property
    def history_periods(self) -> list[pd.Period]:
        return [self.trail.period(i) for i in self._past]

    @property
    def history(self) -> list[float]:
        return [self.all_values[i] for i in self._past]

    @property
    def history_days(self) -> list[float]:
        days = self.trail.day_counts()
        return [days[i] for i in self._past]

    @property
    def described(self) -> str | Wording:
        labels = [periods.label(p) for p in self.baseline]
        if self.mode == "previous" or len(labels) == 1:
            return labels[0]
        return Wording("drop.average", {"first": labels[0], "last": labels[-1]})


def view_data(ctx: RuleContext, view: KpiView) -> Dataset:
    """The rows behind a view (its `where:` and segment applied), or all rows for a hand-made view."""
    return view.data if view.data is not None else ctx.data


def window(
    view: KpiView,
    mode: str,
    size: int,
    newest: list[date] | None = None,
    trail: History | None = None,
) -> Window | None:
    """The reviewed period and its baseline periods with data; None when either has none.

    mode "previous": the period before; "trailing": the `size` periods before. By position on the
    history's ordinals, not label slices: `--by campaign` asks it of 40,000 views (issue 12).
    `trail`: `trail_of(view)` when the caller has it already."""
    period = view.period
    trail = trail if trail is not None else trail_of(view)
    # Python lists and bisect: on a view's ~20 periods numpy's calls cost more than the work.
    values, ordinals = trail.values.tolist(), trail.ordinals.tolist()
    end = bisect_right(ordinals, period.ordinal - 1)  # the periods before
    at = bisect_left(ordinals, period.ordinal)
    current = values[at] if at < len(ordinals) and ordinals[at] == period.ordinal else math.nan
    start = max(end - (1 if mode == "previous" else size), 0)
    chosen = [i for i in range(start, end) if not math.isnan(values[i])]
    if math.isnan(current) or not chosen:
        return None
    running = periods.in_progress(period, view.as_of)
    covered = coverage_of(period, tuple(newest) if newest is not None else (view.as_of,), view.as_of)
    if covered.days == 0:
        return None
    baseline = [values[i] for i in chosen]
    return Window(period, current, mode, running, covered, baseline, trail, chosen, end, values)


@lru_cache(maxsize=4096)
def coverage_of(period: pd.Period, newest: tuple[date, ...], as_of: date) -> Coverage:
    """period_coverage, once per period and sources' dates (every view of a KPI shares them)."""
    return period_coverage(period, newest, as_of)


@lru_cache(maxsize=4096)
def _described(covered: Coverage) -> str:
    return covered.describe()


def trail_of(view: KpiView) -> History:
    """The view's history as arrays; a hand-made view (tests) may carry only a Series."""
    trail = getattr(view, "trail", None)
    return trail if isinstance(trail, History) else History.of_series(view.history)


def complete_tail(
    view: KpiView, count: int, trail: History | None = None
) -> tuple[list[pd.Period], list[float]]:
    """The last `count` complete periods with data (`view.complete_history.dropna().tail(count)`)."""
    trail = trail if trail is not None else trail_of(view)
    kept = complete_positions(view, count, trail)
    return [trail.period(i) for i in kept], [float(trail.values[i]) for i in kept]


def complete_positions(view: KpiView, count: int, trail: History) -> list[int]:
    """Where in the trail `complete_tail`'s periods are (their days: `trail.days(position)`)."""
    values = trail.values.tolist()  # lists: numpy's calls cost more than ~20 periods' work
    end = len(values) - 1 if trail.running_last(view.as_of) else len(values)
    return [i for i in range(end) if not math.isnan(values[i])][-count:] if count > 0 else []


def _at(series: pd.Series, period: pd.Period) -> float:
    value = series.get(period)
    return math.nan if value is None or pd.isna(value) else float(value)


def below_warn(view: KpiView, frame: Window, warn: float, ctx: RuleContext) -> bool:
    """A count or money total whose run rate moves less than `warn` the bad way against its baseline.

    Those are the very figures compare_counts and compare_amounts return (per day, times the
    period's days: `_move`), so drop reports nothing for it whatever the p-value, and the test
    (~40 us) is skipped: most of the 40,000 views of `--by campaign` move less than `warn`. A
    baseline without events (a rise from nothing) is left to the test.
    """
    metric, catalog = view.kpi.metric, ctx.data.catalog
    if catalog.proportion(metric) is not None or not catalog.additive(metric):
        return False
    total = sum(frame.values)
    if total <= 0:
        return False
    now, rate0 = frame.current / frame.covered.days, total / sum(frame.baseline_days)
    per_period = frame.covered.period_days
    move = Move("count", frame.current, now * per_period, rate0 * per_period, view.kpi.direction)
    return move.adverse < warn


def measure(view: KpiView, frame: Window, alpha: float, ctx: RuleContext) -> Move | None:
    metric, catalog = view.kpi.metric, ctx.data.catalog
    if catalog.proportion(metric) is not None:
        return _share(view, frame, alpha, view_data(ctx, view))
    if catalog.additive(metric):
        money = bool(catalog.columns(metric) & MONEY)
        return _amount(view, frame, alpha) if money else _count(view, frame, alpha)
    return _ratio(view, frame, alpha, view_data(ctx, view))


def _move(kind: str, view: KpiView, frame: Window, found: Comparison | None, alpha: float) -> Move | None:
    """A comparison on the per-day (or share, or ratio) scale, as figures per full reviewed period."""
    if found is None:
        return None
    per_period = frame.covered.period_days if kind in ("count", "amount") else 1.0
    extra: dict[str, object] = {"test": found.test, "coverage": _described(frame.covered)}
    return Move(
        kind,
        frame.current,
        found.current * per_period,
        found.baseline * per_period,
        view.kpi.direction,
        found.p_value < alpha,
        found.p_value,
        extra=extra,
    )


def _count(view: KpiView, frame: Window, alpha: float) -> Move | None:
    """Per-day rates, days as exposure, noise from the complete periods before (stats.compare)."""
    if min(frame.current, *frame.values, *frame.history) < 0:  # a net count (followers): a money total
        return _amount(view, frame, alpha)
    return _per_day("count", compare_counts, view, frame, alpha)


def _amount(view: KpiView, frame: Window, alpha: float) -> Move | None:
    return _per_day("amount", compare_amounts, view, frame, alpha)


def _per_day(
    kind: str, test: Callable[..., Comparison | None], view: KpiView, frame: Window, alpha: float
) -> Move | None:
    """A flow compared per day: this period on its covered days against the baseline periods."""
    found = test(
        frame.current,
        frame.covered.days,
        frame.values,
        frame.baseline_days,
        Direction(view.kpi.direction),
        frame.history,
        frame.history_days,
    )
    return _move(kind, view, frame, found, alpha)


def _columns(data: Dataset, view: KpiView, frame: Window, names: tuple[str, str]) -> list[pd.Series] | None:
    sums = data.sums(view.kpi.period)
    if not set(names) <= set(sums.columns):
        return None
    return [sums[name] for name in names]


def _pairs(columns: list[pd.Series], index: list[pd.Period] | pd.Index) -> list[tuple[float, float]]:
    top, bottom = columns
    return [(_at(top, p), _at(bottom, p)) for p in index if not math.isnan(_at(top, p) + _at(bottom, p))]


def _share(view: KpiView, frame: Window, alpha: float, data: Dataset) -> Move | None:
    """Hits and trials per period (not pooled), Laney p' noise from the complete periods before."""
    pair = data.catalog.proportion(view.kpi.metric)
    assert pair is not None
    columns = _columns(data, view, frame, pair)
    if columns is None:
        return None
    hits, trials = (_at(c, frame.period) for c in columns)
    base, past = _pairs(columns, frame.baseline), _pairs(columns, frame.history_periods)
    if math.isnan(hits + trials) or not base or not 0 <= hits <= trials:
        return None
    found = compare_shares(
        hits,
        trials,
        [h for h, _ in base],
        [t for _, t in base],
        Direction(view.kpi.direction),
        [h for h, _ in past],
        [t for _, t in past],
    )
    move = _move("rate", view, frame, found, alpha)
    return None if move is None else replace(move, current=hits / trials)


def _ratio(view: KpiView, frame: Window, alpha: float, data: Dataset) -> Move | None:
    """A money ratio (CPA = cost / customers, ROAS): the log ratio, noise from the count behind it."""
    formula = data.catalog.formulas.get(view.kpi.metric)
    names = formula.ratio_of_names if formula is not None else None
    columns = _columns(data, view, frame, names) if names is not None else None
    if names is None or columns is None:
        return None
    now = (_at(columns[0], frame.period), _at(columns[1], frame.period))
    counted = (names[0] not in MONEY, names[1] not in MONEY)
    found = compare_ratios(
        *now,
        _pairs(columns, frame.baseline),
        Direction(view.kpi.direction),
        _pairs(columns, frame.history_periods),
        counted=counted,
    )
    return _move("ratio", view, frame, found, alpha)

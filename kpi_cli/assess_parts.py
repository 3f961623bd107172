"""Every `--by` view of a monthly KPI at once, from the split's monthly sums (review._views).

`assess_kpi` builds one view at a time, ~11 us each: 0.45 s for the 40,000 views of the
10,000-campaign benchmark. A monthly, non-cumulative KPI of a measured metric (not a formula)
reads, for every value, one column of the split's ragged monthly sums (metrics.split_sums): the
month's actual, the achievement and the status are computed for all values at once by the same
float operations (progress.judge_many), and only the light objects are made per view. What this
does not read (a value without a part, a split summed per part, any other KPI) is left to
`assess_kpi`; tests/test_assess_parts.py holds every view equal to what `assess_kpi` gives.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import date

from kpi_cli.assess import KpiView, period_timing, with_target
from kpi_cli.config.models import KpiConfig
from kpi_cli.lazy_pandas import np, pd
from kpi_cli.metrics.alike import alike
from kpi_cli.metrics.dataset import Dataset
from kpi_cli.metrics.history import History
from kpi_cli.metrics.progress import Progress, judge_many
from kpi_cli.metrics.split_sums import SplitSums
from kpi_cli.rules.pace import PaceSettings
from kpi_cli.status import Dimension


def assess_parts(
    effective: KpiConfig,
    data: Dataset,
    month: pd.Period,
    dimension: Dimension,
    pace: PaceSettings,
    values: list[str],
    targeted: Callable[[str], KpiConfig],
) -> dict[str, KpiView]:
    """The views of `values` this can build, by value: `effective` is the KPI after its pivots,
    `targeted(value)` the copy judged against that value's segment target (as assess_kpi takes)."""
    sums = data.split_sums(dimension)
    if sums is None or effective.cumulative or effective.period != "month":
        return {}
    metric = effective.metric
    if metric in data.catalog.formulas:
        return {}
    parts = data.split(dimension)
    readable = [v for v in values if v in sums.parts]
    if not readable:
        return {}
    at = np.array([sums.parts[v] for v in readable], dtype=np.int64)
    first, start = sums.first[at], sums.offsets[at]
    held = sums.offsets[at + 1] - start  # months each part holds, through the review's month
    # Each history cut at the month (History.up_to) and its last value if it is that month's
    # (History.last_at): the month's slot is past the last only under an earlier `--month`.
    slot = month.ordinal - int(sums.months[0].ordinal)
    lengths = np.clip(slot - first + 1, 0, held)
    column = sums.column(metric)
    has_month = (first <= slot) & (slot < len(sums.months))
    actuals = np.where(has_month, column[start + np.clip(slot - first, 0, held - 1)], np.nan)
    running, elapsed = period_timing(month, data.as_of)
    scale = elapsed if (running and data.catalog.additive(metric)) else 1.0

    kpis: list[KpiConfig | None] = [None] * len(readable)
    progress: list[Progress | None] = [None] * len(readable)
    for kpi, rows in _by_target(readable, effective, targeted):
        found = judge_many(
            actuals[rows],
            kpi.target,
            kpi.target * scale,
            direction=kpi.direction,
            in_progress=running,
            elapsed=elapsed,
            pace=pace,
        )
        for row, one in zip(rows.tolist(), found, strict=True):
            kpis[row], progress[row] = kpi, one

    trails, complete = _trails(sums, metric, column, first, start, lengths, held, data.as_of)
    own = [parts[value] for value in readable]
    estimated = [p.estimated_share(metric, "month", month) if p.may_estimate else None for p in own]
    made = alike(
        KpiView,
        {"period": month, "as_of": data.as_of, "dimension": dimension},
        kpi=kpis,
        segment=readable,
        progress=progress,
        trail=trails,
        data=own,
        estimated=estimated,
        complete=complete,
    )
    return dict(zip(readable, made, strict=True))


def _trails(
    sums: SplitSums,
    metric: str,
    column: np.ndarray,
    first: np.ndarray,
    start: np.ndarray,
    lengths: np.ndarray,
    held: np.ndarray,
    as_of: date,
) -> tuple[list[History], list[np.ndarray]]:
    """Each part's history of `column` cut at its `length` (History.up_to), and its complete
    values (KpiView.complete_values): the history without a last period still running at as_of."""
    trails, complete = [], []
    freq = sums.months.freq
    # Every history with a period ends in the same one (the month, or the newest before it), so
    # whether that period is still running (History.running_last) is asked of the first only.
    running_last: bool | None = None
    for first_slot, begin, length, count in zip(
        first.tolist(), start.tolist(), lengths.tolist(), held.tolist(), strict=True
    ):
        index, ordinals = sums.months_from(first_slot)
        floats = column[begin : begin + length]
        trail = History(
            floats, ordinals if length == count else ordinals[:length], freq, index=index, name=metric
        )
        if running_last is None and length:
            running_last = trail.running_last(as_of)
        trails.append(trail)
        complete.append(floats[:-1] if length and running_last else floats)
    return trails, complete


def _by_target(
    values: list[str], effective: KpiConfig, targeted: Callable[[str], KpiConfig]
) -> list[tuple[KpiConfig, np.ndarray]]:
    """The positions of `values` per KPI copy they are judged as (`targeted` makes one copy per
    segment target: without segment targets, all values share one). Each copy is checked against
    the value's own target as `assess_kpi` does: one copy may serve 0.0 and -0.0, equal as keys."""
    if not effective.segment_targets:
        return [(with_target(targeted(values[0]), math.nan), np.arange(len(values)))]
    rows: dict[int, tuple[KpiConfig, list[int]]] = {}
    for row, value in enumerate(values):
        kpi = with_target(targeted(value), effective.segment_targets.get(value, math.nan))
        rows.setdefault(id(kpi), (kpi, []))[1].append(row)
    return [(kpi, np.array(found, dtype=np.int64)) for kpi, found in rows.values()]

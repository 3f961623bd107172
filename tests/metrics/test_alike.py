"""`alike` makes the instances `cls(...)` makes (issue 12: the 40,000 views' Progress and KpiView
objects, made without a frozen __init__'s per-field setattr). Reference: the constructor itself."""

from __future__ import annotations

import math
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

import numpy as np
import pandas as pd
import pytest

from kpi_cli.assess import KpiView
from kpi_cli.config.models import KpiConfig
from kpi_cli.metrics.alike import alike
from kpi_cli.metrics.history import History
from kpi_cli.metrics.progress import Progress


def _same(got: object, want: object) -> None:
    assert type(got) is type(want) and repr(got) == repr(want)
    assert list(vars(got).items()) == list(vars(want).items())  # the same fields, in the same order


def test_progress_with_one_column_and_with_several() -> None:
    actuals = [1.0, None, -0.0, math.inf]
    shared = {
        "target": 5.0,
        "expected": 2.5,
        "ratio": None,
        "status": "no_target",
        "in_progress": True,
        "elapsed": 0.5,
    }
    for got, actual in zip(alike(Progress, shared, actual=actuals), actuals, strict=True):
        _same(got, Progress(actual, 5.0, 2.5, None, "no_target", True, 0.5))
        assert got == Progress(actual, 5.0, 2.5, None, "no_target", True, 0.5)
    rows = alike(
        Progress,
        {"target": 1.0, "in_progress": False, "elapsed": 1.0},
        actual=[2.0],
        expected=[1.0],
        ratio=[2.0],
        status=["met"],
    )
    _same(rows[0], Progress(2.0, 1.0, 1.0, 2.0, "met", False, 1.0))


def test_a_kpi_view_reads_its_cached_properties_as_one_made_by_its_constructor() -> None:
    index = pd.period_range("2026-01", "2026-03", freq="M")
    trail = History(np.array([1.0, np.nan, 3.0]), index.asi8, index.freq, index=index, name="leads")
    kpi = KpiConfig.model_validate({"id": "leads", "metric": "leads", "target": 3.0})
    progress = Progress(3.0, 3.0, 3.0, 1.0, "met", False, 1.0)
    shared = {"period": index[-1], "as_of": date(2026, 4, 2), "dimension": None}
    [got] = alike(KpiView, shared, kpi=[kpi], segment=["c1"], progress=[progress], trail=[trail])
    want = KpiView(kpi, "c1", index[-1], progress, trail, date(2026, 4, 2))
    _same(got, want)
    assert got.status == "met" and got.complete_values is trail.values  # March is over by 2 April
    pd.testing.assert_series_equal(got.complete_history, want.complete_history)
    with pytest.raises(AttributeError):
        got.segment = "c2"  # type: ignore[misc]  # frozen as the constructor's


def test_missing_unknown_fields_and_unfit_classes_are_refused() -> None:
    with pytest.raises(TypeError, match="without a value \\['elapsed'\\]"):
        alike(
            Progress,
            {"target": 1.0, "expected": 1.0, "ratio": 1.0, "status": "met", "in_progress": False},
            actual=[1.0],
        )
    with pytest.raises(TypeError, match="unknown fields \\['colour'\\]"):
        alike(Progress, {"colour": 1}, actual=[1.0])

    @dataclass(frozen=True)
    class Checked:
        value: float

        def __post_init__(self) -> None:
            assert self.value >= 0

    @dataclass
    class Mutable:
        value: float

    @dataclass(frozen=True)
    class Derived:
        value: float
        doubled: float = field(init=False)

    for unfit in (Checked, Mutable, Derived):
        with pytest.raises(TypeError, match="not a plain frozen dataclass"):
            alike(unfit, {}, value=[1.0])


def test_the_instances_share_their_dict_keys_as_the_constructors_do() -> None:
    """A dict of its own per instance took ~530 bytes a KpiView, +20 MB over the benchmark's
    40,000 views; filled into the instance's own dict, the keys stay shared with the class.
    Reference: tracemalloc of the same instances made the three ways."""
    shared = {
        "target": 1.0,
        "expected": None,
        "ratio": None,
        "status": "no_target",
        "in_progress": False,
        "elapsed": 1.0,
    }
    actuals = [float(i) for i in range(2_000)]

    def traced(make: Callable[[], object]) -> int:
        tracemalloc.start()
        try:
            made = make()
            return tracemalloc.get_traced_memory()[0] + 0 * id(made)
        finally:
            tracemalloc.stop()

    def own_dicts() -> list[Progress]:
        """The first version: each instance given a dict of its own (a copy of the fields)."""
        fields = vars(Progress(0.0, **shared))  # type: ignore[arg-type]
        made = []
        for a in actuals:
            one = object.__new__(Progress)
            object.__setattr__(one, "__dict__", {**fields, "actual": a})
            made.append(one)
        return made

    by_constructor = traced(lambda: [Progress(a, **shared) for a in actuals])  # type: ignore[arg-type]
    by_alike = traced(lambda: alike(Progress, shared, actual=actuals))
    by_own_dicts = traced(own_dicts)
    # Measured: ~170, ~280 and ~340 bytes an instance (the instance's dict is made, keys shared).
    assert by_constructor < by_alike < 0.9 * by_own_dicts

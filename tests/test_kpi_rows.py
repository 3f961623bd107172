"""The KPI rows written straight from the views (kpi_cli/render/kpi_rows.py `written`) print what
the standard library prints for the rows as dicts: `json.dumps(safe(...), ensure_ascii=False,
indent=2)` of `document`'s `kpis`, byte for byte.

The written path lays out each kind of row once as a template and puts each view's own values in
its slots, so it is tried where a template could go wrong: `%` and NUL in names from files and
in the config's labels, text `clean` changes, NaN, infinity and numpy figures, every dimension
(`segment` fills the `segment` field itself), check-ins and estimates, and rows of several KPIs
and segment-target copies interleaved.
"""

from __future__ import annotations

import dataclasses
import json
from datetime import date
from functools import cache
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kpi_cli.assess import KpiView
from kpi_cli.config.models import Checkin
from kpi_cli.i18n import Lang
from kpi_cli.json_indent import Prewritten, written_at
from kpi_cli.jsonio import dumps, safe
from kpi_cli.metrics.formulas import Catalog
from kpi_cli.render import json_report, kpi_rows
from kpi_cli.review import Review, build_context
from kpi_cli.status import Dimension, Status
from tests.rules.test_drop_below_warn import _config, _rows

AS_OF = date(2026, 11, 30)


def reference(value: Any) -> str:
    return json.dumps(safe(value), ensure_ascii=False, indent=2, allow_nan=False)


@cache
def review() -> Review:
    config = _config(3, "trailing")
    reviewed = config.kpis[0].model_copy(update={"review_by": date(2026, 12, 15), "owner": "営業 50%"})
    config = config.model_copy(update={"kpis": [reviewed, *config.kpis[1:]]})
    return Review(build_context(config, Catalog({}), _rows(2, AS_OF), AS_OF, by="campaign"), [])


def written_text(views: list[KpiView]) -> str:
    json_report._SHARED.clear()
    return dumps({"kpis": kpi_rows.written(views, json_report._shared)})


def dict_text(views: list[KpiView]) -> str:
    json_report._SHARED.clear()
    return reference({"kpis": [kpi_rows.row(view, json_report._shared) for view in views]})


def test_a_by_campaign_report_prints_the_same_written_or_as_dicts() -> None:
    r = review()
    assert len(r.kpis) == 3 * 201  # three KPIs, overall and per campaign
    for lang in Lang:
        written = dumps(json_report.to_write(r, lang))
        assert written == reference(json_report.document(r, lang))
        assert '"campaign": "c000"' in written and '"owner": "営業 50%"' in written


AWKWARD = [
    "50% off %s %d %(x)s %%",
    "nul\x00 0\x00 1\x00",
    "\x000\x00",  # a slot's own mark, as a name from a file
    'quote " backslash \\ ',
    "bidi \u202e esc \x1b[2J tab\there\nnew line",
    "lone \ud800 surrogate",
    "日本語のキャンペーン",
    "",
]


def varied(view: KpiView, i: int) -> KpiView:
    """The view with the i-th combination of awkward values."""
    figures: list[Any] = [float("nan"), float("inf"), -0.0, np.float64(2.5), np.int64(3), 1e16, None, 7]
    dimensions = [None, Dimension.SEGMENT, Dimension.CAMPAIGN, Dimension.CHANNEL]
    statuses: list[Any] = [Status.AT_RISK, "on_track", Status.MET]
    progress = dataclasses.replace(
        view.progress,
        actual=figures[i % len(figures)],
        expected=figures[(i + 3) % len(figures)],
        ratio=figures[(i + 5) % len(figures)],
        status=statuses[i % len(statuses)],
        in_progress=bool(i % 2),
    )
    checkin = Checkin(kpi=view.kpi.id, date=date(2026, 11, 1), confidence="at_risk") if i % 3 == 0 else None
    label = AWKWARD[(i + 1) % len(AWKWARD)]
    kpi = view.kpi if i % 4 else view.kpi.model_copy(update={"name": label, "target": figures[i % 8] or 1.0})
    return dataclasses.replace(
        view,
        kpi=kpi,
        progress=progress,
        segment=AWKWARD[i % len(AWKWARD)] if i % 5 else None,
        dimension=dimensions[i % len(dimensions)],
        checkin=checkin,
        estimated=[None, 0.25, float("nan"), np.float64(0.5)][i % 4],
    )


def test_awkward_rows_print_the_same_written_or_as_dicts() -> None:
    base = review().kpis
    views = [varied(base[i % len(base)], i) for i in range(160)]
    assert written_text(views) == dict_text(views)
    assert written_text([]) == dict_text([]) == '{\n  "kpis": []\n}'


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.integers(0, 3 * 201 - 1),
            st.text(max_size=8),
            st.one_of(st.none(), st.floats(), st.integers(-(10**20), 10**20)),
            st.sampled_from([None, *Dimension]),
            st.one_of(st.none(), st.floats(0, 1)),
            st.text(max_size=6),
        ),
        max_size=6,
    )
)
def test_generated_rows_print_the_same_written_or_as_dicts(
    picks: list[tuple[int, str, Any, Dimension | None, float | None, str]],
) -> None:
    base = review().kpis
    views = []
    for index, segment, actual, dimension, estimated, label in picks:
        view = base[index]
        kpi = view.kpi.model_copy(update={"name": label}) if label else view.kpi
        progress = dataclasses.replace(view.progress, actual=actual)
        views.append(
            dataclasses.replace(
                view, kpi=kpi, segment=segment, progress=progress, dimension=dimension, estimated=estimated
            )
        )
    assert written_text(views) == dict_text(views)


def test_rows_are_written_at_the_indent_they_are_met_at() -> None:
    views = review().kpis[:3]
    rows = [kpi_rows.row(view, json_report._shared) for view in views]
    prewritten = kpi_rows.written(views, json_report._shared)
    for value, plain in (
        ([prewritten], [rows]),
        ({"a": {"b": prewritten}}, {"a": {"b": rows}}),
    ):
        assert dumps(value) == reference(plain)
        assert dumps(value, indent=4) == json.dumps(plain, ensure_ascii=False, indent=4)


def test_a_prewritten_value_is_given_its_indent() -> None:
    seen: list[tuple[str, str]] = []

    def write(newline: str, step: str) -> list[str]:
        seen.append((newline, step))
        return ["[7,", " 8]"]

    assert dumps({"a": [Prewritten(write)]}) == '{\n  "a": [\n    [7, 8]\n  ]\n}'
    assert seen == [("\n    ", "  ")]
    assert written_at({"x": 1}, "\n  ", "  ") == '{\n    "x": 1\n  }'


@pytest.mark.parametrize("value", ["text", "x\u202ey", Status.MET, 0.5, float("nan"), None, True, False, 3])
def test_a_row_value_prints_as_the_writer_prints_it(value: Any) -> None:
    from kpi_cli.json_indent import value_text

    assert value_text(value, "\n", "  ") == written_at(value, "\n", "  ") == reference(value)


def test_the_dict_rows_figures_are_made_safe() -> None:
    """`row` (the contract's dict) makes its figures safe itself; the written rows leave it to the writer."""
    view = review().kpis[1]
    progress = dataclasses.replace(
        view.progress, actual=float("nan"), expected=np.float64(2.5), ratio=float("inf")
    )
    made = kpi_rows.row(
        dataclasses.replace(view, progress=progress, estimated=float("-inf")), json_report._shared
    )
    assert made["actual"] is None and made["achievement"] is None and made["estimated_share"] is None
    assert made["expected"] == 2.5 and type(made["expected"]) is float
    assert made["estimated"] is True

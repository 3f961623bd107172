"""The JSON report's KPI rows (kpi-check/1 `kpis`): one per view, 40,004 under `--by campaign`.

A row's fields are of two kinds: those every view of one KPI config prints alike (its id, metric,
target, owner, review date, name, primary, direction, days to review), computed once per config,
and the view's own (its figures, status, segment or `--by` value, period, check-in, estimate).
`row` builds the contract's dict from both; `written` writes the same rows as JSON text straight
from the views, for the report: a dict per row, then the encoder reading it back, took ~0.35 s of
a `--by campaign` report. Each kind of row (one KPI config, with or without a dimension) is laid
out once as a template by the one JSON writer (kpi_cli/json_indent.py), the row's own values in
slots; a row is then its own values' text put into the slots.
`tests/test_kpi_rows.py` checks the text against `dumps` of the dicts.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence
from operator import itemgetter
from typing import Any

from kpi_cli.assess import KpiView
from kpi_cli.config.models import KpiConfig
from kpi_cli.json_indent import Prewritten, string_text, value_text, written_at
from kpi_cli.jsonio import safe
from kpi_cli.status import Dimension

# What every view of one KPI config prints alike (kept for one document: ids are reused).
Shared = tuple[Any, ...]


def row(view: KpiView, shared: Callable[[KpiConfig, dt.date], Shared]) -> dict[str, Any]:
    """One KPI row as the contract's dict: its figures made safe (NaN and infinity null)."""
    own = tuple(_number(value) if i in _FIGURES else value for i, value in enumerate(_own(view)))
    return _assemble(shared(view.kpi, view.as_of), view.dimension, own)


# Where `_own` puts the figures: actual, expected, achievement, estimated_share.
_FIGURES = frozenset({0, 4, 5, 9})


def _own(view: KpiView) -> tuple[Any, ...]:
    """The view's own fields as they are: the writer prints each figure as `_number` (`safe`)
    would make it, so the written rows skip it (160,000 calls)."""
    p = view.progress
    return (
        p.actual,
        p.status,
        view.segment,
        view.period_label,
        p.expected,
        p.ratio,
        p.in_progress,
        view.checkin.confidence if view.checkin else None,
        view.estimated is not None,
        view.estimated,
    )


def _assemble(shared: Shared, dimension: Dimension | None, own: Sequence[Any]) -> dict[str, Any]:
    """The row in the contract's order of fields (README "JSON output")."""
    ident, metric, target, owner, review_by, name, primary, direction, days_to_review = shared
    actual, status, segment, period, expected, achievement, in_progress, confidence, estimated, share = own
    row = {
        "id": ident,
        "metric": metric,
        "actual": actual,
        "target": target,
        "status": status,
        "owner": owner,
        "review_by": review_by,
        # `segment` holds segment values only; a KPI split `--by channel` carries `channel: <value>`.
        "segment": segment if dimension is None or dimension == Dimension.SEGMENT else None,
    }
    if dimension is not None:
        row[str(dimension)] = segment
        row["dimension"] = str(dimension)
    row["name"] = name
    row["period"] = period
    row["primary"] = primary
    row["direction"] = direction
    row["expected"] = expected
    row["achievement"] = achievement
    row["in_progress"] = in_progress
    row["days_to_review"] = days_to_review
    row["owner_confidence"] = confidence
    row["estimated"] = estimated
    row["estimated_share"] = share
    return row


def shared_fields(kpi: KpiConfig, as_of: dt.date) -> Shared:
    review_by = kpi.review_by
    return (
        kpi.id,
        kpi.metric,
        _number(kpi.target),
        kpi.owner,
        review_by.isoformat() if review_by else None,
        kpi.label,
        kpi.primary,
        kpi.direction,
        None if review_by is None else (review_by - as_of).days,  # KpiView.days_to_review
    )


def _number(value: Any) -> Any:
    """`safe` of a figure: a finite float as it is, NaN and infinity null (x - x is NaN for both)."""
    if value is None:
        return None
    if type(value) is float:
        return value if value - value == 0.0 else None
    return safe(value)


def written(views: Sequence[KpiView], shared: Callable[[KpiConfig, dt.date], Shared]) -> Prewritten:
    """The rows of `views` as the JSON writer prints the list of `row`s, at the indent it meets them."""
    return Prewritten(lambda newline, step: _rows_text(views, shared, newline, step))


def _rows_text(
    views: Sequence[KpiView], shared: Callable[[KpiConfig, dt.date], Shared], newline: str, step: str
) -> list[str]:
    """The rows' text in pieces, a row each (the writer joins the document once: joining the
    rows first copied their 23 MB once more)."""
    if not views:
        return ["[]"]
    inner = newline + step
    separator = "," + inner
    member = inner + step
    # The views' own values column by column: the common leaves (figures, nulls) written inline,
    # not one call each (400,000 calls were ~40 % of the rows' time).
    columns = [_texts(column, member, step) for column in zip(*map(_own, views), strict=True)]
    # Per kind of row: its shared fields (held, so the id in the key stays theirs), the template
    # and which own values fill its slots.
    layouts: dict[tuple[int, Dimension | None], tuple[Shared, str, _Pick]] = {}
    texts: list[str] = []
    # The previous view's config, as_of and dimension: a KPI's views come one after another.
    kpi, as_of, dimension = None, None, None
    for view, own in zip(views, zip(*columns, strict=True), strict=True):
        if view.kpi is not kpi or view.as_of != as_of or view.dimension != dimension:
            kpi, as_of, dimension = view.kpi, view.as_of, view.dimension
            fields = shared(view.kpi, view.as_of)
            kind = (id(fields), view.dimension)
            layout = layouts.get(kind)
            if layout is None or layout[0] is not fields:
                template, pick = _layout(fields, view.dimension, inner, step)
                layout = layouts[kind] = (fields, separator + template, pick)
            _, template, pick = layout
        texts.append(template % pick(own))
    texts[0] = "[" + inner + texts[0][len(separator) :]  # each row starts with the separator but the first
    texts.append(newline + "]")
    return texts


def _texts(values: Sequence[Any], member: str, step: str) -> list[str]:
    """`value_text` of each value (its cases for a finite float, None, a str and a bool, inline)."""
    return [
        _FLOAT_TEXT(value)
        if type(value) is float and value - value == 0.0
        else "null"
        if value is None
        else string_text(value)
        if type(value) is str
        else "true"
        if value is True
        else "false"
        if value is False
        else value_text(value, member, step)
        for value in values
    ]


_FLOAT_TEXT = float.__repr__
# Which of a row's own values' texts fill its template's slots, in order.
_Pick = Callable[[Sequence[str]], tuple[str, ...]]


# A slot in a template: the index of a view's own value between NULs, which no JSON text holds
# raw (a NUL inside a string is written \u0000).
_SLOT = re.compile("\x00([0-9]+)\x00")
_OWN_FIELDS = 10


def _layout(fields: Shared, dimension: Dimension | None, inner: str, step: str) -> tuple[str, _Pick]:
    """A row's text with `%s` where the view's own values go (`%` doubled elsewhere), and which of
    the view's values fill the slots, in order (`_assemble` decides: the view's segment or `--by`
    value goes under `segment` or under the dimension's name)."""
    slots = [_slot(index) for index in range(_OWN_FIELDS)]
    text = written_at(_assemble(fields, dimension, slots), inner, step).replace("%", "%%")
    order = [int(index) for index in _SLOT.findall(text)]
    # A row has ten slots or more, so the getter always returns a tuple (of one it would not).
    return _SLOT.sub("%s", text), itemgetter(*order)


def _slot(index: int) -> Prewritten:
    mark = f"\x00{index}\x00"
    return Prewritten(lambda _newline, _step: [mark])

"""Meta Ads' `Results` column: one number per row whose meaning is in the row's result indicator.

A lead-generation ad set's `Results` are leads (`actions:lead`), a sales one's are purchases
(`offsite_conversion.fb_pixel_purchase`), a traffic one's link clicks (`actions:link_click`). Each
row's figure goes into the canonical metric its indicator names. An indicator kpi does not know
(`actions:video_view`, `reach`...) is never guessed: its figure is left out and reported with the
line. When the file also has the metric's own column (`Leads`), that column is read and the
`Results` of the same meaning are not added to it again.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from kpi_cli.lazy_pandas import np
from kpi_cli.sources.export import Skipped

# The `actions:` prefix is dropped before the lookup (both spellings are exported).
INDICATORS: dict[str, str] = {
    "lead": "leads",
    "onsite_conversion.lead_grouped": "leads",
    "offsite_conversion.fb_pixel_lead": "leads",
    "purchase": "conversions",
    "omni_purchase": "conversions",
    "offsite_conversion.fb_pixel_purchase": "conversions",
    "link_click": "link_clicks",
}
_PREFIX = "actions:"


def indicator_metric(indicator: str) -> str | None:
    key = indicator.strip().casefold()
    return INDICATORS.get(key.removeprefix(_PREFIX))


@dataclass(frozen=True)
class ResultFigures:
    """The metrics filled from `Results`, and the figures left out with why."""

    metrics: dict[str, np.ndarray]
    unread: list[Skipped]


def split(
    values: np.ndarray,
    indicators: np.ndarray,
    lines: np.ndarray,
    header: str,
    already: dict[str, str],
    names: Mapping[str, str] | None = None,
) -> ResultFigures:
    """Each row's figure into the metric of its indicator (NaN elsewhere: not measured there).

    `already` maps the metrics the file has its own column for to that column's header. `names`
    (a source's `events:` map, GA4 event name → metric) replaces Meta's indicator table.
    """
    lookup: Callable[[str], str | None] = (
        indicator_metric if names is None else lambda n: names.get(n.strip())
    )
    unknown = "kpi does not know what it counts" if names is None else "not in the source's `events:` map"
    metrics: dict[str, np.ndarray] = {}
    unread: list[Skipped] = []
    # One lookup per distinct indicator (a report has a handful), not per row.
    distinct, inverse = np.unique(indicators.astype(object), return_inverse=True)
    meaning = np.array([lookup(str(i)) for i in distinct] + [None], dtype=object)[inverse]
    has_figure = ~np.isnan(values) & (values != 0)
    for metric in sorted({m for m in meaning if m is not None}):
        rows = meaning == metric
        if metric in already:
            continue
        filled = np.full(len(values), np.nan)
        filled[rows] = values[rows]
        metrics[metric] = filled
    for index in np.flatnonzero(has_figure):
        metric = meaning[index]
        figure = _figure(values[index])
        if metric is None:
            reason = f"'{header}' {figure} with indicator '{indicators[index]}' not read: {unknown}"
            unread.append(Skipped(int(lines[index]), reason))
        elif metric in already:
            reason = f"'{header}' {figure} ({metric}) not added: read from '{already[metric]}'"
            unread.append(Skipped(int(lines[index]), reason))
    return ResultFigures(metrics, unread)


def _figure(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"

"""Which rows of an export are not data, and why: the checks both read paths share.

The pandas reader (frame.py) runs them over every row; the columnar path (columnar.py) over the
few candidate rows DuckDB flags. One definition, so that both skip the same rows for the same
reasons (blank, comment, "no data", summary by word, summary by blank name columns).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from kpi_cli.lazy_pandas import np
from kpi_cli.sources import summary
from kpi_cli.sources.canonical import DIMENSIONS
from kpi_cli.sources.profile import Profile, first_match, normalise

if TYPE_CHECKING:
    from kpi_cli.sources.frame import ColumnMap


def label_positions(mapping: ColumnMap) -> list[int]:
    """The cells a summary word can sit in: the first, the date and every dimension."""
    return list(dict.fromkeys([0, *(mapping.columns[d] for d in DIMENSIONS if d in mapping.columns)]))


def non_data_checks(
    text: Callable[[int], np.ndarray],
    rest_empty: np.ndarray,
    headers: list[str],
    profile: Profile,
    mapping: ColumnMap,
) -> tuple[tuple[str, np.ndarray], ...]:
    """Each reason a row is not data and the rows it flags, in order (the first reason wins).

    `text(position)` is a column's stripped text over the rows checked.
    """
    size = len(rest_empty)
    blank_names = name_columns(headers, profile, mapping)
    return (
        ("blank line", summary.blank_rows(text(0), rest_empty)),
        ("comment line", summary.comment_rows(text(0))),
        ("no data in the export", summary.no_data_rows(text(0), rest_empty)),
        ("summary row", summary.summary_rows((text(c) for c in label_positions(mapping)), size)),
        (
            "summary row (no " + ", ".join(blank_names.values()) + ")",
            summary.blank_in((text(c) for c in blank_names), size),
        ),
    )


def name_columns(headers: list[str], profile: Profile, mapping: ColumnMap) -> dict[int, str]:
    """Position → label of the columns that are blank only on the summary row.

    The dimensions of `summary_if_blank` are labelled by their canonical name, the report-level
    name columns (`Ad set name`, `広告セット名`) by their header as written.
    """
    named = {mapping.columns[d]: d for d in profile.summary_if_blank if d in mapping.columns}
    normalised = [normalise(h) for h in headers]
    for alias in profile.name_columns:
        position = first_match((alias,), normalised)
        if position is not None and position not in named:
            named[position] = headers[position]
    return named

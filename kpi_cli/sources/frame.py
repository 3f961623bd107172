"""From a table of raw strings and a profile to the canonical frame (see canonical.py).

Non-data rows go first, each into `skipped` with its line and why; then whole columns are
converted (dates, dimensions, metrics). A cell that cannot be read stops the read with the file,
line, column and value, because a silently dropped or zeroed cell would make every rule lie.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from kpi_cli.errors import DataError
from kpi_cli.sources import summary
from kpi_cli.sources.canonical import DIMENSIONS, METRICS
from kpi_cli.sources.dates import to_dates
from kpi_cli.sources.export import Skipped
from kpi_cli.sources.profile import Profile, first_match, normalise
from kpi_cli.sources.reader import Table
from kpi_cli.sources.values import Parsed, is_null, to_numbers


@dataclass(frozen=True)
class ColumnMap:
    """Canonical name → column position in the table, plus the gross-to-net columns to subtract."""

    columns: dict[str, int]
    subtract: dict[str, list[int]]


@dataclass(frozen=True)
class Built:
    frame: pd.DataFrame
    skipped: list[Skipped]


def resolve(profile: Profile, headers: list[str], overrides: Mapping[str, str], path: Path) -> ColumnMap:
    """Which column fills which canonical name; `overrides` (the source's `columns:`) win."""
    normalised = [normalise(h) for h in headers]
    columns: dict[str, int] = {}
    for canonical, aliases in profile.aliases().items():
        position = first_match(aliases, normalised)
        if position is not None and position not in columns.values():
            columns[canonical] = position
    for canonical, header in overrides.items():
        columns[canonical] = _override_position(canonical, header, normalised, headers, path)
    subtract = {
        metric: [p for p in (first_match((a,), normalised) for a in aliases) if p is not None]
        for metric, aliases in profile.subtract.items()
        if metric in columns
    }
    return ColumnMap(columns, {m: p for m, p in subtract.items() if p})


def _override_position(
    canonical: str, header: str, normalised: list[str], headers: list[str], path: Path
) -> int:
    if canonical not in (*DIMENSIONS, *METRICS):
        known = ", ".join((*DIMENSIONS, *METRICS))
        raise DataError(f"{path}: `columns:` names '{canonical}', which is not a canonical name ({known})")
    position = first_match((header,), normalised)
    if position is None:
        raise DataError(
            f"{path}: missing column '{header}' (for {canonical}); columns present: {', '.join(headers)}"
        )
    return position


def require(profile: Profile, mapping: ColumnMap, headers: list[str], path: Path) -> None:
    """A dated export needs its date column; a stage export needs at least one stage column."""
    if profile.events:
        if not any(m in mapping.columns for m in profile.events):
            wanted = " or ".join(a for aliases in profile.events.values() for a in aliases[:1])
            raise DataError(f"{path}: missing column {wanted}; columns present: {', '.join(headers)}")
        return
    if "date" not in mapping.columns:
        wanted = " or ".join(f"'{a}'" for a in profile.date) or "'date'"
        raise DataError(f"{path}: missing date column {wanted}; columns present: {', '.join(headers)}")


def build(table: Table, profile: Profile, mapping: ColumnMap, path: Path) -> Built:
    cells, lines, skipped = _data_rows(table, profile, mapping)
    if profile.events:
        frame, dropped = _stage_events(cells, lines, profile, mapping, table.headers, path)
    else:
        frame, dropped = _dated_rows(cells, lines, profile, mapping, table.headers, path)
    skipped = sorted([*table.skipped, *skipped, *dropped], key=lambda s: s.line)
    return Built(frame.reset_index(drop=True), skipped)


# --- rows that are not data ----------------------------------------------------------------------


def _data_rows(
    table: Table, profile: Profile, mapping: ColumnMap
) -> tuple[pd.DataFrame, np.ndarray, list[Skipped]]:
    cells = table.cells.fillna("").astype(object) if len(table.cells) else table.cells
    if cells.shape[1] == 0 or len(cells) == 0:
        return cells, table.lines, []
    labelled = [0, *(mapping.columns[d] for d in DIMENSIONS if d in mapping.columns)]
    blank_dims = [mapping.columns[d] for d in profile.summary_if_blank if d in mapping.columns]
    checks = (
        ("blank line", summary.blank_rows(cells)),
        ("comment line", summary.comment_rows(cells)),
        ("no data in the export", summary.no_data_rows(cells)),
        ("summary row", summary.summary_rows(cells, labelled)),
        ("summary row (no " + ", ".join(profile.summary_if_blank) + ")", summary.blank_in(cells, blank_dims)),
    )
    return _drop(cells, table.lines, checks)


def _drop(
    cells: pd.DataFrame, lines: np.ndarray, checks: tuple[tuple[str, pd.Series], ...]
) -> tuple[pd.DataFrame, np.ndarray, list[Skipped]]:
    """Remove the rows each check flags, first reason wins; the loop runs over flagged rows only."""
    dropped = pd.Series(False, index=cells.index)
    skipped: list[Skipped] = []
    for reason, mask in checks:
        hits = mask.fillna(False).astype(bool) & ~dropped
        skipped += [Skipped(int(line), reason) for line in lines[hits.to_numpy()]]
        dropped |= hits
    keep = ~dropped.to_numpy()
    return cells[keep], lines[keep], skipped


# --- one row per export row --------------------------------------------------------------------


def _dated_rows(
    cells: pd.DataFrame,
    lines: np.ndarray,
    profile: Profile,
    mapping: ColumnMap,
    headers: list[str],
    path: Path,
) -> tuple[pd.DataFrame, list[Skipped]]:
    column = mapping.columns["date"]
    dates = _checked(to_dates(cells[column]), cells[column], lines, headers[column], path, "a date")
    undated = dates.isna().to_numpy()
    dropped = [Skipped(int(line), "no date (read as a summary row)") for line in lines[undated]]
    cells, lines, dates = cells[~undated], lines[~undated], dates[~undated]
    frame = pd.DataFrame({"date": dates.to_numpy()})
    _add_dimensions(frame, cells, mapping)
    for metric in _metric_names(mapping):
        frame[metric] = _metric(cells, lines, mapping, metric, headers, path)
    if profile.count_rows_as:
        frame[profile.count_rows_as] = 1.0
    return frame, dropped


def _metric_names(mapping: ColumnMap) -> list[str]:
    return [m for m in METRICS if m in mapping.columns]


def _metric(
    cells: pd.DataFrame, lines: np.ndarray, mapping: ColumnMap, metric: str, headers: list[str], path: Path
) -> np.ndarray:
    """The metric as float64; gross minus the columns to subtract (net followers)."""
    values = _numbers(cells, lines, mapping.columns[metric], headers, path)
    for position in mapping.subtract.get(metric, []):
        values = values - _numbers(cells, lines, position, headers, path)
    return values


def _numbers(
    cells: pd.DataFrame, lines: np.ndarray, position: int, headers: list[str], path: Path
) -> np.ndarray:
    raw = cells[position]
    checked = _checked(to_numbers(raw), raw, lines, headers[position], path, "a number")
    return checked.to_numpy(dtype="float64")


def _checked(
    parsed: Parsed, raw: pd.Series, lines: np.ndarray, header: str, path: Path, kind: str
) -> pd.Series:
    bad = parsed.first_bad()
    if bad is None:
        return parsed.values
    raise DataError(f"{path}:{int(lines[bad])}: column '{header}': cannot read '{raw.iloc[bad]}' as {kind}")


def _add_dimensions(frame: pd.DataFrame, cells: pd.DataFrame, mapping: ColumnMap) -> None:
    for dimension in DIMENSIONS[1:]:
        if dimension in mapping.columns:
            raw = cells[mapping.columns[dimension]].str.strip()
            frame[dimension] = raw.mask(is_null(raw)).astype("string").to_numpy()


# --- one row per stage reached (HubSpot) ---------------------------------------------------------


def _stage_events(
    cells: pd.DataFrame,
    lines: np.ndarray,
    profile: Profile,
    mapping: ColumnMap,
    headers: list[str],
    path: Path,
) -> tuple[pd.DataFrame, list[Skipped]]:
    """Each stage date is one event: a row dated that day with 1 in the stage's metric, 0 elsewhere.

    The other stages are 0, not NaN: the export does measure them, nobody reached them that day.
    """
    stages = [m for m in METRICS if m in profile.events and m in mapping.columns]
    parts, reached = [], np.zeros(len(cells), dtype=bool)
    for stage in stages:
        position = mapping.columns[stage]
        dates = _checked(to_dates(cells[position]), cells[position], lines, headers[position], path, "a date")
        hit = dates.notna().to_numpy()
        reached |= hit
        part = pd.DataFrame({"date": dates[hit].to_numpy()})
        _add_dimensions(part, cells[hit], mapping)
        for metric in stages:
            part[metric] = 1.0 if metric == stage else 0.0
        parts.append(part)
    dropped = [Skipped(int(line), "reached none of the mapped stages") for line in lines[~reached]]
    frame = (
        pd.concat(parts, ignore_index=True)
        if parts
        else pd.DataFrame({"date": pd.Series(dtype="datetime64[ns]")})
    )
    return frame, dropped

"""The files of one source that repeat each other: counted once, reported; a conflict is an error.

A glob often matches more than it should: the same download saved twice, the English and the
Japanese export of the same tweets, or two monthly exports whose date ranges overlap. Summing them
would double every figure without a word. Rows are compared by their date and dimensions: where
two files hold the same dates and dimensions with the same figures, the later file's rows are
dropped and reported; with different figures nobody can tell which is right, so the read stops
with both files named.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace
from pathlib import Path

from kpi_cli.errors import DataError
from kpi_cli.lazy_pandas import pd
from kpi_cli.sources import Export
from kpi_cli.sources.canonical import DIMENSIONS, METRICS


@dataclass(frozen=True)
class Deduplicated:
    exports: list[Export]
    notes: list[str]


def deduplicated(source: str, exports: list[Export]) -> Deduplicated:
    """The exports with repeated files and repeated rows removed, and a note for each removal."""
    if len(exports) < 2:  # nothing to compare (hashing a 776 MB export cost 1.1 s)
        return Deduplicated(exports, [])
    kept: list[Export] = []
    notes: list[str] = []
    digests: dict[str, Path] = {}
    for export in exports:
        digest = _digest(export.path)
        if digest in digests:
            notes.append(
                f"source '{source}': {export.path.name} has the same content as "
                f"{digests[digest].name}; counted once"
            )
            continue
        digests[digest] = export.path
        kept.append(_without_repeats(source, export, kept, notes))
    return Deduplicated(kept, notes)


def _digest(path: Path) -> str:
    """The file's SHA-256, read in blocks: reading it whole held a 776 MB export in memory."""
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def _without_repeats(source: str, export: Export, earlier: list[Export], notes: list[str]) -> Export:
    frame = export.frame
    for other in earlier:
        repeated = _repeated_rows(source, other, export, frame)
        if repeated.any():
            notes.append(
                f"source '{source}': {int(repeated.sum())} row(s) of {export.path.name} repeat "
                f"{other.path.name} (same dates, dimensions and figures); counted once"
            )
            frame = frame[~repeated]
    if len(frame) == len(export.frame):
        return export
    return _replace_frame(export, frame.reset_index(drop=True))


def _repeated_rows(source: str, first: Export, second: Export, frame: pd.DataFrame) -> pd.Series:
    """Rows of `frame` (the second file's) whose date and dimensions the first file also has.

    All such rows repeat the first file's when, key by key, both files hold the same figures;
    otherwise the overlap is a conflict and raises.
    """
    keys = [c for c in DIMENSIONS if c in frame.columns and c in first.frame.columns]
    metrics = [m for m in METRICS if m in frame.columns and m in first.frame.columns]
    none = pd.Series(False, index=frame.index)
    if "date" not in keys or not metrics or frame.empty or first.frame.empty:
        return none
    mine, theirs = _keyed(frame, keys), _keyed(first.frame, keys)
    shared = mine.isin(set(theirs))
    if not shared.any():
        return none
    overlap = set(mine[shared])
    in_first = theirs.isin(overlap)
    first_rows = {
        k: _figures(g, metrics) for k, g in first.frame[in_first].groupby(theirs[in_first], sort=True)
    }
    for key, rows in frame[shared].groupby(mine[shared], sort=True):
        a, b = first_rows[str(key)], _figures(rows, metrics)
        if a != b:
            raise DataError(
                f"source '{source}': {first.path} and {second.path} both have {key} with different "
                f"figures ({_difference(a, b, metrics)}); keep one file, or re-export them without "
                "the overlapping days"
            )
    return shared


def _keyed(frame: pd.DataFrame, keys: list[str]) -> pd.Series:
    """One readable text key per row: `2026-10-03` or `2026-10-03 / Autumn Sale`."""
    parts = [frame["date"].dt.strftime("%Y-%m-%d")]
    parts += [frame[k].astype("string").fillna("") for k in keys if k != "date"]
    key: pd.Series = parts[0].astype(str)
    for part in parts[1:]:
        key = key + " / " + part.astype(str)
    return key


def _figures(rows: pd.DataFrame, metrics: list[str]) -> list[tuple[float | None, ...]]:
    """The rows' figures as sorted tuples: the same rows in any order compare equal."""
    values = rows[metrics].astype(float).round(9)
    tuples = [tuple(None if pd.isna(v) else float(v) for v in row) for row in values.itertuples(index=False)]
    return sorted(tuples, key=lambda t: tuple(-1.0 if v is None else v for v in t))


def _difference(
    a: list[tuple[float | None, ...]], b: list[tuple[float | None, ...]], metrics: list[str]
) -> str:
    if len(a) != len(b):
        return f"{len(a)} row(s) against {len(b)}"
    for row_a, row_b in zip(a, b, strict=True):
        for metric, x, y in zip(metrics, row_a, row_b, strict=True):
            if x != y:
                return f"{metric} {_figure(x)} against {_figure(y)}"
    return "different rows"


def _figure(value: float | None) -> str:
    if value is None:
        return "not measured"
    return str(int(value)) if value.is_integer() else f"{value:g}"


def _replace_frame(export: Export, frame: pd.DataFrame) -> Export:
    return replace(export, frame=frame)

"""Minimal reader for `platform: generic` files: canonical headers, or a rename map."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from kpi_cli.errors import DataError
from kpi_cli.sources.canonical import DIMENSIONS, METRICS
from kpi_cli.sources.export import Export


def read_generic(path: Path, columns: Mapping[str, str] | None = None) -> Export:
    try:
        raw = pd.read_csv(path, encoding="utf-8-sig", dtype=str, keep_default_na=False)
    except FileNotFoundError:
        raise DataError(f"{path}: file not found") from None
    rename = {header: canonical for canonical, header in (columns or {}).items()}
    raw = raw.rename(columns=rename)
    if "date" not in raw.columns:
        present = ", ".join(map(str, raw.columns))
        raise DataError(f"{path}: missing column 'date' (columns present: {present})")
    frame = pd.DataFrame({"date": pd.to_datetime(raw["date"], format="ISO8601").dt.normalize()})
    for dim in DIMENSIONS[1:]:
        if dim in raw.columns:
            frame[dim] = raw[dim].replace("", pd.NA)
    for metric in METRICS:
        if metric in raw.columns:
            frame[metric] = pd.to_numeric(raw[metric].replace("", None), errors="raise").astype(float)
    mapped = {c: (columns or {}).get(c, c) for c in frame.columns}
    return Export(path=path, platform="generic", encoding="utf-8", delimiter=",", frame=frame, columns=mapped)

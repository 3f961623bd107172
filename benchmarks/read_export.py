"""Hand-run benchmark: `read_export` against pandas' own read of a 100,000-row export.

    python benchmarks/read_export.py [ROWS]

Writes a Meta Ads Manager report (quoted thousands separators, percent CTR, `--` nulls, a summary
row first) into a temporary directory and prints the best of three timings of `pd.read_csv` on it
and of `read_export`. The issue's bar: `read_export` is well under a second slower.
"""

from __future__ import annotations

import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
from layouts import META_HEADER

from kpi_cli.sources import read_export

# One Meta layout for every benchmark: generate.py writes the 1M-row file with the same header.
HEADER = META_HEADER


def write_export(path: Path, rows: int) -> None:
    """Columns built as whole arrays: writing the file must not dominate the run either."""
    rng = np.random.default_rng(3)
    days = pd.Timestamp("2026-01-01") + pd.to_timedelta(rng.integers(0, 365, rows), unit="D")
    day = pd.Series(days.strftime("%Y-%m-%d"))
    impressions = rng.integers(100, 900_000, rows)
    reach = impressions // 2
    clicks = impressions // 50
    cost = impressions // 7
    frame = pd.DataFrame(
        {
            "start": day,
            "end": day,
            "campaign": "Campaign " + pd.Series(rng.integers(1, 40, rows)).astype(str),
            "ad_set": "Ad set " + pd.Series(rng.integers(1, 200, rows)).astype(str),
            "reach": _grouped(reach),
            "impressions": _grouped(impressions),
            "frequency": np.round(impressions / reach, 2),
            "link_clicks": _grouped(clicks // 2),
            "clicks": _grouped(clicks),
            "ctr": pd.Series(np.round(clicks / impressions * 100, 2)).astype(str) + "%",
            "cost": _grouped(cost),
            "cpm": np.round(cost / reach * 1000, 2),
            "leads": pd.Series(rng.integers(0, 30, rows)).astype(str).mask(rng.random(rows) < 0.1, "--"),
            "purchases": rng.integers(0, 10, rows).astype(float),
        }
    )
    summary = f'2026-01-01,2026-12-31,,,"{reach.sum():,}","{impressions.sum():,}",2.0,,,,,,,\n'
    body = frame.to_csv(index=False, header=False, quoting=0)
    path.write_text(HEADER + "\n" + summary + body, encoding="utf-8")


def _grouped(values: np.ndarray) -> pd.Series:
    return pd.Series(values).map("{:,}".format)


def best_of(runs: int, action: Callable[[], object]) -> float:
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        timings.append(time.perf_counter() - start)
    return min(timings)


def main() -> None:
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "meta_ads.csv"
        write_export(path, rows)
        size = path.stat().st_size / 1e6
        pandas_seconds = best_of(3, lambda: pd.read_csv(path))
        kpi_seconds = best_of(3, lambda: read_export(path))
        export = read_export(path)
    print(f"export: {rows:,} rows, {size:.1f} MB, read as {export.platform} with {export.rows:,} rows")
    print(f"pd.read_csv:  {pandas_seconds:.3f} s")
    print(f"read_export:  {kpi_seconds:.3f} s  (+{kpi_seconds - pandas_seconds:.3f} s)")


if __name__ == "__main__":
    main()

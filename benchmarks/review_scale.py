"""Hand-run benchmark: the rule engine on an event-level frame of N rows (default 1,000,000).

    python benchmarks/review_scale.py [ROWS]

Builds a canonical frame in memory (no CSV parsing: benchmarks/read_export.py covers that), then
times build_context (period sums, assessments, funnel) and the rules, and reports peak memory.
"""

from __future__ import annotations

import resource
import sys
import time
from datetime import date

import numpy as np
import pandas as pd

from kpi_cli.config.models import Config
from kpi_cli.metrics.formulas import Catalog
from kpi_cli.review import build_context
from kpi_cli.rules import run_rules

CONFIG = {
    "version": 1,
    "name": "scale",
    "sources": [{"name": "events", "path": "events.csv"}],
    "metrics": {"cpa": "cost / customers"},
    "kgi": {
        "name": "Revenue",
        "metric": "revenue",
        "target": 5e9,
        "start": "2026-01-01",
        "deadline": "2026-12-31",
    },
    "kpis": [
        {
            "id": "leads",
            "metric": "leads",
            "target": 300000,
            "primary": True,
            "owner": "a",
            "review_by": "2026-12-31",
            "segments": "all",
        },
        {
            "id": "cpa",
            "metric": "cpa",
            "target": 5000,
            "direction": "down",
            "owner": "b",
            "review_by": "2026-12-31",
        },
    ],
    "funnel": {
        "stages": [
            {"name": "Clicks", "metric": "clicks"},
            {"name": "Leads", "metric": "leads"},
            {"name": "Won", "metric": "customers"},
        ]
    },
}


def frame(rows: int) -> pd.DataFrame:
    rng = np.random.default_rng(1)
    days = pd.Timestamp("2026-01-01") + pd.to_timedelta(rng.integers(0, 330, rows), unit="D")
    return pd.DataFrame(
        {
            "date": days,
            "segment": rng.choice(["enterprise", "smb", "consumer"], rows),
            "campaign": rng.choice([f"c{i}" for i in range(50)], rows),
            "clicks": rng.poisson(5, rows).astype(float),
            "leads": rng.poisson(1, rows).astype(float),
            "customers": rng.binomial(1, 0.05, rows).astype(float),
            "cost": rng.gamma(2, 500, rows),
            "revenue": rng.gamma(2, 1000, rows),
        }
    )


def main() -> None:
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    data = frame(rows)
    config = Config.model_validate(CONFIG)
    start = time.perf_counter()
    ctx = build_context(config, Catalog(config.metrics), data, date(2026, 11, 20), by="segment")
    built = time.perf_counter()
    findings = run_rules(ctx)
    done = time.perf_counter()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"{rows:,} rows: context {built - start:.2f} s, rules {done - built:.2f} s, "
        f"{len(findings)} findings, peak RSS {peak:.0f} MiB"
    )


if __name__ == "__main__":
    main()

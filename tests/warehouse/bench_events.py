"""Benchmark (not a test): an event-level CSV read through `kpi_cli.warehouse` against DuckDB's own
monthly sums of the same file, in one run. Prints wall times, their ratio and peak RSS.

    python tests/warehouse/bench_events.py 10000000 /tmp/kpi-events-10m.csv

Each timing runs in a fresh child process so that peak RSS is that reader's own.

Measured 2026-11-26 on the 2-core machine while other benchmarks ran (load average 5-12, so the
ratios scatter): 10M rows, 550 MB. DuckDB's monthly sums 6.6-13.8 s, 200-320 MB. This reader per
day: 15.0-21.3 s, 330-390 MB, 1.4-2.8x (quiet runs 1.41, 1.53, 1.55); per day x channel 1.5-3.4x,
330-380 MB; per day x campaign x channel x segment (876k groups) 2.7-6x, 790-980 MB, most of it
DuckDB's own hash table (the same query in raw DuckDB peaks at 560 MB to Arrow, 940 MB to pandas).
In one process: imports 0.8 s, CSV sniffing 0.7 s, the day-grain query 5.25 s vs 5.08 s for the
same SQL written by hand.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

EVENTS = {"impression": "impressions", "click": "clicks", "lead": "leads", "closed": "customers"}


def generate(rows: int, path: Path) -> None:
    import duckdb

    # 2026 (365 days) x 200 campaigns x 4 channels x 3 segments; events weighted like a funnel.
    duckdb.sql(
        f"""
        COPY (
          SELECT DATE '2026-01-01' + CAST(i % 365 AS INTEGER) AS date,
                 'cmp' || (hash(i) % 200) AS campaign,
                 ['x', 'instagram', 'line', 'email'][1 + CAST(hash(i + 1) % 4 AS BIGINT)] AS channel,
                 ['enterprise', 'smb', 'consumer'][1 + CAST(hash(i + 2) % 3 AS BIGINT)] AS segment,
                 CASE WHEN hash(i + 3) % 100 < 80 THEN 'impression'
                      WHEN hash(i + 3) % 100 < 95 THEN 'click'
                      WHEN hash(i + 3) % 100 < 99 THEN 'lead' ELSE 'closed' END AS event,
                 'c' || (hash(i + 4) % 1000000) AS contact_id,
                 CASE WHEN hash(i + 3) % 100 = 99 THEN (hash(i + 5) % 100000) END AS revenue,
                 round((hash(i + 6) % 1000) / 10.0, 1) AS cost
          FROM range({rows}) t(i)
        ) TO '{path}' (HEADER, DELIMITER ',')
        """
    )


KPI = """
import json, sys, time
from pathlib import Path
t = time.perf_counter()
from kpi_cli.warehouse import EventsSource, read_source
spec = EventsSource.model_validate({"name": "events", "path": sys.argv[1], "platform": "events", "events": EVENTS_JSON})
dims = None if sys.argv[2] == "all" else [d for d in sys.argv[2].split(",") if d]
result = read_source(spec, Path("/"), dimensions=dims)
print(json.dumps({"seconds": time.perf_counter() - t, "rows": len(result.frame)}))
""".replace("EVENTS_JSON", json.dumps(EVENTS))

DUCKDB = """
import json, sys, time
t = time.perf_counter()
import duckdb
rows = duckdb.sql(f'''SELECT date_trunc('month', date) m, count(*) FILTER (event = 'impression'),
    count(*) FILTER (event = 'click'), count(*) FILTER (event = 'lead'), count(*) FILTER (event = 'closed'),
    sum(revenue), sum(cost) FROM read_csv('{sys.argv[1]}') GROUP BY 1''').fetchall()
print(json.dumps({"seconds": time.perf_counter() - t, "rows": len(rows)}))
"""


def timed(script: str, path: Path, *args: str) -> dict[str, float]:
    command = ["/usr/bin/time", "-f", "%M", sys.executable, "-c", script, str(path), *args]
    done = subprocess.run(command, capture_output=True, text=True, check=True)
    result: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    result["peak_mb"] = int(done.stderr.strip().splitlines()[-1]) / 1024
    return result


def main() -> None:
    rows, path = int(sys.argv[1]), Path(sys.argv[2])
    if not path.exists():
        start = time.perf_counter()
        generate(rows, path)
        print(
            f"generated {rows:,} rows, {path.stat().st_size / 1e6:.0f} MB in {time.perf_counter() - start:.1f} s"
        )
    # Grains: per day only (what the monthly sums need), per day x channel, every dimension.
    for _ in range(3):  # alternate so that all see the same page cache and machine load
        duck = timed(DUCKDB, path)
        line = f"duckdb monthly {duck['seconds']:.2f} s {duck['peak_mb']:.0f} MB"
        for grain in ("", "channel", "all"):
            kpi = timed(KPI, path, grain)
            line += (
                f" | kpi[{grain or 'day'}] {kpi['seconds']:.2f} s {kpi['peak_mb']:.0f} MB "
                f"{kpi['rows']:.0f} rows x{kpi['seconds'] / duck['seconds']:.2f}"
            )
        print(line, flush=True)


if __name__ == "__main__":
    main()

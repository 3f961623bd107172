"""Hand-run: write the benchmark files and a kpi config beside each (never committed; use /tmp).

    python benchmarks/generate.py DIR                 # the standard set (see STANDARD)
    python benchmarks/generate.py DIR plain 2000000   # one kind at one size

Kinds:
- `plain`: a daily CSV with 13 columns (date, campaign, channel, segment and 9 canonical metrics).
- `meta`: a Meta Ads Manager report in the layout of benchmarks/read_export.py (quoted thousands
  separators, percent CTR, `--` nulls, a summary row first).
- `campaigns`: the plain layout with 10,000 campaigns, for `kpi check --by campaign`.
- `events`: one row per event (date, campaign, channel, segment, event, contact_id, revenue, cost),
  the shape MA platforms and GA4 export; kpi reads its revenue and cost today (no event mapping yet).

Every file is deterministic: rows are written in chunks, chunk k drawn from a generator seeded with
(SEED, kind, k), and row i is dated day floor(i * 365 / rows) of 2026 (sorted, as exports are), so
the same command writes the same bytes on any machine.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import yaml
from layouts import AS_OF, EVENT_SHARES, EVENTS, KPI_METRICS, META_HEADER

SEED = 20261126
CHUNK = 500_000
YEAR_START = np.datetime64("2026-01-01")
DAYS = 365


@dataclass(frozen=True)
class Dataset:
    kind: str
    rows: int
    csv: Path
    config: Path
    metrics: tuple[str, ...]  # canonical metrics the config's KPIs read (one KPI each)


def _rng(kind: str, chunk: int) -> np.random.Generator:
    return np.random.default_rng([SEED, sum(map(ord, kind)), chunk])


def _days(start: int, stop: int, rows: int) -> np.ndarray:
    day = (np.arange(start, stop, dtype=np.int64) * DAYS) // rows
    return np.datetime_as_string(YEAR_START + day.astype("timedelta64[D]"), unit="D")


def _chunks(rows: int) -> Iterator[tuple[int, int, int]]:
    for index, start in enumerate(range(0, rows, CHUNK)):
        yield index, start, min(start + CHUNK, rows)


def _labels(prefix: str, count: int, picks: np.ndarray) -> np.ndarray:
    names = np.array([f"{prefix} {i:05d}" for i in range(count)], dtype=object)
    return names[picks]


def _plain_chunk(kind: str, index: int, start: int, stop: int, rows: int, campaigns: int) -> pd.DataFrame:
    rng, size = _rng(kind, index), stop - start
    impressions = rng.integers(100, 50_000, size)
    clicks = rng.binomial(impressions, 0.02)
    leads = rng.binomial(clicks, 0.05)
    customers = rng.binomial(leads, 0.2)
    return pd.DataFrame(
        {
            "date": _days(start, stop, rows),
            "campaign": _labels("Campaign", campaigns, rng.integers(0, campaigns, size)),
            "channel": np.array(["x", "instagram", "tiktok", "youtube", "line"], dtype=object)[
                rng.integers(0, 5, size)
            ],
            "segment": np.array(["enterprise", "smb", "consumer"], dtype=object)[rng.integers(0, 3, size)],
            "impressions": impressions,
            "reach": impressions * 3 // 4,
            "clicks": clicks,
            "cost": rng.integers(0, 20_000, size),
            "leads": leads,
            "inquiries": rng.binomial(leads, 0.3),
            "customers": customers,
            "revenue": customers * rng.integers(10_000, 500_000, size),
            "conversions": rng.binomial(clicks, 0.01),
        }
    )


def _grouped(values: np.ndarray) -> pd.Series:
    """`1234567` -> `1,234,567` (to_csv quotes it because it holds the delimiter)."""
    return pd.Series(values).map("{:,}".format)


def _meta_chunk(kind: str, index: int, start: int, stop: int, rows: int, campaigns: int) -> pd.DataFrame:
    """The columns of benchmarks/read_export.py's export, row for row the same recipe."""
    rng, size = _rng(kind, index), stop - start
    day = _days(start, stop, rows)
    impressions = rng.integers(100, 900_000, size)
    reach = impressions // 2
    clicks = impressions // 50
    cost = impressions // 7
    leads = pd.Series(rng.integers(0, 30, size)).astype(str).mask(rng.random(size) < 0.1, "--")
    return pd.DataFrame(
        {
            "start": day,
            "end": day,
            "campaign": "Campaign " + pd.Series(rng.integers(1, campaigns, size)).astype(str),
            "ad_set": "Ad set " + pd.Series(rng.integers(1, 200, size)).astype(str),
            "reach": _grouped(reach),
            "impressions": _grouped(impressions),
            "frequency": np.round(impressions / reach, 2),
            "link_clicks": _grouped(clicks // 2),
            "clicks": _grouped(clicks),
            "ctr": pd.Series(np.round(clicks / impressions * 100, 2)).astype(str) + "%",
            "cost": _grouped(cost),
            "cpm": np.round(cost / reach * 1000, 2),
            "leads": leads,
            "purchases": rng.integers(0, 10, size).astype(float),
        }
    )


def _events_chunk(kind: str, index: int, start: int, stop: int, rows: int, campaigns: int) -> pd.DataFrame:
    rng, size = _rng(kind, index), stop - start
    event = rng.choice(len(EVENTS), size, p=EVENT_SHARES)
    closed = event == EVENTS.index("closed")
    paid = event <= EVENTS.index("click")
    return pd.DataFrame(
        {
            "date": _days(start, stop, rows),
            "campaign": _labels("Campaign", campaigns, rng.integers(0, campaigns, size)),
            "channel": np.array(["x", "instagram", "email", "web"], dtype=object)[rng.integers(0, 4, size)],
            "segment": np.array(["enterprise", "smb", "consumer"], dtype=object)[rng.integers(0, 3, size)],
            "event": np.array(EVENTS, dtype=object)[event],
            "contact_id": pd.Series(rng.integers(0, rows // 5 + 1, size)).map("C{:08d}".format),
            "revenue": np.where(closed, rng.integers(10_000, 300_000, size), 0),
            "cost": np.where(paid, rng.integers(1, 120, size), 0),
        }
    )


Writer = Callable[[str, int, int, int, int, int], pd.DataFrame]
# kind -> (chunk writer, header line or None for the frame's own, campaigns, platform)
KINDS: dict[str, tuple[Writer, str | None, int, str]] = {
    "plain": (_plain_chunk, None, 50, "generic"),
    "meta": (_meta_chunk, META_HEADER, 40, "meta_ads"),
    "campaigns": (_plain_chunk, None, 10_000, "generic"),
    "events": (_events_chunk, None, 200, "generic"),
}
STANDARD = (("plain", 1_000_000), ("meta", 1_000_000), ("campaigns", 1_000_000), ("events", 1_000_000))
LARGE = (("plain", 10_000_000), ("events", 10_000_000))


def paths(directory: Path, kind: str, rows: int) -> Dataset:
    name = f"{kind}_{rows // 1_000_000}m" if rows % 1_000_000 == 0 else f"{kind}_{rows}"
    metrics = KPI_METRICS[kind]
    return Dataset(kind, rows, directory / f"{name}.csv", directory / f"{name}.yaml", metrics)


def write(directory: Path, kind: str, rows: int) -> Dataset:
    """The CSV and its config; an existing CSV of the same name is kept (generation is deterministic)."""
    writer, header, campaigns, platform = KINDS[kind]
    dataset = paths(directory, kind, rows)
    directory.mkdir(parents=True, exist_ok=True)
    if not dataset.csv.exists():
        partial = dataset.csv.with_suffix(".partial")
        with partial.open("w", encoding="utf-8", newline="") as out:
            if header is not None:
                out.write(header + "\n" + _meta_summary(rows, campaigns))
            for index, start, stop in _chunks(rows):
                chunk = writer(kind, index, start, stop, rows, campaigns)
                chunk.to_csv(out, index=False, header=header is None and index == 0, lineterminator="\n")
        partial.rename(dataset.csv)
    dataset.config.write_text(yaml.safe_dump(_config(dataset, platform), sort_keys=False), encoding="utf-8")
    return dataset


def _meta_summary(rows: int, campaigns: int) -> str:
    """Meta's account total, first under the header: no campaign name, whole-period dates.

    Its numbers are the true totals of reach and impressions, so counting it doubles them.
    """
    reach = impressions = 0
    for index, start, stop in _chunks(rows):
        chunk = _meta_chunk("meta", index, start, stop, rows, campaigns)
        impressions += int(chunk["impressions"].str.replace(",", "").astype(np.int64).sum())
        reach += int(chunk["reach"].str.replace(",", "").astype(np.int64).sum())
    return f'2026-01-01,2026-12-31,,,"{reach:,}","{impressions:,}",2.0,,,,,,,\n'


def _config(dataset: Dataset, platform: str) -> dict[str, Any]:
    """One KPI per metric (so `kpi check --format json` reports each month's sum), revenue as KGI."""
    kgi_metric = "revenue" if "revenue" in dataset.metrics else "cost"
    kpis = [
        {
            "id": metric,
            "metric": metric,
            "target": 1000,
            "owner": "bench",
            "review_by": AS_OF,
            **({"primary": True} if position == 0 else {}),
        }
        for position, metric in enumerate(dataset.metrics)
    ]
    return {
        "version": 1,
        "name": f"benchmark {dataset.kind} ({dataset.rows:,} rows)",
        "currency": "JPY",
        "sources": [{"name": dataset.kind, "path": dataset.csv.name, "platform": platform}],
        "kgi": {
            "name": f"Total {kgi_metric}",
            "metric": kgi_metric,
            "target": 1e12,
            "start": "2026-01-01",
            "deadline": AS_OF,
            "owner": "bench",
        },
        "kpis": kpis,
    }


def main(argv: list[str]) -> None:
    if not argv:
        raise SystemExit(__doc__)
    directory = Path(argv[0])
    wanted = [(argv[1], int(argv[2]))] if len(argv) >= 3 else [*STANDARD, *LARGE]
    for kind, rows in wanted:
        dataset = write(directory, kind, rows)
        print(f"{dataset.csv} ({dataset.csv.stat().st_size / 1e6:.0f} MB), {dataset.config.name}")


if __name__ == "__main__":
    main(sys.argv[1:])
